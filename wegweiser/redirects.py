"""Old addresses keep working: ``data/redirects.yml`` maps an old slug to the current one.

For every language, small pages are written at the old addresses that forward to the new ones
(meta refresh plus a plain link, no JavaScript), with ``rel=canonical`` pointing to the new page:
the guide itself, and for a guide also its embed, the embed of every step and its print view,
because authorities link and frame exactly those.
"""

from __future__ import annotations

import re
from pathlib import Path

from .config import read_yaml
from .editions import site_url
from .findings import Finding, finding
from .site import Site, rel_path


def load_redirects(site: Site) -> tuple[dict[str, str], list[Finding]]:
    """Read the redirect map and check that every target exists and no old slug is still a page."""
    path = site.project.root / "data" / "redirects.yml"
    if not path.exists():
        return {}, []
    data = read_yaml(path) or {}
    rel = rel_path(path, site.project)
    text = path.read_text(encoding="utf-8")
    out, problems = {}, []
    for old, new in data.items():
        old, new = str(old).strip("/"), str(new).strip("/")
        line = _line_of_key(text, old)
        if site.source(new) is None:
            problems.append(finding(rel, line, "Redirect.Target", f"redirect '{old}' points to '{new}', which is not a page"))
        elif site.source(old) is not None:
            problems.append(finding(rel, line, "Redirect.Shadowed", f"redirect '{old}' would hide the existing page docs/{old}.md"))
        else:
            out[old] = new
    return out, problems


def _line_of_key(text: str, key: str) -> int:
    """Line of a top-level ``key:`` in a YAML text (1 when not found)."""
    m = re.search(rf"^['\"]?/?{re.escape(key)}/?['\"]?\s*:", text, flags=re.M)
    return text.count("\n", 0, m.start()) + 1 if m else 1


def redirect_paths(site: Site, old: str, new: str) -> list[tuple[str, str]]:
    """(old path, new path) of every address a renamed page had, without language prefix."""
    pairs = [(f"{old}/", f"{new}/")]
    target = site.source(new)
    if target is not None and target.is_guide:
        pairs += [(f"embed/{old}/", f"embed/{new}/"), (f"print/{old}/", f"print/{new}/")]
        pairs += [(f"embed/{old}/{step.id}/", f"embed/{new}/{step.id}/") for step in target.steps if step.id]
    return pairs


def write_redirects(site: Site, root: Path, redirects: dict[str, str], edition: dict | None = None) -> list[str]:
    """Write one forwarding page per old address and language; return the paths written."""
    base_url = site_url(site.project, edition)  # a local edition's own address in its build
    written = []
    for lang in site.project.codes:
        prefix = "" if lang == site.project.source_lang else f"{lang}/"
        for old, new in redirects.items():
            for old_path, new_path in redirect_paths(site, old, new):
                depth = len(Path(prefix, old_path).parts)
                up = "../" * depth
                href = up + prefix + new_path
                canonical = base_url + prefix + new_path
                target_dir = root / prefix / old_path
                target_dir.mkdir(parents=True, exist_ok=True)
                (target_dir / "index.html").write_text(
                    f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>Wegweiser</title>'
                    f'<link rel="canonical" href="{canonical}"><meta name="robots" content="noindex">'
                    f'<link rel="icon" href="{up}assets/ww/favicon.svg" type="image/svg+xml">'
                    f'<meta http-equiv="refresh" content="0; url={href}"></head>'
                    f'<body><p><a href="{href}">{canonical}</a></p></body></html>\n',
                    encoding="utf-8",
                )
                written.append(prefix + old_path)
    return written
