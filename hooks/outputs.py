"""Write the generated outputs of each language: embeds, print views, open data, search index.

After the last language: the JSON Schema, the offline manifest and the service worker.
A language's outputs are written in a child process while the build renders the next language
(``wegweiser/background.py``); the site-wide files wait for all of them.
"""

from __future__ import annotations

from pathlib import Path

import markdown
from _common import State, current_language, is_last_language, log, slug_of
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from wegweiser import generate, offline
from wegweiser.redirects import load_redirects, write_redirects


def on_config(config, **kwargs):
    """The theme's 404 page is not rendered per language: one page for all languages is written last."""
    config.theme.static_templates.discard("404.html")
    return config


def on_page_markdown(markdown_text: str, page, config, files, **kwargs) -> str:
    """Give every page its description in its language; guides get JSON-LD."""
    site = State.site
    if site is None:
        return markdown_text
    lang = current_language(config)
    slug = slug_of(page.file.src_uri, site)
    shown = site.display(slug, lang)
    if shown is None:
        return markdown_text
    page.meta["ww_path"] = "" if slug == "index" else f"{slug}/"
    summary = " ".join(str(shown.meta.get("summary") or "").split())
    if summary:
        page.meta["description"] = summary
    if shown.is_guide:
        page.meta["ww_jsonld"] = generate.json_ld(site, slug, lang, State.edition)
    if shown.kind == "generated":
        key = {"overview": "overview_title", "glossary": "glossary_title", "search": "search_title"}[shown.meta["generator"]]
        page.meta["title"] = site.project.text(lang, "labels", key)
    return markdown_text


@event_priority(100)  # before anything is added to the article (the preview's error box)
def on_page_content(html: str, page, config, files, **kwargs) -> str:
    """Keep each guide's article: embeds and print views reuse it instead of converting it again."""
    site = State.site
    if site is not None:
        slug = slug_of(page.file.src_uri, site)
        shown = site.display(slug, current_language(config))
        if shown is not None and shown.is_guide:
            State.articles[(current_language(config), slug)] = html
    return html


@event_priority(-150)
def on_post_build(config, **kwargs) -> None:
    """Write one language's outputs; the outermost (German) build also writes site-wide files.

    static-i18n builds the other languages inside the German build's post-build, all into the
    same ``site_dir``: nested calls write their language, the last (outer) call writes German.
    """
    site = State.site
    if site is None:
        return
    root = Path(config.site_dir)
    last = is_last_language(config)
    lang = site.project.source_lang if last else current_language(config)
    preview = State.command == "serve"
    articles = {slug: html for (code, slug), html in State.articles.items() if code == lang}
    State.background.run(f"outputs of language '{lang}'", _language_outputs, site, lang, root, config, articles, State.edition, preview)
    if last:
        failures = State.background.wait()
        for failure in failures:
            log.debug("%s\n%s", failure.format(), failure.details)
        if failures:
            raise PluginError(f"{len(failures)} generated output(s) failed:\n" + "\n".join(f.format() for f in failures))
        if not preview:
            redirects, _ = load_redirects(site)  # problems are reported by the gate
            write_redirects(site, root, redirects, State.edition)
        offline.write_site_files(site, root, version="preview" if preview else None)


def _language_outputs(site, lang: str, root: Path, config, articles: dict, edition: dict | None, preview: bool) -> None:
    """One language's embeds, print views, open data and search index (the preview: search index only)."""
    if not preview:
        # The live preview shows the reader pages; embeds, print views and the export come with `make build`.
        to_html = _converter(config.markdown_extensions, config.mdx_configs)
        generate.write_embeds(site, lang, root, to_html, edition, articles)
        generate.write_prints(site, lang, root, to_html, edition, articles)
    offline.write_language_files(site, lang, root, edition, export=not preview)


def _converter(extensions: list, configs: dict):
    """Markdown -> HTML for a guide missing from the kept articles (embeds and print views share it)."""
    md = markdown.Markdown(extensions=extensions, extension_configs=configs)
    converted: dict[str, str] = {}

    def to_html(text: str) -> str:
        if text not in converted:
            md.reset()
            converted[text] = md.convert(text)
        return converted[text]

    return to_html
