"""Local editions: a city's own offices and notes, in one file ``data/editions/<name>.yml``.

Syntax contract::

    name: Musterstadt                 # required; a text, or a text per language
    site_url: https://wegweiser.musterstadt.example/   # optional: where this edition is published
    offices:                          # keys from data/offices.yml
      meldebehoerde:
        name: Bürgerbüro Musterstadt  # required; a text, or a text per language
        address: Marktplatz 1, 99999 Musterstadt   # required
        hours: Mo–Fr 8–12 Uhr         # a text, or a text per language: {de: …, en: …}
        phone: "0000 000000"          # in quotes: YAML reads 0301234 as the number 98972
        website: https://www.musterstadt.example/buergerbuero      # https URL
        appointment: https://termine.musterstadt.example/          # https URL
    notes:                            # optional
      wohnen: "..."                   # a text: a note on top of the whole guide
      anmeldung:
        de: "..."                     # a language code: the guide's note in that language
        en: "..."
        termin: {de: "...", en: "..."}  # a step id: a note in that step's facts box

A *text per language* is a mapping of language codes (``wegweiser.yml``) to texts that includes
German; readers of a language without its own text see the German one.

Notes: under a guide, each key is told apart by what it is. A step id of that guide gives a note
for that step; a language code gives the note for the whole guide, shown on top of it. A guide can
have both. Should a step id ever equal a language code, the key means the step.

``site_url`` is the address the city publishes its build at. QR codes of print views, the
canonical and embed addresses and the open-data export of that build point there, so a reader who
scans a handout lands on the page with the city's offices.

Which offices a city should fill: every office marked ``local: true`` in ``data/offices.yml``
that a step names. The ``Edition.Coverage`` warning lists the ones still missing, with their steps.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

from .config import Project
from .findings import ERROR, WARNING, Finding, finding
from .model import compose_meta, normalise
from .site import Site, rel_path

TOP_KEYS = ("name", "site_url", "offices", "notes")
OFFICE_FIELDS = ("name", "address", "hours", "phone", "website", "appointment")
REQUIRED = ("name", "address")
LANGUAGE_FIELDS = ("name", "hours")
URL_FIELDS = ("website", "appointment")
DEFAULT_SITE_URL = "https://wegweiser.example.org/"
RE_SPACE = re.compile(r"\s")
RE_QUERY = re.compile(r"[?#]")


# ----------------------------------------------------------------------------------------------
# Loading and checking
# ----------------------------------------------------------------------------------------------


def edition_path(project: Project, name: str) -> Path:
    """Where the edition file of ``name`` lives."""
    return project.root / "data" / "editions" / f"{name}.yml"


def edition_names(project: Project) -> list[str]:
    """Names of every edition in ``data/editions/``."""
    folder = project.root / "data" / "editions"
    return sorted(p.stem for p in folder.glob("*.yml")) if folder.is_dir() else []


def load_edition(site: Site, name: str) -> tuple[dict | None, list[Finding]]:
    """Read and validate an edition; return (edition, findings).

    The edition is None when the file has errors, so nothing renders from data that failed the
    checks (``mkdocs serve`` keeps running after errors and then shows the national offices).
    """
    path = edition_path(site.project, name)
    rel = rel_path(path, site.project)
    if not path.exists():
        available = edition_names(site.project)
        return None, [finding(rel, 1, "Edition.Missing", f"no edition '{name}'; available: {', '.join(available) or 'none'}")]
    text, problems = normalise(path.read_bytes(), rel)
    if text is None:
        return None, problems
    try:
        node, data = compose_meta(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = getattr(exc, "problem", None) or "cannot parse"
        return None, [finding(rel, line, "Edition.YAML", f"invalid YAML: {problem}", col=col)]
    found = check_edition(site, rel, data, Positions(node))
    return (None if any(f.level == ERROR for f in found) else data), found


class Positions:
    """Line and column of every key and value of a composed YAML document, by key path."""

    def __init__(self, node: Any):
        self.keys: dict[tuple, tuple[int, int]] = {}
        self.values: dict[tuple, tuple[int, int, str | None]] = {}
        self.duplicates: list[tuple[tuple, int, int, int]] = []  # (path, line, col, first line)
        self._walk(node, (), ())

    def _walk(self, node: Any, path: tuple, above: tuple) -> None:
        # ``above``: the nodes on the way here, so an alias of its own parent (&a {b: *a}) ends the walk.
        if not isinstance(node, yaml.MappingNode) or any(node is n for n in above):
            return
        for key_node, value_node in node.value:
            key = path + (str(key_node.value),)
            where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in self.keys:
                self.duplicates.append((key, *where, self.keys[key][0]))
                # The later value is the one YAML keeps: forget the earlier one's keys below it.
                for table in (self.keys, self.values):
                    for old in [k for k in table if k[: len(key)] == key]:
                        del table[old]
            self.keys[key] = where
            raw = value_node.value if isinstance(value_node, yaml.ScalarNode) else None
            self.values[key] = (value_node.start_mark.line + 1, value_node.start_mark.column + 1, raw)
            self._walk(value_node, key, (*above, node))

    def key(self, *path: Any) -> tuple[int, int]:
        """Where the key ``path`` is written (or its nearest parent; 1:1 for the file)."""
        path = tuple(str(p) for p in path)
        while path:
            if path in self.keys:
                return self.keys[path]
            path = path[:-1]
        return (1, 1)

    def value(self, *path: Any) -> tuple[int, int]:
        """Where the value of ``path`` starts (the key's position when there is none)."""
        found = self.values.get(tuple(str(p) for p in path))
        return found[:2] if found else self.key(*path)

    def raw(self, *path: Any) -> str | None:
        """The value of ``path`` as written in the file (before YAML turned it into a number)."""
        found = self.values.get(tuple(str(p) for p in path))
        return found[2] if found else None


def check_edition(site: Site, rel: str, data: Any, pos: Positions) -> list[Finding]:
    """Validate an edition against the site: keys, offices, notes, addresses and coverage."""
    out: list[Finding] = []
    codes = site.project.codes
    source = site.project.source_lang

    def add(where: tuple[int, int], rule: str, message: str, level: str = ERROR) -> None:
        out.append(finding(rel, where[0], rule, message, level, col=where[1]))

    for path, line, col, first in pos.duplicates:
        add((line, col), "Edition.Duplicate", f"'{'.'.join(path)}' is given twice (first at line {first}); YAML keeps only this one, so merge the two")
    if not isinstance(data, dict):
        add((1, 1), "Edition.Type", "an edition file must be a mapping with 'name', 'offices' and 'notes'")
        return out
    for key in data:
        if str(key) not in TOP_KEYS:
            add(pos.key(key), "Edition.UnknownKey", f"unknown key '{key}'; " + (_did_you_mean(key, TOP_KEYS) or f"known keys: {', '.join(TOP_KEYS)}"))

    # The city's name, and where its build is published.
    if "name" not in data or data["name"] is None or data["name"] == "":
        add(pos.key("name") if "name" in data else (1, 1), "Edition.Field", "edition needs a 'name': the city's name, e.g. name: Neustadt")
    else:
        out += _check_text(data["name"], "the edition's name", ("name",), pos, codes, source, rel)
    if "site_url" in data:
        problem = url_problem(data["site_url"]) or ("must be a plain address, without '?' or '#'" if RE_QUERY.search(data["site_url"]) else None)
        if problem:
            add(pos.value("site_url"), "Edition.Url", f"site_url {_shown(data['site_url'], pos.raw('site_url'))} {problem}")

    offices = data.get("offices")
    if offices is not None and not isinstance(offices, dict):
        add(pos.value("offices"), "Edition.Type", "'offices' must map office keys to details")
        offices = {}
    for key, office in (offices or {}).items():
        if key not in site.project.offices:
            hint = _did_you_mean(key, site.project.offices)
            add(
                pos.key("offices", key),
                "Edition.UnknownOffice",
                f"unknown office '{key}'; " + (f"{hint} " if hint else "") + "known offices are in data/offices.yml",
            )
            continue
        out += _check_office(key, office, pos, codes, source, rel)

    notes = data.get("notes")
    if notes is not None and not isinstance(notes, dict):
        add(pos.value("notes"), "Edition.Type", "'notes' must map guides to a note, or to notes per step: see wegweiser/editions.py")
        notes = {}
    guides = [g.slug for g in site.guides()]
    for slug, value in (notes or {}).items():
        guide = site.source(slug) if isinstance(slug, str) else None
        if guide is None or not guide.is_guide:
            hint = _did_you_mean(slug, guides)
            add(pos.key("notes", slug), "Edition.UnknownGuide", f"unknown guide '{slug}'" + (f"; {hint}" if hint else ""))
            continue
        out += _check_guide_notes(guide, value, pos, codes, source, rel)

    # What the city still has to fill (not after a broken 'offices:', whose errors come first).
    if isinstance(data.get("offices"), dict) or data.get("offices") is None:
        for key, steps in missing_offices(site, offices or {}).items():
            add(
                pos.key("offices"),
                "Edition.Coverage",
                f"no local office '{key}': {len(steps)} step(s) show the national text instead ({', '.join(steps)}); add it under 'offices:'",
                WARNING,
            )
    return out


def _check_office(key: str, office: Any, pos: Positions, codes: list[str], source: str, rel: str) -> list[Finding]:
    """One office of an edition: required fields, known fields, texts, phone, addresses."""
    out: list[Finding] = []
    here = ("offices", key)

    def add(where: tuple[int, int], rule: str, message: str) -> None:
        out.append(finding(rel, where[0], rule, message, col=where[1]))

    if not isinstance(office, dict):
        add(pos.value(*here), "Edition.Type", f"office '{key}' must be a mapping of fields: {', '.join(OFFICE_FIELDS)}")
        return out
    for field in REQUIRED:
        if office.get(field) in (None, ""):
            add(pos.key(*here), "Edition.Field", f"office '{key}' needs '{field}'")
    for field, value in office.items():
        if field not in OFFICE_FIELDS:
            hint = _did_you_mean(field, OFFICE_FIELDS) or f"allowed: {', '.join(OFFICE_FIELDS)}"
            add(pos.key(*here, field), "Edition.Field", f"office '{key}': unknown field '{field}'; {hint}")
        elif value is None or value == "":
            continue  # a missing required field is reported above; an empty optional one is harmless
        elif field in LANGUAGE_FIELDS:
            out += _check_text(value, f"office '{key}': {field}", (*here, field), pos, codes, source, rel)
        elif field == "phone" and not isinstance(value, str):
            raw = pos.raw(*here, field) or str(value)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                message = f"office '{key}': phone {raw} was read as the number {value!r}; put the phone number in quotes: phone: \"{raw}\""
            else:
                message = f"office '{key}': phone must be text; put the phone number in quotes, e.g. phone: \"0000 1111 00\""
            add(pos.value(*here, field), "Edition.Phone", message)
        elif field in URL_FIELDS:
            problem = url_problem(value)
            if problem:
                add(pos.value(*here, field), "Edition.Url", f"office '{key}': {field} {_shown(value, pos.raw(*here, field))} {problem}")
        elif not isinstance(value, str):
            add(pos.value(*here, field), "Edition.Type", f"office '{key}': {field} must be text")
    return out


def _check_guide_notes(guide: Any, value: Any, pos: Positions, codes: list[str], source: str, rel: str) -> list[Finding]:
    """The notes of one guide: a text for the whole guide, and/or texts per language and per step."""
    slug = guide.slug
    here = ("notes", slug)
    if isinstance(value, str):
        return _check_text(value, f"the note of guide '{slug}'", here, pos, codes, source, rel)
    if not isinstance(value, dict):
        line, col = pos.value(*here)
        shape = "a list" if isinstance(value, list) else "empty" if value is None else f"the {type(value).__name__} {value!r}"
        step = next((s.id for s in guide.steps if s.id), "step")
        message = f"the notes of guide '{slug}' must be a text, texts per language ({source}: …) or notes per step ({step}: …), not {shape}"
        return [finding(rel, line, "Edition.Type", message, col=col)]
    out: list[Finding] = []
    languages = {}
    step_ids = [s.id for s in guide.steps if s.id]
    for key, note in value.items():
        if key in step_ids:
            out += _check_text(note, f"the note of step '{slug}#{key}'", (*here, key), pos, codes, source, rel)
        elif key in codes:
            languages[key] = note
        else:
            where = pos.key(*here, key)
            hint = _did_you_mean(key, step_ids) or "keys under a guide are its step ids, or language codes for a note on the whole guide"
            out.append(finding(rel, where[0], "Edition.UnknownStep", f"guide '{slug}' has no step '{key}'; {hint}", col=where[1]))
    if languages:
        out += _check_text(languages, f"the note of guide '{slug}'", here, pos, codes, source, rel)
    return out


def _check_text(value: Any, what: str, path: tuple, pos: Positions, codes: list[str], source: str, rel: str) -> list[Finding]:
    """A text, or a mapping of language codes to texts that includes the source language."""
    out: list[Finding] = []
    if isinstance(value, str):
        if not value.strip():
            where = pos.value(*path)
            out.append(finding(rel, where[0], "Edition.Type", f"{what} is empty", col=where[1]))
        return out
    if not isinstance(value, dict):
        where = pos.value(*path)
        shape = "a list" if isinstance(value, list) else "empty" if value is None else f"the {type(value).__name__} {value!r}"
        out.append(finding(rel, where[0], "Edition.Type", f"{what} must be a text or a text per language ({source}: …, en: …), not {shape}", col=where[1]))
        return out
    for code, text in value.items():
        where = pos.key(*path, code)
        if code not in codes:
            out.append(finding(rel, where[0], "Edition.Language", f"{what}: unknown language '{code}'; languages: {', '.join(codes)}", col=where[1]))
        elif not isinstance(text, str) or not text.strip():
            where = pos.value(*path, code)
            out.append(finding(rel, where[0], "Edition.Type", f"{what}: the '{code}' text must be a non-empty text", col=where[1]))
    if source not in value:
        where = pos.key(*path)
        out.append(
            finding(
                rel,
                where[0],
                "Edition.Language",
                f"{what} has no text in '{source}' (the source language); add it: readers of languages without their own text see it",
                col=where[1],
            )
        )
    return out


def url_problem(value: Any) -> str | None:
    """Why ``value`` is not a usable https address, or None."""
    if not isinstance(value, str):
        return "must be an https address in quotes"
    if RE_SPACE.search(value):
        return "contains a space or line break; write the address without spaces"
    try:
        url = urlparse(value)
    except ValueError:  # for example an unclosed '[' of an IPv6 address
        return "is not an https URL"
    if url.scheme != "https" or not url.netloc:
        return "is not an https URL"
    return None


def missing_offices(site: Site, offices: dict) -> dict[str, list[str]]:
    """Local offices that steps name but ``offices`` does not give: {office: ["guide#step", …]}."""
    missing: dict[str, list[str]] = {}
    for guide in site.guides():
        facts = guide.meta.get("facts") if isinstance(guide.meta.get("facts"), dict) else {}
        for step in guide.steps:
            entry = facts.get(step.id)
            office = entry.get("office") if isinstance(entry, dict) else None
            if isinstance(office, str) and is_local(site.project, office) and office not in offices:
                missing.setdefault(office, []).append(f"{guide.slug}#{step.id}")
    return missing


def is_local(project: Project, office: str) -> bool:
    """True for offices a city names with its own address (``local: true`` in data/offices.yml)."""
    entry = project.offices.get(office)
    return isinstance(entry, dict) and entry.get("local") is True


def check_all(site: Site) -> list[Finding]:
    """Validate every edition in ``data/editions/`` (``make check`` and every build)."""
    out: list[Finding] = []
    for name in edition_names(site.project):
        out += load_edition(site, name)[1]
    return out


# ----------------------------------------------------------------------------------------------
# Reading a checked edition (renderers)
# ----------------------------------------------------------------------------------------------


def localise(value: Any, lang: str, source_lang: str = "de") -> tuple[str | None, str | None]:
    """A text of an edition in ``lang``: (text, language of that text), German when ``lang`` has none."""
    if isinstance(value, dict):
        for code in (lang, source_lang):
            text = value.get(code)
            if isinstance(text, str) and text.strip():
                return text, code
        return None, None
    if isinstance(value, str) and value.strip():
        return value, source_lang  # a plain text is written in the source language
    return None, None


def note_for(edition: dict | None, slug: str, step: str | None, lang: str, source_lang: str = "de") -> str | None:
    """The local note of a step in ``lang`` (falling back to German)."""
    return step_note(edition, slug, step, lang, source_lang)[0]


def step_note(edition: dict | None, slug: str, step: str | None, lang: str, source_lang: str = "de") -> tuple[str | None, str | None]:
    """The local note of a step: (text, its language)."""
    if not edition or not step:
        return None, None
    notes = edition.get("notes") if isinstance(edition.get("notes"), dict) else {}
    guide = notes.get(slug)
    return localise(guide.get(step), lang, source_lang) if isinstance(guide, dict) else (None, None)


def guide_note(edition: dict | None, slug: str, lang: str, codes: list[str], step_ids: list[str], source_lang: str = "de") -> tuple[str | None, str | None]:
    """The local note on a whole guide: (text, its language). Keys that are step ids belong to steps."""
    if not edition:
        return None, None
    notes = edition.get("notes") if isinstance(edition.get("notes"), dict) else {}
    value = notes.get(slug)
    if isinstance(value, dict):
        value = {k: v for k, v in value.items() if k in codes and k not in step_ids}
    return localise(value, lang, source_lang)


def local_office(edition: dict | None, office: str, lang: str, source_lang: str = "de") -> dict | None:
    """A city's office in ``lang``: its fields as text, plus ``langs`` {field: language} for German fallbacks."""
    offices = edition.get("offices") if edition and isinstance(edition.get("offices"), dict) else {}
    entry = offices.get(office)
    if not isinstance(entry, dict):
        return None
    shown: dict[str, Any] = {"langs": {}}
    for field in OFFICE_FIELDS:
        if field in LANGUAGE_FIELDS or field == "address":
            text, code = localise(entry.get(field), lang, source_lang)
            shown[field] = text
            if text and code != lang:
                shown["langs"][field] = code
        else:
            shown[field] = str(entry[field]) if entry.get(field) not in (None, "") else None
    return shown


def site_url(project: Project, edition: dict | None = None) -> str:
    """The public base URL, ending in '/': the edition's ``site_url`` when it has one."""
    url = edition.get("site_url") if isinstance(edition, dict) else None
    url = url if isinstance(url, str) and url.strip() else project.settings.get("site_url") or DEFAULT_SITE_URL
    return str(url).rstrip("/") + "/"


# ----------------------------------------------------------------------------------------------
# Helper functions
# ----------------------------------------------------------------------------------------------


def _did_you_mean(word: Any, choices: Any) -> str | None:
    """Suggest "did you mean 'offices'?" when ``word`` is a near miss of one of ``choices``."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.75)
    return f"did you mean '{close[0]}'?" if close else None


def _shown(value: Any, raw: str | None) -> str:
    """A value as the editor wrote it, for messages."""
    return f"'{raw if raw is not None else value}'"
