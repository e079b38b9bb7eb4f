"""What a person sees, in real Chromium: phones, right-to-left, offline, checklist, search, embeds,
print views, QR codes, accessibility, and no request leaving the site."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from wegweiser.config import load_project
from wegweiser.site import load_site

pytestmark = [pytest.mark.browser, pytest.mark.build]
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
PROJECT = load_project(ROOT)
SITE = load_site(PROJECT)
LANGS = PROJECT.codes
GUIDES = [g.slug for g in SITE.guides()]
PHONE = {"width": 360, "height": 800}


@pytest.fixture
def page(browser, real_server):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, service_workers="allow")
    outside: list[str] = []
    context.route(
        "**/*", lambda route: (outside.append(route.request.url), route.abort()) if not route.request.url.startswith(real_server.url) else route.continue_()
    )
    pg = context.new_page()
    pg.outside = outside
    pg.base = real_server.url
    yield pg
    assert outside == [], f"requests left the site: {outside}"
    context.close()


def no_horizontal_scroll(pg) -> bool:
    return pg.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_phone_screenshot_guide(page, lang):
    prefix = "" if lang == "de" else f"{lang}/"
    page.goto(page.base + f"{prefix}anmeldung/")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"phone-anmeldung-{lang}.png"), full_page=True)
    assert no_horizontal_scroll(page)
    direction = page.evaluate("getComputedStyle(document.querySelector('article')).direction")
    assert direction == ("rtl" if lang == "ar" else "ltr")
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('article p')).fontSize)") >= 16


def test_checklist_survives_reload_and_language_switch(page):
    page.goto(page.base + "anmeldung/")
    first = page.locator(".ww-done__box").first
    first.check()
    assert "1" in page.locator(".ww-progress__status").inner_text()
    page.reload()
    assert page.locator(".ww-done__box").first.is_checked()
    page.goto(page.base + "ar/anmeldung/")
    assert page.locator(".ww-done__box").first.is_checked()
    assert page.evaluate("JSON.parse(localStorage.getItem('ww-progress'))") == {"anmeldung": {"bestaetigung": True}}
    page.locator(".ww-progress__clear").click()
    assert not page.locator(".ww-done__box").first.is_checked()
    assert page.evaluate("localStorage.getItem('ww-progress')") == "{}"


def test_checklist_with_keyboard(page):
    page.goto(page.base + "en/anmeldung/")
    box = page.locator(".ww-done__box").nth(1)
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    assert box.get_attribute("aria-describedby") == "termin"


def test_reload_works_offline_after_first_visit(page):
    page.goto(page.base + "uk/anmeldung/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now controlled by the service worker, which caches the page
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.reload()
    page.context.set_offline(True)
    page.reload()
    assert page.locator("h1").inner_text()
    assert page.locator(".admonition.consequence").count() >= 3
    page.context.set_offline(False)


def test_save_whole_guide_shows_size_first(page):
    page.goto(page.base + "anmeldung/")
    buttons = page.locator(".ww-tools__offline button")
    buttons.first.wait_for()
    assert "KB" in buttons.first.inner_text() and "KB" in buttons.nth(1).inner_text()
    buttons.first.click()
    page.wait_for_function("document.querySelector('.ww-offline__status').textContent.length > 0")
    assert page.evaluate("caches.open('ww-saved').then(c => c.keys()).then(k => k.length)") >= 1


@pytest.mark.parametrize(("lang", "word"), [("uk", "реєстрац"), ("fa", "گواهی"), ("ru", "регистрац"), ("ar", "التسجيل")])
def test_search_finds_words_in_the_readers_language(page, lang, word):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(page.base + f"{lang}/suche/")
    assert not any("ww-search.json" in r for r in requests), "the index loads only when the reader searches"
    page.fill("#ww-search-q", word)
    page.wait_for_function("document.querySelectorAll('.ww-search__results li').length > 0")
    index_requests = [r for r in requests if "ww-search.json" in r]
    assert index_requests and all(f"/{lang}/ww-search.json" in r for r in index_requests)


def test_no_search_index_on_first_visit(page):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(page.base + "anmeldung/")
    page.wait_for_load_state("networkidle")
    assert not any("search" in r for r in requests), requests


@pytest.mark.parametrize("path", ["ar/embed/anmeldung/", "embed/anmeldung/termin/", "fa/embed/integrationskurs/"])
def test_embed_fits_a_phone_and_links_back(page, path):
    page.goto(page.base + path)
    assert no_horizontal_scroll(page)
    assert page.locator(".md-header, .md-nav").count() == 0
    assert page.locator("a[target=_blank]").first.get_attribute("href").startswith("https://")
    rtl = path.startswith(("ar/", "fa/"))
    assert page.evaluate("document.documentElement.dir") == ("rtl" if rtl else "ltr")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"embed-{path.strip('/').replace('/', '-')}.png"), full_page=True)


def load_handouts_script():
    """scripts/handouts.py as a module: its page count and the list of three-page handouts."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("handouts", ROOT / "scripts" / "handouts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HANDOUTS = load_handouts_script()
THREE_PAGES = HANDOUTS.three_page_handouts()


@pytest.fixture(scope="module")
def print_page(browser, real_server):
    """One browser page for all handouts, with print media, that may not load anything from elsewhere."""
    context = browser.new_context(viewport={"width": 800, "height": 1100})
    outside: list[str] = []
    context.route(
        "**/*", lambda route: (outside.append(route.request.url), route.abort()) if not route.request.url.startswith(real_server.url) else route.continue_()
    )
    pg = context.new_page()
    # Every handout in one page: on a busy 2-core machine a load took over the default 30 s (clean-clone runs).
    pg.set_default_navigation_timeout(90_000)
    pg.emulate_media(media="print")
    pg.base = real_server.url
    yield pg
    assert outside == [], f"requests left the site: {outside}"
    context.close()


def test_three_page_list_names_real_handouts_with_a_reason():
    for key, reason in THREE_PAGES.items():
        lang, _, slug = key.partition("/")
        assert lang in LANGS and slug in GUIDES, f"{HANDOUTS.THREE_PAGES.name}: no handout {key!r}"
        assert reason, f"{HANDOUTS.THREE_PAGES.name}: give the reason why {key} needs three pages"


@pytest.mark.parametrize("slug", GUIDES)
@pytest.mark.parametrize("lang", LANGS)
def test_handout_fits_two_a4_pages(print_page, lang, slug):
    page = print_page
    prefix = "" if lang == "de" else f"{lang}/"
    page.goto(page.base + f"{prefix}print/{slug}/")
    assert page.evaluate("document.documentElement.dir") == ("rtl" if PROJECT.rtl(lang) else "ltr")

    # On paper: every step with benefit, consequence and facts, one review date, one notice, the QR code.
    visible = "sel => [...document.querySelectorAll(sel)].filter(e => e.checkVisibility()).length"
    steps = page.evaluate(visible, "main h2[id]:not(#quellen)")
    facts = SITE.source(slug).meta.get("facts") or {}
    assert steps == len(SITE.source(slug).steps) >= 1
    assert page.evaluate(visible, ".admonition.benefit") == steps
    assert page.evaluate(visible, ".admonition.consequence") == steps
    assert page.evaluate(visible, ".ww-facts") == sum(1 for entry in facts.values() if entry)
    assert page.evaluate(visible, ".ww-reviewed") == 1
    assert page.evaluate(visible, ".ww-notice--machine") == page.locator(".ww-notice--machine").count() <= 1
    assert page.evaluate(visible, ".ww-steps, .ww-tools, details:not([open]) > summary") == 0
    guide_url = page.locator("link[rel=canonical]").get_attribute("href")
    assert guide_url.endswith(f"/{prefix}{slug}/")
    assert page.locator(".ww-print__qr svg title").text_content() == guide_url

    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    if slug == "anmeldung":
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"handout-anmeldung-{lang}.pdf").write_bytes(pdf)
    pages = HANDOUTS.pdf_pages(pdf)
    key = f"{lang}/{slug}"
    if key in THREE_PAGES:
        assert pages == 3, f"{key} has {pages} pages: delete it from {HANDOUTS.THREE_PAGES.name}"
    else:
        assert 1 <= pages <= 2, f"{key} has {pages} A4 pages: shorten it, or list it with a reason in {HANDOUTS.THREE_PAGES.name}"


@pytest.mark.parametrize("lang", ["de", "fa"])
def test_qr_code_decodes_to_the_guide(page, lang):
    import zxingcpp
    from PIL import Image

    prefix = "" if lang == "de" else f"{lang}/"
    page.set_viewport_size({"width": 800, "height": 1000})
    page.goto(page.base + f"{prefix}print/anmeldung/")
    page.evaluate("document.querySelector('.ww-print__qr svg').style.cssText = 'width:400px;height:400px'")
    png = page.locator(".ww-print__qr svg").screenshot()
    image = Image.open(io.BytesIO(png)).convert("L")
    results = zxingcpp.read_barcodes(image)
    assert [r.text for r in results] == [f"https://wegweiser.example.org/{prefix}anmeldung/"]


def test_without_javascript_everything_is_readable(browser, real_server):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    pg = context.new_page()
    pg.goto(real_server.url + "ar/anmeldung/")
    steps = pg.locator("h2[id]:not(#quellen)").count()
    assert steps >= 3
    assert pg.locator(".admonition.benefit").count() == steps
    assert pg.locator(".admonition.consequence").count() == steps
    assert pg.locator(".admonition.consequence").first.is_visible()
    context.close()


def test_read_aloud_only_with_a_voice(browser, real_server):
    context = browser.new_context(viewport=PHONE)
    pg = context.new_page()
    pg.goto(real_server.url + "anmeldung/")
    has_voice = pg.evaluate("speechSynthesis.getVoices().some(v => v.lang.startsWith('de'))")
    assert (pg.locator(".ww-read").count() > 0) == has_voice
    context.close()
    context = browser.new_context(viewport=PHONE)
    context.add_init_script("Object.defineProperty(speechSynthesis, 'getVoices', {value: () => [{lang: 'de-DE', name: 'Test'}]})")
    pg = context.new_page()
    pg.goto(real_server.url + "anmeldung/")
    assert pg.locator(".ww-read").count() == pg.locator(".ww-steps li").count()
    context.close()


def test_german_term_shows_explanation_on_tap(page):
    page.goto(page.base + "en/anmeldung/")
    term = page.locator(".ww-term").first
    tip = term.locator(".ww-term__tip")
    assert tip.bounding_box()["width"] <= 2
    term.focus()
    assert tip.bounding_box()["width"] > 50


def test_no_cookies_and_only_own_origin(page):
    for path in ["", "ar/", "anmeldung/", "fa/pflichten/", "glossar/", "uk/suche/", "embed/anmeldung/", "ar/print/anmeldung/"]:
        page.goto(page.base + path, wait_until="load")
    assert page.context.cookies() == []


AXE_PAGES = ["", "anmeldung/", "embed/anmeldung/", "print/anmeldung/", "ar/", "ar/anmeldung/", "ar/embed/anmeldung/", "ar/print/anmeldung/"]


@pytest.mark.parametrize("path", AXE_PAGES)
def test_axe_reports_no_violations(page, path):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(page.base + path)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}})
    violations = results.response["violations"]
    report = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    assert report == []


def test_tap_targets_are_at_least_44px(page):
    page.goto(page.base + "anmeldung/")
    small = page.evaluate(
        """() => [...document.querySelectorAll('.ww-steps a, .ww-button, .ww-done__label')]
             .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44).map(e => e.outerHTML.slice(0, 80))"""
    )
    assert small == []


def test_local_edition_shows_city_offices(tmp_path):
    import json

    from conftest import FIXTURE_LANGS, make_site, run_build

    from wegweiser.config import load_project
    from wegweiser.editions import is_local, local_office
    from wegweiser.generate import qr_svg, split_steps
    from wegweiser.site import load_site

    root = make_site(tmp_path / "p")
    (root / "data" / "editions" / "musterstadt.yml").write_text(
        (Path(__file__).resolve().parent.parent / "data" / "editions" / "musterstadt.yml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = run_build(root, env={"WEGWEISER_EDITION": "musterstadt"})
    assert result.returncode == 0, result.stdout + result.stderr
    site = root / "site"
    html = (site / "anmeldung" / "index.html").read_text(encoding="utf-8")
    assert "Bürgerbüro Musterstadt (Beispiel)" in html and "Marktplatz 1, 99999 Musterstadt" in html
    assert "In Musterstadt können Sie ohne Termin kommen." in html
    en = (site / "en" / "anmeldung" / "index.html").read_text(encoding="utf-8")
    assert "In Musterstadt you can come without an appointment." in en

    # Every step whose office is local shows the city's office: on the page, the handout and the step embed.
    import yaml

    edition = yaml.safe_load((root / "data" / "editions" / "musterstadt.yml").read_text(encoding="utf-8"))
    model = load_site(load_project(root))
    checked = 0
    for guide in model.guides():
        facts = guide.meta.get("facts") or {}
        local = {s.id: facts[s.id]["office"] for s in guide.steps if is_local(model.project, (facts.get(s.id) or {}).get("office", ""))}
        for lang in FIXTURE_LANGS:
            prefix = "" if lang == "de" else f"{lang}/"
            _, page_steps, _ = split_steps((site / prefix / guide.slug / "index.html").read_text(encoding="utf-8"))
            _, print_steps, _ = split_steps((site / prefix / "print" / guide.slug / "index.html").read_text(encoding="utf-8"))
            for sid, office in local.items():
                name = local_office(edition, office, lang)["name"]
                embed = (site / prefix / "embed" / guide.slug / sid / "index.html").read_text(encoding="utf-8")
                for where, text in (("page", page_steps[sid]), ("print view", print_steps[sid]), ("embed", embed)):
                    assert 'class="ww-office__name"' in text and name in text, f"{prefix}{guide.slug}#{sid} ({where}) does not show {name}"
                checked += 1
    assert checked >= len(FIXTURE_LANGS), "the fixture must have a step with a local office"

    # The note on the whole guide stands on top, before the list of steps.
    note = "In Musterstadt melden Sie sich im Bürgerbüro am Marktplatz an."
    assert html.index(note) < html.index('class="ww-steps"')
    assert "In Musterstadt, you register at the Bürgerbüro on the market square." in en

    # Addresses point to the city's own build: canonical, QR code, embed snippet, JSON-LD, open data.
    base = edition["site_url"]
    assert f'<link rel="canonical" href="{base}anmeldung/">' in html
    assert f'<link rel="canonical" href="{base}en/anmeldung/">' in en
    assert f"&lt;iframe src=&#34;{base}en/embed/anmeldung/&#34;" in en or f'&lt;iframe src="{base}en/embed/anmeldung/"' in en
    assert f'"url": "{base}en/anmeldung/"' in en
    printed = (site / "ar" / "print" / "anmeldung" / "index.html").read_text(encoding="utf-8")
    assert qr_svg(f"{base}ar/anmeldung/") in printed, "the handout's QR code must encode the edition's address"
    export = json.loads((site / "en" / "export" / "guides.json").read_text(encoding="utf-8"))
    assert export["guides"][0]["url"] == f"{base}en/anmeldung/"
    assert "wegweiser.example.org" not in html + en + printed

    national = run_build(root)
    assert national.returncode == 0
    html = (site / "anmeldung" / "index.html").read_text(encoding="utf-8")
    assert "Bürgerbüro Musterstadt" not in html and note not in html
    assert '<link rel="canonical" href="https://wegweiser.example.org/anmeldung/">' in html


OFFICE = "name: X\noffices:\n  meldebehoerde:\n    name: R\n    address: A\n"
STEP_NOTE = "name: X\nnotes:\n  anmeldung:\n    termin: "
BAD = "data/editions/bad.yml"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "name: X\noffices:\n  rathaus:\n    name: R\n    address: A\n",
            f"{BAD}:3:3: error [Edition.UnknownOffice] unknown office 'rathaus'; known offices are in data/offices.yml",
        ),
        (
            "name: X\noffices:\n  meldebehörde:\n    name: R\n    address: A\n",
            f"{BAD}:3:3: error [Edition.UnknownOffice] unknown office 'meldebehörde'; did you mean 'meldebehoerde'? known offices are in data/offices.yml",
        ),
        ("name: X\noffices:\n  meldebehoerde:\n    name: R\n", f"{BAD}:3:3: error [Edition.Field] office 'meldebehoerde' needs 'address'"),
        (
            OFFICE + "    adress: B\n",
            f"{BAD}:6:5: error [Edition.Field] office 'meldebehoerde': unknown field 'adress'; did you mean 'address'?",
        ),
        (
            OFFICE + "    website: http://x.example\n",
            f"{BAD}:6:14: error [Edition.Url] office 'meldebehoerde': website 'http://x.example' is not an https URL",
        ),
        (
            OFFICE + "    appointment: https://termine.x.example/bürger büro\n",
            f"{BAD}:6:18: error [Edition.Url] office 'meldebehoerde': appointment 'https://termine.x.example/bürger büro' contains a space or line break;"
            " write the address without spaces",
        ),
        (
            OFFICE + "    phone: 0301234\n",
            f"{BAD}:6:12: error [Edition.Phone] office 'meldebehoerde': phone 0301234 was read as the number 98972;"
            ' put the phone number in quotes: phone: "0301234"',
        ),
        (
            "name: X\noffices:\n  meldebehoerde:\n    name: {en: Citizens' office}\n    address: A\n",
            f"{BAD}:4:5: error [Edition.Language] office 'meldebehoerde': name has no text in 'de' (the source language);"
            " add it: readers of languages without their own text see it",
        ),
        (
            OFFICE + "  meldebehoerde:\n    name: S\n    address: B\n",
            f"{BAD}:6:3: error [Edition.Duplicate] 'offices.meldebehoerde' is given twice (first at line 3); YAML keeps only this one, so merge the two",
        ),
        (
            "offices:\n  meldebehoerde:\n    name: R\n    address: A\n",
            f"{BAD}:1:1: error [Edition.Field] edition needs a 'name': the city's name, e.g. name: Neustadt",
        ),
        ("name: X\nofices:\n  meldebehoerde:\n    name: R\n", f"{BAD}:2:1: error [Edition.UnknownKey] unknown key 'ofices'; did you mean 'offices'?"),
        ("name: X\ncity: Y\n", f"{BAD}:2:1: error [Edition.UnknownKey] unknown key 'city'; known keys: name, site_url, offices, notes"),
        ("name: X\nsite_url: http://w.x.example/\n", f"{BAD}:2:11: error [Edition.Url] site_url 'http://w.x.example/' is not an https URL"),
        ("name: X\nnotes:\n  abmeldung:\n    termin: Hallo\n", f"{BAD}:3:3: error [Edition.UnknownGuide] unknown guide 'abmeldung'; did you mean 'anmeldung'?"),
        (
            "name: X\nnotes:\n  anmeldung:\n    frist: Hallo\n",
            f"{BAD}:4:5: error [Edition.UnknownStep] guide 'anmeldung' has no step 'frist';"
            " keys under a guide are its step ids, or language codes for a note on the whole guide",
        ),
        (
            "name: X\nnotes: [anmeldung]\n",
            f"{BAD}:2:8: error [Edition.Type] 'notes' must map guides to a note, or to notes per step: see wegweiser/editions.py",
        ),
        (
            "name: X\nnotes:\n  anmeldung: [termin]\n",
            f"{BAD}:3:14: error [Edition.Type] the notes of guide 'anmeldung' must be a text, texts per language (de: …) or notes per step (termin: …), not a list",
        ),
        (
            STEP_NOTE + "[Hallo]\n",
            f"{BAD}:4:13: error [Edition.Type] the note of step 'anmeldung#termin' must be a text or a text per language (de: …, en: …), not a list",
        ),
        (
            STEP_NOTE + "{de: Hallo, xx: Hi}\n",
            f"{BAD}:4:25: error [Edition.Language] the note of step 'anmeldung#termin': unknown language 'xx'; languages: de, en, ar",
        ),
        (
            STEP_NOTE + "{en: Hello}\n",
            f"{BAD}:4:5: error [Edition.Language] the note of step 'anmeldung#termin' has no text in 'de' (the source language);"
            " add it: readers of languages without their own text see it",
        ),
        (STEP_NOTE + "{de: 3}\n", f"{BAD}:4:18: error [Edition.Type] the note of step 'anmeldung#termin': the 'de' text must be a non-empty text"),
        ('name: "X\n', f"{BAD}:2:1: error [Edition.YAML] invalid YAML: found unexpected end of stream"),
    ],
)
def test_bad_edition_fails_with_file_and_line(tmp_path, monkeypatch, text, expected):
    from conftest import make_site

    from wegweiser.config import load_project
    from wegweiser.editions import load_edition
    from wegweiser.site import load_site

    root = make_site(tmp_path / "p")
    (root / "data" / "editions" / "bad.yml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(root)
    edition, found = load_edition(load_site(load_project(root)), "bad")
    assert expected in [f.format() for f in found]
    assert edition is None, "nothing renders from an edition with errors (mkdocs serve keeps running after them)"
