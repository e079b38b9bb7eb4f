"""Local editions: every ``data/editions/*.yml`` against the current guides, steps and offices.

Runs in ``make check`` and in every build (not only ``make build EDITION=…``), so renaming a step
or an office that an edition uses, or a typo in an edition, fails CI instead of a city's next build.
Missing local offices are warnings (``Edition.Coverage``): they tell a city what is left to fill.
"""

from __future__ import annotations

from ..editions import check_all
from ..findings import Finding
from ..site import Site


def check(site: Site) -> list[Finding]:
    """Validate every edition file."""
    return check_all(site)
