"""Turn language-neutral facts into localised text, for every page, export and handout."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from babel import Locale
from babel.dates import format_date

from .config import Project
from .editions import local_office

LAW_BASE = "https://www.gesetze-im-internet.de"


@dataclass
class LegalRef:
    """One legal basis, ready to print and link."""

    label: str
    url: str


@dataclass
class StepFacts:
    """The facts of one step, localised for one language."""

    duty: bool | None = None
    duty_label: str | None = None
    deadline: str | None = None
    office_key: str | None = None
    office: str | None = None
    office_description: str | None = None
    office_website: str | None = None
    local_office: dict | None = None
    """The city's own office in a local edition: text fields, plus ``langs`` {field: language} where German stands in."""
    documents: list[str] = field(default_factory=list)
    cost: str | None = None
    legal: list[LegalRef] = field(default_factory=list)
    consequence_kind: str | None = None
    consequence_kind_label: str | None = None

    @property
    def empty(self) -> bool:
        """True when there is nothing to show."""
        return not any([self.duty is not None, self.deadline, self.office, self.documents, self.cost, self.legal])


@lru_cache(maxsize=64)
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


def plural(lang: str, n: int, forms: dict | str) -> str:
    """Pick the plural form of a unit for ``n`` in ``lang`` (CLDR categories)."""
    if isinstance(forms, str):
        return forms
    try:
        category = _locale(lang).plural_form(n)
    except Exception:  # noqa: BLE001 - an unknown locale falls back to 'other'
        category = "other"
    return forms.get(category) or forms.get("other") or next(iter(forms.values()))


def format_deadline(project: Project, lang: str, value: Any) -> str | None:
    """Render ``{weeks: 2, after: move_in}`` as "2 Wochen nach dem Einzug" (per language)."""
    if value is None:
        return None
    if value == "none":
        return project.text(lang, "deadline", "none")
    unit = next((u for u in ("days", "weeks", "months", "years") if u in value), None)
    rel = "after" if "after" in value else "before"
    event = project.text(lang, "events", str(value[rel]))
    if unit is None:
        return project.text(lang, "deadline", f"{rel}_event").format(event=event)
    n = int(value[unit])
    unit_label = plural(lang, n, project.text(lang, "units", unit))
    return project.text(lang, "deadline", rel).format(n=n, unit=unit_label, event=event)


def format_eur(amount: float) -> str:
    """Format an amount in German style, as written in every language: 1.603 / 2,29."""
    if float(amount).is_integer():
        return f"{int(amount):,}".replace(",", ".")
    return f"{amount:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")


def format_cost(project: Project, lang: str, value: Any) -> str | None:
    """Render a cost value in ``lang``."""
    if not isinstance(value, dict):
        return None
    if value.get("varies"):
        return project.text(lang, "cost", "varies")
    eur = value.get("eur")
    if eur == 0:
        return project.text(lang, "cost", "free")
    if "per" in value:
        per = project.text(lang, "cost", "per", str(value["per"]))
        return project.text(lang, "cost", "amount_per").format(eur=format_eur(eur), per=per)
    return project.text(lang, "cost", "amount").format(eur=format_eur(eur))


def legal_ref(project: Project, ref: dict) -> LegalRef:
    """Render ``{law: BMG, section: "17"}`` as "§ 17 BMG" with its gesetze-im-internet.de URL."""
    law = str(ref["law"])
    info = project.laws.get(law, {})
    slug = info.get("slug", law.lower())
    if info.get("article") or "article" in ref:
        number = str(ref.get("article", ref.get("section")))
        label, page = f"Art. {number} {law}", f"art_{number}.html"
    else:
        number = str(ref["section"])
        label, page = f"§ {number} {law}", f"__{number}.html"
    if ref.get("paragraph"):
        label = label.replace(f" {law}", f" Abs. {ref['paragraph']} {law}")
    return LegalRef(label, f"{LAW_BASE}/{slug}/{page}")


def step_facts(project: Project, lang: str, entry: dict | None, edition: dict | None = None) -> StepFacts:
    """Localise one step's facts; ``edition`` supplies a city's own offices."""
    facts = StepFacts()
    if not isinstance(entry, dict):
        return facts
    if isinstance(entry.get("duty"), bool):
        facts.duty = entry["duty"]
        facts.duty_label = project.text(lang, "labels", "duty_yes" if facts.duty else "duty_no")
    facts.deadline = format_deadline(project, lang, entry.get("deadline"))
    office = entry.get("office")
    if office:
        facts.office_key = office
        facts.office = project.text(lang, "offices", office, "name")
        facts.office_description = project.text(lang, "offices", office, "description", default="")
        facts.office_website = (project.offices.get(office) or {}).get("website")
        if edition:
            facts.local_office = local_office(edition, office, lang, project.source_lang)
    facts.documents = [project.text(lang, "documents", d) for d in entry.get("documents") or []]
    facts.cost = format_cost(project, lang, entry.get("cost"))
    facts.legal = [legal_ref(project, r) for r in entry.get("legal_basis") or [] if isinstance(r, dict) and "law" in r]
    kind = entry.get("consequence_kind")
    if kind:
        facts.consequence_kind = kind
        facts.consequence_kind_label = project.text(lang, "consequence_kinds", kind)
    return facts


def format_day(value: Any, lang: str) -> str:
    """Format a date the way readers of ``lang`` write it (Babel, long format)."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return _format_day(value, lang)


@lru_cache(maxsize=4096)
def _format_day(day: dt.date, lang: str) -> str:
    # Babel loads the locale's data on every call: a site has few distinct dates, so keep each result.
    try:
        return format_date(day, format="long", locale=lang)
    except Exception:  # noqa: BLE001 - unknown locale: ISO date
        return day.isoformat()
