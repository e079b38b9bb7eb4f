"""Local editions: a city's own offices and notes, in one file ``data/editions/<name>.yml``.

Syntax contract::

    name: Musterstadt                 # required
    offices:                          # keys from data/offices.yml
      meldebehoerde:
        name: Bürgerbüro Musterstadt  # required
        address: Marktplatz 1, 99999 Musterstadt   # required
        hours: Mo–Fr 8–12 Uhr
        phone: "0000 000000"
        website: https://www.musterstadt.example/buergerbuero      # https URL
        appointment: https://termine.musterstadt.example/          # https URL
    notes:                            # optional, per guide and step; text, or text per language
      anmeldung:
        termin: {de: "...", en: "..."}
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from .config import Project
from .findings import Finding, finding
from .model import normalise, parse_meta
from .site import Site, rel_path

OFFICE_FIELDS = ("name", "address", "hours", "phone", "website", "appointment")
REQUIRED = ("name", "address")
URL_FIELDS = ("website", "appointment")


def edition_path(project: Project, name: str) -> Path:
    """Where the edition file of ``name`` lives."""
    return project.root / "data" / "editions" / f"{name}.yml"


def load_edition(site: Site, name: str) -> tuple[dict | None, list[Finding]]:
    """Read and validate an edition; return (edition, findings)."""
    path = edition_path(site.project, name)
    rel = rel_path(path, site.project)
    if not path.exists():
        available = sorted(p.stem for p in path.parent.glob("*.yml")) if path.parent.exists() else []
        return None, [finding(rel, 1, "Edition.Missing", f"no edition '{name}'; available: {', '.join(available) or 'none'}")]
    text, problems = normalise(path.read_bytes(), rel)
    if text is None:
        return None, problems
    data, lines, problems = parse_meta(text, rel)
    # parse_meta counts from a front matter's second line; an edition file starts at line 1.
    lines = {k: v - 1 for k, v in lines.items()}
    problems = [finding(f.path, f.line - 1, f.rule.replace("FrontMatter", "Edition"), f.message.replace("front matter", "edition file")) for f in problems]
    if problems:
        return None, problems
    return data, check_edition(site, rel, data, lines)


def check_edition(site: Site, rel: str, data: dict, lines: dict) -> list[Finding]:
    """Validate offices and notes of an edition against the site."""
    out: list[Finding] = []

    def at(*keys) -> int:
        while keys:
            if keys in lines:
                return lines[keys]
            keys = keys[:-1]
        return 1

    if not isinstance(data.get("name"), str) or not data["name"].strip():
        out.append(finding(rel, at("name"), "Edition.Field", "edition needs a 'name'"))
    offices = data.get("offices") or {}
    if not isinstance(offices, dict):
        return out + [finding(rel, at("offices"), "Edition.Type", "'offices' must map office keys to details")]
    for key, office in offices.items():
        if key not in site.project.offices:
            out.append(finding(rel, at("offices", key), "Edition.UnknownOffice", f"unknown office '{key}'; known offices are in data/offices.yml"))
            continue
        if not isinstance(office, dict):
            out.append(finding(rel, at("offices", key), "Edition.Type", f"office '{key}' must be a mapping of fields"))
            continue
        for field in REQUIRED:
            if not str(office.get(field) or "").strip():
                out.append(finding(rel, at("offices", key), "Edition.Field", f"office '{key}' needs '{field}'"))
        for field in office:
            if field not in OFFICE_FIELDS:
                out.append(
                    finding(rel, at("offices", key, field), "Edition.Field", f"office '{key}': unknown field '{field}'; allowed: {', '.join(OFFICE_FIELDS)}")
                )
        for field in URL_FIELDS:
            if field in office:
                url = urlparse(str(office[field]))
                if url.scheme != "https" or not url.netloc:
                    out.append(finding(rel, at("offices", key, field), "Edition.Url", f"office '{key}': {field} '{office[field]}' is not an https URL"))
    notes = data.get("notes") or {}
    if not isinstance(notes, dict):
        return out + [finding(rel, at("notes"), "Edition.Type", "'notes' must map guides to steps")]
    for slug, steps in notes.items():
        guide = site.source(slug)
        if guide is None or not guide.is_guide:
            out.append(finding(rel, at("notes", slug), "Edition.UnknownGuide", f"unknown guide '{slug}'"))
            continue
        for sid in steps or {}:
            if guide.step(sid) is None:
                out.append(finding(rel, at("notes", slug, sid), "Edition.UnknownStep", f"guide '{slug}' has no step '{sid}'"))
    return out


def note_for(edition: dict | None, slug: str, step: str | None, lang: str, source_lang: str = "de") -> str | None:
    """The local note of a step in ``lang`` (falling back to German)."""
    if not edition or not step:
        return None
    note = ((edition.get("notes") or {}).get(slug) or {}).get(step)
    if isinstance(note, dict):
        return note.get(lang) or note.get(source_lang)
    return note
