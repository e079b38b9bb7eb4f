"""Local editions without a build: notes on guides and steps, coverage, the edition's own address,
the overview, and that no input crashes. The bad-file table and the edition build are in test_browser.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import make_site

from wegweiser import generate
from wegweiser.checks import run_all
from wegweiser.cli import main
from wegweiser.config import load_project
from wegweiser.editions import guide_note, is_local, load_edition, local_office, missing_offices, note_for
from wegweiser.render import render_markdown
from wegweiser.site import load_site

ROOT = Path(__file__).resolve().parent.parent
REAL = load_site(load_project(ROOT))
RE_STEP = re.compile(r"^## \d+\. .*\{#([\w-]+)\}$", re.M)


def render(site, slug, lang, edition):
    return render_markdown(site, slug, lang, generate.body_markdown(generate.shown_page(site, slug, lang)), edition)


def steps_of(markdown: str) -> dict[str, str]:
    """Rendered Markdown of a guide, cut at its numbered step headings."""
    marks = list(RE_STEP.finditer(markdown))
    return {m.group(1): markdown[m.start() : marks[i + 1].start() if i + 1 < len(marks) else len(markdown)] for i, m in enumerate(marks)}


@pytest.fixture
def fixture_site(tmp_path, monkeypatch):
    """The minimal fixture project; ``write(text)`` puts an edition file 'x' in it and loads it."""
    root = make_site(tmp_path / "p")
    monkeypatch.chdir(root)

    def write(text: str, name: str = "x"):
        (root / "data" / "editions" / f"{name}.yml").write_text(text, encoding="utf-8")
        site = load_site(load_project(root))
        return site, *load_edition(site, name)

    write.root = root
    return write


# ----------------------------------------------------------------------------------------------
# The shipped example
# ----------------------------------------------------------------------------------------------


def test_musterstadt_is_valid_and_gives_every_local_office_steps_use():
    edition, found = load_edition(REAL, "musterstadt")
    assert [f.format() for f in found] == [], "data/editions/musterstadt.yml must stay valid and complete (see the Edition.Coverage warnings)"
    assert edition["site_url"].startswith("https://") and ".example" in edition["site_url"]


def test_musterstadt_is_clearly_fictional():
    edition, _ = load_edition(REAL, "musterstadt")
    for key, office in edition["offices"].items():
        assert "(Beispiel)" in office["name"], key
        assert "99999 Musterstadt" in office["address"], key
        assert office.get("phone", "0000").startswith("0000"), key
        for field in ("website", "appointment"):
            assert ".example/" in office.get(field, "https://x.example/"), (key, field)


@pytest.mark.parametrize("lang", REAL.project.codes)
def test_every_step_with_a_local_office_shows_the_city_office(lang):
    edition, _ = load_edition(REAL, "musterstadt")
    expected = checked = 0
    for guide in REAL.guides():
        facts = guide.meta.get("facts") or {}
        sections = steps_of(render(REAL, guide.slug, lang, edition))
        for step in guide.steps:
            office = (facts.get(step.id) or {}).get("office")
            if not office or not is_local(REAL.project, office):
                assert 'class="ww-office__name"' not in sections[step.id], f"{guide.slug}#{step.id}: '{office}' is not a local office"
                continue
            expected += 1
            name = local_office(edition, office, lang)["name"]
            assert f">{name}</strong>" in sections[step.id], f"{lang}: {guide.slug}#{step.id} does not show the Musterstadt office for '{office}'"
            checked += 1
    assert checked == expected >= 30


def test_offices_marked_local_exist_and_national_ones_are_not():
    local = {k for k in REAL.project.offices if is_local(REAL.project, k)}
    assert {"meldebehoerde", "auslaenderbehoerde", "jobcenter", "agentur_fuer_arbeit", "jugendamt", "schule"} <= local
    assert not local & {"bamf", "bzst", "beitragsservice", "hilfetelefon", "vermieter", "arbeitgeber", "frauenhaus"}
    assert all(isinstance(v.get("local", False), bool) for v in REAL.project.offices.values())


# ----------------------------------------------------------------------------------------------
# Coverage: what a city still has to fill
# ----------------------------------------------------------------------------------------------


def test_coverage_warns_about_each_missing_local_office_with_its_steps(fixture_site):
    _, edition, found = fixture_site("name: X\noffices:\n  jobcenter: {name: J, address: A}\n")
    assert edition is not None, "a coverage gap is a warning, not an error"
    assert [f.format() for f in found] == [
        "data/editions/x.yml:2:1: warning [Edition.Coverage] no local office 'meldebehoerde': 1 step(s) show the national text instead (anmeldung#termin);"
        " add it under 'offices:'"
    ]
    _, _, found = fixture_site("name: X\noffices:\n  meldebehoerde: {name: B, address: A}\n")
    assert found == []


def test_coverage_on_the_real_guides_names_only_local_offices():
    missing = missing_offices(REAL, {})
    assert missing["meldebehoerde"] == ["anmeldung#termin", "anmeldung#bestaetigung_aufheben", "anmeldung#umzug"]
    assert all(is_local(REAL.project, office) for office in missing)
    assert "bzst" not in missing and "wohnungsgeber" not in missing


def test_make_check_validates_every_edition(fixture_site, capsys):
    fixture_site("name: X\nofices: {}\n", name="neustadt")
    root = fixture_site.root
    found = [f.format() for f in run_all(load_site(load_project(root)))]
    assert "data/editions/neustadt.yml:2:1: error [Edition.UnknownKey] unknown key 'ofices'; did you mean 'offices'?" in found
    assert main(["--root", str(root), "check", "--min-level", "error"]) == 1
    assert "[Edition.UnknownKey]" in capsys.readouterr().out


# ----------------------------------------------------------------------------------------------
# Notes on a whole guide and on steps
# ----------------------------------------------------------------------------------------------


def test_a_text_under_a_guide_is_a_note_on_top_of_the_whole_guide(fixture_site):
    site, edition, found = fixture_site("name: Neustadt\noffices:\n  meldebehoerde: {name: B, address: A}\nnotes:\n  anmeldung: Alles im Rathaus.\n")
    assert found == []
    for lang in ("de", "en", "ar"):
        md = render(site, "anmeldung", lang, edition)
        assert md.index("Alles im Rathaus.") < md.index('class="ww-steps"') < md.index("{#termin}"), lang
        assert 'class="ww-facts__local"' not in md, "a guide note is no step note"
    assert '<span lang="de" dir="auto">Alles im Rathaus.</span>' in render(site, "anmeldung", "ar", edition)
    assert "<strong>Neustadt:</strong>" in render(site, "anmeldung", "de", edition)


def test_language_codes_and_step_ids_under_one_guide(fixture_site):
    text = "name: N\nnotes:\n  anmeldung:\n    de: Ganze Anleitung.\n    en: Whole guide.\n    termin: {de: Nur der Termin., en: Only the appointment.}\n"
    site, edition, found = fixture_site(text)
    assert [f for f in found if f.level == "error"] == []
    en = render(site, "anmeldung", "en", edition)
    assert en.index("Whole guide.") < en.index('class="ww-steps"')
    assert '<p class="ww-facts__local">Only the appointment.</p>' in steps_of(en)["termin"]
    ar = render(site, "anmeldung", "ar", edition)
    assert '<span lang="de" dir="auto">Ganze Anleitung.</span>' in ar
    assert '<p class="ww-facts__local" lang="de" dir="auto">Nur der Termin.</p>' in steps_of(ar)["termin"]


def test_a_step_id_wins_over_a_language_code():
    edition = {"notes": {"g": {"de": "Schritt de", "en": "Guide"}}}
    assert guide_note(edition, "g", "de", ["de", "en"], ["de"]) == (None, None), "'de' is a step of g, so there is no German guide note"
    assert guide_note(edition, "g", "en", ["de", "en"], ["de"]) == ("Guide", "en")
    assert guide_note(edition, "g", "de", ["de", "en"], []) == ("Schritt de", "de")
    assert note_for(edition, "g", "de", "en") == "Schritt de"


@pytest.mark.parametrize(
    "notes",
    [["anmeldung"], {"anmeldung": ["termin"]}, {"anmeldung": {"termin": ["x"]}}, {"anmeldung": None}, {"anmeldung": 3}, "text", None],
)
def test_readers_of_notes_never_crash_on_unchecked_shapes(notes):
    edition = {"notes": notes, "offices": notes}
    assert note_for(edition, "anmeldung", "termin", "de") in (None, "x")
    guide_note(edition, "anmeldung", "de", ["de"], ["termin"])
    assert local_office(edition, "meldebehoerde", "de") is None


def test_office_name_and_hours_per_language(fixture_site):
    text = "name: N\noffices:\n  meldebehoerde:\n    name: {de: Bürgerbüro N, en: Citizens' office N}\n    address: Markt 1\n    hours: {de: Mo 8–12 Uhr, en: Mon 8–12}\n"
    site, edition, found = fixture_site(text)
    assert found == []
    en = steps_of(render(site, "anmeldung", "en", edition))["termin"]
    assert '<strong class="ww-office__name">Citizens&#39; office N</strong>' in en and ">Mon 8–12<" in en
    assert '<span class="ww-office__address" lang="de" dir="auto">Markt 1</span>' in en, "an address stays German"
    ar = steps_of(render(site, "anmeldung", "ar", edition))["termin"]
    assert '<strong class="ww-office__name" lang="de" dir="auto">Bürgerbüro N</strong>' in ar


# ----------------------------------------------------------------------------------------------
# The edition's own address
# ----------------------------------------------------------------------------------------------


def test_site_url_of_an_edition_reaches_every_address():
    edition, _ = load_edition(REAL, "musterstadt")
    base = edition["site_url"]
    assert generate.site_url(REAL) == "https://wegweiser.example.org/"
    assert generate.site_url(REAL, edition) == base
    assert generate.guide_url(REAL, "anmeldung", "fa", edition=edition) == f"{base}fa/anmeldung/"
    assert generate.page_context(REAL, "anmeldung", "fa", 3, edition)["guide_url"] == f"{base}fa/anmeldung/"
    export = generate.export_guides(REAL, "en", lambda md: md, edition)
    assert export["schema"] == f"{base}schema/guides.schema.json"
    assert {g["url"] for g in export["guides"]} == {f"{base}en/{g.slug}/" for g in REAL.guides()}
    assert f'"url": "{base}ar/anmeldung/"' in generate.json_ld(REAL, "anmeldung", "ar", edition)
    assert f"&lt;iframe src=&#34;{base}uk/embed/anmeldung/&#34;" in render(REAL, "anmeldung", "uk", edition) or (
        f'&lt;iframe src="{base}uk/embed/anmeldung/"' in render(REAL, "anmeldung", "uk", edition)
    )
    assert "wegweiser.example.org/uk/embed/anmeldung/" in render(REAL, "anmeldung", "uk", None)


def test_redirects_of_an_edition_point_to_its_address(tmp_path):
    from wegweiser.redirects import write_redirects

    edition, _ = load_edition(REAL, "musterstadt")
    write_redirects(REAL, tmp_path, {"wohnsitz-anmelden": "anmeldung"}, edition)
    page = (tmp_path / "en" / "print" / "wohnsitz-anmelden" / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{edition["site_url"]}en/print/anmeldung/">' in page


def test_a_trailing_slash_is_added_to_the_edition_address(fixture_site):
    site, edition, found = fixture_site("name: N\nsite_url: https://n.example/wegweiser\noffices:\n  meldebehoerde: {name: B, address: A}\n")
    assert found == []
    assert generate.guide_url(site, "anmeldung", "en", edition=edition) == "https://n.example/wegweiser/en/anmeldung/"


# ----------------------------------------------------------------------------------------------
# The overview page
# ----------------------------------------------------------------------------------------------


def test_overview_shows_the_city_office_where_a_step_has_one():
    edition, _ = load_edition(REAL, "musterstadt")
    html = generate.overview_html(REAL, "de", edition)
    assert "Musterstadt" not in generate.overview_html(REAL, "de")
    # One list item per step, from its link to the step to the next step.
    items = {f"{m[0]}#{m[1]}": m[2] for m in re.findall(r'<a href="\.\./([\w-]+)/#([\w-]+)">(.*?)(?=<a href="\.\./[\w-]+/#|<h2|$)', html, re.S)}
    shown = 0
    for guide in REAL.guides():
        facts = guide.meta.get("facts") or {}
        for step in guide.steps:
            office = (facts.get(step.id) or {}).get("office")
            item = items.get(f"{guide.slug}#{step.id}")
            if item is None or not office:
                continue  # a step without an office (or not listed with its facts)
            if is_local(REAL.project, office):
                assert local_office(edition, office, "de")["name"] in item, f"{guide.slug}#{step.id}"
                shown += 1
            else:
                assert "Musterstadt" not in item, f"{guide.slug}#{step.id}: '{office}' is not a local office"
    assert shown >= 10


# ----------------------------------------------------------------------------------------------
# Bad input is a finding, never a traceback
# ----------------------------------------------------------------------------------------------

ODD = [
    "",
    "~",
    "- a\n- b\n",
    "name: X\n---\nname: Y\n",
    "name: !!binary aGVsbG8=\n",
    "name: X\noffices: 3\nnotes: 4\n",
    "name: X\noffices:\n  meldebehoerde: [a]\n  jobcenter: 7\n",
    "name: X\noffices:\n  ? [a, b]\n  : x\n",
    "name: X\noffices:\n  meldebehoerde: {name: 1, address: [2], hours: {de: [3]}, phone: [4], website: 5, appointment: {a: b}}\n",
    "name: X\nnotes:\n  anmeldung: {termin: {de: {x: y}}, de: [1], 3: x}\n",
    "name: X\nnotes:\n  1: x\n  true: y\n  anmeldung: 2020-01-01\n",
    "name: &a X\nsite_url: *a\nnotes: {anmeldung: {termin: *a}}\n",
    "name: X\nsite_url: https://[::1\n",
    "name: X\nsite_url: [https://x.example/]\n",
    "name: {de: X, xx: Y, en: [1]}\n",
    "\ufeffname: X\r\noffices: {}\r\n",
    "name: X\n\tbad: tab\n",
    "name: X\noffices: &o\n  meldebehoerde: *o\n",
    "name: X\nnotes: &n\n  anmeldung: {termin: *n}\n",
]


@pytest.mark.parametrize("text", ODD)
def test_odd_edition_files_give_findings_never_a_traceback(fixture_site, text):
    site, edition, found = fixture_site(text)
    for f in found:
        assert f.path == "data/editions/x.yml" and f.line >= 1 and f.col >= 1 and f.rule.startswith(("Edition.", "File.")), f.format()
    if edition is not None:
        for lang in ("de", "en", "ar"):
            render(site, "anmeldung", lang, edition)
            generate.overview_html(site, lang, edition)
    else:
        assert any(f.level == "error" for f in found)
