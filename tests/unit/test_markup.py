"""HTML's, markdown's and lists' marks in the text the analysis reads (worker.pipeline.markup, through
characters.as_read and read_text)."""

from __future__ import annotations

from worker.pipeline.characters import as_read, read_text
from worker.pipeline.markup import without_list_marks


def test_html_tags_read_as_spaces_and_a_blocks_as_a_line_end():
    text = '<p>Statsminister <b>Lars Løkke</b> Rasmussen.</p><!-- x --><br/><script>var a = "Ib";</script>'
    read = as_read(text)
    assert len(read) == len(text) and read.split() == ["Statsminister", "Lars", "Løkke", "Rasmussen."]
    assert read.index("\n") == 0 and read.count("\n") == 4  # <p>, </p>, <br/>, <script>...</script>
    # An inline element's tag inside a word is read as nothing: the word is read whole.
    assert read_text('<a href="/novo">Novo Nordisk</a>s aktie')[0] == " " * 16 + "Novo Nordisks aktie"
    # A comment or script runs to its end, past what looks like a tag; one nothing ends is left.
    read = as_read("a<!-- <p> -->b <SCRIPT type=x>v = '<p>';</script >c <!-- d")
    assert read.split() == ["a", "b", "c", "<!--", "d"] and read.count("\n") == 1
    # Not what only looks like a tag in plain text.
    assert as_read("Kilde: <Ritzau> og a <b c") == "Kilde: <Ritzau> og a <b c"


def test_markdown_links_strong_emphasis_and_headings_read_as_their_text():
    text = "## Baggrund\n\nSom [Lars Løkke](https://x.dk/a_b) og **Le Dauphiné**, [Novo Nordisk](/novo)s **Sult**."
    assert read_text(text)[0] == "   Baggrund\n\nSom Lars Løkke og Le Dauphiné, Novo Nordisks Sult."
    # Not what only looks like markdown in plain text.
    assert as_read("2 ** 3, a [1] (b), #dkpol og x__y") == "2 ** 3, a [1] (b), #dkpol og x__y"


def test_a_list_items_mark_at_a_lines_start_reads_as_a_space():
    text = "• Ifølge Berlingske\n  * Politiet\n▪\tNovo\n- Ja, siger han.\nEt • midt i og 2 * 3"
    assert without_list_marks(text) == (
        "  Ifølge Berlingske\n    Politiet\n \tNovo\n- Ja, siger han.\nEt • midt i og 2 * 3")
    # Not a mark without a space after it: a footnote's star, or markdown's bold (read elsewhere).
    assert without_list_marks("*Note\n**Novo**") == "*Note\n**Novo**"
