#!/usr/bin/env python3
"""Build the whole site into site/ (``make build``); site/ is replaced only when the build succeeds."""

import argparse
import sys
from pathlib import Path

from wegweiser.build import build

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--edition", help="local edition in data/editions/<name>.yml, e.g. musterstadt")
    parser.add_argument("--site-dir", default=None, help="output folder (default: site, or site-<edition>)")
    args = parser.parse_args()
    root = Path(__file__).resolve().parent.parent
    default = f"site-{args.edition}" if args.edition else "site"
    sys.exit(build(root, root / (args.site_dir or default), args.edition))
