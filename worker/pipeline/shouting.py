"""Runs of words written in capitals ("KUWAIT AIRWAYS AFLYSER FLY"), read in the case the rest of
the article writes their words. A heading, a lead or a title is often sent so; the tagger,
trained on text in ordinary case, took nearly every word of such a run for a name ("PAPVIN",
"HVILKEN BANK", "ONSDAGS") and typed the names by their shape ("KUWAIT AIRWAYS" a place).

A word of such a run is read as the article writes it elsewhere inside a sentence (not first:
"Det" there is "det"), or else first in one ("John" of "John Mayer har fået ..."), so names stay
names ("Kuwait Airways", "EU") and the rest reads as lower case; a word the article writes
nowhere else is read in lower case, but with a capital where it opens a line or a sentence, or
stands right before a name and has four letters or more ("VLADIMIR PUTIN", where the article
names him "Putin" after; not "MOD RUSLAND"). (Read in lower case, "John" had been taken for a
common word, and dropped where it opened a sentence.) A run is five words of two letters or more
written in capitals, on one line, with nothing but spaces and punctuation between them ("HVAD
SKAL THORNING GØRE? DELTAG I DEBATTEN", also where a heading is glued to the text after it);
shorter ones are names ("RIO DE JANEIRO", "SE OG HØR"), but for a title all in capitals
(`_runs`). Each letter is read as one letter, so offsets stay as they are.

Where the article writes a word nowhere else, the language's lexicon may know it (`CaseCues`,
which the analysis gives from the models' lexicon): a country's or region's name is read as one
("ITALIEN" as "Italien"; one of three letters or fewer stays as written: "USA"), and a common word
is read in lower case even before a name ("GARANTERER KRIEGERS FLAK", "SLÅR KØBENHAVN"; had been
"Garanterer Kriegers Flak", one name). With the first paragraph of each of the 1,250 sample
articles in capitals, that took the groups the article has not in ordinary case from 1,086 to 833,
and those it lost or changed from 3,336 to 3,066.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

# How the language's lexicon knows a lower-cased word: "name" (a country's or a region's), "word"
# (a common word, no name), or None.
CaseCues = Callable[[str], str | None]

MIN_WORDS = 5
_WORD = re.compile(r"[^\W\d_]+")
# What a word that opens a sentence or a line comes after (and spaces): its capital says nothing.
_OPENERS = frozenset('\n.!?:»«"“”')


# Words in capitals with nothing but spaces and punctuation between them, on one line (`_runs`
# keeps those of `MIN_WORDS`). Whole words: "ARTIKLENLige", a heading glued to the text after it,
# ends the run before it.
_CAPITALS = re.compile(r"(?<![^\W\d_])[^\W\d_a-zß-öø-ÿ]{2,}(?:[^\w\n]+[^\W\d_a-zß-öø-ÿ]+)+(?![^\W\d_])")


def _runs(text: str) -> list[tuple[int, int]]:
    """Where each run of words in capitals (`__doc__`) starts and ends. A text of one line all in
    capitals, of two words or more, is one run however short: a title sent so, whose names the text
    writes in ordinary case. With each sample article's title in capitals, 155 articles had
    changed their groups, 95 now ("SHERRY" and "BERTEL TRISSER" had been names)."""
    if text.isupper() and "\n" not in text.strip():
        words = list(_WORD.finditer(text))
        if sum(len(word.group()) > 1 for word in words) >= 2:
            return [(words[0].start(), words[-1].end())]
    runs = []
    for run in _CAPITALS.finditer(text):
        words = _WORD.findall(run.group())
        if all(word.isupper() for word in words) and sum(len(word) > 1 for word in words) >= MIN_WORDS:
            runs.append((run.start(), run.end()))
    return runs


def unshouted(text: str, elsewhere: str = "", cues: CaseCues | None = None) -> str:
    """`text` with each run of words in capitals read as `__doc__` says; `elsewhere` is more of the
    article (its title, or its text) to learn the words' case from, `cues` what the lexicon knows
    of the words it writes nowhere else."""
    runs = _runs(text) if not text.islower() else []
    if not runs:
        return text
    pieces, last = [], 0
    for start, end in runs:
        pieces.append(text[last:start])
        last = end
    cases = _cases("".join(pieces) + text[last:] + "\n" + elsewhere)
    read, last = [], 0
    for start, end in runs:
        read += [text[last:start], _read(text, start, end, cases, cues or _no_cues)]
        last = end
    return "".join(read) + text[last:]


def _cases(text: str) -> dict[str, str]:
    """Each word's form as the text writes it most inside a sentence, else as it writes it first in
    one ("John" of "John Mayer har fået ..."), by its lower-case form."""
    inside: dict[str, Counter] = {}
    opening: dict[str, str] = {}
    for word in _WORD.finditer(text):
        if _opens(text, word.start()):
            opening.setdefault(word.group().lower(), word.group())
        else:
            inside.setdefault(word.group().lower(), Counter()).update([word.group()])
    return opening | {key: counts.most_common(1)[0][0] for key, counts in inside.items()}


def _opens(text: str, start: int) -> bool:
    """Whether the word at `start` opens the text, a line or a sentence (looking back past at
    most a few spaces)."""
    i = start - 1
    while i >= 0 and start - i <= 8 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in _OPENERS


def _no_cues(_word: str) -> None:
    return None


def _read(text: str, start: int, end: int, cases: dict[str, str], cues: CaseCues) -> str:
    """The run of `text` from `start` to `end`, each word read as the article writes it."""
    words = list(_WORD.finditer(text, start, end))
    lowers = [word.group().lower() for word in words]
    # What the lexicon knows of the words the article writes nowhere else.
    known = [None if lower in cases else cues(lower) for lower in lowers]
    reads = [_as_name(word.group()) if kind == "name" else cases.get(lower, lower)
             for word, lower, kind in zip(words, lowers, known)]
    # Right to left, so that a name of several such words is read whole ("LARS LØKKE RASMUSSEN").
    for i in range(len(words) - 2, -1, -1):
        if (len(lowers[i]) >= 4 and lowers[i] not in cases and reads[i + 1][:1].isupper()
                and known[i] != "word" and text[words[i].end() : words[i + 1].start()].strip(" ") == ""):
            reads[i] = reads[i].capitalize()
    pieces, last = [], start
    for word, read in zip(words, reads):
        if _opens(text, word.start()) and not read[:1].isupper():
            read = read[:1].upper() + read[1:]
        pieces += [text[last : word.start()], read if len(read) == len(word.group()) else word.group()]
        last = word.end()
    return "".join(pieces) + text[last:end]


def _as_name(word: str) -> str:
    """A place's name the article writes nowhere else: with a capital, or as written if it is
    short ("USA")."""
    return word.capitalize() if len(word) >= 4 else word
