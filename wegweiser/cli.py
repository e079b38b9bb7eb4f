"""Command-line entry points for editors: check, stamp, new-guide."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .config import ConfigError, load_project
from .findings import ERROR, FORMATTERS, WARNING, has_errors, sort_findings


def main(argv: list[str] | None = None) -> int:
    """Run the ``wegweiser`` command; return the exit status."""
    parser = argparse.ArgumentParser(prog="wegweiser", description=__doc__)
    parser.add_argument("--root", default=".", help="repository root (default: current directory)")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="check all content without building HTML")
    check.add_argument("--format", choices=sorted(FORMATTERS), default="text")
    check.add_argument("--min-level", choices=[ERROR, WARNING, "info"], default=WARNING)
    check.add_argument("--report", help="also write the JSON report to this file")
    stamp = sub.add_parser("stamp", help="mark translated steps as up to date with the German text")
    stamp.add_argument("files", nargs="+", help="translation files, e.g. docs/anmeldung.en.md")
    stamp.add_argument("--step", action="append", help="only these step ids (default: all)")
    stamp.add_argument("--reviewed", action="store_true", help="also mark the translation as reviewed by a native speaker")
    new = sub.add_parser("new-guide", help="create a German guide that passes every gate")
    new.add_argument("name", help="slug of the new guide, e.g. kindergeld")
    new.add_argument("--title", default=None)
    args = parser.parse_args(argv)
    root = Path(args.root)
    try:
        if args.command == "check":
            return run_check(root, args.format, args.min_level, args.report)
        if args.command == "stamp":
            from .freshness import stamp_files

            return stamp_files(root, [Path(f) for f in args.files], args.step, args.reviewed)
        if args.command == "new-guide":
            from .scaffold import new_guide

            return new_guide(root.resolve(), args.name, args.title)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 2


def run_check(root: Path, form: str, min_level: str, report: str | None) -> int:
    """Check the whole site and print findings; exit 1 only when there are errors."""
    from .checks import run_all
    from .site import load_site

    project = load_project(root)
    site = load_site(project)
    findings = run_all(site)
    levels = {ERROR: (ERROR,), WARNING: (ERROR, WARNING), "info": (ERROR, WARNING, "info")}[min_level]
    shown = [f for f in sort_findings(findings) if f.level in levels]
    if report:
        Path(report).write_text(FORMATTERS["json"](findings) + "\n", encoding="utf-8")
    out = FORMATTERS[form](shown)
    if out:
        print(out)
    if form == "text":
        errors = sum(f.level == ERROR for f in findings)
        warnings = sum(f.level == WARNING for f in findings)
        print(f"{len(site.pages)} pages checked: {errors} errors, {warnings} warnings", file=sys.stderr)
    return 1 if has_errors(findings) else 0
