"""Translation freshness end to end: the date a German step changed (git history), the readers' notice,
sections of plain pages, and the issue's "done when" on the real content."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, make_site

from wegweiser import history
from wegweiser.checks import run_all
from wegweiser.checks.freshness import outdated_steps
from wegweiser.config import load_project
from wegweiser.facts import format_day
from wegweiser.freshness import stamp_files
from wegweiser.history import step_change_date
from wegweiser.render import change_date, render_markdown
from wegweiser.reports import build_matrix
from wegweiser.site import load_site

SENTENCE = "Gehen Sie zum Bürgeramt."
CHANGED = "Gehen Sie bald zum Bürgeramt."


@pytest.fixture(autouse=True)
def fresh_history_cache():
    history.clear_cache()
    yield
    history.clear_cache()


def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    if date:
        env.update(GIT_AUTHOR_DATE=f"{date}T12:00:00+00:00", GIT_COMMITTER_DATE=f"{date}T12:00:00+00:00")
    config = ["-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]
    done = subprocess.run(["git", *config, *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer contains {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def body(path: Path) -> str:
    """The Markdown MkDocs hands to the hooks: the file without its front matter."""
    return path.read_text(encoding="utf-8").split("---\n", 2)[2]


def notices(markdown: str) -> list[str]:
    return re.findall(r'<div class="ww-notice ww-notice--outdated" role="note"><p>(.*?)</p></div>', markdown)


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """The fixture site in a git repository: committed on 2026-01-05, step 'termin' changed on 2026-03-02,
    then a fact check on 2026-04-12 that only sets 'reviewed: 2026-04-10' (it must not move the step's date)."""
    root = make_site(tmp_path / "repo")
    monkeypatch.chdir(root)
    monkeypatch.setenv("WEGWEISER_TODAY", "2026-06-01")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first", date="2026-01-05")
    edit(root / "docs" / "anmeldung.md", SENTENCE, CHANGED)
    git(root, "commit", "-q", "-am", "termin changed", date="2026-03-02")
    edit(root / "docs" / "anmeldung.md", "reviewed: 2026-01-10", "reviewed: 2026-04-10")
    git(root, "commit", "-q", "-am", "fact check", date="2026-04-12")
    return root


def test_change_date_is_the_commit_that_changed_the_step(repo):
    site = load_site(load_project(repo))
    source = site.source("anmeldung")
    german = repo / "docs" / "anmeldung.md"
    assert step_change_date(german, "termin", source.step("termin").text_hash) == "2026-03-02"
    assert step_change_date(german, "aufheben", source.step("aufheben").text_hash) == "2026-01-05"
    assert change_date(site, "anmeldung", "termin") == "2026-03-02"  # not the page's 'reviewed' (2026-04-10)
    assert outdated_steps(site.page("anmeldung", "en"), source) == ["termin"]  # the other step is not outdated


def test_uncommitted_change_is_dated_today_and_rewrapping_is_no_change(repo):
    german = repo / "docs" / "anmeldung.md"
    edit(german, "Legen Sie die Bestätigung zu Ihren Papieren.", "Legen Sie die Bestätigung gleich zu Ihren Papieren.")
    edit(german, CHANGED, "Gehen   Sie bald\nzum Bürgeramt.")  # whitespace only: still the 2026-03-02 text
    site = load_site(load_project(repo))
    assert change_date(site, "anmeldung", "aufheben") == "2026-06-01"
    assert change_date(site, "anmeldung", "termin") == "2026-03-02"


def test_a_new_commit_is_seen_by_a_running_process(repo):
    site = load_site(load_project(repo))
    assert change_date(site, "anmeldung", "termin") == "2026-03-02"
    edit(repo / "docs" / "anmeldung.md", CHANGED, "Gehen Sie heute zum Bürgeramt.")
    git(repo, "commit", "-q", "-am", "again", date="2026-05-20")
    site = load_site(load_project(repo))
    assert change_date(site, "anmeldung", "termin") == "2026-05-20"


def test_without_history_the_page_date_stands_in(tmp_path, repo, monkeypatch):
    # Not a repository at all.
    plain = make_site(tmp_path / "plain")
    site = load_site(load_project(plain))
    step = site.source("anmeldung").step("termin")
    assert step_change_date(plain / "docs" / "anmeldung.md", "termin", step.text_hash) is None
    assert change_date(site, "anmeldung", "termin") == "2026-01-10"  # the German page's 'reviewed'
    # A shallow clone whose one commit cannot tell when the step changed.
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow))
    site = load_site(load_project(shallow))
    assert change_date(site, "anmeldung", "termin") == "2026-04-10"  # 'reviewed', not the clone's commit (04-12)
    # No git program.
    history.clear_cache()
    monkeypatch.setenv("PATH", str(tmp_path / "no-such-bin"))
    site = load_site(load_project(repo))
    assert change_date(site, "anmeldung", "termin") == "2026-04-10"


def test_reader_sees_the_step_change_date_in_their_language(repo):
    site = load_site(load_project(repo))
    project = site.project
    for lang in ("en", "ar"):
        markdown = render_markdown(site, "anmeldung", lang, body(repo / "docs" / f"anmeldung.{lang}.md"))
        expected = project.text(lang, "labels", "outdated").format(date=format_day("2026-03-02", lang))
        assert notices(markdown) == [expected], markdown
        heading = markdown.index("{#termin}")
        assert heading < markdown.index("ww-notice--outdated") < markdown.index("{#aufheben}")
    assert "March 2, 2026" in notices(render_markdown(site, "anmeldung", "en", body(repo / "docs" / "anmeldung.en.md")))[0]
    # Stamped again: up to date, no notice.
    assert stamp_files(repo, [repo / "docs" / "anmeldung.en.md"], None, False) == 0
    site = load_site(load_project(repo))
    assert notices(render_markdown(site, "anmeldung", "en", body(repo / "docs" / "anmeldung.en.md"))) == []
    assert notices(render_markdown(site, "anmeldung", "de", body(repo / "docs" / "anmeldung.md"))) == []


HILFE = """---
kind: page
title: Hilfe
summary: Hier finden Sie Hilfe.
reviewed: 2026-01-10
sources:
  - https://www.bamf.de/
---

# Hilfe

Hier finden Sie Hilfe.

## Im Notfall {{#notruf}}

Rufen Sie {number} an.

## Beratung {{#beratung}}

Die Beratung ist kostenlos.
"""

HELP = """---
kind: page
title: Help
summary: Here you find help.
---

# Help

Here you find help.

## In an emergency {#notruf}

Call 112.

## Advice {#beratung}

The advice is free.
"""


def test_sections_of_plain_pages_are_tracked_too(tmp_path, monkeypatch):
    root = make_site(tmp_path / "p")
    monkeypatch.chdir(root)
    monkeypatch.setenv("WEGWEISER_TODAY", "2026-06-01")
    (root / "docs" / "hilfe.md").write_text(HILFE.format(number="112"), encoding="utf-8")
    (root / "docs" / "hilfe.en.md").write_text(HELP, encoding="utf-8")
    assert stamp_files(root, [root / "docs" / "hilfe.en.md"], None, False) == 0
    outdated = lambda: [f.format() for f in run_all(load_site(load_project(root))) if f.rule == "Translation.Outdated"]
    assert outdated() == []

    (root / "docs" / "hilfe.md").write_text(HILFE.format(number="110 oder 112"), encoding="utf-8")
    assert outdated() == [
        "docs/hilfe.en.md:16:1: warning [Translation.Outdated] section 'notruf' changed in German since it was translated; "
        "update it, then run: make stamp FILE=docs/hilfe.en.md"
    ]
    site = load_site(load_project(root))
    cell = next(r for r in build_matrix(site, [])["pages"] if r["slug"] == "hilfe")["languages"]["en"]
    assert (cell["state"], cell["outdated"]) == ("outdated", ["notruf"])
    markdown = render_markdown(site, "hilfe", "en", body(root / "docs" / "hilfe.en.md"))
    assert len(notices(markdown)) == 1
    assert markdown.index("{#notruf}") < markdown.index("ww-notice--outdated") < markdown.index("{#beratung}")


# --------------------------------------------------------------------------------------------
# The "done when", on the real content
# --------------------------------------------------------------------------------------------


def pick_step(site) -> tuple[str, str, int]:
    """A German guide step that every translation has and that is up to date everywhere, and a line in it
    whose sentence ends in a word (not an abbreviation): (slug, step id, line number)."""
    langs = site.project.codes[1:]
    for source in site.guides():
        pages = [site.page(source.slug, lang) for lang in langs]
        if any(p is None for p in pages):
            continue
        stale = {sid for p in pages for sid in outdated_steps(p, source)}
        for step in source.steps:
            if not step.id or step.id in stale or any(p.step(step.id) is None for p in pages):
                continue
            for number, line in step.body:
                if re.fullmatch(r"[A-ZÄÖÜ][^!?:;<>`|#]*\b[a-zäöüß]{4,}\.", line.strip()) and line.count(".") == 1:
                    return source.slug, step.id, number
    pytest.fail("no German step in docs/ is translated into every language and up to date")


def test_changing_one_sentence_of_the_real_content_outdates_exactly_that_step_everywhere(tmp_path, monkeypatch):
    codes = [lang["code"] for lang in yaml.safe_load((ROOT / "wegweiser.yml").read_text(encoding="utf-8"))["languages"]]
    root = make_site(tmp_path / "real", docs=ROOT / "docs", langs=codes)
    monkeypatch.chdir(root)
    monkeypatch.setenv("WEGWEISER_TODAY", "2026-06-01")
    site = load_site(load_project(root))
    slug, sid, number = pick_step(site)
    before = sorted(f.format() for f in run_all(site))
    matrix_before = build_matrix(site, [])
    rendered_before = {lang: render_markdown(site, slug, lang, body(root / "docs" / f"{slug}.{lang}.md")) for lang in codes[1:]}

    german = root / "docs" / f"{slug}.md"
    lines = german.read_text(encoding="utf-8").split("\n")
    lines[number - 1] = lines[number - 1].rstrip()[:-1] + "!"  # one sentence changes: '.' becomes '!'
    german.write_text("\n".join(lines), encoding="utf-8")

    site = load_site(load_project(root))
    after = sorted(f.format() for f in run_all(site))
    added = [f for f in after if f not in before]
    assert [f for f in before if f not in after] == []
    assert len(added) == len(codes) - 1, added
    for lang in codes[1:]:
        translation = site.page(slug, lang)
        line = translation.step(sid).line
        assert (
            f"docs/{slug}.{lang}.md:{line}:1: warning [Translation.Outdated] step '{sid}' changed in German since it was translated; "
            f"update it, then run: make stamp FILE=docs/{slug}.{lang}.md"
        ) in added

    # The editors' report: that step, in that guide, in every language; nothing else.
    matrix_after = build_matrix(site, [])
    for row_before, row_after in zip(matrix_before["pages"], matrix_after["pages"], strict=True):
        for lang in codes:
            old, new = row_before["languages"][lang], row_after["languages"][lang]
            if row_after["slug"] == slug and lang != codes[0]:
                assert new["state"] == "outdated" and set(new["outdated"]) == {*old["outdated"], sid}, (lang, new)
                old, new = {**old, "state": None, "outdated": None}, {**new, "state": None, "outdated": None}
            assert old == new, (row_after["slug"], lang)

    # The readers' pages: one more notice per language, on that step.
    for lang in codes[1:]:
        markdown = render_markdown(site, slug, lang, body(root / "docs" / f"{slug}.{lang}.md"))
        assert len(notices(markdown)) == len(notices(rendered_before[lang])) + 1, lang
        heading = markdown.index("{#" + sid + "}")
        assert "ww-notice--outdated" in markdown[heading : heading + 800], lang


def test_report_shows_outdated_reviewed_machine_missing_and_overdue(tmp_path, monkeypatch):
    root = make_site(tmp_path / "p")
    monkeypatch.chdir(root)
    edit(root / "docs" / "anmeldung.md", SENTENCE, CHANGED)
    edit(root / "docs" / "anmeldung.en.md", "  reviewed: false", "  reviewed: true")
    assert stamp_files(root, [root / "docs" / "anmeldung.ar.md"], None, False) == 0
    (root / "docs" / "index.en.md").unlink()
    monkeypatch.setenv("WEGWEISER_TODAY", "2027-02-01")  # reviewed 2026-01-10 + 12 months: overdue
    rows = {row["slug"]: row for row in build_matrix(load_site(load_project(root)), [])["pages"]}
    cells = {lang: (c["state"], c["outdated"], c["reviewed"]) for lang, c in rows["anmeldung"]["languages"].items()}
    assert cells == {"de": ("source", [], False), "en": ("outdated", ["termin"], True), "ar": ("machine", [], False)}
    assert rows["anmeldung"]["overdue"] is True and rows["anmeldung"]["review_due"] == "2027-01-10"
    assert rows["index"]["languages"]["en"]["state"] == "missing"
