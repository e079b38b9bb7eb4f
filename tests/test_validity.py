"""Valid HTML: the Nu HTML Checker (the same vnu.jar the benchmark uses) over every page type of the
real site, in German and Arabic; plus the small fixes that keep Material's markup valid."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from wegweiser.render import tidy_theme_html

ROOT = Path(__file__).resolve().parent.parent
BENCH_VNU = ROOT / "bench" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# One page of each type; the Arabic ones check right-to-left markup too.
PAGE_TYPES = (
    "index.html",  # start page
    "anmeldung/index.html",  # guide
    "pflichten/index.html",  # overview
    "glossar/index.html",  # glossary
    "suche/index.html",  # search
    "barrierefreiheit/index.html",  # page outside the navigation
    "embed/anmeldung/index.html",  # embed of a guide
    "embed/anmeldung/termin/index.html",  # embed of one step
    "print/anmeldung/index.html",  # print view
)
SITE_WIDE = ("404.html", "reports/index.html")


def vnu_or_skip() -> tuple[str, Path]:
    """Return (java, vnu.jar); skip locally, but fail in CI, when either is missing.

    The checker is the npm package ``vnu-jar`` pinned in ``bench/package-lock.json``
    (``npm ci --prefix bench``); ``WEGWEISER_VNU_JAR`` may name another copy.
    """
    java = shutil.which("java")
    jar = Path(os.environ.get("WEGWEISER_VNU_JAR") or BENCH_VNU)
    why = None
    if not java:
        why = "java is not installed (Debian: default-jre-headless)"
    elif not jar.exists():
        why = f"the Nu HTML Checker is not installed: run `npm ci --prefix bench` ({jar} missing)"
    if why:
        if os.environ.get("WEGWEISER_BROWSER_REQUIRED"):
            pytest.fail(f"{why}; required in CI (WEGWEISER_BROWSER_REQUIRED is set)")
        pytest.skip(why)
    return java, jar


def vnu_messages(files: list[Path]) -> list[dict]:
    """Errors and warnings of one checker run over ``files`` (one JVM for all)."""
    java, jar = vnu_or_skip()
    cmd = [java, "-Xss1024k", "-jar", str(jar), "--format", "json", "--exit-zero-always", *map(str, files)]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    assert result.stderr.strip(), f"the checker printed no JSON (exit {result.returncode}): {result.stdout[-2000:]}"
    return json.loads(result.stderr)["messages"]


def describe(messages: list[dict], root: Path) -> str:
    return "\n".join(
        f"{m.get('url', '').replace('file:', '').replace(str(root), '')}:{m.get('lastLine', '?')}: {m.get('type')}: {m.get('message')}"
        f"\n    {(m.get('extract') or '').strip()[:160]}"
        for m in messages
    )


@pytest.mark.build
def test_nu_html_checker_finds_no_errors(real_site):
    root = real_site.resolve()
    files = [root / SITE_WIDE[0], root / SITE_WIDE[1]]
    for prefix in ("", "ar/"):
        files += [root / prefix / name for name in PAGE_TYPES]
    missing = [str(f.relative_to(root)) for f in files if not f.exists()]
    assert not missing, f"page types missing from the built site: {missing}"
    messages = vnu_messages(files)
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    warnings = [m for m in messages if m.get("type") == "info" and m.get("subType") == "warning"]
    assert not errors, f"{len(errors)} Nu HTML Checker error(s):\n{describe(errors, root)}"
    assert not warnings, f"{len(warnings)} Nu HTML Checker warning(s):\n{describe(warnings, root)}"


def test_tidy_theme_html_drops_autocomplete_on_checkboxes_only():
    html = (
        '<!doctype html>\n<html lang="ar" class="no-js">\n<body dir="rtl">'
        '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">'
        '<input id="q" type="search" autocomplete="off">'
    )
    out = tidy_theme_html(html, rtl=True)
    assert '<html dir="rtl" lang="ar" class="no-js">' in out
    assert 'id="__drawer">' in out
    assert '<input id="q" type="search" autocomplete="off">' in out
    ltr = tidy_theme_html(html.replace('lang="ar"', 'lang="de"'), rtl=False)
    assert '<html lang="de" class="no-js">' in ltr
    assert tidy_theme_html(out, rtl=True) == out  # idempotent: no second dir


@pytest.mark.build
def test_built_pages_have_icon_sized_logo_and_valid_toggles(built_fixture):
    """Without Java: the fixes the checker and Lighthouse asked for are in the built pages."""
    pages = [p for p in built_fixture.rglob("*.html") if "reports" not in p.parts]
    assert pages
    for path in pages:
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(built_fixture)
        assert re.search(r'<link rel="icon" href="[^"]*favicon\.svg"', text), f"{rel}: no icon (the browser asks for /favicon.ico)"
        for tag in re.findall(r"<input\b[^>]*>", text):
            assert not ('type="checkbox"' in tag and "autocomplete" in tag), f"{rel}: {tag}"
        for tag in re.findall(r"<img\b[^>]*logo\.svg[^>]*>", text):
            assert 'width="' in tag and 'height="' in tag, f"{rel}: unsized logo {tag}"
    guide_ar = (built_fixture / "ar" / "anmeldung" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<html\b[^>]*\bdir=\"rtl\"", guide_ar)
