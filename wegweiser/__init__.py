"""Wegweiser: content model, checks and generators for plain-language integration guides.

The package imports nothing from MkDocs: the hooks in ``hooks/`` and the scripts in ``scripts/``
are thin adapters around it.
"""

__version__ = "0.1.0"
