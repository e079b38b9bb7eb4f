"""Allow ``python -m wegweiser``."""

from .cli import main

raise SystemExit(main())
