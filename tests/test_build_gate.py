"""Real ``mkdocs build --strict`` runs on the fixture site: the gate stops bad content."""

from __future__ import annotations

import pytest
from conftest import run_build

pytestmark = pytest.mark.build


def test_good_site_builds(site_dir):
    result = run_build(site_dir)
    assert result.returncode == 0, result.stderr
    assert (site_dir / "site" / "ar" / "anmeldung" / "index.html").exists()


# Tuples of: file to edit, text to replace, replacement, the exact line the build must print.
BROKEN = [
    (
        "anmeldung.ar.md",
        "!!! consequence\n    يمكن للمدينة أن تفرض غرامة.\n",
        "",
        "docs/anmeldung.ar.md:16:1: error [Structure.Consequence] step 'termin' has no consequence: add a '!!! consequence' block with indented text",
    ),
    (
        "anmeldung.md",
        "!!! benefit\n    Sie finden sie schnell.\n",
        "",
        "docs/anmeldung.md:36:1: error [Structure.Benefit] step 'aufheben' has no benefit: add a '!!! benefit' block with indented text",
    ),
    (
        "anmeldung.md",
        "reviewed: 2026-01-10",
        "reviewed: 2026-13-01",
        "docs/anmeldung.md:7:1: error [FrontMatter.Reviewed] reviewed date '2026-13-01' is not a valid date; use YYYY-MM-DD",
    ),
    (
        "anmeldung.en.md",
        "{#aufheben}",
        "{#keep}",
        "docs/anmeldung.en.md:26:1: error [Translation.ExtraStep] step 'keep' does not exist in the German guide",
    ),
    (
        "anmeldung.md",
        "office: meldebehoerde",
        "office: rathaus",
        "docs/anmeldung.md:14:1: error [Facts.Office] step 'termin': unknown office 'rathaus'; add it to data/offices.yml",
    ),
    (
        "anmeldung.md",
        "title: Wohnung anmelden\n",
        "title: [kaputt\n",
        "docs/anmeldung.md:4:1: error [FrontMatter.YAML] front matter is not valid YAML:",
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "expected"), BROKEN, ids=[b[3].split("[")[1].split("]")[0] for b in BROKEN])
def test_broken_content_fails_build_with_file_and_line(site_dir, name, old, new, expected):
    path = site_dir / "docs" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    result = run_build(site_dir)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert expected in output
    assert "Traceback" not in output


def test_all_problems_of_all_languages_in_one_run(site_dir):
    for name, block in (
        ("anmeldung.en.md", "!!! consequence\n    The city can ask for a fine.\n"),
        ("anmeldung.ar.md", "!!! consequence\n    يمكن للمدينة أن تفرض غرامة.\n"),
    ):
        path = site_dir / "docs" / name
        path.write_text(path.read_text(encoding="utf-8").replace(block, ""), encoding="utf-8")
    result = run_build(site_dir)
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "docs/anmeldung.en.md:16:1: error [Structure.Consequence]" in output
    assert "docs/anmeldung.ar.md:16:1: error [Structure.Consequence]" in output
    assert "2 content error(s)" in output


def test_bom_and_crlf_are_valid(site_dir):
    path = site_dir / "docs" / "anmeldung.md"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    result = run_build(site_dir)
    assert result.returncode == 0, result.stdout + result.stderr
