"""The live preview's reuse of unchanged work (wegweiser/preview_cache.py) changes no byte of the site.

Rebuilds run in a child process exactly as ``mkdocs serve --dirty`` runs them: the hooks start in
preview mode, the site folder is kept between rebuilds, and one German sentence changes between
them. The result must equal a fresh preview build without any cache, and only the changed pages may
be converted from Markdown again. The Jinja environment is reused until an own template changes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time

from conftest import ROOT, make_site

REBUILDS = textwrap.dedent(
    """
    import json, sys, tempfile
    from pathlib import Path
    sys.argv = [sys.argv[0], "--dirty"]  # static-i18n reads the flag for its language builds
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from wegweiser import preview_cache
    from wegweiser.preview import preview_config

    URL = "http://127.0.0.1:8000/"
    config_file = str(preview_config(Path("mkdocs.yml").resolve()))

    def rebuild(site, dirty, startup=False):
        config = load_config(config_file=config_file, site_dir=site)
        if startup:
            config.plugins.on_startup(command="serve", dirty=dirty)
        config.site_url = URL
        build(config, serve_url=URL, dirty=dirty)

    def files(site):
        return {p.relative_to(site).as_posix(): p.read_bytes() for p in Path(site).rglob("*") if p.is_file()}

    converted = []
    kept = tempfile.mkdtemp()
    rebuild(kept, True, startup=True)  # the hooks install the caches in preview mode
    assert preview_cache._original_render is not None, "the preview did not install the page cache"
    original = preview_cache._original_render
    preview_cache._original_render = lambda page, config, files: (converted.append(page.file.src_uri), original(page, config, files))[1]
    rebuild(kept, True)
    unchanged = list(converted)
    guide = Path("docs/anmeldung.md")
    guide.write_text(guide.read_text(encoding="utf-8").replace("Gehen Sie zum Bürgeramt.", "Gehen Sie bitte zum Bürgeramt."), encoding="utf-8")
    converted.clear()
    rebuild(kept, True)
    after_edit = list(converted)
    envs_before = len(preview_cache._ENVS)
    rebuild(kept, True)
    envs_reused = len(preview_cache._ENVS) == envs_before  # nothing changed: the same environment
    template = Path("overrides/main.html")
    template.write_text(template.read_text(encoding="utf-8").replace('<meta charset="utf-8">', '<meta charset="utf-8"><meta name="ww-test" content="edited">', 1), encoding="utf-8")
    rebuild(kept, True)
    preview_cache.uninstall()
    fresh = tempfile.mkdtemp()
    rebuild(fresh, False)
    a, b = files(kept), files(fresh)
    print("RESULT " + json.dumps({
        "unchanged": unchanged,
        "after_edit": sorted(after_edit),
        "only_kept": sorted(set(a) - set(b)),
        "only_fresh": sorted(set(b) - set(a)),
        "differ": sorted(k for k in set(a) & set(b) if a[k] != b[k]),
        "files": len(b),
        "edited": "Gehen Sie bitte zum Bürgeramt." in a.get("anmeldung/index.html", b"").decode("utf-8"),
        "template_edited": 'content="edited"' in a.get("anmeldung/index.html", b"").decode("utf-8"),
        "envs_reused": envs_reused,
    }))
    """
)


def test_preview_rebuilds_reuse_unchanged_pages_and_match_a_fresh_build(tmp_path):
    root = make_site(tmp_path / "proj")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", WEGWEISER_TODAY="2026-06-01", PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", REBUILDS], cwd=root, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    assert result["unchanged"] == [], "a rebuild without any change converted pages again"
    # The German guide changed; its translations get an "outdated" notice: only anmeldung pages.
    assert result["after_edit"] and all(uri.startswith("anmeldung") for uri in result["after_edit"]), result["after_edit"]
    assert result["edited"], "the preview does not show the edit"
    assert result["envs_reused"], "a rebuild without changes made a new Jinja environment"
    assert result["template_edited"], "the preview kept an old template after overrides/main.html changed"
    assert result["files"] > 20
    assert result["only_kept"] == [] and result["only_fresh"] == [], result
    assert result["differ"] == [], f"reused work changed these files: {result['differ']}"


def test_theme_files_are_listed_as_mkdocs_lists_them(tmp_path):
    """The preview's cached theme listing adds the same files, in the same order, as MkDocs."""
    root = make_site(tmp_path / "proj")
    script = textwrap.dedent(
        """
        from mkdocs.config import load_config
        from mkdocs.structure.files import get_files
        from wegweiser.preview_cache import add_theme_files
        config = load_config(config_file="mkdocs.yml")
        env = config.theme.get_env()
        ours, theirs = get_files(config), get_files(config)
        theirs.add_files_from_theme(env, config)
        add_theme_files(ours, env, config)
        again = get_files(config)
        add_theme_files(again, env, config)  # from the cache
        key = lambda files: [(f.src_uri, f.abs_src_path, f.dest_uri) for f in files]
        print(len(key(theirs)), key(ours) == key(theirs), key(again) == key(theirs))
        """
    )
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", script], cwd=root, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    count, same, same_again = done.stdout.split()[-3:]
    assert int(count) > 50 and same == "True" and same_again == "True"


def test_preview_learns_about_saves_from_file_events_unless_told_to_poll(tmp_path, monkeypatch):
    """``use_file_events`` moves MkDocs' watched paths from its polling observer to an event observer."""
    import watchdog.observers
    from mkdocs.livereload import LiveReloadServer
    from watchdog.observers.polling import PollingObserver

    from wegweiser import preview_cache

    def server():
        s = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
        s.watch(str(tmp_path))
        s.watch(str(tmp_path))  # watched twice: MkDocs counts references
        (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
        s.watch(str(tmp_path / "mkdocs.yml"))
        return s

    monkeypatch.delenv(preview_cache.POLL_ENV, raising=False)
    events = preview_cache.use_file_events(server())
    assert isinstance(events.observer, watchdog.observers.Observer) and not isinstance(events.observer, PollingObserver)
    assert events._watched_paths == {str(tmp_path): 2, str(tmp_path / "mkdocs.yml"): 1}
    assert len(events._watch_refs) == 2

    events.observer.start()
    try:
        (tmp_path / "guide.md").write_text("# Neu\n", encoding="utf-8")
        for _ in range(300):  # MkDocs' own callback sets the flag its build loop waits for
            if events._want_rebuild:
                break
            time.sleep(0.05)
    finally:
        events.observer.stop()
        events.observer.join()
    assert events._want_rebuild, "saving a file did not reach the preview"

    monkeypatch.setenv(preview_cache.POLL_ENV, "1")
    polling = preview_cache.use_file_events(server())
    assert isinstance(polling.observer, PollingObserver)
