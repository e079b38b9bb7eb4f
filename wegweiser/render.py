"""Rewrite a page's Markdown for one language: labels, numbers, facts boxes, notices, sources.

Used by ``hooks/render.py`` during the build; a plain function of (site, page, language), so it is
tested without MkDocs. HTML fragments come from Jinja templates in ``overrides/ww/``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import jinja2

from .editions import guide_note, localise, step_note
from .editions import site_url as base_url
from .facts import format_day, step_facts
from .freshness import FRESHNESS_KINDS, translation_meta
from .model import RE_ADMONITION, RE_FENCE, RE_HEADING, Page, _strip_attrs
from .site import Site
from .template_cache import bytecode_cache

BLOCK_LABELS = {"benefit": "benefit", "consequence": "consequence"}


@lru_cache(maxsize=8)
def templates(folder: str) -> jinja2.Environment:
    """Jinja environment for the templates in ``folder`` (autoescaped HTML)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        bytecode_cache=bytecode_cache(),
    )
    return env


def render_template(site: Site, name: str, **context: object) -> str:
    """Render ``overrides/ww/<name>`` and return HTML on a single block (no blank lines)."""
    env = templates(str(site.project.root / "overrides" / "ww"))
    html = env.get_template(name).render(**context)
    return "\n".join(line for line in html.split("\n") if line.strip())


def change_date(site: Site, slug: str, step_id: str | None = None) -> str | None:
    """The date the German text of step ``step_id`` last changed (YYYY-MM-DD), from git history.

    Without git history that reaches the change (no repository, a shallow clone), the German page's
    ``changed`` or ``reviewed`` front matter stands in; see ``history.py``.
    """
    source = site.source(slug)
    if source is None:
        return None
    step = source.step(step_id) if step_id else None
    if step is not None and site.project.docs_dir is not None:
        from .history import step_change_date

        date = step_change_date(site.project.docs_dir / f"{slug}.md", step.id, step.text_hash)
        if date:
            return date
    return str(source.meta.get("changed") or source.meta.get("reviewed") or "") or None


def outdated_notice(site: Site, slug: str, step_id: str, lang: str) -> str:
    """The reader's notice on a translated step whose German text changed, with the date of that change."""
    label = site.project.text(lang, "labels", "outdated")
    try:
        date = format_day(change_date(site, slug, step_id) or "", lang)
    except ValueError:  # no date, or a broken ``reviewed``: the notice without a date still helps
        date = "?"
    try:
        text = str(label).format(date=date)
    except (KeyError, IndexError, ValueError):  # a label with stray braces: show it as written
        text = str(label)
    return render_template(site, "notices.html", notices=[("outdated", text)])


RE_BLOCK_MARK = re.compile(r"<!--ww-block:\d+-->")


def fill_blocks(html: str, blocks: dict[str, str]) -> str:
    """Put the HTML blocks that ``render_markdown`` set aside back in place of their marks."""
    if not blocks:
        return html
    return RE_BLOCK_MARK.sub(lambda m: blocks.get(m.group(0), m.group(0)), html)


def render_markdown(site: Site, slug: str, lang: str, markdown: str, edition: dict | None = None, blocks: dict[str, str] | None = None) -> str:
    """Return the Markdown of page ``slug`` as readers of ``lang`` see it.

    Notices, facts boxes and the step list are HTML. With ``blocks`` (a dict to fill), each goes
    there and the Markdown carries only a mark (an HTML comment) in its place: Markdown then does
    not parse that HTML again, which was a large part of converting a guide. ``fill_blocks`` puts
    it back into the converted page. Without ``blocks`` the HTML stays in the Markdown.
    """

    def block(html: str) -> str:
        if blocks is None:
            return html
        mark = f"<!--ww-block:{len(blocks)}-->"
        blocks[mark] = html
        return mark

    project = site.project
    page = site.page(slug, lang)
    source = site.source(slug)
    if source is None:
        return markdown
    shown = page or source
    notices = []
    if page is None and lang != project.source_lang:
        notices.append(("untranslated", project.text(lang, "labels", "untranslated")))
    elif page is not None and lang != project.source_lang:
        reviewed, _ = translation_meta(page.meta)
        if not reviewed:
            notices.append(("machine", project.text(lang, "labels", "machine_translated")))
    if shown.kind == "generated":
        return render_generated(site, shown, lang, edition)
    outdated = set()
    if page is not None and lang != project.source_lang and source.kind in FRESHNESS_KINDS:
        from .checks.freshness import outdated_steps

        outdated = set(outdated_steps(page, source))
    facts = source.meta.get("facts") if isinstance(source.meta.get("facts"), dict) else {}
    # A local edition's note on the whole guide goes on top, with the notices.
    top = [block(render_template(site, "notices.html", notices=notices))] if notices else []
    if source.is_guide:
        text, text_lang = guide_note(edition, slug, lang, project.codes, [s.id for s in source.steps], project.source_lang)
        if text:
            name, name_lang = localise(edition.get("name"), lang, project.source_lang)
            top.append(
                block(render_template(site, "local-note.html", note=text, note_lang=_other(text_lang, lang), city=name, city_lang=_other(name_lang, lang)))
            )
    out: list[str] = []
    in_fence = False
    number = 0
    notice_done = False
    pending: str | None = None  # the facts box waits for the step's first benefit/consequence
    seen_terms: set[str] = set()
    for line in markdown.split("\n"):
        if RE_FENCE.match(line):
            in_fence = not in_fence
        if in_fence:
            out.append(line)
            continue
        heading = RE_HEADING.match(line)
        if heading and len(heading.group(1)) == 1 and not notice_done:
            out.append(line)
            out += ["", *top, ""] if top else []
            if shown.is_guide:
                out += ["", block(render_template(site, "guide-top.html", slug=slug, steps=shown.steps, t=_labels(site, lang))), ""]
            notice_done = True
            continue
        if heading and len(heading.group(1)) == 2 and not shown.is_guide and _strip_attrs(heading.group(2))[1] in outdated:
            out += [line, "", block(outdated_notice(site, slug, _strip_attrs(heading.group(2))[1], lang))]
            continue
        if heading and len(heading.group(1)) == 2 and shown.is_guide:
            if pending:
                out += ["", pending, ""]
                pending = None
            title, sid = _strip_attrs(heading.group(2))
            number += 1
            out.append(f"## {number}. {title}" + (f" {{#{sid}}}" if sid else ""))
            if sid in outdated:
                out += ["", block(outdated_notice(site, slug, sid, lang))]
            entry = step_facts(project, lang, facts.get(sid), edition)
            note, note_lang = step_note(edition, slug, sid, lang, project.source_lang)
            if not entry.empty or note:
                pending = block(render_template(site, "facts.html", f=entry, t=_labels(site, lang), note=note, note_lang=_other(note_lang, lang)))
            continue
        adm = RE_ADMONITION.match(line)
        if adm and pending and adm.group(2) in BLOCK_LABELS:
            out += [pending, ""]
            pending = None
        if adm and adm.group(2) in BLOCK_LABELS:
            label = project.text(lang, "labels", BLOCK_LABELS[adm.group(2)])
            out.append(f'{adm.group(1)} {adm.group(2)} "{_quote(label)}"')
            continue
        out.append(mark_terms(site, lang, line, seen_terms) if lang != project.source_lang else line)
    if pending:
        out += ["", pending]
    if not notice_done and top:
        out = [*top, ""] + out
    if shown.kind in ("guide", "page"):
        out += [
            "",
            block(
                render_template(
                    site,
                    "page-end.html",
                    page=source,
                    t=_labels(site, lang),
                    lang=lang,
                    slug=slug,
                    reviewed=_reviewed(source, lang),
                    guide=shown.is_guide,
                    site_url=_site_url(site, slug, lang, edition),
                    title=shown.meta.get("title") or shown.title,
                    source_lang=project.source_lang,
                )
            ),
        ]
    return "\n".join(out)


def _reviewed(source: Page, lang: str) -> str | None:
    """The review date of a page, formatted for ``lang``."""
    value = source.meta.get("reviewed")
    try:
        return format_day(str(value), lang) if value else None
    except ValueError:
        return None


def _quote(text: str) -> str:
    """Make a label safe inside an admonition title."""
    return re.sub(r'["\n]', " ", text).strip()


def _labels(site: Site, lang: str) -> dict:
    """All labels of ``lang``, with German as fallback for missing ones."""
    merged = dict(site.project.strings.get(site.project.source_lang, {}).get("labels", {}))
    merged.update({k: v for k, v in site.project.strings.get(lang, {}).get("labels", {}).items() if v})
    return merged


def project_root_templates(root: Path) -> Path:
    """Folder of the HTML fragments."""
    return root / "overrides" / "ww"


def _other(text_lang: str | None, lang: str) -> str | None:
    """The language of a text when it is not the page's (German standing in), else None."""
    return text_lang if text_lang and text_lang != lang else None


def _site_url(site: Site, slug: str, lang: str, edition: dict | None = None) -> str:
    """Absolute URL of the embed page of a guide (for the copy-paste snippet); a local edition's own address."""
    base = base_url(site.project, edition)
    prefix = "" if lang == site.project.source_lang else f"{lang}/"
    return f"{base}{prefix}embed/{slug}/"


def render_generated(site: Site, page: Page, lang: str, edition: dict | None = None) -> str:
    """Markdown of a generated page (overview, glossary, search) in ``lang``; the overview shows a local edition's offices."""
    from . import generate

    kind = page.meta.get("generator")
    title_key = {"overview": "overview_title", "glossary": "glossary_title", "search": "search_title"}.get(kind, "")
    title = site.project.text(lang, "labels", title_key, default=str(page.meta.get("title", "")))
    if kind == "overview":
        body = generate.overview_html(site, lang, edition)
    else:
        body = {"glossary": generate.glossary_html, "search": generate.search_page_html}[kind](site, lang)
    return f"# {title}\n\n{body}\n"


RE_TERM = re.compile(r"(?<!\])\(([^()\n]{3,60})\)")


def mark_terms(site: Site, lang: str, line: str, seen: set[str]) -> str:
    """Mark German terms in brackets, "(Meldebestätigung)", with their explanation (first use only)."""
    stripped = line.lstrip()
    if not stripped or stripped.startswith(("#", "!!!", "<", "|", "```")):
        return line
    glossary = site.project.strings.get(site.project.source_lang, {}).get("glossary") or {}
    mine = site.project.strings.get(lang, {}).get("glossary") or {}

    def repl(match: re.Match) -> str:
        term = match.group(1).strip()
        key = next((k for k in glossary if k.casefold() == term.casefold()), None)
        if key is None or key in seen:
            return match.group(0)
        seen.add(key)
        tip = html_escape(str(mine.get(key) or glossary[key]))
        return (
            f'(<span class="ww-term" lang="de" dir="ltr" tabindex="0">{html_escape(term)}'
            f'<span class="ww-term__tip" lang="{lang}" role="tooltip">{tip}</span></span>)'
        )

    line = outside_links(line, lambda text: RE_TERM.sub(repl, text))
    if site.project.rtl(lang):
        # German words inside right-to-left text: isolate them so brackets and hyphens stay in place.
        line = RE_LATIN_BRACKET.sub(lambda m: f'(<bdi lang="de">{m.group(1)}</bdi>)', line)
    return line


# A Markdown link or image, ``[text](url "title")``, or an HTML link: terms inside stay unmarked,
# because a focusable explanation may not sit inside a link (HTML: no tabindex inside <a>).
RE_LINK_SPAN = re.compile(r"!?\[[^\]\n]*\]\([^)\s]*(?:\s+\"[^\"\n]*\")?\)|<a\b[^>]*>.*?</a>", re.S)


def outside_links(line: str, change: Callable[[str], str]) -> str:
    """Apply ``change`` to the parts of ``line`` that are not links."""
    parts, pos = [], 0
    for m in RE_LINK_SPAN.finditer(line):
        parts += [change(line[pos : m.start()]), m.group(0)]
        pos = m.end()
    parts.append(change(line[pos:]))
    return "".join(parts)


RE_LATIN_BRACKET = re.compile(r"(?<!\])\(([A-Za-zÄÖÜäöüß§][^()<>\n]*)\)")


RE_INPUT = re.compile(r"<input\b[^>]*>")
RE_HTML_TAG = re.compile(r"<html\b(?![^>]*\bdir=)")


def tidy_theme_html(html: str, rtl: bool = False) -> str:
    """Fix markup of Material's ``base.html`` (not a block we can override) that the Nu HTML Checker rejects.

    - ``autocomplete="off"`` on the drawer and search checkboxes: the attribute is not allowed on
      checkboxes. Material sets it so Firefox does not restore an open drawer after "back";
      without Material's JavaScript the drawer is a plain CSS toggle, so nothing else depends on it.
    - Right-to-left pages get ``dir="rtl"`` on ``<html>`` too (Material sets it on ``<body>`` only).
    """

    def fix_input(match: re.Match) -> str:
        tag = match.group(0)
        if 'type="checkbox"' in tag or 'type="radio"' in tag:
            tag = tag.replace(' autocomplete="off"', "")
        return tag

    html = RE_INPUT.sub(fix_input, html)
    if rtl:
        html = RE_HTML_TAG.sub('<html dir="rtl"', html, count=1)
    return html


def html_escape(text: str) -> str:
    """Escape text for HTML."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
