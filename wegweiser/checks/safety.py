"""Safe content: pull requests cannot put active content into pages that authorities embed.

Raw HTML is limited to a small allow-list of inline tags without attributes that could run
code or change the layout; links must not use ``javascript:``, ``data:`` or ``vbscript:``;
attribute lists (``{: ...}``) must not add event handlers or styles. Front-matter text must
not contain HTML at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..findings import Finding, finding
from ..model import RE_FENCE, Page
from ..site import Site

ALLOWED_TAGS = {"br", "strong", "em", "b", "i", "abbr", "bdi", "span", "sub", "sup", "small", "kbd", "mark", "s", "u"}
ALLOWED_ATTRS = {"lang", "dir", "title"}
RE_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>")
RE_COMMENT = re.compile(r"<!--.*?-->")
RE_ATTR_NAME = re.compile(r"([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*(?:=|(?=\s|$))")
RE_BAD_SCHEME = re.compile(r"(?i)\b(javascript|vbscript|data)\s*:")
RE_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)")
RE_EVENT = re.compile(r"(?i)\bon[a-z]+\s*=")
RE_ATTR_LIST = re.compile(r"\{:?\s*[^}]*\}")
RE_INLINE_CODE = re.compile(r"`[^`]*`")


def check(site: Site) -> list[Finding]:
    """Check every page's Markdown and front matter for unsafe content."""
    out: list[Finding] = []
    for page in site.pages.values():
        out += page.remember("safety", lambda page=page: check_page(page))
    return out


def check_page(page: Page) -> list[Finding]:
    """Unsafe content in one page's Markdown and front matter."""
    return check_lines(page.path, page.lines, max(page.body_start, 1)) + check_meta(page.path, page.meta, page.line_of)


def check_lines(path: str, lines: list[str], start: int) -> list[Finding]:
    """Find unsafe HTML, URLs and attributes in Markdown lines (code is ignored)."""
    out: list[Finding] = []
    in_fence = False
    for number in range(start, len(lines) + 1):
        raw = lines[number - 1]
        if RE_FENCE.match(raw):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        line = RE_INLINE_CODE.sub(lambda m: " " * len(m.group(0)), raw)
        line = RE_COMMENT.sub(lambda m: " " * len(m.group(0)), line)
        for m in RE_TAG.finditer(line):
            tag = m.group(2).lower()
            col = m.start() + 1
            if tag not in ALLOWED_TAGS:
                out.append(finding_at(path, number, col, "Safety.Tag", f"raw HTML tag <{tag}> is not allowed; write Markdown instead"))
                continue
            for attr in RE_ATTR_NAME.findall(m.group(3)):
                if attr.lower() not in ALLOWED_ATTRS:
                    out.append(
                        finding_at(
                            path, number, col, "Safety.Attribute", f"attribute '{attr}' on <{tag}> is not allowed (only {', '.join(sorted(ALLOWED_ATTRS))})"
                        )
                    )
        for m in RE_EVENT.finditer(line):
            out.append(finding_at(path, number, m.start() + 1, "Safety.Event", "event handler attributes (on...=) are not allowed"))
        for m in RE_BAD_SCHEME.finditer(line):
            out.append(finding_at(path, number, m.start() + 1, "Safety.Url", f"'{m.group(1).lower()}:' links are not allowed; link to https pages only"))
        for m in RE_ATTR_LIST.finditer(line):
            if re.search(r"(?i)\bstyle\s*=", m.group(0)):
                out.append(finding_at(path, number, m.start() + 1, "Safety.Attribute", "style attributes are not allowed; the theme sets the look"))
    return _dedupe(out)


def finding_at(path: str, line: int, col: int, rule: str, message: str) -> Finding:
    """Finding with a column."""
    return finding(path, line, rule, message, col=col)


def _dedupe(items: list[Finding]) -> list[Finding]:
    """Keep one finding per place and rule."""
    seen, out = set(), []
    for f in items:
        key = (f.line, f.col, f.rule)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def check_meta(path: str, meta: dict, line_of: Callable[..., int]) -> list[Finding]:
    """Front-matter text is plain text: no HTML, no active URLs."""
    out: list[Finding] = []

    def walk(value: Any, keys: tuple) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, keys + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, keys + (i,))
        elif isinstance(value, str):
            if RE_TAG.search(value):
                out.append(finding(path, line_of(*keys), "Safety.FrontMatter", f"front matter '{keys[0]}' must be plain text, without HTML"))
            elif RE_BAD_SCHEME.search(value):
                out.append(finding(path, line_of(*keys), "Safety.Url", f"front matter '{keys[0]}' contains an active URL scheme"))

    walk(meta, ())
    return out
