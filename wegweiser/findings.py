"""One value type for every problem the checks find, and one formatter per output form."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, fields

ERROR = "error"
WARNING = "warning"
INFO = "info"
_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}


@dataclass(frozen=True, order=True)
class Finding:
    """A problem in one file, at one line, found by one rule."""

    path: str
    line: int
    col: int
    level: str
    rule: str
    message: str

    def format(self) -> str:
        """Return the compiler-style line ``path:line:col: level [Rule] message``."""
        return f"{self.path}:{self.line}:{self.col}: {self.level} [{self.rule}] {self.message}"

    def as_dict(self) -> dict:
        """The fields by name, as JSON shows them (``dataclasses.asdict`` deep-copies: 20× slower)."""
        return {name: getattr(self, name) for name in _FIELDS}


_FIELDS = tuple(f.name for f in fields(Finding))


def finding(path: str, line: int, rule: str, message: str, level: str = ERROR, col: int = 1) -> Finding:
    """Create a finding; a short helper so checks read as one line each."""
    return Finding(str(path), max(int(line), 1), max(int(col), 1), level, rule, message)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Sort by file, then line, then severity: the order an editor fixes things in."""
    return sorted(set(findings), key=lambda f: (f.path, f.line, f.col, _ORDER.get(f.level, 9), f.rule, f.message))


def has_errors(findings: Iterable[Finding]) -> bool:
    """Return True when any finding is an error."""
    return any(f.level == ERROR for f in findings)


def format_text(findings: Iterable[Finding]) -> str:
    """Format findings one per line, for the terminal and the build log."""
    return "\n".join(f.format() for f in sort_findings(findings))


def format_json(findings: Iterable[Finding]) -> str:
    """Format findings as a JSON list of objects."""
    return json.dumps([f.as_dict() for f in sort_findings(findings)], ensure_ascii=False, indent=2)


def format_github(findings: Iterable[Finding]) -> str:
    """Format findings as GitHub Actions workflow annotations."""
    lines = []
    for f in sort_findings(findings):
        kind = {ERROR: "error", WARNING: "warning"}.get(f.level, "notice")
        msg = _escape_data(f.message)
        lines.append(f"::{kind} file={_escape_property(f.path)},line={f.line},col={f.col},title={_escape_property(f.rule)}::{msg}")
    return "\n".join(lines)


def _escape_data(text: str) -> str:
    """Escape an annotation's message (GitHub's workflow-command syntax)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """Escape an annotation property such as ``file=``: also ``:`` and ``,``, which end a property."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}
