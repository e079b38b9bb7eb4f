"""A corpus of broken content and configuration: each case has its exact message, never a traceback."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, make_site, run_build

GOOD = (FIXTURES / "minimal" / "docs" / "anmeldung.md").read_text(encoding="utf-8")
GOOD_EN = (FIXTURES / "minimal" / "docs" / "anmeldung.en.md").read_text(encoding="utf-8")


def check(root, monkeypatch, capsys) -> tuple[int, str]:
    """Run ``wegweiser check`` in-process (the CLI itself, as ``make check`` does)."""
    from wegweiser.cli import main

    monkeypatch.chdir(root)
    monkeypatch.setenv("WEGWEISER_TODAY", "2026-06-01")
    code = main(["check"])
    out = capsys.readouterr()
    return code, out.out + out.err


# Tuples of: case id, files to write (path -> text or bytes), the exact expected line.
CASES = [
    (
        "malformed-yaml",
        {"docs/anmeldung.md": GOOD.replace("title: Wohnung anmelden", "title: [Wohnung")},
        "docs/anmeldung.md:4:1: error [FrontMatter.YAML] front matter is not valid YAML: expected ',' or ']', but got ':'",
    ),
    (
        "unclosed-front-matter",
        {"docs/anmeldung.md": "---\nkind: guide\ntitle: x\n"},
        "docs/anmeldung.md:1:1: error [FrontMatter.Unclosed] front matter starts with '---' but never ends",
    ),
    (
        "front-matter-not-mapping",
        {"docs/anmeldung.md": "---\n- a\n- b\n---\n# T\n"},
        "docs/anmeldung.md:2:1: error [FrontMatter.Type] front matter must be a mapping of keys to values",
    ),
    (
        "wrong-type-audience",
        {"docs/anmeldung.md": GOOD.replace("audience: [alle]", "audience: alle")},
        "docs/anmeldung.md:5:1: error [FrontMatter.Missing] front matter 'audience' must be a list, for example [alle]",
    ),
    (
        "wrong-type-facts",
        {"docs/anmeldung.md": GOOD.replace("facts:\n", "facts: [termin]\nxfacts:\n")},
        "docs/anmeldung.md:10:1: error [Facts.Type] 'facts' must be a mapping of step ids to facts",
    ),
    (
        "wrong-type-duty",
        {"docs/anmeldung.md": GOOD.replace("duty: true", "duty: ja")},
        "docs/anmeldung.md:12:1: error [Facts.Duty] step 'termin': 'duty' must be true or false",
    ),
    (
        "missing-summary",
        {"docs/anmeldung.md": GOOD.replace("summary: Melden Sie Ihre Adresse an.\n", "")},
        "docs/anmeldung.md:1:1: error [FrontMatter.Missing] front matter 'summary' is missing",
    ),
    ("empty-file", {"docs/leer.md": ""}, "docs/leer.md:1:1: error [File.Empty] file is empty; delete it or add front matter and text"),
    (
        "not-utf8",
        {"docs/anmeldung.md": GOOD.replace("Bürgeramt", "B\udcfcrgeramt").encode("utf-8", "surrogateescape")},
        "docs/anmeldung.md:26:1: error [File.Encoding] file is not valid UTF-8; save it as UTF-8",
    ),
    (
        "unknown-language",
        {"docs/anmeldung.xx.md": GOOD_EN},
        "docs/anmeldung.xx.md:1:1: error [File.Language] unknown language 'xx' in file name; use one of: en, ar",
    ),
    (
        "duplicate-step-id",
        {"docs/anmeldung.md": GOOD.replace("{#aufheben}", "{#termin}")},
        "docs/anmeldung.md:36:1: error [Structure.DuplicateId] step id 'termin' is used twice (first at line 26)",
    ),
    (
        "missing-step-id",
        {"docs/anmeldung.md": GOOD.replace(" {#termin}", "")},
        "docs/anmeldung.md:26:1: error [Structure.StepId] step 1 'Beim Bürgeramt anmelden' has no id: write '## Beim Bürgeramt anmelden {#some_id}'",
    ),
    (
        "steps-differ",
        {"docs/anmeldung.en.md": GOOD_EN.replace("{#aufheben}", "{#keep}")},
        "docs/anmeldung.en.md:12:1: error [Translation.MissingStep] step 'aufheben' of the German guide is missing in this translation",
    ),
    (
        "unknown-office",
        {"docs/anmeldung.md": GOOD.replace("office: meldebehoerde", "office: amt")},
        "docs/anmeldung.md:14:1: error [Facts.Office] step 'termin': unknown office 'amt'; add it to data/offices.yml",
    ),
    (
        "unknown-facts-key",
        {"docs/anmeldung.md": GOOD.replace("    duty: true\n", "    duty: true\n    frist: 14\n")},
        "docs/anmeldung.md:13:1: error [Facts.Frist] step 'termin': unknown facts key 'frist'; allowed: duty, deadline, office, documents, cost, legal_basis, consequence_kind",
    ),
    (
        "impossible-date",
        {"docs/anmeldung.md": GOOD.replace("reviewed: 2026-01-10", "reviewed: 2026-02-30")},
        "docs/anmeldung.md:7:1: error [FrontMatter.Reviewed] reviewed date '2026-02-30' is not a valid date; use YYYY-MM-DD",
    ),
    (
        "dangling-link",
        {"docs/index.md": (FIXTURES / "minimal" / "docs" / "index.md").read_text(encoding="utf-8").replace("anmeldung.md", "abmeldung.md")},
        "docs/index.md:10:48: error [Links.Missing] link to 'abmeldung.md' points to no page",
    ),
    (
        "dangling-anchor",
        {"docs/index.md": (FIXTURES / "minimal" / "docs" / "index.md").read_text(encoding="utf-8").replace("anmeldung.md", "anmeldung.md#frist")},
        "docs/index.md:10:48: error [Links.Anchor] link 'anmeldung.md#frist': page 'anmeldung' has no step or section 'frist'",
    ),
    (
        "no-steps",
        {"docs/anmeldung.md": GOOD.split("## Beim")[0]},
        "docs/anmeldung.md:22:1: error [Structure.NoSteps] guide has no steps: add '## Title {#id}' headings",
    ),
    (
        "very-large-file",
        {"docs/gross.md": "---\nkind: page\n---\n" + ("Ein Satz. " * 120_000)},
        "docs/gross.md:1:1: error [File.TooLarge] file is 1200019 bytes, more than 1000000; split the page",
    ),
    (
        "broken-config",
        {"wegweiser.yml": "languages: [\n"},
        "wegweiser.yml:2:1: error [Config.YAML] invalid YAML: expected the node content, but found '<stream end>'",
    ),
    (
        "broken-strings",
        {"data/i18n/en.yml": "labels:\n  benefit: [x\n"},
        "data/i18n/en.yml:3:1: error [Config.YAML] invalid YAML: expected ',' or ']', but got '<stream end>'",
    ),
]


@pytest.mark.parametrize(("case", "files", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_gives_file_line_message(tmp_path, monkeypatch, capsys, case, files, expected):
    root = make_site(tmp_path / "p")
    for name, content in files.items():
        target = root / name
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    code, output = check(root, monkeypatch, capsys)
    assert code == 1, output
    assert expected in output.splitlines(), output
    assert "Traceback" not in output


@pytest.mark.build
@pytest.mark.parametrize("case", ["not-utf8", "broken-config", "empty-file"])
def test_bad_input_in_a_real_build(tmp_path, case):
    files, expected = next((c[1], c[2]) for c in CASES if c[0] == case)
    root = make_site(tmp_path / "p")
    for name, content in files.items():
        (root / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = run_build(root)
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert expected in output
    assert "Traceback" not in output
