"""Extractive summarisation: pick a few verbatim sentences of an article.

Each sentence becomes a TF-IDF vector (IDF over the article's own
sentences) of Snowball-stemmed content words. A sentence scores high when it
is central, i.e. similar to the sentences that follow it (PacSum-style
directed centrality: news leads announce what later paragraphs elaborate, so
similarity to later sentences counts fully and to earlier ones at half
weight), and when it is early (a lead prior, since news puts the key facts
first). Sentences are then picked greedily with MMR so a near-repeat of an
already chosen sentence loses to fresh content.

All pairwise work is bounded: similarity is only computed within a window of
nearby sentences and MMR only runs over the best-scoring few, so the cost is
linear in the number of sentences.
"""

from __future__ import annotations

import functools
import heapq
import math
import re
from collections import Counter

import snowballstemmer

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
_TOKEN = re.compile(r"\w+")
# Similarity is computed between each sentence and the next _WINDOW ones.
_WINDOW = 15
# Weight of similarity to *earlier* sentences relative to later ones.
_BACKWARD_WEIGHT = 0.5
# Share of the final score given to the lead prior (the rest is centrality).
_POSITION_WEIGHT = 0.5
# MMR trade-off between relevance and novelty.
_MMR_LAMBDA = 0.7
# A candidate this similar to a chosen sentence is a repeat, not news.
_DUPLICATE_SIMILARITY = 0.9
_MIN_WORDS = 4

Vector = dict[str, float]


@functools.lru_cache(maxsize=None)
def _stemmer(language: str):
    name = _SNOWBALL_NAMES.get(language)
    return snowballstemmer.stemmer(name) if name else None


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


def _cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(term, 0.0) for term, w in a.items())


def _scores(vectors: list[Vector]) -> list[float]:
    """Windowed directed centrality blended with a lead prior, in [0, 1]."""
    n = len(vectors)
    centrality = [0.0] * n
    for i in range(n):
        for j in range(i + 1, min(n, i + 1 + _WINDOW)):
            similarity = _cosine(vectors[i], vectors[j])
            centrality[i] += similarity
            centrality[j] += _BACKWARD_WEIGHT * similarity
    top = max(centrality) or 1.0
    return [
        (1 - _POSITION_WEIGHT) * c / top + _POSITION_WEIGHT / (1.0 + i / 3.0)
        for i, c in enumerate(centrality)
    ]


def _candidates(sentences: list[Sentence], scores: list[float], k: int) -> list[int]:
    """The best-scoring sentences worth considering: first occurrences only
    (so repeated boilerplate cannot fill the pool), fragments only if needed."""
    seen: set[str] = set()
    unique = []
    for i, sentence in enumerate(sentences):
        if sentence.text not in seen:
            seen.add(sentence.text)
            unique.append(i)
    indices = [
        i for i in unique if len(_TOKEN.findall(sentences[i].text)) >= _MIN_WORDS
    ] or unique
    return heapq.nlargest(max(20, 4 * k), indices, key=lambda i: (scores[i], -i))


def _select(
    sentences: list[Sentence],
    vectors: list[Vector],
    scores: list[float],
    k: int,
    max_chars: int | None,
) -> list[int]:
    """Greedy MMR over the candidates, skipping what would overflow max_chars."""
    pool = _candidates(sentences, scores, k)
    redundancy = {i: 0.0 for i in pool}
    chosen: list[int] = []
    length = 0
    while pool and len(chosen) < k:
        best = max(pool, key=lambda i: _MMR_LAMBDA * scores[i] - (1 - _MMR_LAMBDA) * redundancy[i])
        pool.remove(best)
        added = len(sentences[best].text) + (1 if chosen else 0)
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
        chosen = _candidates(sentences, scores, 1)[:1]
    return chosen


def summarize(
    text: str,
    sentences: list[Sentence],
    language: str,
    max_sentences: int = 3,
    max_chars: int | None = None,
) -> list[dict]:
    """Choose up to ``max_sentences`` verbatim sentences of ``text``.

    Returns dicts ``{"index", "start", "end", "text", "score"}`` in document
    order, where ``index`` points into ``sentences``. An article with no more
    sentences than requested (and no ``max_chars``) is returned whole.
    ``max_chars`` caps ``len(summary_text(result))``; if no single sentence
    fits, the best sentence is returned alone even though it exceeds the cap.
    Fragments under four words are only chosen when nothing else exists.
    """
    if not text or not sentences or max_sentences <= 0:
        return []
    vectors = _tfidf(_terms([s.text for s in sentences], language))
    scores = _scores(vectors)
    if len(sentences) <= max_sentences and max_chars is None:
        chosen = list(range(len(sentences)))
    else:
        chosen = _select(sentences, vectors, scores, max_sentences, max_chars)
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
