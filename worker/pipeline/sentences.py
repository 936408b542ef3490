"""Rule-based sentence splitting with verbatim character offsets.

One regex pass finds candidate boundaries (sentence-final punctuation, the
danda and the Arabic-script marks among it, followed by whitespace, newline
runs, CJK full stops, periods glued to a capitalised word as in "slut.Det",
"i 2012.Det", "slut.»Det", "ved CBS.Ole" or '"Natsværmer".Hun', a dialogue
dash glued to the word before it ("løgner- Folk") or to the full stop before
it ("igen.- Jeg"), and a lower-case word glued to a capitalised one, where a
heading lost its line break: "Menneskelige fejlDet er ...");
each candidate is then accepted or rejected by looking at a bounded window
around it (the token before the period, the word after it). Nothing ever
scans back or ahead more than a few dozen characters (straight quotation
marks are counted once, in one pass along the text), and the regex uses
possessive quantifiers and a "not preceded by another mark" guard, so the
cost is linear in the text length even for pathological input (megabytes of
dots, spaces or newlines).

Every returned sentence satisfies ``text[s.start:s.end] == s.text``, has no
surrounding whitespace, and sentences are non-overlapping and in document
order. Segments without any letter or digit (e.g. "* * *" dividers) are
dropped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from worker.pipeline.calendar_words import MONTH_ABBREVIATIONS, MONTHS
from worker.pipeline.clean import cut_points
from worker.pipeline.punctuation import CJK_CLOSERS, CJK_FULL_STOPS, SPACED_FULL_STOPS


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


_LOWER = "a-zß-öø-ÿ"
_UPPER = "A-ZÀ-ÖØ-Þ"
# Closing quotes and brackets after a final mark; Danish quotes »so«, Swedish »so», French «so»,
# German and Czech „so“ and ‚so‘.
_CLOSERS = "\"'”’»«“‘)\\]"
# French sets its closing guillemet off by a (no-break) space: "« Non. » Il part." A » with a
# word right after it opens the next quote instead, as Danish does: "Han gik. »Vi kommer.«"
_SPACED_GUILLEMET = r"(?:[ \u00a0\u202f]»)?"
# A full stop glued to the next sentence may carry the Danish closing « of its quotation
# ("fejl.«Hvilket"), or be followed by the » or straight quotation mark that opens the next.
# It may follow a word (an English possessive too: "Kylie Jenner's.The"), a number, an acronym
# ("ved CBS.Ole Andersen bor", "SE og HØR.Til"; a name has lower-case letters inside, "St.Louis",
# and initials a full stop, "A.P.Møller"), or a quotation or bracket that a word closes
# ('"Natsværmer".Hun var', "(uredigeret).Sidney").
_GLUED_CLOSERS = "\"”«»)"
# A dialogue dash that lost the line break before it is glued to the last word ("løgner- Folk
# tror"), or to the full stop of the sentence before ("igen.- Jeg synes"), where the stop is
# the boundary; a word left for the next to complete is followed by a lowercase one ("Nord- og
# Syd"), and a dash in a word has no space after it ("ph.d.-studerende", "H.-T. Hydraulik").
_CANDIDATE = re.compile(
    r"(?P<newline>\n(?:[^\S\n]*+\n)*+)"
    rf"|(?<![{SPACED_FULL_STOPS}])(?P<stop>[{SPACED_FULL_STOPS}]++)[{_CLOSERS}]*+{_SPACED_GUILLEMET}(?=\s|\Z)"
    rf"|[{CJK_FULL_STOPS}]++[{CJK_CLOSERS}]*+"
    # The three kinds glued to the word before: a look at the next character, which rules out
    # nearly every position at once, then one look behind that they share.
    rf"|(?=[.!?{_UPPER}\-–—])(?<=[{_LOWER}]{{2}}|\d\d|[{_UPPER}]{{2}}|\w[{_GLUED_CLOSERS}]|['’]s)"
    rf"(?:(?P<glued>[.!?])«?(?=[»\"]?[{_UPPER}][{_LOWER}]|[-–—][^\S\n]+[{_UPPER}][{_LOWER}])"
    rf"|(?<=[{_LOWER}])(?:(?P<heading>)(?=[{_UPPER}][{_LOWER}]|I[^\S\n]+[{_LOWER}])|(?P<dash>)(?=[-–—][^\S\n]+[{_UPPER}][{_LOWER}])))"
)
# The next word after a boundary candidate, past opening quotes, brackets and
# dialogue/bullet dashes. Applied with an endpos so it never scans far.
_NEXT = re.compile(r"\s*+[\"'“”‘’«»(\[¿¡\-–—•*·]*+\s*+(\w+|\S)?")
# A capital letter and a full stop: an initial ("L. A. Ring"), though "A" and "I" are words too.
_INITIAL = re.compile(r"\s*+[A-ZÀ-ÖØ-Þ]\.")
_WINDOW = 64
# A title in quotation marks with a full stop inside ("»Knut Hamsun. Rejsen til Hitler«"): the
# quotation opens on two to four capitalised words, a name rather than a sentence, and closes
# soon after the stop on a word, without the mark that ends quoted speech. Matched on a window
# ending at the stop, and at the text after it.
_TITLE_HEAD = re.compile(rf"[»“](?:[{_UPPER}][\w’'-]*[^\S\n]+){{1,3}}[{_UPPER}][\w’'-]*\Z")
_TITLE_TAIL = re.compile(r"[^\S\n]+[^«»“”\"\n.!?…,;:]{1,60}?\w[«”]")
_WORD_CHAR = re.compile(r"\w")
_OPENERS = "\"'“‘«([-–—"
_DOTTED = re.compile(r"[^\W\d_]{1,4}(?:\.[^\W\d_]{1,4})+")
# A heading glued to its paragraph is a few words since the line start or the last full stop.
# The sentence after it may open on the word "I" (Danish "in"): "Det store udlandI øjeblikket".
_HEADING_CHARS = 100
_HEADING_WORDS = 12
_LAST_STOP = re.compile(r"[.!?…\n]")

# Abbreviations whose period (almost) never ends a sentence.
_NEVER_DA = frozenset(
    "f.eks bl.a dvs hr nr kl jf pga inkl dr prof ang evt ift d ca tlf iflg "
    "mht vedr sml ifm vha ekskl gl fhv adm dir stk afd bd el hhv sct skt vs "
    "mrk".split()  # "TV mrk. Samsung": the brand follows
)
_NEVER_EN = frozenset(
    "mr mrs ms dr prof gen sen rep gov lt col capt sgt cmdr maj rev hon "
    "spc pfc pvt cpl messrs mt ft e.g i.e cf vs approx dept".split()
)
# Abbreviations that end a sentence only when a typical sentence opener
# follows ("Apple Inc. The ..." vs. "Apple Inc. Chief Executive ...").
# Single letters (initials) and dotted forms like "U.S" are treated alike.
_STARTER_ONLY_EN = frozenset("inc corp ltd co jr sr st bros plc llc".split())
# Dotted abbreviations that are ordinary sentence-final words ("... m.m. Det").
_DOTTED_FINAL = frozenset("m.m o.l m.fl o.a e.l".split())
# A domain name looks dotted too ("dsr.dk", "cnn.com") but ends sentences like any word:
# "... til dsr.dk. Regeringen".
_DOMAIN = re.compile(r"[^\W_]+(?:\.[^\W_]+)*\.(?:dk|com|org|net|se|no|de|eu|uk)")
# Abbreviations that only abbreviate when a number follows ("No. 10", "s. 12").
_NUMBER_PREFIX = frozenset("no nos s p pp vol art fig nr kl".split())
_SENTENCE_STARTERS = frozenset(
    # English
    "the a an he she it they we i you this that these those there his her "
    "its their our my but and or so yet however meanwhile also in on at as "
    "if when while after before since although though because for from with "
    "by what who why how where which many some most one two police officials "
    # Danish / Norwegian / Swedish
    "det den de der han hun vi jeg du man men og eller så da når hvis efter "
    "før på som også nu her ifølge dette disse hans hendes deres en et flere "
    "mange nogle politiet hon jag inte och".split()
)
_SCANDINAVIAN = frozenset({"da", "nb", "nn", "no", "sv"})
# (never-final, starter-only) per language. Separate sets avoid collisions
# such as Danish "sen" (late) taken for the English "Sen." title; other
# languages get the union.
# Names of places and companies: "St. Louis", "Chr. Hansen".
_STARTER_ONLY_DA = frozenset("st chr".split())
_DA_SETS = (_NEVER_DA, _STARTER_ONLY_DA | MONTH_ABBREVIATIONS)
_EN_SETS = (_NEVER_EN, _STARTER_ONLY_EN | MONTH_ABBREVIATIONS)
_ANY_SETS = (_NEVER_DA | _NEVER_EN, _STARTER_ONLY_DA | _STARTER_ONLY_EN | MONTH_ABBREVIATIONS)


def _abbreviation_sets(language: str) -> tuple[frozenset[str], frozenset[str]]:
    if language in _SCANDINAVIAN:
        return _DA_SETS
    return _EN_SETS if language == "en" else _ANY_SETS


def _next_word(text: str, pos: int) -> str:
    """First word (or symbol) after ``pos``; "" if only whitespace is near."""
    match = _NEXT.match(text, pos, min(len(text), pos + _WINDOW))
    return match.group(1) or ""


def _previous_token(text: str, pos: int) -> tuple[str, bool]:
    """Token ending at ``pos`` (leading quotes/brackets stripped) and whether
    it is the first thing on its line (a list marker like "1." or "a.")."""
    low = max(0, pos - _WINDOW)
    window = text[low:pos]
    if not window or window[-1].isspace():
        return "", False
    raw = window.split()[-1]
    before = window[: len(window) - len(raw)]
    head = before.rsplit("\n", 1)
    at_line_start = head[-1].strip() == "" and (len(head) == 2 or low == 0)
    return raw.lstrip(_OPENERS), at_line_start


def _is_word(letter: str, language: str) -> bool:
    """A one-letter word rather than an initial: Danish, Norwegian and Swedish "i" (in),
    which ends sentences ("som vi sidder i. Design ...")."""
    return letter == "i" and language in _SCANDINAVIAN


def _period_ends_sentence(text: str, start: int, next_word: str, language: str) -> bool:
    """Decide a single "." followed by a non-lowercase word."""
    token, at_line_start = _previous_token(text, start)
    if not token:
        return True
    key = token.lower()
    never, starter_only = _abbreviation_sets(language)
    if at_line_start and len(token) <= 3 and (token.isdigit() or len(token) == 1):
        return False
    if key in never:
        return False
    if next_word[:1].isdigit():
        return key not in _NUMBER_PREFIX and key not in MONTH_ABBREVIATIONS
    if token.isdigit() and len(token) <= 2 and next_word.lower() in MONTHS:
        return False  # ordinal date with a capitalised month: "am 4. September"
    if (
        key in starter_only
        or (len(token) == 1 and token.isalpha() and not _is_word(token, language))
        or (_DOTTED.fullmatch(token) and key not in _DOTTED_FINAL and not _DOMAIN.fullmatch(key))
    ):
        return next_word.lower() in _SENTENCE_STARTERS and not _INITIAL.match(text, start + 1)
    return True


def _heading_ends(text: str, pos: int) -> bool:
    """Whether a heading ends at ``pos``, glued to a capitalised word ("fejlDet").

    Names are written with a capital inside too ("YouTube", "TrygFonden", "GoFundMe"), so
    the glued word must be all lower-case, or the word after it must be one that
    opens sentences ("WeekendenDer"); and there must be no more than a heading's few words
    since the line start or the last full stop."""
    low = max(0, pos - _HEADING_CHARS)
    window = text[low:pos]
    stops = list(_LAST_STOP.finditer(window))
    if not stops and low > 0:
        return False
    words = window[stops[-1].end() :].split() if stops else window.split()
    if not words or len(words) > _HEADING_WORDS:
        return False
    glued = words[-1].lstrip(_OPENERS)
    return glued.islower() or _next_word(text, pos).lower() in _SENTENCE_STARTERS


def _newline_ends_sentence(text: str, match: re.Match) -> bool:
    """A blank line always ends a sentence; a single line break does unless
    the line ends in "," or ";" or the next line starts in lowercase (which
    is how hard-wrapped running text looks)."""
    if match.group().count("\n") > 1:
        return True
    before = text[max(0, match.start() - _WINDOW) : match.start()].rstrip()
    # Bullet and dialogue dashes count here: "- et punkt" starts a new line.
    after = text[match.end() : match.end() + _WINDOW].lstrip()
    if not before or not after:
        return True
    return before[-1] not in ",;" and not after[0].islower()


def _is_boundary(text: str, match: re.Match, language: str) -> bool:
    if match.group("newline"):
        return _newline_ends_sentence(text, match)
    if match.group("heading") is not None:
        return _heading_ends(text, match.start())
    if match.group("dash") is not None:
        return True
    marks = match.group("stop") or match.group("glued")
    if marks is None:
        return True  # CJK full stop
    after = _next_word(text, match.end())
    if not after:
        return True
    if after[0].islower():
        return False
    if marks != ".":
        return True  # "!", "?", ellipsis before a non-lowercase word
    if _in_title(text, match):
        return False
    return _period_ends_sentence(text, match.start(), after, language)


def _in_title(text: str, match: re.Match) -> bool:
    """Whether the full stop of ``match`` separates a quoted title from its subtitle."""
    head = text[max(0, match.start() - _WINDOW) : match.start()]
    tail_end = match.end() + _WINDOW + 16  # room for the spaces, 60 characters and the closing mark
    return bool(_TITLE_HEAD.search(head)) and bool(_TITLE_TAIL.match(text, match.end(), tail_end))


class _StraightQuotes:
    """Whether a straight quotation mark at a position closes a quotation: an odd number of them
    before it on its line. Positions are asked in increasing order, so each character is counted
    once and the cost stays linear however long the line."""

    def __init__(self, text: str):
        self._text, self._pos, self._odd = text, 0, False

    def closes(self, pos: int) -> bool:
        newline = self._text.rfind("\n", self._pos, pos)
        if newline >= 0:
            self._pos, self._odd = newline + 1, False
        self._odd ^= self._text.count('"', self._pos, pos) % 2 == 1
        self._pos = pos
        return self._odd


def _boundary_end(text: str, match: re.Match, quotes: _StraightQuotes) -> int:
    """Where the sentence before a boundary ends. A full stop glued to the next sentence keeps a
    closing « (the pattern takes it) and a straight quotation mark that closes a quotation
    ('"... at stemme."De unge'); one that opens the next sentence goes with that
    ('Østhuset."Jeg har')."""
    end = match.end()
    if match.group("glued") and text.startswith('"', end) and quotes.closes(end):
        return end + 1
    return end


def split_sentences(text: str, language: str = "und", clean: bool = True) -> list[Sentence]:
    """Split ``text`` into sentences with verbatim character offsets.

    ``language`` is an ISO 639-1 code (or "und") selecting the abbreviation
    lists; the boundary rules themselves are language independent. With
    ``clean`` (the default) news boilerplate (datelines, bylines, promos,
    glued image captions; see ``clean.py``) is also cut off into sentences
    of its own, so that it can be recognised and skipped as a whole.
    """
    quotes = _StraightQuotes(text)
    cuts = [
        _boundary_end(text, m, quotes) for m in _CANDIDATE.finditer(text) if _is_boundary(text, m, language)
    ]
    if clean:
        bounds = [0] + cuts + [len(text)]
        cuts = sorted(set(cuts).union(cut_points(text, list(zip(bounds, bounds[1:])), language)))
    sentences = []
    start = 0
    for end in cuts + [len(text)]:
        segment = text[start:end]
        left = _opening(segment)
        stripped = segment[left:].rstrip()
        if _WORD_CHAR.search(stripped):
            sentences.append(Sentence(start + left, start + left + len(stripped), stripped))
        start = end
    return sentences


def _opening(segment: str) -> int:
    """Where a sentence in ``segment`` opens: past the spaces before it, and past the combining
    marks among them, which belong to no letter of the sentence (a stray accent after a line end
    would open it, and quoting it from there would cut the accent off the space it sits on)."""
    i = 0
    while i < len(segment) and (segment[i].isspace() or unicodedata.category(segment[i]).startswith("M")):
        i += 1
    return i
