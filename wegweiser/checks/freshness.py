"""Freshness: outdated translations, overdue reviews, and the quality of sources."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlparse

from ..clock import today
from ..findings import ERROR, WARNING, Finding, finding
from ..freshness import translation_meta
from ..site import Site
from .structure import parse_date


def check(site: Site) -> list[Finding]:
    """Run the freshness checks over the whole site."""
    out: list[Finding] = []
    for (slug, lang), page in sorted(site.pages.items()):
        if lang == site.project.source_lang:
            out += check_review_due(page, site)
            out += check_source_urls(page, site)
        elif page.is_guide and site.source(slug):
            out += check_outdated(page, site)
    return out


def outdated_steps(page, source) -> list[str]:
    """Ids of translated steps whose German text changed since they were translated."""
    _, hashes = translation_meta(page.meta)
    return [s.id for s in page.steps if s.id and source.step(s.id) and hashes.get(s.id) != source.step(s.id).text_hash]


def check_outdated(page, site: Site) -> list[Finding]:
    """Report each translated step whose German original changed."""
    source = site.source(page.slug)
    _, hashes = translation_meta(page.meta)
    out = []
    for sid in outdated_steps(page, source):
        step = page.step(sid)
        why = "was never stamped" if sid not in hashes else "changed in German since it was translated"
        out.append(finding(page.path, step.line, "Translation.Outdated", f"step '{sid}' {why}; update it, then run: make stamp FILE={page.path}", WARNING))
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


def review_due(page, site: Site) -> tuple[dt.date, dt.date] | None:
    """Return (due date, hard deadline) of a page's next review, or None without a date."""
    reviewed = parse_date(page.meta.get("reviewed"))
    if reviewed is None:
        return None
    settings = site.project.settings
    months = page.meta.get("review_interval_months", settings.get("review_interval_months", 12))
    due = add_months(reviewed, int(months))
    return due, due + dt.timedelta(days=int(settings.get("review_grace_days", 60)))


def check_review_due(page, site: Site) -> list[Finding]:
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


def check_source_urls(page, site: Site) -> list[Finding]:
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
