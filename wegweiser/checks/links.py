"""Internal links: every link to another page and every anchor must exist."""

from __future__ import annotations

import re

from ..findings import Finding, finding
from ..model import RE_FENCE
from ..site import Site

RE_MD_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]+)")


def anchors(site: Site, slug: str) -> set[str]:
    """Ids a link may point to on a page: step and section ids, in every language."""
    ids = {"quellen"}
    for (s, _lang), page in site.pages.items():
        if s == slug:
            ids |= {step.id for step in page.steps if step.id}
    return ids


def check(site: Site) -> list[Finding]:
    """Report links to missing pages and anchors, with file, line and column."""
    out: list[Finding] = []
    for page in site.pages.values():
        in_fence = False
        for number in range(max(page.body_start, 1), len(page.lines) + 1):
            line = page.lines[number - 1]
            if RE_FENCE.match(line):
                in_fence = not in_fence
            if in_fence:
                continue
            for m in RE_MD_LINK.finditer(line):
                target = m.group(1)
                if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
                    continue  # external (https:, mailto:, tel:) — safety checks the scheme
                path, _, anchor = target.partition("#")
                slug = page.slug if not path else re.sub(r"\.md$", "", path.lstrip("./"))
                if path and not path.endswith(".md"):
                    out.append(finding(page.path, number, "Links.Format", f"link '{target}' should point to a .md file, e.g. anmeldung.md", col=m.start(1) + 1))
                    continue
                if site.source(slug) is None:
                    out.append(finding(page.path, number, "Links.Missing", f"link to '{path}' points to no page", col=m.start(1) + 1))
                elif anchor and anchor not in anchors(site, slug):
                    out.append(
                        finding(page.path, number, "Links.Anchor", f"link '{target}': page '{slug}' has no step or section '{anchor}'", col=m.start(1) + 1)
                    )
    return out
