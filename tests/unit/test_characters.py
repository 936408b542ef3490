"""What the analysis reads in place of characters that carry no word (worker.pipeline.characters)."""

from __future__ import annotations

import pytest

import unicodedata

from worker.pipeline.characters import OffsetMap, as_read, read_text


@pytest.mark.parametrize("character", ["\ufeff", "\u200b", "\u200e", "\u200f", "\u202b", "\u2066", "\x00", "\x01",
                                       "\x1b", "\x7f", "\x81", "\x9d"])
def test_invisible_and_control_characters_read_as_spaces(character):
    assert as_read(f"{character}Knut Hamsun{character}") == " Knut Hamsun "


@pytest.mark.parametrize("character", ["\r", "\x0b", "\x0c", "\x1c", "\u2028", "\u2029"])
def test_line_ends_read_as_line_feeds(character):
    assert as_read(f"Overskrift{character}Brødtekst.") == "Overskrift\nBrødtekst."


@pytest.mark.parametrize("joiner", ["\u200c", "\u200d", "\u2060", "\u200c\u2060"])
def test_joiners_next_to_a_space_or_punctuation_read_as_spaces(joiner):
    text = "{j}Knut. {j}Hamsun{j}, «{j}Sult{j}»"
    assert as_read(text.format(j=joiner)) == text.format(j=" " * len(joiner))
    # Inside a word they join.
    assert as_read(f"Ham{joiner}sun") == f"Ham{joiner}sun"


@pytest.mark.parametrize("picture", [
    "\U0001f642", "\u2764\ufe0f", "\U0001f469\u200d\U0001f467", "\U0001f1e9\U0001f1f0", "\U0001f44d\U0001f3fd", "\u2b50",
    "\u2705", "\U0001f3f4\U000e0067\U000e0062\U000e007f"])
def test_emoji_read_as_spaces(picture):
    # Of a family, a flag, a skin tone or a variation selector, every code point.
    assert as_read(f"Han sagde ja.{picture} Det fortæller{picture}Ritzau") == (
        "Han sagde ja.{0} Det fortæller{0}Ritzau".format(" " * len(picture)))


def test_an_acute_accent_or_backtick_between_letters_reads_as_an_apostrophe():
    assert as_read("USA´s præsident og Anne Linnet`s hit, don´t") == "USA's præsident og Anne Linnet's hit, don't"
    # Elsewhere each is what it is: an accent alone, code in backticks.
    assert as_read("´ og `kode` og 5´") == "´ og `kode` og 5´"


def test_symbols_with_a_meaning_of_their_own_stay():
    assert as_read("© Ritzau, Coca-Cola® og Lego™‼ ❝Sult❞ ❨1❩ 1") == "© Ritzau, Coca-Cola® og Lego™‼ ❝Sult❞ ❨1❩ 1"
    # A keycap is a picture, its digit too: glued to a name, it had ended the name inside itself.
    assert as_read("Sød1\ufe0f\u20e3 og #\u20e3") == "Sød    og   "


WRAPPED = """Statsminister Lars Løkke Rasmussen sagde
i dag til Ritzau, at regeringen vil. Han
mødte Mette Frederiksen i Folketinget,
hvor de talte om skatten og om Danske
Bank i Aarhus.

Det sagde han til Ritzau.
- Vi er enige, siger han om aftalen med
partierne.
"""


def test_line_ends_that_only_wrap_a_line_read_as_spaces():
    read = as_read(WRAPPED)
    assert len(read) == len(WRAPPED)
    assert read.startswith("Statsminister Lars Løkke Rasmussen sagde i dag til Ritzau, at regeringen vil. Han mødte"
                           " Mette Frederiksen i Folketinget, hvor de talte om skatten og om Danske Bank i Aarhus.\n\n")
    # A line ended sooner, and a line that opens with a dash, keep their line ends.
    assert "Ritzau.\n- Vi er enige, siger han om aftalen med partierne.\n" in read
    # Sent with CRLF, both characters of a wrap read as spaces.
    crlf = as_read(WRAPPED.replace("\n", "\r\n"))
    assert "sagde  i dag" in crlf and "Aarhus.\r\n\r\nDet" in crlf


HYPHENATED = """Regeringen og Københavns Universitet har
i dag indgået en aftale om nye forhand-
linger, oplyser statsminister Thorning-
Schmidt. Aftalen gælder inden- og uden-
rigspolitik, og studerendes samlede SU-
gæld skal ned, siger hun til Ritzau i
aftes.
"""


@pytest.mark.parametrize("line_end", ["\n", "\r\n", "\r"])
def test_a_word_cut_at_a_wrapped_line_end_is_read_whole(line_end):
    text = HYPHENATED.replace("\n", line_end)
    read, offsets = read_text(text)
    last_line_end = "\n" if line_end == "\r" else line_end  # a lone CR reads as a line feed
    # The hyphen the wrapping put in goes; a word's own hyphen stays, and so does the one that
    # stands for a compound's repeated part ("inden- og").
    assert read == ("Regeringen og Københavns Universitet har i dag indgået en aftale om nye forhandlinger, oplyser "
                    "statsminister Thorning-Schmidt. Aftalen gælder inden- og udenrigspolitik, og studerendes "
                    f"samlede SU-gæld skal ned, siger hun til Ritzau i aftes.{last_line_end}")
    start = read.index("Thorning-Schmidt")
    assert text[offsets.start(start) : offsets.end(start + 16)] == f"Thorning-{line_end}Schmidt"


def test_lines_of_their_own_and_texts_with_few_wraps_keep_their_line_ends():
    address = "Newsdesk ApS\nRådhuspladsen 1\n1550 København V\nDanmark\nTelefon 12 34 56 78\n"
    assert as_read(address) == address
    assert as_read(WRAPPED[:120]) == WRAPPED[:120]  # two wraps: too few to tell


def test_html_character_references_read_as_what_they_stand_for():
    text = "Marks &amp; Spencer&#39;s chef&nbsp;Steve Rowe i Z&#xFC;rich, R&D; &foo;"
    read, offsets = read_text(text)
    assert read == "Marks & Spencer's chef Steve Rowe i Zürich, R&D; &foo;"
    assert [text[offsets.start(i) : offsets.end(i + 1)] for i in (6, 15, 22, 37)] == ["&amp;", "&#39;", "&nbsp;", "&#xFC;"]


def test_latin_1_controls_read_as_the_windows_1252_characters_they_were():
    assert as_read("\x93Opel\x92er\x94 \x96 \x8aibenik\x85") == "“Opel’er” – Šibenik…"


@pytest.mark.parametrize("text", ["Linje et.\r\nLinje to.", "Ukra\u00adine", "Kim\u200dJong", "Zoe\u0301", "a\u2060b",
                                  "\t\n"])
def test_words_line_feeds_and_what_belongs_inside_words_stay(text):
    assert as_read(text) == text


def test_every_character_keeps_its_offset():
    text = "\ufeffA\r\rB\r\nC\u2028D\x96E\u200b"  # \x96: a dash
    read = as_read(text)
    assert len(read) == len(text)
    assert [i for i, (a, b) in enumerate(zip(text, read)) if a != b] == [0, 2, 3, 8, 10, 12]


def test_text_in_nfc_without_soft_hyphens_is_read_at_its_own_offsets():
    assert read_text("\ufeffZoé i Malmö\r\r\n") == (" Zoé i Malmö\n\r\n", None)


def test_decomposed_accents_and_soft_hyphens_are_read_composed_and_left_out():
    read, offsets = read_text("Zoe\u0301 og Ukra\u00adine\u200b i Malmo\u0308.")
    assert read == "Zoé og Ukraine i Malmö."
    # A piece ending in a character composed of two code points ends after both; one ending
    # before a soft hyphen ends before it.
    assert (offsets.start(0), offsets.end(3)) == (0, 4)
    assert (offsets.start(7), offsets.end(14)) == (8, 16)
    assert (offsets.start(7), offsets.end(11)) == (8, 12)
    assert (offsets.start(11), offsets.end(14)) == (13, 16)
    assert (offsets.start(17), offsets.end(22), offsets.end(23)) == (20, 26, 27)
    # The zero-width space reads as a space, and two spaces between words as one.
    assert (offsets.start(14), offsets.end(15)) == (16, 18)


@pytest.mark.parametrize("space", ["  ", "\u00a0", " \u202f ", "\u3000\u2009"])
def test_spaces_between_words_read_as_one_plain_space(space):
    read, offsets = read_text(f"Jyske{space}Bank{space}støttede{space}Silkeborg{space}\n{space}Viborg")
    assert read.startswith("Jyske Bank støttede Silkeborg")
    # Next to a line end they are no spaces between words: each reads as a space of its own.
    assert read.endswith(as_read(f"{space}\n{space}Viborg")) and as_read(space) == " " * len(space)
    assert (offsets or OffsetMap()).start(20) == 20 + 3 * (len(space) - 1)  # "Silkeborg"


def test_joiners_between_latin_letters_are_left_out_but_other_scripts_keep_theirs():
    read, offsets = read_text("Dan\u200csk Air Trans\u2060port, Kim\u200d\u200dJong og \u0645\u06cc\u200c\u062e\u0648")
    assert read == "Dansk Air Transport, KimJong og \u0645\u06cc\u200c\u062e\u0648"
    assert (offsets.start(0), offsets.end(5)) == (0, 6)
    assert (offsets.start(21), offsets.end(28)) == (23, 32)


@pytest.mark.parametrize("text", [
    "Ærø e\u0301e\u0301 \u00ad\u00ad Kim\u00ad\u00ad-Jong", "a\u0323\u0302 q\u0307\u0323 x\u0301\u0301\u0301y",
    "\u1100\u1161\u11a8\u1100\u1161 \u0b47\u0b3e", "\u212b\u2000Å \u0f73\u0301 \u0301Putin",
    "Kim\u200d\u0301Jong \u0915\u094d\u200d\u0937\u00ad \u0301" * 3,
])
def test_every_character_read_maps_to_what_it_was_read_from(text):
    """Each piece of the text read, from where a character starts to where one ends in the
    submitted text, is read from exactly that stretch of it. (Several characters read from one
    cluster, "q" + U+0307 + U+0323 reordered, all start and end where the cluster does.)"""
    read, offsets = read_text(text)
    assert offsets is not None
    starts = [i for i in range(len(read)) if i == 0 or offsets.start(i) != offsets.start(i - 1)]
    ends = [i for i in range(1, len(read) + 1) if i == len(read) or offsets.end(i) != offsets.end(i + 1)]
    assert len(starts) > 3 and len(ends) > 3
    spaced = as_read(text)  # as the whole text reads: a joiner at a stretch's edge may join
    for start in starts:
        for end in (end for end in ends if end > start):
            sent = spaced[offsets.start(start) : offsets.end(end)]
            assert nfc(sent.replace("\u00ad", "")) == nfc(read[start:end])


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
