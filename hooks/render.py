"""Render guides per language: step numbers, localised labels, facts boxes, notices, sources."""

from __future__ import annotations

from _common import State, current_language, slug_of
from mkdocs.plugins import event_priority

from wegweiser.render import fill_blocks, render_markdown, tidy_theme_html
from wegweiser.template_cache import bytecode_cache


def on_env(env, config, files, **kwargs):
    """Reuse compiled theme templates across languages and preview rebuilds (on-disk cache)."""
    env.bytecode_cache = bytecode_cache()
    return env


def on_page_markdown(markdown: str, page, config, files, **kwargs) -> str:
    """Rewrite the page's Markdown for the language being built; its HTML blocks wait on the page."""
    site = State.site
    if site is None:
        return markdown
    page.ww_blocks = {}
    return render_markdown(site, slug_of(page.file.src_uri, site), current_language(config), markdown, State.edition, page.ww_blocks)


@event_priority(200)  # before anything else reads the article (outputs.py keeps it for embeds)
def on_page_content(html: str, page, config, files, **kwargs) -> str:
    """Put the HTML blocks that on_page_markdown set aside in place."""
    return fill_blocks(html, getattr(page, "ww_blocks", {}))


def on_post_page(output: str, page, config, **kwargs) -> str:
    """Valid HTML: fix the few attributes of Material's base template the Nu HTML Checker rejects."""
    site = State.site
    rtl = bool(site and site.project.rtl(current_language(config)))
    return tidy_theme_html(output, rtl)
