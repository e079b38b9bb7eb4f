"""The live preview (``make serve``) survives a broken edit, shows the error, and recovers after the fix."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT, make_site

sys.path.insert(0, str(ROOT / "bench"))
from preview import free_port, stop  # noqa: E402  (bench/preview.py: the same preview, timed)

from wegweiser.findings import finding
from wegweiser.preview import BANNER_LIMIT, error_banner, preview_config

WAIT = 240  # seconds; a build of the fixture site takes about 10 s on an idle machine, far more under load


def wait_for(log: Path, pattern: str, after: int = 0, timeout: float = WAIT) -> str:
    """Wait until ``pattern`` appears in the log after offset ``after``; return the new log text."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        text = log.read_text(encoding="utf-8", errors="replace")[after:]
        if re.search(pattern, text):
            return text
        time.sleep(0.5)
    raise AssertionError(f"'{pattern}' not in the preview's log after {timeout} s:\n{log.read_text(encoding='utf-8', errors='replace')[-3000:]}")


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


@contextlib.contextmanager
def serving(root, tmp_path, *extra: str):
    """``scripts/serve.py`` with ``extra`` options on the project ``root``: (base URL, log file, process)."""
    port = free_port()
    log = tmp_path / "serve.log"
    env = dict(os.environ, WEGWEISER_TODAY="2026-06-01", PYTHONUNBUFFERED="1")
    with log.open("w", encoding="utf-8") as out:
        # Output goes to a file, not a pipe: the test never blocks on reading it.
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "scripts" / "serve.py"), "--config", str(root / "mkdocs.yml"), "--addr", f"127.0.0.1:{port}", *extra],
            cwd=root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        wait_for(log, r"Serving on")
        yield f"http://127.0.0.1:{port}", log, proc
    finally:
        stop(proc)


@pytest.fixture
def preview(tmp_path):
    """``scripts/serve.py`` on a fixture site: (project folder, base URL, log file, process)."""
    root = make_site(tmp_path / "proj")
    with serving(root, tmp_path) as (url, log, proc):
        yield root, url, log, proc


def test_preview_of_a_local_edition_shows_the_city_offices_and_follows_data_edits(tmp_path):
    """``make serve EDITION=musterstadt`` previews the city's edition and follows edits of its data file."""
    root = make_site(tmp_path / "proj")
    edition = root / "data" / "editions" / "musterstadt.yml"
    edition.write_text((ROOT / "data" / "editions" / "musterstadt.yml").read_text(encoding="utf-8"), encoding="utf-8")
    with serving(root, tmp_path, "--lang", "de", "--edition", "musterstadt") as (url, log, _proc):
        status, page = fetch(f"{url}/anmeldung/")
        assert status == 200
        assert "Bürgerbüro Musterstadt (Beispiel)" in page and "In Musterstadt können Sie ohne Termin kommen." in page
        # A file in data/ changes (MkDocs watches only docs/): the preview rebuilds and shows it.
        mark = len(log.read_text(encoding="utf-8", errors="replace"))
        edition.write_text(edition.read_text(encoding="utf-8").replace("ohne Termin kommen", "auch ohne Termin kommen"), encoding="utf-8")
        wait_for(log, r"Reloading browsers", after=mark)
        _, page = fetch(f"{url}/anmeldung/")
    assert "In Musterstadt können Sie auch ohne Termin kommen." in page


def test_preview_survives_a_broken_edit_shows_it_and_recovers(preview):
    root, base, log, proc = preview
    guide = root / "docs" / "anmeldung.md"
    good = guide.read_text(encoding="utf-8")
    status, page = fetch(f"{base}/anmeldung/")
    assert status == 200 and "ww-preview-errors" not in page

    # Break it: the first step loses its consequence block.
    lines = good.split("\n")
    first = next(i for i, line in enumerate(lines) if line.startswith("!!! consequence"))
    lines[first] = "!!! note"
    step_line = max(i for i in range(first) if lines[i].startswith("## ")) + 1
    step_id = re.search(r"\{#([\w-]+)\}", lines[step_line - 1]).group(1)
    message = f"docs/anmeldung.md:{step_line}:1: error [Structure.Consequence] step '{step_id}' has no consequence"
    mark = len(log.read_text(encoding="utf-8", errors="replace"))
    guide.write_text("\n".join(lines), encoding="utf-8")

    text = wait_for(log, re.escape(message), after=mark)
    wait_for(log, r"Documentation built|Reloading browsers", after=mark + text.index(message))
    assert proc.poll() is None, "the preview stopped on a content error"
    assert "Traceback" not in log.read_text(encoding="utf-8", errors="replace")
    status, page = fetch(f"{base}/anmeldung/")
    assert status == 200
    assert 'class="admonition failure ww-preview-errors" role="alert"' in page
    assert message in page
    status, start = fetch(f"{base}/en/")  # every page shows it, in every language
    assert status == 200 and message in start

    # Fix it: the preview rebuilds and the box is gone.
    mark = len(log.read_text(encoding="utf-8", errors="replace"))
    guide.write_text(good, encoding="utf-8")
    wait_for(log, r"Reloading browsers", after=mark)
    assert proc.poll() is None
    status, page = fetch(f"{base}/anmeldung/")
    assert status == 200
    assert "ww-preview-errors" not in page
    assert page.count("ww-step") >= 2


def test_preview_config_does_not_stop_on_warnings_and_can_build_one_language(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    assert re.search(r"^strict: true$", config.read_text(encoding="utf-8"), re.M)
    everything = preview_config(config).read_text(encoding="utf-8")
    assert re.search(r"^strict: false$", everything, re.M) and "strict: true" not in everything
    assert "build: false" not in everything
    arabic = preview_config(config, "ar")
    assert arabic.name == ".preview-ar.yml" and arabic.parent == tmp_path
    text = arabic.read_text(encoding="utf-8")
    assert text.count("build: true") == 2 and "{locale: ar, name: العربية, build: true}" in text


def test_error_banner_escapes_and_limits():
    assert error_banner([]) == ""
    evil = finding("docs/a.md", 3, "Safety.HTML", "raw <script>alert(1)</script> is not allowed")
    html = error_banner([evil])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "docs/a.md:3:1: error [Safety.HTML]" in html
    many = [finding("docs/a.md", i, "Structure.Benefit", "x") for i in range(1, BANNER_LIMIT + 6)]
    html = error_banner(many)
    assert html.count("<li>") == BANNER_LIMIT and f"{BANNER_LIMIT + 5} content error(s)" in html and "5 more" in html
