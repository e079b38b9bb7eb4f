#!/usr/bin/env python3
"""Live preview (``make serve``); ``--lang de`` builds only that language, for fast re-renders."""

import argparse
import os
import subprocess
import sys
from pathlib import Path

from wegweiser.preview import one_language_config

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lang", help="preview one language only, e.g. de or ar")
    parser.add_argument("--addr", default="127.0.0.1:8000")
    args = parser.parse_args()
    root = Path(__file__).resolve().parent.parent
    config = one_language_config(root, args.lang) if args.lang else root / "mkdocs.yml"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    sys.exit(subprocess.call([sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", args.addr], cwd=root, env=env))
