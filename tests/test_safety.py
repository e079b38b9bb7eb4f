"""Content from pull requests cannot attack readers: each vector fails with a clear message."""

from __future__ import annotations

import pytest

from wegweiser.checks.safety import check_lines, check_meta

# Tuples of: a line of Markdown, the exact expected finding (line 1 of docs/x.md).
VECTORS = [
    ("<script>alert(1)</script>", "docs/x.md:1:1: error [Safety.Tag] raw HTML tag <script> is not allowed; write Markdown instead"),
    ('Text <iframe src="https://evil.example"></iframe>', "docs/x.md:1:6: error [Safety.Tag] raw HTML tag <iframe> is not allowed; write Markdown instead"),
    ("<style>body{display:none}</style>", "docs/x.md:1:1: error [Safety.Tag] raw HTML tag <style> is not allowed; write Markdown instead"),
    ('<img src="x" onerror="alert(1)">', "docs/x.md:1:1: error [Safety.Tag] raw HTML tag <img> is not allowed; write Markdown instead"),
    ('<span onmouseover="alert(1)">x</span>', "docs/x.md:1:7: error [Safety.Event] event handler attributes (on...=) are not allowed"),
    ('<span style="position:fixed">x</span>', "docs/x.md:1:1: error [Safety.Attribute] attribute 'style' on <span> is not allowed (only dir, lang, title)"),
    ("[Klick](javascript:alert(1))", "docs/x.md:1:9: error [Safety.Url] 'javascript:' links are not allowed; link to https pages only"),
    ("[Bild](data:text/html;base64,PHNjcmlwdD4=)", "docs/x.md:1:8: error [Safety.Url] 'data:' links are not allowed; link to https pages only"),
    ("[x](VBScript:msgbox)", "docs/x.md:1:5: error [Safety.Url] 'vbscript:' links are not allowed; link to https pages only"),
    ('## Titel {#t onclick="alert(1)"}', "docs/x.md:1:14: error [Safety.Event] event handler attributes (on...=) are not allowed"),
    ('Absatz {: style="color:red" }', "docs/x.md:1:8: error [Safety.Attribute] style attributes are not allowed; the theme sets the look"),
    ("<object data=x></object>", "docs/x.md:1:1: error [Safety.Tag] raw HTML tag <object> is not allowed; write Markdown instead"),
    ("<form action=x><input></form>", "docs/x.md:1:1: error [Safety.Tag] raw HTML tag <form> is not allowed; write Markdown instead"),
    ('<svg onload="alert(1)">', "docs/x.md:1:1: error [Safety.Tag] raw HTML tag <svg> is not allowed; write Markdown instead"),
    (
        '<meta http-equiv="refresh" content="0;url=https://evil.example">',
        "docs/x.md:1:1: error [Safety.Tag] raw HTML tag <meta> is not allowed; write Markdown instead",
    ),
]


@pytest.mark.parametrize(("line", "expected"), VECTORS, ids=[v[0][:20] for v in VECTORS])
def test_vector_is_refused(line, expected):
    assert expected in [f.format() for f in check_lines("docs/x.md", [line], 1)]


@pytest.mark.parametrize(
    "line",
    [
        "Melden Sie sich an. Das ist <strong>wichtig</strong>.",
        'Das Wort <span lang="de">Meldebestätigung</span> steht im Brief.',
        "Code wie `<script>` in Backticks ist nur Text.",
        "[Bundesamt](https://www.bamf.de) hilft. Die Daten: 1 Tag.",
        "Rufen Sie an: [116 016](tel:116016).",
    ],
)
def test_harmless_content_passes(line):
    assert check_lines("docs/x.md", [line], 1) == []


def test_code_blocks_are_ignored():
    assert check_lines("docs/x.md", ["```", "<script>alert(1)</script>", "```"], 1) == []


def test_front_matter_text_has_no_html():
    found = check_meta("docs/x.md", {"title": "Anmelden <script>alert(1)</script>"}, lambda *k: 3)
    assert [f.format() for f in found] == ["docs/x.md:3:1: error [Safety.FrontMatter] front matter 'title' must be plain text, without HTML"]
