"""A one-language variant of mkdocs.yml for fast previews (``make serve LANG=ar``)."""

from __future__ import annotations

import re
from pathlib import Path


def one_language_config(root: Path, lang: str) -> Path:
    """Write ``.preview-<lang>.yml`` that builds only ``lang`` (and return its path)."""
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")

    # Each language line ends with `build: true`; switch off all but the default and the chosen one.
    def keep(match: re.Match) -> str:
        line = match.group(0)
        code = re.search(r"locale:\s*(\w+)", line).group(1)
        wanted = code == lang or "default: true" in line
        return line.replace("build: true", f"build: {'true' if wanted else 'false'}")

    text = re.sub(r"^\s*- \{locale:.*\}$", keep, text, flags=re.M)
    out = root / f".preview-{lang}.yml"
    out.write_text(text, encoding="utf-8")
    return out
