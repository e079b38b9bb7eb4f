"""Freshness: outdated translations, overdue reviews, and the quality of sources."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlparse

from ..clock import today
from ..findings import ERROR, WARNING, Finding, finding
from ..freshness import FRESHNESS_KINDS, translation_meta
from ..model import Page
from ..site import Site, rel_path
from .structure import parse_date


def check(site: Site) -> list[Finding]:
    """Run the freshness checks over the whole site."""
    out: list[Finding] = check_review_settings(site)
    for (slug, lang), page in sorted(site.pages.items()):
        if lang == site.project.source_lang:
            out += check_review_interval(page)
            out += check_review_due(page, site)
            out += check_source_urls(page, site)
        elif (source := site.source(slug)) is not None and source.kind in FRESHNESS_KINDS:
            out += check_outdated(page, site)
    return out


def outdated_steps(page: Page, source: Page) -> list[str]:
    """Ids of translated steps (or sections of a page) whose German text changed since they were translated."""
    _, hashes = translation_meta(page.meta)
    return [s.id for s in page.steps if s.id and source.step(s.id) and hashes.get(s.id) != source.step(s.id).text_hash]


def check_outdated(page: Page, site: Site) -> list[Finding]:
    """Report each translated step whose German original changed."""
    source = site.source(page.slug)
    _, hashes = translation_meta(page.meta)
    out = []
    what = "step" if source.is_guide else "section"
    for sid in outdated_steps(page, source):
        step = page.step(sid)
        why = "was never stamped" if sid not in hashes else "changed in German since it was translated"
        out.append(finding(page.path, step.line, "Translation.Outdated", f"{what} '{sid}' {why}; update it, then run: make stamp FILE={page.path}", WARNING))
    return out


def add_months(date: dt.date, months: int) -> dt.date:
    """Add calendar months, clamping the day (31 Jan + 1 month = 28/29 Feb)."""
    month = date.month - 1 + months
    year, month = date.year + month // 12, month % 12 + 1
    for day in (date.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise ValueError(date)


def review_due(page: Page, site: Site) -> tuple[dt.date, dt.date] | None:
    """Return (due date, hard deadline) of a page's next review, or None without a date."""
    reviewed = parse_date(page.meta.get("reviewed"))
    if reviewed is None:
        return None
    settings = site.project.settings
    months = whole_number(page.meta.get("review_interval_months"), 1) or whole_number(settings.get("review_interval_months"), 1) or 12
    grace = whole_number(settings.get("review_grace_days"), 0)
    due = add_months(reviewed, months)
    return due, due + dt.timedelta(days=60 if grace is None else grace)


def whole_number(value: Any, minimum: int) -> int | None:
    """``value`` when it is a whole number of at least ``minimum``, else None (``"12"``, ``1.5`` and ``true`` are not)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        return None
    return value


def check_review_interval(page: Page) -> list[Finding]:
    """A page's own ``review_interval_months`` is a whole number of months (the project's applies otherwise)."""
    if "review_interval_months" not in page.meta or whole_number(page.meta["review_interval_months"], 1) is not None:
        return []
    value = page.meta["review_interval_months"]
    return [
        finding(
            page.path,
            page.line_of("review_interval_months"),
            "FrontMatter.ReviewInterval",
            f"review_interval_months '{value}' is not a whole number of months; write for example 'review_interval_months: 6'",
        )
    ]


def check_review_settings(site: Site) -> list[Finding]:
    """``review_interval_months`` and ``review_grace_days`` in wegweiser.yml are whole numbers (defaults 12 and 60 apply otherwise)."""
    out = []
    settings = site.project.settings
    for key, minimum, example in (("review_interval_months", 1, 12), ("review_grace_days", 0, 60)):
        if key in settings and whole_number(settings[key], minimum) is None:
            file = site.project.root / "wegweiser.yml"
            try:
                line = next((n for n, text in enumerate(file.read_text(encoding="utf-8").split("\n"), 1) if text.startswith(f"{key}:")), 1)
            except OSError:
                line = 1
            message = f"{key} '{settings[key]}' is not a whole number; write for example '{key}: {example}'"
            out.append(finding(rel_path(file, site.project), line, "Config.Review", message))
    return out


def check_review_due(page: Page, site: Site) -> list[Finding]:
    """Warn about overdue reviews; fail after the grace period."""
    dates = review_due(page, site)
    if dates is None or page.kind not in ("guide", "page"):
        return []
    due, hard = dates
    now = today()
    line = page.line_of("reviewed")
    if now > hard:
        return [finding(page.path, line, "Review.Overdue", f"review was due on {due.isoformat()}; check the facts and update 'reviewed'", ERROR)]
    if now > due:
        return [finding(page.path, line, "Review.Due", f"review was due on {due.isoformat()}; the build fails after {hard.isoformat()}", WARNING)]
    return []


def is_official(host: str, domains: list[str]) -> bool:
    """True when ``host`` is one of the official domains or a subdomain of one."""
    host = host.lower().removeprefix("www.")
    return any(host == d or host.endswith("." + d) for d in domains)


def check_source_urls(page: Page, site: Site) -> list[Finding]:
    """Sources are https; sources outside the official allow-list get a warning."""
    sources = page.meta.get("sources")
    if not isinstance(sources, list):
        return []
    domains = site.project.settings.get("official_domains", [])
    out = []
    for i, url in enumerate(sources):
        line = page.line_of("sources", i)
        parsed = urlparse(str(url))
        if parsed.scheme != "https" or not parsed.netloc:
            out.append(finding(page.path, line, "Sources.Https", f"source '{url}' is not an https URL"))
        elif not is_official(parsed.hostname or "", domains):
            out.append(
                finding(page.path, line, "Sources.Official", f"source '{parsed.hostname}' is not on the list of official domains in wegweiser.yml", WARNING)
            )
    return out
