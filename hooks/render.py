"""Render guides per language: step numbers, localised labels, facts boxes, notices, sources."""

from __future__ import annotations

from _common import State, current_language, slug_of

from wegweiser.render import render_markdown


def on_page_markdown(markdown: str, page, config, files, **kwargs) -> str:
    """Rewrite the page's Markdown for the language being built."""
    site = State.site
    if site is None:
        return markdown
    return render_markdown(site, slug_of(page.file.src_uri, site), current_language(config), markdown, State.edition)
