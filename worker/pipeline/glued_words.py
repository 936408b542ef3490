"""Words glued together where a line break was lost: "Henrik DamFormand for ...", "Simon SpiesHer er".

Text copied out of web pages often loses the break between a byline, caption or heading and the
line after it, which glues the last word of one to the first word of the next. The tokenizer then
reads one word, and the tagger takes "DamFormand" as part of the name before it. Split where it was
glued, before the tagger runs, the word is two words to the tagger and to the rules after it.

A word is split before a capital that follows a lower-case letter where
- the part before it, after any hyphen, is a lower-case word of three letters or more, and the
  rest no common word: no name starts in lower case ("socialdemokraterMette Frederiksen",
  "EU-redskabDanmark"), and a common word after one ("overskriftSkolen") stays where it was,
  inside a word the tagger takes for none; or
- the rest of the word is one of the language's most frequent words and no name (``opener``), which
  a name does not end in but a sentence or a byline's second line often starts with ("Formand",
  "Her", "Der", "Det"); or
- the rest is a common word the language writes in lower case, after a known first name or
  surname: a byline glued to the author's title ("Mickael BechDirektør", "Jacob H. SimonsenDirektør").
Names written in camel case are left alone: "GoFundMe", "YouGov", "RokokoPosten",
"ForsikringsDanmark", "iPhone", "McCoy", "BethesdaNow.com". A closing bracket glued to a
capitalised word is split off in every language: "(CNN)Sofia Vergara" is "(CNN) Sofia Vergara".
So is a full stop or colon, with any quotation marks, glued between a lower-case word and a
capitalised one, where the space after a sentence or a speaker's name was lost ("Bjarne
Olesen.»Dårligere", "Hans Henrik Lindboe:»Der", '"Verdensklasse".Allan K. Pedersen'; not a web
address, "Avisen.dk", "E.on", nor initials, "H.C. Andersen"). So is a dash glued to the full stop
or colon after a word, the dash that opens a reply in an interview where the line break before it
was lost or never written ("siger Paul Bundgaard.- De kan ...", "Ole Birk:- Det er ..."): the
tokenizer reads "Bundgaard.-" as one word, and the name took the punctuation with it. What is left
before the dash is cut as the tokenizer cuts it alone ("Bundgaard" "."; an abbreviation keeps its
full stop). Only at a word's end after a letter: "ph.d.-afhandling", "5.-plads", "H.-T." and "14.-"
stay whole. And a list's number glued to the full stop before it, or a time glued to a word, where
a numbered list or a programme lost its line breaks ("Danmark.4. Adresse...", "De Radikale09.00").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

# A capital after a lower-case letter and before another: where two words may have been glued.
_GLUE = re.compile(r"(?<=[a-zß-öø-ÿ])[A-ZÀ-ÖØ-Þ](?=[a-zß-öø-ÿ])")
# A closing bracket glued to the capitalised word after it, as CNN's dateline is to the first word
# of its text ("(CNN)Sofia Vergara"): the tokenizer splits off neither.
_BRACKET = re.compile(r"(?<=\w)[)\]](?=[A-ZÀ-ÖØ-Þ])")
# A dash glued to a full stop, colon, question or exclamation mark after a letter, at a word's end.
_GLUED_DASH = r"(?<=[^\W\d_][.:!?…])[-–—]+"
_DASH = re.compile(f"{_GLUED_DASH}$")
# A full stop or colon (with any quotation marks) glued between a lower-case word and a capitalised
# one, where the space after a sentence or a speaker's name was lost: "Bjarne Olesen.»Dårligere",
# "Lindboe:»Der", 'Verdensklasse".Allan'. Not a web address ("Avisen.dk", "E.on") nor initials
# ("H.C.", "B.T."): a lower-case letter follows the capital, and two precede the stop.
_GLUED_STOP = re.compile(r"(?<=[a-zß-öø-ÿ]{2})[\"”»«]?[.:][\"“”»«]?(?=[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ])")
# A numbered list or a programme whose line breaks were lost: a sentence's full stop glued to the
# next item's number ("i Danmark.4. Adresseoplysningspligt", "i Tønder.2. Samarbejde"), or a word
# glued to the time that opens the next line ("De Radikale09.00 - 10.00 Venstre"). Not a name
# with a number of its own ("Radio24syv", "Version2", "TV2").
# (Each opens with what it looks for, not a look behind: the text is searched at every character.)
_GLUED_NUMBER = re.compile(r"\.(?<=[a-zß-öø-ÿ]{2}\.)(?=\d{1,2}[.)](?:\s|$))")
_NUMBER_AT_END = re.compile(r"(?<=[a-zß-öø-ÿ]{2})\.(?=\d{1,2}[.)]?$)")  # in a word (the tokenizer's)
_GLUED_TIME = re.compile(r"(?:[01]\d|2[0-3])[.:][0-5]\d(?<=[a-zß-öø-ÿ]{2}\d\d[.:]\d\d)(?!\d)")
_SPLIT = re.compile(f"{_GLUE.pattern}|{_BRACKET.pattern}|{_GLUED_STOP.pattern}|{_GLUED_DASH}(?!\\S)"
                    f"|{_GLUED_NUMBER.pattern}|{_GLUED_TIME.pattern}")
MIN_LOWER_PART = 3


def _never(word: str) -> bool:
    return False


@dataclass(frozen=True)
class GlueCues:
    """What the split asks about a lower-cased word; the entity step answers from the model's
    lexicon (`entities.name_cues`), and for a language without answers only the first rule holds."""

    opener: Callable[[str], bool] = _never  # one of the language's most frequent words, no name's
    common_word: Callable[[str], bool] = _never  # a common word the language writes in lower case
    name_word: Callable[[str], bool] = _never  # a known first name or surname


def glued_at(word: str, cues: GlueCues) -> int | None:
    """Where in ``word`` a second word was glued on, or None."""
    for match in _GLUE.finditer(word):
        cut = match.start()
        before, rest = word[:cut].rpartition("-")[2], word[cut:]
        if not rest.isalpha():  # a web address or a file name, not a word
            continue
        common = cues.common_word(rest.lower())
        if ((len(before) >= MIN_LOWER_PART and before.islower() and not common) or cues.opener(rest.lower())
                or (common and before.istitle() and cues.name_word(before.lower()))):
            return cut
    return None


def pieces(word: str, cues: GlueCues) -> list[str]:
    """``word`` as the words and brackets it is made of: itself where nothing was glued."""
    cuts = {k for match in _BRACKET.finditer(word) for k in (match.start(), match.end())}
    # Each mark of a glued stop a token of its own, as the tokenizer makes them after a space.
    cuts |= {k for match in _GLUED_STOP.finditer(word) for k in range(match.start(), match.end() + 1)}
    cuts |= {k for match in _NUMBER_AT_END.finditer(word) for k in (match.start(), match.end())}
    cuts |= {match.start() for match in _GLUED_TIME.finditer(word)}  # before the time
    glued = glued_at(word, cues)
    if glued:
        cuts.add(glued)
    bounds = [0, *sorted(cuts), len(word)]
    return [word[a:b] for a, b in zip(bounds, bounds[1:])]


def _split_word(nlp: Language, word: str, cues: GlueCues) -> list[str]:
    """``word`` as `pieces`, and with a dash glued to its end (see `_DASH`) split off."""
    dash = _DASH.search(word)
    if dash is None:
        return pieces(word, cues)
    stem = nlp.make_doc(word[: dash.start()])
    return [part for token in stem for part in pieces(token.text, cues)] + [dash.group()]


def make_doc(nlp: Language, text: str, cues: GlueCues) -> Doc:
    """``nlp``'s tokens of ``text``, with every glued word split (the tagger then runs on the Doc as
    on any other: ``nlp(doc)``, ``nlp.pipe(docs)``)."""
    doc = nlp.make_doc(text)
    # Only the words with a capital or a bracket inside are read (in most texts, none).
    found = (doc.char_span(m.start(), m.end(), alignment_mode="expand") for m in _SPLIT.finditer(text))
    words = sorted({span[0] for span in found if span is not None and len(span) == 1}, key=lambda token: token.i)
    splits = [(token, parts) for token in words if len(parts := _split_word(nlp, token.text, cues)) > 1]
    if splits:
        with doc.retokenize() as retokenizer:
            for token, parts in splits:
                retokenizer.split(token, parts, heads=[(token, 0)] * len(parts))
    return doc
