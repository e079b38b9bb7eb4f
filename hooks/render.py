"""Render guides per language: step numbers, localised labels, facts boxes, notices, sources."""

from __future__ import annotations

from _common import State, current_language, slug_of

from wegweiser.findings import ERROR
from wegweiser.preview import error_banner
from wegweiser.render import render_markdown, tidy_theme_html
from wegweiser.template_cache import bytecode_cache


def on_env(env, config, files, **kwargs):
    """Reuse compiled theme templates across languages and preview rebuilds (on-disk cache)."""
    env.bytecode_cache = bytecode_cache()
    return env


def on_page_markdown(markdown: str, page, config, files, **kwargs) -> str:
    """Rewrite the page's Markdown for the language being built."""
    site = State.site
    if site is None:
        return markdown
    return render_markdown(site, slug_of(page.file.src_uri, site), current_language(config), markdown, State.edition)


def on_page_content(html: str, page, config, files, **kwargs) -> str:
    """During ``mkdocs serve``, show the content errors on top of every page."""
    if State.command != "serve":
        return html
    return error_banner([f for f in State.findings if f.level == ERROR]) + html


def on_post_page(output: str, page, config, **kwargs) -> str:
    """Valid HTML: fix the few attributes of Material's base template the Nu HTML Checker rejects."""
    site = State.site
    rtl = bool(site and site.project.rtl(current_language(config)))
    return tidy_theme_html(output, rtl)
