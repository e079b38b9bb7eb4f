"""Load every page of the site once, keyed by slug and language."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from .config import Project
from .findings import Finding, finding
from .model import Page, normalise, parse_page, split_name

MAX_FILE_BYTES = 1_000_000


@dataclass
class Site:
    """All pages of all languages, parsed once and shared by every check and generator."""

    project: Project
    pages: dict[tuple[str, str], Page] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def page(self, slug: str, lang: str) -> Page | None:
        """Return the page ``slug`` in ``lang``, or None when it has no such file."""
        return self.pages.get((slug, lang))

    def source(self, slug: str) -> Page | None:
        """Return the German source of a page."""
        return self.pages.get((slug, self.project.source_lang))

    def slugs(self) -> list[str]:
        """Slugs of all pages that have a German source, sorted."""
        return sorted({slug for slug, lang in self.pages if lang == self.project.source_lang})

    def guides(self) -> list[Page]:
        """German guides, in their reading order."""
        found = [p for p in (self.source(s) for s in self.slugs()) if p is not None and p.is_guide]
        return sorted(found, key=lambda p: (_order(p), p.slug))

    def translations(self, slug: str) -> list[Page]:
        """The translations of one page (all languages but the source)."""
        return [p for (s, lang), p in sorted(self.pages.items()) if s == slug and lang != self.project.source_lang]

    def display(self, slug: str, lang: str) -> Page | None:
        """The page a reader of ``lang`` sees: the translation, or the German fallback."""
        return self.page(slug, lang) or self.source(slug)


def _order(page: Page) -> float:
    """Order key from front matter; pages without order go last."""
    value = page.meta.get("order")
    return float(value) if isinstance(value, (int, float)) else 1e9


def rel_path(file: Path, project: Project) -> str:
    """Path of a file as editors see it in messages: relative to the repository root."""
    for base in (Path.cwd(), project.root):
        try:
            return str(file.resolve().relative_to(base.resolve()))
        except ValueError:
            continue
    return str(file)


def load_site(project: Project) -> Site:
    """Parse every Markdown file under the docs directory."""
    site = Site(project)
    docs = project.docs_dir
    codes = project.codes
    for dirpath, dirnames, filenames in os.walk(docs):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.endswith(".md"):
                continue
            file = Path(dirpath) / name
            rel = rel_path(file, project)
            slug_name = str(file.relative_to(docs).as_posix())
            slug, lang = split_name(slug_name, codes)
            if lang not in codes:
                site.findings.append(finding(rel, 1, "File.Language", f"unknown language '{lang}' in file name; use one of: {', '.join(codes[1:])}"))
                continue
            size = file.stat().st_size
            if size > MAX_FILE_BYTES:
                site.findings.append(finding(rel, 1, "File.TooLarge", f"file is {size} bytes, more than {MAX_FILE_BYTES}; split the page"))
                continue
            raw = file.read_bytes()
            if not raw.strip():
                site.findings.append(finding(rel, 1, "File.Empty", "file is empty; delete it or add front matter and text"))
                continue
            site.pages[(slug, lang)] = _parse_once(rel, slug, lang, raw)
    return site


_PARSED: dict[tuple[str, str, str], tuple[bytes, Page]] = {}


def _parse_once(rel: str, slug: str, lang: str, raw: bytes) -> Page:
    """Parse a file, or reuse the page parsed from the same bytes before.

    The live preview loads the whole site again after every save; pages are never changed after
    parsing, so an unchanged file's page is shared between those loads.
    """
    digest = hashlib.sha256(raw).digest()
    key = (rel, slug, lang)
    cached = _PARSED.get(key)
    if cached is not None and cached[0] == digest:
        return cached[1]
    text, problems = normalise(raw, rel)
    page = Page(rel, slug, lang, {}, {}, 1, findings=problems) if text is None else parse_page(rel, text, slug, lang)
    _PARSED[key] = (digest, page)
    return page
