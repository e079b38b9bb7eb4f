"""Cut the host's pauses out of a saved Lighthouse run, so that Lighthouse can score it again.

Lighthouse can save what it gathered (``--gather-mode``) and compute its report from saved files
later (``--audit-mode``). What it saves for the performance score is Chromium's trace and the
DevTools protocol log. Both are timed by the machine's monotonic clock: Chromium's ``TimeTicks``
on Linux is ``CLOCK_MONOTONIC``, the clock of Python's ``time.monotonic()`` and so of
``pauses.RECORDER``. A trace event's ``ts`` is that clock in microseconds; the log's
``timestamp`` and a response's ``timing.requestTime`` are that clock in seconds.

When the host pauses the virtual machine, every task that was running grows by the pause. Lighthouse
counts a task over 50 ms as blocking, so a 0.4 s pause in a 5 ms task adds 0.35 s of Total
Blocking Time. ``cut_run`` writes a copy of a saved run in which every time is moved to the clock
of a machine that is never paused (``pauses.Timeline``): times move earlier by the pauses before
them, and durations shrink by the pauses inside them. Lighthouse then scores the copy with its
own, unchanged audits. The result is an estimate, as for the build times without pauses: pauses
under the recorder's threshold stay in.

The CPU slowdown must then fit the machine without its pauses as well: the copy's setting is
replaced by the one ``bench/run.py`` calibrates from Lighthouse's benchmark timed without pauses
(``calibrate.index_without_pauses``). With Lighthouse's simulated throttling, the default, the
slowdown is only applied when scoring, so the gathered run does not depend on it.

Only the fields that hold such clock values are changed, and only when their value lies in the
recorded window (``tts``, thread time, and byte offsets never do).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from pauses import Timeline

ARTIFACTS = "artifacts.json"
TRACE = "defaultPass.trace.json"
DEVTOOLS_LOG = "defaultPass.devtoolslog.json"
PAUSES = "pauses.json"  # the recorded pauses of the run, beside what Lighthouse saved
SECONDS_KEYS = ("timestamp", "finishTime")  # DevTools log events; ResourceFinish in the trace
MICROSECONDS_KEYS = ("expected_display_time",)  # Screenshot events of the trace


class Cutter:
    """Moves clock values of one recorded window onto the clock without pauses."""

    def __init__(self, timeline: Timeline, start: float, end: float):
        self.timeline = timeline
        self.start = start
        self.end = end
        self.changed = 0

    def seconds(self, value):
        """A clock value in seconds, cut; anything else unchanged."""
        if isinstance(value, (int, float)) and not isinstance(value, bool) and self.start <= value <= self.end:
            self.changed += 1
            return self.timeline.cut(value)
        return value

    def microseconds(self, value):
        """A clock value in microseconds, cut; anything else unchanged."""
        if isinstance(value, (int, float)) and not isinstance(value, bool) and self.start * 1e6 <= value <= self.end * 1e6:
            self.changed += 1
            return value - self.timeline.paused_before(value / 1e6) * 1e6
        return value

    def shrink(self, start: float, length: float, scale: float) -> float:
        """A span of ``length`` (in seconds times ``scale``) from ``start`` seconds, without the pauses inside it."""
        inside = self.timeline.paused_before(start + length / scale) - self.timeline.paused_before(start)
        return length - inside * scale

    def timing(self, timing: dict) -> None:
        """A response's timing: ``requestTime`` in seconds and offsets from it in milliseconds (-1: none)."""
        base = timing.get("requestTime")
        new_base = self.seconds(base)
        if new_base is base:
            return
        for key, offset in timing.items():
            if key != "requestTime" and isinstance(offset, (int, float)) and offset >= 0:
                timing[key] = self.shrink(base, offset, 1000)
        timing["requestTime"] = new_base

    def walk(self, node) -> None:
        """Every clock value in the nested arguments of an event."""
        if isinstance(node, dict):
            if "requestTime" in node:
                self.timing(node)
            for key, value in node.items():
                if key in SECONDS_KEYS:
                    node[key] = self.seconds(value)
                elif key in MICROSECONDS_KEYS:
                    node[key] = self.microseconds(value)
                elif isinstance(value, (dict, list)):
                    self.walk(value)
        elif isinstance(node, list):
            for item in node:
                self.walk(item)

    def trace_event(self, event: dict) -> None:
        """``ts`` and ``dur`` (microseconds) of one trace event, and clock values in its arguments."""
        ts = event.get("ts")
        new_ts = self.microseconds(ts)
        if new_ts is not ts:
            dur = event.get("dur")
            if isinstance(dur, (int, float)) and dur > 0:
                event["dur"] = self.shrink(ts / 1e6, dur, 1e6)
            event["ts"] = new_ts
        if "args" in event:
            self.walk(event["args"])


def cut_run(src: Path, dst: Path, gaps: list[tuple[float, float]], start: float, end: float, cpu_slowdown: float | None = None) -> int:
    """Copy the saved Lighthouse run ``src`` to ``dst`` with the pauses in ``[start, end]`` cut out.

    ``cpu_slowdown``: the copy's CPU slowdown setting. Only for simulated throttling, where the
    slowdown is not applied while gathering but when scoring. Returns the number of clock values
    changed (0 means nothing was recognised: do not trust ``dst``).
    """
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)
    if cpu_slowdown is not None:
        artifacts = json.loads((src / ARTIFACTS).read_text(encoding="utf-8"))
        settings = artifacts["settings"]
        if settings.get("throttlingMethod") != "simulate":
            raise ValueError(f"throttling method {settings.get('throttlingMethod')!r}: the slowdown was applied while gathering")
        settings["throttling"]["cpuSlowdownMultiplier"] = cpu_slowdown
        (dst / ARTIFACTS).write_text(json.dumps(artifacts), encoding="utf-8")
    cutter = Cutter(Timeline([g for g in gaps if g[1] >= start and g[0] <= end]), start, end)
    trace = json.loads((src / TRACE).read_text(encoding="utf-8"))
    for event in trace["traceEvents"] if isinstance(trace, dict) else trace:
        cutter.trace_event(event)
    (dst / TRACE).write_text(json.dumps(trace), encoding="utf-8")
    log = json.loads((src / DEVTOOLS_LOG).read_text(encoding="utf-8"))
    for message in log:
        cutter.walk(message.get("params"))
    (dst / DEVTOOLS_LOG).write_text(json.dumps(log), encoding="utf-8")
    return cutter.changed


def save_pauses(saved: Path, gaps: list[tuple[float, float]], start: float, end: float) -> None:
    """Keep the pauses of the window ``[start, end]`` beside a saved run, so it can be cut again later."""
    inside = [list(g) for g in gaps if g[1] >= start and g[0] <= end]
    (saved / PAUSES).write_text(json.dumps({"window": [start, end], "pauses": inside}), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """``python bench/trace_cut.py SAVED OUT``: cut a run that ``bench/run.py`` saved; then
    ``node bench/node_modules/lighthouse/cli/index.js URL --audit-mode=OUT`` with the run's settings scores it."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("saved", type=Path, help="a folder Lighthouse saved (--gather-mode), with pauses.json")
    parser.add_argument("out", type=Path, help="where the cut copy goes (replaced)")
    parser.add_argument("--cpu-slowdown", type=float, default=None, help="the copy's CPU slowdown (simulated throttling only)")
    args = parser.parse_args(argv)
    try:
        recorded = json.loads((args.saved / PAUSES).read_text(encoding="utf-8"))
        changed = cut_run(args.saved, args.out, [tuple(g) for g in recorded["pauses"]], *recorded["window"], cpu_slowdown=args.cpu_slowdown)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"{args.saved}: {exc}", file=sys.stderr)
        return 1
    paused = sum(end - start for start, end in recorded["pauses"])
    print(f"{args.out}: {changed} clock values moved; {paused:.2f} s of pauses cut out")
    return 0 if changed else 1


if __name__ == "__main__":
    sys.exit(main())
