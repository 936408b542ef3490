"""The text the analysis reads: the submitted text with each character that carries no word read
as the space, line end or punctuation it stands for, one character for one.

Clients send byte-order marks, zero-width spaces, direction marks and control characters, spaces
other than the plain one (no-break, thin, ideographic), emoji, and line ends other than "\n" (a
lone CR, a form feed, U+2028). The steps after this one know spaces and "\n": glued to a word, such a
character made it another word ("\ufeffKnut" was no name), a line end they did not know joined a
heading to the sentence after it, and the tokenizer makes a token of its own of any space but
one plain space, which the rules after the tagger took for something between two words. Nothing
is removed or added, so an offset into the text read is the same offset into the submitted text;
the pieces a result quotes are taken from the submitted text (analyze.py).

The C1 controls (U+0080-U+009F) are read as the Windows-1252 characters they are in text that
was decoded as Latin-1 by mistake, as news scraped from the web often was: "\x96" is a dash,
"\x92" an apostrophe ("Opel\x92er"), "\x94" a closing quote (and "\x85" an ellipsis, not a line end).

Characters that belong inside a word stay as they are: the zero-width joiner and non-joiner,
the word joiner, and combining marks. Next to a space, punctuation or the text's edge a joiner
joins nothing, and reads as a space. So does a line end that only wraps a line of a hard-wrapped
text (`_unwrapped`), and HTML's and markdown's marks (`markup`): clients send articles as the HTML
or markdown their CMS holds.

`read_text` goes one step further, and there the length changes: it reads the text in NFC, with
its soft hyphens and the joiners between two Latin letters left out, HTML character references
as what they stand for ("&amp;" as "&"), UTF-8 that was read as Windows-1252 or Latin-1 as what
it was ("KÃ¸benhavn" as "København": `garbled`), and two spaces or more between words as one; and last, a
run of words in capitals in the case the article writes them (`shouting`). A text sent
decomposed ("e" + U+0301 for "é", as macOS clipboards and some CMSs send it), with soft hyphens
("kom\xadmer"), joiners ("Dan\u200csk") or so garbled otherwise holds words the model and the
lexicons never saw, and names that do not group with their plain form; one with doubled spaces
kept names the tagger ran on from being cut ("Jyske Bank  støttede Silkeborg-Voel KFUM"). It
returns, with the text read, an `OffsetMap` that turns offsets into it back into offsets into
the submitted text.
"""

from __future__ import annotations

import bisect
import html
import re
import unicodedata
from dataclasses import dataclass, field

from worker.pipeline import garbled
from worker.pipeline.markup import NOTHING, without_markdown, without_markup
from worker.pipeline.shouting import CaseCues, unshouted

# What str.splitlines() takes for a line end besides "\n", CR (a line end when alone) and U+0085.
_LINE_ENDS = "\x0b\x0c\x1c\x1d\x1e\u2028\u2029"
_SPACES = (
    "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r" + _LINE_ENDS) + "\x7f"  # controls
    + "\u200b\ufeff"  # zero-width space, byte-order mark
    + "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # direction marks
)
# Spaces between words other than the plain one (a tab stays: it parts columns, not words).
_WORD_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
# Emoji and other pictographs, with what builds them (variation selectors, tag characters; skin
# tones are pictographs' own; keycaps are `_KEYCAP`). They carry no word: after a sentence's end
# ("... siger han. 🙂 Det fortæller The Mirror") they hid the next one's start from the rules,
# which named "Det fortæller The Mirror", and opened summary sentences. Not ©, ®, ™, "‼" or "⁉",
# nor the dingbats' bars, quotation marks and brackets (U+2758-U+2760, U+2768-U+2775).
_PICTOGRAPHS = ("\U0001f000-\U0001faff\u2600-\u2757\u2761-\u2767\u2776-\u27bf\u231a\u231b\u2328\u23cf\u23e9-\u23f3"
                "\u23f8-\u23fa\u2b05-\u2b07\u2b1b\u2b1c\u2b50\u2b55\ufe0e\ufe0f\u20e3\U000e0020-\U000e007f")
_C1 = "".join(chr(c) for c in range(0x80, 0xa0))
# The five bytes Windows-1252 leaves undefined are read as spaces.
_WINDOWS_1252 = {ch: bytes([ord(ch)]).decode("cp1252", errors="replace").replace("\ufffd", " ") for ch in _C1}
_READ_AS = {**{ch: " " for ch in _SPACES + _WORD_SPACES}, **{ch: "\n" for ch in _LINE_ENDS}, "\r": "\n",
            **_WINDOWS_1252, **garbled.GARBLED_SPACES}
# A keycap ("1️⃣"): its digit too, which would otherwise end a word the picture is glued to.
_KEYCAP = "[0-9#*]\ufe0f?\u20e3"
_UNREAD = re.compile("\r(?!\n)|" + _KEYCAP + "|" + "|".join(garbled.GARBLED_SPACES)
                     + "|[" + re.escape(_SPACES + _WORD_SPACES + _LINE_ENDS + _C1) + _PICTOGRAPHS + "]")


def as_read(text: str) -> str:
    """`text` as the analysis reads it: of the same length, each character at the same offset."""

    def read(match: re.Match) -> str:
        # Inside UTF-8 read as Latin-1 ("â\x80\x9d" for "”") an undefined byte is kept, for
        # `read_text` to mend together with the characters before it (or else read as a space).
        ch = match.group()
        if ch in garbled.UNDEFINED and garbled.kept_byte(text, match.start()):
            return ch
        return _READ_AS.get(ch) or " " * len(ch)  # a pictograph, or a keycap

    return _unwrapped(_loose_joiners(without_markdown(without_markup(_apostrophes(_UNREAD.sub(read, text))))))


# An acute accent or a backtick between two letters, typed for an apostrophe, as the Danish
# keyboard invites ("USA´s", "Anne Linnet´s", "don`t"): no letter takes a spacing accent.
_MISTYPED_APOSTROPHE = re.compile(r"(?<=[^\W\d_])[´`](?=[^\W\d_])")


def _apostrophes(text: str) -> str:
    """`text` with each `_MISTYPED_APOSTROPHE` read as the apostrophe it stands for: read as
    itself, it had cut "FN´s Torturkomité" into two names, and with one for each apostrophe of
    the sample articles 115 of the 1,250 had changed their groups."""
    if "´" not in text and "`" not in text:
        return text
    return _MISTYPED_APOSTROPHE.sub("'", text)


# Hard-wrapped text: lines of at most this many characters, and this many line ends that wrap.
WRAP_WIDTHS = range(30, 101)
MIN_WRAPS = 4
# A line that opens so is a list's item or a line of dialogue, never the rest of a sentence.
_ITEM_MARKS = frozenset("-–—•*")


def _unwrapped(text: str) -> str:
    """`text` with each line end that only wraps a line read as a space, where the text is
    hard-wrapped (as e-mail and plain-text wires are, at 60-80 characters): read as line ends, they
    cut every name they fell in ("Lars Løkke\nRasmussen") and every sentence at a capital.

    A text is hard-wrapped where at least `MIN_WRAPS` lines inside its paragraphs end so, and four
    in five or more do: the line is no longer than the widest such line (of two words or more, at
    most 100 characters) and the next line's first word would not have fitted after it. A line
    ended sooner is a line of its own (an address, a list, a poem), and keeps its line end."""
    if text.count("\n") < MIN_WRAPS:
        return text
    lines = text.split("\n")
    inside = [i for i in range(len(lines) - 1) if lines[i].strip() and lines[i + 1].strip()]
    widths = [len(lines[i].rstrip()) for i in inside if len(lines[i].split()) > 1]
    width = max((w for w in widths if w in WRAP_WIDTHS), default=0)
    if not width:
        return text

    def wraps(i: int) -> bool:
        line, after = lines[i].rstrip(), lines[i + 1].split()[0]
        return len(line) <= width < len(line) + 1 + len(after) and after[0] not in _ITEM_MARKS

    wrapped = {i for i in inside if wraps(i)}
    if len(wrapped) < max(MIN_WRAPS, 0.8 * len(inside)):
        return text
    # The line end, and a CR before it, read as spaces; in a word, as nothing (`_hyphenated`).
    ends = ["\n"] * (len(lines) - 1) + [""]
    for i in wrapped:
        line, cr = (lines[i][:-1], NOTHING) if lines[i].endswith("\r") else (lines[i], "")
        joined = _hyphenated(line, lines[i + 1])
        if joined is None:
            lines[i], ends[i] = line + (" " if cr else ""), " "
        else:
            lines[i], ends[i] = joined + cr, NOTHING
    return "".join(line + end for line, end in zip(lines, ends))


# A hyphen at a wrapped line's end, between two letters, and the word after it if the hyphen
# stands for a compound's repeated part ("inden- og udenrigspolitik"), not for a word's cut.
_LINE_END_HYPHEN = re.compile(r"(?<=[^\W\d_])-$")
_SUSPENDED_BEFORE = frozenset("og eller samt som til and or nor to".split())


def _hyphenated(line: str, after: str) -> str | None:
    """``line`` as read where it ends in a hyphen that a word was cut at, to wrap it: a hyphen
    between two lower-case letters was put there by the wrapping, and reads as nothing
    ("forhand-\nlinger", "Køben-\nhavns"); one before or after a capital was the word's own, and
    stays ("Thorning-\nSchmidt", "SU-\ngæld"). The line end then reads as nothing, else (None) as
    a space: cut so, names were two words ("Køben- havns Universitet") or none."""
    if not (_LINE_END_HYPHEN.search(line) and after[:1].isalpha()):
        return None
    if not (line[-2].islower() and after[0].islower()):
        return line
    if after.split()[0].rstrip(",.") in _SUSPENDED_BEFORE:
        return None
    return line[:-1] + NOTHING


_JOINERS = re.compile("[\u200c\u200d\u2060]+")  # zero-width non-joiner, joiner, word joiner


def _loose_joiners(text: str) -> str:
    """Joiners next to a space, a line end, punctuation or the text's edge read as spaces: they
    join nothing there, and glued to a word they made the start of a sentence or a name
    invisible ("siger \u200cAnders Dam" named "\u200cAnders Dam")."""
    if not _has_joiner(text):
        return text
    return _JOINERS.sub(lambda run: run.group() if _joins(text, run.start() - 1) and _joins(text, run.end())
                        else " " * len(run.group()), text)


def _has_joiner(text: str) -> bool:
    # Three substring searches cost a tenth of one search for the character class.
    return "\u200c" in text or "\u200d" in text or "\u2060" in text


def _joins(text: str, i: int) -> bool:
    return 0 <= i < len(text) and not text[i].isspace() and not unicodedata.category(text[i]).startswith("P")


_SOFT_HYPHEN = "\u00ad"
# A run without whitespace. NFC composes and reorders only within such a run: whitespace
# characters are starters that compose with nothing, so each run can be normalised on its own.
# Or two spaces or more between two such runs, read as one.
_SPACES_BETWEEN_WORDS = re.compile(r"(?<=\S) {2,}(?=\S)")
_WORD = re.compile(r"\S+|" + _SPACES_BETWEEN_WORDS.pattern)


@dataclass
class OffsetMap:
    """Offsets into a text read (`read_text`) as offsets into the text as submitted.

    The read text differs only in some runs without whitespace; each is kept as its start in the
    read text and, per character read there, where the characters it came from start and end in
    the submitted text. Between such runs the two texts differ by a constant shift.
    """

    read_starts: list[int] = field(default_factory=list)  # where each run begins in the read text
    read_ends: list[int] = field(default_factory=list)
    sent_ends: list[int] = field(default_factory=list)  # where each run ends in the submitted text
    starts: list[list[int]] = field(default_factory=list)
    ends: list[list[int]] = field(default_factory=list)

    def start(self, offset: int) -> int:
        """Where a piece starting at `offset` of the read text starts in the submitted text."""
        run = bisect.bisect_right(self.read_starts, offset) - 1
        if run < 0:
            return offset
        if offset < self.read_ends[run]:
            return self.starts[run][offset - self.read_starts[run]]
        return self.sent_ends[run] + offset - self.read_ends[run]

    def end(self, offset: int) -> int:
        """Where a piece ending at `offset` of the read text ends in the submitted text: after
        every code point its last character was read from ("e" and U+0301 for "é")."""
        run = bisect.bisect_left(self.read_starts, offset) - 1
        if run < 0:
            return offset
        if offset <= self.read_ends[run]:
            return self.ends[run][offset - self.read_starts[run] - 1]
        return self.sent_ends[run] + offset - self.read_ends[run]


def read_text(text: str, elsewhere: str = "", cues: CaseCues | None = None) -> tuple[str, OffsetMap | None]:
    """`text` as the analysis reads it (`as_read`, in NFC, without the characters `_left_out`
    names, and its runs of words in capitals in the case the article writes them: `shouting`,
    which learns it from `text` and `elsewhere`, and from `cues` what the lexicon knows), and the
    map of its offsets to those of `text`; None when they are the same (most texts: checked in C)."""
    read, offsets = _read_words(as_read(text))
    # Last, as it reads letters, which only the steps before read right ("LÃ†S" for "LÆS").
    return unshouted(read, elsewhere, cues), offsets


def _read_words(text: str) -> tuple[str, OffsetMap | None]:
    """`text` (read by `as_read`) with each run without whitespace read by `_read_word`, and runs
    of spaces between words as one."""
    if _as_is(text) and not ("  " in text and _SPACES_BETWEEN_WORDS.search(text)):
        return text, None
    pieces, offsets, last, shift = [], OffsetMap(), 0, 0
    for word in _WORD.finditer(text):
        sent = word.group()
        if sent[0] == " ":
            read, starts, ends = " ", [word.start()], [word.end()]
        elif _as_is(sent):
            continue
        else:
            read, starts, ends = _read_word(sent, word.start())
        pieces += [text[last : word.start()], read]
        offsets.read_starts.append(word.start() - shift)
        offsets.read_ends.append(word.start() - shift + len(read))
        offsets.sent_ends.append(word.end())
        offsets.starts.append(starts)
        offsets.ends.append(ends)
        shift += len(sent) - len(read)
        last = word.end()
    pieces.append(text[last:])
    return "".join(pieces), offsets


def _as_is(text: str) -> bool:
    return (_SOFT_HYPHEN not in text and NOTHING not in text and not _has_joiner(text)
            and not ("&" in text and _ENTITY.search(text))
            and not garbled.GARBLED.search(text) and unicodedata.is_normalized("NFC", text))


# An HTML character reference: "&amp;", "&#39;", "&#x2019;", "&nbsp;".
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _characters(word: str, at: int) -> list[tuple[str, int, int]]:
    """Each character `word` (found at offset `at`) is read as, with where it was read from: UTF-8
    read as Windows-1252 as the characters it was (each from the characters its bytes were read
    as), a character reference as the character(s) it stands for (read as `as_read` reads them),
    none for those `_left_out` names."""
    mended = garbled.mended(word)
    if mended is not None:  # each character mended is read as `as_read` reads it
        read = []
        for ch in mended:
            size = len(ch.encode("utf-8"))
            if ch != _SOFT_HYPHEN:
                read.append((_READ_AS.get(ch, ch), at, at + size))
            at += size
        return read
    left_out = _left_out(word)
    read, i = [], 0
    while i < len(word):
        reference = _ENTITY.match(word, i) if word[i] == "&" else None
        meant = html.unescape(reference.group()) if reference else ""
        if reference and meant != reference.group():
            read += [(ch, at + i, at + reference.end()) for ch in as_read(meant) if ch != _SOFT_HYPHEN]
            i = reference.end()
            continue
        if i not in left_out:
            read.append((_READ_AS[word[i]] if word[i] in garbled.UNDEFINED else word[i], at + i, at + i + 1))
        i += 1
    return read


def _latin_letter(ch: str) -> bool:
    return ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN ")


def _left_out(word: str) -> set[int]:
    """Where `word` has a soft hyphen, a mark read as nothing (`markup.NOTHING`), or a joiner
    between two Latin letters: the Latin script joins nothing, so "Dan\u200csk" is read as "Dansk"
    (and the name of its group written so). Other scripts need them to spell a word (Persian) and
    keep them."""
    out = {i for i, ch in enumerate(word) if ch == _SOFT_HYPHEN or ch == NOTHING}
    for run in _JOINERS.finditer(word):
        if 0 < run.start() and run.end() < len(word) and _latin_letter(word[run.start() - 1]) \
                and _latin_letter(word[run.end()]):
            out.update(range(run.start(), run.end()))
    return out


def _read_word(word: str, at: int) -> tuple[str, list[int], list[int]]:
    """`word` (found at offset `at`) as read (`_characters`) in NFC, and for each character of that
    where what it was read from starts and ends in the submitted text.

    The word is cut into the smallest pieces NFC reads each on its own: a piece begins at a
    character that combines with nothing before it (its marks and a Hangul vowel do). Every
    character a piece becomes comes from all of it, so a name ending in "e" + U+0301 ends after
    the mark, and none starts between a letter and its mark."""
    read, starts, ends = [], [], []
    piece, first, after = "", 0, 0

    def flush() -> None:
        if piece:
            normal = unicodedata.normalize("NFC", piece)
            read.append(normal)
            starts.extend([first] * len(normal))
            ends.extend([after] * len(normal))

    for ch, where, until in _characters(word, at):
        if piece and unicodedata.combining(ch) == 0 and (
                unicodedata.normalize("NFC", piece + ch)
                == unicodedata.normalize("NFC", piece) + unicodedata.normalize("NFC", ch)):
            flush()
            piece, first = "", where
        if not piece:
            first = where
        piece += ch
        after = until
    flush()
    return "".join(read), starts, ends
