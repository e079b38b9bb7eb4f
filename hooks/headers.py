"""Security headers: after the last language, write ``site/_headers`` and ``site/_headers.nginx.conf``.

Both come from ``data/headers.yml`` (see ``wegweiser/headers.py``). This must run after every
language and every generated page (embeds, print views) is written, because the policy carries
the hash of every inline script in the built HTML: hence priority -300, after static-i18n (-100),
``hooks/outputs.py`` (-150) and ``hooks/gate.py`` (-200).
"""

from __future__ import annotations

from pathlib import Path

from _common import State, is_last_language, project_root
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger

from wegweiser.config import ConfigError
from wegweiser.headers import HEADERS_FILE, NGINX_FILE, write_headers

log = get_plugin_logger("headers")

# ----------------------------------------------------------------------------------------------
# Hooks
# ----------------------------------------------------------------------------------------------


def on_startup(command: str, dirty: bool = False, **kwargs) -> None:
    """Remember whether this is a build or a live preview (also when gate.py is not loaded)."""
    State.command = command


@event_priority(-300)
def on_post_build(config, **kwargs) -> None:
    """After the last language: hash the inline code and write both header files (not in the live preview)."""
    if not is_last_language(config) or State.command == "serve":
        return
    try:
        inline = write_headers(Path(config.site_dir), project_root(config) / "data" / "headers.yml")
    except ConfigError as exc:
        _fail(f"{len(exc.findings)} error(s) in the security headers:\n" + "\n".join(f.format() for f in exc.findings))
        return
    # Inline code the policy blocks is a broken page: a warning, so `--strict` stops the build.
    for f in inline.findings:
        log.warning(f.format())
    if inline.style_attrs:
        log.info("%d style attribute(s) allowed by hash ('unsafe-hashes'); prefer a class in a stylesheet", len(inline.style_attrs))
    log.info(
        "%s and %s written: %d inline script hash(es), %d inline style hash(es)",
        HEADERS_FILE,
        NGINX_FILE,
        len(inline.scripts),
        len(inline.styles),
    )


# ----------------------------------------------------------------------------------------------
# Helper functions
# ----------------------------------------------------------------------------------------------


def _fail(text: str) -> None:
    """Stop the build, or only log during ``mkdocs serve`` (a PluginError would end the server)."""
    if State.command == "serve":
        log.warning(text)
        return
    raise PluginError(text)
