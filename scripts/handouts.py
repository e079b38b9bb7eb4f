#!/usr/bin/env python3
"""Render every handout (print view) to PDF with headless Chromium: ``make handouts``.

Writes handouts/<lang>/<slug>.pdf from the built site/ (run ``make build`` first) and warns about
every handout over two A4 pages. tests/handouts_three_pages.txt names the few that may use three.
"""

import argparse
import functools
import http.server
import shutil
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_PAGES = 2
THREE_PAGES = ROOT / "tests" / "handouts_three_pages.txt"


class Quiet(http.server.SimpleHTTPRequestHandler):
    """Static files without a log line per request."""

    def log_message(self, *args):
        """Stay quiet."""


def pdf_pages(pdf: bytes) -> int:
    """The number of pages of a PDF written by Chromium (one ``/Type /Page`` object each)."""
    return pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")


def three_page_handouts(path: Path = THREE_PAGES) -> dict[str, str]:
    """The handouts that may use three pages: ``{"<lang>/<slug>": reason}``.

    One handout a line, its reason after the first space; blank lines and ``#`` comments are skipped.
    """
    if not path.exists():
        return {}
    allowed = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, reason = line.partition(" ")
            allowed[key] = reason.strip()
    return allowed


def is_handout(html: Path) -> bool:
    """True for a real print view; False for the forwarding page of a renamed guide."""
    return 'class="ww-print"' in html.read_text(encoding="utf-8")


def main() -> int:
    """Render all handouts; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--site", default=str(ROOT / "site"))
    parser.add_argument("--out", default=str(ROOT / "handouts"))
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()
    site, out = Path(args.site), Path(args.out)
    prints = [p for p in sorted(site.glob("print/*/index.html")) + sorted(site.glob("*/print/*/index.html")) if is_handout(p)]
    if not prints:
        print(f"no print views in {site}: run 'make build' first", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    allowed = three_page_handouts()
    long: list[str] = []
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
                pages = pdf_pages(page.pdf(path=str(target), format="A4", print_background=True, prefer_css_page_size=True))
                shown = target.relative_to(ROOT) if target.is_relative_to(ROOT) else target
                print(f"{shown} ({pages} {'page' if pages == 1 else 'pages'})")

                # A handout should fit on one sheet, printed on both sides.
                if pages > MAX_PAGES:
                    key = f"{lang}/{rel.parts[-1]}"
                    why = f"allowed in {THREE_PAGES.name}: {allowed[key]}" if key in allowed and pages == 3 else "shorten the guide"
                    print(f"warning: {shown} has {pages} pages, more than {MAX_PAGES} ({why})", file=sys.stderr)
                    long.append(key)
            browser.close()
    finally:
        server.shutdown()
    if long:
        print(f"warning: {len(long)} of {len(prints)} handouts are over {MAX_PAGES} pages: {', '.join(long)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
