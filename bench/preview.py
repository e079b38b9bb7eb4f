#!/usr/bin/env python3
"""How long an editor waits in the live preview: save a file, then see the new text (issue 7.8).

Runs ``scripts/serve.py --lang de`` (what ``make serve ONLY=de`` runs) on a copy of the real site,
changes one sentence of a German guide several times, and measures for each save:

- until the preview logs "Reloading browsers" (the rebuild is done), and
- until the page served over HTTP contains the new sentence (what the editor sees), also without
  the time the host paused this virtual machine meanwhile (``pauses.py``).

``python bench/preview.py`` prints the figures; ``bench/run.py --only preview`` puts them into
``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from pauses import RECORDER

ROOT = Path(__file__).resolve().parent.parent
GUIDE = "anmeldung"
SENTENCE = "Das nennt man die Anmeldung."  # a sentence of the German guide that the edits change
COPY = ("docs", "data", "hooks", "overrides", "mkdocs.yml", "wegweiser.yml")


@dataclass
class PreviewTimes:
    """Seconds from each save to the rebuilt preview."""

    rebuilt: list[float] = field(default_factory=list)  # until "Reloading browsers" in the log
    cpu: list[float] = field(default_factory=list)  # CPU seconds the preview's processes used per save
    built: list[float] = field(default_factory=list)  # MkDocs' own "Documentation built in … seconds"
    shown: list[float] = field(default_factory=list)  # until the page over HTTP has the new text
    shown_unpaused: list[float] = field(default_factory=list)  # the same, minus the host's pauses (pauses.py)
    paused_share: float = 0.0  # share of the saves' time the host paused the machine
    startup: float = 0.0  # from start until the first page is served
    lang: str = "de"

    def median(self, what: str) -> float:
        values = getattr(self, what)
        return statistics.median(values) if values else float("nan")


def copy_site(dest: Path) -> Path:
    """A copy of the parts of the repository a build reads (the edits never touch the real docs)."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    for name in COPY:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    return dest


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen) -> None:
    """End a process started with ``start_new_session=True`` and everything it started."""
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _wait_log(log: Path, pattern: str, after: int, timeout: float) -> int:
    """Wait until ``pattern`` appears in the log after offset ``after``; return the offset after it."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        text = log.read_text(encoding="utf-8", errors="replace")
        m = re.compile(pattern).search(text, after)
        if m:
            return m.end()
        time.sleep(0.02)
    raise TimeoutError(f"'{pattern}' not in {log} after {timeout:.0f} s")


def group_cpu_seconds(pgid: int) -> float:
    """User and system CPU seconds of every live process in process group ``pgid`` (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        # After the command name: state ppid pgrp ... utime (14th field overall) stime (15th)
        if int(fields[2]) == pgid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _wait_page(url: str, text: str, timeout: float) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                if text in r.read().decode("utf-8"):
                    return
        except OSError:
            pass
        time.sleep(0.02)
    raise TimeoutError(f"{url} does not show '{text}' after {timeout:.0f} s")


def measure(workdir: Path, edits: int = 6, lang: str = "de", timeout: float = 300.0) -> PreviewTimes:
    """Start the preview of ``lang`` on a copy of the site and time ``edits`` saves of one German sentence."""
    site = copy_site(workdir / "site-copy")
    guide = site / "docs" / f"{GUIDE}.md"
    original = guide.read_text(encoding="utf-8")
    if SENTENCE not in original:
        raise ValueError(f"docs/{GUIDE}.md no longer contains the sentence '{SENTENCE}'; update bench/preview.py")
    port = free_port()
    log = workdir / "preview.log"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1", PYTHONPATH=str(ROOT))
    times = PreviewTimes(lang=lang)
    pauses = RECORDER.start()
    windows = 0.0
    start = time.monotonic()
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "scripts" / "serve.py"), "--lang", lang, "--config", str(site / "mkdocs.yml"), "--addr", f"127.0.0.1:{port}"],
            cwd=site,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}/{GUIDE}/"  # the German page shows the edit in every preview
    try:
        offset = _wait_log(log, r"Serving on", 0, timeout)
        _wait_page(url, "</html>", timeout)
        times.startup = time.monotonic() - start
        for i in range(edits):
            new = f"Das nennt man die Anmeldung (Probe {i + 1})."
            text = original.replace(SENTENCE, new, 1)
            time.sleep(0.5)  # the watcher settles after the last rebuild
            offset = len(log.read_text(encoding="utf-8", errors="replace"))
            cpu = group_cpu_seconds(proc.pid)
            saved = time.monotonic()
            guide.write_text(text, encoding="utf-8")
            _wait_page(url, new, timeout)
            shown = time.monotonic()
            times.shown.append(shown - saved)
            paused = pauses.paused(saved, shown)
            times.shown_unpaused.append(shown - saved - paused)
            windows += shown - saved
            start_of_save = offset
            offset = _wait_log(log, r"Reloading browsers", offset, timeout)
            times.rebuilt.append(time.monotonic() - saved)
            built = re.findall(r"Documentation built in ([\d.]+) seconds", log.read_text(encoding="utf-8", errors="replace")[start_of_save:offset])
            if built:
                times.built.append(float(built[-1]))
            times.cpu.append(group_cpu_seconds(proc.pid) - cpu)
    finally:
        stop(proc)
    times.paused_share = (sum(times.shown) - sum(times.shown_unpaused)) / windows if windows else 0.0
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edits", type=int, default=6)
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench" / "out" / "preview")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    times = measure(args.workdir, args.edits)
    print(f"startup {times.startup:.1f} s")
    print("save -> page shows the new text:", ", ".join(f"{t:.2f}" for t in times.shown), f"(median {times.median('shown'):.2f} s)")
    print(
        "  the same without the host's pauses:",
        ", ".join(f"{t:.2f}" for t in times.shown_unpaused),
        f"(median {times.median('shown_unpaused'):.2f} s; paused {100 * times.paused_share:.0f}% of that time)",
    )
    print("save -> 'Reloading browsers':", ", ".join(f"{t:.2f}" for t in times.rebuilt), f"(median {times.median('rebuilt'):.2f} s)")
    print("MkDocs build per save:", ", ".join(f"{t:.2f}" for t in times.built), f"(median {times.median('built'):.2f} s)")
    print("CPU seconds per save:", ", ".join(f"{t:.2f}" for t in times.cpu), f"(median {times.median('cpu'):.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
