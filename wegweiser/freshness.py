"""Translation freshness: which German step version each translated step was made from."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from .config import load_project
from .model import normalise, parse_page, split_front_matter, split_name
from .site import rel_path

FRESHNESS_KINDS = ("guide", "page", "start")
"""Kinds of page whose translations record, per step or section, the German hash they were made from."""


def translation_meta(page_meta: dict) -> tuple[bool, dict[str, str]]:
    """Return (reviewed by a native speaker, {step id: German hash}) of a translation."""
    trans = page_meta.get("translation")
    if not isinstance(trans, dict):
        return False, {}
    source = trans.get("source")
    hashes = {str(k): str(v) for k, v in source.items()} if isinstance(source, dict) else {}
    return trans.get("reviewed") is True, hashes


def render_translation_block(reviewed: bool, hashes: dict[str, str]) -> str:
    """Render the ``translation:`` front-matter block."""
    lines = ["translation:", f"  reviewed: {'true' if reviewed else 'false'}", "  source:"]
    lines += [f"    {sid}: {h}" for sid, h in hashes.items()]
    return "\n".join(lines)


def replace_translation_block(text: str, block: str) -> str:
    """Replace (or add) the ``translation:`` block in a page's front matter."""
    yaml_text, body_start = split_front_matter(text)
    lines = text.split("\n")
    if yaml_text is None or body_start < 0:
        return "---\n" + block + "\n---\n" + text
    fm = lines[1 : body_start - 2]
    kept, skipping = [], False
    for line in fm:
        if re.match(r"^translation\s*:", line):
            skipping = True
            continue
        if skipping and (line.startswith((" ", "\t")) or not line.strip()):
            continue
        skipping = False
        kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join(["---", *kept, block, "---", *lines[body_start - 1 :]])


def stamp_files(root: Path, files: list[Path], steps: list[str] | None, reviewed: bool) -> int:
    """Record the current German hash of each step in the given translations."""
    project = load_project(root)
    status = 0
    for file in files:
        rel = rel_path(file, project)
        slug, lang = split_name(file.resolve().relative_to(project.docs_dir.resolve()).as_posix(), project.codes)
        if lang == project.source_lang:
            print(f"{rel}:1:1: error [Stamp.Source] this is a German source file, not a translation", file=sys.stderr)
            status = 1
            continue
        src_file = project.docs_dir / f"{slug}.md"
        if not src_file.exists():
            print(f"{rel}:1:1: error [Stamp.NoSource] no German source {src_file}", file=sys.stderr)
            status = 1
            continue
        src_text, _ = normalise(src_file.read_bytes(), str(src_file))
        text, problems = normalise(file.read_bytes(), rel)
        if text is None or src_text is None:
            print(problems[0].format() if problems else f"{rel}: cannot read", file=sys.stderr)
            status = 1
            continue
        source = parse_page(str(src_file), src_text, slug, project.source_lang)
        page = parse_page(rel, text, slug, lang)
        was_reviewed, hashes = translation_meta(page.meta)
        new_hashes = {}
        for step in source.steps:
            if not step.id or not page.step(step.id):
                continue
            if steps and step.id not in steps:
                if step.id in hashes:
                    new_hashes[step.id] = hashes[step.id]
                continue
            new_hashes[step.id] = step.text_hash
        block = render_translation_block(reviewed or was_reviewed, new_hashes)
        file.write_text(replace_translation_block(text, block), encoding="utf-8")
        print(f"{rel}: stamped {len(new_hashes)} steps" + (" (reviewed)" if reviewed else ""))
    return status
