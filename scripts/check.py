#!/usr/bin/env python3
"""Check all content without building HTML: ``make check`` (options: see --help)."""

import sys

from wegweiser.cli import main

if __name__ == "__main__":
    sys.exit(main(["check", *sys.argv[1:]]))
