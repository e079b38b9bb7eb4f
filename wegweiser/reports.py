"""Reports written with every build: findings and readability as JSON, and the editors' page.

The editors' report (``site/reports/index.html``) is not in the readers' navigation. It shows
guides × languages with translation state, readability scores against thresholds, review dates
and the number of sources.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .checks.freshness import outdated_steps, review_due
from .checks.readability import exemptions, level_for, limits, remembered
from .clock import today
from .findings import ERROR, WARNING, Finding, format_json
from .freshness import FRESHNESS_KINDS, translation_meta
from .model import Page
from .readability import FORMULAS, METRICS, page_scores
from .render import render_template
from .site import Site
from .text import sentences


@dataclass
class Cell:
    """One page in one language, as the report shows it."""

    state: str  # source | reviewed | machine | outdated | missing
    outdated: list[str] = field(default_factory=list)
    reviewed: bool = False  # a native speaker reviewed it (also shown while it is outdated)
    scores: list[dict] = field(default_factory=list)
    errors: int = 0
    warnings: int = 0


def readability_rows(site: Site, page: Page) -> list[dict]:
    """Scores of a page with their thresholds and levels (ok / warning / error)."""
    lang = page.lang
    min_words = int((site.project.settings.get("readability") or {}).get("min_words_for_formulas", 100))
    scores = page_scores(sentences(page), lang, min_words)
    rows = []
    for metric in ("avg_sentence_length", "max_sentence_length", *FORMULAS):
        if metric not in scores:
            continue
        lim = limits(site, lang, "sentence_length" if metric == "max_sentence_length" else metric)
        level = (level_for(scores[metric], lim) or "ok") if lim else "ok"
        threshold = f"{'≥' if lim[0] == 'min' else '≤'} {lim[1]:g} / {lim[2]:g}" if lim else ""
        rows.append({"metric": metric, "value": scores[metric], "threshold": threshold, "level": level})
    return rows


def build_matrix(site: Site, findings: list[Finding]) -> dict:
    """Everything the report shows, as plain data (also written as JSON)."""
    by_path: dict[str, list[Finding]] = {}
    for f in findings:
        by_path.setdefault(f.path, []).append(f)
    rows = []
    for slug in site.slugs():
        source = site.source(slug)
        if source.kind not in ("guide", "page", "start"):
            continue
        due = review_due(source, site)
        row = {
            "slug": slug,
            "title": source.meta.get("title", slug),
            "kind": source.kind,
            "reviewed": str(source.meta.get("reviewed", "")),
            "review_due": due[0].isoformat() if due else "",
            "overdue": bool(due and today() > due[0]),
            "sources": len(source.meta.get("sources") or []),
            "exemptions": [{"step": s, "rule": r, "reason": why} for (s, r), why in exemptions(source).items()],
            "languages": {},
        }
        for lang in site.project.codes:
            page = site.page(slug, lang)
            if page is None:
                cell = Cell("missing")
            elif lang == site.project.source_lang:
                cell = Cell("source")
            else:
                reviewed, _ = translation_meta(page.meta)
                old = outdated_steps(page, source) if source.kind in FRESHNESS_KINDS else []
                cell = Cell("outdated" if old else "reviewed" if reviewed else "machine", old, reviewed)
            if page is not None:
                cell.scores = [dict(row) for row in remembered(site, page, "rows", readability_rows)]
                found = by_path.get(page.path, [])
                cell.errors = sum(f.level == ERROR for f in found)
                cell.warnings = sum(f.level == WARNING for f in found)
            row["languages"][lang] = cell.__dict__
        rows.append(row)
    return {"languages": site.project.codes, "metrics": {k: list(v) for k, v in METRICS.items()}, "pages": rows}


def write_reports(site: Site, findings: list[Finding], site_dir: str) -> None:
    """Write ``reports/findings.json``, ``reports/report.json`` and ``reports/index.html``."""
    out = Path(site_dir) / "reports"
    out.mkdir(parents=True, exist_ok=True)
    (out / "findings.json").write_text(format_json(findings) + "\n", encoding="utf-8")
    matrix = build_matrix(site, findings)
    (out / "report.json").write_text(json.dumps(matrix, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    html = render_template(site, "report.html", m=matrix, findings=[f for f in findings if f.level in (ERROR, WARNING)])
    (out / "index.html").write_text(html + "\n", encoding="utf-8")
