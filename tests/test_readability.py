"""Readability: the splitter, the formulas against hand calculations, metrics per language."""

from __future__ import annotations

import pytest
from conftest import make_site

from wegweiser.config import load_project
from wegweiser.model import parse_page
from wegweiser.readability import METRICS, Counts, atesman, flesch_amstad, flesch_kincaid_grade, flesch_reading_ease, page_scores, wiener_sachtextformel
from wegweiser.site import load_site
from wegweiser.text import Sentence, sentences, split_sentences

# --- the splitter: every pitfall of READABILITY.md §5 -------------------------------------------

SPLITS = [
    ("Gehen Sie zum Amt. Bringen Sie den Pass mit.", 2),
    ("Das steht in § 17 Abs. 1 BMG. Danach gilt die Frist.", 2),
    ("Bringen Sie z. B. den Pass mit. Oder den Ausweis.", 2),
    ("Das kostet 1.500 Euro. Zahlen Sie bis zum 01.02.2025.", 2),
    ("Der Termin ist um 10:30. Kommen Sie pünktlich.", 2),
    ("Am 1. Januar beginnt der Kurs. Er dauert lange.", 2),
    ("Die Nr. 3 ist richtig, bzw. die Nr. 4. Fertig.", 2),
    ("هل لديك جواز سفر؟ أحضره معك.", 2),
    ("آیا پاسپورت دارید؟ آن را بیاورید.", 2),
    ("Warten Sie… Dann gehen Sie. Ja!", 3),
    ("Kommen Sie pünktlich. Danke schön. Bis bald.", 3),
]


@pytest.mark.parametrize(("text", "n"), SPLITS)
def test_splitter(text, n):
    assert len(split_sentences(text)) == n, split_sentences(text)


def test_markdown_is_reduced_to_prose_with_block_ends():
    md = """---
title: x
---

# Titel

Ein Satz ohne Punkt
- Punkt eins
- Punkt zwei mit [Link](https://example.org/a.b) und www.bamf.de

!!! benefit
    Vorteil ohne Punkt

| Zelle A | Zelle B |
|---|---|
| eins | zwei |

```
Code. Code. Code.
```

![Bild mit Text. Und mehr.](bild.png)
<span>HTML</span> bleibt als Text.
"""
    page = parse_page("docs/x.md", md, "x", "de")
    got = [(s.text, s.line) for s in sentences(page)]
    assert got == [
        ("Titel", 5),
        ("Ein Satz ohne Punkt", 7),
        ("Punkt eins", 8),
        ("Punkt zwei mit Link und", 9),
        ("Vorteil ohne Punkt", 12),
        ("Zelle A", 14),
        ("Zelle B", 14),
        ("eins", 16),
        ("zwei", 16),
        ("HTML bleibt als Text.", 23),
    ]


# --- formulas against values computed by hand from the published formulas ---------------------


def test_amstad_and_wstf_by_hand():
    # READABILITY.md §6: 78 words, 14 sentences, 126 syllables, 11 words >= 3 syllables,
    # 46 one-syllable words, 15 words > 6 letters.
    c = Counts(words=78, sentences=14, syllables=126, polysyllables=11, monosyllables=46, long_words=15)
    # Amstad = 180 - 78/14 - 58.5 * 126/78 = 180 - 5.5714 - 94.5 = 79.93
    assert flesch_amstad(c) == pytest.approx(79.93, abs=0.01)
    # WSTF1 = 0.1935*14.103 + 0.1672*5.5714 + 0.1297*19.231 - 0.0327*58.974 - 0.875 = 3.35
    assert wiener_sachtextformel(c) == pytest.approx(3.35, abs=0.01)


def test_german_end_to_end_counts():
    # "Gehen Sie zum Amt. Bringen Sie den Pass mit." 9 words, 2 sentences,
    # syllables Ge-hen 2, Sie 1, zum 1, Amt 1, Brin-gen 2, Sie 1, den 1, Pass 1, mit 1 = 11.
    s = [Sentence(t, 1, None) for t in split_sentences("Gehen Sie zum Amt. Bringen Sie den Pass mit.")]
    scores = page_scores(s, "de", min_words=0)
    assert scores["words"] == 9 and scores["sentences"] == 2
    assert scores["flesch_amstad"] == pytest.approx(180 - 4.5 - 58.5 * 11 / 9, abs=0.01)


def test_english_formulas_by_hand():
    c = Counts(words=100, sentences=10, syllables=130)
    assert flesch_reading_ease(c) == pytest.approx(206.835 - 1.015 * 10 - 84.6 * 1.3)
    assert flesch_kincaid_grade(c) == pytest.approx(0.39 * 10 + 11.8 * 1.3 - 15.59)


def test_english_scoring_works_offline(monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise OSError("network is off in this test")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    s = [Sentence("Please bring your passport to the office.", 1, None)]
    scores = page_scores(s, "en", min_words=0)
    # please 1, bring 1, your 1, passport 2, to 1, the 1, office 2 = 9 syllables, 7 words
    assert scores["flesch_reading_ease"] == pytest.approx(206.835 - 1.015 * 7 - 84.6 * 9 / 7, abs=0.01)


def test_atesman_vowel_syllables():
    s = [Sentence("Kayıt ücretsizdir.", 1, None)]
    # Ka-yıt 2, üc-ret-siz-dir 4: 6 syllables, 2 words, 1 sentence
    c = Counts(words=2, sentences=1, syllables=6)
    assert page_scores(s, "tr", min_words=0)["atesman"] == pytest.approx(atesman(c), abs=0.01)


@pytest.mark.parametrize("lang", ["de", "en", "tr", "ru", "uk", "ar", "fa"])
def test_each_language_gets_exactly_its_metrics(lang):
    s = [Sentence("Wort " * 8 + ".", 1, None)] * 20
    scores = page_scores(s, lang, min_words=100)
    formulas = {k for k in scores if k in ("flesch_amstad", "wiener_sachtextformel", "flesch_reading_ease", "flesch_kincaid_grade", "atesman")}
    expected = {m for m in METRICS[lang] if m in ("flesch_amstad", "wiener_sachtextformel", "flesch_reading_ease", "flesch_kincaid_grade", "atesman")}
    assert formulas == expected


def test_no_formula_below_100_words():
    s = [Sentence("Gehen Sie zum Amt.", 1, None)] * 10
    assert "flesch_amstad" not in page_scores(s, "de", min_words=100)


# --- the gate: a 30-word bureaucratic sentence fails in every language ------------------------

LONG = {
    "de": "Die Anmeldung ist unter Vorlage des Personalausweises sowie der Wohnungsgeberbestätigung innerhalb der gesetzlich vorgeschriebenen Frist von zwei Wochen nach dem tatsächlichen Einzug in die Wohnung bei der zuständigen Meldebehörde der Gemeinde persönlich vorzunehmen und durch Unterschrift zu bestätigen.",
    "en": "The registration must be carried out in person at the competent registration authority of the municipality within the statutory period of two weeks after actually moving into the apartment by presenting the identity card and the confirmation.",
    "ar": "يجب إجراء التسجيل شخصيا لدى سلطة التسجيل المختصة في البلدية خلال المهلة القانونية البالغة أسبوعين بعد الانتقال الفعلي إلى الشقة مع تقديم بطاقة الهوية وتأكيد المؤجر وتوقيع الاستمارة الرسمية بشكل كامل وصحيح أمام الموظف.",
    "uk": "Реєстрацію необхідно здійснити особисто в компетентному органі реєстрації громади протягом встановленого законом строку двох тижнів після фактичного вселення в квартиру з поданням посвідчення особи та підтвердження орендодавця і підписанням офіційної форми перед працівником установи.",
    "ru": "Регистрацию необходимо осуществить лично в компетентном органе регистрации муниципалитета в течение установленного законом срока двух недель после фактического въезда в квартиру с предъявлением удостоверения личности и подтверждения арендодателя и подписанием официальной формы перед сотрудником учреждения.",
    "tr": "Kayıt işleminin belediyenin yetkili nüfus kayıt makamında dairenin fiilen taşınılmasından sonraki iki haftalık yasal süre içinde kimlik kartı ve ev sahibi onayı ibraz edilerek resmi formun görevli memur önünde eksiksiz ve doğru şekilde imzalanmasıyla şahsen yapılması gerekmektedir ve bu zorunludur.",
    "fa": "ثبت نام باید به صورت حضوری نزد اداره ثبت صلاحیت‌دار شهرداری در مهلت قانونی دو هفته پس از نقل مکان واقعی به آپارتمان با ارائه کارت شناسایی و تأیید صاحبخانه و امضای فرم رسمی در حضور کارمند اداره به طور کامل و درست انجام شود.",
}


@pytest.mark.parametrize("lang", sorted(LONG))
def test_thirty_word_sentence_is_an_error_in_every_language(tmp_path, monkeypatch, lang):
    from wegweiser.checks import readability

    langs = ("de", lang) if lang != "de" else ("de", "en")
    root = make_site(tmp_path / "p", langs=langs)
    name = "anmeldung.md" if lang == "de" else f"anmeldung.{lang}.md"
    target = root / "docs" / name
    if not target.exists():
        target.write_text((root / "docs" / "anmeldung.en.md").read_text(encoding="utf-8"), encoding="utf-8")
    text = target.read_text(encoding="utf-8").splitlines()
    step = next(i for i, line in enumerate(text) if "{#termin}" in line)
    text.insert(step + 2, LONG[lang])
    target.write_text("\n".join(text) + "\n", encoding="utf-8")
    monkeypatch.chdir(root)
    site = load_site(load_project(root))
    found = [f.format() for f in readability.check(site) if f.rule == "Readability.SentenceLength" and f.level == "error"]
    assert any(f.startswith(f"docs/{name}:{step + 3}:1: error [Readability.SentenceLength]") for f in found), found


def test_reference_guide_is_plain_german():
    from pathlib import Path

    from wegweiser.config import load_project
    from wegweiser.site import load_site

    root = Path(__file__).resolve().parent.parent
    page = load_site(load_project(root)).page("anmeldung", "de")
    scores = page_scores(sentences(page), "de", min_words=100)
    assert scores["flesch_amstad"] >= 60
    assert scores["wiener_sachtextformel"] <= 8


def test_readability_is_measured_again_when_the_page_or_the_limits_change(tmp_path, monkeypatch):
    """The check reuses results of unchanged pages (live preview); a change of text or limits is seen."""
    from wegweiser.checks import readability as check

    root = make_site(tmp_path / "p")
    monkeypatch.chdir(root)
    rules = lambda: sorted(f.rule for f in check.check(load_site(load_project(root))) if f.path == "docs/anmeldung.md")
    assert rules() == []
    src = root / "docs" / "anmeldung.md"
    long = "Gehen Sie " + " ".join(["mit Ihrem Pass und Ihrem Vertrag"] * 4) + " zum Bürgeramt."
    src.write_text(src.read_text(encoding="utf-8").replace("Gehen Sie zum Bürgeramt.", long), encoding="utf-8")
    assert rules() == ["Readability.SentenceLength"]
    config = root / "wegweiser.yml"
    text = config.read_text(encoding="utf-8")
    assert "min_words_for_formulas: 100" in text
    config.write_text(text.replace("min_words_for_formulas: 100", "min_words_for_formulas: 1"), encoding="utf-8")
    assert "Readability.SentenceLength" in rules() and len(rules()) > 1  # page formulas now apply to the short page
