"""The benchmark scripts (bench/): synthetic guides pass the gates; RESULTS.md tables are exact. No timings."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import calibrate  # noqa: E402
import pauses  # noqa: E402
import results  # noqa: E402
import synth  # noqa: E402

from wegweiser.checks import run_all  # noqa: E402
from wegweiser.config import load_project  # noqa: E402
from wegweiser.findings import ERROR  # noqa: E402
from wegweiser.site import load_site  # noqa: E402
from wegweiser.text import sentences  # noqa: E402

SCALE = 0.15  # about 18 pages: three real guides as models, in all their languages


@pytest.fixture(scope="module")
def template():
    """The real guide whose front matter and step ids every synthetic guide copies."""
    return load_site(load_project(ROOT)).source(synth.TEMPLATE_GUIDE)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """A small synthetic set, generated and parsed once: (root, info, site)."""
    root = tmp_path_factory.mktemp("synth") / "proj"
    info = synth.generate(root, scale=SCALE, guides=3, pages=False)
    return root, info, load_site(load_project(root))


def test_synthetic_pages_pass_every_check(synthetic, template, monkeypatch):
    root, info, site = synthetic
    monkeypatch.setenv("WEGWEISER_TODAY", str(template.meta["reviewed"]))
    monkeypatch.chdir(root)
    findings = run_all(site)
    errors = [f.format() for f in findings if f.level == ERROR]
    assert errors == []
    assert not [f for f in findings if f.rule == "Translation.Outdated"], "translations must carry the German step hashes"
    assert info.md_files == sum(1 for _ in (root / "docs").glob("*.md"))
    assert info.md_files >= round(SCALE * synth.real_size())


def test_synthetic_guides_have_the_real_step_structure(synthetic, template):
    root, info, site = synthetic
    ids = [s.id for s in template.steps]
    generated = [p for p in site.pages.values() if p.is_guide]
    assert len({p.slug for p in generated}) == info.guides == 3
    languages = {p.lang for p in generated}
    assert {"de", "ar", "uk", "fa"} <= languages, languages
    for page in generated:
        assert [s.id for s in page.steps] == ids, page.path
        for step in page.steps:
            assert [b.kind for b in step.blocks if b.kind in ("benefit", "consequence")] == ["benefit", "consequence"]
        if page.lang == "de":
            assert page.meta["facts"] == template.meta["facts"]
        limit = synth.MAX_WORDS.get(page.lang, synth.DEFAULT_MAX_WORDS)
        assert max(len(s.words) for s in sentences(page)) <= limit, page.path


def test_project_copy_drops_nav_and_hooks(synthetic):
    root, _, _ = synthetic
    with_hooks = (root / "mkdocs.yml").read_text(encoding="utf-8")
    without = (root / "mkdocs-nohooks.yml").read_text(encoding="utf-8")
    assert "\nnav:" not in with_hooks and "\nhooks:" in with_hooks
    assert "\nhooks:" not in without and "hooks/" not in without
    assert "\nplugins:" in without and "\nmarkdown_extensions:" in without
    for name in ("hooks", "overrides", "data", "wegweiser.yml"):
        assert (root / name).exists()


def test_drop_top_level_key():
    text = "a: 1\nnav:\n  - index.md\n  - x.md\n\n# comment\nhooks:\n  - hooks/gate.py\nplugins:\n  - search\n"
    assert synth.drop_top_level_key(text, "nav") == "a: 1\n# comment\nhooks:\n  - hooks/gate.py\nplugins:\n  - search\n"
    assert synth.drop_top_level_key(text, "hooks") == "a: 1\nnav:\n  - index.md\n  - x.md\n\n# comment\nplugins:\n  - search\n"


def test_results_table_from_given_numbers():
    figures = [
        results.Figure("Build 1x", "wall time, hooks on", [12.0, 10.0, 11.0], "s"),
        results.Figure("Build 1x", "hooks' overhead (on/off, wall time)", [1.4], "×", "<=", 1.25, note="ratio of medians", n=3),
        results.Figure("Check", "real site: wall time", [3.21, 2.5, 4.0], "s", "<", 5),
        results.Figure("Page weight: guide (de)", "first visit (gzip)", [64.5], "KB", "<=", 70, note="raw 250.0 KB"),
        results.Figure("Lighthouse: guide (ar)", "seo", [92, 100, 92], "", ">=", 100, digits=0),
        results.Figure("HTML validity", "errors", [0], "errors", "==", 0, digits=0),
        results.Figure("Build 16x", "wall time, hooks on", [], "s", missing="not measured: over the time budget"),
        results.Figure("Lighthouse: embed (de)", "performance", [], "", ">=", 95, missing="no chromium at /usr/bin/chromium"),
    ]
    expected = (
        "| Section | Figure | Median | Runs | Target | Met | Note |\n"
        "|---|---|---:|---:|---|---|---|\n"
        "| Build 1x | wall time, hooks on | 11 s | 3 | – | – |  |\n"
        "| Build 1x | hooks' overhead (on/off, wall time) | 1.40 × | 3 | ≤ 1.25 × | no | ratio of medians |\n"
        "| Check | real site: wall time | 3.21 s | 3 | < 5 s | yes |  |\n"
        "| Page weight: guide (de) | first visit (gzip) | 64.5 KB | 1 | ≤ 70 KB | yes | raw 250.0 KB |\n"
        "| Lighthouse: guide (ar) | seo | 92 | 3 | ≥ 100 | no |  |\n"
        "| HTML validity | errors | 0 errors | 1 | = 0 errors | yes |  |\n"
        "| Build 16x | wall time, hooks on | – | 0 | – | not measured | not measured: over the time budget |\n"
        "| Lighthouse: embed (de) | performance | – | 0 | ≥ 95 | not measured | not measured: no chromium at /usr/bin/chromium |\n"
    )
    assert results.results_table(figures) == expected
    assert results.summary_line(figures) == "6 figures with a target: 3 met, 2 missed, 1 not measured."
    text = results.render_results({"Date": "2026-11-25"}, figures, ["a note"], ["a finding"])
    assert text.startswith("# Benchmark results\n")
    assert "- **Date:** 2026-11-25\n" in text and expected in text
    assert "## Notes\n\n- a note\n" in text and "- a finding\n" in text


def test_numbers_are_formatted_for_reading():
    assert results.fmt_number(1234.5, "KB") == "1\u202f234 KB"
    assert results.fmt_number(0.123, "s") == "0.12 s"
    assert results.fmt_number(42.25) == "42.2"
    assert results.fmt_number(None) == "–"


def test_static_page_weight_counts_what_the_html_loads(tmp_path):
    import run

    (tmp_path / "a").mkdir()
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "x.css").write_text("body{color:red}" * 50)
    (tmp_path / "assets" / "x.js").write_text("var a=1;" * 50)
    (tmp_path / "index.html").write_text(
        '<link rel="stylesheet" href="assets/x.css"><script src="assets/x.js"></script><a href="a/">a</a>'
        '<link rel="alternate" hreflang="en" href="https://example.org/en/"><img src="https://cdn.example.com/i.png">'
    )
    (tmp_path / "a" / "index.html").write_text('<link rel="stylesheet" href="../assets/x.css">')
    first, third = run.static_resources(tmp_path, "")
    assert set(first) == {"http://local/", "/assets/x.css", "/assets/x.js"}
    assert first["/assets/x.css"][0] == 750 and first["/assets/x.css"][1] < 100
    assert third == ["https://cdn.example.com/i.png"]
    further, _ = run.static_resources(tmp_path, "a/")
    assert set(further) - set(first) == {"http://local/a/"}


@pytest.mark.parametrize(
    ("index", "multiplier"),
    [(150, 1.0), (475, 1.5), (800, 2.0), (1300, 3.0), (1533, 4.0), (2000, 6.0), (None, None), (100, None)],
)
def test_cpu_multiplier_follows_lighthouses_calibration_table(index, multiplier):
    assert calibrate.cpu_multiplier(index) == multiplier


def test_stall_probe_counts_the_pauses_it_sees():
    ticks = iter([0.0, 0.001, 0.002, 0.102, 0.103, 0.403, 0.404, 1.0, 1.0005])  # pauses of 0.1, 0.3 and 0.596 s
    probe = calibrate.stall_probe(1.0, clock=lambda: next(ticks))
    assert probe["over_50ms"] == 3 and probe["longest_ms"] == 596
    assert probe["paused_share"] == pytest.approx(0.996, abs=0.001)
    quiet = iter([i / 1000 for i in range(1002)])
    assert calibrate.stall_probe(1.0, clock=lambda: next(quiet)) == {"seconds": 1.0, "paused_share": 0.0, "longest_ms": 0, "over_50ms": 0}


def test_pause_recorder_sums_the_pauses_inside_a_window():
    rec = pauses.PauseRecorder()
    rec.record(1.0, 1.4)
    rec.record(3.0, 3.1)
    rec.record(0.2, 0.3)  # out of order: kept sorted
    assert rec.gaps[0] == (0.2, 0.3)
    assert rec.paused(0.0, 10.0) == pytest.approx(0.6)
    assert rec.paused(1.2, 3.05) == pytest.approx(0.2 + 0.05)  # partly inside at both ends
    assert rec.paused(1.5, 2.9) == 0.0
    rec.record(2.0, 2.0)  # empty: ignored
    assert len(rec.gaps) == 3


def test_pause_recorder_notes_a_late_wake_up_as_a_pause():
    """A clock that jumps by 0.3 s between two ticks is a pause of 0.3 s minus the tick."""
    now = [100.0]

    def clock():
        now[0] += 0.002
        if len(calls) == 5:
            now[0] += 0.3
        calls.append(now[0])
        return now[0]

    calls: list[float] = []
    rec = pauses.PauseRecorder(tick=0.002, threshold=0.02, clock=clock)
    with rec:
        while len(calls) < 20:
            pass
    assert len(rec.gaps) == 1
    start, end = rec.gaps[0]
    assert end - start == pytest.approx(0.3, abs=0.003)
    assert rec.share() == pytest.approx(0.3 / (rec.stopped - rec.started), rel=0.01)
