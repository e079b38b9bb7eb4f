#!/usr/bin/env python3
"""Live preview (``make serve``): keeps serving through content errors and shows them on every page.

``--lang de`` (``make serve ONLY=de``) builds only that language, for faster re-renders.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

from wegweiser.config import ConfigError, load_project
from wegweiser.preview import preview_config
from wegweiser.preview_cache import POLL_ENV

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lang", help="preview one language only, e.g. de or ar")
    parser.add_argument("--addr", default="127.0.0.1:8000")
    parser.add_argument("--edition", help="preview a local edition: data/editions/<name>.yml, e.g. musterstadt")
    parser.add_argument(
        "--poll",
        action="store_true",
        help="look for changed files every half second instead of waiting for the system's file events "
        "(use it when saved changes do not show, e.g. in a Docker, WSL or network folder)",
    )
    parser.add_argument("--config", type=Path, default=Path(__file__).resolve().parent.parent / "mkdocs.yml", help="the site's mkdocs.yml")
    args = parser.parse_args()
    if args.lang:
        try:
            codes = load_project(args.config.resolve().parent).codes
        except ConfigError as exc:
            sys.exit(str(exc))
        if args.lang not in codes:
            parser.error(f"--lang '{args.lang}' is not a language of this site; use one of: {', '.join(codes)}")
    config = preview_config(args.config.resolve(), args.lang)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if args.poll:
        env[POLL_ENV] = "1"
    if args.edition:
        env["WEGWEISER_EDITION"] = args.edition  # the same switch as `make build EDITION=…` (wegweiser/build.py)
    # --dirty: MkDocs keeps the built site between rebuilds and copies only changed assets; the hooks
    # still rebuild every page (wegweiser/preview_cache.py).
    command = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-f", str(config), "-a", args.addr]
    sys.exit(subprocess.call(command, cwd=config.parent, env=env))
