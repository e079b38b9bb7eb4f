"""Generators fed by the content model: embeds, print views, open data, search index, pages.

All output is written per language by ``hooks/outputs.py`` after that language is built. HTML
comes from Jinja templates in ``overrides/ww/``; Markdown is rendered by the caller's ``to_html``
(Python-Markdown with the site's extensions), so these functions stay free of MkDocs.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import urljoin

import segno

from . import editions
from .facts import format_day, step_facts
from .freshness import translation_meta
from .model import Page
from .render import _labels, render_markdown, render_template
from .site import Site
from .text import plain_text

LICENCE = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
RE_H2 = re.compile(r'<h2 id="([^"]+)"')
RE_A_HREF = re.compile(r'<a\b([^>]*?)\bhref="([^"]*)"')
RE_MD_TARGET = re.compile(r"^([\w-]+)\.md(#.*)?$")
RE_ARTICLE_H1 = re.compile(r"<h1\b[^>]*>.*?</h1>\s*", re.S)
RE_MACHINE_NOTICE = re.compile(r'<div class="ww-notice ww-notice--machine"[^>]*>.*?</div>\s*', re.S)


# ----------------------------------------------------------------------------------------------
# Addresses
# ----------------------------------------------------------------------------------------------


def lang_prefix(site: Site, lang: str) -> str:
    """URL path prefix of a language: '' for German, 'en/' for English."""
    return "" if lang == site.project.source_lang else f"{lang}/"


def site_url(site: Site, edition: dict | None = None) -> str:
    """The public base URL, ending in '/': a local edition's own ``site_url`` when it has one."""
    return editions.site_url(site.project, edition)


def guide_url(site: Site, slug: str, lang: str, absolute: bool = True, edition: dict | None = None) -> str:
    """Address of a page in one language (on the edition's site in an edition build)."""
    path = lang_prefix(site, lang) + ("" if slug == "index" else f"{slug}/")
    return site_url(site, edition) + path if absolute else path


def write_html(path: Path, html: str) -> None:
    """Write an ``index.html`` (creating folders)."""
    path.mkdir(parents=True, exist_ok=True)
    (path / "index.html").write_text(html + "\n", encoding="utf-8")


# ----------------------------------------------------------------------------------------------
# Rendering a guide outside MkDocs
# ----------------------------------------------------------------------------------------------


def shown_page(site: Site, slug: str, lang: str) -> Page:
    """The page readers of ``lang`` see (translation or German fallback)."""
    return site.display(slug, lang)


def body_markdown(page: Page) -> str:
    """The Markdown body of a page, without front matter."""
    return "\n".join(page.lines[max(page.body_start, 1) - 1 :])


def guide_html(site: Site, slug: str, lang: str, to_html: Callable[[str], str], edition: dict | None = None, articles: Mapping[str, str] | None = None) -> str:
    """The rendered article of a guide in ``lang``, as on the site.

    ``articles`` holds the article HTML the site build already made (by slug); only a guide
    missing there is rendered again. Its relative links are fixed by :func:`absolute_links`.
    """
    if articles and slug in articles:
        return articles[slug]
    md = render_markdown(site, slug, lang, body_markdown(shown_page(site, slug, lang)), edition)
    return to_html(md)


def absolute_links(html: str, page_url: str, new_tab: bool = False) -> str:
    """Make the links of a guide's article work outside the guide page (embeds, print views).

    A link to another guide's Markdown file (``arbeit.md#suchen``) and every relative link
    (``../hilfe/``) become absolute addresses, resolved as on the guide page at ``page_url``.
    Links within the page (``#step``) stay. With ``new_tab`` (embeds on an authority's site) every
    link that leaves the page opens a new tab: the site itself may not be shown inside a frame.
    """

    def fix(m: re.Match) -> str:
        attrs, href = m.group(1), m.group(2)
        if href.startswith("#"):
            return m.group(0)
        md = RE_MD_TARGET.match(href)
        if md:
            slug, fragment = md.group(1), md.group(2) or ""
            href = ("../" if slug == "index" else f"../{slug}/") + fragment
        href = urljoin(page_url, href)
        return f'<a{_new_tab(attrs) if new_tab else attrs}href="{href}"'

    return RE_A_HREF.sub(fix, html)


def _new_tab(attrs: str) -> str:
    """Attributes of a link that opens in a new tab (``rel=noreferrer`` already implies noopener)."""
    if "target=" not in attrs:
        attrs += 'target="_blank" '
    if "rel=" not in attrs:
        attrs += 'rel="noopener" '
    return attrs


def link_missing_anchors(html: str, page_url: str) -> str:
    """Point in-page links whose target is not in ``html`` (another step) to the full guide."""
    ids = set(re.findall(r'\bid="([^"]+)"', html))

    def fix(m: re.Match) -> str:
        attrs, href = m.group(1), m.group(2)
        if not href.startswith("#") or href[1:] in ids:
            return m.group(0)
        return f'<a{_new_tab(attrs)}href="{page_url}{href}"'

    return RE_A_HREF.sub(fix, html)


def split_steps(html: str) -> tuple[str, dict[str, str], str]:
    """Split article HTML into (intro, {step id: step HTML}, end)."""
    end_at = html.find('<footer class="ww-end"')
    end = html[end_at:] if end_at >= 0 else ""
    body = html[:end_at] if end_at >= 0 else html
    marks = [(m.start(), m.group(1)) for m in RE_H2.finditer(body)]
    intro = body[: marks[0][0]] if marks else body
    steps = {}
    for i, (start, sid) in enumerate(marks):
        stop = marks[i + 1][0] if i + 1 < len(marks) else len(body)
        steps[sid] = body[start:stop]
    return intro, steps, end


def strip_tags(html: str) -> str:
    """Plain text of an HTML fragment."""
    text = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&#39;", "'")
    return re.sub(r"\s+", " ", text).strip()


QR_MASK = 2


def qr_svg(url: str) -> str:
    """An inline SVG QR code for ``url`` (segno, error correction M, mask pattern 2).

    segno tries all eight mask patterns and keeps the one with the lowest penalty (fewest large
    blocks and look-alike finder patterns); that search was 95% of the time per code, and each
    language has a print view per guide. For our addresses mask 2 scores within 2% of the best one
    (median over 30 addresses, at most 8%), and every scanner reads every mask.
    """
    return segno.make(url, error="m", mask=QR_MASK).svg_inline(scale=3, border=2, title=url)


# ----------------------------------------------------------------------------------------------
# Embeds and print views
# ----------------------------------------------------------------------------------------------


def page_context(site: Site, slug: str, lang: str, depth: int, edition: dict | None = None) -> dict:
    """Template values shared by embeds and print views."""
    page = shown_page(site, slug, lang)
    source = site.source(slug)
    root = "../" * depth
    reviewed, _ = translation_meta(page.meta) if page.lang != site.project.source_lang else (True, {})
    return {
        "lang": lang,
        "dir": "rtl" if site.project.rtl(lang) else "ltr",
        "title": page.meta.get("title") or page.title,
        "summary": page.meta.get("summary", ""),
        "t": _labels(site, lang),
        "root": root,
        "guide_url": guide_url(site, slug, lang, edition=edition),
        "reviewed": format_day(str(source.meta.get("reviewed")), lang) if source.meta.get("reviewed") else None,
        "machine": page.lang != site.project.source_lang and not reviewed,
        "languages": [(lang_.code, lang_.name) for lang_ in site.project.languages],
        "slug": slug,
    }


def write_embeds(
    site: Site, lang: str, out_root: Path, to_html: Callable[[str], str], edition: dict | None = None, articles: Mapping[str, str] | None = None
) -> list[str]:
    """Write ``<lang>/embed/<slug>/`` and ``<lang>/embed/<slug>/<step>/`` for every guide."""
    written = []
    for guide in site.guides():
        slug = guide.slug
        intro, steps, _ = split_steps(
            absolute_links(guide_html(site, slug, lang, to_html, edition, articles), guide_url(site, slug, lang, edition=edition), new_tab=True)
        )
        # The embed template shows the title and the translation notice itself.
        intro = RE_MACHINE_NOTICE.sub("", RE_ARTICLE_H1.sub("", intro, count=1), count=1)
        base = out_root / lang_prefix(site, lang) / "embed" / slug
        depth = len(Path(lang_prefix(site, lang), "embed", slug).parts)
        ctx = page_context(site, slug, lang, depth, edition)
        write_html(base, render_template(site, "embed.html", body="".join(steps.values()), intro=intro, step=None, path=f"embed/{slug}/", **ctx))
        written.append(str(base))
        for sid, html in steps.items():
            ctx_step = dict(ctx, root="../" * (depth + 1), guide_url=f"{ctx['guide_url']}#{sid}")  # one folder deeper
            html = link_missing_anchors(html, ctx["guide_url"])
            write_html(base / sid, render_template(site, "embed.html", body=html, intro="", step=sid, path=f"embed/{slug}/{sid}/", **ctx_step))
            written.append(str(base / sid))
    return written


def write_prints(
    site: Site, lang: str, out_root: Path, to_html: Callable[[str], str], edition: dict | None = None, articles: Mapping[str, str] | None = None
) -> None:
    """Write an A4 print view with QR code for every guide: ``<lang>/print/<slug>/``."""
    for guide in site.guides():
        slug = guide.slug
        html = absolute_links(guide_html(site, slug, lang, to_html, edition, articles), guide_url(site, slug, lang, edition=edition))
        base = out_root / lang_prefix(site, lang) / "print" / slug
        ctx = page_context(site, slug, lang, len(Path(lang_prefix(site, lang), "print", slug).parts), edition)
        write_html(base, render_template(site, "print.html", body=html, qr=qr_svg(ctx["guide_url"]), **ctx))


# ----------------------------------------------------------------------------------------------
# Open data
# ----------------------------------------------------------------------------------------------


def export_guides(site: Site, lang: str, to_text: Callable[[str], str] = plain_text, edition: dict | None = None) -> dict:
    """Every guide and step of one language as open data (facts, texts, sources, review date); addresses on the edition's site.

    ``to_text`` turns a Markdown snippet into plain text.
    """
    guides = []
    for guide in site.guides():
        page = shown_page(site, guide.slug, lang)
        facts = guide.meta.get("facts") or {}
        steps = []
        for number, step in enumerate(page.steps, 1):
            block = {b.kind: to_text(b.text) for b in step.blocks if b.kind in ("benefit", "consequence")}
            f = step_facts(site.project, lang, facts.get(step.id))
            raw = facts.get(step.id) or {}
            steps.append(
                {
                    "id": step.id,
                    "number": number,
                    "title": step.title,
                    "url": guide_url(site, guide.slug, lang, edition=edition) + f"#{step.id}",
                    "benefit": block.get("benefit", ""),
                    "consequence": block.get("consequence", ""),
                    "facts": {
                        "duty": raw.get("duty"),
                        "deadline": f.deadline,
                        "deadline_data": raw.get("deadline"),
                        "office": raw.get("office"),
                        "office_name": f.office,
                        "documents": f.documents,
                        "cost": f.cost,
                        "cost_data": raw.get("cost"),
                        "legal_basis": [{"label": r.label, "url": r.url} for r in f.legal],
                        "consequence_kind": raw.get("consequence_kind"),
                    },
                }
            )
        guides.append(
            {
                "slug": guide.slug,
                "language": lang,
                "language_of_text": page.lang,
                "title": page.meta.get("title") or page.title,
                "summary": str(page.meta.get("summary", "")).strip(),
                "url": guide_url(site, guide.slug, lang, edition=edition),
                "audience": guide.meta.get("audience", []),
                "reviewed": str(guide.meta.get("reviewed")),
                "sources": list(guide.meta.get("sources") or []),
                "translation_reviewed": page.lang == site.project.source_lang or translation_meta(page.meta)[0],
                "steps": steps,
            }
        )
    return {"schema": site_url(site, edition) + "schema/guides.schema.json", "licence": LICENCE, "language": lang, "guides": guides}


def json_ld(site: Site, slug: str, lang: str, edition: dict | None = None) -> str:
    """schema.org HowTo for a guide page, safe to place inside a ``<script>`` element."""
    page = shown_page(site, slug, lang)
    source = site.source(slug)
    data = {
        "@context": "https://schema.org",
        "@type": "HowTo",
        "name": page.meta.get("title") or page.title,
        "description": " ".join(str(page.meta.get("summary", "")).split()),
        "inLanguage": lang,
        "dateModified": str(source.meta.get("reviewed")),
        "url": guide_url(site, slug, lang, edition=edition),
        "license": LICENCE["url"],
        "step": [
            {
                "@type": "HowToStep",
                "position": i,
                "name": s.title,
                "url": guide_url(site, slug, lang, edition=edition) + f"#{s.id}",
                "text": " ".join(line.strip() for _, line in s.body if line.strip() and not line.strip().startswith("!!!"))[:500],
            }
            for i, s in enumerate(page.steps, 1)
        ],
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")


# ----------------------------------------------------------------------------------------------
# Search index (one small file per language, loaded only when the reader searches)
# ----------------------------------------------------------------------------------------------


def normalise_search(text: str) -> str:
    """Fold case and the Arabic/Persian letter variants the way the search script does."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return text.replace("ي", "ی").replace("ى", "ی").replace("ك", "ک").replace("\u200c", " ").replace("ё", "е")


def search_index(site: Site, lang: str, to_text: Callable[[str], str] = plain_text) -> list[dict]:
    """Documents of the search index: one per guide step and one per page (``to_text``: Markdown to plain text)."""
    docs = []
    for slug in site.slugs():
        source = site.source(slug)
        if source.kind not in ("guide", "page", "start"):
            continue
        page = shown_page(site, slug, lang)
        url = guide_url(site, slug, lang, absolute=False)
        title = page.meta.get("title") or page.title or slug
        docs.append({"u": url, "t": title, "x": to_text("\n".join(line for _, line in page.intro))[:300]})
        for step in page.steps:
            text = to_text("\n".join(line for _, line in step.body))
            docs.append({"u": f"{url}#{step.id}", "t": f"{title}: {step.title}", "x": text[:400]})
    return docs


# ----------------------------------------------------------------------------------------------
# Generated pages (overview, glossary, search)
# ----------------------------------------------------------------------------------------------


RE_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+")


def short_consequence(text: str) -> str:
    """The core of a consequence: its first sentence, or a first question with its answer.

    Consequences often open with a condition as a question ("Melden Sie sich zu spät an? Dann …");
    the overview keeps that pair and links to the step for the rest, so the page stays light.
    """
    sentences = RE_SENTENCE_END.split(" ".join(text.split()))
    end = next((i for i, s in enumerate(sentences) if not s.endswith(("?", "؟"))), len(sentences) - 1)
    return " ".join(sentences[: end + 1])


def overview_html(site: Site, lang: str, edition: dict | None = None) -> str:
    """The "all duties and deadlines" overview of one language.

    Every step of every guide with duty, deadline, office (a local edition's office by name), the
    core of its consequence and legal basis.
    """
    rows = []
    for guide in site.guides():
        page = shown_page(site, guide.slug, lang)
        facts = guide.meta.get("facts") or {}
        steps = []
        for number, step in enumerate(page.steps, 1):
            src_step = guide.step(step.id)
            consequence = next((b.text for b in (src_step or step).blocks if b.kind == "consequence"), "")
            if page.lang == lang:
                consequence = next((b.text for b in step.blocks if b.kind == "consequence"), consequence)
            steps.append(
                {
                    "number": number,
                    "id": step.id,
                    "title": step.title,
                    "f": step_facts(site.project, lang, facts.get(step.id), edition),
                    "consequence": short_consequence(consequence),
                }
            )
        rows.append({"slug": guide.slug, "title": page.meta.get("title") or page.title, "steps": steps})
    return render_template(site, "overview.html", guides=rows, t=_labels(site, lang))


def glossary_html(site: Site, lang: str) -> str:
    """The glossary of official German terms, explained in ``lang``."""
    src = site.project.strings.get(site.project.source_lang, {}).get("glossary") or {}
    mine = site.project.strings.get(lang, {}).get("glossary") or {}
    terms = [(term, mine.get(term) or src[term]) for term in sorted(src, key=lambda t: t.casefold())]
    return render_template(site, "glossary.html", terms=terms, t=_labels(site, lang), lang=lang)


def search_page_html(site: Site, lang: str) -> str:
    """The search form; results come from ``ww-search.json`` of this language."""
    return render_template(site, "search.html", t=_labels(site, lang))


def content_hash(paths: list[Path], root: Path | None = None) -> str:
    """A short hash over files (names relative to ``root``), for cache names that change with every deploy."""
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update((p.relative_to(root) if root else p).as_posix().encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:12]
