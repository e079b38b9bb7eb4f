#!/usr/bin/env python3
"""Create a German guide that passes every gate: ``make new-guide NAME=kindergeld``."""

import sys

from wegweiser.cli import main

if __name__ == "__main__":
    sys.exit(main(["new-guide", *sys.argv[1:]]))
