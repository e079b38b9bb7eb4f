#!/usr/bin/env python3
"""Wegweiser benchmarks (issue 9): ``make bench`` runs everything and writes ``bench/RESULTS.md``.

Parts (``--only build,check,preview,weight,lighthouse,html``):

- ``build``: synthetic guide sets at 1x, 4x and 16x the real site (``bench/synth.py``), built with
  our hooks and with a copy of ``mkdocs.yml`` without ``hooks:``; wall time, CPU time, pages per
  second, peak memory (``os.wait4`` rusage of the build process), the hooks' overhead and the
  16x/1x time ratio.
- ``check``: ``python -m wegweiser check`` on the real site and on the 16x set.
- ``preview``: ``make serve ONLY=de`` on a copy of the real site; seconds from saving a changed
  sentence until the preview serves it (``bench/preview.py``).
- ``weight``: bytes of start page, guide, overview, embed and print pages in de and ar, on a
  first visit and on opening a further page, raw and gzip, counted from the built HTML and from a
  real Chromium load (Playwright) against a local server that counts every byte it sends.
- ``lighthouse``: Lighthouse 12.2.3 (``bench/node_modules``), mobile settings, Debian's chromium.
- ``html``: the Nu HTML Checker (``vnu-jar``, needs Java) over the whole built site.

The real site is built once into ``bench/out/site`` for weight, lighthouse and html. Work files
go to ``bench/out/`` (git-ignored). A missing tool gives ``not measured: <why>``, never a crash.
Every timed run is planned against ``--budget`` (default 14 minutes for the whole run): a run that
would not fit is skipped and reported as not measured, so ``make bench`` ends in time on 2 cores.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import gzip
import http.server
import importlib.metadata as md
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

import synth  # noqa: E402
import trace_cut  # noqa: E402
from calibrate import DEFAULT_MULTIPLIER, cpu_multiplier, index_without_pauses, stall_probe  # noqa: E402
from pauses import RECORDER  # noqa: E402
from results import Figure, render_results  # noqa: E402

PY = sys.executable
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
LIGHTHOUSE = BENCH / "node_modules" / "lighthouse" / "cli" / "index.js"
VNU = BENCH / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
PARTS = ("build", "check", "preview", "weight", "lighthouse", "html")
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true", PYTHONDONTWRITEBYTECODE="1")
KB = 1024
COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".webmanifest", ".map", ".ico"}

# Targets (issue 9 and the phones issue).
T_OVERHEAD = 1.25
T_SCALING = 17.0
T_CHECK_S = 5.0
T_PREVIEW_S = 1.5  # issue 7.8: "re-renders in about a second"
T_FIRST_KB = 70.0
T_FURTHER_KB = 10.0
T_LH = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


# ----------------------------------------------------------------------------------------------
# Timed runs
# ----------------------------------------------------------------------------------------------


@dataclass
class Run:
    """One finished process: wall and CPU seconds, peak memory, exit code, log file."""

    wall: float
    cpu: float
    rss_mb: float
    rc: int
    log: Path
    load: float = 0.0  # 1-minute load average when the run started
    paused: float | None = None  # seconds of it the host paused the machine (pauses.py); None: not recorded
    window: tuple[float, float] | None = None  # start and end on time.monotonic()

    @property
    def unpaused(self) -> float | None:
        """Wall time without the host's pauses: what a machine that is never paused would take."""
        return None if self.paused is None else self.wall - self.paused

    def tail(self, n: int = 12) -> str:
        try:
            lines = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(lines[-n:])


def timed(cmd: list[str], cwd: Path, log: Path, timeout: float | None = None, env: dict | None = None) -> Run:
    """Run ``cmd``; measure it with ``os.wait4`` (rusage of this child and its children only)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w", encoding="utf-8") as fh:
        load = os.getloadavg()[0]
        t0 = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env or ENV, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
        timer = None
        if timeout and timeout != float("inf"):
            timer = threading.Timer(timeout, lambda: _kill(proc.pid))
            timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            if timer:
                timer.cancel()
        t1 = time.monotonic()
    proc.returncode = rc = os.waitstatus_to_exitcode(status)
    return Run(t1 - t0, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, rc, log, load, RECORDER.paused(t0, t1), (t0, t1))


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def tool_version(cmd: list[str]) -> str | None:
    """First line of a tool's version output, or None when it is missing."""
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (out.stdout or out.stderr).strip()
    return text.splitlines()[0] if out.returncode == 0 and text else None


# ----------------------------------------------------------------------------------------------
# The benchmark run
# ----------------------------------------------------------------------------------------------


@dataclass
class Bench:
    """State of one ``bench/run.py`` call: options, figures, notes, findings."""

    args: argparse.Namespace
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    started_at: dt.datetime = field(default_factory=lambda: dt.datetime.now().astimezone())
    load_start: tuple = field(default_factory=os.getloadavg)
    site: Path | None = None
    site_note: str = ""
    lh_index: float | None = None  # Lighthouse's benchmarkIndex of this machine (calibration run)
    lh_multiplier_unpaused: float | None = None  # CPU slowdown for the scores without host pauses
    raw: dict = field(default_factory=dict)
    estimates: dict = field(default_factory=dict)
    part: str = "site"  # the part running now: figures, notes and findings are tagged with it
    part_end: float = float("inf")  # repeats of the current part stop here (its share of the budget)
    order: list[str] = field(default_factory=list)
    tags: dict = field(default_factory=lambda: {"notes": [], "findings": []})
    merged: dict = field(default_factory=dict)  # part -> run date, for parts kept from an earlier run
    prev_builds: list = field(default_factory=list)  # --merge: build runs of earlier runs
    merged_builds_date: str | None = None

    # -- budget --------------------------------------------------------------------------------
    def remaining(self) -> float:
        """Seconds left in the budget (infinite without one)."""
        if not self.args.budget:
            return float("inf")
        return self.args.budget - (time.monotonic() - self.started)

    def fits(self, estimate: float, reserve: float = 0.0) -> bool:
        """True when a run of ``estimate`` seconds fits the budget, keeping ``reserve`` free."""
        return estimate + reserve <= self.remaining()

    def fits_repeat(self, estimate: float) -> bool:
        """True when one more run of the current part fits its share of the budget."""
        return time.monotonic() + estimate <= self.part_end and self.fits(estimate, self.reserve_after(self.part))

    def reserve_after(self, part: str) -> float:
        """Seconds to keep free for the parts after ``part`` (their first runs)."""
        later = self.order[self.order.index(part) + 1 :] if part in self.order else []
        return sum(RESERVE.get(p, 0) for p in later)

    def note(self, text: str) -> None:
        self.notes.append(text)
        self.tags["notes"].append(self.part)

    def finding(self, text: str) -> None:
        self.findings.append(text)
        self.tags["findings"].append(self.part)

    def add(
        self,
        section: str,
        name: str,
        values,
        unit: str = "",
        op: str | None = None,
        target: float | None = None,
        note: str = "",
        missing: str | None = None,
        digits: int | None = None,
        n: int | None = None,
        part: str | None = None,
    ) -> Figure:
        vals = [v for v in (values if isinstance(values, list | tuple) else [values]) if v is not None]
        fig = Figure(section, name, vals, unit, op, target, note, None if vals else (missing or "not measured"), digits, n, part or self.part)
        self.figures.append(fig)
        return fig

    def missing(self, section: str, name: str, why: str, unit: str = "", op: str | None = None, target: float | None = None, part: str | None = None) -> None:
        self.add(section, name, [], unit, op, target, missing=f"not measured: {why}", part=part)

    # -- output --------------------------------------------------------------------------------
    def by_part(self) -> dict[str, dict]:
        """Figures, notes and findings of this run, per part."""
        out: dict[str, dict] = {}
        for fig in self.figures:
            out.setdefault(fig.part, {"figures": [], "notes": [], "findings": []})["figures"].append(fig)
        for kind in ("notes", "findings"):
            for text, part in zip(getattr(self, kind), self.tags[kind], strict=True):
                out.setdefault(part, {"figures": [], "notes": [], "findings": []})[kind].append(text)
        return out

    def write(self) -> None:
        """Write RESULTS.md (after every part, so an aborted run still leaves its figures)."""
        parts = self.by_part()
        for part, data in self.merged.items():
            parts.setdefault(part, data["content"])
        figures, notes, findings = [], [], []
        for part in ("site", *PARTS):
            data = parts.get(part, {"figures": [], "notes": [], "findings": []})
            figures += data["figures"]
            notes += data["notes"]
            findings += data["findings"]
        header = machine_header(self)
        text = render_results(header, figures, notes, findings)
        Path(self.args.output).write_text(text, encoding="utf-8")
        OUT.mkdir(parents=True, exist_ok=True)
        saved = {
            part: {
                "date": self.merged[part]["date"] if part in self.merged else self.started_at.isoformat(timespec="minutes"),
                "figures": [asdict(f) for f in data["figures"]],
                "notes": data["notes"],
                "findings": data["findings"],
            }
            for part, data in parts.items()
        }
        (OUT / "results.json").write_text(json.dumps({"parts": saved, "raw": self.raw}, indent=1, default=str), encoding="utf-8")

    def load_previous(self) -> None:
        """--merge: keep the figures of the parts this run does not measure from bench/out/results.json."""
        try:
            saved = json.loads((OUT / "results.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        old = saved.get("parts", {})
        # Earlier build runs count toward the medians of the same synthetic sets (same page counts).
        self.prev_builds = [r for r in (saved.get("raw") or {}).get("builds", []) if isinstance(r, dict)]
        if self.prev_builds and "build" in self.args.parts:
            self.merged_builds_date = old.get("build", {}).get("date", "?")
        for part, data in old.items():
            if part in self.args.parts or (part == "site" and set(self.args.parts) & {"weight", "lighthouse", "html"}):
                continue
            content = {"figures": [Figure(**f) for f in data["figures"]], "notes": data["notes"], "findings": data["findings"]}
            self.merged[part] = {"date": data.get("date", "?"), "content": content}


def machine_header(b: Bench) -> dict[str, str]:
    """Date, machine, versions, load and mode for the top of RESULTS.md."""
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), cpu)
    mem = "?"
    with contextlib.suppress(OSError, StopIteration, ValueError):
        kb = int(next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")).split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"

    def ver(name: str) -> str:
        try:
            return md.version(name)
        except md.PackageNotFoundError:
            return "not installed"

    lh = "not installed"
    with contextlib.suppress(OSError, ValueError):
        lh = json.loads((LIGHTHOUSE.parent.parent / "package.json").read_text())["version"]
    vnu = "not installed"
    with contextlib.suppress(OSError, ValueError):
        vnu = json.loads((VNU.parent.parent.parent / "package.json").read_text())["version"]
    load_end = os.getloadavg()
    took = time.monotonic() - b.started
    mode = "quick smoke run" if b.args.quick else "full run"
    return {
        "Date": b.started_at.strftime("%Y-%m-%d %H:%M %Z"),
        "Machine": f"nproc {len(os.sched_getaffinity(0))} (of {os.cpu_count()} CPUs), {cpu}, {mem} RAM, {platform.system()} {platform.release()}",
        "Load average (1/5/15 min)": f"start {'/'.join(f'{x:.1f}' for x in b.load_start)}, end {'/'.join(f'{x:.1f}' for x in load_end)}"
        + (
            " — the machine was busy with other work: wall times are inflated, CPU times are the steadier figure"
            if max(b.load_start[0], load_end[0], b.load_start[1]) > len(os.sched_getaffinity(0))
            else ""
        ),
        "Versions": f"Python {platform.python_version()}, mkdocs {ver('mkdocs')}, mkdocs-material {ver('mkdocs-material')}, "
        f"mkdocs-static-i18n {ver('mkdocs-static-i18n')}, playwright {ver('playwright')}, lighthouse {lh}, vnu-jar {vnu}, "
        f"node {tool_version(['node', '--version']) or 'missing'}, {tool_version(['java', '-version']) or 'java missing'}, "
        f"{tool_version([CHROMIUM, '--version']) or 'chromium missing'}",
        "Run": f"{mode}, parts: {', '.join(b.args.parts)}, {f'budget {b.args.budget:.0f} s' if b.args.budget and b.args.budget != float('inf') else 'no time budget'}, took {took:.0f} s"
        + (f"; site measured: {b.site_note}" if b.site_note else "")
        + ("; kept from earlier runs (--merge): " + ", ".join(f"{p} ({d['date']})" for p, d in b.merged.items()) if b.merged else ""),
    }


# ----------------------------------------------------------------------------------------------
# The real site
# ----------------------------------------------------------------------------------------------


def build_real_site(b: Bench) -> None:
    """Build the real site into bench/out/site (or reuse it); fall back to what exists."""
    target = OUT / "site"
    if b.args.reuse_site and (target / "index.html").exists():
        b.site, b.site_note = target, f"existing build in {target.relative_to(ROOT)} (--reuse-site)"
        return
    tmp = OUT / "site.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    run = timed(
        [PY, "-m", "mkdocs", "build", "--strict", "-d", str(tmp)],
        ROOT,
        OUT / "logs" / "real-build.log",
        timeout=max(120, min(1800, b.remaining())),
    )
    pages = sum(1 for _ in tmp.rglob("*.html")) if tmp.exists() else 0
    if run.rc == 0 and (tmp / "index.html").exists():
        shutil.rmtree(target, ignore_errors=True)
        tmp.rename(target)
        b.site, b.site_note = target, f"real site, built now into {target.relative_to(ROOT)} ({pages} HTML files)"
        b.add(
            "Build",
            "real site (docs/): wall time, hooks on",
            run.wall,
            "s",
            note=f"{pages} HTML files; CPU {run.cpu:.0f} s; peak {run.rss_mb:.0f} MB",
        )
        if run.unpaused is not None:
            b.add("Build", "real site (docs/): wall time without host pauses, hooks on", run.unpaused, "s", note=f"paused {run.paused:.0f} s of it")
        b.estimates["real"] = run.wall
        return
    shutil.rmtree(tmp, ignore_errors=True)
    b.note(f"The real site did not build (exit {run.rc}); log: {run.log.relative_to(ROOT)}. Last lines: `{_one_line(run.tail(6))}`")
    for candidate, what in ((target, "previous benchmark build"), (ROOT / "site", "existing site/ from `make build`")):
        if (candidate / "index.html").exists():
            b.site, b.site_note = candidate, f"{what} in {candidate.relative_to(ROOT)}, because the real site does not build now"
            return
    b.site_note = "no built site: the real site does not build"


def _one_line(text: str, n: int = 400) -> str:
    text = " ⏎ ".join(line.strip() for line in text.splitlines() if line.strip()).replace("`", "'")
    return text if len(text) <= n else text[: n - 1] + "…"


# ----------------------------------------------------------------------------------------------
# Check speed
# ----------------------------------------------------------------------------------------------


def _check_summary(run: Run) -> str:
    m = re.search(r"(\d+) pages checked: (\d+) errors, (\d+) warnings", run.tail(5))
    return f"{m.group(1)} pages, {m.group(2)} errors, {m.group(3)} warnings" if m else f"exit {run.rc}"


def check_real(b: Bench) -> None:
    """``python -m wegweiser check`` on the real site, up to ``--repeats`` times."""
    runs: list[Run] = []
    for i in range(b.args.repeats):
        est = statistics.median([r.wall for r in runs]) if runs else 30.0
        if runs and not b.fits_repeat(est):
            b.note(f"Check on the real site: {len(runs)} run(s) instead of {b.args.repeats}, to stay in the time budget.")
            break
        runs.append(timed([PY, "-m", "wegweiser", "check"], ROOT, OUT / "logs" / f"check-real-{i + 1}.log", timeout=600))
    summary = _check_summary(runs[-1]) + f"; load average {min(r.load for r in runs):.1f}–{max(r.load for r in runs):.1f} at start"
    b.add("Check", "`python -m wegweiser check`, real site: wall time", [r.wall for r in runs], "s", "<", T_CHECK_S, note=summary)
    b.add(
        "Check",
        "`python -m wegweiser check`, real site: CPU time",
        [r.cpu for r in runs],
        "s",
        "<",
        T_CHECK_S,
        note="user+sys; steadier than wall time on a busy machine, but a host pause is counted as CPU time of the process it stopped",
    )
    b.add("Check", "`python -m wegweiser check`, real site: peak memory", [r.rss_mb for r in runs], "MB")
    b.raw["check_real"] = [r.__dict__ for r in runs]
    wall = statistics.median([r.wall for r in runs])
    if wall >= T_CHECK_S and b.fits_repeat(wall * 1.6):
        profile_check(b)
    if "build" not in b.args.parts:
        check_synthetic(b, None, reserve=b.reserve_after("check"))


def profile_check(b: Bench) -> None:
    """One profiled check run: name the functions that take the time (a finding for the target)."""
    import pstats

    prof = OUT / "check.prof"
    run = timed([PY, "-m", "cProfile", "-o", str(prof), "-m", "wegweiser", "check"], ROOT, OUT / "logs" / "check-profile.log", timeout=900)
    if run.rc not in (0, 1) or not prof.exists():
        return
    stats = pstats.Stats(str(prof))
    total = max(v[3] for v in stats.stats.values())

    def label(file: str, line: int, func: str) -> str:
        return f"{re.sub(r'.*/(site-packages|work/main|lib/python3[.][0-9]+)/', '', file)}:{line}({func})"

    cum, own = [], []
    for (file, line, func), (_cc, _nc, tt, ct, _callers) in stats.stats.items():
        if file.startswith("<") or "importlib" in file:
            continue
        if 0.1 * total <= ct <= 0.9 * total:
            cum.append((ct, f"`{label(file, line, func)}` {100 * ct / total:.0f}%"))
        if tt >= 0.03 * total:
            own.append((tt, f"`{label(file, line, func)}` {100 * tt / total:.0f}%"))
    if cum or own:
        b.finding(
            f"`python -m wegweiser check` takes {run.wall:.0f} s under cProfile (CPU {run.cpu:.0f} s). Cumulative share: "
            + ", ".join(t for _, t in sorted(cum, reverse=True)[:7])
            + ". Own time: "
            + ", ".join(t for _, t in sorted(own, reverse=True)[:6])
            + f". Profile: {prof.relative_to(ROOT)}"
        )


def check_synthetic(b: Bench, root: Path | None = None, reserve: float = 0.0) -> None:
    """``python -m wegweiser check`` on the largest synthetic set (once: it is slow)."""
    scale = max(b.args.sizes)
    label = size_label(scale)
    name = f"`python -m wegweiser check`, {label} set: wall time"
    real = [f for f in b.figures if f.name.startswith("`python -m wegweiser check`, real site: wall")]
    per_page = (real[0].value / synth.real_size()) if real and real[0].value else 0.3
    est = per_page * synth.real_size() * scale
    if not b.fits(est + (0 if root else 30), reserve=reserve):
        b.missing("Check", name, f"would take about {est:.0f} s, over the time budget (--budget)", "s", part="check")
        return
    made = root is None
    if made:
        root = OUT / f"synth-{label}-check"
        shutil.rmtree(root, ignore_errors=True)
        synth.generate(root, scale)
    run = timed([PY, "-m", "wegweiser", "check"], root, OUT / "logs" / f"check-{label}.log", timeout=max(60, b.remaining()))
    b.add("Check", name, run.wall, "s", note=f"{_check_summary(run)}; CPU {run.cpu:.1f} s; peak {run.rss_mb:.0f} MB; once", part="check")
    b.raw[f"check_{label}"] = run.__dict__
    if made and not b.args.keep:
        shutil.rmtree(root, ignore_errors=True)


# ----------------------------------------------------------------------------------------------
# Live preview
# ----------------------------------------------------------------------------------------------


def preview_speed(b: Bench) -> None:
    """Seconds from saving a German sentence to the preview serving it (``bench/preview.py``)."""
    import preview

    name = "`make serve ONLY=de`: save → page served with the change"
    if not b.fits(90, reserve=b.reserve_after("preview")):
        b.missing("Preview", name, "over the time budget (--budget)", "s", "<=", T_PREVIEW_S)
        return
    load = os.getloadavg()[0]
    times = preview.measure(OUT / "preview", edits=max(3, 2 * b.args.repeats))
    note = f"{len(times.shown)} saves of one sentence in docs/{preview.GUIDE}.md; load average {load:.1f} at start; target: about a second"
    b.add("Preview", name, times.shown, "s", "<=", T_PREVIEW_S, note=note)
    b.add(
        "Preview",
        "`make serve ONLY=de`: save → page served, without host pauses",
        times.shown_unpaused,
        "s",
        "<=",
        T_PREVIEW_S,
        note=f"the host paused the machine {100 * times.paused_share:.0f}% of the time between save and page (bench/pauses.py)",
    )
    b.add("Preview", '`make serve ONLY=de`: save → "Reloading browsers" in the log', times.rebuilt, "s")
    b.add(
        "Preview",
        "`make serve ONLY=de`: the rebuild itself, as MkDocs logs it",
        times.built,
        "s",
        note=f"fastest {min(times.built, default=0):.2f} s; the rest of a save is MkDocs loading its configuration and serving the page",
    )
    b.add(
        "Preview",
        "`make serve ONLY=de`: CPU time per save",
        times.cpu,
        "s",
        note="user+sys of the preview's processes from save to reload; a host pause counts as CPU time of the process it stopped",
    )
    b.add("Preview", "`make serve ONLY=de`: start → first page served", times.startup, "s", note="one full build of German")
    b.raw["preview"] = times.__dict__


# ----------------------------------------------------------------------------------------------
# Build scaling
# ----------------------------------------------------------------------------------------------


def size_label(scale: float) -> str:
    return f"{scale:g}x"


def build_scaling(b: Bench) -> None:
    """Generate each size, build it with and without hooks, and add the figures."""
    sizes = b.args.sizes
    results: dict[tuple[float, str], list[Run]] = {}
    infos: dict[float, synth.SynthInfo] = {}
    roots: dict[float, Path] = {}
    skipped: dict[tuple[float, str], str] = {}

    def estimate(scale: float, mode: str) -> float:
        """Seconds for one build: the closest measured size, scaled by pages (a bit superlinear)."""
        pages = infos[scale].html_pages if scale in infos else synth.real_size() * scale
        known = [(s, r) for (s, m), rs in results.items() if m == mode for r in rs]
        if not known:
            known = [(s, r) for (s, m), rs in results.items() for r in rs]
        if not known:
            return 25.0 + 0.6 * pages  # before any measurement: a guess for a busy 2-core machine
        s0, _ = min(known, key=lambda kr: abs(kr[0] - scale))
        wall0 = statistics.median([r.wall for (s, r) in known if s == s0])
        pages0 = infos[s0].html_pages
        return wall0 * (pages / pages0) ** 1.1 if pages >= pages0 else wall0

    def one(scale: float, mode: str, attempt: int) -> None:
        est = estimate(scale, mode)
        if not b.fits(est, reserve=b.reserve_after("build")):
            skipped.setdefault((scale, mode), f"a run would take about {est:.0f} s, over the time budget (--budget)")
            return
        root = roots[scale]
        site = OUT / f"build-{size_label(scale)}-{mode}"
        shutil.rmtree(site, ignore_errors=True)
        cfg = "mkdocs.yml" if mode == "on" else "mkdocs-nohooks.yml"
        run = timed(
            [PY, "-m", "mkdocs", "build", "--strict", "-f", cfg, "-d", str(site)],
            root,
            OUT / "logs" / f"build-{size_label(scale)}-{mode}-{attempt}.log",
            timeout=max(60, b.remaining()),
        )
        if run.rc != 0:
            skipped[(scale, mode)] = f"the build failed (exit {run.rc}): `{_one_line(run.tail(4), 300)}`"
        else:
            results.setdefault((scale, mode), []).append(run)
            b.raw.setdefault("builds", []).append({"scale": scale, "mode": mode, "pages": infos[scale].html_pages, **run.__dict__})
        shutil.rmtree(site, ignore_errors=True)

    for scale in sizes:
        if not b.fits(10):
            break
        root = OUT / f"synth-{size_label(scale)}"
        shutil.rmtree(root, ignore_errors=True)
        infos[scale] = synth.generate(root, scale)
        roots[scale] = root
        for prev in b.prev_builds:
            if scale in b.args.redo:
                break
            if prev.get("scale") == scale and prev.get("pages") == infos[scale].html_pages and prev.get("rc") == 0:
                run = Run(prev["wall"], prev["cpu"], prev["rss_mb"], 0, Path(prev.get("log", "")), prev.get("load", 0.0), prev.get("paused"))
                results.setdefault((scale, prev["mode"]), []).append(run)
                b.raw.setdefault("builds", []).append(prev)
        for mode in ("off", "on"):
            if not results.get((scale, mode)):
                one(scale, mode, 1)
    if "check" in b.args.parts and max(sizes) in roots:
        check_synthetic(b, roots[max(sizes)])
    # Further runs, alternating the order, as long as the budget allows (small sizes first).
    for attempt in range(2, b.args.repeats + 1):
        for scale in sizes:
            if scale > b.args.repeat_max_scale or scale not in roots:
                continue
            for mode in ("on", "off") if attempt % 2 == 0 else ("off", "on"):
                if (scale, mode) in results and len(results[(scale, mode)]) < attempt:
                    one(scale, mode, attempt)
    b.raw["synth"] = {
        size_label(s): {"md_files": i.md_files, "guides": i.guides, "html_pages": i.html_pages, "languages": i.languages} for s, i in infos.items()
    }
    add_build_figures(b, sizes, results, infos, skipped)
    if not b.args.keep:
        for root in roots.values():
            shutil.rmtree(root, ignore_errors=True)


def add_build_figures(b: Bench, sizes, results, infos, skipped) -> None:
    """Figures of the scaling builds."""
    for scale in sizes:
        label = size_label(scale)
        info = infos.get(scale)
        section = f"Build {label}" + (f" ({info.md_files} .md, {info.html_pages} pages)" if info else "")
        for mode in ("on", "off"):
            runs = results.get((scale, mode), [])
            why = skipped.get((scale, mode), "the time budget ran out before this size")
            word = "hooks on" if mode == "on" else "hooks off"
            if not runs:
                b.missing(section, f"wall time, {word}", why, "s")
                continue
            loads = [r.load for r in runs if r.load]
            load_note = f"load average {min(loads):.1f}–{max(loads):.1f} at start" if loads else ""
            b.add(section, f"wall time, {word}", [r.wall for r in runs], "s", note=load_note)
            unpaused = [r.unpaused for r in runs if r.unpaused is not None]
            if unpaused:
                share = sum(r.paused for r in runs if r.paused is not None) / sum(r.wall for r in runs if r.paused is not None)
                b.add(section, f"wall time without host pauses, {word}", unpaused, "s", note=f"the host paused the machine {100 * share:.0f}% of these runs")
            b.add(section, f"pages per second, {word}", [info.html_pages / r.wall for r in runs], "pages/s")
            b.add(section, f"CPU time (user+sys), {word}", [r.cpu for r in runs], "s")
            b.add(section, f"peak memory (max RSS), {word}", [r.rss_mb for r in runs], "MB")
        on, off = results.get((scale, "on")), results.get((scale, "off"))
        for what, key in (("wall time", "wall"), ("CPU time", "cpu"), ("wall time without host pauses", "unpaused")):
            name = f"hooks' overhead (on/off, {what})"
            if key == "unpaused":
                on = [r for r in on or [] if r.unpaused is not None]
                off = [r for r in off or [] if r.unpaused is not None]
            if on and off:
                ratio = statistics.median([getattr(r, key) for r in on]) / statistics.median([getattr(r, key) for r in off])
                b.add(
                    section,
                    name,
                    ratio,
                    "×",
                    "<=",
                    T_OVERHEAD,
                    note=f"ratio of medians of {len(on)} on / {len(off)} off runs",
                    n=min(len(on), len(off)),
                )
            else:
                why = (
                    "no pauses were recorded for these runs"
                    if key == "unpaused" and results.get((scale, "on")) and results.get((scale, "off"))
                    else "a build with or without hooks is missing"
                )
                b.missing(section, name, why, "×", "<=", T_OVERHEAD)
    lo, hi = min(sizes), max(sizes)
    for big in [s for s in sizes if s > lo]:
        if big != hi and not results.get((big, "on")):
            continue
        for what, key in (("wall time", "wall"), ("CPU time", "cpu"), ("wall time without host pauses", "unpaused")):
            name = f"{size_label(big)} / {size_label(lo)} {what}, hooks on"
            a, z = results.get((lo, "on")), results.get((big, "on"))
            if key == "unpaused":
                a = [r for r in a or [] if r.unpaused is not None]
                z = [r for r in z or [] if r.unpaused is not None]
            target = T_SCALING * (big / lo) / 16  # 16x: at most 17x the time; other sizes pro rata
            note = "" if big / lo == 16 else "target pro rata of 17× for 16×"
            if a and z:
                ratio = statistics.median([getattr(r, key) for r in z]) / statistics.median([getattr(r, key) for r in a])
                pages = infos[big].html_pages / infos[lo].html_pages
                b.add("Build scaling", name, ratio, "×", "<=", target, note="; ".join(x for x in (f"{pages:.1f}× the pages", note) if x))
            else:
                b.missing("Build scaling", name, "a build of one of the sizes is missing", "×", "<=", target)
    b.note(
        "Builds with hooks use a second core where there is one (wegweiser/background.py): the content checks and each "
        "language's embeds, print views and open data run in child processes; plain MkDocs uses one core. "
        "CPU time counts the children too."
    )
    if b.merged_builds_date and b.prev_builds:
        b.note(f"Build runs of an earlier run ({b.merged_builds_date}, same synthetic sets) count toward these medians (--merge).")
    if any(len(results.get((s, m), [])) < b.args.repeats for s in sizes for m in ("on", "off")):
        counts = ", ".join(f"{size_label(s)} {m}: {len(results.get((s, m), []))}" for s in sizes for m in ("on", "off"))
        b.note(
            f"Build runs per size and mode ({counts}); target was {b.args.repeats} runs where the budget allows, "
            f"sizes above {b.args.repeat_max_scale:g}x once each."
        )


# ----------------------------------------------------------------------------------------------
# Local server that counts bytes
# ----------------------------------------------------------------------------------------------


def gzip_size(data: bytes, path: str) -> int:
    """Bytes after gzip -6 for text types; images and fonts go as they are."""
    ext = os.path.splitext(urlparse(path).path)[1].lower() or ".html"
    if ext not in COMPRESSIBLE or not data:
        return len(data)
    return min(len(data), len(gzip.compress(data, 6, mtime=0)))


class CountingServer(http.server.ThreadingHTTPServer):
    """Static server for the built site; records (path, status, raw bytes, gzip bytes) of each response."""

    daemon_threads = True

    def __init__(self, site: Path):
        self.site = site
        self.lock = threading.Lock()
        self.log: list[dict] = []
        self.last = time.monotonic()
        handler = _handler_for(self)
        super().__init__(("127.0.0.1", 0), handler)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def record(self, entry: dict) -> None:
        with self.lock:
            self.log.append(entry)
            self.last = time.monotonic()

    def take(self) -> list[dict]:
        with self.lock:
            out, self.log = self.log, []
        return out

    def handle_error(self, request, client_address) -> None:
        """A browser that closes a connection early is normal: no traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    def quiet(self, seconds: float = 0.8, limit: float = 12.0) -> None:
        """Wait until nothing was requested for ``seconds`` (at most ``limit``)."""
        end = time.monotonic() + limit
        while time.monotonic() < end and time.monotonic() - self.last < seconds:
            time.sleep(0.1)


def _handler_for(server: CountingServer):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **kw):
            super().__init__(*a, directory=str(server.site), **kw)

        def log_message(self, *args) -> None:
            pass

        def send_response(self, code, message=None) -> None:
            self._entry = {"path": self.path, "status": code, "raw": 0, "gzip": 0}
            server.record(self._entry)
            super().send_response(code, message)

        def copyfile(self, source, outputfile) -> None:
            data = source.read()
            self._entry["raw"] = len(data)
            self._entry["gzip"] = gzip_size(data, self.path)
            outputfile.write(data)

    return Handler


@contextlib.contextmanager
def serve(site: Path):
    server = CountingServer(site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


class NginxServer:
    """The built site served by nginx as in production: ``deploy/nginx.conf.j2`` with the
    generated ``_headers.nginx.conf`` (security headers) and gzip on."""

    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}/"


def nginx_missing(site: Path) -> str | None:
    """Why nginx cannot serve ``site`` as in production, or None."""
    from wegweiser.headers import NGINX_FILE

    if not Path(NGINX).exists():
        return "nginx is not installed"
    if not (site / NGINX_FILE).exists():
        return f"the built site has no {NGINX_FILE}"
    return None


@contextlib.contextmanager
def serve_nginx(site: Path, workdir: Path):
    """Run nginx in the foreground on a free loopback port (stopped on exit); yield a NginxServer."""
    import socket

    from wegweiser.headers import NGINX_FILE, render_nginx_conf

    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    conf = render_nginx_conf(
        ROOT / "deploy" / "nginx.conf.j2",
        root=site.resolve(),
        headers_conf=(site / NGINX_FILE).resolve(),
        listen=f"127.0.0.1:{port}",
        prefix=workdir.resolve(),
        daemon=False,
        user="root" if os.geteuid() == 0 else None,  # as root, workers would run as "nobody"
    )
    (workdir / "nginx.conf").write_text(conf, encoding="utf-8")
    cmd = [NGINX, "-p", str(workdir.resolve()), "-c", str((workdir / "nginx.conf").resolve()), "-e", str((workdir / "error.log").resolve())]
    check = subprocess.run([*cmd, "-t", "-q"], capture_output=True, text=True, check=False)
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t failed: {_one_line(check.stderr, 300)}")
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 15
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
            if proc.poll() is not None:
                raise RuntimeError(f"nginx exited with {proc.returncode}; see {workdir / 'error.log'}")
            if time.monotonic() > deadline:
                raise RuntimeError("nginx did not start within 15 s")
            time.sleep(0.05)
        yield NginxServer(port)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def serve_like_production(b: Bench, what: str):
    """nginx with our configuration when it is installed, else the counting Python server (noted)."""
    why = nginx_missing(b.site)
    with contextlib.ExitStack() as stack:
        server = None
        if why is None:
            try:
                server = stack.enter_context(serve_nginx(b.site, OUT / f"nginx-{what.lower()}"))
            except (OSError, RuntimeError) as exc:
                why = str(exc)
        if server is None:
            b.note(
                f"{what}: nginx could not serve the site ({why}); Python's http.server was used instead: no gzip and no cache "
                "headers, so 'enable text compression' and 'cache policy' findings are artefacts of that server."
            )
            server = stack.enter_context(serve(b.site))
        else:
            b.note(
                f"{what}: the site was served by {tool_version([NGINX, '-v']) or 'nginx'} with deploy/nginx.conf.j2 and the "
                "generated _headers.nginx.conf (security headers), gzip on, as in production."
            )
        yield server


# ----------------------------------------------------------------------------------------------
# Page weight
# ----------------------------------------------------------------------------------------------


class ResourceParser(HTMLParser):
    """Collect the resources an HTML page loads by itself (not the links a reader may follow)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        rel = set((a.get("rel") or "").lower().split())
        if tag == "link" and rel & {
            "stylesheet",
            "icon",
            "shortcut",
            "apple-touch-icon",
            "manifest",
            "preload",
            "modulepreload",
            "prefetch",
        }:
            if a.get("href"):
                self.urls.append(a["href"])
        elif tag in ("script", "img", "iframe", "audio", "video", "source", "embed", "track", "input") and a.get("src"):
            if tag != "input" or (a.get("type") or "").lower() == "image":
                self.urls.append(a["src"])
        elif tag == "object" and a.get("data"):
            self.urls.append(a["data"])
        if a.get("srcset"):
            self.urls += [part.strip().split()[0] for part in a["srcset"].split(",") if part.strip()]
        if a.get("style") and "url(" in a["style"]:
            self.urls += re.findall(r"url\(['\"]?([^'\")]+)", a["style"])


def page_file(site: Path, path: str) -> Path:
    p = site / path
    return p / "index.html" if path.endswith("/") or not path else p


def static_resources(site: Path, path: str) -> tuple[dict[str, tuple[int, int]], list[str]]:
    """{local url: (raw, gzip)} of a page and what it loads; plus third-party URLs it references."""
    base = "http://local/"
    url = urljoin(base, path)
    html_file = page_file(site, path)
    data = html_file.read_bytes()
    out = {url: (len(data), gzip_size(data, "x.html"))}
    parser = ResourceParser()
    parser.feed(data.decode("utf-8", errors="replace"))
    third = []
    for ref in parser.urls:
        if ref.startswith("data:"):
            continue
        full = urljoin(url, ref)
        parsed = urlparse(full)
        if parsed.netloc != "local":
            third.append(full)
            continue
        file = site / parsed.path.lstrip("/")
        if file.is_dir():
            file = file / "index.html"
        if file.exists():
            body = file.read_bytes()
            out[parsed.path] = (len(body), gzip_size(body, parsed.path))
    return out, third


@functools.lru_cache(maxsize=1)
def _real_site():
    from wegweiser.config import load_project
    from wegweiser.site import load_site

    return load_site(load_project(ROOT))


def weight_plan(site: Path) -> list[dict]:
    """The pages to weigh: (type, lang, path, previous path for the further-page visit)."""
    real = _real_site()
    guides = [p.slug for p in real.guides()]
    guide = "anmeldung" if "anmeldung" in guides else (guides[0] if guides else None)
    other = next((g for g in guides if g != guide), None)
    overview = next((p.slug for p in real.pages.values() if p.meta.get("generator") == "overview"), None)
    plan = []
    for lang in ("de", "ar"):
        pre = "" if lang == real.project.source_lang else f"{lang}/"
        start = pre
        types = {
            "start page": (start, f"{pre}{guide}/" if guide else None),
            "guide": (f"{pre}{guide}/" if guide else None, start),
            "overview": (f"{pre}{overview}/" if overview else None, start),
            "embed": (f"{pre}embed/{guide}/" if guide else None, f"{pre}embed/{other}/" if other else None),
            "print view": (f"{pre}print/{guide}/" if guide else None, f"{pre}{guide}/" if guide else None),
        }
        for kind, (path, prev) in types.items():
            exists = path is not None and page_file(site, path).is_file()
            prev_ok = prev is not None and page_file(site, prev).is_file()
            plan.append({"type": kind, "lang": lang, "path": path if exists else None, "prev": prev if prev_ok else None, "wanted": path})
    return plan


def weigh(b: Bench) -> None:
    """Page weight from the built HTML and from a real browser load."""
    if b.site is None:
        for kind in ("first visit", "further page"):
            b.missing("Page weight", f"all pages: {kind}", "no built site")
        return
    plan = weight_plan(b.site)
    browser = browser_weights(b, plan)
    third_static: set[str] = set()
    for item in plan:
        label = f"{item['type']} ({item['lang']})"
        section = f"Page weight: {label}"
        if item["path"] is None:
            b.missing(section, "first visit", f"the built site has no {item['type']} page (/{item['wanted'] or '?'})", "KB", "<=", T_FIRST_KB)
            continue
        first, third = static_resources(b.site, item["path"])
        third_static.update(third)
        raw, gz = sum(v[0] for v in first.values()), sum(v[1] for v in first.values())
        b.add(
            section,
            "first visit, built HTML + resources (gzip)",
            gz / KB,
            "KB",
            "<=",
            T_FIRST_KB,
            note=f"raw {raw / KB:.1f} KB, {len(first)} files: /{item['path']}",
        )
        if item["prev"] is not None:
            seen, _ = static_resources(b.site, item["prev"])
            extra = {k: v for k, v in first.items() if k not in seen}
            raw2, gz2 = sum(v[0] for v in extra.values()), sum(v[1] for v in extra.values())
            b.add(
                section,
                "further page, built HTML + resources (gzip)",
                gz2 / KB,
                "KB",
                "<=",
                T_FURTHER_KB,
                note=f"raw {raw2 / KB:.1f} KB, {len(extra)} new files after /{item['prev']}",
            )
        else:
            b.missing(section, "further page, built HTML + resources (gzip)", "no page to come from", "KB", "<=", T_FURTHER_KB)
        res = browser.get((item["type"], item["lang"]))
        if isinstance(res, str):
            b.missing(section, "first visit, Chromium load (gzip)", res, "KB", "<=", T_FIRST_KB)
            continue
        if res:
            b.add(
                section,
                "first visit, Chromium load (gzip)",
                res["first_gz"] / KB,
                "KB",
                "<=",
                T_FIRST_KB,
                note=f"raw {res['first_raw'] / KB:.1f} KB, {res['first_n']} responses" + (f"; {res['first_note']}" if res["first_note"] else ""),
            )
            if "further_gz" in res:
                b.add(
                    section,
                    "further page, Chromium load (gzip)",
                    res["further_gz"] / KB,
                    "KB",
                    "<=",
                    T_FURTHER_KB,
                    note=f"raw {res['further_raw'] / KB:.1f} KB after /{item['prev']}; KB gzip: {res['further_files']}",
                )
    b.add(
        "Page weight",
        "third-party resources referenced by the built pages",
        len(third_static),
        "URLs",
        "==",
        0,
        note=", ".join(sorted(third_static)[:5]),
    )
    if "third_party_requests" in b.raw:
        tp = b.raw["third_party_requests"]
        b.add(
            "Page weight",
            "third-party bytes, all Chromium loads",
            b.raw.get("third_party_bytes", 0),
            "bytes",
            "==",
            0,
            note=f"{len(tp)} third-party requests" + (": " + ", ".join(sorted(set(tp))[:5]) if tp else ""),
        )
    else:
        b.missing("Page weight", "third-party bytes, all Chromium loads", b.raw.get("browser_missing", "no browser run"), "bytes", "==", 0)
    b.note(
        "Page weight: gzip = gzip -6 of each text response (HTML, CSS, JS, JSON, SVG), as a server would send it; "
        "images and fonts count as they are. 'Built HTML + resources' counts the page and what its HTML loads "
        "(stylesheets, scripts, icons, images, manifest); files fetched by scripts (service worker, search index) "
        "show only in the Chromium load. A further page counts what is new after visiting the page named in the note, "
        "with the browser cache (and service worker) of that visit; 304 revalidations count 0 bytes."
    )


def browser_weights(b: Bench, plan: list[dict]) -> dict:
    """Load each page in Chromium (Playwright) from the counting server; bytes per visit."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        why = f"Playwright is not installed ({exc})"
        b.raw["browser_missing"] = why
        return {(i["type"], i["lang"]): why for i in plan}
    if not Path(CHROMIUM).exists():
        why = f"no chromium at {CHROMIUM}"
        b.raw["browser_missing"] = why
        return {(i["type"], i["lang"]): why for i in plan}
    out: dict = {}
    third: list[str] = []
    third_bytes = 0
    missing_files: set[tuple[str, str]] = set()
    try:
        with serve(b.site) as server, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            base = server.base

            def visit(ctx, path: str) -> None:
                page = ctx.new_page()
                page.goto(base + path, wait_until="load", timeout=90_000)
                server.quiet(1.0, 10.0)  # late requests: service worker install, search index
                page.close()

            def new_context():
                ctx = browser.new_context(viewport={"width": 412, "height": 915}, device_scale_factor=2, is_mobile=True, has_touch=True)

                def on_request(req) -> None:
                    if not req.url.startswith(base) and not req.url.startswith(("data:", "blob:", "about:")):
                        third.append(req.url)

                def on_finished(req) -> None:
                    nonlocal third_bytes
                    if not req.url.startswith(base) and not req.url.startswith(("data:", "blob:", "about:")):
                        with contextlib.suppress(Exception):
                            third_bytes += max(0, req.sizes().get("responseBodySize", 0))

                ctx.on("request", on_request)
                ctx.on("requestfinished", on_finished)
                return ctx

            for item in plan:
                if item["path"] is None:
                    continue
                key = (item["type"], item["lang"])
                if not b.fits(20, reserve=b.reserve_after("weight")):
                    out[key] = "over the time budget (--budget)"
                    continue
                ctx = new_context()
                server.take()
                visit(ctx, item["path"])
                log = server.take()
                log2 = None
                ctx.close()
                missing_files.update((e["path"], item["path"]) for e in log if e["status"] >= 400)
                res = {
                    "first_raw": sum(e["raw"] for e in log),
                    "first_gz": sum(e["gzip"] for e in log),
                    "first_n": len(log),
                    "first_note": _biggest(log),
                }
                if item["prev"] is not None:
                    ctx = new_context()
                    visit(ctx, item["prev"])
                    server.take()
                    visit(ctx, item["path"])
                    log2 = server.take()
                    ctx.close()
                    missing_files.update((e["path"], item["path"]) for e in log2 if e["status"] >= 400)
                    res.update(
                        further_raw=sum(e["raw"] for e in log2),
                        further_gz=sum(e["gzip"] for e in log2),
                        further_n=sum(1 for e in log2 if e["raw"]),
                        further_files=", ".join(f"{urlparse(e['path']).path} {e['gzip'] / KB:.1f}" for e in log2 if e["raw"]),
                    )
                out[key] = res
                b.raw.setdefault("browser", {})[f"{key[0]} {key[1]}"] = {**res, "log_first": log, "log_further": log2}
            browser.close()
    except Exception as exc:  # a browser that cannot start must not end the benchmark
        why = f"Chromium load failed: {type(exc).__name__}: {_one_line(str(exc), 200)}"
        b.raw["browser_missing"] = why
        b.note(why)
        return {(i["type"], i["lang"]): why for i in plan}
    b.raw["third_party_requests"] = third
    b.raw["third_party_bytes"] = third_bytes
    if missing_files:
        pages: dict[str, list[str]] = {}
        for path, page in sorted(missing_files):
            pages.setdefault(path, []).append("/" + page)
        b.finding(
            "Chromium requested files the built site does not have (HTTP 404): "
            + "; ".join(f"`{p}` (loading {', '.join(v[:4])}{' …' if len(v) > 4 else ''})" for p, v in list(pages.items())[:12])
        )
    return out


def _biggest(log: list[dict]) -> str:
    """The three largest responses of a visit, for the note."""
    top = sorted((e for e in log if e["raw"]), key=lambda e: -e["gzip"])[:3]
    return (
        "largest: " + ", ".join(f"{urlparse(e['path']).path.rsplit('/', 2)[-2 if e['path'].endswith('/') else -1] or '/'} {e['gzip'] / KB:.1f} KB" for e in top)
        if top
        else ""
    )


# ----------------------------------------------------------------------------------------------
# Lighthouse
# ----------------------------------------------------------------------------------------------


def lighthouse(b: Bench) -> None:
    """Lighthouse (mobile) on a guide in de and ar, the start page and an embed page."""
    cats = ("performance", "accessibility", "best-practices", "seo")
    pages = []
    if b.site is not None:
        plan = {(i["type"], i["lang"]): i for i in weight_plan(b.site)}
        for key, label in (
            (("guide", "de"), "guide (de)"),
            (("guide", "ar"), "guide (ar)"),
            (("start page", "de"), "start page (de)"),
            (("embed", "de"), "embed (de)"),
        ):
            pages.append((label, plan[key]["path"], plan[key]["wanted"]))
        if b.args.quick:
            pages = pages[:1]
    why = None
    if b.site is None:
        why = "no built site"
    elif not LIGHTHOUSE.exists():
        why = f"Lighthouse is not installed: run `npm ci --prefix bench` ({LIGHTHOUSE.relative_to(ROOT)} missing)"
    elif not Path(CHROMIUM).exists():
        why = f"no chromium at {CHROMIUM}"
    elif not shutil.which("node"):
        why = "node is not installed"
    if why:
        for label, *_ in pages or [("pages", None, None)]:
            for cat in cats:
                b.missing(f"Lighthouse: {label}", cat, why, "", ">=", T_LH[cat])
        return
    env = dict(ENV, CHROME_PATH=CHROMIUM)
    durations: list[float] = []
    probe = stall_probe(5.0)
    b.raw["stall_probe"] = probe
    b.add(
        "Lighthouse: CPU calibration",
        "machine pauses: share of 5 s in which a spinning thread could not run",
        round(100 * probe["paused_share"], 1),
        "%",
        note=f"longest pause {probe['longest_ms']} ms, {probe['over_50ms']} pauses over 50 ms; an idle real machine shows ~0%. "
        "Lighthouse times tasks by the clock: a pause inside a task counts as blocking time",
    )
    with serve_like_production(b, "Lighthouse") as server:
        multiplier = lighthouse_calibration(b, server, pages, env, durations)
        if b.args.lh_unpaused:
            calibrate_without_pauses(b)
        for label, path, wanted in pages:
            section = f"Lighthouse: {label}"
            if path is None:
                for cat in cats:
                    b.missing(section, cat, f"the built site has no such page (/{wanted})", "", ">=", T_LH[cat])
                continue
            scores: dict[str, list[float]] = {c: [] for c in cats}
            unpaused: list[float] = []
            unpaused_why = "no run"
            report = None
            why = "Lighthouse gave no score (see notes)"
            for attempt in range(1, b.args.lh_runs + 1):
                est = statistics.median(durations) if durations else 60
                ok = b.fits(est, reserve=b.reserve_after("lighthouse")) if attempt == 1 else b.fits_repeat(est)
                if not ok:
                    why = f"a run would take about {est:.0f} s, over the time budget (--budget)"
                    break
                out = OUT / "lighthouse" / f"{re.sub(r'[^a-z]+', '-', label).strip('-')}-{attempt}.json"
                out.parent.mkdir(parents=True, exist_ok=True)
                saved = out.with_suffix("") if b.args.lh_unpaused else None  # what Lighthouse gathered, to cut the pauses out
                if saved:
                    shutil.rmtree(saved, ignore_errors=True)
                cmd = lighthouse_cmd(server.base + path, out, cats, multiplier, saved=saved)
                run = timed(cmd, ROOT, OUT / "logs" / f"lighthouse-{out.stem}.log", timeout=300, env=env)
                durations.append(run.wall)
                if saved:
                    score, unpaused_why = performance_without_pauses(server.base + path, saved, run, cats, b.lh_multiplier_unpaused, env)
                    if score is not None:
                        unpaused.append(score)
                        cut_report = saved.with_name(saved.name + "-unpaused.json")
                try:
                    report = json.loads(out.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    b.note(f"Lighthouse {label} run {attempt} failed (exit {run.rc}): `{_one_line(run.tail(4), 300)}`")
                    continue
                for cat in cats:
                    score = (report.get("categories", {}).get(cat) or {}).get("score")
                    if score is not None:
                        scores[cat].append(round(score * 100))
                if report.get("runtimeError"):
                    b.note(f"Lighthouse {label}: {report['runtimeError'].get('code')}: {report['runtimeError'].get('message')}")
            for cat in cats:
                if scores[cat]:
                    b.add(section, cat, scores[cat], "", ">=", T_LH[cat], digits=0)
                else:
                    b.missing(section, cat, why, "", ">=", T_LH[cat])
                if cat == "performance" and unpaused:
                    b.add(
                        section,
                        "performance without host pauses",
                        unpaused,
                        "",
                        ">=",
                        T_LH[cat],
                        digits=0,
                        note=f"Lighthouse's score of the same runs with the paused time cut out of its trace (bench/trace_cut.py): {unpaused}",
                    )
                elif cat == "performance" and b.args.lh_unpaused:
                    b.missing(section, "performance without host pauses", unpaused_why, "", ">=", T_LH[cat])
            if len(scores["performance"]) > 1:
                # Machine pauses only ever add time: the best run is the one least disturbed by them.
                b.add(
                    section,
                    "performance, best run",
                    max(scores["performance"]),
                    "",
                    digits=0,
                    note=f"of {len(scores['performance'])} runs: {scores['performance']}",
                )
            if unpaused:
                with contextlib.suppress(OSError, ValueError):
                    split = long_tasks_by_source(json.loads(cut_report.read_text(encoding="utf-8")))
                    b.note(
                        f"Lighthouse {label}, last run without host pauses: long tasks (over 50 ms) "
                        + (", ".join(f"{ms:,.0f} ms in {source}" for source, ms in split.items()) or "none")
                        + "."
                    )
            if report:
                lighthouse_findings(b, label, path, report)
                bench_index = (report.get("environment") or {}).get("benchmarkIndex")
                if bench_index:
                    b.note(f"Lighthouse {label}: benchmarkIndex {bench_index} in its last run (calibrated for {b.lh_index}).")
    b.note(
        f"Lighthouse: {'median of up to ' + str(b.args.lh_runs) + ' runs' if b.args.lh_runs > 1 else 'one run'} per page, mobile "
        f"settings (Moto G Power screen, simulated slow 4G), CPU slowdown {multiplier}× calibrated to this machine "
        "(see the calibration row). Performance is sensitive to other load on the machine."
        + (
            ""
            if b.args.lh_unpaused
            else " Scores without host pauses: `--lh-unpaused` (bench/trace_cut.py); not run by default, it costs one more audit per run."
        )
    )


def lighthouse_cmd(url: str, out: Path, categories, multiplier: float | None = None, saved: Path | None = None, audit_only: bool = False) -> list[str]:
    """The Lighthouse command line: mobile settings, headless Debian chromium, JSON report to ``out``.

    ``saved``: keep what Lighthouse gathered in that folder (``--gather-mode``), or with
    ``audit_only`` score that folder again without loading the page.
    """
    cmd = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        "--form-factor=mobile",
        "--only-categories=" + ",".join(categories),
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
        "--max-wait-for-load=60000",
        "--disable-full-page-screenshot",  # only pictures for the HTML report; saves time on every run
    ]
    if multiplier is not None:
        cmd.append(f"--throttling.cpuSlowdownMultiplier={multiplier}")
    if saved is not None:
        cmd += [f"--audit-mode={saved}"] if audit_only else [f"--gather-mode={saved}", f"--audit-mode={saved}"]
    return cmd


def performance_without_pauses(url: str, saved: Path, run: Run, categories, multiplier: float | None, env: dict) -> tuple[int | None, str]:
    """Lighthouse's performance score of a saved run with the host's pauses cut out of its times.

    ``multiplier`` is the CPU slowdown for the machine without its pauses (``calibrate_without_pauses``).
    With simulated throttling the slowdown is applied only when scoring, so the cut copy's settings
    are changed to it (Lighthouse refuses to score a run with settings other than the gathering's). Returns the score, or None and why there is none.
    """
    if run.window is None or not (saved / trace_cut.TRACE).exists():
        return None, "Lighthouse saved no trace"
    if RECORDER.realtime is False:
        return None, "the pause probe had no real-time priority (needs root or CAP_SYS_NICE), so busy cores would count as pauses"
    multiplier = multiplier or DEFAULT_MULTIPLIER
    cut = saved.with_name(saved.name + "-unpaused")
    try:
        trace_cut.save_pauses(saved, RECORDER.gaps, *run.window)  # to cut it again by hand: python bench/trace_cut.py
        if not trace_cut.cut_run(saved, cut, RECORDER.gaps, *run.window, cpu_slowdown=multiplier):
            return None, "no clock values found in the trace"
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return None, f"the saved run could not be read: {_one_line(str(exc), 200)}"
    out = cut.with_suffix(".json")
    cmd = lighthouse_cmd(url, out, categories, multiplier, saved=cut, audit_only=True)
    audit = timed(cmd, ROOT, OUT / "logs" / f"lighthouse-{cut.name}.log", timeout=300, env=env)
    try:
        score = json.loads(out.read_text(encoding="utf-8"))["categories"]["performance"]["score"]
    except (OSError, ValueError, KeyError, TypeError):
        return None, f"Lighthouse could not score the cut run (exit {audit.rc})"
    finally:
        shutil.rmtree(cut, ignore_errors=True)
    return (None, "Lighthouse gave no score") if score is None else (round(score * 100), "")


def lighthouse_calibration(b: Bench, server, pages: list, env: dict, durations: list[float]) -> float:
    """One Lighthouse run with the default 4x CPU slowdown: the host's benchmarkIndex gives the factor.

    Lighthouse's mobile preset means a mid-range phone; 4x is right for a fast desktop host only
    (``bench/calibrate.py``). The default-settings performance score of the first page is kept
    beside the calibrated ones, so both are visible.
    """
    section = "Lighthouse: CPU calibration"
    label, path, _ = next(((lbl, p, w) for lbl, p, w in pages if p is not None), (None, None, None))
    if path is None or not b.fits(60, reserve=b.reserve_after("lighthouse")):
        b.missing(section, "benchmarkIndex", "no page or no time for a calibration run")
        return DEFAULT_MULTIPLIER
    out = OUT / "lighthouse" / "calibration.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    cmd = lighthouse_cmd(server.base + path, out, ("performance",))
    run = timed(cmd, ROOT, OUT / "logs" / "lighthouse-calibration.log", timeout=300, env=env)
    durations.append(run.wall)
    try:
        report = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        b.missing(section, "benchmarkIndex", f"the calibration run failed (exit {run.rc})")
        return DEFAULT_MULTIPLIER
    index = (report.get("environment") or {}).get("benchmarkIndex")
    multiplier = cpu_multiplier(index)
    b.lh_index = index
    b.add(section, "benchmarkIndex (Lighthouse's CPU probe; a fast desktop gives 1300-2000)", [index], "", digits=0)
    if multiplier is None:
        b.note(f"Lighthouse: benchmarkIndex {index}: too slow to emulate the reference phone; runs use the default 4×.")
        multiplier = DEFAULT_MULTIPLIER
    b.add(section, "CPU slowdown used for the runs below", [multiplier], "×", digits=2)
    score = (report.get("categories", {}).get("performance") or {}).get("score")
    if score is not None:
        b.add(section, f"performance of {label} with the uncalibrated default 4×", [round(score * 100)], "", digits=0)
    return multiplier


def calibrate_without_pauses(b: Bench) -> None:
    """How fast this machine is while it runs: Lighthouse's benchmark, timed without the host's pauses.

    Shown beside the calibration for the record. The scores without host pauses use Lighthouse's
    default 4× slowdown, which its calculator gives a host of benchmarkIndex 1533. Measured here,
    the machine's speed between pauses varies several-fold from loop to loop (the host shares its
    cores in ways that do not show as pauses), so a slowdown calibrated from one moment would fit
    neither the slow nor the fast moments. With 4× a task of a slow moment counts as slower than
    the reference phone: the scores err on the slow side while the index stays under 1533.
    """
    section = "Lighthouse: CPU calibration"
    name = "benchmarkIndex without host pauses (Lighthouse's loops in Chromium, paused time left out)"
    b.lh_multiplier_unpaused = DEFAULT_MULTIPLIER
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        b.missing(section, name, "playwright is not installed")
        return
    runs = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
            page = browser.new_page()
            for _ in range(5):
                runs.append(index_without_pauses(page.evaluate, time.monotonic, RECORDER.paused))
            browser.close()
    except PlaywrightError as exc:
        b.missing(section, name, f"Chromium failed: {_one_line(str(exc), 200)}")
        return
    unpaused = sorted(round(r[1]) for r in runs)
    b.add(
        section,
        name,
        unpaused,
        "",
        digits=0,
        note=f"5 runs: {unpaused}; timed by the clock: {sorted(round(r[0]) for r in runs)}. "
        f"The scores without host pauses use the default {DEFAULT_MULTIPLIER:.0f}× slowdown (for an index of 1533)",
    )


def long_tasks_by_source(report: dict) -> dict[str, float]:
    """Milliseconds of a report's long main-thread tasks: the page's own scripts, Lighthouse's, or unattributable."""
    split: dict[str, float] = {}
    for item in ((report.get("audits", {}).get("long-tasks") or {}).get("details") or {}).get("items", []):
        url = str(item.get("url") or "")
        if "_lighthouse-eval" in url:
            source = "Lighthouse's own scripts (_lighthouse-eval.js)"
        elif not url or url == "Unattributable":
            source = "tasks no script is named for"
        else:
            source = "the page's scripts"
        split[source] = split.get(source, 0.0) + float(item.get("duration") or 0)
    return dict(sorted(split.items(), key=lambda kv: -kv[1]))


def lighthouse_findings(b: Bench, label: str, path: str, report: dict) -> None:
    """Every failing audit that costs points, with the elements it names."""
    audits = report.get("audits", {})
    perf = report.get("categories", {}).get("performance", {})
    metrics = []
    for ref in perf.get("auditRefs", []):
        a = audits.get(ref["id"], {})
        if ref.get("weight") and a.get("displayValue"):
            metrics.append(f"{a.get('title')} {a['displayValue']} (score {round((a.get('score') or 0) * 100)})")
    if metrics:
        b.note(f"Lighthouse {label} performance metrics: " + "; ".join(metrics))
    for cat_id in ("accessibility", "best-practices", "seo", "performance"):
        cat = report.get("categories", {}).get(cat_id, {})
        for ref in cat.get("auditRefs", []):
            a = audits.get(ref["id"], {})
            score = a.get("score")
            mode = a.get("scoreDisplayMode")
            if mode not in ("binary", "numeric", "metricSavings") or score is None or score >= (0.9 if cat_id == "performance" else 1):
                continue
            if cat_id == "performance" and not ref.get("weight") and not a.get("details", {}).get("items"):
                continue
            items = _audit_items(a)
            b.finding(
                f"Lighthouse {cat_id} `{ref['id']}` on {label} (/{path}): {a.get('title')}"
                + (f" — {a['displayValue']}" if a.get("displayValue") else "")
                + (f" — {items}" if items else "")
            )


def _audit_items(audit: dict, n: int = 4) -> str:
    """The elements or URLs an audit names, shortened for one line."""
    details = audit.get("details") or {}
    items = [i for i in details.get("items", []) if isinstance(i, dict)]
    out = []
    for item in items[:n]:
        src = item.get("source")
        node = item.get("node") if isinstance(item.get("node"), dict) else src if isinstance(src, dict) and src.get("type") == "node" else None
        subs = [x.get("reason") for x in (item.get("subItems") or {}).get("items", []) if isinstance(x, dict) and x.get("reason")]
        if node:
            text = f"`{node.get('selector', '')}` `{node.get('snippet', '')[:160]}`"
            if node.get("nodeLabel") and node.get("nodeLabel") != node.get("selector"):
                text += f" (text: {node['nodeLabel'][:60]})"
            expl = " ".join((node.get("explanation") or "").split("\n")[1:2]).strip()
            out.append(text + (f": {expl[:200]}" if expl else "") + (f": {subs[0]}" if subs else ""))
            continue
        loc = item.get("sourceLocation") if isinstance(item.get("sourceLocation"), dict) else {}
        url = item.get("url") or loc.get("url") or (src.get("url") if isinstance(src, dict) else None)
        desc = item.get("description") or ""
        if url or desc:
            out.append(f"{url or ''} {desc[:160]}".strip())
    more = len(items) - n
    return "; ".join(x.replace("|", "\\|").replace("\n", " ") for x in out) + (f"; and {more} more" if more > 0 else "")


# ----------------------------------------------------------------------------------------------
# HTML validity
# ----------------------------------------------------------------------------------------------


def html_validity(b: Bench) -> None:
    """The Nu HTML Checker over every HTML file of the built site."""
    name = "Nu HTML Checker errors, whole built site"
    why = None
    if b.site is None:
        why = "no built site"
    elif not shutil.which("java"):
        why = "java is not installed (the Nu HTML Checker needs Java 11 or later)"
    elif not VNU.exists():
        why = f"vnu-jar is not installed: run `npm ci --prefix bench` ({VNU.relative_to(ROOT)} missing)"
    if why:
        b.missing("HTML validity", name, why, "errors", "==", 0)
        return
    files = sorted(str(p) for p in b.site.rglob("*.html"))
    if b.args.quick:
        files = files[:25]
    est = 20 + 0.1 * len(files)
    if not b.fits(est):
        b.missing("HTML validity", name, f"would take about {est:.0f} s, over the time budget", "errors", "==", 0)
        return
    listing = OUT / "vnu-files.txt"
    out = OUT / "vnu.json"
    cmd = ["java", "-Xss1024k", "-jar", str(VNU), "--format", "json", "--exit-zero-always", "--skip-non-html", *files]
    with out.open("w", encoding="utf-8") as fh:
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=fh, check=False, timeout=max(300, b.remaining()))
        except subprocess.TimeoutExpired as exc:
            b.missing("HTML validity", name, f"the checker did not finish in {exc.timeout:.0f} s", "errors", "==", 0)
            return
        wall = time.perf_counter() - t0
    listing.write_text("\n".join(files) + "\n", encoding="utf-8")
    try:
        messages = json.loads(out.read_text(encoding="utf-8") or "{}").get("messages", [])
    except ValueError:
        b.missing("HTML validity", name, f"the checker gave no JSON (exit {proc.returncode}); see {out.relative_to(ROOT)}", "errors", "==", 0)
        return
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    warnings = [m for m in messages if m.get("type") == "info" and m.get("subType") == "warning"]
    per_file: dict[str, int] = {}
    for m in errors:
        per_file[m.get("url", "?")] = per_file.get(m.get("url", "?"), 0) + 1
    b.add(
        "HTML validity",
        name,
        len(errors),
        "errors",
        "==",
        0,
        digits=0,
        note=f"{len(files)} HTML files, {len(per_file)} with errors; {wall:.0f} s",
    )
    b.add("HTML validity", "Nu HTML Checker warnings, whole built site", len(warnings), "warnings", digits=0)
    b.add("HTML validity", "errors per HTML file (mean)", len(errors) / max(1, len(files)), "errors", digits=2)
    groups: dict[str, list[dict]] = {}
    for m in errors:
        key = m.get("message", "")
        if key.startswith(("Duplicate ID", "Bad value")):
            key = re.sub(r"“[^”]*”", "“…”", key, count=1)
        groups.setdefault(key, []).append(m)
    site_root = str(b.site.resolve())
    for msg, items in sorted(groups.items(), key=lambda kv: -len(kv[1]))[:15]:
        first = items[0]
        where = first.get("url", "").replace("file:", "").replace(site_root, "")
        extract = (first.get("extract") or "").replace("\n", " ").strip()[:140]
        files_hit = len({i.get("url") for i in items})
        b.finding(
            f"Nu HTML Checker, {len(items)}× in {files_hit} files: {msg} — e.g. `{where}` line {first.get('lastLine', '?')}: `{extract}`".replace("|", "\\|")
        )


# ----------------------------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------------------------

# Seconds kept free for the first runs of later parts, and each part's share of the budget for repeats.
RESERVE = {"build": 60, "check": 0, "preview": 60, "weight": 60, "lighthouse": 60, "html": 60}
SHARE = {"check": 1.0, "preview": 0.7, "weight": 1.5, "lighthouse": 2.0, "html": 1.0, "build": 4.5}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma list of parts: {', '.join(PARTS)}")
    parser.add_argument("--quick", action="store_true", help="fast smoke run: tiny sizes, one run each, one Lighthouse page")
    parser.add_argument("--sizes", default=None, help="synthetic sizes, times the real site (default 1,4,16; --quick 0.5,1)")
    parser.add_argument("--repeats", type=int, default=None, help="runs per measurement, medians reported (default 3; --quick 1)")
    parser.add_argument("--repeat-max-scale", type=float, default=4, help="sizes above this are built once (default 4)")
    parser.add_argument("--lh-runs", type=int, default=3, help="Lighthouse runs per page, median reported (default 3; --quick 1)")
    parser.add_argument(
        "--lh-unpaused",
        action="store_true",
        help="also score each Lighthouse run with the host's pauses cut out of its trace (bench/trace_cut.py; one more audit per run)",
    )
    parser.add_argument("--budget", type=float, default=None, help="seconds for the whole run, 0 = no limit (default 840; --quick 300)")
    parser.add_argument("--reuse-site", action="store_true", help="use bench/out/site from an earlier run instead of building the real site")
    parser.add_argument("--keep", action="store_true", help="keep the synthetic projects in bench/out")
    parser.add_argument("--redo", default="", help="with --merge: sizes whose earlier build runs are dropped and measured again, e.g. 1,4")
    parser.add_argument("--output", default=str(BENCH / "RESULTS.md"))
    parser.add_argument("--merge", action="store_true", help="keep the figures of the parts not run now from the last run (bench/out/results.json)")
    args = parser.parse_args(argv)
    args.parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(args.parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}; use {', '.join(PARTS)}")
    args.sizes = sorted(float(s) for s in (args.sizes or ("0.5,1" if args.quick else "1,4,16")).split(","))
    args.repeats = args.repeats or (1 if args.quick else 3)
    if args.quick:
        args.lh_runs = 1
    args.redo = {float(x) for x in args.redo.split(",") if x.strip()}
    args.budget = args.budget if args.budget is not None else (300 if args.quick else 840)
    if args.quick:
        args.reuse_site = args.reuse_site or (OUT / "site" / "index.html").exists()
    OUT.mkdir(parents=True, exist_ok=True)
    RECORDER.start()
    b = Bench(args)
    b.order = order = [p for p in ("check", "preview", "weight", "lighthouse", "html", "build") if p in args.parts]
    if args.merge:
        b.load_previous()
    try:
        if set(args.parts) & {"weight", "lighthouse", "html"}:
            print("bench: building the real site …", flush=True)
            build_real_site(b)
            b.write()
        steps = {"check": check_real, "preview": preview_speed, "weight": weigh, "lighthouse": lighthouse, "html": html_validity, "build": build_scaling}
        for i, part in enumerate(order):
            b.part = part
            left = b.remaining()
            b.part_end = time.monotonic() + left * SHARE[part] / sum(SHARE[p] for p in order[i:])
            print(f"bench: {part} … ({left:.0f} s left in the budget)", flush=True)
            try:
                steps[part](b)
            except Exception as exc:  # one broken part must not lose the others
                b.note(f"Part '{part}' stopped with {type(exc).__name__}: {_one_line(str(exc), 300)}")
                traceback.print_exc()
            b.write()
    except KeyboardInterrupt:
        b.note("The run was interrupted: figures after the interruption are missing.")
        b.write()
        return 130
    share = RECORDER.share()
    if share is not None:
        b.note(
            f"The host paused this virtual machine {100 * share:.0f}% of the whole run (bench/pauses.py). "
            "Figures marked “without host pauses” leave that time out: what a machine that is never paused would measure. "
            + (
                "The probe thread ran with real-time priority, so busy cores do not count as pauses."
                if RECORDER.realtime
                else "The probe thread could not get real-time priority (needs root or CAP_SYS_NICE): "
                "a busy machine counts as paused too, so these figures err on the fast side."
            )
        )
    b.write()
    print(f"bench: wrote {args.output}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
