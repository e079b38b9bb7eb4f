"""Live preview for editors (``make serve``).

``preview_config`` writes a variant of mkdocs.yml next to it that does not stop on warnings
(``strict: false``) and, with a language, builds only that language for fast re-renders. The
content gate then logs every error and the preview keeps serving. ``error_banner`` is the box the
preview shows on top of every page while the content has errors, so an editor who never looks at
the terminal still sees ``file:line: message``.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from .findings import Finding

BANNER_LIMIT = 20


def preview_config(config: Path, lang: str | None = None) -> Path:
    """Write ``.preview-<lang|all>.yml`` beside ``config`` and return its path."""
    text = config.read_text(encoding="utf-8")
    text = re.sub(r"^strict:.*$", "strict: false", text, flags=re.M)
    if lang:
        # Each language line ends with `build: true`; switch off all but the default and the chosen one.
        def keep(match: re.Match) -> str:
            line = match.group(0)
            code = re.search(r"locale:\s*(\w+)", line).group(1)
            wanted = code == lang or "default: true" in line
            return line.replace("build: true", f"build: {'true' if wanted else 'false'}")

        text = re.sub(r"^\s*- \{locale:.*\}$", keep, text, flags=re.M)
    out = config.parent / f".preview-{lang or 'all'}.yml"
    out.write_text(text, encoding="utf-8")
    return out


def watched_paths(root: Path, custom_dir: str | None = None) -> list[str]:
    """What the preview watches besides ``docs/``: data files, ``wegweiser.yml`` and own templates.

    MkDocs itself watches only the docs folder and its configuration file; an editor who fixes an
    office in ``data/`` or a local edition must see that too.
    """
    paths = [root / "data", root / "wegweiser.yml"]
    if custom_dir:
        paths.append(Path(custom_dir))
    return [str(p) for p in paths if p.exists()]


def one_language_config(root: Path, lang: str) -> Path:
    """The preview configuration of ``root/mkdocs.yml`` for one language."""
    return preview_config(root / "mkdocs.yml", lang)


def error_banner(errors: list[Finding]) -> str:
    """An alert box listing content errors (empty when there are none)."""
    if not errors:
        return ""
    items = "".join(f"<li><code>{html.escape(f.format(), quote=False)}</code></li>" for f in errors[:BANNER_LIMIT])
    more = f"<p>… {len(errors) - BANNER_LIMIT} more: see the terminal.</p>" if len(errors) > BANNER_LIMIT else ""
    return (
        '<div class="admonition failure ww-preview-errors" role="alert">'
        f'<p class="admonition-title">Preview only: {len(errors)} content error(s). '
        "The build (make build) stops until they are fixed.</p>"
        f"<ul>{items}</ul>{more}</div>\n"
    )
