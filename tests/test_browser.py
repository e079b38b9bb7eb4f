"""What a person sees, in real Chromium: phones, right-to-left, offline, checklist, search, embeds,
print views, QR codes, accessibility, and no request leaving the site."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.build]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
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


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_print_view_is_a4_with_every_step_open(page, lang):
    prefix = "" if lang == "de" else f"{lang}/"
    page.goto(page.base + f"{prefix}print/anmeldung/")
    assert page.locator(".admonition.benefit").count() == page.locator("h2[id]").count() - page.locator("h2#quellen").count()
    assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")
    pdf = page.pdf(format="A4", print_background=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"handout-anmeldung-{lang}.pdf").write_bytes(pdf)
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert 1 <= pages <= 3, pages


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
    from conftest import make_site, run_build

    root = make_site(tmp_path / "p")
    (root / "data" / "editions" / "musterstadt.yml").write_text(
        (Path(__file__).resolve().parent.parent / "data" / "editions" / "musterstadt.yml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = run_build(root, env={"WEGWEISER_EDITION": "musterstadt"})
    assert result.returncode == 0, result.stdout + result.stderr
    html = (root / "site" / "anmeldung" / "index.html").read_text(encoding="utf-8")
    assert "Bürgerbüro Musterstadt (Beispiel)" in html and "Marktplatz 1, 99999 Musterstadt" in html
    assert "In Musterstadt können Sie ohne Termin kommen." in html
    en = (root / "site" / "en" / "anmeldung" / "index.html").read_text(encoding="utf-8")
    assert "In Musterstadt you can come without an appointment." in en
    national = run_build(root)
    assert "Bürgerbüro Musterstadt" not in (root / "site" / "anmeldung" / "index.html").read_text(encoding="utf-8")
    assert national.returncode == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "name: X\noffices:\n  rathaus:\n    name: R\n    address: A\n",
            "data/editions/bad.yml:3:1: error [Edition.UnknownOffice] unknown office 'rathaus'; known offices are in data/offices.yml",
        ),
        ("name: X\noffices:\n  meldebehoerde:\n    name: R\n", "data/editions/bad.yml:3:1: error [Edition.Field] office 'meldebehoerde' needs 'address'"),
        (
            "name: X\noffices:\n  meldebehoerde:\n    name: R\n    address: A\n    website: http://x.example\n",
            "data/editions/bad.yml:6:1: error [Edition.Url] office 'meldebehoerde': website 'http://x.example' is not an https URL",
        ),
        ("name: X\nnotes:\n  abmeldung:\n    termin: Hallo\n", "data/editions/bad.yml:3:1: error [Edition.UnknownGuide] unknown guide 'abmeldung'"),
        ("name: X\nnotes:\n  anmeldung:\n    frist: Hallo\n", "data/editions/bad.yml:4:1: error [Edition.UnknownStep] guide 'anmeldung' has no step 'frist'"),
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
    _, found = load_edition(load_site(load_project(root)), "bad")
    assert expected in [f.format() for f in found]
