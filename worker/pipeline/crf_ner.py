"""The named-entity tagger: a linear-chain CRF over rich token features and a lexicon.

Why a CRF and not a neural tagger trained from scratch: on DaN+ most test
names never occur in the training data, so what decides a name's type is
outside knowledge (is "Madsen" a Danish surname? is "Rusland" a country? is
"Det" a common word? which words behave like it?) and its immediate context.
A CRF reads exactly those features, trains in a minute, tags tens of thousands
of words a second on one core and scores far higher here than spaCy's CNN did
(see the model cards).

The lexicon (worker.training.lexicon builds it) ships inside the model
directory as ``lexicon.tsv.gz``: one lower-cased word per line with its
feature names. Registered as the spaCy factory ``newsdesk_crf_ner`` so a saved
pipeline carries the tagger; import this module before ``spacy.load``.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import sys
from functools import lru_cache
from pathlib import Path

import pycrfsuite
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training.iob_utils import iob_to_biluo, tags_to_entities

FACTORY = "newsdesk_crf_ner"
LEXICON_FILE = "lexicon.tsv.gz"
MODEL_FILE = "model.crfsuite"
# Tokens after which a new sentence (or a quotation, list item, heading) starts.
_OPENERS = {'"', "'", "(", "-", ":", "–", "—", "«", "»", "“", "”", "„"}
_UPPER = re.compile(r"[A-ZÆØÅÄÖÜ]")
_LOWER = re.compile(r"[a-zæøåäöüéè]")
_DIGIT = re.compile(r"[0-9]")
_REPEAT = re.compile(r"(.)\1{2,}")


# --------------------------------------------------------------------------- features


def shape(word: str) -> str:
    """``Putin`` -> ``Xx``-style shape with runs of three or more collapsed (``Xxx``)."""
    return _REPEAT.sub(r"\1\1", _DIGIT.sub("d", _LOWER.sub("x", _UPPER.sub("X", word))))


def starts_of(words: list[str], newline_before: list[bool] | None = None) -> list[bool]:
    """Whether each word begins a sentence, a quotation or a line."""
    starts = []
    for i, word in enumerate(words):
        previous = words[i - 1] if i else ""
        starts.append(
            i == 0 or previous in _OPENERS or previous[-1:] in ".!?…" or bool(newline_before and newline_before[i])
        )
    return starts


_PADS = {d: f"{d}pad" for d in (-2, -1, 1, 2)}


class Featurizer:
    """The one definition of the CRF's features, used in training and at run time.

    A word's own features and those it lends its neighbours are built once and kept (news
    repeats its words; building them costs more than tagging). Given ``known``, the attributes a
    trained model has weights for, every other feature is left out: the tagger would ignore it
    anyway, after converting it. For the Danish model (13,367 attributes) that is one feature in
    five, and a quarter of the tagger's time.

    Given ``copy``, a prefix, every feature is given twice: as it is and under the prefix. A
    model trained on two languages reads each language's sentences with its own prefix, so that
    the plain copy learns what holds in both and the prefixed one what holds in one (the README's
    seventh round of training changes, ``--add-english``).
    """

    # About 0.8 KB a word (measured), so some 8 MB a model. The first words a process meets fill
    # the cache, which in news are mostly its most frequent ones; then it stays as it is (no
    # eviction to pay for).
    WORD_CACHE_SIZE = 10_000

    def __init__(self, lexicon: "Lexicon", known: frozenset[str] | None = None, copy: str = "") -> None:
        self.lexicon = lexicon
        self.known = known
        self.copy = copy
        self._words: dict[str, WordFeatures] = {}
        usable = (lambda x: True) if known is None else known.__contains__
        self._start = tuple(x for x in copied(("start",), copy) if usable(x))
        self._pads = {d: tuple(x for x in copied((pad,), copy) if usable(x)) for d, pad in _PADS.items()}

    def word(self, word: str) -> "WordFeatures":
        built = self._words.get(word)
        if built is None:
            built = WordFeatures(word, self.lexicon, self.known, self.copy)
            if len(self._words) < self.WORD_CACHE_SIZE:
                self._words[word] = built
        return built

    def sentence(self, words: list[str], starts: list[bool]) -> list[list[str]]:
        entries = [self.word(w) for w in words]
        keep = self.known.__contains__ if self.known is not None else None
        start, pads, copy = self._start, self._pads, self.copy
        out = []
        n = len(words)
        for i, entry in enumerate(entries):
            f = list(entry.head)
            if starts[i]:
                f += start
            f += entry.tail
            for d in (-2, -1, 1, 2):
                j = i + d
                if 0 <= j < n:
                    f += entries[j].as_neighbour[d]
                else:
                    f += pads[d]
            # Word pairs ("præsident|vladimir", "new|york") and the neighbours' endings ("-partiet").
            lw = entry.lower
            previous = entries[i - 1].lower if i else "^"
            pairs = ["-1w|sh=" + previous + "|" + entry.shape, "-1w|w=" + previous + "|" + lw,
                     "w|+1w=" + lw + "|" + (entries[i + 1].lower if i + 1 < n else "$")]
            if i + 1 < n:
                pairs.append(entries[i + 1].suffix_after)
            if i:
                pairs.append(entries[i - 1].suffix_before)
            if copy:
                pairs += [copy + x for x in pairs]
            if keep is not None:  # the only features that are not the same for every use of a word
                pairs = [x for x in pairs if keep(x)]
            out.append(f + pairs)
        return out


def copied(features, copy: str) -> list[str]:
    """``features``, then each of them again under the prefix ``copy`` (none if it is empty)."""
    return [*features, *(copy + x for x in features)] if copy else list(features)


class WordFeatures:
    """What a word contributes to its own features and to its neighbours', whatever its context."""

    __slots__ = ("lower", "shape", "head", "tail", "as_neighbour", "suffix_after", "suffix_before")

    def __init__(self, word: str, lexicon: "Lexicon", known: frozenset[str] | None = None, copy: str = "") -> None:
        lw = self.lower = word.lower()
        self.shape = sys.intern(shape(word))
        lex = lexicon.features(lw)
        names = tuple(f for f in lex if "zipf" not in f)
        title = word[:1].isupper()
        head = ("b", "w=" + lw, "sh=" + self.shape, "s1=" + lw[-1:], "s2=" + lw[-2:], "s3=" + lw[-3:],
                "s4=" + lw[-4:], "p2=" + lw[:2], "p3=" + lw[:3], *(("title",) if title else ()))
        tail = [*lex, *(("T" + x for x in lex) if title else ())]
        # Danish genitive: "Ruslands" reads the name features of "Rusland".
        if lw.endswith("s") and len(lw) > 3:
            tail += ["G" + x for x in lexicon.names(lw[:-1])]
        # as_neighbour[d]: what this word says about the word d places before it (d = 1, 2, -2, -1;
        # negative indices count from the end, so [0] is unused).
        as_neighbour = [
            (f"{d}w=" + lw, f"{d}sh=" + self.shape, *((f"{d}" + x for x in names) if d in (-1, 1) else ()))
            for d in (1, 2, -2, -1)
        ]
        self.suffix_after, self.suffix_before = sys.intern("+1s3=" + lw[-3:]), sys.intern("-1s3=" + lw[-3:])
        if copy:
            head, tail = copied(head, copy), copied(tail, copy)
            as_neighbour = [copied(group, copy) for group in as_neighbour]
        if known is not None:
            head, tail = [x for x in head if x in known], [x for x in tail if x in known]
            as_neighbour = [tuple(x for x in group if x in known) for group in as_neighbour]
        # Most of these strings ("s1=e", "sh=Xxx", "-1L:first_name") recur across words: kept
        # once each, a cached word costs a third of the memory.
        self.head, self.tail = tuple(map(sys.intern, head)), tuple(map(sys.intern, tail))
        self.as_neighbour = (None, *(tuple(map(sys.intern, group)) for group in as_neighbour))


class Lexicon:
    """Lower-cased word -> its lexicon feature names (``L:country``, ``L:zipf_da=5``, ...)."""

    def __init__(self, entries: dict[str, tuple[str, ...]]) -> None:
        self.entries = entries

    def features(self, lower: str) -> tuple[str, ...]:
        return self.entries.get(lower, ("L:oov",))

    def names(self, lower: str) -> tuple[str, ...]:
        """The name-list features only (no frequencies, nothing for unknown words)."""
        return tuple(f for f in self.entries.get(lower, ()) if "zipf" not in f)

    @classmethod
    def read(cls, path: Path) -> "Lexicon":
        return _read_lexicon(str(path), _sha256(path))

    def write(self, path: Path) -> None:
        # Sorted, and gzip without a timestamp or file name, so the same lexicon gives the same bytes.
        lines = "".join(f"{word}\t{','.join(feats)}\n" for word, feats in sorted(self.entries.items()))
        with open(path, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as handle:
            handle.write(lines.encode("utf-8"))


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@lru_cache(maxsize=4)
def _read_lexicon(path: str, digest: str) -> Lexicon:
    """Both languages ship the same table: keyed by content, it is held in memory once."""
    shared: dict[str, tuple[str, ...]] = {}
    entries = {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            word, _, feats = line.rstrip("\n").partition("\t")
            key = tuple(feats.split(",")) if feats else ()
            entries[word] = shared.setdefault(key, key)  # many words share one feature set
    return Lexicon(entries)


def _line_break(gap: str, previous: str, word: str) -> bool:
    """Whether a line break stands between two words: one in the whitespace between them, or one
    that was lost where a capital follows a lower-case letter with nothing between, as where
    `glued_words` split "DamFormand" (no other tokens meet like that)."""
    return "\n" in gap or (not gap and previous[-1:].islower() and word[:1].isupper())


# --------------------------------------------------------------------------- spaCy component


def mark_sentences(doc: Doc, starts: set[int]) -> None:
    """Begin a sentence at every token that starts at one of ``starts`` (character offsets): the
    tagger then tags each sentence on its own."""
    for token in doc:
        token.is_sent_start = token.i == 0 or token.idx in starts


@Language.factory(FACTORY, default_config={"feature_copy": ""})
def make_crf_ner(nlp: Language, name: str, feature_copy: str) -> "CrfNer":
    """``feature_copy``: the prefix of the language's own copy of each feature, for a model
    trained on two languages (see `Featurizer`); models saved before it read none."""
    return CrfNer(name, feature_copy)


class CrfNer:
    """Sets ``doc.ents`` from the CRF's IOB2 tags; whitespace tokens are skipped."""

    def __init__(self, name: str, feature_copy: str = "") -> None:
        self.name = name
        self.feature_copy = feature_copy
        self.tagger: pycrfsuite.Tagger | None = None
        self.lexicon = Lexicon({})

    @property
    def labels(self) -> tuple[str, ...]:
        found = {t[2:] for t in self.tagger.labels() if t != "O"} if self.tagger else set()
        return tuple(sorted(found))

    def __call__(self, doc: Doc) -> Doc:
        """Tag the whole Doc as one sequence, or each sentence on its own where the Doc marks
        sentences (see `mark_sentences`, and the README on what each gives)."""
        if self.tagger is None:
            return doc
        text = doc.text  # built anew on every access: once here, not once per sentence
        sentences = doc.sents if doc.has_annotation("SENT_START") else [doc[:]]
        doc.ents = [entity for sentence in sentences for entity in self._tag(sentence, text)]
        return doc

    def _tag(self, sentence: Span, text: str) -> list[Span]:
        # One pass over the tokens: each `doc[i]` builds a new Token object.
        indices, words, offsets = [], [], []
        for token in sentence:
            if not token.is_space:
                indices.append(token.i)
                words.append(token.text)
                offsets.append(token.idx)
        if not indices:
            return []
        newline = [k > 0 and _line_break(text[offsets[k - 1] + len(words[k - 1]) : offsets[k]], words[k - 1], words[k])
                   for k in range(len(indices))]
        tags = self.tagger.tag(self.featurizer.sentence(words, starts_of(words, newline)))
        # A name never runs on over a line break (into the heading or byline below it): the
        # model, trained on single sentences, never saw one, so the tags may not say so.
        tags = ["B" + tag[1:] if tag.startswith("I-") and newline[k] else tag for k, tag in enumerate(tags)]
        return [Span(sentence.doc, indices[start], indices[end] + 1, label=label)
                for label, start, end in tags_to_entities(iob_to_biluo(tags))]

    def to_disk(self, path: Path, exclude=()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / MODEL_FILE).write_bytes(self.model_bytes)
        self.lexicon.write(path / LEXICON_FILE)

    def from_disk(self, path: Path, exclude=()) -> "CrfNer":
        path = Path(path)
        self.load(path.joinpath(MODEL_FILE).read_bytes(), Lexicon.read(path / LEXICON_FILE))
        return self

    def load(self, model_bytes: bytes, lexicon: Lexicon) -> None:
        self.model_bytes = model_bytes
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open_inmemory(model_bytes)
        self.lexicon = lexicon
        known = frozenset(attribute for attribute, _ in self.tagger.info().state_features)
        self.featurizer = Featurizer(lexicon, known, self.feature_copy)
