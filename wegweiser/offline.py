"""Open data, search index, offline manifest and service worker, written into the built site."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from . import generate
from .site import Site

SCHEMA = Path(__file__).parent / "schema" / "guides.schema.json"


def write_json(path: Path, data: object) -> None:
    """Write compact, stable JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")


def write_language_files(site: Site, lang: str, root: Path, edition: dict | None = None, export: bool = True) -> None:
    """``<lang>/export/guides.json``, ``<lang>/ww-search.json`` and ``<lang>/offline.json`` (export addresses on a local edition's site).

    ``export=False`` (the live preview) leaves out the open-data export.
    """
    base = root / generate.lang_prefix(site, lang)
    if export:
        write_json(base / "export" / "guides.json", generate.export_guides(site, lang, edition=edition))
    write_json(base / "ww-search.json", generate.search_index(site, lang))
    guides = []
    for guide in site.guides():
        page = base / guide.slug / "index.html"
        size = page.stat().st_size if page.exists() else 0
        guides.append({"slug": guide.slug, "urls": [f"{guide.slug}/"], "bytes": size})
    write_json(base / "offline.json", {"language": lang, "guides": guides})


def write_not_found(site: Site, root: Path) -> None:
    """One 404 page for all languages, linking every start page (instead of the last language's)."""
    from .render import render_template

    rows = []
    for lang in site.project.languages:
        text = site.project.text(lang.code, "labels", "not_found", default="")
        rows.append((lang.code, lang.name, text or site.project.text(lang.code, "labels", "not_found")))
    rtl = [lang.code for lang in site.project.languages if lang.rtl]
    (root / "404.html").write_text(render_template(site, "404.html", languages=rows, rtl=rtl) + "\n", encoding="utf-8")


NOT_PRECACHED = {"embed.css", "print.css", "report.css"}


def write_site_files(site: Site, root: Path, version: str | None = None) -> None:
    """The JSON Schema of the export and the service worker.

    The service worker's version is a hash of every built file, so each deploy gets a new one;
    the live preview passes a fixed ``version`` instead of hashing the site after every save.
    """
    write_not_found(site, root)
    target = root / "schema" / "guides.schema.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SCHEMA, target)
    if version is None:
        files = [p for p in root.rglob("*") if p.is_file() and p.name != "sw.js" and "reports" not in p.parts]
        version = generate.content_hash(files, root)
    # Precache only what every reader page loads; embed, print and report styles are fetched when used.
    core = sorted(
        p.relative_to(root).as_posix()
        for p in (root / "assets" / "ww").glob("*")
        if p.is_file() and p.suffix in (".css", ".js", ".svg") and p.name not in NOT_PRECACHED
    )
    css = sorted(p.relative_to(root).as_posix() for p in (root / "assets" / "stylesheets").glob("*.min.css"))
    template = (Path(__file__).parent / "templates" / "sw.js").read_text(encoding="utf-8")
    sw = template.replace("__VERSION__", version).replace("__CORE__", json.dumps(core + css))
    (root / "sw.js").write_text(sw, encoding="utf-8")
