"""Privacy, checked in Chromium: every page type talks only to our own origin, sets no cookie, counts nobody."""

from __future__ import annotations

import contextlib
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from test_headers import headers_site, nginx_serving, page_urls, settle

pytestmark = pytest.mark.xdist_group("served_site")

# Hosts and calls of common analytics and tracking tools: none may appear in a page or a request.
ANALYTICS = re.compile(
    r"google-analytics|googletagmanager|gtag\(|doubleclick|matomo|piwik|_paq\b|plausible|umami|clarity\.ms|hotjar"
    r"|fbq\(|connect\.facebook|mixpanel|segment\.(?:io|com)|statcounter|cloudflareinsights|newrelic|sentry\.io|posthog",
    re.I,
)
# Page types the fixture site must have; embeds, print views, overviews etc. are checked when present.
REQUIRED_KINDS = {"start", "guide", "translation:guide", "404"}


def test_static_html_has_no_analytics(privacy_site):
    site, _ = privacy_site
    pages = sorted(site.rglob("*.html"))
    assert pages
    hits = [f"{p.relative_to(site)}: {m.group(0)}" for p in pages for m in [ANALYTICS.search(p.read_text(encoding="utf-8"))] if m]
    assert hits == []


def test_fixture_site_has_every_required_page_type(privacy_site):
    site, _ = privacy_site
    kinds = {kind for _, kind in page_urls(site)}
    assert kinds >= REQUIRED_KINDS, kinds


@pytest.mark.browser
def test_every_page_type_stays_local_and_sets_no_cookie(privacy_site, browser):
    site, base = privacy_site
    context = browser.new_context()
    requests: list[tuple[str, str, str]] = []  # (page, url, resource type)
    responses = []
    current = {"path": ""}

    def guard(route):
        # Nothing leaves the machine, even if a page tried: foreign requests are recorded and aborted.
        if is_local(route.request.url, base):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", guard)
    context.on("request", lambda r: requests.append((current["path"], r.url, r.resource_type)))
    context.on("response", lambda r: responses.append(r))
    sockets: list[str] = []
    try:
        page = context.new_page()
        page.on("websocket", lambda ws: sockets.append(ws.url))
        # sendBeacon is what analytics use on unload: record every call, local or not.
        page.add_init_script(
            "window.__beacons = []; const send = navigator.sendBeacon.bind(navigator);"
            "navigator.sendBeacon = (url, data) => { window.__beacons.push(String(url)); return send(url, data); };"
        )
        seen: list[str] = []
        for path, kind in page_urls(site):
            current["path"] = path
            response = page.goto(base + path, wait_until="load")
            assert response is not None and response.status == (404 if kind == "404" else 200), path
            settle(page, kind, base + path)
            search(page)
            with_idle(page)
            assert page.evaluate("document.cookie") == "", path
            assert context.cookies() == [], path
            assert page.evaluate("window.__beacons") == [], path
            seen.append(kind)
        foreign = [f"{p}: {u}" for p, u, _ in requests if not is_local(u, base)]
        assert foreign == []
        beacons = [f"{p}: {u}" for p, u, t in requests if t in ("ping", "beacon") or ANALYTICS.search(u)]
        assert beacons == []
        assert sockets == []
        cookies = [f"{r.url}: set-cookie" for r in responses if "set-cookie" in r.all_headers()]
        assert cookies == []
        assert context.cookies() == []
        assert set(seen) >= REQUIRED_KINDS
    finally:
        context.close()


# ----------------------------------------------------------------------------------------------
# Helpers and fixtures
# ----------------------------------------------------------------------------------------------


def is_local(url: str, base: str) -> bool:
    """True for our own origin and for data:/blob: URLs, which never leave the browser."""
    return url.startswith(base + "/") or url == base or url.startswith(("data:", "blob:"))


def search(page) -> None:
    """On a search page, search once, so the index is fetched the way a reader fetches it."""
    field = page.query_selector("input[type=search]")
    if field is not None and field.is_visible():
        field.fill("Termin")
        page.wait_for_timeout(300)


def with_idle(page) -> None:
    """Wait until the page has made its late requests (service worker, lazy fetches)."""
    # A page that never goes idle is still checked: what it requested so far is recorded.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_load_state("networkidle", timeout=3000)


@pytest.fixture(scope="module")
def privacy_site(request, tmp_path_factory):
    """The built fixture site served by nginx: (site folder, base URL)."""
    site = headers_site(request, tmp_path_factory)
    with nginx_serving(site, tmp_path_factory.mktemp("nginx")) as base:
        yield site, base
