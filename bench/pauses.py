"""Record when the host pauses this virtual machine, so timings can also be shown without the pauses.

Our build machine is a virtual machine whose host stops it, all virtual CPUs at once, for much of
the time (up to 0.4 s at once, often more than half of all time; see ``calibrate.stall_probe``).
Nothing inside runs during a pause, but the clock goes on: every wall time measured here is
longer by the pauses that fell into it, and by a different amount in each run.

``PauseRecorder`` runs a thread that sleeps ``tick`` seconds in a loop and notes every wake-up
that comes more than ``threshold`` late. On an otherwise idle 2-core machine a late wake-up means
the whole machine stood still (two probes on both cores see the same gaps). ``paused(start, end)``
is the paused time inside a window of ``time.monotonic()``; a run's time *without pauses* is its
wall time minus that: what the same run would take on a machine that is never paused.

The thread asks for real-time scheduling (``SCHED_FIFO``, allowed for root or with
``CAP_SYS_NICE``): it then runs the moment it wakes, even when the build keeps both cores busy, so a
late wake-up means a pause and not a full machine. Without that right it runs as a normal thread and
a probe that cannot get a core counts that as a pause too (3 busy loops on 2 cores: 7.6 s of "pauses"
in 10 s instead of 5.6 s); ``realtime`` says which it was.

The figure is an estimate. Pauses shorter than ``threshold`` are missed (on our machine about 6%
of the paused time), which errs on the slow side. ``bench/run.py`` shows both figures and runs one
thing at a time.
"""

from __future__ import annotations

import bisect
import os
import threading
import time
from collections.abc import Callable


class PauseRecorder:
    """Background thread that records the machine's pauses as ``(start, end)`` in monotonic seconds."""

    def __init__(self, tick: float = 0.005, threshold: float = 0.01, clock: Callable[[], float] = time.monotonic):
        self.tick = tick
        self.threshold = threshold
        self.clock = clock
        self.gaps: list[tuple[float, float]] = []
        self.started: float | None = None
        self.stopped: float | None = None
        self.realtime: bool | None = None  # known once the thread runs
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def record(self, start: float, end: float) -> None:
        """Note one pause (kept sorted by start)."""
        if end > start:
            bisect.insort(self.gaps, (start, end))

    def _run(self) -> None:
        self.realtime = _realtime_thread()
        last = self.clock()
        while not self._stop.is_set():
            time.sleep(self.tick)
            now = self.clock()
            if now - last > self.tick + self.threshold:
                self.record(last + self.tick, now)
            last = now

    def start(self) -> PauseRecorder:
        """Start recording (once)."""
        if self._thread is None:
            self.started = self.clock()
            self._thread = threading.Thread(target=self._run, name="pause-recorder", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop recording; the pauses noted so far stay."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.stopped = self.clock()

    def __enter__(self) -> PauseRecorder:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def paused(self, start: float, end: float) -> float:
        """Seconds of recorded pauses inside the window ``[start, end]``."""
        total = 0.0
        for gap_start, gap_end in self.gaps:
            if gap_start >= end:
                break
            total += max(0.0, min(gap_end, end) - max(gap_start, start))
        return total

    def share(self) -> float | None:
        """Paused share of the whole recording, or None before anything was recorded."""
        if self.started is None:
            return None
        end = self.stopped if self.stopped is not None else self.clock()
        span = end - self.started
        return self.paused(self.started, end) / span if span > 0 else None


class Timeline:
    """The clock of a machine that is never paused: ``cut(t)`` is ``t`` minus the pauses before it.

    A moment inside a pause maps to the pause's start. Durations follow: ``cut(end) - cut(start)``
    is a span's length without the pauses in it. Built once from a sorted list of pauses.
    """

    def __init__(self, gaps: list[tuple[float, float]]):
        self.gaps = sorted(gaps)
        self.starts = [start for start, _ in self.gaps]
        self.before = [0.0]  # paused seconds before gap i
        for start, end in self.gaps:
            self.before.append(self.before[-1] + (end - start))

    def paused_before(self, t: float) -> float:
        """Seconds of pauses before ``t`` (monotonic seconds); 0.0 exactly when there are none."""
        i = bisect.bisect_right(self.starts, t)
        paused = self.before[i]
        if i and self.gaps[i - 1][1] > t:
            paused -= self.gaps[i - 1][1] - t
        return paused

    def cut(self, t: float) -> float:
        """``t`` (monotonic seconds) on the clock without pauses."""
        return t - self.paused_before(t)


def _realtime_thread() -> bool:
    """Give the calling thread real-time priority (Linux: pid 0 is the calling thread); False if not allowed."""
    try:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(os.sched_get_priority_min(os.SCHED_FIFO)))
    except (AttributeError, OSError):
        return False
    return True


RECORDER = PauseRecorder()  # one per bench process; started by bench/run.py and bench/preview.py
