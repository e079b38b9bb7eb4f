"""Project configuration (``wegweiser.yml``) and the data files under ``data/``."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .findings import Finding, finding
from .model import FastSafeLoader


class ConfigError(Exception):
    """Broken configuration or data; carries findings instead of a traceback."""

    def __init__(self, findings: list[Finding]):
        super().__init__("\n".join(f.format() for f in findings))
        self.findings = findings


@dataclass
class Language:
    """One language of the site."""

    code: str
    name: str
    rtl: bool = False


@dataclass
class Project:
    """Everything the checks and generators need besides the pages themselves."""

    root: Path
    languages: list[Language]
    settings: dict[str, Any]
    offices: dict[str, dict]
    vocab: dict[str, list[str]]
    laws: dict[str, dict]
    strings: dict[str, dict] = field(default_factory=dict)
    docs_dir: Path | None = None
    findings: list[Finding] = field(default_factory=list)
    """Non-fatal problems found while loading (for example a missing strings file)."""

    @property
    def codes(self) -> list[str]:
        """Language codes, source language first."""
        return [lang.code for lang in self.languages]

    @property
    def source_lang(self) -> str:
        """The language editors write first (German)."""
        return self.languages[0].code

    def rtl(self, code: str) -> bool:
        """Return True for right-to-left languages."""
        return any(lang.rtl for lang in self.languages if lang.code == code)

    def text(self, lang: str, *keys: str, default: str | None = None) -> Any:
        """Look up a string for ``lang``, falling back to the source language."""
        for code in (lang, self.source_lang):
            node: Any = self.strings.get(code, {})
            for key in keys:
                node = node.get(key) if isinstance(node, dict) else None
            if node not in (None, ""):
                return node
        return default if default is not None else ".".join(keys)


_READ: dict[str, tuple[bytes, Any]] = {}


def read_yaml(path: Path) -> Any:
    """Read a YAML file, turning every problem into a finding with file and line.

    The data of a file read before with the same bytes is reused (as a copy: callers may change
    it), so the live preview does not parse the data files again after every save.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError([finding(_rel(path), 1, "Config.Missing", f"cannot read file: {exc.strerror}")]) from None
    key = str(path.resolve())
    cached = _READ.get(key)
    if cached is not None and cached[0] == raw:
        return copy.deepcopy(cached[1])
    data = _parse_yaml(path, raw)
    _READ[key] = (raw, data)
    return copy.deepcopy(data)


def _parse_yaml(path: Path, raw: bytes) -> Any:
    """Parse the bytes of a YAML file; problems raise ConfigError with file and line."""
    rel = _rel(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError([finding(rel, line, "Config.Encoding", "file is not valid UTF-8")]) from None
    text = text.replace("\r\n", "\n")
    try:
        return yaml.load(text, Loader=FastSafeLoader)  # noqa: S506 - a safe loader (libyaml's when present)
    except yaml.YAMLError:
        pass
    try:
        return yaml.safe_load(text)  # the pure parser again, for a message that is the same everywhere
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError([finding(rel, line, "Config.YAML", f"invalid YAML: {problem}")]) from None


def _rel(path: Path) -> str:
    """Return ``path`` relative to the working directory when possible, for messages."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_project(root: Path, docs_dir: Path | None = None) -> Project:
    """Load ``wegweiser.yml`` and ``data/`` below ``root``."""
    root = Path(root)
    settings = read_yaml(root / "wegweiser.yml") or {}
    problems: list[Finding] = []
    cfg_rel = _rel(root / "wegweiser.yml")
    langs = []
    for item in settings.get("languages") or []:
        if not isinstance(item, dict) or "code" not in item:
            problems.append(finding(cfg_rel, 1, "Config.Languages", f"language entry needs a code: {item!r}"))
            continue
        langs.append(Language(str(item["code"]), str(item.get("name", item["code"])), bool(item.get("rtl"))))
    if not langs:
        problems.append(finding(cfg_rel, 1, "Config.Languages", "no languages configured"))
    data = root / "data"
    offices = read_yaml(data / "offices.yml") or {}
    vocab = read_yaml(data / "facts.yml") or {}
    laws = read_yaml(data / "laws.yml") or {}
    strings = {}
    notes: list[Finding] = []
    for lang in langs:
        path = data / "i18n" / f"{lang.code}.yml"
        if path.exists():
            strings[lang.code] = read_yaml(path) or {}
        elif lang is not langs[0]:
            notes.append(finding(_rel(path), 1, "Strings.Missing", f"no interface strings for '{lang.code}': German is shown", "warning"))
        else:
            problems.append(finding(_rel(path), 1, "Strings.Missing", "the source language needs its interface strings"))
    if problems:
        raise ConfigError(problems)
    docs = Path(docs_dir) if docs_dir else root / "docs"
    return Project(root, langs, settings, offices, vocab, laws, strings, docs, notes)
