"""Scaffolding: ``make new-guide NAME=kindergeld`` creates a German guide that passes every gate."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

from .clock import today

TEMPLATE = """---
kind: guide
title: {title}
summary: >-
  Für wen ist diese Anleitung?
  Was gewinnen die Leser?
audience: [alle]
order: 99
reviewed: {today}
sources:
  - https://www.gesetze-im-internet.de/
facts:
  erster_schritt:
    duty: false
    office: migrationsberatung
    cost: {{eur: 0}}
    consequence_kind: other
---

# {title}

Schreiben Sie hier 3 bis 6 kurze Sätze.
Für wen ist die Anleitung?
Was ist das Ziel?

## Beratung suchen {{#erster_schritt}}

Sagen Sie hier, was die Leser tun.
Sagen Sie auch, wo und bis wann.
Ein Satz hat höchstens 15 Wörter.

!!! benefit
    Sagen Sie hier, was die Leser gewinnen.

!!! consequence
    Sagen Sie hier ruhig und genau, was sonst passiert.
"""

NEXT_STEPS = """Created {path}

Next:
  1. Replace the example text and the source with real, official sources (https).
  2. Give every step an id ({{#id}}), one '!!! benefit' and one '!!! consequence'.
  3. Add the step's facts under 'facts:' (see CONTRIBUTING.md).
  4. Run 'make check' and fix what it reports, then 'make serve ONLY=de' to preview.
  5. Add the page to 'nav:' in mkdocs.yml and link it from docs/index.md.
"""


def new_guide(root: Path, name: str, title: str | None = None, when: dt.date | None = None) -> int:
    """Create ``docs/<name>.md``; refuse bad names and existing files."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name or ""):
        print(f"error: guide name '{name}' must be lower case ASCII with '-', for example kindergeld", file=sys.stderr)
        return 2
    path = Path(root) / "docs" / f"{name}.md"
    if path.exists():
        print(f"error: {path} exists already", file=sys.stderr)
        return 1
    title = title or name.replace("-", " ").capitalize()
    path.write_text(TEMPLATE.format(title=title, today=(when or today()).isoformat()), encoding="utf-8")
    print(NEXT_STEPS.format(path=path.relative_to(root) if path.is_relative_to(root) else path))
    return 0
