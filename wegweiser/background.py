"""Build steps that run in a forked child process while MkDocs goes on rendering pages.

MkDocs builds one page after the other on one core. Two kinds of Wegweiser's work are not needed
by the pages MkDocs renders next, so on a machine with a second core they run in a child process
forked from the build:

- the content checks, while the German pages render (``hooks/gate.py`` collects their findings
  with ``result()`` before the other languages are built);
- after each language, its embeds, print views (with QR codes), open data and search index, while
  the next language renders (``hooks/outputs.py``). Nothing reads them until the site-wide files
  at the very end (the service worker's version hash, the security headers' scan of every page):
  ``wait()`` collects every child before those are written.

A failed step still fails the build: a one-line message (``file:line: ...`` for a broken
template) and the traceback for ``mkdocs build --verbose``.

``WEGWEISER_JOBS`` sets how many children may run at once (default: the cores beyond the first);
``WEGWEISER_JOBS=0`` runs every step in the build process itself, one after the other.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable
from dataclasses import dataclass


def default_jobs() -> int:
    """Children at once: ``WEGWEISER_JOBS``, else one per core beyond the first (0 without ``fork``)."""
    value = os.environ.get("WEGWEISER_JOBS", "").strip()
    if value.isdigit():
        return int(value)
    if "fork" not in multiprocessing.get_all_start_methods():
        return 0
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(0, cores - 1)


@dataclass
class Failure:
    """A step that failed in a child: what it was, a one-line message, the traceback."""

    label: str
    message: str
    details: str = ""

    def format(self) -> str:
        """``label: message``, one line."""
        return f"{self.label}: {self.message}"


class StepFailed(Exception):
    """A step that ran in a child failed; ``failure`` says how."""

    def __init__(self, failure: Failure):
        super().__init__(failure.format())
        self.failure = failure


@dataclass
class Job:
    """One step: running in a child (``process``), or finished with ``value`` or ``failure``."""

    label: str
    process: multiprocessing.process.BaseProcess | None = None
    reader: object = None  # the parent's end of the pipe
    value: object = None
    failure: Failure | None = None


def describe(exc: BaseException) -> str:
    """One line for an error: ``file:line: Type: message`` when it names a place (a template's line)."""
    text = f"{type(exc).__name__}: {str(exc).strip() or repr(exc)}"
    filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if filename and os.path.isabs(filename) and not os.path.relpath(filename).startswith(".."):
        filename = os.path.relpath(filename)  # as the editor sees it from the project folder
    if filename and line:
        return f"{filename}:{line}: {text}"
    return f"{filename}: {text}" if filename else text


def _child(writer, step: Callable[..., object], args: tuple) -> None:
    """Run ``step`` and send ``("value", its result)`` or ``("failure", line, traceback)`` to the parent."""
    try:
        value = step(*args)
    except BaseException as exc:  # everything reaches the parent as text; the child only exits
        writer.send(("failure", describe(exc), traceback.format_exc()))
        writer.close()
        os._exit(1)
    writer.send(("value", value))
    writer.close()


class Background:
    """Runs steps in forked children, at most ``jobs`` at once; ``jobs=0`` runs them right away."""

    def __init__(self, jobs: int | None = None):
        self.jobs = default_jobs() if jobs is None else jobs
        self.running: list[Job] = []
        self.errors: list[Failure] = []

    def run(self, label: str, step: Callable[..., object], *args: object) -> Job:
        """Run ``step(*args)`` in a child (or here when children are off); ``label`` names it in errors.

        Without children, the step's errors go to the caller as they are.
        """
        if self.jobs <= 0:
            return Job(label, value=step(*args))
        while len(self.running) >= self.jobs:
            self._collect(self.running[0])
        ctx = multiprocessing.get_context("fork")
        reader, writer = ctx.Pipe(duplex=False)
        process = ctx.Process(target=_child, args=(writer, step, args), name=f"wegweiser: {label}", daemon=True)
        process.start()
        writer.close()
        job = Job(label, process, reader)
        self.running.append(job)
        return job

    def _collect(self, job: Job) -> None:
        try:
            sent = job.reader.recv()
        except EOFError:  # the child died without a word (killed, out of memory)
            sent = None
        job.process.join()
        job.reader.close()
        self.running.remove(job)
        if sent and sent[0] == "value":
            job.value = sent[1]
            return
        if sent:
            job.failure = Failure(job.label, *sent[1:])
        else:
            job.failure = Failure(job.label, f"the process ended without finishing (exit code {job.process.exitcode})")
        self.errors.append(job.failure)

    def result(self, job: Job) -> object:
        """The step's result, once its child is done; ``StepFailed`` if it failed (then not in ``wait()``)."""
        if job in self.running:
            self._collect(job)
        if job.failure is not None:
            if job.failure in self.errors:
                self.errors.remove(job.failure)
            raise StepFailed(job.failure)
        return job.value

    def wait(self) -> list[Failure]:
        """Wait for every child; return the failures and forget them."""
        while self.running:
            self._collect(self.running[0])
        errors, self.errors = self.errors, []
        return errors
