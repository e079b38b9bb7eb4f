"""Each structure rule: an input snippet and the exact line it must produce."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, make_site

from wegweiser.checks import structure
from wegweiser.config import load_project
from wegweiser.site import load_site

GOOD = (FIXTURES / "minimal" / "docs" / "anmeldung.md").read_text(encoding="utf-8")
GOOD_AR = (FIXTURES / "minimal" / "docs" / "anmeldung.ar.md").read_text(encoding="utf-8")


def findings_for(tmp_path: Path, files: dict[str, str], monkeypatch) -> list[str]:
    """Check a site made of the minimal fixture plus ``files``; return formatted findings."""
    root = make_site(tmp_path / "p")
    for name, text in files.items():
        (root / "docs" / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setenv("WEGWEISER_TODAY", "2026-06-01")
    site = load_site(load_project(root))
    return [f.format() for f in structure.check(site)]


# Tuples of: file name, its text (a change of a good fixture file), the exact expected finding.
CASES = [
    (
        "anmeldung.md",
        GOOD.replace("!!! consequence\n    Die Stadt kann ein Bußgeld verlangen.\n", ""),
        "docs/anmeldung.md:26:1: error [Structure.Consequence] step 'termin' has no consequence: add a '!!! consequence' block with indented text",
    ),
    (
        "anmeldung.ar.md",
        GOOD_AR.replace("!!! consequence\n    يمكن للمدينة أن تفرض غرامة.\n", ""),
        "docs/anmeldung.ar.md:16:1: error [Structure.Consequence] step 'termin' has no consequence: add a '!!! consequence' block with indented text",
    ),
    (
        "anmeldung.md",
        GOOD.replace("!!! benefit\n    Sie finden sie schnell.\n", ""),
        "docs/anmeldung.md:36:1: error [Structure.Benefit] step 'aufheben' has no benefit: add a '!!! benefit' block with indented text",
    ),
    (
        "anmeldung.md",
        GOOD.replace("!!! benefit\n    Sie bekommen eine Meldebestätigung.\n", "!!! benefit\n\n"),
        "docs/anmeldung.md:30:1: error [Structure.Benefit] step 'termin' has an empty benefit: indent its text by 4 spaces",
    ),
    (
        "anmeldung.md",
        GOOD.replace("## Bestätigung aufheben {#aufheben}", "## Bestätigung aufheben"),
        "docs/anmeldung.md:36:1: error [Structure.StepId] step 2 'Bestätigung aufheben' has no id: write '## Bestätigung aufheben {#some_id}'",
    ),
    (
        "anmeldung.md",
        GOOD.replace("{#aufheben}", "{#termin}").replace("  aufheben: {}\n", ""),
        "docs/anmeldung.md:35:1: error [Structure.DuplicateId] step id 'termin' is used twice (first at line 25)",
    ),
    (
        "anmeldung.md",
        GOOD.replace("{#aufheben}", "{#Aufheben-Jetzt}").replace("  aufheben: {}", "  Aufheben-Jetzt: {}"),
        "docs/anmeldung.md:36:1: error [Structure.StepId] step id 'Aufheben-Jetzt' is not ASCII lower case (a-z, 0-9, _)",
    ),
    (
        "anmeldung.ar.md",
        GOOD_AR.replace("{#aufheben}", "{#behalten}"),
        "docs/anmeldung.ar.md:12:1: error [Translation.MissingStep] step 'aufheben' of the German guide is missing in this translation",
    ),
    (
        "anmeldung.ar.md",
        GOOD_AR.replace("{#aufheben}", "{#behalten}"),
        "docs/anmeldung.ar.md:26:1: error [Translation.ExtraStep] step 'behalten' does not exist in the German guide",
    ),
    (
        "anmeldung.ar.md",
        GOOD_AR.replace("{#termin}", "{#tmp}").replace("{#aufheben}", "{#termin}").replace("{#tmp}", "{#aufheben}"),
        "docs/anmeldung.ar.md:16:1: error [Translation.StepOrder] steps are in a different order than in German: expected termin, aufheben",
    ),
    (
        "anmeldung.md",
        GOOD.replace("title: Wohnung anmelden\n", ""),
        "docs/anmeldung.md:1:1: error [FrontMatter.Missing] front matter 'title' is missing",
    ),
    (
        "anmeldung.md",
        GOOD.replace("summary: Melden Sie Ihre Adresse an.", "summary: ''"),
        "docs/anmeldung.md:4:1: error [FrontMatter.Missing] front matter 'summary' is empty",
    ),
    (
        "anmeldung.md",
        GOOD.replace("sources:\n  - https://www.gesetze-im-internet.de/bmg/__17.html\n", ""),
        "docs/anmeldung.md:1:1: error [Sources.Missing] front matter 'sources' is missing: list the official sources of the facts",
    ),
    (
        "anmeldung.md",
        GOOD.replace("reviewed: 2026-01-10", "reviewed: 2026-02-30"),
        "docs/anmeldung.md:7:1: error [FrontMatter.Reviewed] reviewed date '2026-02-30' is not a valid date; use YYYY-MM-DD",
    ),
    (
        "anmeldung.md",
        GOOD.replace("reviewed: 2026-01-10", "reviewed: gestern"),
        "docs/anmeldung.md:7:1: error [FrontMatter.Reviewed] reviewed date 'gestern' is not a valid date; use YYYY-MM-DD",
    ),
    (
        "anmeldung.md",
        GOOD.replace("reviewed: 2026-01-10", "reviewed: 2027-01-10"),
        "docs/anmeldung.md:7:1: error [FrontMatter.Reviewed] reviewed date 2027-01-10 lies in the future",
    ),
    (
        "anmeldung.md",
        GOOD.replace("# Wohnung anmelden\n", "# Wohnung anmelden\n\n!!! benefit\n    Zu früh.\n"),
        "docs/anmeldung.md:24:1: error [Structure.OutsideStep] '!!! benefit' block stands outside any step; move it below a '## ... {#id}' heading",
    ),
    (
        "anmeldung.md",
        GOOD.replace("office: meldebehoerde", "office: rathaus"),
        "docs/anmeldung.md:14:1: error [Facts.Office] step 'termin': unknown office 'rathaus'; add it to data/offices.yml",
    ),
    (
        "anmeldung.md",
        GOOD.replace("    consequence_kind: fine\n", "    consequence_kind: fine\n    fee: 10\n"),
        "docs/anmeldung.md:19:1: error [Facts.Fee] step 'termin': unknown facts key 'fee'; allowed: duty, deadline, office, documents, cost, legal_basis, consequence_kind",
    ),
    (
        "anmeldung.md",
        GOOD.replace("  aufheben: {}", "  aufheben: {}\n  abmelden: {}"),
        "docs/anmeldung.md:20:1: error [Facts.UnknownStep] facts for unknown step 'abmelden'; steps are: termin, aufheben",
    ),
    (
        "anmeldung.md",
        GOOD.replace("documents: [passport]", "documents: [passport, visa]"),
        "docs/anmeldung.md:15:1: error [Facts.Documents] step 'termin': unknown document 'visa'; add it to data/facts.yml",
    ),
    (
        "anmeldung.md",
        GOOD.replace("{weeks: 2, after: move_in}", "{weeks: 2, after: einzug}"),
        "docs/anmeldung.md:13:1: error [Facts.Deadline] step 'termin': unknown deadline event 'einzug'; add it to data/facts.yml",
    ),
    (
        "anmeldung.md",
        GOOD.replace('{law: BMG, section: "17"}', '{law: MeldeG, section: "17"}'),
        "docs/anmeldung.md:17:1: error [Facts.LegalBasis] step 'termin': unknown law 'MeldeG'; add it to data/laws.yml",
    ),
    (
        "anmeldung.md",
        GOOD.replace("  aufheben: {}\n", ""),
        "docs/anmeldung.md:35:1: error [Facts.Missing] step 'aufheben' has no entry under 'facts' (use {} when no fact applies)",
    ),
    (
        "anmeldung.md",
        GOOD.split("## Beim")[0],
        "docs/anmeldung.md:22:1: error [Structure.NoSteps] guide has no steps: add '## Title {#id}' headings",
    ),
    (
        "anmeldung.fr.md",
        GOOD_AR,
        "docs/anmeldung.fr.md:1:1: error [File.Language] unknown language 'fr' in file name; use one of: en, ar",
    ),
    (
        "neu.en.md",
        GOOD_AR,
        "docs/neu.en.md:1:1: error [Translation.NoSource] translation has no German source file docs/neu.md",
    ),
]


@pytest.mark.parametrize(("name", "text", "expected"), CASES, ids=[c[2].split("] ")[0].split("[")[1] + "-" + c[0] for c in CASES])
def test_rule_reports_exact_line(tmp_path, monkeypatch, name, text, expected):
    from wegweiser.checks import run_all

    root = make_site(tmp_path / "p")
    (root / "docs" / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setenv("WEGWEISER_TODAY", "2026-06-01")
    found = [f.format() for f in run_all(load_site(load_project(root)))]
    assert expected in found, "\n".join(found)


def test_good_fixture_has_no_structure_findings(tmp_path, monkeypatch):
    assert findings_for(tmp_path, {}, monkeypatch) == []
