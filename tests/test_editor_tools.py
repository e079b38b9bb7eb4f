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
