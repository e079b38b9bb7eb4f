"""Today's date, fixable for tests and reproducible builds."""

from __future__ import annotations

import datetime as dt
import os


def today() -> dt.date:
    """Today's date; ``WEGWEISER_TODAY`` (YYYY-MM-DD) fixes it."""
    fixed = os.environ.get("WEGWEISER_TODAY")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()
