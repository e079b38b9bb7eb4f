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
import trace_cut  # noqa: E402

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


def test_timeline_moves_times_earlier_by_the_pauses_before_them():
    line = pauses.Timeline([(3.0, 3.5), (1.0, 2.0)])  # given out of order
    assert line.cut(0.5) == 0.5
    assert line.cut(1.0) == 1.0
    assert line.cut(1.5) == 1.0  # inside a pause: its start
    assert line.cut(2.0) == 1.0
    assert line.cut(2.5) == 1.5
    assert line.cut(4.0) == pytest.approx(2.5)
    assert line.cut(4.0) - line.cut(0.5) == pytest.approx(3.5 - 1.5)  # a span shrinks by the pauses inside it


def test_pause_recorder_reports_whether_it_got_real_time_priority():
    with pauses.PauseRecorder() as rec:
        while rec.realtime is None:
            pass
    assert rec.realtime == pauses._realtime_thread()  # same answer as this thread gets; root in CI: True


def _saved_run(folder: Path) -> None:
    """A tiny saved Lighthouse run: one 10 ms task stretched to 410 ms by a pause, one response."""
    import json

    folder.mkdir()
    t = 1000.0  # seconds on the monotonic clock
    trace = {
        "traceEvents": [
            {"name": "RunTask", "ph": "X", "ts": t * 1e6, "dur": 410_000, "tts": 5000, "args": {}},
            {"name": "firstContentfulPaint", "ph": "R", "ts": (t + 0.5) * 1e6, "args": {}},
            {"name": "ResourceFinish", "ph": "I", "ts": (t + 0.6) * 1e6, "args": {"data": {"finishTime": t + 0.6, "encodedDataLength": 1001.5}}},
            {"name": "Screenshot", "ph": "O", "ts": (t + 0.7) * 1e6, "args": {"expected_display_time": (t + 0.7) * 1e6}},
            {"name": "metadata", "ph": "M", "ts": 0, "args": {"name": "CrRendererMain"}},
        ]
    }
    log = [
        {"method": "Network.requestWillBeSent", "params": {"timestamp": t - 0.1, "wallTime": 1.7e9}},
        {
            "method": "Network.responseReceived",
            "params": {
                "timestamp": t + 0.6,
                "response": {"timing": {"requestTime": t - 0.1, "sendStart": 1.0, "receiveHeadersEnd": 400.0, "dnsStart": -1}},
            },
        },
        {"method": "Runtime.consoleAPICalled", "params": {"timestamp": 1.7e12}},
    ]
    (folder / trace_cut.TRACE).write_text(json.dumps(trace), encoding="utf-8")
    (folder / trace_cut.DEVTOOLS_LOG).write_text(json.dumps(log), encoding="utf-8")
    settings = {"throttlingMethod": "simulate", "throttling": {"rttMs": 150, "cpuSlowdownMultiplier": 1.6}}
    (folder / trace_cut.ARTIFACTS).write_text(json.dumps({"URL": {}, "settings": settings}), encoding="utf-8")


def test_trace_cut_takes_the_pauses_out_of_a_saved_lighthouse_run(tmp_path):
    import json

    src, dst = tmp_path / "run", tmp_path / "cut"
    _saved_run(src)
    pause = (1000.005, 1000.405)  # 0.4 s inside the task
    changed = trace_cut.cut_run(src, dst, [pause, (5.0, 6.0)], 990.0, 1010.0)  # the second pause is outside the run
    assert changed > 0
    events = {e["name"]: e for e in json.loads((dst / trace_cut.TRACE).read_text())["traceEvents"]}
    task = events["RunTask"]
    assert task["ts"] == pytest.approx(1000.0e6) and task["dur"] == pytest.approx(10_000)  # the 10 ms of work
    assert task["tts"] == 5000  # thread time is not a clock value
    assert events["firstContentfulPaint"]["ts"] == pytest.approx(1000.1e6)
    finish = events["ResourceFinish"]["args"]["data"]
    assert finish["finishTime"] == pytest.approx(1000.2) and finish["encodedDataLength"] == 1001.5
    assert events["Screenshot"]["args"]["expected_display_time"] == pytest.approx(1000.3e6)
    assert events["metadata"]["ts"] == 0
    log = json.loads((dst / trace_cut.DEVTOOLS_LOG).read_text())
    assert log[0]["params"] == {"timestamp": 999.9, "wallTime": 1.7e9}  # before the pause: unchanged
    timing = log[1]["params"]["response"]["timing"]
    assert timing["requestTime"] == 999.9 and timing["sendStart"] == pytest.approx(1.0)
    assert timing["receiveHeadersEnd"] == pytest.approx(105.0)  # 400 ms after the request, inside the pause: its start
    assert timing["dnsStart"] == -1  # "none" stays
    assert log[1]["params"]["timestamp"] == pytest.approx(1000.2)
    assert log[2]["params"]["timestamp"] == 1.7e12  # wall-clock milliseconds: not our clock
    assert (dst / "artifacts.json").read_text() == (src / "artifacts.json").read_text()
    assert json.loads((src / trace_cut.TRACE).read_text())["traceEvents"][0]["dur"] == 410_000  # the source stays


def test_trace_cut_of_a_run_without_pauses_changes_no_time(tmp_path):
    import json

    src, dst = tmp_path / "run", tmp_path / "cut"
    _saved_run(src)
    trace_cut.cut_run(src, dst, [], 990.0, 1010.0)
    assert json.loads((dst / trace_cut.TRACE).read_text()) == json.loads((src / trace_cut.TRACE).read_text())
    assert json.loads((dst / trace_cut.DEVTOOLS_LOG).read_text()) == json.loads((src / trace_cut.DEVTOOLS_LOG).read_text())


def test_trace_cut_sets_the_cpu_slowdown_of_the_copy_only_for_simulated_throttling(tmp_path):
    import json

    src = tmp_path / "run"
    _saved_run(src)
    trace_cut.cut_run(src, tmp_path / "cut", [], 990.0, 1010.0, cpu_slowdown=4.0)
    settings = json.loads((tmp_path / "cut" / trace_cut.ARTIFACTS).read_text())["settings"]
    assert settings["throttling"] == {"rttMs": 150, "cpuSlowdownMultiplier": 4.0}
    assert json.loads((src / trace_cut.ARTIFACTS).read_text())["settings"]["throttling"]["cpuSlowdownMultiplier"] == 1.6
    artifacts = json.loads((src / trace_cut.ARTIFACTS).read_text())
    artifacts["settings"]["throttlingMethod"] = "devtools"  # the slowdown was applied to the page itself
    (src / trace_cut.ARTIFACTS).write_text(json.dumps(artifacts))
    with pytest.raises(ValueError, match="devtools"):
        trace_cut.cut_run(src, tmp_path / "cut", [], 990.0, 1010.0, cpu_slowdown=4.0)


def test_trace_cut_command_line_uses_the_pauses_saved_beside_the_run(tmp_path, capsys):
    import json

    src = tmp_path / "run"
    _saved_run(src)
    trace_cut.save_pauses(src, [(1.0, 2.0), (1000.005, 1000.405), (2000.0, 2001.0)], 990.0, 1010.0)
    assert json.loads((src / trace_cut.PAUSES).read_text())["pauses"] == [[1000.005, 1000.405]]
    assert trace_cut.main([str(src), str(tmp_path / "cut")]) == 0
    assert "0.40 s of pauses cut out" in capsys.readouterr().out
    task = json.loads((tmp_path / "cut" / trace_cut.TRACE).read_text())["traceEvents"][0]
    assert task["dur"] == pytest.approx(10_000)
    assert trace_cut.main([str(tmp_path / "nothing"), str(tmp_path / "cut2")]) == 1


def test_benchmark_index_without_pauses_divides_by_the_running_time():
    now = [0.0]
    loops = iter([(2500, 0.5), (6000, 0.5)])  # iterations, and seconds by the clock

    def evaluate(js):
        iterations, seconds = next(loops)
        now[0] += seconds
        return iterations

    def paused(start, end):
        return 0.25 * (end - start)  # a quarter of each loop: the machine stood still

    measured, unpaused = calibrate.index_without_pauses(evaluate, lambda: now[0], paused)
    assert measured == (500 + 1200) / 2  # Lighthouse's formula: iterations / 10 / seconds, mean of both loops
    assert unpaused == pytest.approx((667 + 1600) / 2)
    assert "s += 'a'" in calibrate.BENCHMARK_GC and "tgt[j] = src[j]" in calibrate.BENCHMARK_NO_GC


def test_long_tasks_are_split_by_who_ran_them():
    import run

    report = {
        "audits": {
            "long-tasks": {
                "details": {
                    "items": [
                        {"url": "http://127.0.0.1:1/__puppeteer_evaluation_script__ _lighthouse-eval.js", "duration": 700},
                        {"url": "Unattributable", "duration": 900},
                        {"url": "http://127.0.0.1:1/assets/javascripts/bundle.1.min.js", "duration": 60},
                        {"url": "Unattributable", "duration": 100.5},
                    ]
                }
            }
        }
    }
    assert run.long_tasks_by_source(report) == {
        "tasks no script is named for": 1000.5,
        "Lighthouse's own scripts (_lighthouse-eval.js)": 700.0,
        "the page's scripts": 60.0,
    }
    assert run.long_tasks_by_source({"audits": {}}) == {}
