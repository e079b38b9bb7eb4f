"""The real site: every page in seven languages, same steps everywhere, open data, stable URLs."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from wegweiser.config import load_project
from wegweiser.site import load_site

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.build
PROJECT = load_project(ROOT)
SITE = load_site(PROJECT)
LANGS = PROJECT.codes
GUIDES = [g.slug for g in SITE.guides()]
PAGES = [s for s in SITE.slugs() if SITE.source(s).kind in ("guide", "page", "start", "generated")]


def prefix(lang):
    return "" if lang == "de" else f"{lang}/"


def html_of(site, lang, slug):
    path = site / prefix(lang) / ("" if slug == "index" else slug) / "index.html"
    return path.read_text(encoding="utf-8")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.h2, self.attrs = [], [], {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        if tag == "h2" and a.get("id") and "ww-end__title" not in (a.get("class") or ""):
            self.h2.append(a["id"])
        if tag in ("html", "body"):
            self.attrs[tag] = a


def parse(html):
    p = Links()
    p.feed(html)
    return p


def test_content_has_no_errors():
    from wegweiser.checks import run_all

    errors = [f.format() for f in run_all(SITE) if f.level == "error"]
    assert errors == []


def test_sixteen_pages_in_seven_languages():
    assert len(LANGS) == 7
    content = [s for s in SITE.slugs() if SITE.source(s).kind in ("guide", "page", "start") and s not in ("datenschutz", "barrierefreiheit")]
    assert len(content) >= 16
    missing = [f"{s}.{lang}" for s in content for lang in LANGS[1:] if SITE.page(s, lang) is None]
    assert missing == []


class FocusInLinks(HTMLParser):
    """Elements that can take focus (tabindex, buttons, inputs) inside a link: HTML forbids them there."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        if self.depth and ("tabindex" in names or tag in {"a", "button", "input", "select", "textarea"}):
            self.found.append(f"<{tag} {' '.join(sorted(names))}> at line {self.getpos()[0]}")
        if tag == "a":
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "a" and self.depth:
            self.depth -= 1


def test_no_focusable_element_inside_a_link(real_site):
    """Glossary terms in brackets are focusable; inside a link's text they stay plain (Nu HTML Checker)."""
    found = {}
    for page in real_site.rglob("*.html"):
        parser = FocusInLinks()
        parser.feed(page.read_text(encoding="utf-8"))
        if parser.found:
            found[str(page.relative_to(real_site))] = parser.found[:3]
    assert found == {}, found


def test_terms_in_link_text_stay_plain_and_are_explained_at_their_next_use():
    from wegweiser.render import mark_terms

    site = load_site(load_project(ROOT))
    seen: set[str] = set()
    linked = mark_terms(site, "ar", "[مكتب (Beitragsservice)](https://www.rundfunkbeitrag.de/) و(Beitragsservice)", seen)
    assert linked.startswith('[مكتب (<bdi lang="de">Beitragsservice</bdi>)](https://www.rundfunkbeitrag.de/)'), linked
    assert linked.count('class="ww-term"') == 1 and linked.index('class="ww-term"') > linked.index("](https://")


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_built_with_language_and_direction(real_site, lang):
    for slug in PAGES:
        p = parse(html_of(real_site, lang, slug))
        assert p.attrs["html"]["lang"] == lang
        assert p.attrs["body"]["dir"] == ("rtl" if lang in ("ar", "fa") else "ltr")


@pytest.mark.parametrize("slug", GUIDES)
def test_same_step_ids_in_every_language(real_site, slug):
    ids = {lang: parse(html_of(real_site, lang, slug)).h2 for lang in LANGS}
    expected = [s.id for s in SITE.source(slug).steps]
    assert all(v == expected for v in ids.values()), ids


def hrefs_inside(html, start_tag):
    """The link targets inside the first element that opens with ``start_tag`` (up to its end tag)."""
    at = html.index(start_tag)
    name = re.match(r"<(\w+)", start_tag).group(1)
    end = html.index(f"</{name}>", at)
    return re.findall(r'<a\b[^>]*\bhref="([^"]*)"', html[at:end])


@pytest.mark.parametrize("lang", LANGS)
def test_any_step_within_three_taps_from_start(real_site, lang):
    # Only links a reader sees in the content count: not the menu drawer, not heading anchors.
    start = hrefs_inside(html_of(real_site, lang, "index"), '<article class="md-content__inner')
    for slug in GUIDES:
        # tap 1: the start page's text links the guide
        assert any(re.fullmatch(rf"(\./)?{slug}/", h) for h in start), (lang, slug)
        # tap 2: the guide's list of steps links every step
        html = html_of(real_site, lang, slug)
        steps = hrefs_inside(html, '<nav class="ww-steps"')
        for sid in parse(html).h2:
            assert f"#{sid}" in steps, (lang, slug, sid)


@pytest.mark.parametrize("lang", LANGS)
def test_export_is_valid_against_schema(real_site, lang):
    import jsonschema

    schema = json.loads((real_site / "schema" / "guides.schema.json").read_text(encoding="utf-8"))
    data = json.loads((real_site / prefix(lang) / "export" / "guides.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)
    assert [g["slug"] for g in data["guides"]] == GUIDES
    assert data["licence"]["name"] == "CC BY 4.0"


def test_json_ld_howto_in_guides(real_site):
    html = html_of(real_site, "ar", "anmeldung")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "HowTo" and data["inLanguage"] == "ar"
    assert [s["url"].rsplit("#", 1)[1] for s in data["step"]] == [s.id for s in SITE.source("anmeldung").steps]


@pytest.mark.parametrize("lang", LANGS)
def test_overview_lists_every_step_with_duty_deadline_office_consequence_and_legal_basis(real_site, lang):
    import html as html_lib

    from wegweiser.facts import step_facts
    from wegweiser.generate import short_consequence

    page = html_lib.unescape(html_of(real_site, lang, "pflichten"))
    labels = {k: PROJECT.text(lang, "labels", k) for k in ("deadline", "legal_basis", "overview_consequence", "none")}
    for guide in SITE.guides():
        shown = SITE.display(guide.slug, lang)
        for step in shown.steps:
            m = re.search(rf'<li><a href="\.\./{guide.slug}/#{step.id}">(.*?)</li>', page, re.S)
            assert m, f"{lang}: step {guide.slug}#{step.id} missing from the overview"
            entry = " ".join(m.group(1).split())
            facts = step_facts(PROJECT, lang, (guide.meta.get("facts") or {}).get(step.id))
            assert f"{labels['deadline']}: {facts.deadline or labels['none']}" in entry
            if facts.duty is not None:
                assert facts.duty_label in entry
            if facts.office:
                assert facts.office in entry
            for ref in facts.legal:
                assert ref.url in entry or html_lib.unescape(ref.url) in entry
            if not facts.legal:
                assert f"{labels['legal_basis']}: {labels['none']}" in entry
            consequence = next(b.text for b in step.blocks if b.kind == "consequence")
            assert short_consequence(consequence) in entry, (guide.slug, step.id)
    assert "ww-overview__more" not in page


def test_short_consequence_keeps_a_question_with_its_answer():
    from wegweiser.generate import short_consequence

    assert short_consequence("Ohne Karte zahlen Sie selbst. Mehr dazu.") == "Ohne Karte zahlen Sie selbst."
    assert short_consequence("Zu spät?\nOder gar nicht? Dann droht ein Bußgeld. Mehr.") == "Zu spät? Oder gar nicht? Dann droht ein Bußgeld."
    assert short_consequence("هل تتأخر؟ عندها تدفع غرامة. المزيد.") == "هل تتأخر؟ عندها تدفع غرامة."


def test_meta_description_and_absolute_hreflang(real_site):
    html = html_of(real_site, "fa", "anmeldung")
    assert re.search(r'<meta name="description" content="[^"]{20,}">', html)
    links = re.findall(r'<link rel="alternate" href="([^"]+)" hreflang="([^"]+)">', html)
    assert {lang for _, lang in links} >= set(LANGS)
    assert all(href.startswith("https://") for href, _ in links)


def test_untranslated_page_shows_notice(tmp_path):
    from wegweiser.render import render_markdown

    md = render_markdown(SITE, "anmeldung", "en", "# x\n")
    assert "ww-notice--machine" in md or "ww-notice--untranslated" in md


def test_published_urls_still_resolve(real_site):
    listed = [
        line.strip() for line in (ROOT / "tests" / "published_urls.txt").read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")
    ]
    assert len(listed) > 100
    missing = [u for u in listed if not (real_site / u / "index.html").exists() and not (real_site / u).is_file()]
    assert missing == [], "published URLs that no longer resolve (add a redirect in data/redirects.yml): " + ", ".join(missing)


def published_urls():
    text = (ROOT / "tests" / "published_urls.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def built_urls(site):
    return {str(p.parent.relative_to(site)) + "/" for p in site.rglob("index.html") if p.parent != site}


def test_every_built_page_is_in_the_published_list(real_site):
    # New guides, steps and generated pages join the list, so they are kept working from then on.
    new = sorted(built_urls(real_site) - set(published_urls()))
    assert new == [], "add these lines to tests/published_urls.txt:\n" + "\n".join(new)


@pytest.mark.parametrize("lang", LANGS)
def test_renamed_guide_keeps_page_embed_step_and_print_addresses(real_site, lang):
    from wegweiser.redirects import redirect_paths

    redirects = yaml.safe_load((ROOT / "data" / "redirects.yml").read_text(encoding="utf-8"))
    assert redirects, "the example redirect in data/redirects.yml is gone"
    for old, new in redirects.items():
        pairs = redirect_paths(SITE, old, new)
        assert {p.split("/")[0] for p, _ in pairs} == {old, "embed", "print"}
        assert len(pairs) == 3 + len(SITE.source(new).steps)
        for old_path, new_path in pairs:
            page = real_site / prefix(lang) / old_path
            html = (page / "index.html").read_text(encoding="utf-8")
            target = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', html).group(1)
            resolved = (page / target).resolve()
            assert resolved == (real_site / prefix(lang) / new_path).resolve(), (old_path, target)
            assert (resolved / "index.html").exists()


class Urls(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        self.urls += [v for k, v in attrs if k in ("href", "src") and v]


def test_no_broken_links_or_assets_on_any_page(real_site):
    from urllib.parse import unquote, urlsplit

    broken = {}
    for page in real_site.rglob("*.html"):
        p = Urls()
        p.feed(page.read_text(encoding="utf-8"))
        for url in p.urls:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            base = real_site if parts.path.startswith("/") else page.parent
            target = base / unquote(parts.path).lstrip("/")
            if parts.path.endswith("/"):
                target = target / "index.html"
            if not target.exists():
                broken.setdefault(url, []).append(str(page.relative_to(real_site)))
    assert broken == {}, "\n".join(f"{u} in {len(f)} pages, e.g. {f[0]}" for u, f in sorted(broken.items()))


@pytest.mark.parametrize("lang", LANGS)
def test_embeds_show_title_and_notice_once_and_open_the_site_in_a_new_tab(real_site, lang):
    for page in (real_site / prefix(lang) / "embed").rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in html:
            continue  # a renamed guide's forwarding page
        assert html.count("<h1") == 1, page
        assert html.count("ww-notice--machine") <= 1, page
        for tag in re.findall(r'<a\b[^>]*href="https?://[^"]*"[^>]*>', html):
            assert 'target="_blank"' in tag, (page, tag)


@pytest.mark.parametrize("lang", LANGS)
def test_print_views_show_the_notice_once_and_no_source_links(real_site, lang):
    for slug in GUIDES:
        html = (real_site / prefix(lang) / "print" / slug / "index.html").read_text(encoding="utf-8")
        assert html.count("ww-notice--machine") <= 1, (lang, slug)
        assert '.md"' not in html and ".md#" not in html, (lang, slug)


@pytest.mark.parametrize("lang", LANGS)
def test_authorities_snippet_frames_this_languages_embed_with_its_title(real_site, lang):
    import html as html_lib

    for slug in GUIDES:
        page = html_of(real_site, lang, slug)
        code = html_lib.unescape(re.search(r'<pre dir="ltr"><code>(.*?)</code>', page, re.S).group(1))
        src = re.search(r'src="([^"]+)"', code).group(1)
        title = re.search(r'title="([^"]+)"', code).group(1)
        assert src == f"https://wegweiser.example.org/{prefix(lang)}embed/{slug}/"
        h1 = re.search(r"<h1[^>]*>(.*?)<", page, re.S).group(1).strip()
        assert title == html_lib.unescape(h1), (lang, slug)
        assert (real_site / prefix(lang) / "embed" / slug / "index.html").exists()


@pytest.mark.parametrize("lang", LANGS)
def test_every_print_view_carries_the_qr_code_of_its_guide_in_its_language(real_site, lang):
    from wegweiser.generate import qr_svg

    for slug in GUIDES:
        html = (real_site / prefix(lang) / "print" / slug / "index.html").read_text(encoding="utf-8")
        url = f"https://wegweiser.example.org/{prefix(lang)}{slug}/"
        assert qr_svg(url) in html, (lang, slug)  # segno is deterministic: same SVG, same content


@pytest.mark.parametrize("lang", LANGS)
def test_every_embed_links_its_full_guide_and_itself_in_every_language(real_site, lang):
    for slug in GUIDES:
        for sid in [None] + [s.id for s in SITE.source(slug).steps]:
            path = f"embed/{slug}/" + (f"{sid}/" if sid else "")
            page = real_site / prefix(lang) / path
            html = (page / "index.html").read_text(encoding="utf-8")
            full = f"https://wegweiser.example.org/{prefix(lang)}{slug}/" + (f"#{sid}" if sid else "")
            footer = html[html.index('<footer class="ww-embed__footer">') :]
            assert f'<a href="{full}" target="_blank"' in footer, (lang, path)
            langs = dict((code, href) for href, code in re.findall(r'<a href="([^"]+)" lang="([\w-]+)" hreflang=', footer))
            assert set(langs) == set(LANGS), (lang, path)
            for code, href in langs.items():
                assert (page / href).resolve() == (real_site / prefix(code) / path).resolve(), (lang, path, code)


@pytest.mark.parametrize("lang", LANGS)
def test_every_guide_page_carries_howto_json_ld_with_its_steps(real_site, lang):
    for slug in GUIDES:
        html = html_of(real_site, lang, slug)
        data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
        assert data["@type"] == "HowTo" and data["inLanguage"] == lang, (lang, slug)
        assert [s["url"].rsplit("#", 1)[1] for s in data["step"]] == [s.id for s in SITE.source(slug).steps], (lang, slug)
        assert all(s["url"].startswith(f"https://wegweiser.example.org/{prefix(lang)}{slug}/#") for s in data["step"])


@pytest.mark.parametrize("lang", LANGS[1:])
def test_term_list_gives_one_translation_for_every_glossary_term(lang):
    terms = yaml.safe_load((ROOT / "data" / "terminology" / f"{lang}.yml").read_text(encoding="utf-8"))
    glossary = PROJECT.strings["de"]["glossary"]
    assert set(glossary) <= set(terms), sorted(set(glossary) - set(terms))
    assert all(isinstance(v, str) and v.strip() for v in terms.values())
    assert not [k for k in terms if "-" in k and k.replace("-", "").lower() in {t.replace("-", "").lower() for t in terms if t != k}]


@pytest.mark.parametrize("slug,lang", [("anmeldung", "de"), ("anmeldung", "ar"), ("integrationskurs", "uk"), ("irrtuemer", "en")])
def test_html_blocks_set_aside_during_conversion_come_back_unchanged(slug, lang):
    """The build converts guides with their HTML blocks set aside (fast); the page must be the same."""
    import markdown
    from pymdownx.slugs import slugify

    from wegweiser.generate import body_markdown, shown_page
    from wegweiser.render import fill_blocks, render_markdown

    text = body_markdown(shown_page(SITE, slug, lang))
    inline = render_markdown(SITE, slug, lang, text)
    blocks: dict[str, str] = {}
    marked = render_markdown(SITE, slug, lang, text, blocks=blocks)
    assert len(blocks) >= 2 and not any(html in marked for html in blocks.values())
    md = markdown.Markdown(
        extensions=["admonition", "attr_list", "md_in_html", "pymdownx.details", "toc"],
        extension_configs={"toc": {"permalink": True, "slugify": slugify(case="lower")}},
    )

    def convert(source: str) -> str:
        md.reset()
        return md.convert(source)

    assert fill_blocks(convert(marked), blocks) == convert(inline)


def test_plain_text_keeps_the_words_a_reader_sees():
    from wegweiser.text import plain_text

    md = (
        '!!! benefit "Ihr Vorteil"\n'
        "    Sie **bekommen** [Geld](arbeit.md#geld) &amp; _Hilfe_ {: .x}\n"
        "\n"
        "- Pass\n"
        "1. Meldebescheinigung <abbr title='x'>MB</abbr>\n"
        "!!! consequence\n"
        "    Ohne `Termin` geht es nicht.\n"
        "وإذن[العمل](arbeit.md)"
    )
    assert plain_text(md) == "Ihr Vorteil Sie bekommen Geld & Hilfe Pass Meldebescheinigung MB Ohne Termin geht es nicht. وإذنالعمل"
