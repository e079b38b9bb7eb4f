"""Old addresses keep working: ``data/redirects.yml`` maps an old slug to the current one.

For every language a small page is written at the old address that forwards to the new one
(meta refresh plus a plain link, no JavaScript), with ``rel=canonical`` pointing to the new page.
"""

from __future__ import annotations

from pathlib import Path

from .config import read_yaml
from .findings import Finding, finding
from .site import Site, rel_path


def load_redirects(site: Site) -> tuple[dict[str, str], list[Finding]]:
    """Read the redirect map and check that every target exists and no old slug is still a page."""
    path = site.project.root / "data" / "redirects.yml"
    if not path.exists():
        return {}, []
    data = read_yaml(path) or {}
    rel = rel_path(path, site.project)
    out, problems = {}, []
    for old, new in data.items():
        old, new = str(old).strip("/"), str(new).strip("/")
        if site.source(new) is None:
            problems.append(finding(rel, 1, "Redirect.Target", f"redirect '{old}' points to '{new}', which is not a page"))
        elif site.source(old) is not None:
            problems.append(finding(rel, 1, "Redirect.Shadowed", f"redirect '{old}' would hide the existing page docs/{old}.md"))
        else:
            out[old] = new
    return out, problems


def write_redirects(site: Site, root: Path, redirects: dict[str, str]) -> None:
    """Write one forwarding page per old slug and language."""
    for lang in site.project.codes:
        prefix = "" if lang == site.project.source_lang else f"{lang}/"
        for old, new in redirects.items():
            target_dir = root / prefix / old
            depth = len(Path(prefix, old).parts)
            href = "../" * depth + prefix + new + "/"
            canonical = str(site.project.settings.get("site_url", "")).rstrip("/") + "/" + prefix + new + "/"
            target_dir.mkdir(parents=True, exist_ok=True)
            (target_dir / "index.html").write_text(
                f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>Wegweiser</title>'
                f'<link rel="canonical" href="{canonical}"><meta name="robots" content="noindex">'
                f'<link rel="icon" href="{"../" * depth}assets/ww/favicon.svg" type="image/svg+xml">'
                f'<meta http-equiv="refresh" content="0; url={href}"></head>'
                f'<body><p><a href="{href}">{canonical}</a></p></body></html>\n',
                encoding="utf-8",
            )
