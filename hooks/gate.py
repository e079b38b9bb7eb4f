"""Content gate: run every check once per build and stop the build on errors.

Errors end ``mkdocs build`` with a PluginError listing every problem of every language, one
``file:line:col: level [Rule] message`` per line. ``mkdocs serve`` logs them, shows them on top of every page and keeps running.
Warnings are logged at INFO level: they are reported but never fail, also not under ``--strict``.
"""

from __future__ import annotations

import os

from _common import State, is_first_language, is_last_language, load, log, project_root
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from wegweiser.background import Background, StepFailed
from wegweiser.checks import check_findings, parse_findings
from wegweiser.config import ConfigError
from wegweiser.editions import load_edition
from wegweiser.editions import site_url as edition_site_url
from wegweiser.findings import ERROR, format_json, sort_findings
from wegweiser.preview import error_banner, watched_paths
from wegweiser.preview_cache import install as install_preview_cache
from wegweiser.preview_cache import use_file_events
from wegweiser.reports import write_reports

# ----------------------------------------------------------------------------------------------
# Hooks
# ----------------------------------------------------------------------------------------------


def on_startup(command: str, dirty: bool = False, **kwargs) -> None:
    """Remember whether this is a build or a live preview; the preview reuses unchanged pages' HTML."""
    State.command = command
    if command == "serve":
        install_preview_cache()


def on_serve(server, config, builder, **kwargs):
    """The preview also rebuilds after changes in data/, wegweiser.yml and overrides/, as soon as a file is saved."""
    for path in watched_paths(project_root(config), config.theme.custom_dir):
        server.watch(path)
    return use_file_events(server)


@event_priority(100)
def on_pre_build(config, **kwargs) -> None:
    """Parse all pages of all languages and check them, once per build run.

    What loading finds (unreadable files, broken front matter) stops the build at once: MkDocs
    could not render those pages. In ``mkdocs build`` the content checks then run in a child
    process while MkDocs renders the German pages (``wegweiser/background.py``); their errors stop
    the build before the other languages. The live preview checks first: it shows the errors on every page.
    """
    if not is_first_language(config):
        return
    State.background.wait()  # a run that stopped half-way (preview) leaves nothing behind
    State.background = Background(jobs=0 if State.command == "serve" else None)
    State.articles = {}
    State.checks = None
    try:
        site = load(config)
    except ConfigError as exc:
        State.site = None
        State.findings = sort_findings(exc.findings)
        return _fail(exc.findings)
    State.edition, problems = None, []
    name = os.environ.get("WEGWEISER_EDITION")
    if name:
        State.edition, problems = load_edition(site, name)
        if State.edition and State.edition.get("site_url") and State.command != "serve":
            # Canonical, hreflang and sitemap addresses of the city's build (every language shares this config).
            config["site_url"] = edition_site_url(site.project, State.edition)
    State.findings = sort_findings(parse_findings(site) + problems)
    if State.background.jobs > 0 and any(f.level == ERROR for f in State.findings):
        return _report()
    State.checks = State.background.run("content checks", check_findings, site)
    if State.background.jobs <= 0:
        _report_checks()


@event_priority(200)  # before static-i18n (-100) builds the other languages
def on_post_build(config, **kwargs) -> None:
    """After the German pages: wait for the content checks (errors stop the build here), write the reports.

    The JSON report and the editors' report page need only the findings, so they are written
    once the checks are in, before the other languages.
    """
    if State.checks is not None:
        _report_checks()
    if not is_last_language(config) or State.site is None:
        return
    write_reports(State.site, State.findings, config.site_dir)
    report = os.environ.get("WEGWEISER_REPORT")
    if report:
        with open(report, "w", encoding="utf-8") as fh:
            fh.write(format_json(State.findings) + "\n")


def _report_checks() -> None:
    """Log the checks' warnings and stop the build on errors (once per build run)."""
    job, State.checks = State.checks, None
    try:
        found = State.background.result(job)
    except StepFailed as exc:
        log.debug("%s\n%s", exc.failure.format(), exc.failure.details)
        raise PluginError(f"The content checks failed: {exc.failure.message}") from None
    State.findings = sort_findings(State.findings + found)
    _report()


def _report() -> None:
    """Log the warnings at INFO level (they never fail a build, also not under ``--strict``); stop on errors."""
    for f in State.findings:
        if f.level != ERROR:
            log.info(f.format())
    errors = [f for f in State.findings if f.level == ERROR]
    if errors:
        _fail(errors)


def on_page_content(html: str, page, config, files, **kwargs) -> str:
    """During ``mkdocs serve``, show the content errors on top of every page."""
    if State.command != "serve":
        return html
    return error_banner([f for f in State.findings if f.level == ERROR]) + html


# ----------------------------------------------------------------------------------------------
# Helper functions
# ----------------------------------------------------------------------------------------------


def _fail(findings) -> None:
    """Stop the build, or only log during ``mkdocs serve`` (the preview shows them on every page)."""
    text = f"{len(findings)} content error(s):\n" + "\n".join(f.format() for f in findings)
    if State.command == "serve":
        log.warning(text)
        return
    raise PluginError(text)


__all__ = ["on_startup", "on_serve", "on_pre_build", "on_page_content", "on_post_build", "project_root"]
