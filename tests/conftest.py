"""Shared fixtures: small real sites in temporary folders, built with the real hooks."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FIXTURE_LANGS = ("de", "en", "ar")
sys.path.insert(0, str(ROOT / "hooks"))
# `make test` runs two pytest workers, so both cores are busy already: builds started by tests use
# one process (wegweiser/background.py), or their children would starve the other worker's browser
# tests (page loads timed out in CI). Tests of the children set WEGWEISER_JOBS themselves.
os.environ.setdefault("WEGWEISER_JOBS", "0")


def make_site(dest: Path, docs: Path | None = FIXTURES / "minimal" / "docs", langs=FIXTURE_LANGS) -> Path:
    """Create a small project in ``dest``: the repo's hooks, overrides and data, fixture docs."""
    for name in ("hooks", "overrides", "data"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "editions"))
    (dest / "data" / "editions").mkdir(exist_ok=True)
    if docs is not None:
        shutil.copytree(docs, dest / "docs")
    settings = yaml.safe_load((ROOT / "wegweiser.yml").read_text(encoding="utf-8"))
    settings["languages"] = [lang for lang in settings["languages"] if lang["code"] in langs]
    (dest / "wegweiser.yml").write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"\nnav:\n(  - .*\n)+", "\n", text)
    keep = "|".join(langs)
    text = "\n".join(line for line in text.split("\n") if not re.match(r"^\s*- \{locale: (\w+)", line) or re.match(rf"^\s*- \{{locale: ({keep})\b", line))
    (dest / "mkdocs.yml").write_text(text, encoding="utf-8")
    return dest


def run_build(root: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``mkdocs build --strict`` in ``root``; return the finished process (output in .stdout)."""
    full_env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true", WEGWEISER_TODAY="2026-06-01", **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *extra],
        cwd=root,
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    """A fresh copy of the minimal fixture site."""
    return make_site(tmp_path / "proj")


def shared_once(tmp_path_factory, name: str, make) -> Path:
    """Run ``make(folder)`` once per test run, shared by all pytest-xdist workers (file lock)."""
    import fcntl

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the folder of this run, shared by its workers only
    folder = base / name
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            make(folder)
            (folder / "done").write_text("built\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def built_fixture(tmp_path_factory) -> Path:
    """The minimal fixture site, built once for all HTML tests."""

    def make(folder: Path) -> None:
        root = make_site(folder / "proj")
        result = run_build(root)
        assert result.returncode == 0, result.stdout + result.stderr

    return shared_once(tmp_path_factory, "fixture-build", make) / "proj" / "site"


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The real site of this repository, built once per test run (``mkdocs build --strict``)."""

    def make(folder: Path) -> None:
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true", SOURCE_DATE_EPOCH="1764000000")
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(folder / "site")],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
            check=False,
        )
        assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]

    return shared_once(tmp_path_factory, "real-build", make) / "site"


class Server:
    """A static file server for a built site on 127.0.0.1 (a thread; stopped at teardown)."""

    def __init__(self, root: Path):
        import functools
        import http.server
        import threading

        handler = functools.partial(QuietHandler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


try:
    import http.server as _hs

    class QuietHandler(_hs.SimpleHTTPRequestHandler):
        """Serve files without logging every request; .json and .js with correct types."""

        extensions_map = {**_hs.SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml"}

        def log_message(self, *args):
            pass
except ImportError:  # pragma: no cover
    pass


@pytest.fixture(scope="session")
def real_server(real_site):
    """The real site served on localhost."""
    server = Server(real_site)
    yield server
    server.stop()


def chromium_or_skip():
    """Return the chromium path; skip locally, but fail in CI, when it is missing."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        if os.environ.get("WEGWEISER_BROWSER_REQUIRED"):
            pytest.fail("chromium is required for browser tests (WEGWEISER_BROWSER_REQUIRED is set)")
        pytest.skip("chromium not installed")
    return path


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium, driven by Playwright."""
    path = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=path,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield b
        b.close()
