"""What the analysis reads in place of characters that carry no word (worker.pipeline.characters)."""

from __future__ import annotations

import pytest

from worker.pipeline.characters import as_read


@pytest.mark.parametrize("character", ["\ufeff", "\u200b", "\u200e", "\u200f", "\u202b", "\u2066", "\x00", "\x01",
                                       "\x1b", "\x7f", "\x81", "\x9d"])
def test_invisible_and_control_characters_read_as_spaces(character):
    assert as_read(f"{character}Knut Hamsun{character}") == " Knut Hamsun "


@pytest.mark.parametrize("character", ["\r", "\x0b", "\x0c", "\x1c", "\u2028", "\u2029"])
def test_line_ends_read_as_line_feeds(character):
    assert as_read(f"Overskrift{character}Brødtekst.") == "Overskrift\nBrødtekst."


def test_latin_1_controls_read_as_the_windows_1252_characters_they_were():
    assert as_read("\x93Opel\x92er\x94 \x96 \x8aibenik\x85") == "“Opel’er” – Šibenik…"


@pytest.mark.parametrize("text", ["Linje et.\r\nLinje to.", "Ukra\u00adine", "Kim\u200dJong", "\U0001f469\u200d\U0001f467",
                                  "Zoe\u0301", "a\u2060b", "\t\n", "\U0001f1e9\U0001f1f0", "\U000e0067"])
def test_words_line_feeds_and_what_belongs_inside_words_stay(text):
    assert as_read(text) == text


def test_every_character_keeps_its_offset():
    text = "\ufeffA\r\rB\r\nC\u2028D\x96E\u200b"  # \x96: a dash
    read = as_read(text)
    assert len(read) == len(text)
    assert [i for i, (a, b) in enumerate(zip(text, read)) if a != b] == [0, 2, 3, 8, 10, 12]
