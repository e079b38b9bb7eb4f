"""When did the German text of a step last change? Read from git history, so editors record nothing.

For a German page ``docs/<slug>.md`` the commits that touched it are listed (``git log
--first-parent``: the date a change reached the branch), every revision is parsed with the
project's own parser (``model.parse_page``), and a step's change date is the date of the oldest
commit in the unbroken run of revisions, back from the newest, in which the step has its current
hash (``Step.text_hash``, blind to whitespace). So a fact check that only changes ``reviewed``, a
change of another step or a re-wrapped line does not move the date.

- The working file differs from the last commit in that step (or is not committed yet): today
  (``clock.today``), the date the change is being made.
- No git, not a repository, a file outside it, or a shallow clone whose history does not reach
  the change: ``None``; the caller falls back to the page's ``reviewed`` date. Never raises.

Costs: three git calls per German file (``rev-parse``, ``log``, ``cat-file --batch`` for every
revision at once), cached per (file, HEAD commit) for the life of the process; the HEAD commit is
looked up again only when git's HEAD, ref or reflog files change, so a live preview notices a new
commit and a build asks git once per repository.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from .clock import today
from .model import normalise, parse_page

MAX_REVISIONS = 300
"""Revisions read per file; an older change falls back like a shallow clone."""
TIMEOUT = 30


@dataclass(frozen=True)
class _Repo:
    """A git work tree: its top folder, HEAD commit and whether the clone is shallow."""

    top: Path
    head: str
    shallow: bool


@dataclass(frozen=True)
class FileHistory:
    """The step hashes of every committed revision of one file, newest first."""

    revisions: tuple[tuple[str, dict[str, str]], ...]
    """``(commit date YYYY-MM-DD, {step id: text hash})`` per revision."""
    complete: bool
    """False when older revisions may exist that were not read (shallow clone, limit reached)."""


_repos: dict[Path, tuple[tuple, _Repo | None]] = {}
_files: dict[tuple[Path, str], FileHistory | None] = {}


def step_change_date(file: Path, step_id: str, current_hash: str) -> str | None:
    """Return the date (YYYY-MM-DD) since which step ``step_id`` of ``file`` has ``current_hash``.

    Arguments:
        file: the German source file.
        step_id: the step (or section) id.
        current_hash: the step's hash in the working file (``Step.text_hash``).

    Returns:
        The commit date, today for an uncommitted change, or None when git cannot tell.

    """
    history = file_history(Path(file))
    if history is None:
        return None
    since = None
    for date, hashes in history.revisions:
        if hashes.get(step_id) != current_hash:
            break
        since = date
    else:
        if history.revisions and not history.complete:
            return None  # the step is unchanged as far back as we can see: the change is older
    return since or today().isoformat()


def file_history(file: Path) -> FileHistory | None:
    """The committed revisions of ``file`` (cached per file and HEAD commit), or None without git."""
    file = file.resolve()
    repo = _repo(file.parent)
    if repo is None:
        return None
    key = (file, repo.head)
    if key not in _files:
        _files[key] = _read_history(file, repo)
    return _files[key]


def clear_cache() -> None:
    """Forget every cached repository and file history (for tests)."""
    _repos.clear()
    _files.clear()


def _git(args: list[str], cwd: Path, stdin: bytes | None = None) -> bytes | None:
    """Run git; return its output, or None when git is missing or fails."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def _token(folder: Path) -> tuple:
    """Stat of the files that change when HEAD moves (commit, checkout, reset, fetch into HEAD)."""
    git = None
    for parent in (folder, *folder.parents):
        if (parent / ".git").exists():
            git = parent / ".git"
            break
    if git is None:
        return ("no .git",)
    if git.is_file():  # a linked work tree or submodule: "gitdir: <path>"
        try:
            text = git.read_text(encoding="utf-8").strip()
        except OSError:
            return ("unreadable",)
        git = (git.parent / text.removeprefix("gitdir:").strip()).resolve()
    out: list = [str(git)]
    head = git / "HEAD"
    try:
        ref = head.read_text(encoding="utf-8").strip()
    except OSError:
        ref = ""
    out.append(ref)
    names = ["HEAD", "logs/HEAD", "packed-refs", "shallow"]
    if ref.startswith("ref:"):
        names.append(ref[4:].strip())
    for name in names:
        try:
            st = (git / name).stat()
            out.append((name, st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((name, None))
    return tuple(out)


def _repo(folder: Path) -> _Repo | None:
    """The repository ``folder`` is in, re-read from git only when its HEAD may have moved."""
    token = _token(folder)
    cached = _repos.get(folder)
    if cached is not None and cached[0] == token:
        return cached[1]
    repo = None
    out = _git(["rev-parse", "--show-toplevel", "--is-shallow-repository", "--verify", "HEAD"], folder)
    if out is not None:
        lines = out.decode("utf-8", "replace").split("\n")
        if len(lines) >= 3 and lines[2].strip():
            repo = _Repo(Path(lines[0]).resolve(), lines[2].strip(), lines[1].strip() == "true")
    _repos[folder] = (token, repo)
    return repo


def _read_history(file: Path, repo: _Repo) -> FileHistory | None:
    """List and parse the revisions of ``file`` in ``repo``."""
    try:
        rel = file.relative_to(repo.top).as_posix()
    except ValueError:
        return None
    log = _git(["log", "--first-parent", f"-n{MAX_REVISIONS + 1}", "--format=%H %cs", repo.head, "--", rel], repo.top)
    if log is None:
        return None
    commits = [line.split(" ", 1) for line in log.decode("ascii", "replace").split("\n") if " " in line]
    complete = not repo.shallow and len(commits) <= MAX_REVISIONS
    commits = commits[:MAX_REVISIONS]
    if not commits:
        return FileHistory((), complete)
    blobs = _git(["cat-file", "--batch"], repo.top, "".join(f"{sha}:{rel}\n" for sha, _ in commits).encode())
    if blobs is None:
        return None
    try:
        return _parse_revisions(blobs, commits, rel, complete)
    except (ValueError, IndexError):
        return None  # output we do not understand: fall back, never crash


def _parse_revisions(blobs: bytes, commits: list[list[str]], rel: str, complete: bool) -> FileHistory:
    """Parse ``git cat-file --batch`` output: one revision of the file per commit, newest first."""
    revisions = []
    pos = 0
    for _sha, date in commits:
        end = blobs.index(b"\n", pos)
        header = blobs[pos:end].split()
        pos = end + 1
        if len(header) != 3:  # "<name> missing": the file did not exist in that commit (deleted there)
            break
        size = int(header[2])
        raw, pos = blobs[pos : pos + size], pos + size + 1
        text, _ = normalise(raw, rel)
        if text is None:
            break
        page = parse_page(rel, text, "", "")
        revisions.append((date, {s.id: s.text_hash for s in page.steps if s.id}))
    else:
        return FileHistory(tuple(revisions), complete)
    return FileHistory(tuple(revisions), True)  # the file starts after the deletion we stopped at
