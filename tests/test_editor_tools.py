"""Tools for editors: scaffolding, stamping, freshness, review dates, sources, report."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

from conftest import make_site

from wegweiser.checks import run_all
from wegweiser.config import load_project
from wegweiser.freshness import stamp_files
from wegweiser.scaffold import new_guide
from wegweiser.site import load_site


def findings(root, monkeypatch, today="2026-06-01"):
    monkeypatch.chdir(root)
    monkeypatch.setenv("WEGWEISER_TODAY", today)
    return [f.format() for f in run_all(load_site(load_project(root)))]


def test_new_guide_passes_every_gate(tmp_path, monkeypatch, capsys):
    root = make_site(tmp_path / "p")
    assert new_guide(root, "kindergeld", "Kindergeld beantragen", dt.date(2026, 5, 1)) == 0
    assert "Next:" in capsys.readouterr().out
    found = [f for f in findings(root, monkeypatch) if "kindergeld" in f and " error " in f]
    assert found == []
    assert new_guide(root, "kindergeld") == 1
    assert new_guide(root, "Kinder Geld") == 2


def test_changing_one_sentence_outdates_exactly_that_step(tmp_path, monkeypatch):
    root = make_site(tmp_path / "p")
    before = [f for f in findings(root, monkeypatch) if "Translation.Outdated" in f]
    assert before == []
    src = root / "docs" / "anmeldung.md"
    src.write_text(src.read_text(encoding="utf-8").replace("Gehen Sie zum Bürgeramt.", "Gehen Sie bald zum Bürgeramt."), encoding="utf-8")
    after = sorted(f.split(" [")[0] + " " + f.split("] ")[1].split(";")[0] for f in findings(root, monkeypatch) if "Translation.Outdated" in f)
    assert after == [
        "docs/anmeldung.ar.md:16:1: warning step 'termin' changed in German since it was translated",
        "docs/anmeldung.en.md:16:1: warning step 'termin' changed in German since it was translated",
    ]


def test_whitespace_front_matter_and_other_steps_do_not_outdate(tmp_path, monkeypatch):
    root = make_site(tmp_path / "p")
    src = root / "docs" / "anmeldung.md"
    text = src.read_text(encoding="utf-8")
    text = text.replace("order: 1\n", "order: 2\n").replace("Gehen Sie zum Bürgeramt.", "Gehen   Sie\nzum Bürgeramt.")
    text = text.replace("summary: Melden Sie Ihre Adresse an.\naudience: [alle]", "audience: [alle]\nsummary: Melden Sie Ihre Adresse an.")
    src.write_text(text, encoding="utf-8")
    assert [f for f in findings(root, monkeypatch) if "Translation.Outdated" in f] == []


def test_stamp_marks_steps_updated(tmp_path, monkeypatch):
    root = make_site(tmp_path / "p")
    src = root / "docs" / "anmeldung.md"
    src.write_text(src.read_text(encoding="utf-8").replace("Gehen Sie zum Bürgeramt.", "Gehen Sie bald zum Bürgeramt."), encoding="utf-8")
    monkeypatch.chdir(root)
    assert stamp_files(root, [root / "docs" / "anmeldung.en.md"], ["termin"], False) == 0
    remaining = [f for f in findings(root, monkeypatch) if "Translation.Outdated" in f]
    assert len(remaining) == 1 and "anmeldung.ar.md" in remaining[0]


def test_review_due_warns_then_fails(tmp_path, monkeypatch):
    root = make_site(tmp_path / "p")
    # reviewed 2026-01-10, interval 12 months, grace 60 days
    assert not [f for f in findings(root, monkeypatch, "2026-12-01") if "Review." in f]
    warn = [f for f in findings(root, monkeypatch, "2027-01-20") if "Review." in f]
    assert warn == ["docs/anmeldung.md:7:1: warning [Review.Due] review was due on 2027-01-10; the build fails after 2027-03-11"]
    err = [f for f in findings(root, monkeypatch, "2027-03-12") if "Review." in f]
    assert err == ["docs/anmeldung.md:7:1: error [Review.Overdue] review was due on 2027-01-10; check the facts and update 'reviewed'"]


def test_sources_must_be_https_and_official_gets_no_warning(tmp_path, monkeypatch):
    root = make_site(tmp_path / "p")
    src = root / "docs" / "anmeldung.md"
    text = src.read_text(encoding="utf-8").replace(
        "  - https://www.gesetze-im-internet.de/bmg/__17.html\n",
        "  - https://www.gesetze-im-internet.de/bmg/__17.html\n  - http://www.bamf.de/x\n  - https://blog.example.com/anmeldung\n",
    )
    src.write_text(text, encoding="utf-8")
    found = [f for f in findings(root, monkeypatch) if "Sources." in f]
    assert found == [
        "docs/anmeldung.md:10:1: error [Sources.Https] source 'http://www.bamf.de/x' is not an https URL",
        "docs/anmeldung.md:11:1: warning [Sources.Official] source 'blog.example.com' is not on the list of official domains in wegweiser.yml",
    ]


def test_check_cli_formats_and_exit_codes(tmp_path):
    root = make_site(tmp_path / "p")
    env = dict(os.environ, WEGWEISER_TODAY="2026-06-01")
    run = lambda *a: subprocess.run([sys.executable, "-m", "wegweiser", "check", *a], cwd=root, env=env, capture_output=True, text=True, check=False)
    ok = run()
    assert ok.returncode == 0, ok.stdout + ok.stderr
    src = root / "docs" / "anmeldung.md"
    src.write_text(src.read_text(encoding="utf-8").replace("!!! benefit\n    Sie finden sie schnell.\n", ""), encoding="utf-8")
    text = run()
    assert text.returncode == 1
    assert "docs/anmeldung.md:36:1: error [Structure.Benefit] step 'aufheben' has no benefit" in text.stdout
    js = run("--format", "json")
    assert '"rule": "Structure.Benefit"' in js.stdout
    gh = run("--format", "github")
    assert "::error file=docs/anmeldung.md,line=36,col=1,title=Structure.Benefit::step 'aufheben' has no benefit" in gh.stdout


def test_one_language_preview_config(tmp_path):
    import shutil
    from pathlib import Path

    from wegweiser.preview import one_language_config

    root = Path(__file__).resolve().parent.parent
    shutil.copy(root / "mkdocs.yml", tmp_path / "mkdocs.yml")
    text = one_language_config(tmp_path, "ar").read_text(encoding="utf-8")
    assert "{locale: ar, name: العربية, build: true}" in text
    assert "{locale: de, name: Deutsch, default: true, build: true}" in text
    assert "build: false" in text and text.count("build: true") == 2


def test_review_interval_per_page_and_in_wegweiser_yml(tmp_path, monkeypatch):
    root = make_site(tmp_path / "p")
    src = root / "docs" / "anmeldung.md"
    text = src.read_text(encoding="utf-8")
    # reviewed 2026-01-10; a page of its own interval, 6 months: due 2026-07-10.
    src.write_text(text.replace("reviewed: 2026-01-10\n", "reviewed: 2026-01-10\nreview_interval_months: 6\n"), encoding="utf-8")
    assert [f for f in findings(root, monkeypatch, "2026-08-01") if "Review." in f] == [
        "docs/anmeldung.md:7:1: warning [Review.Due] review was due on 2026-07-10; the build fails after 2026-09-08"
    ]
    # The project's interval and grace period in wegweiser.yml.
    src.write_text(text, encoding="utf-8")
    config = root / "wegweiser.yml"
    config.write_text(
        config.read_text(encoding="utf-8")
        .replace("review_interval_months: 12", "review_interval_months: 3")
        .replace("review_grace_days: 60", "review_grace_days: 10"),
        encoding="utf-8",
    )
    assert [f for f in findings(root, monkeypatch, "2026-04-30") if "Review." in f] == [
        "docs/anmeldung.md:7:1: error [Review.Overdue] review was due on 2026-04-10; check the facts and update 'reviewed'"
    ]


def test_a_review_interval_that_is_not_a_number_is_a_finding_not_a_crash(tmp_path, monkeypatch):
    root = make_site(tmp_path / "p")
    src = root / "docs" / "anmeldung.md"
    src.write_text(src.read_text(encoding="utf-8").replace("reviewed: 2026-01-10\n", "reviewed: 2026-01-10\nreview_interval_months: zwölf\n"), encoding="utf-8")
    config = root / "wegweiser.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("review_grace_days: 60", "review_grace_days: [60]"), encoding="utf-8")
    line = next(n for n, text in enumerate(config.read_text(encoding="utf-8").split("\n"), 1) if text.startswith("review_grace_days:"))
    found = sorted(f for f in findings(root, monkeypatch, "2026-06-01") if "Review" in f)
    assert found == [
        "docs/anmeldung.md:8:1: error [FrontMatter.ReviewInterval] review_interval_months 'zwölf' is not a whole number of months; "
        "write for example 'review_interval_months: 6'",
        f"wegweiser.yml:{line}:1: error [Config.Review] review_grace_days '[60]' is not a whole number; write for example 'review_grace_days: 60'",
    ]
    env = dict(os.environ, WEGWEISER_TODAY="2026-06-01")
    done = subprocess.run([sys.executable, "-m", "wegweiser", "check"], cwd=root, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr and "[FrontMatter.ReviewInterval]" in done.stdout


def test_check_exits_0_when_there_are_only_warnings(tmp_path):
    root = make_site(tmp_path / "p")
    src = root / "docs" / "anmeldung.md"
    text = src.read_text(encoding="utf-8")
    old = "  - https://www.gesetze-im-internet.de/bmg/__17.html\n"
    src.write_text(text.replace(old, old + "  - https://blog.example.com/anmeldung\n"), encoding="utf-8")
    env = dict(os.environ, WEGWEISER_TODAY="2026-06-01")
    done = subprocess.run([sys.executable, "-m", "wegweiser", "check"], cwd=root, env=env, capture_output=True, text=True, check=False)
    assert done.stdout.strip() == (
        "docs/anmeldung.md:10:1: warning [Sources.Official] source 'blog.example.com' is not on the list of official domains in wegweiser.yml"
    )
    assert "0 errors, 1 warnings" in done.stderr
    assert done.returncode == 0


def make_dry_run(*args: str, env: dict | None = None) -> str:
    """The last line ``make -n`` prints for a target: the command it would run (nothing runs)."""
    from conftest import ROOT

    done = subprocess.run(["make", "--no-print-directory", "-n", *args], cwd=ROOT, env=env or dict(os.environ), capture_output=True, text=True, check=True)
    return done.stdout.strip().split("\n")[-1]


def test_make_serve_ignores_the_locale_and_takes_only():
    locale = dict(os.environ, LANG="de_DE.UTF-8")
    assert make_dry_run("serve", env=locale).split() == [".venv/bin/python", "scripts/serve.py"]  # every language
    assert make_dry_run("serve", "ONLY=ar", env=locale).split() == [".venv/bin/python", "scripts/serve.py", "--lang", "ar"]
    assert make_dry_run("serve", "LANG=de", env=locale).split()[-2:] == ["--lang", "de"]  # the old spelling, typed on the command line
    from conftest import ROOT

    bad = subprocess.run([sys.executable, "scripts/serve.py", "--lang", "de_DE.UTF-8"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and "not a language of this site" in bad.stderr


def test_make_stamp_takes_steps():
    assert make_dry_run("stamp", "FILE=docs/anmeldung.en.md", "STEP=termin aufheben").split() == [
        ".venv/bin/python",
        "-m",
        "wegweiser",
        "stamp",
        "--step",
        "termin",
        "--step",
        "aufheben",
        "docs/anmeldung.en.md",
    ]
    assert make_dry_run("stamp", "FILE=docs/anmeldung.en.md").split()[-2:] == ["stamp", "docs/anmeldung.en.md"]


def test_github_annotations_escape_property_values():
    from wegweiser.findings import finding, format_github

    found = finding("docs/a,b:c.md", 3, "Rule.X", "50% done\nnext")
    assert format_github([found]) == "::error file=docs/a%2Cb%3Ac.md,line=3,col=1,title=Rule.X::50%25 done%0Anext"
