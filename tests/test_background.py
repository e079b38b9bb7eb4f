"""Build steps in forked children: results, failures, limits (wegweiser/background.py)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import jinja2
import pytest

from wegweiser.background import Background, default_jobs, describe


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def fail(message: str) -> None:
    raise ValueError(message)


def test_a_child_writes_its_files_and_wait_collects_it(tmp_path):
    work = Background(jobs=1)
    work.run("first", write, tmp_path / "a.txt", "from a child")
    assert work.running and work.running[0].process.pid != os.getpid()
    assert work.wait() == []
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "from a child"
    assert not work.running


def test_no_jobs_runs_the_step_here_and_errors_reach_the_caller(tmp_path):
    work = Background(jobs=0)
    work.run("here", write, tmp_path / "b.txt", "inline")
    assert (tmp_path / "b.txt").exists() and not work.running
    with pytest.raises(ValueError, match="broken"):
        work.run("here", fail, "broken")


def test_a_failing_child_is_reported_with_its_label_message_and_traceback():
    work = Background(jobs=2)
    work.run("outputs of language 'ar'", fail, "no such guide")
    work.run("outputs of language 'en'", time.sleep, 0)
    failures = work.wait()
    assert [f.format() for f in failures] == ["outputs of language 'ar': ValueError: no such guide"]
    assert "Traceback" in failures[0].details and "in fail" in failures[0].details
    assert work.wait() == []  # reported once


def test_a_child_that_dies_is_a_failure_too():
    work = Background(jobs=1)
    work.run("killed", os._exit, 3)
    (failure,) = work.wait()
    assert failure.label == "killed" and "exit code 3" in failure.message


def test_at_most_jobs_children_run_at_once(tmp_path):
    work = Background(jobs=1)
    work.run("slow", time.sleep, 0.3)
    first = work.running[0].process
    work.run("next", write, tmp_path / "c.txt", "after")  # waits for the first child before it starts
    assert first.exitcode == 0 and len(work.running) == 1
    assert work.wait() == []


def test_a_broken_template_is_named_by_file_and_line(tmp_path, monkeypatch):
    (tmp_path / "embed.html").write_text("<p>\n{% if %}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)))
    with pytest.raises(jinja2.TemplateSyntaxError) as info:
        env.get_template("embed.html")
    assert describe(info.value).startswith("embed.html:2: TemplateSyntaxError: ")
    assert describe(KeyError("x")) == "KeyError: 'x'"


def test_jobs_follow_the_environment_variable(monkeypatch):
    monkeypatch.setenv("WEGWEISER_JOBS", "0")
    assert default_jobs() == 0 and Background().jobs == 0
    monkeypatch.setenv("WEGWEISER_JOBS", "3")
    assert default_jobs() == 3
    monkeypatch.delenv("WEGWEISER_JOBS")
    assert default_jobs() == len(os.sched_getaffinity(0)) - 1


def test_a_childs_result_comes_back_and_its_failure_is_raised_once():
    work = Background(jobs=1)
    job = work.run("sum", sum, [1, 2, 3])
    assert work.result(job) == 6
    broken = work.run("checks", fail, "cannot read docs/")
    with pytest.raises(Exception) as info:
        work.result(broken)
    assert type(info.value).__name__ == "StepFailed" and "checks: ValueError: cannot read docs/" in str(info.value)
    assert work.wait() == []  # raised to the caller: not reported a second time
    here = Background(jobs=0)
    assert here.result(here.run("inline", sum, [4, 5])) == 9
