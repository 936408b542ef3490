"""Runtime named-entity extraction and per-article grouping.

Plain Python (no Celery/Flask): the worker task calls ``load_ner`` and
``extract_entities``. The model proposes mentions; the rules here clean them
up, make them consistent across the article and group the mentions that refer
to the same real-world entity (genitives, possessives, partial names).
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from worker.pipeline import clean, crf_ner, glued_words
# The steps after the tagger register themselves on import; the saved models name them.
from worker.pipeline import compound_events, kind_cues, listed_names, name_particles, quoted_titles  # noqa: F401
from worker.pipeline import run_on_names
from worker.pipeline import known_names
from worker.pipeline.punctuation import QUOTES
from worker.pipeline.calendar_words import MONTH_ABBREVIATIONS, MONTHS
from worker.pipeline.sentences import split_sentences

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
LABELS = ("PER", "LOC", "ORG", "MISC")
FIELD_ORDER = ("title", "text")
MAX_CHARS = 10_000_000
CHUNK_CHARS = 20_000
# Texts per model batch in nlp.pipe: enough to amortise the call, little enough memory.
PIPE_BATCH = 16
_TRAILING_SPACE = re.compile(r"\s(?=\S*$)")

_COMPOUND_TAIL = re.compile(r"(?<=[\w.])-([^\W\d_]+)$")
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
# Words that join two names in one mention, and belong to neither ("Google og Facebook", "SNP and
# Labour", "Venstre eller Konservative"); and one of them between two words.
_COORDINATORS = frozenset({"og", "eller", "and", "or"})
_CONJUNCTION = re.compile(f" (?:{'|'.join(sorted(_COORDINATORS))}) ")
_SENTENCE_END = ".!?:…"
# Quotes, brackets and dashes that may open a sentence, and every kind of whitespace (str.split's).
_OPENERS = QUOTES + "([-–—" + "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace())
_LOOKBACK = 64
_DAY = re.compile(r"\d{1,2}\.?")  # a day of the month: "29." in Danish, "29" in English
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_MONTH_WORDS = MONTHS | MONTH_ABBREVIATIONS
# Lower-case words that may begin a name ("van Gogh", "de Gaulle", "al-Assad" is one token). Not
# Danish "af" ("by", "of"), which stands inside a noble's name ("Eva af Trolle") but opens none:
# "arrangeret af Konservative" had named the party's group of 6 "af Konservative".
NAME_PARTICLES = {"van", "von", "de", "der", "di", "du", "da", "dos", "del", "la", "le", "al", "el",
                  "bin", "ibn", "zu", "ten", "ter"}
# Names are looked up by their first characters (see `occurrences`).
_PREFIX = 3


@dataclass(frozen=True)
class Mention:
    field: str
    start: int
    end: int
    text: str
    label: str


def _never(word: str) -> bool:
    return False


def _no_kind(word: str) -> str | None:
    return None


@dataclass(frozen=True)
class NameCues:
    """What the rules after the model may ask about a lower-cased word or name; `name_cues`
    answers from the model's lexicon, and a model without one answers no to all."""

    known_genitive: Callable[[str], bool] = _never  # see known_genitives
    common_word: Callable[[str], bool] = _never  # see common_words
    compound_tail: Callable[[str], bool] = _never  # see compound_tails
    person_name: Callable[[str], bool] = _never  # see person_names
    danish_full_name: Callable[[str], bool] = _never  # see danish_full_names
    # A word the language writes in lower case mid-sentence: in Danish see lower_case_forms; English
    # capitalises words the lexicon knows as common ("Scottish", "Monday"), so there none.
    lower_case_word: Callable[[str], bool] = _never  # see drop_capitalised_common_words
    # A Danish compound whose last part is a common word ("klimaminister", "erhvervsmanden").
    common_compound: Callable[[str], bool] = _never  # see common_compounds
    place_name: Callable[[str], bool] = _never  # see place_names
    # Where a word glued to another starts a new line ("DamFormand"): see glued_words.
    glue: glued_words.GlueCues = glued_words.GlueCues()
    # The type a Danish kind noun announces ("nyhedsbureauet": ORG): see kind_cues.cue_label.
    kind_of: Callable[[str], str | None] = _no_kind
    # A word the lexicon has at all, as a name or a word: see misspellings.
    known_word: Callable[[str], bool] = _never
    # A word the lexicon has never met, or knows only as a name's genitive: see possessive_names.
    unknown_or_genitive: Callable[[str], bool] = _never


# --------------------------------------------------------------------------- models


# spaCy keeps every string it meets in the model's vocabulary, about 800 bytes a new word
# (measured), so a worker that runs for months would grow without end. Past this many strings
# the model is loaded afresh: some 0.25 s (the lexicon stays in memory) every few thousand
# articles, for at most about 40 MB a language. spaCy's memory_zone() frees them as well, but
# then every word is looked up anew, which cost 8-10 % more CPU an article here.
VOCAB_STRINGS_LIMIT = 60_000
_loaded: dict[str, spacy.Language | None] = {}


def load_ner(language: str) -> spacy.Language | None:
    """The project-trained NER pipeline for ``language``, or None if there is none; loaded once
    per process, and again once its vocabulary has outgrown VOCAB_STRINGS_LIMIT."""
    nlp = _loaded.get(language)
    if language not in _loaded or (nlp is not None and len(nlp.vocab.strings) > VOCAB_STRINGS_LIMIT):
        nlp = _loaded[language] = _read_ner(language)
    return nlp


def _read_ner(language: str) -> spacy.Language | None:
    path = MODELS_DIR / f"ner-{language}"
    if not (path / "meta.json").is_file():
        return None
    nlp = spacy.load(path)
    # spaCy's 1M-character guard is for its parser's memory; this CRF tagger needs far less
    # (bench/scaling.py measures it), and the API already bounds an article's size.
    nlp.max_length = MAX_CHARS
    return nlp


def available_languages() -> set[str]:
    return {p.name[len("ner-") :] for p in MODELS_DIR.glob("ner-*") if (p / "meta.json").is_file()}


# The languages whose models ship with the package. Without one, every article in it would be
# answered as if the language were unsupported, so a worker missing one does not start.
BUNDLED_LANGUAGES = ("da", "en")


def missing_bundled_models() -> list[str]:
    return [language for language in BUNDLED_LANGUAGES if language not in available_languages()]


def model_versions(language: str) -> dict:
    """``{"ner": "<name>@<version>"}``, or ``{"ner": None}`` without a model."""
    nlp = load_ner(language) if language else None
    if nlp is None:
        return {"ner": None}
    return {"ner": f"{nlp.meta.get('name')}@{nlp.meta.get('version')}"}


# --------------------------------------------------------------------------- extraction


def extract_entities(nlp: spacy.Language, fields: dict[str, str]) -> list[dict]:
    """Entity groups of one article whose ``fields`` map a field name to its text."""
    return extract_entities_many(nlp, [fields])[0]


def extract_entities_many(nlp: spacy.Language, articles: list[dict[str, str]],
                          elsewhere: list[list[tuple[int, int]]] | None = None) -> list[list[dict]]:
    """Entity groups of several articles (each a dict of field name -> text), in order.

    All texts up to CHUNK_CHARS go through the model together (nlp.pipe), which is faster per
    article than one call each; longer ones are tagged in pieces (see `tag`), each when its
    article's turn comes, so that a batch holds the Doc of one long text at a time, not all.
    ``elsewhere``: each text's ranges about other articles, the site or the pictures
    (clean.elsewhere_spans), which the caller may have at hand; found here otherwise.
    """
    if elsewhere is None:
        elsewhere = [clean.elsewhere_spans(fields.get("text", "")) for fields in articles]
    keys = [(i, name) for i, fields in enumerate(articles) for name in ordered_fields(fields) if fields[name]]
    short = [key for key in keys if len(articles[key[0]][key[1]]) <= CHUNK_CHARS]
    cues = name_cues(nlp)
    tokens = (glued_words.make_doc(nlp, articles[i][name], cues.glue) for i, name in short)
    docs = dict(zip(short, nlp.pipe(tokens, batch_size=PIPE_BATCH)))
    found = []
    for i, fields in enumerate(articles):
        names = [name for name in ordered_fields(fields) if fields[name]]
        article_docs = {name: docs.pop((i, name)) if (i, name) in docs else tag(nlp, fields[name], cues)
                        for name in names}
        found.append(entities_from_docs(article_docs, fields, genitive_s=nlp.lang == "da", cues=cues,
                                        elsewhere=elsewhere[i]))
    return found


def name_cues(nlp: spacy.Language) -> NameCues:
    if crf_ner.FACTORY not in nlp.pipe_names:
        return NameCues()
    lexicon = nlp.get_pipe(crf_ner.FACTORY).lexicon
    common = common_words(lexicon, nlp.lang)
    danish = nlp.lang == "da"
    lexicon_genitive = known_genitives(lexicon)
    compound = common_compounds(common) if danish else _never
    kind_of = functools.partial(kind_cues.cue_label, table=kind_cues.CUES.get(nlp.lang, {}))
    return NameCues(known_genitive=lambda key: lexicon_genitive(key) or known_names.is_known_genitive(key),
                    common_word=common,
                    compound_tail=compound_tails(common) if danish else _never,
                    person_name=person_names(lexicon),
                    danish_full_name=danish_full_names(lexicon) if danish else _never,
                    lower_case_word=lower_case_forms(lexicon, common, compound, kind_of) if danish else _never,
                    common_compound=compound,
                    place_name=place_names(lexicon),
                    glue=glue_cues(lexicon, common) if danish else glued_words.GlueCues(),
                    kind_of=kind_of,
                    known_word=lambda word: word in lexicon.entries,
                    unknown_or_genitive=unknown_or_genitive(lexicon))


def unknown_or_genitive(lexicon: crf_ner.Lexicon) -> Callable[[str], bool]:
    """Whether the lexicon has never met a lower-cased word ("hamsuns", "quislings") or knows it
    only as the genitive of a name ("jacksons"), not as a name of its own ("williams", "davies")
    nor as a word ("wiggins", in English's word list)."""

    def unknown(word: str) -> bool:
        features = lexicon.features(word)
        return features == ("L:oov",) or ("L:genitive_of_known_name" in features
                                          and not any(f.startswith(("L:first_name", "L:last_name", "L:zipf"))
                                                      for f in features))

    return unknown


def known_genitives(lexicon: crf_ner.Lexicon) -> Callable[[str], bool]:
    """Whether the model's lexicon knows a lower-cased word as the genitive of a place or name.

    Lets "Sydkoreas" be grouped as "Sydkorea" even when the article never says "Sydkorea";
    names that end in -s in their own right ("Paris") are not marked as genitives. Of a longer
    name ("Mette Frederiksens") the last word decides, but only as the genitive of a Danish first
    or last name: other genitives there are often names of their own ("New York Times"); or as a
    word the lexicon has never seen whose base is a word of four letters or more, common in some
    language ("Aukens", "Kerrys", "Nyheders"; not "Styles", a word, nor "Hels"). A word
    the lexicon knows only as a common word may be the genitive of a name made of it
    ("Venstres", "Klimarådets"): see genitive_of_word.
    """

    def genitive_of_name(word: str, danish: bool) -> bool:
        features = lexicon.names(word)
        danish_name = "L:first_name_dk" in features or "L:last_name_dk" in features
        # Danish's most frequent words are names somewhere too ("vi", "man", "have", "sig"), but
        # "Vis mig ..." is no genitive of "Vi".
        return ("L:genitive_of_known_name" in features and (danish_name or not danish)
                and _zipf(lexicon.features(word[:-1]), "da") < _MOST_FREQUENT)

    def genitive_of_country(word: str) -> bool:
        """A country's or a region's genitive that is no place itself: "Danmarks", which the lexicon
        leaves unmarked since names-dataset lists it as a first name."""
        return word.endswith("s") and any(f in _COUNTRY_FEATURES for f in lexicon.names(word[:-1])) \
            and not any(f in _COUNTRY_FEATURES or f == "L:city" for f in lexicon.names(word))

    def known(key: str) -> bool:
        words = key.split()
        last = words[-1]
        # A double surname takes the -s on its second half: "Thorning-Schmidts".
        if genitive_of_name(last, len(words) > 1) or genitive_of_name(last.rpartition("-")[2], True):
            return True
        if len(words) > 1:
            return genitive_of_unknown_word(last)
        return genitive_of_country(last) or genitive_of_word(last)

    def genitive_of_unknown_word(word: str) -> bool:
        stem = word[:-1]
        return (len(stem) >= 4 and word.endswith("s") and not stem.endswith("s")
                and lexicon.features(word) == ("L:oov",) and _zipf(lexicon.features(stem)) >= 3)

    def genitive_of_word(word: str) -> bool:
        """A one-word name whose base is a Danish word more frequent than the -s form
        ("Venstres", "Ritzaus", "Kvicklys"; an English plural, "Rangers", "Giants", is a name), or
        a compound ending in a Danish word in the definite, -et or -en ("Klimarådets": "rådet";
        "Forsvarsministeriets", "Filmskolens"; not "Ludogorets", "Siemens"), whose -s form the
        lexicon does not know or knows as no more frequent than the base. Not where either form is
        known as a name ("Hans", "Hearts", "Lloyds")."""
        form, base = lexicon.features(word), lexicon.features(word[:-1])
        if any(f.startswith(_NAME_FEATURES) for f in form + base):
            return False
        if _zipf(base, "da") >= 3 and _zipf(base, "da") > _zipf(form, "da"):
            return True
        stem = word[:-1]
        return ((form == ("L:oov",) or _zipf(base, "da") >= _zipf(form, "da") > 0) and stem.endswith(("et", "en"))
                and any(_zipf(lexicon.features(stem[i:]), "da") >= 3 for i in range(1, len(stem) - 4)))

    return known


_COUNTRY_FEATURES = ("L:country", "L:region")
# The Zipf class of a language's most frequent words: pronouns, auxiliaries ("vi", "kan", "sig").
_MOST_FREQUENT = 6
# Lexicon features that mark a word as (a part of) a name somewhere in the world.
_NAME_FEATURES = ("L:first_name", "L:last_name", "L:country", "L:region", "L:place_part", "L:city")


def _zipf(features: tuple[str, ...], language: str = "") -> int:
    """A word's frequency class (the Zipf scale of its `L:zipf_<language>=` features) in
    `language`, or its highest in any language."""
    prefix = f"L:zipf_{language}=" if language else "L:zipf_"
    return max((int(f.rpartition("=")[2]) for f in features if f.startswith(prefix)), default=0)


def case_cues() -> Callable[[str], str | None] | None:
    """`word_cases` of the lexicon the models share (every language's model ships the same
    table), for reading words written in capitals before the language is known; None without a
    model."""
    # Not available_languages(), which looks at the disk each time: this is asked per article.
    for language in BUNDLED_LANGUAGES:
        nlp = load_ner(language)
        if nlp is not None:
            return word_cases(nlp.get_pipe(crf_ner.FACTORY).lexicon)
    return None


def word_cases(lexicon: crf_ner.Lexicon) -> Callable[[str], str | None]:
    """How the lexicon knows a lower-cased word (`shouting.CaseCues`): "name" for a country, or a
    region no frequent word is named like ("italien", "nordsjælland"; not "man", "verden",
    "world"); "word" for a word no name list has that Danish has and English has not ("garanterer",
    "slår"), or that is frequent (Zipf 4 or more: "government"); else None. A word of Danish only
    that is no name is a common word: its name lists hold Danish first and last names, where the
    English word lists hold many names the name lists lack ("barack", "wiggins")."""
    def case(word: str) -> str | None:
        features = lexicon.features(word)
        names = {f for f in features if f.startswith(_NAME_FEATURES)}
        frequency = _zipf(features)
        if ("L:country" in names and frequency < _MOST_FREQUENT) or ("L:region" in names and frequency < 5):
            return "name"
        if names:
            return None
        danish_only = "L:in_da_wordlist" in features and "L:in_en_wordlist" not in features
        return "word" if (danish_only and _zipf(features, "da") >= 3) or frequency >= 4 else None

    return case


def common_words(lexicon: crf_ner.Lexicon, language: str) -> Callable[[str], bool]:
    """Whether the model's lexicon knows a lower-cased word as a common word of the model's
    language and not as a name: "ifølge", "canadiske", "hovedstaden", but not "mette" or "north".

    Rare words do not count: the word lists hold many names the name lists lack ("rickie").
    A city named like one of the language's most frequent words ("hos") still counts as common.
    """
    def common(word: str) -> bool:
        features = lexicon.features(word)
        frequency = _zipf(features, language)
        names = {f for f in features if f.startswith(_NAME_FEATURES)}
        return frequency >= 3 and (not names or (names == {"L:city"} and frequency >= 5))

    return common


def glue_cues(lexicon: crf_ner.Lexicon, common_word: Callable[[str], bool]) -> glued_words.GlueCues:
    """What glued_words asks of a Danish word: is it one of the language's most frequent (Zipf 5 or
    more: "det", "her", "formand") and no name's ("danmark"), a common word, a Danish first name or
    surname. English has no answers: it writes brands in camel case ("GoFundMe", "MailOnline",
    "SaxoBank") whose parts are as frequent, or common words after a name."""
    def frequent(word: str) -> bool:
        features = lexicon.features(word)
        # "hos" is also a place somewhere in GeoNames, but opens no name ("arbejderHos Københavns Politi").
        return word in MORE_STOP_WORDS["da"] or (
            _zipf(features, "da") >= 5 and not any(f.startswith(_PERSON_OR_PLACE) for f in features))

    def name_word(word: str) -> bool:
        # A Danish name, no common word: not "you" of "YouTube", nor "live" of "LiveScience".
        return any(f in _DANISH_NAME for f in lexicon.names(word)) and not common_word(word)

    return glued_words.GlueCues(opener=frequent, common_word=common_word, name_word=name_word)


_DANISH_NAME = frozenset({"L:first_name_dk", "L:last_name_dk"})
# Unlike `_NAME_FEATURES`, a usual part of place names ("det", "news") may be a frequent word.
_PERSON_OR_PLACE = ("L:first_name", "L:last_name", "L:country", "L:region", "L:city")


def compound_tails(common_word: Callable[[str], bool]) -> Callable[[str], bool]:
    """Whether a lower-case word after a hyphen makes a Danish compound of the name before it
    ("-kampen", "-sagen"): a common word or a long one. Short syllables are often a part of the
    name itself ("Kim Jong-un", "Ban Ki-moon")."""
    return lambda word: len(word) >= 6 or (len(word) >= 3 and common_word(word))


def place_names(lexicon: crf_ner.Lexicon) -> Callable[[str], bool]:
    """Whether the lexicon knows a lower-cased word as the name of a country, region or city
    ("london", "york", "ireland"; not "vegas")."""
    return lambda word: any(f in _PLACE_FEATURES for f in lexicon.names(word))


_PLACE_FEATURES = frozenset({"L:country", "L:region", "L:city"})


def common_compounds(common_word: Callable[[str], bool]) -> Callable[[str], bool]:
    """Whether a lower-cased Danish word is a compound that ends in a common word of four letters or
    more ("klimaminister": "minister", "erhvervsmanden": "manden"): Danish writes most such
    compounds, job titles among them, as one word, and the lexicon knows few of them."""
    return lambda word: any(common_word(word[i:]) for i in range(2, len(word) - 3))


def lower_case_forms(lexicon: crf_ner.Lexicon, common_word: Callable[[str], bool],
                     common_compound: Callable[[str], bool], kind_of: Callable[[str], str | None]) -> Callable[[str], bool]:
    """Whether Danish writes a lower-cased word in lower case: a common word, or one the lexicon
    does not know that is an inflected form of a common word ("karantænen", "oprørene",
    "indbruddet") or a compound ending in one ("forskningschef", "hastighedsbegrænsningen").
    Compounds named like organisations are left out ("Boligministeriet", "Klimarådet",
    "Miljøklagenævnet"): DaN+ train and dev open 141 sentences with such an unknown compound that is
    no name, and 8 with one that is, 3 of them ORG by these nouns."""
    def lower_case(word: str) -> bool:
        if common_word(word):
            return True
        if word in lexicon.entries:  # known, and not as a common word: a name, or rare
            return False
        if any(common_word(stem) for stem in _inflection_stems(word)):
            return True
        noun = word[:-1] if word.endswith("s") else word  # "Rigspolitiets presseafdeling"
        return common_compound(word) and kind_of(noun) != "ORG" and not noun.endswith(_INSTITUTIONS)

    return lower_case


# Definite and plural endings of Danish nouns, and what is left of the noun without them (its
# last consonant doubled before some: "dommen", "indbruddet").
_INFLECTIONS = (("erne", "er"), ("erne", ""), ("ene", "e"), ("ene", ""), ("ne", ""), ("en", ""), ("et", ""),
                ("n", ""), ("t", ""))
# Nouns that end the names of public bodies and associations more often than the kind nouns
# (kind_cues.DANISH) do: "Rigspolitiet", "Finansudvalget", "Fredningsnævnet", "Centralkomiteen".
_INSTITUTIONS = ("rådet", "nævnet", "udvalget", "politiet", "kommissionen", "retten", "skolen", "unionen",
                 "børsen", "departementet", "direktoratet", "komiteen", "komitéen")


def _inflection_stems(word: str) -> list[str]:
    stems = []
    for ending, rest in _INFLECTIONS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[: -len(ending)] + rest
            stems.append(stem)
            if stem[-1] == stem[-2] and not rest:
                stems.append(stem[:-1])
    return stems


# Words before a surname that make the name a person's whatever the rest is.
_PERSON_TITLES = {"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "hr.", "fru"}
# Titles that go with a person's name, as "Ms Kunis" goes with "Mila Kunis" (see resolve_partial_names).
# As written: "DR Nyheder" is the broadcaster, "Dr Felton" a doctor.
_COURTESY_TITLES = frozenset({word.capitalize() for word in _PERSON_TITLES | {"miss", "prof", "prof.", "sir", "dame"}}
                             | {"hr.", "fru"})
_TITLES_OF_THINGS_TOO = frozenset({"Dr", "Dr.", "Miss"})


def person_names(lexicon: crf_ner.Lexicon) -> Callable[[str], bool]:
    """Whether a lower-cased name of two or more words reads as a person's: a title first
    ("ms kunis"), or a known first name that is no frequent word, with neither end a usual part
    of place names ("emmanuel adebayor", "nigel farage"; not "san diego", "aston villa",
    "hej smukfest"). The model often types a person's surname as an organisation when it
    stands alone, which then outvotes the full name in the group's type."""

    def person(name: str) -> bool:
        words = name.split()
        if len(words) < 2:
            return False
        if words[0] in _PERSON_TITLES:
            return True
        first, last = lexicon.names(words[0]), lexicon.names(words[-1])
        return (any(f.startswith("L:first_name") for f in first) and _zipf(lexicon.features(words[0])) < 5
                and "L:place_part" not in first and "L:place_part" not in last)

    return person


def danish_full_names(lexicon: crf_ner.Lexicon) -> Callable[[str], bool]:
    """Whether a lower-cased name of two words or more reads as a Danish person's full name: a
    Danish first name that is no frequent word first, a Danish surname last ("klaus riskær
    pedersen", "jens åge larsen"). DaN+ train and dev annotate all 217 names of that shape PER,
    so it needs no vote of the model's (which typed those two ORG)."""

    def full_name(name: str) -> bool:
        words = name.split()
        return (len(words) > 1 and "L:first_name_dk" in lexicon.names(words[0])
                and _zipf(lexicon.features(words[0])) < 5 and "L:last_name_dk" in lexicon.names(words[-1]))

    return full_name


def tag(nlp: spacy.Language, text: str, cues: NameCues = NameCues()) -> Doc:
    """Run the model over `text`, in pieces of about CHUNK_CHARS cut at whitespace.

    The model's memory grows with the length of what it is given at once (about 3 GB for one
    million characters); in pieces it stays flat. Cutting after whitespace never splits a
    token, and joining the pieces without adding separators gives back exactly `text`.
    """
    if len(text) <= CHUNK_CHARS:
        return nlp(glued_words.make_doc(nlp, text, cues.glue))
    # One piece at a time: a batch of pieces costs as much memory as the whole text.
    pieces = (nlp(glued_words.make_doc(nlp, piece, cues.glue)) for piece in chunks(text, CHUNK_CHARS))
    return join_tagged(nlp.vocab, pieces)


def join_tagged(vocab: Vocab, docs: Iterable[Doc]) -> Doc:
    """One Doc of the consecutive `docs` (each may be dropped once read): their tokens, the
    whitespace after them and their entities, which is all the rules after the model read of a
    Doc besides what each word brings from the vocabulary (is_stop, lower_, like_num ...).

    Doc.from_docs would give the same, but it wants all the pieces at once and copies every token
    attribute through arrays of them all; for a 1M-character text that was most of a worker's
    peak memory (see README, "The largest articles").
    """
    words: list[str] = []
    spaces: list[bool] = []
    ents: list[tuple[int, int, str]] = []
    # A word's text is one string however often it occurs: far fewer objects in `words`.
    shared: dict[str, str] = {}
    for doc in docs:
        offset = len(words)
        for token in doc:
            word = token.text
            words.append(shared.setdefault(word, word))
            spaces.append(bool(token.whitespace_))
        ents.extend((ent.start + offset, ent.end + offset, ent.label_) for ent in doc.ents)
    joined = Doc(vocab, words=words, spaces=spaces)
    joined.ents = [Span(joined, start, end, label=label) for start, end, label in ents]
    return joined


def chunks(text: str, size: int):
    """Consecutive pieces of `text` of about `size` characters, each cut after a whitespace
    (a paragraph break if there is one near the end, else any whitespace)."""
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = max(window.rfind("\n\n"), window.rfind(". "))
        cut = cut + 2 if cut > size // 2 else _last_space(window) + 1
        if cut <= 0:  # no whitespace at all in the window: one long "word", cut it anyway
            cut = size
        yield text[start : start + cut]
        start += cut
    yield text[start:]


def _last_space(window: str) -> int:
    match = _TRAILING_SPACE.search(window)
    return match.start() if match else -1


def entities_from_docs(docs: dict[str, Doc], fields: dict[str, str], genitive_s: bool,
                       cues: NameCues = NameCues(), elsewhere: Iterable[tuple[int, int]] = ()) -> list[dict]:
    """The rules after the model: clean, spread and group the mentions of one article, but those
    in the text's ranges ``elsewhere`` (see `without_elsewhere`).

    Every step is linear (or n log n) in the article's length: texts are passed along rather
    than rebuilt from their Docs, and lookups are indexed, so a 1M-character article is fine.
    """
    lowercase_words = {t.text for doc in docs.values() for t in doc if t.text.islower()}
    # The capitalised words the article writes mid-sentence, and those it opens a sentence with.
    mid_sentence: set[str] = set()
    openers: set[str] = set()
    for field, doc in docs.items():
        for t in doc:
            if t.text[:1].isupper():
                (openers if is_sentence_start(fields[field], t.idx) else mid_sentence).add(t.text)
    mentions = [m for name, doc in docs.items() for m in find_mentions(doc, fields[name], name, lowercase_words)]
    mentions = [m for m in mentions if not is_name_compound(m.text, cues.compound_tail)]
    mentions = without_sentence_full_stops(docs, mentions)
    mentions = drop_trailing_sentence_openers(docs, mentions, lowercase_words, openers)
    mentions = drop_leading_common_words(docs, fields, mentions, cues, mid_sentence, genitive_s)
    # Before the names are spread: the names cut apart are spread too, the joined ones not.
    mentions = join_coordinated_compounds(docs, fields, mentions, cues)
    mentions = extend_institution_names(fields, mentions, cues.common_word)
    mentions = split_coordinated_names(docs, fields, mentions, cues, genitive_s)
    mentions = propagate_mentions(docs, fields, mentions, genitive_s)
    mentions = split_joined_names(docs, mentions, cues, genitive_s)
    kept = without_elsewhere(mentions, elsewhere)
    # A name set aside that the article also uses still tells its type ("Liverpool" in a teaser).
    kept_keys = {name_key(m.text) for m in kept}
    votes = [m for m in set(mentions) - set(kept) if name_key(m.text) in kept_keys]
    announced = {m: kind for m in kept if (kind := announced_kind(fields[m.field], m.start, cues.kind_of))}
    # A name the article writes only in the genitive before its noun is grouped under its base.
    possessors = possessive_names(docs, kept, cues) if genitive_s else set()
    if possessors:
        known = cues.known_genitive
        cues = dataclasses.replace(cues, known_genitive=lambda key: known(key) or key in possessors)
    groups = group_mentions(kept, ordered_fields(fields), genitive_s, cues, tuple(fields.values()), votes, announced)
    return drop_capitalised_common_words(groups, fields, cues.lower_case_word, mid_sentence, cues.place_name)


def possessive_names(docs: dict[str, Doc], mentions: list[Mention], cues: NameCues) -> set[str]:
    """Keys of the Danish names that the article writes only in the genitive, each time right before
    the noun it governs ("Knut Hamsuns epokegørende roman", "Muhammed Deifs hustru", "Concitos
    notat", "Madeleines forældre"): their -s goes, though the article never writes the name
    without it, where the lexicon has not met the last word with its -s, or knows it only as a
    name's genitive (`cues.unknown_or_genitive`: not "Robbie Williams", "Bradley Wiggins"). A
    name whose own last word ends in "s" is followed by a verb, a stop word or punctuation
    somewhere ("Harry Styles optræder", "Doug Hughes skulle", "Ethel Bouzalas, ..."), and then
    every name ending in that word keeps it ("Bouzalas mand" alone stays a part of "Ethel
    Bouzalas"). A word in "-er" is a verb's present tense where the lexicon knows it without its
    "r" ("optræder": "optræde"), else a plural noun where it knows it without "-er" ("Yonhaps
    oplysninger"; "Gudmundur Gudmundsons tropper" is passed over, as "troppe" is a word too)."""
    governs: dict[str, bool] = {}  # a last word, lower-cased -> every mention ending in it governs a noun
    for m in mentions:
        last = m.text.split()[-1]
        after = (_next_token(docs[m.field], m.end)
                 if _GENITIVE_S.fullmatch(last) and cues.unknown_or_genitive(last.lower()) else None)
        noun = (after is not None and after.is_alpha and after.is_lower and not _stop_word(after)
                and after.text not in _STRONG_VERBS
                and (not run_on_names.is_verb(after.text) or _plural_noun(after.text, cues.known_word)))
        governs[last.lower()] = governs.get(last.lower(), True) and noun
    return {name_key(m.text) for m in mentions if governs[m.text.split()[-1].lower()]}


def _plural_noun(word: str, known_word: Callable[[str], bool]) -> bool:
    """Whether a Danish word in "-er" is a noun's plural ("oplysninger": "oplysning"), not a verb's
    present tense ("optræder": "optræde"), by the words the lexicon knows."""
    return word.endswith("er") and not known_word(word[:-1]) and known_word(word[:-2])


# Danish verbs that neither -er nor -ede/-te tell ("Jacob Rosenkrands bad Pia Olsen Dyhr om ..."):
# the strong verbs' past tense and short present tense, which a name may stand before as subject.
_STRONG_VERBS = frozenset("""bad bød drak drog døde faldt fandt fløj forlod forstod frøs greb gør går hjalp holdt
    lå lod løb ser slap slog slår sad sang skrev skød sov sprang stak steg stod står så tav traf trak
    vandt vidste ved""".split())
# A word ending in a genitive's -s after a letter other than "s" ("Hamsuns", not "Strauss").
_GENITIVE_S = re.compile(r"\w*[^\W\d_sS]s")


def _next_token(doc: Doc, end: int) -> Token | None:
    """The first token after character ``end`` of ``doc`` that is no whitespace, on the same line."""
    k = bisect.bisect_left(doc, end, key=lambda token: token.idx)
    while k < len(doc) and doc[k].is_space:
        if "\n" in doc[k].text:
            return None
        k += 1
    return doc[k] if k < len(doc) else None


def without_elsewhere(mentions: list[Mention], elsewhere: Iterable[tuple[int, int]]) -> list[Mention]:
    """The mentions but those in the text's ranges ``elsewhere`` (sorted by start), its teasers
    for other articles, the site's notices and the photo credits (clean.elsewhere_spans): "Læs
    også: Courtney Love havnet i gidselsag i Frankrig", "For at kommentere skal du være logget på
    Facebook". The names there are no names of this article. Dropped last, so that they still help
    read the article's own names."""
    merged: list[list[int]] = []
    for start, end in elsewhere:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    if not merged:
        return mentions
    starts = [start for start, _ in merged]

    def set_aside(m: Mention) -> bool:
        i = bisect.bisect_right(starts, m.start) - 1
        return m.field == "text" and i >= 0 and m.end <= merged[i][1]

    return [m for m in mentions if not set_aside(m)]


def ordered_fields(fields: dict[str, str]) -> list[str]:
    """Title first, then text, then any other field in the given order."""
    rank = {name: i for i, name in enumerate(FIELD_ORDER)}
    return sorted(fields, key=lambda name: rank.get(name, len(FIELD_ORDER)))


def find_mentions(doc: Doc, text: str, field: str, lowercase_words: set[str]) -> list[Mention]:
    """The model's entities in ``doc`` (whose text is ``text``) after trimming and dropping junk."""
    mentions = []
    for ent in doc.ents:
        if ent.label_ not in LABELS:
            continue
        span = trim_span(ent, text, lowercase_words)
        if span is not None and looks_like_name(span.text) and not _date_month(span):
            # The words before a listed name may have given the tagger its type ("Hverken The
            # Guardian", MISC): without them it is the listed name's.
            trimmed = span.start > ent.start
            label = (trimmed and known_names.known_label(span.text, False)) or ent.label_
            mentions.append(Mention(field, span.start_char, span.end_char, span.text, label))
    return mentions


def _date_month(span: Span) -> bool:
    """A month's name or its abbreviation after a day's number, or before one and a comma or a
    year: "Publiceret: 29. Maj 2012", an Instagram post's "d. 12. Jan 2019", "Jan 12, 2019",
    where the tagger took "Maj" and "Jan" (first names too) for a person."""
    if len(span) != 1 or span[0].lower_.rstrip(".") not in _MONTH_WORDS:
        return False
    doc, after = span.doc, span.end
    return ((span.start > 0 and _DAY.fullmatch(doc[span.start - 1].text) is not None)
            or (after + 1 < len(doc) and _DAY.fullmatch(doc[after].text) is not None
                and (doc[after + 1].text == "," or _YEAR.fullmatch(doc[after + 1].text) is not None)))


def trim_span(span: Span, text: str, lowercase_words: set[str]) -> Span | None:
    """Strip edge punctuation, symbols and emoji, leading lower-case words (``russiske nyhedsbureau
    Interfax``) other than name particles (``van Gogh``), and a sentence-initial common word
    (``Ifølge YTN``), unless it opens a listed name (``Dansk Folkeparti kalder ...``, in an article
    that writes "dansk" too)."""
    doc, start, end = span.doc, span.start, span.end
    while start < end and _between_words(doc[start]):
        start += 1
    while end > start and _between_words(doc[end - 1]):
        end -= 1
    if (start < end and is_common_sentence_start(doc[start], text, lowercase_words)
            and known_names.known_label(doc[start:end].text, True) is None):
        start += 1
    start = _name_start(doc, start, end)
    if span.label_ != "MISC":
        end = _name_end(doc, start, end)
    return doc[start:end] if start < end else None


def _between_words(token) -> bool:
    """No word, not even a piece of one: punctuation, whitespace other than the single space that
    goes with the word before, a symbol ("®", "€") or a piece of an emoji, which the tokenizer cuts
    into its code points ("👍" "🏽"), so a name that ended on one would cut the emoji in two."""
    return not any(ch.isalnum() for ch in token.text)


def _name_start(doc: Doc, start: int, end: int) -> int:
    """The first token from `start` on that can begin a name: past lower-case words other than
    name particles, and past what stands between them. The last token is always left."""
    while start < end - 1 and (_between_words(doc[start])
                               or (doc[start].is_lower and doc[start].lower_ not in NAME_PARTICLES)):
        start += 1
    return start


def _name_end(doc: Doc, start: int, end: int) -> int:
    """The end of a name of a person, a place or an organisation: before a comma and a lower-case
    word ("an Aldi, a Co-op and a Tesco" was one organisation, "Aldi, a Co"), and before any
    lower-case stop word that ends it (the tagger ran "Berlingske her" of "hos Berlingske her,
    Børsen her og ..." into one name, which then named the paper's group of 10). DaN+ and
    CoNLL-2003 train and dev have no such name with a comma and a lower-case word, and end one
    in a stop word (CoNLL's "Queen of the", the club's "South" left out); a title of a work
    (MISC) may do both. Not a clitic ("McDonald's"), no word."""
    end = next((i for i in range(start + 1, end - 1) if doc[i].text == "," and doc[i + 1].is_lower), end)
    while end > start + 1 and (_between_words(doc[end - 1]) or _lower_stop_word(doc[end - 1])):
        end -= 1
    return end


def _lower_stop_word(token) -> bool:
    return token.is_alpha and token.is_lower and _stop_word(token)


def _stop_word(token) -> bool:
    """spaCy's stop word for the language, or one of MORE_STOP_WORDS."""
    return token.is_stop or token.lower_ in MORE_STOP_WORDS.get(token.lang_, ())


# Prepositions, conjunctions and the adverb "mon" that open sentences, never names, and that spaCy's
# stop words for the language lack (it has "over", "blandt", "mens"): "Hos Danske Bank mener ...",
# "Ifølge Berlingske viser ...", "Hverken Justitsministeriet eller ...", which the tagger now and
# then takes in, as a capital says nothing at a sentence's start, and "Mon ikke ..." ("I wonder
# if"), which it took for a person.
MORE_STOP_WORDS = {"da": frozenset({"hos", "ifølge", "hverken", "både", "samt", "mon"})}


def is_common_sentence_start(token, text: str, lowercase_words: set[str]) -> bool:
    """A capitalised first word of a sentence that is really a common word.

    Evidence: it is a stop word (spaCy's, or one of MORE_STOP_WORDS), or the article also uses it
    in lower case.
    """
    if not is_sentence_start(text, token.idx):
        return False
    lower = token.lower_
    return lower in lowercase_words or _stop_word(token)


def is_sentence_start(text: str, start: int) -> bool:
    # Only a short stretch before `start` decides; looking at all of it would be quadratic.
    window = text[max(0, start - _LOOKBACK) : start]
    before = window.rstrip(_OPENERS)
    # A word right after a letter was glued on where a line break was lost (see glued_words).
    glued = before == window and before[-1:].isalpha()
    return not before or glued or before[-1] in _SENTENCE_END or "\n" in window[len(before) :]


def drop_leading_common_words(docs: dict[str, Doc], fields: dict[str, str], mentions: list[Mention],
                              cues: NameCues, mid_sentence: set[str], genitive_s: bool = False) -> list[Mention]:
    """Drop a sentence-initial common word from mentions like "Ifølge Huawei" or "Canadiske Danko
    Jones", which would otherwise become the name of the whole group ("Huawei" is then a partial
    name of "Ifølge Huawei"), a job title before a person's name (see `_without_title`), a kind
    noun before a name (see `_without_kind_noun`) and a greeting before a name (see
    `_without_greeting`); a greeting alone that opens a sentence ("- Hej nationen!", "Tak til
    alle") is no name at all and goes.

    The evidence must agree: the lexicon knows the word as a common word and never as a name, the
    article never capitalises it mid-sentence (`mid_sentence` are the words it does), and the rest
    is a name the article uses on its own; with `genitive_s` (Danish), or in its genitive: "Ifølge
    Google" beside "Googles" is "Google". Or the rest is a person's name of two words or more (the
    mention typed PER, or the rest reads as a person's name: "Italienske Samuele Battistella",
    typed ORG), then typed PER; the word may then also be a Danish compound ending in a common
    word: a title Danish writes in lower case but for the sentence start ("Klimaminister Rasmus
    Helveg Petersen", "Erhvervsmanden Zhou Yahui"). Such a title goes mid-sentence too, where it
    is a word the language writes in lower case that is no common word itself, nor listed ("siger
    Torvehalschef Jeppe Ulrich", "EF-ordfører Bjørn Westh"): DaN+ train and dev leave all 11 such
    words before a person's name out of it (4 mid-sentence), and have none inside one. So does an
    adjective's "-ske" form, as a nationality is written ("19-årige Iranske Sahar Taba").
    """
    names = {name_key(m.text) for m in mentions}
    if genitive_s:
        names |= {key[:-1] for key in names if key.endswith("s")}
    # The words the article names a person by: "Mr Rigby" makes a person of "Fusilier Lee Rigby".
    persons = {word for m in mentions if m.label == "PER" for word in name_key(m.text).split()}
    labels = functools.cache(lambda: _article_labels(mentions)[1])  # only where a kind noun asks
    kept = []
    for m in mentions:
        if name_key(m.text) in GREETINGS and is_sentence_start(fields[m.field], m.start):
            continue
        m = _without_kind_noun(docs[m.field], m, cues.kind_of, labels, cues.place_name) or m
        m = _without_title(docs[m.field], m, lambda key: cues.person_name(key) or key.split()[-1] in persons,
                           cues.kind_of if genitive_s else None) or m
        m = _without_greeting(docs[m.field], m, lambda key: cues.person_name(key) or key in names) or m
        rest = _rest_after_first_word(docs[m.field], m)
        first = m.text.split()[0].lower()
        person = rest is not None and len(rest.text.split()) > 1 and (
            m.label == "PER" or cues.person_name(name_key(rest.text)))
        # A listed name keeps its first word, though the lexicon knows it as a common word
        # ("Lockheed Martin" opening a sentence beside a "Martin" of the article's).
        listed = known_names.known_label(m.text, genitive_s) is not None
        # A title Danish writes in lower case, capitalised anywhere: "siger Torvehalschef Jeppe Ulrich".
        # Or an adjective's "-ske" form, as a nationality is written before a person's name
        # ("19-årige Iranske Sahar Taba"; not other common words: "Sage Moonblood Stallone"). DaN+
        # train and dev begin no person's name of three words or more with a common word Danish
        # writes in lower case.
        title = (person and cues.lower_case_word(first) and (first.endswith("ske") or not cues.common_word(first))
                 and not known_names.known_label(m.text.split()[0], genitive_s))
        if (rest is not None and not listed
                and (title or (m.text.split()[0] not in mid_sentence and is_sentence_start(fields[m.field], m.start)
                               and ((name_key(rest.text) in names and cues.common_word(first))
                                    or (person and (cues.common_word(first) or cues.common_compound(first))))))):
            m = Mention(m.field, rest.start_char, rest.end_char, rest.text, "PER" if person else m.label)
        kept.append(m)
    return kept


# Job titles and ranks English capitalises before a name ("President Obama", "Fusilier Lee Rigby"):
# no part of the name, as the NER data mark it. Titles of nobility and royalty are ("Prince Andrew",
# "Lord Janner"), and courtesy titles are read where the names are grouped (see `is_titled`).
JOB_TITLES = frozenset({
    "president", "chancellor", "minister", "secretary", "senator", "governor", "mayor", "judge",
    "ambassador", "general", "colonel", "major", "captain", "lieutenant", "sergeant", "corporal",
    "fusilier", "private", "detective", "inspector", "constable", "sheriff", "officer",
    # and the ranks' abbreviations, with or without a full stop ("Spc. Caleb Barnes", "Sgt Rob Best");
    # not "Maj", a Danish first name
    "gen", "col", "capt", "lt", "sgt", "cpl", "spc", "pfc", "pvt",
})
# Danish capitalises a title only at a sentence start, or where a translated quotation keeps
# English's capital ("den type politik, som Guvernør Romney nu står for").
DANISH_JOB_TITLES = frozenset({"guvernør", "præsident", "borgmester", "kansler", "ambassadør", "dommer", "oberst",
                               "kaptajn"})
# Words that make one title with a job title after them: "Prime Minister", "Lance Corporal",
# "Detective Chief Inspector".
TITLE_MODIFIERS = frozenset({"prime", "vice", "deputy", "chief", "lance", "foreign", "home", "attorney"})
# Danish royal titles capitalised before a name ("Kronprins Frederik og ..."): DaN+ train and dev
# leave all 5 out of the person's name after them. Read only before one word (and a king's or
# queen's numeral): "Dronning Louises Bro" and "Kong Hans Gade" name places.
DANISH_ROYAL_TITLES = frozenset({"kronprins", "kronprinsesse", "prins", "prinsesse", "dronning", "kong"})
_JOB_TITLE_WORDS = JOB_TITLES | DANISH_JOB_TITLES
_TITLE_WORDS = _JOB_TITLE_WORDS | TITLE_MODIFIERS | DANISH_ROYAL_TITLES
_ROMAN_NUMERAL = re.compile(r"[IVX]+\.?")
_LEADING_LETTERS = re.compile(r"[^\W\d_]+")


def _without_title(doc: Doc, m: Mention, person_name: Callable[[str], bool],
                   kind_of: Callable[[str], str | None] | None = None) -> Mention | None:
    """`m` without the capitalised job title it begins with (JOB_TITLES or DANISH_JOB_TITLES, after
    any TITLE_MODIFIERS), where the rest is a person's name: the mention was typed PER, or
    `person_name` holds for the rest (it reads as a person's, or ends in a word the article names
    a person by), and it is then typed PER. None where there is no such title: "General Motors"
    and "Major League Baseball" keep their first word. With `kind_of` (Danish), a royal title
    (DANISH_ROYAL_TITLES) before one word too, however typed: "Kronprins Frederik" (ORG) is the
    person Frederik (see `_without_royal_title`)."""
    # Most mentions begin with no title word at all: told from the text, before the tokens are read.
    first = _LEADING_LETTERS.match(m.text)
    if first is None or first.group().lower() not in _TITLE_WORDS:
        return None
    span = doc.char_span(m.start, m.end)
    if span is None:
        return None
    words = [token for token in span if not token.is_space]
    if kind_of is not None and words[0].lower_ in DANISH_ROYAL_TITLES:
        return _without_royal_title(m, words, kind_of)
    title = 0
    for k, token in enumerate(words[:-1]):
        word = token.lower_.rstrip(".")
        if not token.text.istitle() or word not in _TITLE_WORDS:
            break
        if word in _JOB_TITLE_WORDS:
            title = k + 1
    if not title:
        return None
    rest = doc[_name_start(doc, words[title].i, span.end) : span.end]
    if not (rest.text[:1].isupper() and (m.label == "PER" or person_name(name_key(rest.text)))):
        return None
    return Mention(m.field, rest.start_char, rest.end_char, rest.text, "PER")


def _without_royal_title(m: Mention, words: list[Token], kind_of: Callable[[str], str | None]) -> Mention | None:
    """`m` without the Danish royal title it begins with, where one capitalised word follows it,
    with a king's or queen's numeral or not ("Dronning Margrethe II"): that person's name. Not a
    name typed MISC, a ship's or a work's ("færgen Dronning Ingrid"), nor before a word a kind noun
    ends ("Prins Christiansgade", a street)."""
    rest = words[1:]
    if not (m.label != "MISC" and words[0].text.istitle() and rest and rest[0].text.istitle()
            and rest[0].text.isalpha() and kind_of(rest[0].lower_) is None
            and all(_ROMAN_NUMERAL.fullmatch(token.text) for token in rest[1:]) and len(rest) <= 2):
        return None
    name = rest[0].doc[rest[0].i : rest[-1].i + 1]
    return Mention(m.field, name.start_char, name.end_char, name.text, "PER")


def _without_kind_noun(doc: Doc, m: Mention, kind_of: Callable[[str], str | None],
                       labels: Callable[[], dict[str, str]], place_name: Callable[[str], bool]) -> Mention | None:
    """`m` without the capitalised Danish kind noun it begins with ("Supermarkedskæden Coop",
    "Verdenssundhedsorganisationen WHO", "Storbanken Nordea"), typed as the noun says, where the
    rest is a listed name of that type or one the article types so on its own: the noun says what
    the name is and is no part of it. Names that begin with such a noun as a part of them stay
    ("Institut for Menneskerettigheder"), as do a noun and a place, the name of what is there: a
    noun of places is not read ("Region Sjælland", "Sagnlandet Lejre"), nor one before a place the
    lexicon knows ("Lokalavisen Fredericia")."""
    first, space, _ = m.text.partition(" ")
    kind = kind_of(first.lower()) if space and first[:1].isupper() else None
    rest = _rest_after_first_word(doc, m) if kind in ("ORG", "MISC") else None
    if rest is None:
        return None
    listed, key = known_names.known_label(rest.text, True), name_key(rest.text)
    if kind != listed and (kind != labels().get(key) or place_name(key)):
        return None
    return Mention(m.field, rest.start_char, rest.end_char, rest.text, kind)


# Words that greet or address the one named after them, no part of the name: "Hej Jesper", "Kære
# Lise", "Sorry Ruud". Not "dear", "hello" or "goodbye", which begin titles ("Dear Evan Hansen",
# "Hello Kitty", "Goodbye Lenin").
GREETINGS = frozenset({"hej", "hejsa", "kære", "tak", "tillykke", "hi", "hey", "sorry"})


def _without_greeting(doc: Doc, m: Mention, named: Callable[[str], bool]) -> Mention | None:
    """`m` without the greeting it begins with, where the rest is a name: a person's (then typed
    PER), or one `named` holds for (the article names it on its own: "Hej Smukfest" beside
    "Smukfest"). None where there is no such greeting."""
    first = _LEADING_LETTERS.match(m.text)
    if first is None or first.group().lower() not in GREETINGS or not first.group()[0].isupper():
        return None
    rest = _rest_after_first_word(doc, m)
    if rest is None or not rest.text[:1].isupper() or not named(name_key(rest.text)):
        return None
    return Mention(m.field, rest.start_char, rest.end_char, rest.text, m.label)


# A name's last word with a full stop glued on, no initial ("H.") or abbreviation ("D.C.").
_FULL_STOP_AFTER_WORD = re.compile(r"(?:^|\s)[^\s.]{2,}\.$")


def without_sentence_full_stops(docs: dict[str, Doc], mentions: list[Mention]) -> list[Mention]:
    """A mention without the full stop that ends its sentence, where the tokenizer kept it on the
    last word ("og B&O. Nu er ...": after a capital it reads an initial's stop) and the article
    names it without one too, or writes it so as a word of its own where the name is one word;
    an abbreviation's stop stays ("Warner Bros.", "Robert Downey Jr.", "Esbjerg V."), as the
    article never names those without it."""
    candidates = {m for m in mentions if _FULL_STOP_AFTER_WORD.search(m.text)}
    if not candidates:
        return mentions  # most articles
    names = {m.text for m in mentions}
    words = {t.text for doc in docs.values() for t in doc}

    def named_without(text: str) -> bool:
        return text in names or (" " not in text and text in words)

    return [Mention(m.field, m.start, m.end - 1, m.text[:-1], m.label)
            if m in candidates and named_without(m.text[:-1]) else m for m in mentions]


def drop_trailing_sentence_openers(docs: dict[str, Doc], mentions: list[Mention], lowercase_words: set[str],
                                   openers: set[str]) -> list[Mention]:
    """Cut a mention that runs on into the first word of the next sentence where the full stop is
    missing, as where a paragraph break was lost: "Ronald Reagan The document", "Labour And he".

    The evidence must agree: the last word is a capitalised stop word (not a number: "World War
    Two the"; not a single letter: "Serie A til"), the article also writes it in lower case and
    opens a sentence with it elsewhere (`openers`; "Kongens Have i" stays where no sentence opens
    with "Have"), a lower-case word follows it (the sentence it opens goes on), the mention is
    tagged only once ("Take That are" tagged again is a name) and more than stop words are left
    ("The Who were"). What is left is typed as the article's other mentions of it are, if it has
    any: the model's type of the whole was read with the stray word in it ("D.C. The" PER, beside
    "D.C." LOC, which then lost the group's type on a tied vote).

    A sentence adverb (SENTENCE_ADVERBS) needs no more evidence than a lower-case word or a comma
    after it: no name ends in one, and the article seldom has it elsewhere, in lower case or
    opening a sentence ("Swansea Meanwhile, Newcastle will", "Malaga Also on Saturday").
    So is a job title before a person's name, as a caption writes it or a sentence opens with it
    ("could face West Brom Boss Nigel Pearson has no injury worries"): see `_rest_before_title`.
    """
    tagged = Counter(m.text for m in mentions)
    votes: dict[str, Counter] = defaultdict(Counter)
    for m in mentions:
        votes[name_key(m.text)].update([m.label])
    persons = {(m.field, m.start) for m in mentions if m.label == "PER"}
    kept = []
    for m in mentions:
        rest = (_rest_before_sentence_opener(docs[m.field], m, lowercase_words, openers)
                or _rest_before_title(docs[m.field], m, persons, votes))
        if rest is not None and tagged[m.text] == 1:
            others = votes.get(name_key(rest.text))
            label = others.most_common(1)[0][0] if others else m.label
            m = Mention(m.field, rest.start_char, rest.end_char, rest.text, label)
        kept.append(m)
    return kept


# Words that open a sentence and end no name; after a name, they are the next sentence's first word
# where its full stop was lost. Not "Today" ("USA Today"), "Now" ("Apocalypse Now") nor "Still",
# a surname.
SENTENCE_ADVERBS = frozenset({
    "meanwhile", "however", "also", "instead", "moreover", "furthermore", "nevertheless", "nonetheless",
    "therefore", "although", "though", "whereas", "while", "as", "according", "yesterday",
})


def _rest_before_sentence_opener(doc: Doc, m: Mention, lowercase_words: set[str], openers: set[str]) -> Span | None:
    span = doc.char_span(m.start, m.end)
    if span is None or span.end >= len(doc):
        return None
    last, following = doc[span.end - 1], doc[span.end]
    if not (len(last.text) > 1 and last.text.istitle() and last.is_alpha and not last.like_num):
        return None
    sentence_goes_on = following.is_lower and following.is_alpha
    adverb = last.lower_ in SENTENCE_ADVERBS and (sentence_goes_on or following.text == ",")
    if not (adverb or (last.text in openers and last.lower_ in lowercase_words and last.is_stop and sentence_goes_on)):
        return None
    end = span.end - 1
    while end > span.start and _between_words(doc[end - 1]):
        end -= 1
    rest = doc[span.start : end]
    # Not where only stop words are left: "The Who were" is the band.
    return rest if looks_like_name(rest.text) and not all(t.is_stop for t in rest) else None


# Titles a person's name follows, besides JOB_TITLES: "West Brom Boss Nigel Pearson".
_TITLES_BEFORE_NAMES = JOB_TITLES | {"boss", "manager", "coach", "chairman", "chief", "owner", "skipper"}


def _rest_before_title(doc: Doc, m: Mention, persons: set[tuple[str, int]], names: Iterable[str]) -> Span | None:
    """`m` without the capitalised job title it ends in, where a person's name (a mention typed PER
    in `persons`, by field and start) follows it, and the rest is a name the article uses on its own
    (`names`): the title is the person's, as "West Brom boss Nigel Pearson" writes it. "Hugo Boss"
    stays: the article does not write "Hugo" alone."""
    if m.text.rpartition(" ")[2].lower().rstrip(".") not in _TITLES_BEFORE_NAMES:
        return None  # most mentions: told from the text, before the tokens are read
    span = doc.char_span(m.start, m.end)
    if span is None or len(span) < 2 or span.end >= len(doc):
        return None
    last, following = doc[span.end - 1], doc[span.end]
    if not (last.text.istitle() and last.lower_.rstrip(".") in _TITLES_BEFORE_NAMES
            and (m.field, following.idx) in persons):
        return None
    rest = doc[span.start : span.end - 1]
    return rest if name_key(rest.text) in names and looks_like_name(rest.text) else None


def drop_capitalised_common_words(groups: list[dict], fields: dict[str, str], lower_case_word: Callable[[str], bool],
                                  mid_sentence: set[str], place_name: Callable[[str], bool] = _never) -> list[dict]:
    """Drop a group whose only mention is one word at a sentence start that the lexicon knows as a
    common word the language writes in lower case, and the article never capitalises mid-sentence
    (`mid_sentence` are the words it does): "Skolen", "Solen", "Forbuddet" opening a sentence,
    which the model takes for names there. The word itself must be known so: "Ritzaus" is not,
    though "ritzau" is.

    A name the article uses twice, or once mid-sentence, stays ("Venstre", "Politiken"); so does a
    name the lexicon knows as one ("Indien", "Apple"), a listed name that is no common word, or is
    in the genitive (known_names: "Bibelen for de kristne. Koranen for muslimerne.", "Venstres
    leder"), and a person: the lexicon counts "napoleon" and "hemingway" as common words, and none
    of the words this dropped in 360 sampled articles was typed PER. So does a place the lexicon knows as one, typed a place ("Randers: Hest ramt af
    bil. Dyret døde."): the lexicon counts a city named like a frequent word as common ("randers",
    "aarhus", and so "kampen" and "hos"); where the model reads a place too, the two agree. And so
    does every name of an article of one sentence (`is_one_sentence`: a headline or a one-line
    text sent alone), where nothing else could show how the word is written: of the 1,020
    DaNewsroom titles tried alone, the eight names this dropped were all real ("Randers", "Volvo").
    Another one that is a common word and named only once, at a sentence start of a longer article,
    cannot be told from these and goes ("Forsvaret køber fly. Det blev dyrt.").
    """
    def junk(group: dict) -> bool:
        m = group["mentions"][0]
        word = strip_possessive(m["text"])
        # Capitalised, not in capitals: "EU" and "SAS" are acronyms, names whatever the lexicon says.
        return (group["count"] == 1 and group["label"] != "PER" and word.isalpha() and word[:1].isupper()
                and word[1:].islower() and word not in mid_sentence
                and is_sentence_start(fields[m["field"]], m["start"]) and lower_case_word(word.lower())
                and not (group["label"] == "LOC" and place_name(word.lower()))
                and not (known_names.known_label(word, genitive_s=True) and word not in known_names.COMMON_WORDS))

    flags = [junk(group) for group in groups]
    if not any(flags) or is_one_sentence(fields):
        return groups
    return [group for group, dropped in zip(groups, flags) if not dropped]


# A text longer than this is taken for more than one sentence without splitting it: one-sentence
# texts are headlines and one-liners, and the splitter takes 0.4 s for a million characters.
_ONE_SENTENCE_CHARS = 1_000


def is_one_sentence(fields: dict[str, str]) -> bool:
    """Whether the article is one sentence: one field (a text without a title, or a title alone)
    that the sentence splitter does not cut. Its Danish rules ("Dr.", "1. maj") are used: the
    rules that ask this are Danish only."""
    texts = [text for text in fields.values() if text.strip()]
    return (len(texts) == 1 and len(texts[0]) <= _ONE_SENTENCE_CHARS
            and len(split_sentences(texts[0], "da")) <= 1)


def _rest_after_first_word(doc: Doc, m: Mention) -> Span | None:
    """The mention without its first token and the lower-case words after it, if a name is left."""
    span = doc.char_span(m.start, m.end)
    if span is None or len(span) < 2:
        return None
    rest = doc[_name_start(doc, span.start + 1, span.end) : span.end]
    return rest if looks_like_name(rest.text) else None


def is_name_compound(text: str, compound_tail: Callable[[str], bool]) -> bool:
    """A compound word built on a name ("Champions League-kampen", "Christiania-sagen") is a
    common noun, not a mention of the name: DaN+ marks these -part and the model was trained to
    leave them out, as it mostly does ("Samsung-telefoner"). Kept, the ones it tags each became
    a group of their own."""
    match = _COMPOUND_TAIL.search(text)
    if match is None or not match.group(1).islower() or not compound_tail(match.group(1)):
        return False
    # After a single letter a short tail is more likely a brand ("G-star") than a compound.
    return match.start() > 1 or len(match.group(1)) >= 6


def looks_like_name(text: str) -> bool:
    """Names contain a capital letter; this drops digits, punctuation and "russiske"."""
    return any(ch.isupper() for ch in text)


# --------------------------------------------------------------------------- consistency


def propagate_mentions(docs: dict[str, Doc], fields: dict[str, str], mentions: list[Mention],
                       genitive_s: bool) -> list[Mention]:
    """Tag every other exact occurrence of a name the model tagged somewhere.

    An occurrence must start and end on token boundaries; it gets the name's
    majority label. It may not overlap a mention, except that it replaces
    mentions lying strictly inside it: the model sometimes tags only "Kim" of
    "Kim Jong-un". Longer names go first so "Kim Jong-un" wins over "Kim".
    With ``genitive_s`` the Danish genitive (``Putins``) of a name is also
    matched. A name tagged only at sentence starts is not spread: that is
    where the model confuses capitalised common words ("Ifølge") with names.
    """
    votes: dict[str, Counter] = defaultdict(Counter)
    for m in mentions:
        votes[m.text].update([m.label])
    reliable = {m.text for m in mentions if not is_sentence_start(fields[m.field], m.start)}
    labels = {name: votes[name].most_common(1)[0][0] for name in reliable}
    placed = {field: _Placed([m for m in mentions if m.field == field]) for field in docs}
    for field, doc in docs.items():
        found = occurrences(fields[field], doc, reliable, genitive_s)
        for name, start, end in sorted(found, key=lambda hit: (-len(hit[0]), hit[0], hit[1])):
            placed[field].place(Mention(field, start, end, fields[field][start:end], labels[name]))
    return [m for field in docs for m in placed[field].mentions]


def split_joined_names(docs: dict[str, Doc], mentions: list[Mention], cues: NameCues,
                       genitive_s: bool = False) -> list[Mention]:
    """Split a mention that is two of the article's names run together, as the model tags them
    when nothing stands between ("Nepal India's prime minister", a caption running into the text,
    "Advocaat Holland" for "Advocaat led Holland"): left whole, it became the name of a group that
    took in the mentions of both. Only a mention tagged once is split, where the article names
    both parts on their own, and where their types make one name unlikely: two places, a person
    the article names in full beside a name of another type, a nationality before a person, or a
    firm written in capitals before another organisation ("JYSK Kirkens Korshærs brugere"). Or
    two listed names of one type, named alone or not ("Crystal Palace Manchester City captain").
    Or where a name of another type that the article names alone (or in Danish, its genitive), a
    listed one, one word a Danish kind noun types as no person's ("Trygfonden": ORG), or the
    surname of a person the article names in full, comes before what reads as another person's
    full name, which the article may also name alone ("Etisk Råd Mickey Gjerris", "Barcelonas
    Lionel Messi", "Trygfonden René Højer", "nævner Leibovich Billy Tauzin"; then typed PER).
    Or, even in what reads as a person's name, the surname of a person the article names in full
    after another name of the article's ("to Villa Park Ramsey has admitted", "Sebastian Vettel
    Vettel, who won"): see `surname_after_name`.
    """
    votes, label, full_names = _article_labels(mentions)
    person_name = cues.person_name
    capitalised = {name_key(m.text) for m in mentions if m.text.isupper() and m.text.isalpha() and len(m.text) > 1}

    def kind(key: str) -> str | None:
        # As the article types the name, or in Danish its base where it is a genitive ("Barcelonas").
        return label.get(key) or (label.get(key[:-1]) if genitive_s and key.endswith("s") else None)

    def surname_after_name(first: str, second: str, whole: str, words: list[str]) -> bool:
        # A caption run into the text, whose next sentence opens with a surname: "bring him to
        # Villa Park Ramsey has admitted" (Chris Ramsey's), "and Sebastian Vettel Vettel, who won".
        # The surname's person is named in full (by what reads as a person's name, or typed a
        # person twice), and not by the mention's last words ("Brorsons Kirke Per Ramsdal" is not
        # cut there). Before it, a name of the article's own that is no person's: one it names
        # alone as a place, an organisation or a thing, a listed one, or, in a mention not typed
        # a person, two capitalised words or more; or the full name whose surname is said twice.
        # Not a person's full name before another's surname: Danish news shortens names ("Claus
        # Hjort" of Claus Hjort Frederiksen, beside Mette Frederiksen).
        named_in_full = any((person_name(full) or votes[full]["PER"] > 1) and not whole.endswith(" " + full)
                            for full in full_names[second] - {whole})
        if " " in second or words[-1].isupper() or not named_in_full:
            return False
        if first in label:
            return label[first] != "PER" or first.split()[-1] == second
        if known_names.is_known_key(first):
            return known_names.key_label(first) != "PER"
        count = len(first.split())
        return (count > 1 and label.get(whole) != "PER" and len(words) == count + 1
                and all(word[:1].isupper() for word in words[:count]))

    def joined(first: str, second: str, whole: str, words: list[str]) -> bool:
        # A name of another kind (the article's, listed, or by its kind noun), or the surname of a
        # person the article names in full, before a person's full name: "medlem af Etisk Råd
        # Mickey Gjerris", "partifællen fra Dansk Folkeparti Jesper Langballe", "nævner Leibovich
        # Billy Tauzin" (Mark Leibovich's); not the initials of one ("A.P. Møller Holding"), nor
        # before common words ("Osram Lighting Solutions") or a model's letters ("Mustang Shelby GT").
        other_person = " " not in first and bool(full_names[first] - {whole})
        if (len(first) >= 3 and " " in second and label.get(second, "PER") == "PER" and person_name(second)
                and all(word.isalpha() and len(word) >= 3 and not cues.common_word(word) for word in second.split())
                and (kind(first) not in (None, "PER") or known_names.is_known_key(first)
                     or (genitive_s and known_names.is_known_genitive(first)) or other_person
                     or (" " not in first and cues.kind_of(first) not in (None, "PER")))):
            return True
        # Two listed names of one type run together where a caption runs into the text ("defeat at
        # Crystal Palace Manchester City captain Vincent Kompany ...", "against Man City Crystal
        # Palace boss Alan Pardew"): the list knows where each ends. Not a sponsor's name before a
        # contest's ("Barclays Premier League"), one name.
        listed = known_names.key_label(first)
        if listed and listed == known_names.key_label(second) and not known_names.is_known_key(whole):
            return True
        if surname_after_name(first, second, whole, words):
            return True
        if first not in label or second not in label:
            return False
        if label[first] == label[second] == "LOC":
            return True
        # A firm written in capitals that the article names alone, before another organisation it
        # names alone: "kommer JYSK Kirkens Korshærs brugere til undsætning".
        if label[first] == label[second] == "ORG" and first in capitalised:
            return True
        # A listed name after a name of another type ("Rasteau, Frankrig Meny: 100 kroner", a list
        # whose line breaks were lost): the list knows where the second begins. Not after a
        # nationality, which makes a name of its own ("Scottish Labour").
        if known_names.is_known_key(second) and label[first] not in (label[second], "MISC"):
            return True
        # A nationality (a one-word name the article types MISC, see resolve_partial_names) qualifies
        # no person into another one: "American Spieth" is Spieth, whom the model typed PER once.
        if " " not in first and label[first] == "MISC" and votes[second]["PER"]:
            return True
        # A surname of a person the article names in full is a person's, whatever the model typed
        # it alone as ("Vonn" ORG beside "Lindsey Vonn": "Masters Vonn").
        person = [key for key in (first, second) if label[key] == "PER" or full_names[key] - {whole}]
        # Named in full, or by a full name other than the mention being cut.
        return len(person) == 1 and (" " in person[0] or bool(full_names[person[0]] - {whole}))

    split = []
    for m in mentions:
        key = name_key(m.text)
        # Where the mention reads as a person's name, only a surname run on after it is cut.
        cut_where = surname_after_name if person_name(key) else joined
        parts = () if sum(votes[key].values()) > 1 else _cut(docs[m.field], m, functools.partial(
            cut_where, words=m.text.split()))
        # A part of no type of its own is a person's, but the first one keeps the mention's:
        # "Villa Park" of "Villa Park Ramsey" (LOC).
        split += [Mention(m.field, part.start_char, part.end_char, part.text,
                          kind(name_key(part.text)) or known_names.known_label(part.text, genitive_s)
                          or cues.kind_of(name_key(part.text)) or (m.label if n == 0 else "PER"))
                  for n, part in enumerate(parts)] or [m]
    return split


# The first part of a Danish coordinated compound ("Øst-" of "Øst- og Vestdanmark"), and what joins
# it to the rest: further such parts ("Udlændinge-, Integrations- og Boligudvalg") and a conjunction.
_HYPHEN_FRAGMENT = re.compile(r"[^\W\d_]-$")
_COORDINATION = re.compile(rf"(?:, [^\W\d_]+-)* (?:{'|'.join(sorted(_COORDINATORS))}|&) ")
_CAPITALISED_WORDS = re.compile(r"[^\W\d_][\w-]*(?: [^\W\d_][\w-]*)*")


def join_coordinated_compounds(docs: dict[str, Doc], fields: dict[str, str], mentions: list[Mention],
                               cues: NameCues) -> list[Mention]:
    """Join the first part of a coordinated compound, which the model tags as a name of its own
    ending in a hyphen ("Danmarks Medie-", "Øst-"), to the rest of the name after "og", "eller",
    "and", "or" or "&": the model's next mention, else the capitalised words there. A name never
    ends in a hyphen, and left alone the part became a group ("Øst-", "Dansk Jagt-"). A person's
    name the model ran on after the rest is a mention of its own ("Danmarks Medie- og
    Journalisthøjskole Roger Buch"), and so is a name the model ran on before it (see `_known_head`).
    A part with no name after it is dropped: "Øst- til Vestdanmark", "Social- og
    indenrigsminister", "A- og B-skoler" (see `is_name_compound`).
    """
    fragments = [m for m in mentions if _HYPHEN_FRAGMENT.search(m.text)]
    if not fragments:
        return mentions  # most articles
    persons = {name_key(m.text) for m in mentions if m.label == "PER"}
    _, label, _ = _article_labels(mentions)
    placed = {field: _Placed([m for m in mentions if m.field == field]) for field in docs}
    gone: set[Mention] = set()
    for m in fragments:
        if m in gone:
            continue  # taken in by an earlier join
        field = placed[m.field]
        rest = _rest_of_coordination(docs[m.field], fields[m.field], m, field, cues.compound_tail)
        taken = field.take(m.start, rest.end_char if rest is not None else m.end)
        gone.update(taken)
        if rest is not None:
            head = _known_head(m, label)
            start = m.start if head is None else m.start + len(m.text.rpartition(" ")[0]) + 1
            for part in _coordination_parts(docs[m.field], m, start, rest, taken,
                                            lambda key: cues.person_name(key) or key in persons, cues):
                field.put(part)
            if head is not None:
                field.put(head)
    return [m for field in docs for m in placed[field].mentions]


# An institution's name that ends in "for" and the first field it is for ("Institut for Idræt"),
# and the other fields after it: capitalised words after commas and "og" ("og Biomekanik", ",
# Landbrug og Fiskeri"), the last of one or two words ("og Socialt Arbejde").
_FOR_FIELD = re.compile(r"\sfor [A-ZÆØÅ][\w-]*$")
_MORE_FIELDS = re.compile(r"(?:, [A-ZÆØÅ][\w-]*)*,? (?:og|&) [A-ZÆØÅ][\w-]*")
_NEXT_WORD = re.compile(r" [A-ZÆØÅ][\w-]*")
_CAPITALISED = re.compile(r"[A-ZÆØÅ][\w-]*")


def extend_institution_names(fields: dict[str, str], mentions: list[Mention],
                             common_word: Callable[[str], bool]) -> list[Mention]:
    """An organisation's name that ends in "for" and a field goes on over the other fields after it
    ("Institut for Idræt og Biomekanik", "Ministeriet for Fødevarer, Landbrug og Fiskeri"), which
    the tagger left out or tagged as names of their own ("Sundhed" a place). Only common words
    are such fields: "Institut for Idræt og Søren Hansen" is two names, and a second word after
    "og" that is no common word is left out ("og Biomekanik Søren Hansen")."""
    found = [m for m in mentions if m.label == "ORG" and _FOR_FIELD.search(m.text)
             and common_word(m.text.rpartition(" ")[2].lower())]
    if not found:
        return mentions  # most articles
    placed = {field: _Placed([m for m in mentions if m.field == field]) for field in fields}
    for m in found:
        text = fields[m.field]
        more = _MORE_FIELDS.match(text, m.end)
        if more is None or not all(common_word(word.lower()) for word in _CAPITALISED.findall(more.group())):
            continue
        second = _NEXT_WORD.match(text, more.end())
        end = second.end() if second and common_word(second.group()[1:].lower()) else more.end()
        placed[m.field].place(Mention(m.field, m.start, end, text[m.start : end], m.label))
    return [m for field in fields for m in placed[field].mentions]


def _rest_of_coordination(doc: Doc, text: str, m: Mention, field: _Placed,
                          compound_tail: Callable[[str], bool]) -> Span | None:
    """The name after the conjunction that follows `m`: the mention that starts there, else the
    capitalised words there; None where there is none, or it is a compound built on a name
    ("FC Nordsjælland- og FC Midtjylland-angriber")."""
    joint = _COORDINATION.match(text, m.end)
    if joint is None or not text[joint.end() : joint.end() + 1].isupper():
        return None
    words = _CAPITALISED_WORDS.match(text, joint.end()).group().split(" ")
    words = list(itertools.takewhile(lambda word: word[:1].isupper(), words))
    end = field.starting_at(joint.end()) or joint.end() + len(" ".join(words))
    rest = doc.char_span(joint.end(), end)
    if rest is None or rest.text.endswith("-") or is_name_compound(rest.text, compound_tail):
        return None
    return rest


def _known_head(m: Mention, label: dict[str, str]) -> Mention | None:
    """The words of `m` before its last where they are a name the article uses on its own, not in
    the genitive: the model ran it on into the compound ("Allerød Orienteringsklub Familie- og
    Motionsorientering", the club's event), which is no part of it. A genitive owns the rest and is
    a part of its name ("Danmarks Medie- og Journalisthøjskole", "Folketingets Børne- og
    Undervisningsudvalg")."""
    head, space, _ = m.text.rpartition(" ")
    key = name_key(head)
    if not space or key not in label or key.endswith("s"):
        return None
    return Mention(m.field, m.start, m.start + len(head), head, label[key])


def _coordination_parts(doc: Doc, m: Mention, start: int, rest: Span, taken: list[Mention],
                        person_name: Callable[[str], bool], cues: NameCues) -> list[Mention]:
    """The mention of the whole coordinated compound from `start` in `m` to `rest`, and that of a
    person's name of two words or more that ends `rest` (`person_name` holds for it), which is no
    part of it."""
    words = [token for token in rest if not token.is_space]
    tails = (doc[token.i : rest.end] for token in words[1:-1])
    person = next((tail for tail in tails if person_name(name_key(tail.text))), None)
    end = rest.end_char if person is None else len(doc.text[: person.start_char].rstrip())
    text = doc.text[start:end]
    labels = [other.label for other in reversed(taken) if other is not m and other.start < end] + [m.label]
    parts = [Mention(m.field, start, end, text, _coordination_label(labels, name_key(text).split()[-1], cues))]
    if person is not None:
        parts.append(Mention(m.field, person.start_char, person.end_char, person.text, "PER"))
    return parts


def _coordination_label(labels: list[str], last_word: str, cues: NameCues) -> str:
    """The type of a coordinated compound, from those the model gave its parts, right-hand part
    first: never a person's, as persons' names are not coordinated so, nor a place's where the name
    ends in a common word rather than a place: "Danmarks Medie- og Journalisthøjskole" is a school,
    "Øst- og Vestdanmark" a place. ORG where no part's type will do."""
    common = cues.common_word(last_word) or cues.common_compound(last_word)
    return next((label for label in labels if label in ("ORG", "MISC") or (label == "LOC" and not common)), "ORG")


def split_coordinated_names(docs: dict[str, Doc], fields: dict[str, str], mentions: list[Mention],
                            cues: NameCues, genitive_s: bool) -> list[Mention]:
    """Split a mention of two names joined by "og", "eller", "and" or "or" ("Google og Facebook",
    "SNP and Labour", "Venstres og Konservatives") or a comma ("Chelsea, City", a list the model
    ran together), which the model tags as one, where each side is
    a name of its own: one the article uses by itself, a word after the first of a person's name it
    uses ("Løkke" of "Lars Løkke Rasmussen"), a person's full name or a place the lexicon knows, a
    listed name (`known_names`: "Alternativet og Radikale", "SpaceX og Blue Origin"), or
    (Danish) the genitive of one of these or one the lexicon knows; or where both sides are names of
    two words or more that begin or end alike ("Region Hovedstaden og Region Sjælland"). Left
    whole, it became a group beside those of the names it holds. Each part is typed as listed, else
    as the article types it, else as the mention was.

    Titles and names with "and" in them stay whole, as their sides are no names ("Rock and Roll
    Hall of Fame", "Two and a Half Men", "Kommunikation og Sprog"), and so does a name in quotes
    ("Winnie og Carina", a TV show). "&" joins the names of firms ("Bang & Olufsen"): no cut there.

    So, too, at another lower-case word, where the model ran a sentence's names together over its
    verb ("Ekstra Bladet mødte Haarder", "Google ifølge The Guardian"), if each side is a name by
    the same evidence but for the likeness of two sides; not at a preposition or article, which
    stand inside names ("Handelshøjskolen i København", "Bank of England").
    """
    _, label, _ = _article_labels(mentions)
    label = {word: "PER" for key, kind in label.items() if kind == "PER" for word in key.split()[1:]} | label

    def name(key: str) -> bool:
        # Not the first part of a compound the model tagged by itself ("Midt-" of "Midt- og
        # Vestsjællands Politi"): see join_coordinated_compounds.
        if key.endswith("-"):
            return False
        genitive = genitive_s and key.endswith("s") and (key[:-1] in label or cues.known_genitive(key))
        return (key in label or cues.person_name(key) or cues.place_name(key) or known_names.is_known_key(key)
                or genitive)

    def two_names(first: str, second: str, whole: str) -> bool:
        return (name(first) and name(second)) or _parallel(first, second)

    split = []
    for m in mentions:
        text = fields[m.field]
        quoted = text[m.start - 1 : m.start] in QUOTES and text[m.end : m.end + 1] in QUOTES
        coordinated = not quoted and (_CONJUNCTION.search(m.text) or ", " in m.text)
        parts = _cut(docs[m.field], m, two_names, _is_coordinator) if coordinated else ()
        if not parts and not quoted and any(word.islower() for word in m.text.split()[1:-1]):
            parts = _cut(docs[m.field], m, lambda first, second, whole: name(first) and name(second), _is_verb_like)
        if not all(part.text[:1].isupper() for part in parts):
            parts = ()
        split += [Mention(m.field, part.start_char, part.end_char, part.text,
                          known_names.known_label(part.text, genitive_s) or _label_of(part.text, label, m.label))
                  for part in parts] or [m]
    return split


def _is_coordinator(token: Token) -> bool:
    return token.lower_ in _COORDINATORS or token.text == ","


# Lower-case words that stand inside names ("Bank of England", "Handelshøjskolen i København",
# "Læger uden Grænser"): no cut there.
_INSIDE_NAMES = frozenset({"of", "the", "for", "in", "on", "at", "upon", "a", "an", "to", "y", "e", "i", "til",
                           "af", "på", "uden", "med", "over", "under", "ved", "fra", "om", "mod"}) | NAME_PARTICLES


def _is_verb_like(token: Token) -> bool:
    """A lower-case word between two names that belongs to neither, as a verb where the model ran
    a sentence's subject and object together ("Ekstra Bladet mødte Haarder", "Lockheed er Boeing",
    "Google ifølge The Guardian")."""
    return token.is_lower and token.is_alpha and token.lower_ not in _INSIDE_NAMES


def _parallel(first: str, second: str) -> bool:
    """Whether two names of two words or more begin or end with the same word: two of a kind, as
    "Region Hovedstaden" and "Region Sjælland", "New York" and "New Jersey"."""
    a, b = first.split(), second.split()
    return len(a) > 1 and len(b) > 1 and (a[0] == b[0] or a[-1] == b[-1])


def _label_of(text: str, label: dict[str, str], default: str) -> str:
    """The article's type of a name, or of the name whose genitive it is, else `default`."""
    key = name_key(text)
    return label.get(key) or (key.endswith("s") and label.get(key[:-1])) or default


def _article_labels(mentions: list[Mention]) -> tuple[dict[str, Counter], dict[str, str], dict[str, set[str]]]:
    """The article's votes for each name's type, the type each name gets (a surname is known as a
    person's wherever the article names the person in full), and the full names of each surname."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for m in mentions:
        votes[name_key(m.text)].update([m.label])
    label = {key: counts.most_common(1)[0][0] for key, counts in votes.items()}
    full_names: dict[str, set[str]] = defaultdict(set)
    for key in label:
        if " " in key and label[key] == "PER":
            full_names[key.split()[-1]].add(key)
    return votes, {surname: "PER" for surname in full_names} | label, full_names


def _cut(doc: Doc, m: Mention, joined: Callable[[str, str, str], bool],
         between: Callable[[Token], bool] | None = None) -> tuple[Span, ...]:
    """`m`'s words in two at the first boundary where `joined` holds; () where it never does.
    Whitespace between them other than a single space is a token of its own: neither part has it.
    With `between` the parts are cut apart at a word it holds for ("og", "and"), which neither has."""
    span = doc.char_span(m.start, m.end)
    words = [token.i for token in span if not token.is_space] if span is not None else []
    gap = 1 if between else 0
    for k in range(1, len(words) - gap):
        if between and not between(doc[words[k]]):
            continue
        first, second = doc[words[0] : words[k - 1] + 1], doc[words[k + gap] : words[-1] + 1]
        if joined(name_key(first.text), name_key(second.text), name_key(m.text)):
            return first, second
    return ()


class _Placed:
    """One field's mentions, kept sorted by start, so an overlap check is a bisection."""

    def __init__(self, mentions: list[Mention]):
        self.mentions = sorted(mentions, key=lambda m: (m.start, m.end))
        self.starts = [m.start for m in self.mentions]

    def place(self, new: Mention) -> None:
        """Add `new` unless it overlaps a mention that is not strictly inside it (and shorter)."""
        first, last = self._overlapping(new.start, new.end)
        inside = all(new.start <= m.start and m.end <= new.end and m.end - m.start < new.end - new.start
                     for m in self.mentions[first:last])
        if inside:
            self.mentions[first:last] = [new]
            self.starts[first:last] = [new.start]

    def _overlapping(self, start: int, end: int) -> tuple[int, int]:
        first = bisect.bisect_left(self.starts, start)
        if first and self.mentions[first - 1].end > start:
            first -= 1
        last = first
        while last < len(self.mentions) and self.mentions[last].start < end:
            last += 1
        return first, last

    def starting_at(self, start: int) -> int | None:
        """The end of the mention that starts at `start`, if there is one."""
        i = bisect.bisect_left(self.starts, start)
        return self.mentions[i].end if i < len(self.mentions) and self.starts[i] == start else None

    def take(self, start: int, end: int) -> list[Mention]:
        """Remove and return the mentions that overlap start..end."""
        first, last = self._overlapping(start, end)
        taken = self.mentions[first:last]
        del self.mentions[first:last], self.starts[first:last]
        return taken

    def put(self, new: Mention) -> None:
        """Add `new`, which overlaps no mention."""
        i = bisect.bisect_left(self.starts, new.start)
        self.mentions.insert(i, new)
        self.starts.insert(i, new.start)


def occurrences(text: str, doc: Doc, names: set[str], genitive_s: bool) -> list[tuple[str, int, int]]:
    """(name, start, end) of every occurrence of any of ``names`` (and ``name + "s"``) in
    ``text`` that starts and ends on token boundaries.

    One pass over the tokens: at each token start only the names sharing its first characters
    are tried, so the cost does not grow with the number of names times the text's length.
    """
    by_prefix: dict[str, list[str]] = defaultdict(list)
    for name in names:
        by_prefix[name[:_PREFIX]].append(name)
    ends = {t.idx + len(t.text) for t in doc}
    found = []
    for token in doc:
        start = token.idx
        for size in range(1, _PREFIX + 1):
            for name in by_prefix.get(text[start : start + size], ()):
                if len(name) < size or not text.startswith(name, start):
                    continue
                end = start + len(name)
                if end in ends:
                    found.append((name, start, end))
                elif genitive_s and text[end : end + 1] == "s" and end + 1 in ends:
                    found.append((name, start, end + 1))
    return found


# --------------------------------------------------------------------------- grouping


def name_key(text: str) -> str:
    """Case-, whitespace- and apostrophe-insensitive comparison key, in which initials and
    abbreviations are written without their full stops: "H.C. Andersen", "H. C. Andersen" and
    "HC Andersen" are one name, and so are "St. Barths" and "St Barths", "B&O." and "B&O"."""
    key = " ".join(text.replace("’", "'").split()).casefold()
    if "." not in key:
        return key
    return _SINGLE_LETTERS.sub(r"\1", _ABBREVIATION_STOP.sub("", key))


# A full stop after a single letter ("h.c.") or ending a word ("st.", "b&o."), not inside a word
# ("avisen.dk"); then the single letters it left in a row, joined ("h c andersen" -> "hc andersen").
_ABBREVIATION_STOP = re.compile(r"(?<=\b\w)\.|\.(?= |$)")
_SINGLE_LETTERS = re.compile(r"\b(\w) (?=\w\b)")


def strip_possessive(text: str) -> str:
    """``Putin's`` / ``Putin’s`` / ``Reuters'`` -> the name without the possessive; a listed name
    keeps an "'s" of its own ("McDonald's", "Sotheby's")."""
    stripped = _POSSESSIVE.sub("", text)
    return stripped if stripped.strip() and not known_names.is_listed(text) else text


def token_affixes(keys) -> dict[str, set[str]]:
    """Each proper whole-token prefix and suffix of the keys -> the longer keys it begins or ends.

    An index, so that "is this a part of a longer name?" is a lookup, not a scan of all names.
    """
    index: dict[str, set[str]] = defaultdict(set)
    for key in keys:
        words = key.split()
        for i in range(1, len(words)):
            index[" ".join(words[:i])].add(key)
            index[" ".join(words[-i:])].add(key)
    return index


def nominative(text: str, keys: set[str], affixes: dict[str, set[str]], genitive_s: bool,
               known_genitive: Callable[[str], bool] = lambda key: False) -> str:
    """The nominative form of a mention's text.

    The Danish genitive -s is only stripped when the base form is attested in
    the article (as a name, or as a part of a longer one) or the lexicon knows
    the word as a genitive, so "Reuters", "Paris" and "Mars" stay intact. After an apostrophe
    (a genitive's, or a closing quotation mark) only the article's own use of the base counts:
    the lexicon's word "time" is no base of "New York Times'", nor "monster" of "'Monsters'".
    """
    stripped = strip_possessive(text)
    apostrophe = stripped != text
    text = " ".join(stripped.split())
    # An abbreviation takes the -s after its full stop: "B.T.s" is the genitive of "B.T.". A listed
    # name's own -s is none ("Nets", "Lloyds").
    before = text[-2:-1]
    # A name written in capitals takes a capital S ("LARS KEPLERS", in a lead written so); not an
    # acronym ("DGS"), and only where the article has the name without it.
    shouted = _shouted(text)
    genitive = ((text.endswith("s") or (shouted and text.endswith("S")))
                and (before.isalpha() or before == ".") and before not in "sS" and not known_names.is_listed(text))
    if genitive_s and len(text) > 2 and genitive:
        base = name_key(text[:-1])
        if base in keys or base in affixes or (not apostrophe and not shouted and known_genitive(name_key(text))):
            return text[:-1]
    return text


def group_mentions(mentions: list[Mention], order: list[str], genitive_s: bool,
                   cues: NameCues = NameCues(), texts: tuple[str, ...] = (),
                   votes: Iterable[Mention] = (), announced: dict[Mention, str] | None = None) -> list[dict]:
    """Group mentions per real-world entity and render the JSON shape.

    ``order`` is the field order used for sorting (see ``ordered_fields``); ``texts`` are the
    article's fields, where a two-letter acronym must be spelled out to join its name. ``votes``
    are mentions not to report, written as one of ``mentions`` is: they count for its group's type.
    ``announced``: the type a kind noun right before a mention announces (`announced_kind`).
    """
    announced = announced or {}
    rank = {name: i for i, name in enumerate(order)}
    mentions = sorted(set(mentions), key=lambda m: (rank.get(m.field, len(order)), m.start, m.end))
    raw_keys = {name_key(strip_possessive(m.text)) for m in mentions}
    # A longer name's genitive the lexicon knows ("Muammar Gaddafis") gives its base's words too,
    # so that a word of it alone in the genitive ("Gaddafis") finds its base.
    raw_keys |= {key[:-1] for key in raw_keys if genitive_s and " " in key and cues.known_genitive(key)}
    affixes = token_affixes(raw_keys)
    forms = [nominative(m.text, raw_keys, affixes, genitive_s, cues.known_genitive) for m in mentions]
    keys = [name_key(form) for form in forms]
    label_of = _majority_labels(keys, [m.label for m in mentions])
    respelt = (misspellings(keys, label_of, cues.known_word) | (definite_forms(keys, label_of) if genitive_s else {})
               | short_names(keys, label_of))
    written, keys = keys, [respelt.get(key, key) for key in keys]

    key_labels: dict[str, Counter] = defaultdict(Counter)
    for key, m in zip(keys, mentions):
        key_labels[key].update([m.label])
    root = resolve_partial_names(key_labels, {key for key, form in zip(keys, forms) if is_titled(form)},
                                 cues.place_name, {key for key, form in zip(keys, forms) if form.isupper()})
    acronyms = resolve_acronyms(set(zip(keys, forms)), key_labels, root, texts)
    root = {key: acronyms.get(target, target) for key, target in root.items()}

    groups: dict[str, dict] = {}
    for key, written_key, form, m in zip(keys, written, forms, mentions):
        group = groups.setdefault(root[key], {"forms": Counter(), "labels": Counter(), "mentions": [],
                                              "surname_persons": 0, "titled_persons": 0, "full_name_persons": 0,
                                              "bare_surnames": 0, "kinds": Counter()})
        # The full name is the best evidence for the group's name (as spelt most: `misspellings`),
        # and counts double for its type.
        if written_key == root[key]:
            group["forms"].update([form])
        group["labels"].update({m.label: 2 if key == root[key] else 1})
        bare_surname = key != root[key] and key == root[key].rpartition(" ")[2]
        group["surname_persons"] += m.label == "PER" and bare_surname
        group["bare_surnames"] += bare_surname
        group["full_name_persons"] += m.label == "PER" and key == root[key] and " " in key
        group["titled_persons"] += is_titled(form) and form.partition(" ")[0] not in _TITLES_OF_THINGS_TOO
        group["mentions"].append({"field": m.field, "start": m.start, "end": m.end, "text": m.text})
        if m in announced:
            group["kinds"].update([announced[m]])
    key_of = {name_key(m.text): key for key, m in zip(keys, mentions)}
    for vote in votes:
        key = key_of[name_key(vote.text)]
        groups[root[key]]["labels"].update({vote.label: 2 if key == root[key] else 1})

    rendered = family_names([(render_group(group, cues), group["labels"]) for group in groups.values()],
                            cues.place_name)
    # Groups were created in order of first occurrence, and sorted() is stable.
    return sorted(rendered, key=lambda g: -g["count"])


def family_names(groups: list[tuple[dict, Counter]], place_name: Callable[[str], bool]) -> list[dict]:
    """Type PER a bare surname the article gives two or more of its persons ("Silvonek" beside
    "Jamie Silvonek" and "Cheryl Silvonek"): it stays a group of its own, as it may name either,
    but names a person; the model types a surname on its own as anything ("Silvonek" LOC). A
    surname that is also a place ("Jordan") keeps its type, unless the model typed a quarter or
    more of its mentions PER (four "Jordan said" of twelve beside "Frank Jordan" and "Louis
    Jordan"): a country is seldom typed a person. ``groups``: each rendered group with its votes."""
    surnames = Counter(g["name"].split()[-1] for g, _ in groups if g["label"] == "PER" and " " in g["name"])
    for group, votes in groups:
        name = group["name"]
        one_word = name.istitle() and name.replace("-", "").isalpha()
        typed_person = 4 * votes["PER"] >= votes.total()
        if (group["label"] != "PER" and surnames[name] > 1 and one_word
                and (typed_person or not place_name(name_key(name)))):
            group["label"] = "PER"
    return [group for group, _ in groups]


def _majority_labels(keys: list[str], labels: list[str]) -> dict[str, str]:
    """Each key's type by most of its mentions (the first such type on a tie)."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for key, label in zip(keys, labels):
        votes[key][label] += 1
    return {key: counts.most_common(1)[0][0] for key, counts in votes.items()}


def misspellings(keys: list[str], label_of: dict[str, str],
                 known_word: Callable[[str], bool] = _never) -> dict[str, str]:
    """Each name of two words or more that the article writes once in a while with a slip in one
    word, mapped to the spelling it uses more ("Poul Bjergager" beside "Poul Bjerager" x5, "Svendborg
    Rabbtis" beside "Svendborg Rabbits"), or as often but the lexicon knows that word (`known_word`:
    "Flemming", not "Flemmimng"), or else as often and first: a letter put in, not at the end
    (where the genitive's "s" goes), or two letters next to each other swapped, in a word of five
    letters or more, with the same type by most mentions; before the last word, also an adjective
    with or without its ending ("Dansk Bank" and "Danske Bank", "Mellemfolkelig Samvirke" and
    "Mellemfolkeligt Samvirke"). A letter changed for another is no slip: "Mikkel Hansen" and
    "Mikkel Jansen" are two persons. The word alone goes with it ("Bjergager")."""
    count, first = Counter(keys), {}
    for i, key in enumerate(keys):
        first.setdefault(key, i)
    by_frame: dict[tuple, list[tuple[str, str]]] = defaultdict(list)
    for key in count:
        words = key.split()
        for i, word in enumerate(words if len(words) > 1 else ()):
            if len(word) >= 5 and word.isalpha():
                by_frame[(i == len(words) - 1, *words[:i], "", *words[i + 1:])].append((key, word))
    respelt: dict[str, str] = {}
    for (last, *_), spellings in by_frame.items():
        spellings.sort(key=lambda kw: (-count[kw[0]], not known_word(kw[1]), first[kw[0]]))
        main, main_word = spellings[0]
        for key, word in spellings[1:]:
            same_type = label_of[key] == label_of[main]
            # Before the last word, a genitive's -s in the wrong place is a slip too ("Sørens Pinds").
            slip = _slip(word, main_word) or (not last and (_inflected(word, main_word) or word == f"{main_word}s"))
            if main not in respelt and key not in respelt and same_type and slip:
                respelt[key] = main
                if word in count and word not in respelt:
                    respelt[word] = main_word
    return respelt


# Danish puts "the" at the end of a noun: "Riksdagen", "Pressenævnet", "Storstrømsbroen".
_DEFINITE_ENDINGS = ("en", "et", "n")


def short_names(keys: list[str], label_of: dict[str, str]) -> dict[str, str]:
    """A listed short name ("DF", "FCK", "Man City", "PET") mapped to its full name where the
    article uses both with one type (`known_names.SHORT_NAMES`): "Dansk Folkeparti" and "Kristian
    Thulesen Dahl (DF)" are one party."""
    found = known_names.full_names(set(keys))
    return {short: full for short, full in found.items() if label_of[short] == label_of[full]}


def definite_forms(keys: list[str], label_of: dict[str, str]) -> dict[str, str]:
    """Danish names written both with and without the definite ending ("Riksdag" and "Riksdagen",
    "Pressenævn" and "Pressenævnet", "Hillerød Motortrafikvej" and "Hillerød Motortrafikvejen",
    "Passat" and "Passaten"): the form used less mapped to the one used more, the definite where
    both are used as often (institutions are named so: "Folketinget", "Forbrugerrådet"). Not a
    name typed as a person's ("Morten" is no "Mort"; the model types bare "Pressenævn" so), nor
    where the word without the ending is shorter than four letters."""
    count = Counter(keys)
    mapped = {}
    for key in count:
        last = key.rpartition(" ")[2]
        for ending in _DEFINITE_ENDINGS:
            base = key[: -len(ending)]
            if last.endswith(ending) and len(last) - len(ending) >= 4 and base in count and label_of[key] != "PER":
                mapped.update({base: key} if count[key] >= count[base] else {key: base})
                break
    return mapped


def _inflected(word: str, other: str) -> bool:
    """Whether one word is the other with a Danish adjective's "-e" or "-t" after it: "Dansk" and
    "Danske Bank", "Kristelig" and "Kristeligt Folkeparti"."""
    short, long = sorted((word, other), key=len)
    return len(long) == len(short) + 1 and long.startswith(short) and long[-1] in "et"


def _slip(word: str, other: str) -> bool:
    """Whether `word` is `other` with one letter put in before its end, or two neighbours swapped."""
    if len(word) == len(other) + 1:
        return any(word[:i] + word[i + 1:] == other for i in range(len(word) - 1))
    if len(other) == len(word) + 1:
        return any(other[:i] + other[i + 1:] == word for i in range(len(other) - 1))
    differ = [i for i in range(len(word)) if word[i] != other[i]] if len(word) == len(other) else []
    return len(differ) == 2 and differ[1] == differ[0] + 1 and word[differ[0]] == other[differ[1]] \
        and word[differ[1]] == other[differ[0]]


def render_group(group: dict, cues: NameCues) -> dict:
    forms = group["forms"]
    # The form written most; of two written as often, not the one in capitals, as a dateline or a
    # lead written so has it ("BRUXELLES:" before "i Bruxelles").
    name = max(forms, key=lambda form: (forms[form], not form.isupper()))
    label = group["labels"].most_common(1)[0][0]
    # One PER vote is enough for a name that reads as a person's ("Nigel Farage", whose bare
    # "Farage" the model typed MISC six times); a group with a name after a courtesy title needs
    # none ("Ms Ratcliffe", and "Marie Teresa Ratcliffe" with it), but a doctor's may be a brand's
    # ("Dr Pepper") and a Miss a contest's ("Miss Fredensborg"). A group whose full name was typed
    # PER and which has the bare surname too is a person's, however the model typed the surname
    # ("François Bayrou" once, "Bayrou" four times ORG: "François" is also a part of places' names).
    # A Danish person's full name needs no vote at all (`danish_full_names`).
    key = name_key(name)
    if label != "PER" and ((group["labels"]["PER"] and cues.person_name(key)) or cues.danish_full_name(key)
                           or group["titled_persons"] or _surname_of_a_person(group)
                           or (group["full_name_persons"] and group["bare_surnames"])):
        label = "PER"
    # A kind noun before a mention outweighs the model's types for the rest, which it gives a
    # name by habit ("i Dong" a place, beside "energiselskab Dong"); not a person's full name,
    # whose office stands before it ("kommunikationsmedarbejder i lufthavnen Lars Lemche").
    if group["kinds"] and not (label == "PER" and " " in name) and cues.kind_of(key.rpartition(" ")[2]) is None:
        label = group["kinds"].most_common(1)[0][0]
    return {"name": name, "label": label, "count": len(group["mentions"]), "mentions": group["mentions"]}


def _shouted(form: str) -> bool:
    """Whether a name is written in capitals and is no acronym: of two words or more, or of six
    letters or more."""
    return form.isupper() and (" " in form or len(form) >= 6)


# The word and the one space right before a name (a kind noun is a lower-case one): not past a
# quotation mark, which opens a title that may begin with another thing's name ("bog »Knut
# Hamsun. Rejsen til Hitler«"), nor a line break.
_WORD_BEFORE = re.compile(r"(?<![\w-])([\w-]+) $")


def announced_kind(text: str, start: int, kind_of: Callable[[str], str | None]) -> str | None:
    """The type a Danish kind noun right before a name at ``start`` announces ("det statslige
    energiselskab Dong": ORG; see kind_cues.cue_label), or None."""
    match = _WORD_BEFORE.search(text, max(0, start - _LOOKBACK), start)
    return kind_of(match.group(1)) if match else None


def _surname_of_a_person(group: dict) -> bool:
    """The article names the group by its last word alone, typed a person, twice or more, and
    as often as otherwise: a club's "Uniteds", twice PER beside eight "United" typed ORG, does
    not make "Manchester United" a person."""
    return group["surname_persons"] >= 2 and 2 * group["surname_persons"] >= group["bare_surnames"]


# Lower-case words a name's acronym leaves out ("Bank of England" is BoE, "Forenede Nationer" FN).
_ACRONYM_SKIPS = frozenset("of and for the de des du la le og i af til".split())


def resolve_acronyms(forms: set[tuple[str, str]], key_labels: dict[str, Counter], root: dict[str, str],
                     texts: tuple[str, ...]) -> dict[str, str]:
    """Map an acronym ("ECB", "DTU") to the group of the one name in the article whose initials
    it spells ("European Central Bank", "Danmarks Tekniske Universitet") and whose type it was
    given once. Two letters stand for too many names ("DF" is a party, and also the refugee
    council's "Dansk Flygtningehjælp"): those only where the article spells them out, as in
    "Dansk Folkeparti (DF)"."""
    label_of = {key: votes.most_common(1)[0][0] for key, votes in key_labels.items()}
    # initials -> the group each name spelling them belongs to -> those names as written
    by_initials: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for key, form in forms:
        words = [w for w in form.split() if w.lower() not in _ACRONYM_SKIPS]
        if len(words) >= 2 and all(w[0].isupper() and not w.isupper() for w in words):
            by_initials["".join(w[0] for w in words).casefold()][root[key]].add(form)
    mapped = {}
    for key, form in forms:
        if not (2 <= len(form) <= 6 and form.isalpha() and form.isupper()):
            continue
        targets = {full: names for full, names in by_initials.get(key, {}).items() if label_of[full] in key_labels[key]}
        if len(targets) != 1:
            continue
        [(full, names)] = targets.items()
        if len(form) > 2 or any(f"{name} ({form})" in text or f"{form} ({name})" in text
                                for name in names for text in texts):
            mapped[key] = full
    return mapped


def resolve_partial_names(key_labels: dict[str, Counter], titled: set[str] = frozenset(),
                          place_name: Callable[[str], bool] = _never, capitals: set[str] = frozenset()) -> dict[str, str]:
    """Map each key to the fullest same-type name that contains it as a token prefix/suffix.

    "putin" -> "vladimir putin"; "kim" -> "kim jong-un" only when no other full
    name (e.g. "kim yo-jong") also starts with "kim". "Same type" means the
    short name was given the full name's majority label at least once, or it
    is the last name of a multi-word name and one of the two was typed PER: the
    model's type for a bare surname is unreliable (it tagged "Putin" LOC in the
    Danish seed article), and so, once in a while, is its type for a full name.
    A name that is the key after one word the article tags MISC on its own, a nationality
    ("Scottish Labour" beside "Scottish"), is a narrower thing: the key does not join it, nor,
    while it stands, any other name.
    A name is not a part of a longer one built on it as a qualifier (see `built_on`).
    `titled` are the keys written with a courtesy title first (see `_titled_root`); `place_name`
    tells a word the lexicon knows as a place, and `capitals` are the keys written in capitals.
    """
    label_of = {key: votes.most_common(1)[0][0] for key, votes in key_labels.items()}
    # A name after a title ("Ms Kunis") is no fuller name of its own: it does not take in "Kunis".
    longer = token_affixes(key for key in key_labels if key not in titled)
    # Nor is a span of two names joined by a conjunction ("SNP and Labour", "Facebook og Twitter",
    # "Venstre eller Konservative") one of the name on either side, which it took in with all its
    # mentions (split_coordinated_names leaves it whole where it cannot tell both sides names).
    for key in key_labels:
        for side in _CONJUNCTION.split(key, maxsplit=1)[:2] if _CONJUNCTION.search(key) else ():
            longer[side].discard(key)
    # A person's double surname is also known by its first half: "Thorning" and "Helle Thorning"
    # are Helle Thorning-Schmidt, unless the article has a name it is a part of ("Helmut Schmidt").
    # Not a titled name's, no fuller name either ("Fru Thorning-Schmidt" had crashed the step,
    # as a titled name's group is found after all others', from them).
    persons = [key for key in key_labels if label_of[key] == "PER" and key not in titled]
    short_surname = {key: _first_half(key) for key in persons}
    shortened: dict[str, set[str]] = defaultdict(set)
    for key, half in short_surname.items():
        if half:
            words = key.split()
            for i in range(len(words)):
                shortened[" ".join(words[i:-1] + [half])].add(key)
    # And by the name before the surname, as Danish names "Lars Løkke Rasmussen" "Løkke" and
    # "Anders Fogh Rasmussen" "Fogh".
    middle_name = {key: _middle_name(key) for key in persons}
    for key, middle in middle_name.items():
        if middle:
            shortened[middle].add(key)
    # And by the first name and the surname alone: "Lasse Mikkelsen" is "Lasse Askou Mikkelsen".
    for key in middle_name:
        short = _without_middle_names(key)
        if short:
            shortened[short].add(key)

    # A person named by a short first name and by the longer one it begins ("Matt Upson",
    # "Matthew Upson"): the short one joins the long one, so their bare surname has one group to go to.
    variants = first_name_variants({key: label for key, label in label_of.items() if key not in titled})

    def compatible(short: str, full: str) -> bool:
        # A bare surname, or a full name the model typed wrong once ("Vladimir Putin" ORG
        # beside four "Putin" PER): the group's type is then decided by all its mentions.
        surname = (short in (full.split()[-1], short_surname.get(full), middle_name.get(full))
                   and "PER" in (label_of[full], label_of[short]))
        # A person's name without its first name ("Løkke Rasmussen" typed ORG beside "Lars Løkke
        # Rasmussen"), which names no one else; not a name of its own after a whole person's,
        # which the model ran together ("Chuck Jones Looney Tunes").
        surnames = (" " in short and full.endswith(f" {short}") and " " not in full[: -len(short) - 1]
                    and label_of[full] == "PER")
        # A part of a listed name that is no place ("Rayo" typed PER beside "Rayo Vallecano", ORG
        # by the list; not "Madrid" of "Real Madrid", nor "Sjælland", typed LOC, of "Region Sjælland").
        listed = known_names.is_known_key(full) and label_of[short] != "LOC" and not place_name(short)
        return surname or surnames or listed or label_of[full] in key_labels[short]

    def qualified(short: str, full: str) -> bool:
        # "Scottish Labour" beside "Scottish" (MISC) is the party in Scotland, not what "Labour"
        # names, nor is "Australian Anzac Day" beside "Australian" all the article's "Anzac Day".
        extra = full[: -len(short) - 1] if full.endswith(f" {short}") else ""
        return " " not in extra and label_of.get(extra) == "MISC"

    def built_on(short: str, full: str) -> bool:
        # A name of its own that the longer one is built on: a one-word MISC name, as a
        # nationality, before the rest ("Ethiopian Christians"; not a listed name before a listed
        # one, as "Eurovision" of "Eurovision Song Contest"); a place before the name of
        # something else ("US" of "US Postal Service"): a name the article types a place at least
        # as often as anything else, and the lexicon knows as one or that is written in capitals,
        # as abbreviations are, which the lexicon does not list (the article alone may type a
        # newspaper a place: "på Berlingske"); or a place the lexicon knows after the words that
        # make another place of it ("East London", "New York", "Northern Ireland"; not "Republic
        # of Ireland", "The Hawthorns"), or at the end of an organisation's name, typed a place as
        # often as anything else ("Horsens" of "AC Horsens": the town, not the club); or a listed
        # name that ends another listed name and names something else ("Venstre" of "Radikale
        # Venstre": `known_names.NAMES_APART`).
        votes = key_labels[short]
        mostly_place = votes["LOC"] == max(votes.values())
        if full.startswith(f"{short} "):
            place = mostly_place and (place_name(short) or short in capitals)
            listed = known_names.is_known_key(short) and known_names.is_known_key(full)
            nationality = " " not in short and label_of[short] == "MISC" and not listed
            return nationality or (place and label_of[full] not in ("LOC", "PER"))
        extra = full[: -len(short) - 1] if full.endswith(f" {short}") else ""
        town = " " not in short and place_name(short)
        return ((town and label_of[full] == "LOC" and extra not in _ARTICLES and not _OF.search(full))
                or (town and mostly_place and label_of[full] == "ORG")
                or (short, full) in known_names.NAMES_APART)

    root: dict[str, str] = {}
    # Longer names first, so every name a key is part of already has its root; titled names
    # last, as they go with the root of the name after the title.
    order = sorted(key_labels, key=lambda k: (k not in titled, len(k.split()), len(k)), reverse=True)
    for key in order:
        if key in titled:
            root[key] = _titled_root(key, root, longer, label_of)
            continue
        fuller = [full for full in longer.get(key, ()) or shortened.get(key, ()) or variants.get(key, ())
                  if compatible(key, full) and not built_on(key, full)]
        targets = {root[full] for full in fuller}
        # A bare first name or surname goes with the one person of the article it can name, over
        # a name run together with it ("Benzema" with "Karim Benzema", not "Malaga Benzema"; "Pat"
        # with "Pat Ingles", not "Menorca While Pat"). "Ruud" of "Ruud Gullit" and of "Sorry Ruud"
        # has two such and is left alone.
        if len(targets) > 1 and " " not in key:
            persons = {root[full] for full in fuller if label_of[full] == "PER"}
            targets = persons if len(persons) == 1 else targets
        # A name qualified by a nationality still counts as one the key may be a part of.
        root[key] = targets.pop() if len(targets) == 1 and not any(qualified(key, f) for f in fuller) else key
    return root


def first_name_variants(label_of: dict[str, str]) -> dict[str, set[str]]:
    """Each person's name whose first name of three letters or more begins a longer one before the
    same surname, mapped to those names: "matt upson" -> {"matthew upson"}, "chris evans" ->
    {"christopher evans"}. Where two longer ones begin so ("Christopher", "Christine"), the caller
    finds two and joins neither. A first name of four letters or more spelt once with a letter
    doubled is one name too ("Liana" -> "Lianna Barrientos", "Philip" -> "Phillip"). Not a first
    name and its -s: "Jens" is no longer "Jen", and "Jans Lindskov" (a genitive's -s in the wrong
    word, "Jans Lindskovs to døtre") is no fuller name than "Jan Lindskov", which it had named."""
    by_surname: dict[str, list[str]] = defaultdict(list)
    for key, label in label_of.items():
        first, _, rest = key.partition(" ")
        if label == "PER" and rest and first.isalpha():
            by_surname[rest].append(key)
    variants: dict[str, set[str]] = defaultdict(set)
    for keys in by_surname.values():
        for short, full in itertools.permutations(keys, 2):
            first, other = short.partition(" ")[0], full.partition(" ")[0]
            begins = len(first) >= 3 and len(other) > len(first) and other.startswith(first) and other != f"{first}s"
            if begins or _doubled_letter(first, other):
                variants[short].add(full)
    return variants


def _doubled_letter(name: str, other: str) -> bool:
    """Whether `other` is `name`, of four letters or more, with one of its letters doubled."""
    return (len(name) >= 4 and len(other) == len(name) + 1
            and any(other[i] == other[i - 1] and other[:i] + other[i + 1:] == name for i in range(1, len(other))))


_OF = re.compile(r" (?:of|af) ")
# Words before a place name that make no other place of it: "The Hawthorns" is "Hawthorns".
_ARTICLES = frozenset({"", "the", "den", "det", "de"})


def _middle_name(key: str) -> str | None:
    """The word before the surname of a name of three words or more ("løkke" of "lars løkke
    rasmussen"), if it is a word of three letters or more."""
    words = key.split()
    return words[-2] if len(words) >= 3 and len(words[-2]) >= 3 and words[-2].isalpha() else None


def _without_middle_names(key: str) -> str | None:
    """The first and the last word of a name of three words or more, each a word of two letters or
    more ("lasse mikkelsen" of "lasse askou mikkelsen")."""
    words = key.split()
    ends = (words[0], words[-1]) if len(words) >= 3 else ()
    return " ".join(ends) if ends and all(len(w) >= 2 and w.isalpha() for w in ends) else None


def _first_half(key: str) -> str | None:
    """The first half of a name's hyphenated surname ("thorning" of "helle thorning-schmidt"),
    if the name has a first name and such a surname, of two halves of at least three letters."""
    words = key.split()
    halves = words[-1].split("-")
    if len(words) < 2 or len(halves) != 2 or min(len(h) for h in halves) < 3 or not halves[0].isalpha():
        return None
    return halves[0]


def is_titled(name: str) -> bool:
    """Whether a name as written begins with a courtesy title: "Mr Hussen", "Ms. Altice",
    "Sir Alex Ferguson", not "DR Nyheder"."""
    first, _, rest = name.partition(" ")
    return bool(rest.strip()) and first in _COURTESY_TITLES


def _titled_root(key: str, root: dict[str, str], longer: dict[str, set[str]], label_of: dict[str, str]) -> str:
    """The group of a titled name: that of the one person the article names in full with the rest
    ("Mr Hussen" -> "Abase Hussen"; "Hanson Robotics" does not count), else that of the rest
    itself when the article uses it and no full name ends in it ("Mr Yeaman" beside "Yeaman").
    With two such persons ("Chris Lane", "Peter Lane") it stays a group of its own, as does the
    bare surname."""
    rest = key.partition(" ")[2]
    targets = {root[full] for full in longer.get(rest, ())
               if full.endswith(f" {rest}") and "PER" in (label_of[full], label_of[key])}
    if rest in root and (root[rest] != rest or not targets):
        targets.add(root[rest])
    return targets.pop() if len(targets) == 1 else key
