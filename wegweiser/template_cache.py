"""Compiled Jinja templates kept on disk (next to the syllable cache).

MkDocs makes a new Jinja environment for every language and every preview rebuild, and compiles
Material's templates again each time. With this cache a template is compiled once per source
version: Jinja keys each entry by the template's name and the checksum of its source, and checks
its own version and Python's. A cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import contextlib
import pickle

import jinja2

from .syllables import cache_dir


class QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """A bytecode cache that never fails a build: damaged or unwritable entries are skipped."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Load an entry; a damaged one counts as missing."""
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError):
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Store an entry if the folder is writable."""
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def bytecode_cache() -> jinja2.BytecodeCache | None:
    """The shared on-disk cache, or None when its folder cannot be made."""
    folder = cache_dir() / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return QuietBytecodeCache(str(folder))
