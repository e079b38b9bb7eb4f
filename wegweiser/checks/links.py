"""Internal links: every link to another page and every anchor must exist."""

from __future__ import annotations

import re

from ..findings import Finding, finding
from ..model import RE_FENCE, Page
from ..site import Site

RE_MD_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]+)")
RE_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def anchors(site: Site) -> dict[str, set[str]]:
    """Ids a link may point to, per page: step and section ids of every language, and the sources."""
    ids: dict[str, set[str]] = {}
    for (slug, _lang), page in site.pages.items():
        ids.setdefault(slug, {"quellen"}).update(step.id for step in page.steps if step.id)
    return ids


def internal_links(page: Page) -> list[tuple[int, int, str]]:
    """(line, column, target) of every link to a page of the site, outside code blocks."""
    found = []
    in_fence = False
    for number in range(max(page.body_start, 1), len(page.lines) + 1):
        line = page.lines[number - 1]
        if RE_FENCE.match(line):
            in_fence = not in_fence
        if in_fence:
            continue
        for m in RE_MD_LINK.finditer(line):
            if not RE_SCHEME.match(m.group(1)):  # external (https:, mailto:, tel:): safety checks the scheme
                found.append((number, m.start(1) + 1, m.group(1)))
    return found


def check(site: Site) -> list[Finding]:
    """Report links to missing pages and anchors, with file, line and column."""
    out: list[Finding] = []
    targets = anchors(site)
    for page in site.pages.values():
        for number, col, target in page.remember("links", lambda page=page: internal_links(page)):
            path, _, anchor = target.partition("#")
            slug = page.slug if not path else re.sub(r"\.md$", "", path.lstrip("./"))
            if path and not path.endswith(".md"):
                out.append(finding(page.path, number, "Links.Format", f"link '{target}' should point to a .md file, e.g. anmeldung.md", col=col))
            elif site.source(slug) is None:
                out.append(finding(page.path, number, "Links.Missing", f"link to '{path}' points to no page", col=col))
            elif anchor and anchor not in targets.get(slug, {"quellen"}):
                out.append(finding(page.path, number, "Links.Anchor", f"link '{target}': page '{slug}' has no step or section '{anchor}'", col=col))
    return out
