"""Language identification for article text.

Uses lingua-language-detector, which ships its n-gram models inside the
wheel (no network), restricted to the languages of the press (see _LANGUAGES).

Two stages keep memory small without losing the Scandinavian split:
lingua's high-accuracy mode loads 1- to 5-gram models (~25 MB per Latin
script language), while low-accuracy mode loads only trigrams (about
60 MB for all of these) and is reliable on paragraphs, but
confuses Danish, Bokmål and Swedish on short texts. So a low-accuracy
detector picks the language, and when it lands on one of those three a
high-accuracy detector restricted to just them decides between them.

Short texts (headlines, briefs: up to _SHORT_WORDS words) are mostly names, and names carry
little language evidence but plenty of n-grams ("Joe Biden in Paris." read as Basque). For
them the names are set aside (_without_names) and English joins the three in the second stage:
when the four together outweigh every other language, or when the text is nearly all names
and stage one is not sure of another language, a high-accuracy detector over the four reads
what is left without the names; if that is not English, the Scandinavian stage decides as
above, on the whole text (names such as Ringkøbing are evidence between those three). English's
high-accuracy models cost a worker 20 MB; the trigram models alone read short texts worse
(CoNLL-2003 dev, 3-5 words: 0.55 English against 0.67).

Norwegian is reported as ``"nb"`` (Bokmål), the ISO 639-1 code of the only
Norwegian written standard in the set; Nynorsk text will usually come back
as ``"nb"`` too. Callers that want the macrolanguage code ``"no"`` must map
it themselves.
"""

from __future__ import annotations

import functools
import re

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

_SCANDINAVIAN = (Language.DANISH, Language.BOKMAL, Language.SWEDISH)
# The candidates. A text in a language outside them comes back as the nearest one inside, most
# often with confidence 1.0 (Hungarian as Swedish, Vietnamese as Danish, which the Danish entity
# model then reads), so the set is wide: every language lingua knows in a script other than
# Latin (a script keeps to its own languages, so these cost the others nothing), and the
# Latin-script languages of Europe's and Asia's national press. A Latin-script candidate takes
# a few short texts from the rest: these 17 took 12 of CoNLL-2003 dev's 1,913 English sentences
# over 8 words (none of DaN+ dev's 453 Danish ones, no whole article of the CNN/DailyMail and
# DaNewsroom samples); lingua's other Latin-script ones, Latin and Esperanto left out (Tagalog,
# Welsh, Yoruba, ...), would have taken 28 more.
_LANGUAGES = tuple(
    Language.from_iso_code_639_1(IsoCode639_1.from_str(code))
    for code in (
        "bs ca cs da de en es et eu fi fr hr hu id is it lt lv ms nb nl pl pt ro sk sl sq sv tr vi"  # Latin
        " ar be bg bn el fa gu he hi hy ja ka kk ko mk mn mr pa ru sr ta te th uk ur zh"  # the others
    ).split()
)

SUPPORTED_LANGUAGE_CODES: frozenset[str] = frozenset(
    lang.iso_code_639_1.name.lower() for lang in _LANGUAGES
)

UNDETERMINED = "und"

# Only a prefix is inspected: a paragraph or two identify the language as
# well as the whole text, and lingua's cost grows with input length. Over the
# 1,000 DaNewsroom val1k and CNN/DailyMail articles, 1,000 characters gave
# the same language as 2,000 for every article, at about 60% of the CPU.
_MAX_CHARS = 1000
# Below this many letters n-gram statistics are noise.
_MIN_LETTERS = 3
_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"\S*[^\W\d_]\S*")
# Short-text handling, tuned on DaN+ dev, CoNLL-2003 dev, UNER English PUD and the guard
# sentences of tests/unit/test_language.py (bench/language.py prints the table).
_SHORT_WORDS = 25
_HOME = frozenset(_SCANDINAVIAN + (Language.ENGLISH,))
# "Nearly all names": fewer letters than this outside names, or under this share of them.
_NAMES_MIN_LETTERS = 5
_NAMES_MIN_SHARE = 0.2
# Stage one this sure of a language outside the four is believed even on names (0.95 and
# 0.99 cost no guard sentence; 0.99 kept 6 more CoNLL dev headlines English).
_SURE = 0.99
# A word, or sentence-ending punctuation (the next word starts a sentence).
_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|[.!?:]")


@functools.lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    """All-language detector, built once per process; models load lazily."""
    return (
        LanguageDetectorBuilder.from_languages(*_LANGUAGES)
        .with_low_accuracy_mode()
        .build()
    )


@functools.lru_cache(maxsize=1)
def _home_detector() -> LanguageDetector:
    """High-accuracy detector for English against the three, for short texts only (its models are
    loaded in a worker's warm-up: load_detectors)."""
    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, *_SCANDINAVIAN).build()


@functools.lru_cache(maxsize=1)
def _scandinavian_detector() -> LanguageDetector:
    """High-accuracy detector for the three easily confused languages (its models, about 110 MB,
    are loaded in a worker's warm-up: load_detectors)."""
    return LanguageDetectorBuilder.from_languages(*_SCANDINAVIAN).build()


def load_detectors() -> None:
    """Build the detectors and load their models now, by reading a sentence. Loaded lazily, the
    Scandinavian models came with the first Danish, Norwegian or Swedish text a worker read: 0.5 s
    more for that job, and 110 MB that a worker's memory at rest did not show until then; the
    home detector's English ones, 20 MB, with the first short text. (Loaded
    by with_preloaded_language_models instead, they took a worker 37 MB higher on a 1 MB article:
    519-521 MB against 482, bench/large_articles.py.)"""
    _detector().compute_language_confidence_values("Newsdesk loads its models before the first article.")
    _home_detector().compute_language_confidence_values("Newsdesk loads its models.")
    _scandinavian_detector().compute_language_confidence_values("Newsdesk henter sine modeller, før artiklerne kommer.")


def _prefix(text: str) -> str:
    """First ~_MAX_CHARS characters, cut at a whitespace so no word is split."""
    if len(text) <= _MAX_CHARS:
        return text
    cut = text.rfind(" ", _MAX_CHARS // 2, _MAX_CHARS)
    return text[: cut if cut > 0 else _MAX_CHARS]


def _without_names(text: str) -> tuple[str, int]:
    """The text's words without those that look like names, and how many were dropped.

    A name is a capitalised word inside a sentence, or one opening a sentence when the next
    word is capitalised too ("Angela Merkel visited Paris." keeps "visited"). German nouns go
    with them; the function words left identify German as well. A text mostly in capitals
    (an all-caps headline) says nothing by case and is returned whole.
    """
    tokens = _TOKEN.findall(text)
    words = [t for t in tokens if t not in ".!?:"]
    letters = sum(len(w) for w in words)
    if not words or sum(c.isupper() for w in words for c in w) * 2 > letters:
        return text, 0
    kept: list[str] = []
    dropped = 0
    opening = True
    for i, token in enumerate(tokens):
        if token in ".!?:":
            opening = True
            continue
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token[0].isupper() and (not opening or following[:1].isupper()):
            dropped += 1
        else:
            kept.append(token)
        opening = False
    return " ".join(kept), dropped


def _short_text_choice(sample: str, values) -> tuple[Language, float] | None:
    """English, Danish, Bokmål or Swedish for a short text when they are the likely reading
    once names are set aside (see the module's docstring); None to keep stage one's answer."""
    if len(_WORD.findall(sample)) > _SHORT_WORDS:
        return None
    rest, dropped = _without_names(sample)
    rest_letters = len(_LETTER.findall(rest)) if dropped else 0
    names = dropped and (rest_letters < _NAMES_MIN_LETTERS
                         or rest_letters < _NAMES_MIN_SHARE * len(_LETTER.findall(sample)))
    group = sum(v.value for v in values if v.language in _HOME)
    other = max((v.value for v in values if v.language not in _HOME), default=0.0)
    if not (group > other or (names and values[0].value < _SURE)):
        return None
    home = _home_detector().compute_language_confidence_values(rest if rest_letters >= 2 else sample)
    if home[0].language == Language.ENGLISH:
        return Language.ENGLISH, group * home[0].value
    refined = _scandinavian_detector().compute_language_confidence_values(sample)
    return refined[0].language, group * refined[0].value


def detect_language(text: str) -> tuple[str, float]:
    """Return (ISO 639-1 code, confidence 0..1) for ``text``.

    Returns ("und", 0.0) when the text has too few letters to decide or the
    detector cannot pick a language. The confidence is lingua's relative
    confidence of the winner among the supported languages (for Danish,
    Bokmål and Swedish: the three's joint share times the winner's share
    among them).
    """
    sample = _prefix(text or "")
    if len(_LETTER.findall(sample)) < _MIN_LETTERS:
        return UNDETERMINED, 0.0
    values = _detector().compute_language_confidence_values(sample)
    if not values or values[0].value <= 0.0:
        return UNDETERMINED, 0.0
    best, confidence = values[0].language, values[0].value
    short = _short_text_choice(sample, values)
    if short is not None:
        best, confidence = short
        return best.iso_code_639_1.name.lower(), round(float(confidence), 4)
    group = sum(v.value for v in values if v.language in _SCANDINAVIAN)
    other = max((v.value for v in values if v.language not in _SCANDINAVIAN), default=0.0)
    if group > other:
        # Stage one vouches only for "one of the three" (short Scandinavian
        # texts split their mass between them); stage two's share of that
        # mass is the confidence in the specific language.
        refined = _scandinavian_detector().compute_language_confidence_values(sample)
        best, confidence = refined[0].language, group * refined[0].value
    return best.iso_code_639_1.name.lower(), round(float(confidence), 4)
