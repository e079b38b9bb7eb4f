"""Nothing is lost: atomic site/ replacement, reproducible builds, a preview that survives errors."""

from __future__ import annotations

import filecmp
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
    """Also when one writes the languages' outputs in child processes and the other does not."""
    monkeypatch.setenv("WEGWEISER_TODAY", "2026-06-01")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")
    a = make_site(tmp_path / "a")
    b = make_site(tmp_path / "b")
    monkeypatch.setenv("WEGWEISER_JOBS", "0")
    assert build(a, a / "site") == 0
    monkeypatch.setenv("WEGWEISER_JOBS", "2")
    assert build(b, b / "site") == 0
    ta, tb = tree(a / "site"), tree(b / "site")
    assert sorted(ta) == sorted(tb)
    different = [name for name in ta if ta[name] != tb[name]]
    assert different == []


def test_identical_trees_helper_sanity(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "a").write_text("1")
    (tmp_path / "y").mkdir()
    (tmp_path / "y" / "a").write_text("2")
    assert not filecmp.cmpfiles(tmp_path / "x", tmp_path / "y", ["a"], shallow=False)[0]


def test_a_failing_output_in_a_child_fails_the_build_with_file_and_line(tmp_path):
    """The embeds are written in a child process; a broken embed template still stops the build."""
    from conftest import run_build

    root = make_site(tmp_path / "p")
    template = root / "overrides" / "ww" / "embed.html"
    template.write_text(template.read_text(encoding="utf-8") + "\n{% if %}\n", encoding="utf-8")
    result = run_build(root, env={"WEGWEISER_JOBS": "1"})
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "generated output(s) failed" in out
    assert "outputs of language 'en': overrides/ww/embed.html:" in out and "TemplateSyntaxError" in out
    assert "Traceback" not in out  # the traceback only with --verbose
