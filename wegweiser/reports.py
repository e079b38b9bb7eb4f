"""Reports written with every build: JSON findings (more generators follow)."""

from __future__ import annotations

from pathlib import Path

from .findings import format_json
from .site import Site


def write_reports(site: Site, findings: list, site_dir: str) -> None:
    """Write ``reports/findings.json`` into the built site."""
    out = Path(site_dir) / "reports"
    out.mkdir(parents=True, exist_ok=True)
    (out / "findings.json").write_text(format_json(findings) + "\n", encoding="utf-8")
