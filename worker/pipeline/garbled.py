"""UTF-8 that a server read as Windows-1252 or Latin-1 before sending it ("KÃ¸benhavn" for
"København", "Itâ€™s", "â€\x9d" for "”"), read as what it was (`characters.read_text`).

A lead byte's character ("Ã", "â") stands before one or more continuation bytes' ("¸", "€"); text
that was no UTF-8 never decodes so, as no word of any language writes "ø" before "¸". Read as
Latin-1, the continuation bytes are C1 controls, which `characters.as_read` reads as the
Windows-1252 characters they are; the five bytes Windows-1252 leaves undefined it keeps where they
continue such a character, to be mended with it (`kept_byte`). UTF-8's no-break space and "à" end
in a no-break space, which would read as a space: `GARBLED_SPACES` says what they read as instead.
"""

from __future__ import annotations

import re

from worker.pipeline.markup import NOTHING

LEAD, LAST_LEAD = "\u00c2", "\u00f4"
UNDEFINED = "\x81\x8d\x8f\x90\x9d"
# A continuation byte's character as Windows-1252 writes it (and the undefined five as Latin-1).
CONTINUATIONS = bytes(range(0x80, 0xC0)).decode("cp1252", errors="ignore") + UNDEFINED
GARBLED = re.compile(f"[{LEAD}-{LAST_LEAD}][{re.escape(CONTINUATIONS)}]")
# ... and as either writes it, Latin-1's being C1 controls.
_CONTINUING = frozenset(CONTINUATIONS + bytes(range(0x80, 0xC0)).decode("latin-1"))
# The no-break space read as two spaces, "à" as "à" and `NOTHING`.
GARBLED_SPACES = {"\u00c2\xa0": "  ", "\u00c3\xa0": "\u00e0" + NOTHING}


def kept_byte(text: str, at: int) -> bool:
    """Whether the undefined byte's character at `at` continues a lead byte's character."""
    return at > 0 and (LEAD <= text[at - 1] <= LAST_LEAD or (
        at > 1 and text[at - 1] in _CONTINUING and "\xe0" <= text[at - 2] <= LAST_LEAD))


def mended(word: str) -> str | None:
    """`word` as the UTF-8 it was, where it was UTF-8 read as Windows-1252 or Latin-1; else None."""
    if not GARBLED.search(word):
        return None
    try:
        utf_8 = b"".join(bytes([ord(ch)]) if ch in UNDEFINED else ch.encode("cp1252") for ch in word).decode("utf-8")
    except UnicodeError:
        return None
    return utf_8 if utf_8 != word else None
