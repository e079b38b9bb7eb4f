#!/usr/bin/env python3
"""Synthetic guide sets for the build benchmarks (issue 9).

A synthetic site is a copy of the project (``mkdocs.yml`` without ``nav``, ``hooks/``,
``overrides/``, ``data/``, ``wegweiser.yml``) with a generated ``docs/`` folder:

- The pages that are not guides (start page, normal pages, generated pages) are copied as they are,
  in all their languages, so the start page's links and the generators keep working.
- Guides are generated. Each synthetic guide copies the language coverage of one real guide
  (German plus the translations that real guide has), and uses the real step structure: the front
  matter and facts exactly as in ``docs/anmeldung.md`` (same step ids), ``## Title {#id}`` steps,
  one ``!!! benefit`` and one ``!!! consequence`` each, stamped translation hashes.
- The text is real text of the site, re-mixed: single short sentences taken from the real guides
  of the same language (German, English, Arabic, Ukrainian, Russian, Turkish, Persian). Only
  sentences of at most ``MAX_WORDS`` words without Markdown are used, so the readability gate
  passes and the synthetic site builds.

Scale 1 has as many Markdown files as ``docs/`` has; scale N has N times as many (the non-guide
pages exist once, the guides fill the rest). The first copy of each real guide keeps the real slug
(the start page links to it); further copies are called ``<slug>_<n>``.

Usage: ``python bench/synth.py OUT_DIR --scale 4`` (prints the number of pages).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wegweiser.config import load_project  # noqa: E402
from wegweiser.model import RE_ADMONITION, parse_page, split_name  # noqa: E402
from wegweiser.site import Site, load_site  # noqa: E402
from wegweiser.text import split_sentences, words  # noqa: E402

TEMPLATE_GUIDE = "anmeldung"
MAX_WORDS = {"de": 11, "en": 12, "tr": 9}  # others: DEFAULT_MAX_WORDS
DEFAULT_MAX_WORDS = 10
RE_MARKUP = re.compile(r"[\[\]<>{}|*`#!_\\]|https?:|^\s*([-+]|\d+[.)])\s")
ROLES = ("body", "benefit", "consequence", "title")
# Sentences per part of a guide, as (min, max): close to the real guides.
SHAPE = {"intro": (3, 5), "body": (4, 8), "benefit": (2, 4), "consequence": (2, 4)}


@dataclass
class SynthInfo:
    """What was generated."""

    root: Path
    scale: float
    md_files: int = 0
    guides: int = 0
    languages: dict[str, int] = field(default_factory=dict)

    @property
    def html_pages(self) -> int:
        """Pages MkDocs renders: every German page in every language (fallbacks included)."""
        return self.de_pages * len(self.languages)

    de_pages: int = 0


# ----------------------------------------------------------------------------------------------
# Project copy
# ----------------------------------------------------------------------------------------------


def drop_top_level_key(text: str, key: str) -> str:
    """Remove a top-level YAML key and its indented block from ``mkdocs.yml`` text."""
    out, skipping = [], False
    for line in text.split("\n"):
        if re.match(rf"^{re.escape(key)}\s*:", line):
            skipping = True
            continue
        if skipping and (not line.strip() or line[0] in " \t#" or line.startswith("-")):
            if line.startswith("#"):
                skipping = False
                out.append(line)
            continue
        skipping = False
        out.append(line)
    return "\n".join(out)


def copy_project(dest: Path, root: Path = ROOT) -> Path:
    """Copy config, hooks, overrides and data into ``dest``; write both mkdocs configs."""
    dest.mkdir(parents=True, exist_ok=True)
    # Editions name real guides and steps, which a synthetic docs/ does not have (checked in every build).
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "editions")
    for name in ("hooks", "overrides", "data"):
        if (root / name).exists():
            shutil.rmtree(dest / name, ignore_errors=True)
            shutil.copytree(root / name, dest / name, ignore=ignore)
    shutil.copy2(root / "wegweiser.yml", dest / "wegweiser.yml")
    text = drop_top_level_key((root / "mkdocs.yml").read_text(encoding="utf-8"), "nav")
    (dest / "mkdocs.yml").write_text(text, encoding="utf-8")
    (dest / "mkdocs-nohooks.yml").write_text(drop_top_level_key(text, "hooks"), encoding="utf-8")
    return dest


# ----------------------------------------------------------------------------------------------
# Text pools from the real site
# ----------------------------------------------------------------------------------------------


def usable(line: str, lang: str) -> bool:
    """A line that is one short sentence of plain prose."""
    line = line.strip()
    if not line or RE_MARKUP.search(line) or line.endswith((":", "،", ",")):
        return False
    parts = split_sentences(line)
    n = len(words(line))
    return len(parts) == 1 and 2 <= n <= MAX_WORDS.get(lang, DEFAULT_MAX_WORDS)


def text_pools(site: Site) -> dict[str, dict[str, list[str]]]:
    """Sentences of the real guides per language and role (body, benefit, consequence, title)."""
    pools: dict[str, dict[str, list[str]]] = {}
    for (_slug, lang), page in sorted(site.pages.items()):
        if not page.is_guide:
            continue
        pool = pools.setdefault(lang, {role: [] for role in ROLES})
        for step in page.steps:
            if usable(step.title, lang):
                pool["title"].append(step.title.strip())
            block_lines = {n for b in step.blocks for n in range(b.line, b.line + 1 + b.text.count("\n") + 1)}
            for number, line in step.body:
                if number in block_lines or line.startswith((" ", "\t")) or RE_ADMONITION.match(line):
                    continue
                if usable(line, lang):
                    pool["body"].append(line.strip())
            for block in step.blocks:
                if block.kind in ("benefit", "consequence"):
                    pool[block.kind] += [x.strip() for x in block.text.split("\n") if usable(x, lang)]
    for pool in pools.values():
        for role in ROLES:
            pool[role] = sorted(set(pool[role]))
        # A small language borrows sentences between roles so every role has some text.
        every = sorted(set(pool["body"] + pool["benefit"] + pool["consequence"]))
        for role in ("body", "benefit", "consequence"):
            if len(pool[role]) < 8:
                pool[role] = every
        if not pool["title"]:
            pool["title"] = [s.rstrip(".") for s in every if len(words(s)) <= 6] or every
    return pools


# ----------------------------------------------------------------------------------------------
# Guide writer
# ----------------------------------------------------------------------------------------------


def _pick(rng: random.Random, pool: list[str], shape: tuple[int, int]) -> list[str]:
    return rng.sample(pool, min(len(pool), rng.randint(*shape)))


def guide_body(rng: random.Random, pool: dict[str, list[str]], title: str, step_ids: list[str]) -> str:
    """Markdown body of one guide: title, intro and the steps."""
    out = [f"# {title}", "", *_pick(rng, pool["body"], SHAPE["intro"])]
    titles = rng.sample(pool["title"], min(len(pool["title"]), len(step_ids)))
    for i, sid in enumerate(step_ids):
        heading = titles[i % len(titles)].rstrip(".").strip()
        out += ["", f"## {heading} {{#{sid}}}", "", *_pick(rng, pool["body"], SHAPE["body"]), ""]
        for kind in ("benefit", "consequence"):
            out += [f"!!! {kind}", *("    " + s for s in _pick(rng, pool[kind], SHAPE[kind])), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def front_matter(meta: dict) -> str:
    """YAML front matter block."""
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000) + "---\n\n"


def write_guide(
    docs: Path,
    slug: str,
    langs: list[str],
    source_lang: str,
    template: dict,
    real: Site,
    real_slug: str,
    pools: dict,
    rng: random.Random,
    suffix: str,
    limit: int = 99,
) -> int:
    """Write one synthetic guide in at most ``limit`` languages; return the number of files."""
    step_ids = template["step_ids"]
    german = real.page(real_slug, source_lang)
    title = f"{german.meta.get('title') or german.title}{suffix}"
    meta = {"kind": "guide", "title": title, "summary": german.meta.get("summary") or title}
    meta.update({k: german.meta[k] for k in ("audience", "order") if k in german.meta})
    meta.update({k: template["meta"][k] for k in ("reviewed", "sources", "facts") if k in template["meta"]})
    body = guide_body(rng, pools[source_lang], title, step_ids)
    text = front_matter(meta) + body
    (docs / f"{slug}.md").write_text(text, encoding="utf-8")
    parsed = parse_page(f"docs/{slug}.md", text, slug, source_lang)
    hashes = {s.id: s.text_hash for s in parsed.steps}
    count = 1
    for lang in langs:
        if lang == source_lang or lang not in pools or count >= limit:
            continue
        real_page = real.page(real_slug, lang)
        t_title = f"{real_page.meta.get('title') or real_page.title}{suffix}"
        reviewed = bool((real_page.meta.get("translation") or {}).get("reviewed", False))
        t_meta = {
            "kind": "guide",
            "title": t_title,
            "summary": real_page.meta.get("summary") or t_title,
            "translation": {"reviewed": reviewed, "source": dict(hashes)},
        }
        (docs / f"{slug}.{lang}.md").write_text(front_matter(t_meta) + guide_body(rng, pools[lang], t_title, step_ids), encoding="utf-8")
        count += 1
    return count


def real_size(root: Path = ROOT) -> int:
    """Number of Markdown pages in ``docs/``: the 1x size."""
    return sum(1 for _ in (root / "docs").rglob("*.md"))


def generate(dest: Path, scale: float = 1, root: Path = ROOT, seed: int = 9, guides: int | None = None, pages: bool = True) -> SynthInfo:
    """Write a synthetic project of ``scale`` times the real site's size into ``dest``.

    ``guides`` limits the real guides used as models, ``pages=False`` leaves out the non-guide
    pages (both for fast tests; such a set may not build because the start page is missing).
    """
    dest = Path(dest)
    copy_project(dest, root)
    docs = dest / "docs"
    shutil.rmtree(docs, ignore_errors=True)
    docs.mkdir(parents=True)
    real = load_site(load_project(root))
    source_lang = real.project.source_lang
    codes = real.project.codes
    template_page = real.source(TEMPLATE_GUIDE)
    if template_page is None:
        raise SystemExit(f"docs/{TEMPLATE_GUIDE}.md is missing: it is the template of the synthetic guides")
    template = {"meta": template_page.meta, "step_ids": [s.id for s in template_page.steps if s.id]}
    pools = text_pools(real)
    info = SynthInfo(dest, scale)
    # Non-guide pages (and any other files) are copied once, as they are.
    real_docs = root / "docs"
    guide_slugs = [p.slug for p in real.guides()]
    all_guides = set(guide_slugs)
    guide_slugs = guide_slugs[:guides] if guides else guide_slugs
    for file in sorted(real_docs.rglob("*")):
        if not file.is_file():
            continue
        rel = file.relative_to(real_docs)
        if file.suffix != ".md" and not pages:
            continue
        if file.suffix == ".md":
            slug, lang = split_name(rel.as_posix(), codes)
            if slug in all_guides or not pages:
                continue
            info.md_files += 1
            info.de_pages += lang == source_lang
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(file, docs / rel)
    target = round(scale * real_size(root))
    coverage = {slug: [lang for lang in codes if real.page(slug, lang) is not None] for slug in guide_slugs}
    copy = 0
    while guide_slugs and (copy == 0 or info.md_files < target):
        for real_slug in guide_slugs:
            if info.md_files >= target and copy > 0:
                break
            slug = real_slug if copy == 0 else f"{real_slug}_{copy + 1}"
            rng = random.Random(f"{seed}:{slug}")
            info.md_files += write_guide(
                docs,
                slug,
                coverage[real_slug],
                source_lang,
                template,
                real,
                real_slug,
                pools,
                rng,
                "" if copy == 0 else f" {copy + 1}",
                max(1, target - info.md_files),
            )
            info.guides += 1
            info.de_pages += 1
        copy += 1
    for file in docs.glob("*.md"):
        parts = file.name.split(".")
        lang = parts[-2] if len(parts) == 3 and parts[-2] in codes else source_lang
        info.languages[lang] = info.languages.get(lang, 0) + 1
    for lang in codes:
        info.languages.setdefault(lang, 0)
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder for the synthetic project (replaced)")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args(argv)
    info = generate(args.out, args.scale, seed=args.seed)
    print(f"{info.root}: {info.md_files} Markdown files, {info.guides} guides, {info.html_pages} pages to render; per language {info.languages}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
