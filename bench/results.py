"""Figures, targets and the ``bench/RESULTS.md`` writer (pure functions, tested in tests/test_bench.py)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

OPS = {
    "<=": lambda v, t: v <= t,
    "<": lambda v, t: v < t,
    ">=": lambda v, t: v >= t,
    ">": lambda v, t: v > t,
    "==": lambda v, t: v == t,
}


@dataclass
class Figure:
    """One measured figure: the median of its runs, with an optional target."""

    section: str
    name: str
    values: list[float] = field(default_factory=list)
    unit: str = ""
    op: str | None = None
    target: float | None = None
    note: str = ""
    missing: str | None = None  # "not measured: <why>"
    digits: int | None = None
    n: int | None = None  # runs behind a derived figure (a ratio of medians)
    part: str = ""  # the bench/run.py part that measured it (for --merge)

    @property
    def value(self) -> float | None:
        """Median of the runs, None when nothing was measured."""
        return statistics.median(self.values) if self.values else None

    @property
    def runs(self) -> int:
        return self.n if self.n is not None else len(self.values)

    @property
    def met(self) -> str:
        """``yes``, ``no``, ``–`` (no target) or ``not measured``."""
        if self.value is None:
            return "not measured"
        if self.op is None or self.target is None:
            return "–"
        return "yes" if OPS[self.op](self.value, self.target) else "no"


def fmt_number(value: float | None, unit: str = "", digits: int | None = None) -> str:
    """Format a number for the table: thousands separated, sensible decimals."""
    if value is None:
        return "–"
    if digits is None:
        digits = 0 if abs(value) >= 100 or float(value).is_integer() else 2 if abs(value) < 10 else 1
    text = f"{value:,.{digits}f}".replace(",", "\u202f")
    return f"{text} {unit}".strip()


def fmt_target(fig: Figure) -> str:
    """``≤ 70 KB`` and the like."""
    if fig.op is None or fig.target is None:
        return "–"
    sign = {"<=": "≤", ">=": "≥", "<": "<", ">": ">", "==": "="}[fig.op]
    return f"{sign} {fmt_number(fig.target, fig.unit, fig.digits)}"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def results_table(figures: list[Figure]) -> str:
    """Markdown table of every figure beside its target, grouped by section."""
    lines = ["| Section | Figure | Median | Runs | Target | Met | Note |", "|---|---|---:|---:|---|---|---|"]
    for fig in figures:
        if fig.value is None:
            value, note = "–", fig.missing or "not measured"
            note = note if note.startswith("not measured") else f"not measured: {note}"
            note = f"{note}; {fig.note}" if fig.note else note
        else:
            value, note = fmt_number(fig.value, fig.unit, fig.digits), fig.note
        lines.append("| " + " | ".join(_cell(c) for c in (fig.section, fig.name, value, fig.runs, fmt_target(fig), fig.met, note)) + " |")
    return "\n".join(lines) + "\n"


def summary_line(figures: list[Figure]) -> str:
    """``12 figures with a target: 9 met, 2 missed, 1 not measured``."""
    targeted = [f for f in figures if f.op is not None]
    met = sum(f.met == "yes" for f in targeted)
    missed = sum(f.met == "no" for f in targeted)
    missing = sum(f.met == "not measured" for f in targeted)
    return f"{len(targeted)} figures with a target: {met} met, {missed} missed, {missing} not measured."


def render_results(header: dict[str, str], figures: list[Figure], notes: list[str], findings: list[str]) -> str:
    """The whole RESULTS.md text."""
    out = ["# Benchmark results", "", "Written by `make bench` (`bench/run.py`); every run replaces this file.", ""]
    out += [f"- **{k}:** {v}" for k, v in header.items()]
    out += ["", "## Figures", "", summary_line(figures), "", results_table(figures)]
    if notes:
        out += ["## Notes", ""] + [f"- {n}" for n in notes] + [""]
    if findings:
        out += ["## Site problems found (what stops a target)", ""] + [f"- {f}" for f in findings] + [""]
    return "\n".join(out).rstrip("\n") + "\n"
