"""Content checks. Each module exposes ``check(site) -> list[Finding]``."""

from __future__ import annotations

from ..findings import Finding
from ..site import Site
from . import editions, freshness, links, readability, safety, structure

ALL = (structure, links, freshness, safety, readability, editions)


def run_all(site: Site, only: tuple = ALL) -> list[Finding]:
    """Run every check over the whole site and return all findings."""
    return parse_findings(site) + check_findings(site, only)


def parse_findings(site: Site) -> list[Finding]:
    """What loading the site found: settings, unreadable files, broken front matter (known at once)."""
    out = list(site.project.findings) + list(site.findings)
    for page in site.pages.values():
        out += page.findings
    return out


def check_findings(site: Site, only: tuple = ALL) -> list[Finding]:
    """The checks of the content itself (structure, links, freshness, safety, readability, editions, redirects)."""
    out: list[Finding] = []
    for module in only:
        out += module.check(site)
    from ..redirects import load_redirects

    out += load_redirects(site)[1]
    from ..syllables import save

    save()  # new syllable counts go to the cache for the next run
    return out
