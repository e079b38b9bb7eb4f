"""Shared state of the Wegweiser hooks: the site model, parsed once per build run.

static-i18n builds every language in a nested build, so every hook event fires once per language.
The site model (all languages) is parsed when the first language starts and reused by the others.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import get_plugin_logger

from wegweiser.background import Background
from wegweiser.config import load_project
from wegweiser.site import Site, load_site

log = get_plugin_logger("wegweiser")


class State:
    """What the hooks share during one CLI run."""

    command: str = "build"
    site: Site | None = None
    findings: list = []
    edition: dict | None = None
    articles: dict = {}  # (language, slug) -> the guide's article HTML as MkDocs rendered it
    background: Background = Background(jobs=0)  # steps in child processes; a new one per build run (gate.py)
    checks = None  # the content checks' job while it runs beside the German pages (gate.py)


def current_language(config) -> str:
    """The language being built (static-i18n), or the theme language without the plugin."""
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "current_language", None):
        return i18n.current_language
    return config.theme.get("language", "de")


def is_first_language(config) -> bool:
    """True in the build of the default (first) language."""
    i18n = config.plugins.get("i18n")
    return i18n is None or i18n.current_language == i18n.default_language


def is_last_language(config) -> bool:
    """True once every language is built (the outermost build's post-build)."""
    i18n = config.plugins.get("i18n")
    return i18n is None or not getattr(i18n, "building", False)


def project_root(config) -> Path:
    """Folder of mkdocs.yml: the repository root."""
    return Path(config.config_file_path).resolve().parent


def load(config) -> Site:
    """Parse the whole site from disk."""
    project = load_project(project_root(config), Path(config.docs_dir))
    State.site = load_site(project)
    return State.site


def slug_of(src_uri: str, site: Site) -> str:
    """``anmeldung.ar.md`` -> ``anmeldung``."""
    from wegweiser.model import split_name

    return split_name(src_uri, site.project.codes)[0]
