"""Nothing is lost: atomic site/ replacement, reproducible builds, a preview that survives errors."""

from __future__ import annotations

import filecmp
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import make_site

from wegweiser.build import build

pytestmark = pytest.mark.build


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_failed_build_keeps_the_last_good_site(tmp_path, monkeypatch):
    root = make_site(tmp_path / "p")
    monkeypatch.setenv("WEGWEISER_TODAY", "2026-06-01")
    site = root / "site"
    assert build(root, site) == 0
    before = tree(site)
    (site / "marker.txt").write_text("last good build", encoding="utf-8")
    guide = root / "docs" / "anmeldung.md"
    guide.write_text(guide.read_text(encoding="utf-8").replace("!!! consequence\n    Die Stadt kann ein Bußgeld verlangen.\n", ""), encoding="utf-8")
    assert build(root, site) != 0
    assert (site / "marker.txt").read_text(encoding="utf-8") == "last good build"
    after = tree(site)
    after.pop("marker.txt")
    assert after == before
    assert not [p for p in root.iterdir() if p.name.startswith(".site.")]


def test_two_clean_builds_are_byte_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("WEGWEISER_TODAY", "2026-06-01")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")
    a = make_site(tmp_path / "a")
    b = make_site(tmp_path / "b")
    assert build(a, a / "site") == 0
    assert build(b, b / "site") == 0
    ta, tb = tree(a / "site"), tree(b / "site")
    assert sorted(ta) == sorted(tb)
    different = [name for name in ta if ta[name] != tb[name]]
    assert different == []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(proc, log: list[str], predicate, timeout: float = 240) -> bool:
    """Read the server's output until ``predicate(log)`` holds."""
    end = time.time() + timeout
    while time.time() < end:
        line = proc.stdout.readline()
        if line:
            log.append(line)
            if predicate(log):
                return True
        elif proc.poll() is not None:
            return False
    return False


def test_serve_reports_errors_keeps_running_and_recovers(tmp_path):
    root = make_site(tmp_path / "p")
    port = free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", WEGWEISER_TODAY="2026-06-01", PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "-a", f"127.0.0.1:{port}"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log: list[str] = []
    try:
        assert wait_for(proc, log, lambda lg: "Serving on" in "".join(lg)), "".join(log)
        guide = root / "docs" / "anmeldung.md"
        good = guide.read_text(encoding="utf-8")
        time.sleep(1)
        guide.write_text(good.replace("!!! consequence\n    Die Stadt kann ein Bußgeld verlangen.\n", ""), encoding="utf-8")
        expected = "docs/anmeldung.md:26:1: error [Structure.Consequence] step 'termin' has no consequence"
        assert wait_for(proc, log, lambda lg: expected in "".join(lg)), "".join(log)
        assert proc.poll() is None, "the preview server died"
        assert urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30).status == 200
        mark = len(log)
        guide.write_text(good, encoding="utf-8")
        assert wait_for(proc, log, lambda lg: any("Documentation built" in line for line in lg[mark:])), "".join(log)
        assert not any("content error" in line for line in log[mark:])
        assert proc.poll() is None
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_identical_trees_helper_sanity(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "a").write_text("1")
    (tmp_path / "y").mkdir()
    (tmp_path / "y" / "a").write_text("2")
    assert not filecmp.cmpfiles(tmp_path / "x", tmp_path / "y", ["a"], shallow=False)[0]
