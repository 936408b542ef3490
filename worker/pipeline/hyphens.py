"""English names joined by a hyphen stay one token, as CoNLL-2003, which the English tagger learns
from, writes them: "Louis-Dreyfus", "Jean-Claude", "al-Shabab", "VI-B".

spaCy's English tokenizer cuts every hyphen between letters ("Julia Louis - Dreyfus"), words the
tagger never saw cut: it tagged "Julia Louis" and left "Dreyfus" out, or made two persons of
"Sam Waley-Cohen". The tokenizer saved with the English model still cuts a hyphen before a
lower-case letter ("Windsor-born Haskell", "English-language", "Ten-year"), where the words are
no name's, and after a prefix ("anti-Obama", "Ex-Killie", "pro-Russian"); Danish's tokenizer
cuts none of these ("Thorning-Schmidt", "Pussy Riot-sagen").
But a Korean given name, whose second syllable English writes in lower case ("Kim Jong-un", "Ban
Ki-moon", "Moon Jae-in"), stays whole: cut, the tagger named "Kim Jong" and "Ban Ki", and "Park
Geun" a place. It is told by its two syllables, each one that Korean given names are written with
(KOREAN_SYLLABLES), not by its shape alone, which "Ten-year" and "Long-term" share.
"""

from __future__ import annotations

import re

import spacy
from spacy.lang.char_classes import ALPHA, ALPHA_LOWER, HYPHENS
from spacy.util import compile_infix_regex

# English prefixes written before a name with a hyphen: the name after them stands alone.
PREFIXES = ("anti", "pro", "ex", "non", "pre", "post", "mid", "pan", "neo", "semi", "pseudo", "trans")

# Syllables of Korean given names as English news romanise them: "Jong-un", "Ki-moon", "Jae-in",
# "Geun-hye", "Myung-bak", "Heung-min", "Suk-yeol".
KOREAN_SYLLABLES = """bak chan chul dae doo eui geun gyu ho hee heung hwan hye hyun il in jae ji jin jong
    joo jung ki kyu kyung min moo moon myung nak sam se seok seung soo suk sun sung tae un woo yeol
    yo yong yoon young""".split()
# A Korean given name: a capitalised syllable, a hyphen and a lower-case one, and nothing more.
_KOREAN_GIVEN_NAME = re.compile(r"(?:{s})-(?:{l})$".format(
    s="|".join(syllable.capitalize() for syllable in KOREAN_SYLLABLES), l="|".join(KOREAN_SYLLABLES)))

# spaCy's own rule: a hyphen between letters (or after a digit) splits the word.
_EVERY_HYPHEN_BETWEEN_LETTERS = "Louis-Dreyfus"
_BEFORE_LOWER_CASE = r"(?<=[{a}0-9])(?:{h})(?=[{l}])".format(a=ALPHA, h=HYPHENS, l=ALPHA_LOWER)
# One look-behind per prefix (Python's have a fixed width), at the word's start, either case.
_AFTER_PREFIX = "(?:{})(?:{})(?=[{}])".format(
    "|".join(f"(?<=^[{p[0]}{p[0].upper()}]{p[1:]})" for p in PREFIXES), HYPHENS, ALPHA)


def keep_hyphenated_names(nlp: spacy.Language) -> None:
    """Make `nlp`'s tokenizer cut hyphens only before a lower-case letter and after a prefix, but
    for a Korean given name's ("Jong-un")."""
    infixes = [pattern for pattern in nlp.Defaults.infixes
               if not re.search(pattern, _EVERY_HYPHEN_BETWEEN_LETTERS)]
    nlp.tokenizer.infix_finditer = compile_infix_regex([*infixes, _BEFORE_LOWER_CASE, _AFTER_PREFIX]).finditer
    nlp.tokenizer.token_match = _KOREAN_GIVEN_NAME.match
