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


@pytest.mark.parametrize("lang", LANGS)
def test_any_step_within_three_taps_from_start(real_site, lang):
    start = parse(html_of(real_site, lang, "index"))
    for slug in GUIDES:
        # tap 1: the guide is linked from the start page
        assert any(re.fullmatch(rf"(\./)?{slug}/", h) for h in start.hrefs), (lang, slug)
        # tap 2: the steps list of the guide links every step
        guide = parse(html_of(real_site, lang, slug))
        for sid in guide.h2:
            assert f"#{sid}" in guide.hrefs, (lang, slug, sid)


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


def test_overview_lists_every_step_with_deadline_and_legal_basis(real_site):
    html = html_of(real_site, "de", "pflichten")
    for guide in SITE.guides():
        for step in guide.steps:
            assert f'href="../{guide.slug}/#{step.id}"' in html
    assert "2 Wochen nach dem Einzug" in html
    assert "https://www.gesetze-im-internet.de/bmg/__17.html" in html


def test_overview_shows_duties_in_full_and_recommendations_as_links(real_site):
    html = html_of(real_site, "de", "pflichten")
    sections = dict(re.findall(r'<section class="ww-overview__step" aria-labelledby="ov-([\w-]+)">(.*?)</section>', html, re.S))
    duties = recommendations = 0
    for guide in SITE.guides():
        facts = guide.meta.get("facts") or {}
        for step in guide.steps:
            entry = facts.get(step.id) or {}
            key = f"{guide.slug}-{step.id}"
            if entry.get("duty") is True or entry.get("deadline"):
                duties += 1
                assert key in sections, f"duty {key} is not shown in full"
                assert "Wenn Sie das nicht tun" in sections[key]
            else:
                recommendations += 1
                assert key not in sections
                assert re.search(rf'<ul class="ww-overview__more">(?:(?!</ul>).)*href="../{guide.slug}/#{step.id}"', html, re.S)
    assert duties and recommendations


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


def test_redirect_forwards_old_address(real_site):
    redirects = yaml.safe_load((ROOT / "data" / "redirects.yml").read_text(encoding="utf-8"))
    for old, new in redirects.items():
        html = (real_site / "en" / old / "index.html").read_text(encoding="utf-8")
        assert f'url=../../en/{new}/"' in html
