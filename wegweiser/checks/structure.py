"""The structure gate: every step of every guide, in every language, has its parts."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..clock import today
from ..findings import WARNING, Finding, finding
from ..model import BLOCK_KINDS, GENERATORS, KINDS, RE_STEP_ID, Page
from ..site import Site

FACT_KEYS = ("duty", "deadline", "office", "documents", "cost", "legal_basis", "consequence_kind")
UNITS = ("days", "weeks", "months", "years")
SOURCE_ONLY_KEYS = ("facts", "sources", "reviewed", "audience", "order")


def check(site: Site) -> list[Finding]:
    """Check front matter, steps and facts of every page in every language."""
    out: list[Finding] = []
    src = site.project.source_lang
    for (slug, lang), page in sorted(site.pages.items()):
        if page.findings and not page.meta:
            continue  # unreadable file or broken YAML: already reported
        out += check_kind(page)
        out += check_stray_blocks(page)
        if lang == src:
            out += check_source_meta(page, site)
        else:
            out += check_translation_meta(page, site.source(slug))
        if page.is_guide:
            out += check_steps(page)
            if lang == src:
                out += check_facts(page, site)
            elif site.source(slug) is not None:
                out += check_same_steps(page, site.source(slug))
        elif page.kind in ("page", "start"):
            out += check_section_ids(page)
        elif page.kind == "generated" and page.meta.get("generator") not in GENERATORS:
            out.append(
                finding(
                    page.path,
                    page.line_of("generator"),
                    "FrontMatter.Generator",
                    f"unknown generator '{page.meta.get('generator')}'; use one of: {', '.join(GENERATORS)}",
                )
            )
    return out


def check_kind(page: Page) -> list[Finding]:
    """The kind must be one we know."""
    kind = page.meta.get("kind")
    if kind is None or kind in KINDS:
        return []
    return [finding(page.path, page.line_of("kind"), "FrontMatter.Kind", f"unknown kind '{kind}'; use one of: {', '.join(KINDS)}")]


def check_stray_blocks(page: Page) -> list[Finding]:
    """Benefit and consequence blocks belong inside a step."""
    return [
        finding(page.path, b.line, "Structure.OutsideStep", f"'!!! {b.kind}' block stands outside any step; move it below a '## ... {{#id}}' heading")
        for b in page.stray_blocks
        if b.kind in BLOCK_KINDS
    ]


def _need_text(page: Page, key: str, out: list[Finding]) -> None:
    """Report a missing or empty text field."""
    value = page.meta.get(key)
    if not isinstance(value, str) or not value.strip():
        what = "is empty" if key in page.meta else "is missing"
        out.append(finding(page.path, page.line_of(key), "FrontMatter.Missing", f"front matter '{key}' {what}"))


def check_source_meta(page: Page, site: Site) -> list[Finding]:
    """German pages carry title, summary, audience, sources and the review date."""
    out: list[Finding] = []
    if page.kind is None:
        return out
    _need_text(page, "title", out)
    if page.kind in ("guide", "page"):
        _need_text(page, "summary", out)
    if page.kind == "guide":
        audience = page.meta.get("audience")
        if not isinstance(audience, list) or not audience:
            out.append(finding(page.path, page.line_of("audience"), "FrontMatter.Missing", "front matter 'audience' must be a list, for example [alle]"))
    out += check_sources(page)
    out += check_reviewed(page)
    return out


def check_sources(page: Page) -> list[Finding]:
    """Sources are a list of URLs; a guide needs at least one."""
    sources = page.meta.get("sources")
    line = page.line_of("sources")
    if sources is None:
        if page.kind in ("guide", "page"):
            return [finding(page.path, line, "Sources.Missing", "front matter 'sources' is missing: list the official sources of the facts")]
        return []
    if not isinstance(sources, list):
        return [finding(page.path, line, "Sources.Type", "front matter 'sources' must be a list of URLs")]
    if not sources and page.kind == "guide":
        return [finding(page.path, line, "Sources.Missing", "a guide needs at least one source")]
    return []


def parse_date(value: Any) -> dt.date | None:
    """Parse an ISO date (YYYY-MM-DD); return None when it is not a real date."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


def check_reviewed(page: Page) -> list[Finding]:
    """The review date must be a real date in the past."""
    if page.kind not in ("guide", "page", "start"):
        return []
    value = page.meta.get("reviewed")
    line = page.line_of("reviewed")
    if value is None:
        return [finding(page.path, line, "FrontMatter.Reviewed", "front matter 'reviewed' is missing: add the date of the last fact check, YYYY-MM-DD")]
    date = parse_date(value)
    if date is None:
        return [finding(page.path, line, "FrontMatter.Reviewed", f"reviewed date '{value}' is not a valid date; use YYYY-MM-DD")]
    if date > today():
        return [finding(page.path, line, "FrontMatter.Reviewed", f"reviewed date {date.isoformat()} lies in the future")]
    return []


def check_translation_meta(page: Page, source: Page | None) -> list[Finding]:
    """A translation has a German source, its own title and summary, and no facts of its own."""
    out: list[Finding] = []
    if source is None:
        return [finding(page.path, 1, "Translation.NoSource", f"translation has no German source file docs/{page.slug}.md")]
    if source.findings and not source.meta:
        return []  # the German page is broken: that is reported there, once
    if page.kind != source.kind:
        out.append(finding(page.path, page.line_of("kind"), "Translation.Kind", f"kind '{page.kind}' differs from the German page ('{source.kind}')"))
    if page.kind is None:
        return out
    _need_text(page, "title", out)
    if page.kind in ("guide", "page"):
        _need_text(page, "summary", out)
    for key in SOURCE_ONLY_KEYS:
        if key in page.meta:
            out.append(
                finding(
                    page.path, page.line_of(key), "Translation.SourceOnly", f"'{key}' belongs in the German file only and is ignored here; remove it", WARNING
                )
            )
    trans = page.meta.get("translation")
    if trans is not None and not isinstance(trans, dict):
        out.append(finding(page.path, page.line_of("translation"), "Translation.Meta", "'translation' must be a mapping with 'reviewed' and 'source'"))
    return out


def check_steps(page: Page) -> list[Finding]:
    """Every step has an id, a unique one, and one non-empty benefit and consequence."""
    out: list[Finding] = []
    if not page.steps:
        return [finding(page.path, page.title_line, "Structure.NoSteps", "guide has no steps: add '## Title {#id}' headings")]
    seen: dict[str, int] = {}
    for number, step in enumerate(page.steps, 1):
        name = f"'{step.id}'" if step.id else f"{number} '{step.title}'"
        if not step.id:
            out.append(finding(page.path, step.line, "Structure.StepId", f"step {name} has no id: write '## {step.title} {{#some_id}}'"))
        elif not RE_STEP_ID.match(step.id):
            out.append(finding(page.path, step.line, "Structure.StepId", f"step id '{step.id}' is not ASCII lower case (a-z, 0-9, _)"))
        elif step.id in seen:
            out.append(finding(page.path, step.line, "Structure.DuplicateId", f"step id '{step.id}' is used twice (first at line {seen[step.id]})"))
        else:
            seen[step.id] = step.line
        for kind in BLOCK_KINDS:
            blocks = step.blocks_of(kind)
            if not blocks:
                out.append(
                    finding(page.path, step.line, f"Structure.{kind.title()}", f"step {name} has no {kind}: add a '!!! {kind}' block with indented text")
                )
            elif len(blocks) > 1:
                out.append(finding(page.path, blocks[1].line, f"Structure.{kind.title()}", f"step {name} has more than one {kind} block"))
            elif not blocks[0].text:
                out.append(finding(page.path, blocks[0].line, f"Structure.{kind.title()}", f"step {name} has an empty {kind}: indent its text by 4 spaces"))
    return out


def check_section_ids(page: Page) -> list[Finding]:
    """Sections of normal pages also need stable ids, so links work in every language."""
    return [
        finding(page.path, s.line, "Structure.SectionId", f"section '{s.title}' has no id: write '## {s.title} {{#some_id}}'", WARNING)
        for s in page.steps
        if not s.id
    ]


def check_same_steps(page: Page, source: Page) -> list[Finding]:
    """A translation has the same step ids as the German guide, in the same order."""
    mine = [s.id for s in page.steps if s.id]
    theirs = [s.id for s in source.steps if s.id]
    if mine == theirs:
        return []
    out: list[Finding] = []
    for sid in theirs:
        if sid not in mine:
            out.append(finding(page.path, page.title_line, "Translation.MissingStep", f"step '{sid}' of the German guide is missing in this translation"))
    for step in page.steps:
        if step.id and step.id not in theirs:
            out.append(finding(page.path, step.line, "Translation.ExtraStep", f"step '{step.id}' does not exist in the German guide"))
    common_mine = [s for s in mine if s in theirs]
    common_theirs = [s for s in theirs if s in mine]
    if common_mine != common_theirs:
        first = next((a for a, b in zip(common_mine, common_theirs, strict=False) if a != b), common_mine[-1] if common_mine else None)
        step = page.step(first) if first else None
        out.append(
            finding(
                page.path,
                step.line if step else 1,
                "Translation.StepOrder",
                f"steps are in a different order than in German: expected {', '.join(common_theirs)}",
            )
        )
    return out


def check_facts(page: Page, site: Site) -> list[Finding]:
    """Facts are keyed by existing step ids and use only known keys and vocabulary."""
    out: list[Finding] = []
    facts = page.meta.get("facts")
    if facts is None:
        facts = {}
    if not isinstance(facts, dict):
        return [finding(page.path, page.line_of("facts"), "Facts.Type", "'facts' must be a mapping of step ids to facts")]
    ids = [s.id for s in page.steps if s.id]
    for step in page.steps:
        if step.id and step.id not in facts:
            out.append(finding(page.path, step.line, "Facts.Missing", f"step '{step.id}' has no entry under 'facts' (use {{}} when no fact applies)"))
    for sid, entry in facts.items():
        line = page.line_of("facts", sid)
        if sid not in ids:
            out.append(finding(page.path, line, "Facts.UnknownStep", f"facts for unknown step '{sid}'; steps are: {', '.join(ids)}"))
            continue
        if entry is None:
            continue
        if not isinstance(entry, dict):
            out.append(finding(page.path, line, "Facts.Type", f"facts of step '{sid}' must be a mapping"))
            continue
        out += check_fact_entry(page, site, sid, entry)
    return out


def check_fact_entry(page: Page, site: Site, sid: str, entry: dict) -> list[Finding]:
    """Validate one step's facts against data/offices.yml, data/facts.yml and data/laws.yml."""
    out: list[Finding] = []
    p = site.project
    vocab = p.vocab

    def bad(key: str, message: str, *sub: Any) -> None:
        out.append(finding(page.path, page.line_of("facts", sid, key, *sub), f"Facts.{key.title().replace('_', '')}", f"step '{sid}': {message}"))

    for key in entry:
        if key not in FACT_KEYS:
            bad(key, f"unknown facts key '{key}'; allowed: {', '.join(FACT_KEYS)}")
    if "duty" in entry and not isinstance(entry["duty"], bool):
        bad("duty", "'duty' must be true or false")
    if "office" in entry and entry["office"] not in p.offices:
        bad("office", f"unknown office '{entry['office']}'; add it to data/offices.yml")
    docs = entry.get("documents", [])
    if not isinstance(docs, list):
        bad("documents", "'documents' must be a list")
    else:
        for i, doc in enumerate(docs):
            if doc not in vocab.get("documents", []):
                bad("documents", f"unknown document '{doc}'; add it to data/facts.yml", i)
    if "deadline" in entry:
        problem = deadline_problem(entry["deadline"], vocab.get("events", []))
        if problem:
            bad("deadline", problem)
    if "cost" in entry:
        problem = cost_problem(entry["cost"], vocab.get("cost_per", []))
        if problem:
            bad("cost", problem)
    laws = entry.get("legal_basis", [])
    if not isinstance(laws, list):
        bad("legal_basis", "'legal_basis' must be a list like [{law: BMG, section: \"17\"}]")
    else:
        for i, ref in enumerate(laws):
            if not isinstance(ref, dict) or "law" not in ref:
                bad("legal_basis", "each legal basis needs 'law' and 'section' (or 'article')", i)
            elif ref["law"] not in p.laws:
                bad("legal_basis", f"unknown law '{ref['law']}'; add it to data/laws.yml", i)
            elif not ("section" in ref or "article" in ref):
                bad("legal_basis", f"legal basis {ref['law']} needs 'section' or 'article'", i)
    kind = entry.get("consequence_kind")
    if kind is not None and kind not in vocab.get("consequence_kinds", []):
        bad("consequence_kind", f"unknown consequence_kind '{kind}'; use one of: {', '.join(vocab.get('consequence_kinds', []))}")
    return out


def deadline_problem(value: Any, events: list[str]) -> str | None:
    """Return what is wrong with a deadline value, or None."""
    if value in (None, "none"):
        return None
    if not isinstance(value, dict):
        return "deadline must look like {weeks: 2, after: move_in} or {before: permit_expiry}"
    units = [u for u in UNITS if u in value]
    rel = [r for r in ("after", "before") if r in value]
    unknown = set(value) - set(UNITS) - {"after", "before"}
    if unknown:
        return f"unknown deadline key '{sorted(unknown)[0]}'"
    if len(units) > 1 or len(rel) != 1:
        return "deadline needs one number (days, weeks, months or years) and one of 'after' or 'before'"
    if units and (not isinstance(value[units[0]], int) or isinstance(value[units[0]], bool) or value[units[0]] <= 0):
        return f"deadline {units[0]} must be a whole number above 0"
    if value[rel[0]] not in events:
        return f"unknown deadline event '{value[rel[0]]}'; add it to data/facts.yml"
    return None


def cost_problem(value: Any, pers: list[str]) -> str | None:
    """Return what is wrong with a cost value, or None."""
    if not isinstance(value, dict):
        return "cost must look like {eur: 0}, {eur: 229, per: module} or {varies: true}"
    if value.get("varies") is True and set(value) == {"varies"}:
        return None
    eur = value.get("eur")
    if isinstance(eur, bool) or not isinstance(eur, (int, float)) or eur < 0:
        return "cost 'eur' must be a number of euros, 0 or more"
    if set(value) - {"eur", "per"}:
        return f"unknown cost key '{sorted(set(value) - {'eur', 'per'})[0]}'"
    if "per" in value and value["per"] not in pers:
        return f"unknown cost unit '{value['per']}'; use one of: {', '.join(pers)}"
    return None
