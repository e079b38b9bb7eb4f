#!/usr/bin/env python3
"""Render every handout (print view) to PDF with headless Chromium: ``make handouts``.

Writes handouts/<lang>/<slug>.pdf from the built site/ (run ``make build`` first).
"""

import argparse
import functools
import http.server
import shutil
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Quiet(http.server.SimpleHTTPRequestHandler):
    """Static files without a log line per request."""

    def log_message(self, *args):
        """Stay quiet."""


def main() -> int:
    """Render all handouts; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--site", default=str(ROOT / "site"))
    parser.add_argument("--out", default=str(ROOT / "handouts"))
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()
    site, out = Path(args.site), Path(args.out)
    prints = sorted(site.glob("print/*/index.html")) + sorted(site.glob("*/print/*/index.html"))
    if not prints:
        print(f"no print views in {site}: run 'make build' first", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=["--no-sandbox", "--disable-background-networking"])
            page = browser.new_page()
            for html in prints:
                rel = html.parent.relative_to(site)
                lang = rel.parts[0] if rel.parts[0] != "print" else "de"
                target = out / lang / f"{rel.parts[-1]}.pdf"
                target.parent.mkdir(parents=True, exist_ok=True)
                page.goto(base + rel.as_posix() + "/")
                page.pdf(path=str(target), format="A4", print_background=True, prefer_css_page_size=True)
                print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
            browser.close()
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
