"""The readability gate: plain language measured in every language (config: wegweiser.yml)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from ..findings import ERROR, INFO, WARNING, Finding, finding
from ..model import Page
from ..readability import FORMULAS, METRICS, page_scores
from ..site import Site
from ..text import letters, sentences

RULES = {
    "sentence_length": "Readability.SentenceLength",
    "avg_sentence_length": "Readability.AvgSentenceLength",
    "long_word": "Readability.LongWord",
    "flesch_amstad": "Readability.FleschAmstad",
    "wiener_sachtextformel": "Readability.WienerSachtextformel",
    "flesch_reading_ease": "Readability.FleschReadingEase",
    "flesch_kincaid_grade": "Readability.FleschKincaidGrade",
    "atesman": "Readability.Atesman",
}


def check(site: Site) -> list[Finding]:
    """Check every page in every language against its thresholds."""
    out: list[Finding] = []
    for page in site.pages.values():
        if (page.kind is None and not page.steps) or page.kind == "generated":
            continue
        out += remembered(site, page, "findings", check_page)
    return out


_MEMO: dict[tuple, Any] = {}
MEMO_LIMIT = 20_000


def remembered(site: Site, page: Page, what: str, compute: Callable[[Site, Page], Any]) -> Any:
    """``compute(site, page)``, reused while the page's file text and the readability settings are unchanged.

    The live preview rebuilds after every save and checks every page of every language again;
    readability is the costliest check and depends only on the page's own text and the settings,
    so a page that did not change is not measured again. A list result is returned as a copy.
    """
    digest = page.remember("sha256", lambda: hashlib.sha256("\n".join(page.lines).encode("utf-8")).hexdigest())
    key = (what, page.path, page.lang, digest, repr(site.project.settings.get("readability")))
    if key not in _MEMO:
        if len(_MEMO) >= MEMO_LIMIT:
            _MEMO.clear()
        _MEMO[key] = compute(site, page)
    value = _MEMO[key]
    return list(value) if isinstance(value, list) else value


def limits(site: Site, lang: str, metric: str) -> tuple[str, float, float] | None:
    """Return (direction, warning, error) for a metric of a language, or None."""
    conf = (site.project.settings.get("readability") or {}).get(lang, {}).get(metric)
    if not conf:
        return None
    direction = "min" if "min" in conf else "max"
    warn, err = conf[direction]
    return direction, float(warn), float(err)


def level_for(value: float, lim: tuple[str, float, float]) -> str | None:
    """Return ERROR, WARNING or None for a value against (direction, warning, error)."""
    direction, warn, err = lim
    if direction == "max":
        return ERROR if value > err else WARNING if value > warn else None
    return ERROR if value < err else WARNING if value < warn else None


def exemptions(page: Page) -> dict[tuple[str, str], str]:
    """Front matter ``readability: {exempt: [{step, rule, reason}]}`` as {(step, rule): reason}."""
    conf = page.meta.get("readability")
    items = conf.get("exempt") if isinstance(conf, dict) else None
    out = {}
    for item in items or []:
        if isinstance(item, dict) and item.get("step") and item.get("rule") and str(item.get("reason", "")).strip():
            out[(str(item["step"]), str(item["rule"]).removeprefix("Readability."))] = str(item["reason"])
    return out


def check_page(site: Site, page: Page) -> list[Finding]:
    """Sentence, word and page-level findings of one page."""
    lang = page.lang
    metrics = METRICS.get(lang, ())
    sents = sentences(page)
    exempt = exemptions(page)
    out: list[Finding] = []
    german = lang == "de"
    lim = limits(site, lang, "sentence_length")
    wl = limits(site, lang, "long_word") if "long_word" in metrics else None
    for s in sents:
        n = len(s.words)
        level = level_for(n, lim) if lim else None
        if level and (s.step or "", "SentenceLength") not in exempt:
            limit = int(lim[2] if level == ERROR else lim[1])
            msg = f"Satz hat {n} Wörter (max {limit})" if german else f"sentence has {n} words (max {limit})"
            out.append(finding(page.path, s.line, RULES["sentence_length"], msg + f": „{_short(s.text)}“", level))
        if wl:
            for w in s.words:
                if len(w) <= wl[1]:
                    continue  # cannot have more letters than characters
                n = max(letters(part) for part in w.split("-"))  # a hyphen splits a long compound
                if n > wl[1] and (s.step or "", "LongWord") not in exempt:
                    msg = f"Wort '{w}' hat {n} Buchstaben: mit Bindestrich teilen oder erklären" if german else f"word '{w}' has {n} letters"
                    out.append(finding(page.path, s.line, RULES["long_word"], msg, WARNING))
    scores = page_scores(sents, lang, int((site.project.settings.get("readability") or {}).get("min_words_for_formulas", 100)))
    for metric in ("avg_sentence_length", *FORMULAS):
        if metric not in scores or metric not in metrics:
            continue
        lim = limits(site, lang, metric)
        if not lim:
            continue
        level = level_for(scores[metric], lim)
        if level:
            bound = lim[2] if level == ERROR else lim[1]
            sign = "<" if lim[0] == "min" else ">"
            out.append(finding(page.path, 1, RULES[metric], f"{scores[metric]:.1f} {sign} {bound:g} ({lang})", level))
    for (step, rule), reason in exempt.items():
        out.append(finding(page.path, page.line_of("readability"), "Readability.Exemption", f"step '{step}' is exempt from {rule}: {reason}", INFO))
    return out


def _short(text: str, n: int = 60) -> str:
    """Shorten a sentence for a message."""
    return text if len(text) <= n else text[: n - 1] + "…"
