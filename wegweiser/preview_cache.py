"""Reuse work across the rebuilds of the live preview (``make serve``).

After every save, ``mkdocs serve`` builds the whole site again in the same process. Most pages did
not change, yet MkDocs converts each page's Markdown to HTML again: the largest part of a rebuild.
``install_page_cache`` makes MkDocs reuse the HTML of a page whose final Markdown, address and set
of site files are the same as in an earlier rebuild. ``install_theme_listing_cache`` walks the
installed theme folders (Material has 14,000 files, most of them icons) once per session instead of
after every save. All of this is used by the preview only; ``make build`` does everything afresh.

MkDocs reads every page's front matter with PyYAML's pure-Python parser; our guides carry facts,
sources and translation hashes there, so that was half of a rebuild. ``cached_front_matter``
reuses the parsed front matter of an unchanged page (as a copy: hooks add keys to it).

MkDocs also makes a new Jinja environment for every build, so every rebuild loaded Material's
templates again (a third of a one-language rebuild). ``install_env_cache`` keeps one environment
per theme folders and language for the session; an edited template in a folder outside the
installed packages (``overrides/``) starts a new one.

The preview runs ``mkdocs serve --dirty``: MkDocs then does not delete the whole site before each
rebuild and copies only the theme and asset files that changed. ``install_page_rebuilds`` keeps
every page rebuilt in such a build (MkDocs would skip unchanged pages and leave their titles out of
the navigation), and ``get_themes`` is looked up once per session instead of on every save.

MkDocs watches files by polling them every half second. ``use_file_events`` lets the operating
system report a save instead (inotify, FSEvents, ReadDirectoryChanges, through watchdog, which
MkDocs already uses): the rebuild starts at once. Some shared folders (Docker, WSL, network drives)
deliver no such events; ``make serve POLL=1`` keeps MkDocs' polling there.

MkDocs 1.x gets no more releases, so the functions wrapped here (``Page.render``,
``Files.add_files_from_theme``, ``File.is_modified``, ``utils.get_themes``, ``meta.get_data``,
``Theme.get_env``)
stay as they are; ``tests/test_preview_cache.py`` builds a site with
and without the caches and compares every file.
"""

from __future__ import annotations

import contextlib
import copy
import fnmatch
import functools
import hashlib
import logging
import os
import sysconfig
from collections.abc import Callable
from typing import Any

import watchdog.observers
from mkdocs import utils
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.theme import Theme
from mkdocs.utils import meta as mkdocs_meta

LIMIT = 4000  # entries; far above one site's pages in all languages, so a long session stays bounded

_RENDERED: dict[tuple, dict[str, Any]] = {}
_original_render: Callable | None = None
_original_add_theme_files: Callable | None = None
_LISTED: dict[tuple, list[str]] = {}
INSTALLED = os.path.realpath(sysconfig.get_paths()["purelib"])


def files_key(files: Files) -> str:
    """A digest of every documentation file's source and address: links resolve against these."""
    h = hashlib.sha256()
    for f in files.documentation_pages():
        h.update(f"{f.src_uri}\0{f.dest_uri}\0{f.url}\n".encode())
    return h.hexdigest()


def config_key(config: Any) -> str:
    """A digest of the configuration file (Markdown extensions and their options live there)."""
    path = getattr(config, "config_file_path", None)
    if not path:
        return ""
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def _remember(store: dict, key: Any, value: Any) -> None:
    if len(store) >= LIMIT:
        store.clear()
    store[key] = value


def cached_render(page: Page, config: Any, files: Files) -> None:
    """``Page.render`` that reuses an earlier result for the same Markdown, address and site files."""
    assert _original_render is not None
    key = (page.file.src_uri, page.file.dest_uri, page.markdown, files_key(files), config_key(config))
    hit = _RENDERED.get(key)
    if hit is None:
        _original_render(page, config, files)
        links = {target.src_uri: dict(anchors) for target, anchors in (page.links_to_anchors or {}).items()}
        _remember(
            _RENDERED,
            key,
            {
                "content": page.content,
                "toc_tokens": _toc_tokens(page.toc),
                "title": page._title_from_render,
                "anchors": set(page.present_anchor_ids or ()),
                "links": links,
            },
        )
        return
    page.content = hit["content"]
    page.toc = get_toc(hit["toc_tokens"])
    page._title_from_render = hit["title"]
    page.present_anchor_ids = set(hit["anchors"])
    targets = {src: files.get_file_from_path(src) for src in hit["links"]}
    page.links_to_anchors = {target: dict(hit["links"][src]) for src, target in targets.items() if target is not None}


def _toc_tokens(toc: Any) -> list[dict]:
    """The table of contents as the tokens ``get_toc`` builds it from (fresh objects on every reuse)."""
    return [{"level": item.level, "id": item.id, "name": item.title, "children": _toc_tokens(item.children)} for item in toc or []]


def install_page_cache() -> None:
    """Make MkDocs reuse page HTML across preview rebuilds (idempotent)."""
    global _original_render
    if _original_render is None:
        _original_render = Page.render
        Page.render = cached_render  # type: ignore[method-assign]


def uninstall_page_cache() -> None:
    """Restore MkDocs' own ``Page.render`` and forget every cached page."""
    global _original_render
    if _original_render is not None:
        Page.render = _original_render  # type: ignore[method-assign]
        _original_render = None
    _RENDERED.clear()


def theme_file_names(folder: str, patterns: tuple[str, ...]) -> list[str]:
    """Files below a theme folder that MkDocs copies into the site (relative, with ``/``).

    MkDocs skips names matching ``patterns`` (templates, dot files, Markdown). Installed folders
    (site-packages) do not change during a session: they are walked and filtered once.
    """
    installed = os.path.realpath(folder).startswith(INSTALLED + os.sep)
    key = (folder, patterns)
    if installed and key in _LISTED:
        return _LISTED[key]
    names = []
    for dirpath, _dirs, filenames in os.walk(folder, followlinks=True):
        for filename in filenames:
            name = os.path.relpath(os.path.join(dirpath, filename), folder).replace(os.sep, "/")
            if not any(fnmatch.fnmatch(name.lower(), pattern) for pattern in patterns):
                names.append(name)
    if installed:
        _LISTED[key] = names
    return names


def add_theme_files(files: Files, env: Any, config: Any) -> None:
    """``Files.add_files_from_theme`` of MkDocs 1.6 on ``theme_file_names``: the same files in the same order."""
    patterns = [".*", "*/.*", "*.py", "*.pyc", "*.html", "*readme*", "mkdocs_theme.yml", "locales/*"]
    patterns += [f"*{x}" for x in utils.markdown_extensions]
    patterns += list(config.theme.static_templates)
    first_dir: dict[str, str] = {}
    for folder in config.theme.dirs:
        for name in theme_file_names(folder, tuple(patterns)):
            first_dir.setdefault(name, folder)
    for name in sorted(first_dir):
        if files.get_file_from_path(name) is None:
            files.append(File(name, first_dir[name], config.site_dir, config.use_directory_urls))


def install_theme_listing_cache() -> None:
    """Make MkDocs list installed theme files once per preview session (idempotent)."""
    global _original_add_theme_files
    if _original_add_theme_files is None:
        _original_add_theme_files = Files.add_files_from_theme
        Files.add_files_from_theme = add_theme_files  # type: ignore[method-assign, assignment]


_original_get_env: Callable | None = None
_ENVS: dict[tuple, Any] = {}


def templates_stamp(folders: list[str]) -> tuple:
    """Name, size and modification time of every file in the theme folders outside installed packages."""
    stamp = []
    for folder in folders:
        if os.path.realpath(folder).startswith(INSTALLED + os.sep):
            continue
        for dirpath, _dirs, filenames in os.walk(folder):
            for filename in sorted(filenames):
                path = os.path.join(dirpath, filename)
                with contextlib.suppress(OSError):
                    st = os.stat(path)
                    stamp.append((path, st.st_size, st.st_mtime_ns))
    return tuple(sorted(stamp))


def cached_env(theme: Theme) -> Any:
    """``Theme.get_env``, reused while the theme folders, the language and the own templates stay the same.

    The environment keeps its compiled templates: MkDocs makes it with ``auto_reload=False``, so an
    edited template must start a new environment, which the stamp of the own folders ensures.
    """
    assert _original_get_env is not None
    key = (tuple(theme.dirs), str(theme.locale), templates_stamp(theme.dirs))
    env = _ENVS.get(key)
    if env is None:
        env = _original_get_env(theme)
        _remember(_ENVS, key, env)
    return env


def install_env_cache() -> None:
    """Make MkDocs reuse its Jinja environment across preview rebuilds (idempotent)."""
    global _original_get_env
    if _original_get_env is None:
        _original_get_env = Theme.get_env
        Theme.get_env = cached_env  # type: ignore[method-assign]


class _DirtyNotice(logging.Filter):
    """Drops MkDocs' warning about dirty builds: pages are all rebuilt, navigation stays right."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("A 'dirty' build is being performed")


_DIRTY_NOTICE = _DirtyNotice()
_original_is_modified: Callable | None = None
_original_get_themes: Callable | None = None
_original_get_data: Callable | None = None
_FRONT_MATTER: dict[str, tuple[str, dict]] = {}


def cached_front_matter(doc: str) -> tuple[str, dict]:
    """``mkdocs.utils.meta.get_data``, reused for the same page text."""
    assert _original_get_data is not None
    hit = _FRONT_MATTER.get(doc)
    if hit is None:
        hit = _original_get_data(doc)
        _remember(_FRONT_MATTER, doc, hit)
    return hit[0], copy.deepcopy(hit[1])


def _page_or_modified(file: File) -> bool:
    assert _original_is_modified is not None
    return file.is_documentation_page() or _original_is_modified(file)


def install_page_rebuilds() -> None:
    """In a dirty build, rebuild every page; copy other files only when they changed (idempotent)."""
    global _original_is_modified, _original_get_themes
    if _original_is_modified is None:
        _original_is_modified = File.is_modified
        File.is_modified = _page_or_modified  # type: ignore[method-assign, assignment]
        logging.getLogger("mkdocs.commands.build").addFilter(_DIRTY_NOTICE)
    if _original_get_themes is None:
        _original_get_themes = utils.get_themes
        utils.get_themes = functools.cache(_original_get_themes)


def install_front_matter_cache() -> None:
    """Make MkDocs reuse the parsed front matter of unchanged pages (idempotent)."""
    global _original_get_data
    if _original_get_data is None:
        _original_get_data = mkdocs_meta.get_data
        mkdocs_meta.get_data = cached_front_matter


POLL_ENV = "WEGWEISER_POLL"  # set by ``scripts/serve.py --poll``


def use_file_events(server: Any) -> Any:
    """Make a ``LiveReloadServer`` learn about saves from the operating system instead of polling.

    MkDocs has already scheduled its paths on its polling observer when plugins see the server
    (the ``on_serve`` event); they move to an event observer before it starts.
    """
    if os.environ.get(POLL_ENV) or not hasattr(server, "_watched_paths"):
        return server
    watched = dict(server._watched_paths)
    for path, count in watched.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = watchdog.observers.Observer()
    for path, count in watched.items():
        for _ in range(count):
            server.watch(path)
    return server


def install() -> None:
    """Every reuse of this module, for ``mkdocs serve``."""
    install_page_cache()
    install_theme_listing_cache()
    install_page_rebuilds()
    install_front_matter_cache()
    install_env_cache()


def uninstall() -> None:
    """Restore MkDocs' own functions and forget everything cached."""
    global _original_add_theme_files, _original_is_modified, _original_get_themes, _original_get_data, _original_get_env
    uninstall_page_cache()
    if _original_get_data is not None:
        mkdocs_meta.get_data = _original_get_data
        _original_get_data = None
    _FRONT_MATTER.clear()
    if _original_add_theme_files is not None:
        Files.add_files_from_theme = _original_add_theme_files  # type: ignore[method-assign]
        _original_add_theme_files = None
    if _original_is_modified is not None:
        File.is_modified = _original_is_modified  # type: ignore[method-assign]
        _original_is_modified = None
        logging.getLogger("mkdocs.commands.build").removeFilter(_DIRTY_NOTICE)
    if _original_get_themes is not None:
        utils.get_themes = _original_get_themes
        _original_get_themes = None
    _LISTED.clear()
    if _original_get_env is not None:
        Theme.get_env = _original_get_env  # type: ignore[method-assign]
        _original_get_env = None
    _ENVS.clear()
