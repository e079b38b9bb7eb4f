"""Build the site atomically: into a temporary folder, replacing ``site/`` only on success."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` with ``new`` so that a complete tree is always in place."""
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def build(root: Path, site_dir: Path, edition: str | None = None, extra_args: list[str] | None = None) -> int:
    """Run ``mkdocs build --strict`` into a temporary folder and swap it in when it succeeds."""
    site_dir = site_dir.resolve()
    tmp = site_dir.with_name(f".{site_dir.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    if edition:
        env["WEGWEISER_EDITION"] = edition
    env.setdefault("SOURCE_DATE_EPOCH", _source_date_epoch(root))
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp), *(extra_args or [])]
    result = subprocess.run(cmd, cwd=root, env=env, check=False)
    if result.returncode != 0 or not (tmp / "index.html").exists():
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"Build failed: {site_dir.name}/ was not changed.", file=sys.stderr)
        return result.returncode or 1
    swap_in(tmp, site_dir)
    print(f"Built {site_dir}")
    return 0


def _source_date_epoch(root: Path) -> str:
    """The time of the last commit, so two builds of one commit are identical."""
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True, check=False)
        value = out.stdout.strip()
        if value.isdigit():
            return value
    except OSError:
        pass
    return "0"
