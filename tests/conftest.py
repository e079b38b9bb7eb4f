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
    text = "\n".join(
        line for line in text.split("\n") if not re.match(r"^\s*- \{locale: (\w+)", line) or re.match(rf"^\s*- \{{locale: ({keep})\b", line)
    )
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


@pytest.fixture(scope="session")
def built_fixture(tmp_path_factory) -> Path:
    """The minimal fixture site, built once for all HTML tests."""
    root = make_site(tmp_path_factory.mktemp("built") / "proj")
    result = run_build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"
