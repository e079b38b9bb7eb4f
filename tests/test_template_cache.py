"""The on-disk cache of compiled Jinja templates: same output, never a failed build."""

from __future__ import annotations

import jinja2

from wegweiser import template_cache


def env_with(cache, folder):
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), bytecode_cache=cache)


def test_cached_templates_render_the_same_and_follow_source_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("WEGWEISER_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "t.html").write_text("Hallo {{ name }}!", encoding="utf-8")
    first = env_with(template_cache.bytecode_cache(), tmp_path).get_template("t.html").render(name="Welt")
    assert list((tmp_path / "cache" / "jinja").iterdir()), "nothing was cached"
    again = env_with(template_cache.bytecode_cache(), tmp_path).get_template("t.html").render(name="Welt")
    assert first == again == "Hallo Welt!"
    (tmp_path / "t.html").write_text("Guten Tag {{ name }}!", encoding="utf-8")
    assert env_with(template_cache.bytecode_cache(), tmp_path).get_template("t.html").render(name="Welt") == "Guten Tag Welt!"


def test_damaged_cache_entries_are_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("WEGWEISER_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "t.html").write_text("{{ 1 + 1 }}", encoding="utf-8")
    env_with(template_cache.bytecode_cache(), tmp_path).get_template("t.html")
    for entry in (tmp_path / "cache" / "jinja").iterdir():
        entry.write_bytes(entry.read_bytes()[:20])  # cut off in the middle
    assert env_with(template_cache.bytecode_cache(), tmp_path).get_template("t.html").render() == "2"


def test_unusable_cache_folder_means_no_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("WEGWEISER_CACHE_DIR", str(blocker))  # a file, not a folder
    assert template_cache.bytecode_cache() is None
    (tmp_path / "t.html").write_text("ok", encoding="utf-8")
    assert env_with(None, tmp_path).get_template("t.html").render() == "ok"
