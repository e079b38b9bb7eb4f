"""The content model: a Markdown page parsed once into guide -> steps -> benefit, consequence, facts.

Syntax contract of a guide (see CONTRIBUTING.md):

- YAML front matter between ``---`` lines, with ``kind: guide`` (or ``page`` / ``start``).
- One ``# Title`` heading, an introduction, then steps.
- Each step is a level-2 heading with an explicit ASCII id: ``## Termin machen {#termin}``.
- Inside each step: exactly one ``!!! benefit`` and one ``!!! consequence`` admonition, each with
  indented text.

Every element keeps the line number of its source, so checks can report ``file:line``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from .findings import Finding, finding

RE_FENCE = re.compile(r"^\s*(```|~~~)")
RE_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
RE_ATTR_ID = re.compile(r"\s*\{\s*#([^\s}]*)[^}]*\}\s*$")
RE_ADMONITION = re.compile(r"^(!!!|\?\?\?\+?)\s+([\w-]+)(?:\s+\"(.*)\")?\s*$")
RE_STEP_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")
KINDS = ("guide", "page", "start", "generated")
GENERATORS = ("overview", "glossary", "search")
BLOCK_KINDS = ("benefit", "consequence")


@dataclass
class Block:
    """An admonition block (benefit, consequence or another type) inside a page."""

    kind: str
    line: int
    text: str
    text_line: int


@dataclass
class Step:
    """One step of a guide: a level-2 heading and everything up to the next one."""

    id: str | None
    title: str
    line: int
    body: list[tuple[int, str]] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)

    def blocks_of(self, kind: str) -> list[Block]:
        """Return this step's admonition blocks of one kind."""
        return [b for b in self.blocks if b.kind == kind]

    @property
    def text(self) -> str:
        """The step's Markdown text (heading title and body), without its id."""
        return "\n".join([self.title] + [line for _, line in self.body])

    @cached_property
    def text_hash(self) -> str:
        """Hash of the step's text, blind to whitespace and line wrapping."""
        return text_hash(self.text)


@dataclass
class Page:
    """A Markdown page of the site, in one language."""

    path: str
    slug: str
    lang: str
    meta: dict[str, Any]
    meta_lines: dict[tuple, int]
    body_start: int
    title: str | None = None
    title_line: int = 1
    intro: list[tuple[int, str]] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    stray_blocks: list[Block] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def remember(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()``, once per parsed page.

        A page is never changed after parsing, and the live preview reuses the parsed page of an
        unchanged file: results that depend on this page alone are kept with it.
        """
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    @property
    def kind(self) -> str | None:
        """``guide``, ``page``, ``start`` or None for plain pages without front matter kind."""
        kind = self.meta.get("kind")
        return kind if isinstance(kind, str) else None

    @property
    def is_guide(self) -> bool:
        """True when the page is a step-by-step guide."""
        return self.kind == "guide"

    def line_of(self, *keys: Any) -> int:
        """Return the source line of a front-matter key path (the nearest known parent)."""
        while keys:
            if keys in self.meta_lines:
                return self.meta_lines[keys]
            keys = keys[:-1]
        return 1

    def step(self, step_id: str) -> Step | None:
        """Return the step with this id, if any."""
        return next((s for s in self.steps if s.id == step_id), None)


def text_hash(text: str) -> str:
    """Return a short, whitespace-insensitive hash of a text."""
    normal = " ".join(text.split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:10]


def split_name(filename: str, languages: list[str]) -> tuple[str, str] | None:
    """Split ``anmeldung.ar.md`` into ``("anmeldung", "ar")``; the source language has no suffix."""
    if not filename.endswith(".md"):
        return None
    stem = filename[:-3]
    base, dot, suffix = stem.rpartition(".")
    if dot and suffix in languages[1:]:
        return base, suffix
    if dot and re.fullmatch(r"[a-z]{2,3}(_[A-Z]{2})?", suffix):
        return base, suffix  # an unknown language: the site loader reports it
    return stem, languages[0]


def normalise(raw: bytes, path: str) -> tuple[str | None, list[Finding]]:
    """Decode a file as UTF-8 (a byte-order mark is fine) with Unix line ends."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [finding(path, line, "File.Encoding", "file is not valid UTF-8; save it as UTF-8")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def split_front_matter(text: str) -> tuple[str | None, int]:
    """Return the YAML text of the front matter and the line where the body starts."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, 1
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "\n".join(lines[1:i]), i + 2
    return "\n".join(lines[1:]), -1


def _key_lines(node: Any, base: int, path: tuple = ()) -> dict[tuple, int]:
    """Map every key path of a composed YAML node to its file line."""
    out: dict[tuple, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            out[path + (key,)] = key_node.start_mark.line + base
            out.update(_key_lines(value_node, base, path + (key,)))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out[path + (i,)] = item.start_mark.line + base
            out.update(_key_lines(item, base, path + (i,)))
    return out


# libyaml's parser when PyYAML was built with it (several times faster); messages always come from
# the pure-Python parser, so an error reads the same on every machine.
FastSafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _keep_dates_as_text(loader: type) -> None:
    loader.yaml_implicit_resolvers = {
        key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


class MetaLoader(yaml.SafeLoader):
    """Safe YAML loader that keeps dates as text, so a bad date is a finding, not a crash."""


class FastMetaLoader(FastSafeLoader):
    """``MetaLoader`` on libyaml's parser."""


_keep_dates_as_text(MetaLoader)
_keep_dates_as_text(FastMetaLoader)


def _compose(loader_class: type, yaml_text: str) -> tuple[Any, Any]:
    loader = loader_class(yaml_text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def compose_meta(yaml_text: str) -> tuple[Any, Any]:
    """Compose and construct one YAML document: (node, data). Raises the pure parser's error."""
    try:
        return _compose(FastMetaLoader, yaml_text)
    except yaml.YAMLError:
        return _compose(MetaLoader, yaml_text)  # the same message on every machine


def parse_meta(yaml_text: str, path: str) -> tuple[dict, dict[tuple, int], list[Finding]]:
    """Parse front matter YAML into a dict plus the line of every key."""
    try:
        node, meta = compose_meta(yaml_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        problem = getattr(exc, "problem", None) or "cannot parse"
        return {}, {}, [finding(path, line, "FrontMatter.YAML", f"front matter is not valid YAML: {problem}")]
    if meta is None:
        return {}, {}, []
    if not isinstance(meta, dict):
        return {}, {}, [finding(path, 2, "FrontMatter.Type", "front matter must be a mapping of keys to values")]
    return meta, _key_lines(node, 2), []


def parse_page(path: str, text: str, slug: str, lang: str) -> Page:
    """Parse one Markdown page into the content model. Never raises on bad content."""
    yaml_text, body_start = split_front_matter(text)
    findings: list[Finding] = []
    meta: dict = {}
    meta_lines: dict[tuple, int] = {}
    if body_start == -1:
        findings.append(finding(path, 1, "FrontMatter.Unclosed", "front matter starts with '---' but never ends"))
        body_start = len(text.split("\n")) + 1
    elif yaml_text is not None:
        meta, meta_lines, problems = parse_meta(yaml_text, path)
        findings += problems
    lines = text.split("\n")
    page = Page(path, slug, lang, meta, meta_lines, body_start, lines=lines, findings=findings)
    _parse_body(page, lines, body_start)
    return page


def _parse_body(page: Page, lines: list[str], start: int) -> None:
    """Fill title, intro, steps and blocks from the Markdown body."""
    in_fence = False
    current: Step | None = None
    block: Block | None = None
    block_lines: list[str] = []

    def close_block() -> None:
        nonlocal block, block_lines
        if block is not None:
            block.text = "\n".join(block_lines).strip()
            (current.blocks if current else page.stray_blocks).append(block)
        block, block_lines = None, []

    for number in range(start, len(lines) + 1):
        line = lines[number - 1]
        if RE_FENCE.match(line):
            in_fence = not in_fence
        if block is not None:
            if line.startswith(("    ", "\t")) or (not line.strip() and not in_fence):
                if line.strip():
                    if not block_lines or not any(x.strip() for x in block_lines):
                        block.text_line = number
                    block_lines.append(line[4:] if line.startswith("    ") else line[1:])
                else:
                    block_lines.append("")
                if current:
                    current.body.append((number, line))
                else:
                    page.intro.append((number, line))
                continue
            close_block()
        heading = None if in_fence else RE_HEADING.match(line)
        if heading and len(heading.group(1)) == 1 and page.title is None:
            page.title, page.title_line = _strip_attrs(heading.group(2))[0], number
            continue
        if heading and len(heading.group(1)) == 2:
            title, step_id = _strip_attrs(heading.group(2))
            current = Step(step_id, title, number)
            page.steps.append(current)
            continue
        adm = None if in_fence else RE_ADMONITION.match(line)
        if adm:
            block = Block(adm.group(2), number, "", number)
        (current.body if current else page.intro).append((number, line))
    close_block()


def _strip_attrs(title: str) -> tuple[str, str | None]:
    """Split ``Title {#id}`` into the title and the id (None when there is no id)."""
    match = RE_ATTR_ID.search(title)
    if not match:
        return title.strip(), None
    return title[: match.start()].strip(), match.group(1)


def parse_file(file: Path, rel: str, slug: str, lang: str) -> Page:
    """Read and parse a file; unreadable or non-UTF-8 files give a page with a finding."""
    text, problems = normalise(file.read_bytes(), rel)
    if text is None:
        return Page(rel, slug, lang, {}, {}, 1, findings=problems)
    return parse_page(rel, text, slug, lang)
