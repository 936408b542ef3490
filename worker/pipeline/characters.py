"""The text the analysis reads: the submitted text with each character that carries no word read
as the space, line end or punctuation it stands for, one character for one.

Clients send byte-order marks, zero-width spaces, direction marks and control characters, and
line ends other than "\n" (a lone CR, a form feed, U+2028). The steps after this one know spaces
and "\n": glued to a word, such a character made it another word ("\ufeffKnut" was no name), and
a line end they did not know joined a heading to the sentence after it. Nothing is removed or
added, so an offset into the text read is the same offset into the submitted text; the pieces a
result quotes are taken from the submitted text (analyze.py).

The C1 controls (U+0080-U+009F) are read as the Windows-1252 characters they are in text that
was decoded as Latin-1 by mistake, as news scraped from the web often was: "\x96" is a dash,
"\x92" an apostrophe ("Opel\x92er"), "\x94" a closing quote (and "\x85" an ellipsis, not a line end).

Characters that belong inside a word stay as they are: the soft hyphen, the zero-width joiner
and non-joiner, the word joiner, and combining marks.
"""

from __future__ import annotations

import re

# What str.splitlines() takes for a line end besides "\n", CR (a line end when alone) and U+0085.
_LINE_ENDS = "\x0b\x0c\x1c\x1d\x1e\u2028\u2029"
_SPACES = (
    "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r" + _LINE_ENDS) + "\x7f"  # controls
    + "\u200b\ufeff"  # zero-width space, byte-order mark
    + "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # direction marks
)
_C1 = "".join(chr(c) for c in range(0x80, 0xa0))
# The five bytes Windows-1252 leaves undefined are read as spaces.
_WINDOWS_1252 = {ch: bytes([ord(ch)]).decode("cp1252", errors="replace").replace("\ufffd", " ") for ch in _C1}
_READ_AS = {**{ch: " " for ch in _SPACES}, **{ch: "\n" for ch in _LINE_ENDS}, "\r": "\n", **_WINDOWS_1252}
_UNREAD = re.compile("\r(?!\n)|[" + re.escape(_SPACES + _LINE_ENDS + _C1) + "]")


def as_read(text: str) -> str:
    """`text` as the analysis reads it: of the same length, each character at the same offset."""
    return _UNREAD.sub(lambda match: _READ_AS[match.group()], text)
