"""Readability measures per language.

Which formula is valid where (shared READABILITY.md §3):

- de: Flesch reading ease after Amstad and Wiener Sachtextformel (variant 1), syllables from
  textstat's German Pyphen counter (cached on disk, ``wegweiser.syllables``); plus sentence lengths
  and long words.
- en: Flesch reading ease and Flesch-Kincaid grade, syllables from textstat (cmudict, supplied
  offline by ``wegweiser.nltk_data``); plus sentence lengths.
- tr: Ateşman, with vowel-count syllables (exact in Turkish); plus sentence lengths.
- ru, uk, ar, fa: sentence lengths and long words only.

Formulas use our own sentence splitter (``wegweiser.text``), not textstat's, which drops short
sentences and does not split at ``؟``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .syllables import syllables
from .text import Sentence, letters

METRICS = {
    "de": ("flesch_amstad", "wiener_sachtextformel", "avg_sentence_length", "sentence_length", "long_word"),
    "en": ("flesch_reading_ease", "flesch_kincaid_grade", "avg_sentence_length", "sentence_length"),
    "tr": ("atesman", "avg_sentence_length", "sentence_length"),
    "ru": ("avg_sentence_length", "sentence_length", "long_word"),
    "uk": ("avg_sentence_length", "sentence_length", "long_word"),
    "ar": ("avg_sentence_length", "sentence_length"),
    "fa": ("avg_sentence_length", "sentence_length"),
}
FORMULAS = ("flesch_amstad", "wiener_sachtextformel", "flesch_reading_ease", "flesch_kincaid_grade", "atesman")


@dataclass
class Counts:
    """The counts a formula needs."""

    words: int = 0
    sentences: int = 0
    syllables: int = 0
    polysyllables: int = 0  # words with 3 or more syllables
    monosyllables: int = 0
    long_words: int = 0  # words with more than 6 letters
    word_list: list[str] = field(default_factory=list)

    @property
    def asl(self) -> float:
        """Average sentence length in words."""
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def asw(self) -> float:
        """Average syllables per word."""
        return self.syllables / self.words if self.words else 0.0


def count(sentences: list[Sentence], lang: str) -> Counts:
    """Count words, sentences and syllables over a list of sentences."""
    c = Counts()
    for sentence in sentences:
        ws = sentence.words
        if not ws:
            continue
        c.sentences += 1
        for w in ws:
            c.words += 1
            c.word_list.append(w)
            if lang in ("de", "en", "tr"):
                s = syllables(w.replace("-", ""), lang)
                c.syllables += s
                c.polysyllables += s >= 3
                c.monosyllables += s == 1
            c.long_words += letters(w) > 6
    return c


def flesch_amstad(c: Counts) -> float:
    """Flesch reading ease for German (Amstad 1978): 180 − ASL − 58.5 × ASW."""
    return 180 - c.asl - 58.5 * c.asw


def wiener_sachtextformel(c: Counts) -> float:
    """First Wiener Sachtextformel: 0.1935·MS + 0.1672·SL + 0.1297·IW − 0.0327·ES − 0.875."""
    ms = 100 * c.polysyllables / c.words
    iw = 100 * c.long_words / c.words
    es = 100 * c.monosyllables / c.words
    return 0.1935 * ms + 0.1672 * c.asl + 0.1297 * iw - 0.0327 * es - 0.875


def flesch_reading_ease(c: Counts) -> float:
    """Flesch reading ease (English): 206.835 − 1.015 × ASL − 84.6 × ASW."""
    return 206.835 - 1.015 * c.asl - 84.6 * c.asw


def flesch_kincaid_grade(c: Counts) -> float:
    """Flesch-Kincaid grade level: 0.39 × ASL + 11.8 × ASW − 15.59."""
    return 0.39 * c.asl + 11.8 * c.asw - 15.59


def atesman(c: Counts) -> float:
    """Ateşman readability for Turkish: 198.825 − 40.175 × ASW − 2.610 × ASL."""
    return 198.825 - 40.175 * c.asw - 2.610 * c.asl


FORMULA_FUNCTIONS = {
    "flesch_amstad": flesch_amstad,
    "wiener_sachtextformel": wiener_sachtextformel,
    "flesch_reading_ease": flesch_reading_ease,
    "flesch_kincaid_grade": flesch_kincaid_grade,
    "atesman": atesman,
}


def page_scores(sentences: list[Sentence], lang: str, min_words: int = 100) -> dict[str, float]:
    """Page-level scores valid for ``lang``; formulas only from ``min_words`` words on."""
    metrics = METRICS.get(lang, ("avg_sentence_length", "sentence_length"))
    c = count(sentences, lang)
    scores: dict[str, float] = {"words": c.words, "sentences": c.sentences}
    if not c.sentences:
        return scores
    if "avg_sentence_length" in metrics:
        scores["avg_sentence_length"] = round(c.asl, 2)
    scores["max_sentence_length"] = max(len(s.words) for s in sentences if s.words)
    if "long_word" in metrics:
        scores["long_word_share"] = round(100 * c.long_words / c.words, 1)
    if c.words >= min_words:
        for name in metrics:
            if name in FORMULA_FUNCTIONS:
                scores[name] = round(FORMULA_FUNCTIONS[name](c), 2)
    return scores
