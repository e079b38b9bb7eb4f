"""The built HTML of the fixture site: direction, steps, labels, facts, sources."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.build


class Outline(HTMLParser):
    """Collect what the tests look at: html/body attributes, h2 ids, admonition classes."""

    def __init__(self):
        super().__init__()
        self.html_attrs: dict = {}
        self.body_attrs: dict = {}
        self.h2_ids: list[str] = []
        self.steps: list[dict] = []
        self.classes: list[str] = []
        self._in_title = False
        self.titles: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_attrs = a
        if tag == "body":
            self.body_attrs = a
        cls = a.get("class") or ""
        self.classes += cls.split()
        if tag == "h2" and a.get("id") and "ww-end__title" not in cls:
            self.h2_ids.append(a["id"])
            self.steps.append({"id": a["id"], "blocks": []})
        if tag == "div" and "admonition" in cls and self.steps:
            self.steps[-1]["blocks"].append([c for c in cls.split() if c != "admonition"][0])
        if tag == "p" and "admonition-title" in cls:
            self._in_title = True

    def handle_data(self, data):
        if self._in_title:
            self.titles.append(data.strip())
            self._in_title = False


def outline(path) -> Outline:
    parser = Outline()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def page(site, lang, slug="anmeldung"):
    prefix = "" if lang == "de" else f"{lang}/"
    return site / f"{prefix}{slug}" / "index.html"


@pytest.mark.parametrize(("lang", "direction"), [("de", "ltr"), ("en", "ltr"), ("ar", "rtl")])
def test_language_and_direction(built_fixture, lang, direction):
    o = outline(page(built_fixture, lang))
    assert o.html_attrs.get("lang") == lang
    assert o.body_attrs.get("dir") == direction


def test_same_step_ids_in_every_language(built_fixture):
    ids = {lang: outline(page(built_fixture, lang)).h2_ids for lang in ("de", "en", "ar")}
    assert ids["de"] == ["termin", "aufheben"]
    assert ids["en"] == ids["de"] == ids["ar"]


@pytest.mark.parametrize("lang", ["de", "en", "ar"])
def test_every_step_has_benefit_and_consequence(built_fixture, lang):
    for step in outline(page(built_fixture, lang)).steps:
        assert sorted(step["blocks"]) == ["benefit", "consequence"], step


def test_labels_are_localised(built_fixture):
    assert "Ihr Vorteil" in outline(page(built_fixture, "de")).titles
    assert "Wenn Sie das nicht tun" in outline(page(built_fixture, "de")).titles


def test_steps_are_numbered_and_have_facts(built_fixture):
    html = page(built_fixture, "de").read_text(encoding="utf-8")
    assert re.search(r'<h2 id="termin">1\. Beim Bürgeramt anmelden', html)
    assert re.search(r'<h2 id="aufheben">2\. Bestätigung aufheben', html)
    assert "2 Wochen nach dem Einzug" in html
    assert 'href="https://www.gesetze-im-internet.de/bmg/__17.html"' in html


def test_sources_and_review_date(built_fixture):
    html = page(built_fixture, "de").read_text(encoding="utf-8")
    assert "Stand: 10. Januar 2026" in html
    assert "gesetze-im-internet.de/bmg/__17.html</a>" in html


def test_machine_translation_notice(built_fixture):
    assert "ww-notice--machine" in page(built_fixture, "en").read_text(encoding="utf-8")
    assert "ww-notice--machine" not in page(built_fixture, "de").read_text(encoding="utf-8")


def test_switcher_links_to_same_page(built_fixture):
    html = page(built_fixture, "ar").read_text(encoding="utf-8")
    assert 'href="../../en/anmeldung/"' in html
    assert 'hreflang="de"' in html


def test_untranslated_page_shows_german_with_notice_in_readers_language(built_fixture):
    html = (built_fixture / "ar" / "index.html").read_text(encoding="utf-8")
    assert "ww-notice--untranslated" in html
    assert "Willkommen" in html  # the German text
    import yaml
    from conftest import ROOT

    notice = yaml.safe_load((ROOT / "data" / "i18n" / "ar.yml").read_text(encoding="utf-8"))["labels"]["untranslated"]
    assert " ".join(notice.split()) in " ".join(html.split())


def test_embed_print_and_export_exist_per_language(built_fixture):
    for prefix in ("", "en/", "ar/"):
        assert (built_fixture / prefix / "embed" / "anmeldung" / "termin" / "index.html").exists()
        assert (built_fixture / prefix / "print" / "anmeldung" / "index.html").exists()
        assert (built_fixture / prefix / "export" / "guides.json").exists()
    assert "<svg" in (built_fixture / "ar" / "print" / "anmeldung" / "index.html").read_text(encoding="utf-8")


def test_reports_written_with_every_build(built_fixture):
    import json

    report = json.loads((built_fixture / "reports" / "report.json").read_text(encoding="utf-8"))
    row = next(r for r in report["pages"] if r["slug"] == "anmeldung")
    assert row["languages"]["de"]["state"] == "source"
    assert row["languages"]["en"]["state"] == "machine"
    assert any(s["metric"] == "max_sentence_length" for s in row["languages"]["ar"]["scores"])
    html = (built_fixture / "reports" / "index.html").read_text(encoding="utf-8")
    assert "Redaktionsbericht" in html and 'name="robots" content="noindex"' in html
    assert json.loads((built_fixture / "reports" / "findings.json").read_text(encoding="utf-8")) is not None
    nav = (built_fixture / "index.html").read_text(encoding="utf-8")
    assert "reports/" not in nav


def test_one_404_page_for_every_language(built_fixture):
    html = (built_fixture / "404.html").read_text(encoding="utf-8")
    assert '<html lang="de">' in html
    for code in ("de", "en", "ar"):
        assert f'<li lang="{code}"' in html
    assert '<li lang="ar" dir="rtl">' in html


def test_service_worker_precaches_what_reader_pages_load_and_nothing_else(built_fixture):
    sw = (built_fixture / "sw.js").read_text(encoding="utf-8")
    core = set(json.loads(re.search(r"const CORE = (\[.*?\]);", sw).group(1)))
    html = page(built_fixture, "de").read_text(encoding="utf-8")
    loaded = {m.removeprefix("../") for m in re.findall(r'(?:href|src)="(\.\./assets/[^"]+\.(?:css|js))"', html)}
    assert loaded and loaded <= core, f"a reader page loads {loaded - core}, which is not precached"
    assert not {"assets/ww/embed.css", "assets/ww/print.css", "assets/ww/report.css"} & core
    assert all((built_fixture / p).is_file() for p in core)
