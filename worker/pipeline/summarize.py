"""Extractive summarisation: pick a few verbatim sentences of an article.

News boilerplate (datelines, bylines, promos, captions, headings; see
``clean.py``) is set aside first and never ranked. Each remaining sentence
becomes a TF-IDF vector (IDF over those sentences alone) of
Snowball-stemmed content words. A sentence scores high when it is central,
i.e. similar to the sentences that follow it (PacSum-style directed
centrality: news leads announce what later paragraphs elaborate, so
similarity to later sentences counts fully and to earlier ones less), and
when it is early (a lead prior, since news puts the key facts first). Quotes
and dialogue lines are discounted: they elaborate rather than report.
Sentences are then picked greedily with MMR so a near-repeat of an already
chosen sentence loses to fresh content.

The blend weights are tuned per language on development data by
``worker/training/tune_summarizer.py`` and stored in
``summarizer_weights.json`` next to this file.

All pairwise work is bounded: similarity is only computed within a window of
nearby sentences and MMR only runs over the best-scoring few, so the cost is
linear in the number of sentences.
"""

from __future__ import annotations

import functools
import heapq
import json
import math
import re
import threading
from collections import Counter
from dataclasses import dataclass, fields
from pathlib import Path

import snowballstemmer

from worker.pipeline.clean import SKIPPED, sentence_flags
from worker.pipeline.sentences import Sentence

_SNOWBALL_NAMES = {
    "ar": "arabic",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "it": "italian",
    "nb": "norwegian",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ru": "russian",
    "sv": "swedish",
    "tr": "turkish",
}
_STOP_WORDS = {
    "da": frozenset(
        "af alle andet andre at begge blev blive bliver da de dem den denne der "
        "deres det dette dig din dine disse dog du efter eller en end er et "
        "for fordi fra ham han hans har havde have hende hendes her hos hun "
        "hvad hvem hver hvilke hvis hvor hvordan hvorfor hvornår i ikke ind "
        "ingen intet jeg jer jo kan kom kommer kun kunne lidt man mange med "
        "meget men mere mig min mine mit mod ned noget nogle nu når og også "
        "om op os over på sagde samt selv sig sin sine sit skal skulle som "
        "stadig så sådan thi til ud under var vi vil ville vor vores være "
        "været siger ifølge blandt flere første to tre".split()
    ),
    "en": frozenset(
        "a about after again against all also am an and any are as at be "
        "because been before being between both but by can could did do does "
        "doing down during each few for from further had has have having he "
        "her here hers herself him himself his how i if in into is it its "
        "itself just me more most my myself no nor not now of off on once "
        "only or other our ours out over own said same says she should so "
        "some such than that the their theirs them then there these they "
        "this those through to too under until up very was we were what when "
        "where which while who whom why will with would you your".split()
    ),
}
_WORD = re.compile(r"[^\W\d_]{2,}")
# A word as counted: a run of word characters, or one character of a script written without
# spaces between words (Chinese, Japanese, Thai, Lao, Myanmar, Khmer), whose sentences would
# otherwise be one "word".
COUNTED_WORD = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"  # Thai, Lao, Myanmar, Khmer
                          r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|\w+")  # kana, CJK
# Similarity is computed between each sentence and the next _WINDOW ones.
_WINDOW = 15
# A candidate this similar to a chosen sentence is a repeat, not news.
_DUPLICATE_SIMILARITY = 0.9
_MIN_WORDS = 4

WEIGHTS_FILE = Path(__file__).with_name("summarizer_weights.json")
# List items are only used when nothing else is left.
_FALLBACK_ONLY = frozenset({"list"})

Vector = dict[str, float]


@dataclass(frozen=True)
class Weights:
    # Share of the final score given to the lead prior (the rest is centrality).
    position: float = 0.7
    # The lead prior is 1 / (1 + rank / position_scale): larger = flatter.
    position_scale: float = 3.0
    # Weight of similarity to *earlier* sentences relative to later ones.
    backward: float = 0.5
    # Score multiplier for quotes and dialogue lines.
    quote: float = 1.0
    # MMR trade-off between relevance and novelty.
    mmr_lambda: float = 0.7


@functools.lru_cache(maxsize=None)
def tuned_weights(language: str) -> Weights:
    """The committed weights for ``language``, else the "default" entry."""
    table = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    entry = table.get(language, table["default"])
    names = {f.name for f in fields(Weights)}
    return Weights(**{k: v for k, v in entry.items() if k in names})


# A stemmer keeps the word it works on in itself, so each thread gets its own. With PyStemmer
# installed (a dependency) snowballstemmer hands out its C build, which stems the same words
# 25 times faster than the pure-Python one (tests/unit/test_summarize.py compares the two).
_stemmers = threading.local()


def _stemmer(language: str):
    name = _SNOWBALL_NAMES.get(language)
    if name is None:
        return None
    cache = _stemmers.__dict__.setdefault("by_name", {})
    if name not in cache:
        cache[name] = snowballstemmer.stemmer(name)
    return cache[name]


def _terms(sentences: list[str], language: str) -> list[list[str]]:
    """Stemmed content words per sentence; one stem call per distinct word."""
    stop = _STOP_WORDS.get(language, frozenset())
    stemmer = _stemmer(language)
    stems: dict[str, str] = {}
    result = []
    for sentence in sentences:
        terms = []
        for word in _WORD.findall(sentence.lower()):
            if word in stop:
                continue
            stem = stems.get(word)
            if stem is None:
                stem = stems[word] = stemmer.stemWord(word) if stemmer else word
            terms.append(stem)
        result.append(terms)
    return result


def _tfidf(terms: list[list[str]]) -> list[Vector]:
    """L2-normalised sublinear TF-IDF vectors, IDF over the given sentences."""
    df = Counter(term for sentence in terms for term in set(sentence))
    n = len(terms)
    vectors = []
    for sentence in terms:
        weights = {
            term: (1.0 + math.log(tf)) * (math.log((1 + n) / (1 + df[term])) + 1.0)
            for term, tf in Counter(sentence).items()
        }
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors.append({term: w / norm for term, w in weights.items()})
    return vectors


def sentence_vectors(texts: list[str], language: str) -> list[Vector]:
    """TF-IDF vectors of stemmed content words, IDF over ``texts``."""
    return _tfidf(_terms(texts, language))


def similarity(a: Vector, b: Vector) -> float:
    """Cosine similarity of two normalised vectors."""
    return _cosine(a, b)


def _cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(term, 0.0) for term, w in a.items())


def _ranked(flags: list[str | None], indices=None) -> list[int]:
    """Of ``indices`` (all sentences by default), those that are ranked: all but the boilerplate;
    where nothing else is left, the captions and headings; where not even those are, all (a
    byline, a stamp or a credit only in an article that is nothing else)."""
    indices = range(len(flags)) if indices is None else indices
    return ([i for i in indices if flags[i] not in SKIPPED] or [i for i in indices if flags[i] != "noise"]
            or list(indices))


def _vectors(sentences: list[Sentence], flags: list[str | None], language: str) -> list[Vector]:
    """The ranked sentences' vectors, IDF over them alone; the others' empty. Counted with them, a
    byline or a "Læs også" line added to an article changed the words' weights, and so the summary
    of 10 and 6 of the 1,250 sample articles."""
    vectors: list[Vector] = [{} for _ in sentences]
    ranked = _ranked(flags)
    for i, vector in zip(ranked, sentence_vectors([sentences[i].text for i in ranked], language)):
        vectors[i] = vector
    return vectors


def _scores(vectors: list[Vector], flags: list[str | None], weights: Weights) -> list[float]:
    """Windowed directed centrality blended with a lead prior, in [0, 1].

    Only ranked sentences take part: position is the rank among them, so a
    dateline or byline does not push the real lead back. Skipped ones score 0.
    """
    ranked = _ranked(flags)
    centrality = [0.0] * len(ranked)
    for a, i in enumerate(ranked):
        for b in range(a + 1, min(len(ranked), a + 1 + _WINDOW)):
            sim = _cosine(vectors[i], vectors[ranked[b]])
            centrality[a] += sim
            centrality[b] += weights.backward * sim
    top = max(centrality) or 1.0
    scores = [0.0] * len(flags)
    for a, i in enumerate(ranked):
        prior = 1.0 / (1.0 + a / weights.position_scale)
        score = (1 - weights.position) * centrality[a] / top + weights.position * prior
        scores[i] = score * (weights.quote if flags[i] == "quote" else 1.0)
    return scores


def _candidates(sentences: list[Sentence], scores: list[float], flags: list[str | None], k: int) -> list[int]:
    """The best-scoring sentences worth considering: first occurrences only
    (so repeated boilerplate cannot fill the pool); boilerplate, list items
    and fragments only if nothing else is left."""
    ranked = _ranked(flags, first_occurrences(sentences, range(len(sentences))))
    indices = [
        i for i in ranked
        if flags[i] not in _FALLBACK_ONLY and len(COUNTED_WORD.findall(sentences[i].text)) >= _MIN_WORDS
    ] or ranked
    return heapq.nlargest(max(20, 4 * k), indices, key=lambda i: (scores[i], -i))


def first_occurrences(sentences: list[Sentence], indices) -> list[int]:
    """The indices whose sentence text has not occurred at an earlier one of them."""
    seen: set[str] = set()
    unique = []
    for i in indices:
        if sentences[i].text not in seen:
            seen.add(sentences[i].text)
            unique.append(i)
    return unique


def _select(
    sentences: list[Sentence],
    vectors: list[Vector],
    scores: list[float],
    flags: list[str | None],
    k: int,
    max_chars: int | None,
    mmr_lambda: float,
    sizes: list[int] | None = None,
) -> list[int]:
    """Greedy MMR over the candidates, skipping what would overflow max_chars."""
    pool = _candidates(sentences, scores, flags, k)
    redundancy = {i: 0.0 for i in pool}
    chosen: list[int] = []
    length = 0
    while pool and len(chosen) < k:
        best = max(pool, key=lambda i: mmr_lambda * scores[i] - (1 - mmr_lambda) * redundancy[i])
        pool.remove(best)
        added = (sizes[best] if sizes else len(sentences[best].text)) + (1 if chosen else 0)
        if redundancy[best] >= _DUPLICATE_SIMILARITY:
            continue
        if max_chars is not None and length + added > max_chars:
            continue
        chosen.append(best)
        length += added
        for i in pool:
            redundancy[i] = max(redundancy[i], _cosine(vectors[i], vectors[best]))
    if not chosen:
        # Even the best sentence alone is over max_chars: a verbatim summary
        # cannot be cut, and one too-long sentence beats an empty summary.
        chosen = _candidates(sentences, scores, flags, 1)[:1]
    return chosen


def summarize(
    text: str,
    sentences: list[Sentence],
    language: str,
    max_sentences: int = 3,
    max_chars: int | None = None,
    weights: Weights | None = None,
    sizes: list[int] | None = None,
) -> list[dict]:
    """Choose up to ``max_sentences`` verbatim sentences of ``text``.

    Returns dicts ``{"index", "start", "end", "text", "score"}`` in document
    order, where ``index`` points into ``sentences``. An article with no more
    sentences than requested (and no ``max_chars``) is returned whole, less
    its boilerplate and repeated sentences.
    ``max_chars`` caps ``len(summary_text(result))``; if no single sentence
    fits, the best sentence is returned alone even though it exceeds the cap.
    Fragments under four words, boilerplate and list items are only chosen
    when nothing else exists. ``weights`` defaults to the tuned weights for
    ``language``. ``sizes``, if given, are the sentences' lengths as the client counts them,
    where the text read is not the one sent (characters.read_text): ``max_chars`` is about that.
    """
    if not text or not sentences or max_sentences <= 0:
        return []
    weights = weights or tuned_weights(language)
    flags = sentence_flags(text, sentences, language)
    vectors = _vectors(sentences, flags, language)
    scores = _scores(vectors, flags, weights)
    kept = first_occurrences(sentences, _ranked(flags))
    if len(kept) <= max_sentences and max_chars is None:
        chosen = kept
    else:
        chosen = _select(sentences, vectors, scores, flags, max_sentences, max_chars, weights.mmr_lambda, sizes)
    return [
        {
            "index": i,
            "start": sentences[i].start,
            "end": sentences[i].end,
            "text": sentences[i].text,
            "score": round(scores[i], 4),
        }
        for i in sorted(chosen)
    ]


def summary_text(chosen: list[dict]) -> str:
    """The chosen sentences joined with single spaces."""
    return " ".join(item["text"] for item in chosen)
