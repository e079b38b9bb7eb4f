"""CPU calibration for Lighthouse's mobile emulation on the machine that runs the bench.

Lighthouse's mobile preset slows the CPU down 4x. That factor assumes a fast desktop host; on a
slower host the emulated phone becomes much slower than the phone Lighthouse means, and Total
Blocking Time grows by seconds. Lighthouse measures the host (``environment.benchmarkIndex``) and
points to its calibration table for the right factor (docs/throttling.md, "Calibrating
multipliers", and https://lighthouse-cpu-throttling-calculator.vercel.app/). PageSpeed Insights
does the same for its own servers (``lr-mobile-config.js``: ``cpuSlowdownMultiplier: 1.2``).
"""

from __future__ import annotations

DEFAULT_MULTIPLIER = 4.0
TOO_SLOW = 150  # below this index the calculator says the host cannot emulate the target phone


def cpu_multiplier(benchmark_index: float | None) -> float | None:
    """The CPU slowdown that makes this host behave like Lighthouse's mobile reference phone.

    The same piecewise-linear table as the Lighthouse CPU throttling calculator:
    index 150 → 1×, 800 → 2×, 1300 → 3×, 1533 → 4×, 2000 → 6×. ``None`` when the index is
    missing or the host is too slow to emulate the phone at all.
    """
    if benchmark_index is None or benchmark_index < TOO_SLOW:
        return None
    if benchmark_index >= 1300:
        return round(3 + (benchmark_index - 1300) / 233, 2)
    if benchmark_index >= 800:
        return round(2 + (benchmark_index - 800) / 500, 2)
    return round(1 + (benchmark_index - 150) / 650, 2)


# ----------------------------------------------------------------------------------------------
# Pauses of the whole machine
# ----------------------------------------------------------------------------------------------


def stall_probe(seconds: float = 5.0, gap: float = 0.005, clock=None) -> dict:
    """Spin on one core for ``seconds`` and record every pause longer than ``gap`` seconds.

    On an idle machine a spinning thread runs all the time. A virtual machine whose host gives
    its virtual CPUs to others stops all of them at once: the loop then sees jumps in the clock.
    Lighthouse times the browser's tasks by the clock, so each such pause inside a task adds to
    Total Blocking Time. Returns the paused share of the time, the longest pause and the number
    of pauses over 50 ms.
    """
    import time

    clock = clock or time.perf_counter
    start = last = clock()
    end = start + seconds
    pauses: list[float] = []
    while True:
        now = clock()
        if now - last > gap:
            pauses.append(now - last)
        last = now
        if now >= end:
            break
    total = max(last - start, 1e-9)
    return {
        "seconds": round(total, 2),
        "paused_share": round(sum(pauses) / total, 3),
        "longest_ms": round(1000 * max(pauses, default=0.0)),
        "over_50ms": sum(p > 0.05 for p in pauses),
    }


# ----------------------------------------------------------------------------------------------
# The host's speed without its pauses
# ----------------------------------------------------------------------------------------------

# Lighthouse's two benchmark loops (core/lib/page-functions.js, computeBenchmarkIndex), each run for
# 500 ms by the page's clock. They return the iterations; the caller divides by the time without pauses.
BENCHMARK_GC = """() => { const start = Date.now(); let iterations = 0;
  while (Date.now() - start < 500) { let s = ''; for (let j = 0; j < 10000; j++) s += 'a';
    if (s.length === 1) throw new Error('never'); iterations++; }
  return iterations; }"""
BENCHMARK_NO_GC = """() => { const arrA = [], arrB = []; for (let i = 0; i < 100000; i++) arrA[i] = arrB[i] = i;
  const start = Date.now(); let iterations = 0;
  while (iterations % 10 !== 0 || Date.now() - start < 500) {
    const src = iterations % 2 === 0 ? arrA : arrB; const tgt = iterations % 2 === 0 ? arrB : arrA;
    for (let j = 0; j < src.length; j++) tgt[j] = src[j]; iterations++; }
  return iterations; }"""


def benchmark_index(parts: list[tuple[int, float]]) -> float:
    """Lighthouse's benchmarkIndex from ``(iterations, seconds)`` of its two loops: the mean of iterations / 10 / seconds."""
    return sum(round(iterations / 10 / seconds) for iterations, seconds in parts) / len(parts)


def index_without_pauses(evaluate, clock, paused) -> tuple[float, float]:
    """Run Lighthouse's benchmark in a browser page and return its index with and without the host's pauses.

    ``evaluate(js)`` runs a function in the page and returns its result, ``clock()`` is the clock of
    ``paused(start, end)`` (``pauses.RECORDER``). Each loop runs 500 ms by the clock; a pause inside
    it leaves fewer iterations, so the index with pauses is lower than the machine's speed.
    """
    measured, unpaused = [], []
    for js in (BENCHMARK_GC, BENCHMARK_NO_GC):
        start = clock()
        iterations = evaluate(js)
        end = clock()
        measured.append((iterations, end - start))
        unpaused.append((iterations, max(end - start - paused(start, end), 1e-3)))
    return benchmark_index(measured), benchmark_index(unpaused)
