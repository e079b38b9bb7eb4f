"""The parser: a guide becomes steps with benefit, consequence and line numbers."""

from wegweiser.model import parse_page, split_name, text_hash

GUIDE = """---
kind: guide
title: T
facts:
  a: {}
---

# Titel

Einleitung.

## Erster Schritt {#a}

Text.

!!! benefit
    Vorteil.

!!! consequence
    Folge
    in zwei Zeilen.

```
## kein Schritt {#code}
```
"""


def test_parse_guide_into_steps_with_lines():
    page = parse_page("docs/x.md", GUIDE, "x", "de")
    assert page.kind == "guide"
    assert page.title == "Titel" and page.title_line == 8
    assert [(s.id, s.title, s.line) for s in page.steps] == [("a", "Erster Schritt", 12)]
    step = page.steps[0]
    assert [(b.kind, b.line, b.text) for b in step.blocks] == [("benefit", 16, "Vorteil."), ("consequence", 19, "Folge\nin zwei Zeilen.")]
    assert page.line_of("facts", "a") == 5


def test_headings_in_code_are_not_steps():
    page = parse_page("docs/x.md", GUIDE, "x", "de")
    assert "code" not in [s.id for s in page.steps]


def test_hash_ignores_whitespace_but_not_words():
    assert text_hash("Gehen Sie\n  zum Amt.") == text_hash("Gehen Sie zum Amt.")
    assert text_hash("Gehen Sie zum Amt.") != text_hash("Gehen Sie zur Stadt.")


def test_step_hash_unchanged_by_front_matter():
    other = GUIDE.replace("title: T", "title: Neu\norder: 3")
    a = parse_page("docs/x.md", GUIDE, "x", "de").steps[0]
    b = parse_page("docs/x.md", other, "x", "de").steps[0]
    assert a.text_hash == b.text_hash


def test_split_name():
    langs = ["de", "en", "ar"]
    assert split_name("anmeldung.md", langs) == ("anmeldung", "de")
    assert split_name("anmeldung.ar.md", langs) == ("anmeldung", "ar")
    assert split_name("anmeldung.xx.md", langs) == ("anmeldung", "xx")
    assert split_name("bild.png", langs) is None


def test_bad_yaml_is_a_finding_with_line():
    page = parse_page("docs/x.md", "---\nkind: guide\ntitle: [unclosed\n---\n# T\n", "x", "de")
    assert page.findings[0].format().startswith("docs/x.md:")
    assert "front matter is not valid YAML" in page.findings[0].message


def test_dates_stay_text_so_bad_dates_do_not_crash():
    page = parse_page("docs/x.md", "---\nreviewed: 2026-02-30\n---\n# T\n", "x", "de")
    assert page.meta["reviewed"] == "2026-02-30"


def test_loading_the_site_again_reuses_only_unchanged_pages(tmp_path, monkeypatch):
    """The live preview loads the site after every save: a file with the same bytes keeps its parsed page."""
    from conftest import make_site

    from wegweiser.config import load_project
    from wegweiser.site import load_site

    root = make_site(tmp_path / "p")
    monkeypatch.chdir(root)
    first = load_site(load_project(root))
    src = root / "docs" / "anmeldung.md"
    src.write_text(src.read_text(encoding="utf-8").replace("Gehen Sie zum Bürgeramt.", "Gehen Sie bald zum Bürgeramt."), encoding="utf-8")
    second = load_site(load_project(root))
    assert second.page("anmeldung", "en") is first.page("anmeldung", "en")
    assert second.source("anmeldung") is not first.source("anmeldung")
    assert "bald" in second.source("anmeldung").step("termin").text
