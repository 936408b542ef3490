"""Runtime named-entity extraction and per-article grouping.

Plain Python (no Celery/Flask): the worker task calls ``load_ner`` and
``extract_entities``. The model proposes mentions; the rules here clean them
up, make them consistent across the article and group the mentions that refer
to the same real-world entity (genitives, possessives, partial names).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.tokens import Doc, Span

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
LABELS = ("PER", "LOC", "ORG", "MISC")
FIELD_ORDER = ("title", "text")

_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_SENTENCE_END = ".!?:…"
_OPENERS = "\"'“”„«»‘’([-–— \t\r\n"


@dataclass(frozen=True)
class Mention:
    field: str
    start: int
    end: int
    text: str
    label: str


# --------------------------------------------------------------------------- models


@lru_cache(maxsize=None)
def load_ner(language: str) -> spacy.Language | None:
    """The project-trained NER pipeline for ``language``, or None if there is none."""
    path = MODELS_DIR / f"ner-{language}"
    if not (path / "meta.json").is_file():
        return None
    return spacy.load(path)


def available_languages() -> set[str]:
    return {p.name[len("ner-") :] for p in MODELS_DIR.glob("ner-*") if (p / "meta.json").is_file()}


def model_versions(language: str) -> dict:
    """``{"ner": "<name>@<version>"}``, or ``{"ner": None}`` without a model."""
    nlp = load_ner(language) if language else None
    if nlp is None:
        return {"ner": None}
    return {"ner": f"{nlp.meta.get('name')}@{nlp.meta.get('version')}"}


# --------------------------------------------------------------------------- extraction


def extract_entities(nlp: spacy.Language, fields: dict[str, str]) -> list[dict]:
    """Entity groups of one article whose ``fields`` map a field name to its text."""
    order = ordered_fields(fields)
    names = [name for name in order if fields[name]]
    docs = dict(zip(names, nlp.pipe(fields[name] for name in names)))
    lowercase_words = {t.text for doc in docs.values() for t in doc if t.text.islower()}
    mentions = [m for name, doc in docs.items() for m in find_mentions(doc, name, lowercase_words)]
    mentions = propagate_mentions(docs, mentions, genitive_s=nlp.lang == "da")
    return group_mentions(mentions, order, genitive_s=nlp.lang == "da")


def ordered_fields(fields: dict[str, str]) -> list[str]:
    """Title first, then text, then any other field in the given order."""
    rank = {name: i for i, name in enumerate(FIELD_ORDER)}
    return sorted(fields, key=lambda name: rank.get(name, len(FIELD_ORDER)))


def find_mentions(doc: Doc, field: str, lowercase_words: set[str]) -> list[Mention]:
    """The model's entities in ``doc`` after trimming and dropping junk."""
    mentions = []
    for ent in doc.ents:
        if ent.label_ not in LABELS:
            continue
        span = trim_span(ent, lowercase_words)
        if span is not None and looks_like_name(span.text):
            mentions.append(Mention(field, span.start_char, span.end_char, span.text, ent.label_))
    return mentions


def trim_span(span: Span, lowercase_words: set[str]) -> Span | None:
    """Strip edge punctuation and a sentence-initial common word (``Ifølge YTN``)."""
    start, end = span.start, span.end
    while start < end and (span.doc[start].is_punct or span.doc[start].is_space):
        start += 1
    while end > start and (span.doc[end - 1].is_punct or span.doc[end - 1].is_space):
        end -= 1
    if start < end and is_common_sentence_start(span.doc[start], lowercase_words):
        start += 1
    return span.doc[start:end] if start < end else None


def is_common_sentence_start(token, lowercase_words: set[str]) -> bool:
    """A capitalised first word of a sentence that is really a common word.

    Evidence: it is a stop word, or the article also uses it in lower case.
    """
    if not is_sentence_start(token.doc.text, token.idx):
        return False
    return token.is_stop or token.lower_ in lowercase_words


def is_sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(_OPENERS)
    return not before or before[-1] in _SENTENCE_END or "\n" in text[len(before) : start]


def looks_like_name(text: str) -> bool:
    """Names contain a capital letter; this drops digits, punctuation and "russiske"."""
    return any(ch.isupper() for ch in text)


# --------------------------------------------------------------------------- consistency


def propagate_mentions(docs: dict[str, Doc], mentions: list[Mention], genitive_s: bool) -> list[Mention]:
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
    reliable = {m.text for m in mentions if not is_sentence_start(docs[m.field].text, m.start)}

    result = list(mentions)
    for name in sorted(reliable, key=len, reverse=True):
        label = votes[name].most_common(1)[0][0]
        for field, doc in docs.items():
            for start, end in occurrences(doc, name, genitive_s):
                overlapping = [m for m in result if m.field == field and m.start < end and start < m.end]
                inside = all(start <= m.start and m.end <= end and m.end - m.start < end - start for m in overlapping)
                if inside:
                    result = [m for m in result if m not in overlapping]
                    result.append(Mention(field, start, end, doc.text[start:end], label))
    return result


def occurrences(doc: Doc, name: str, genitive_s: bool):
    """Char spans of ``name`` (and ``name + "s"``) in ``doc`` on token boundaries."""
    starts = {t.idx for t in doc}
    ends = {t.idx + len(t.text) for t in doc}
    text = doc.text
    position = text.find(name)
    while position != -1:
        end = position + len(name)
        if position in starts:
            if end in ends:
                yield position, end
            elif genitive_s and text[end : end + 1] == "s" and end + 1 in ends:
                yield position, end + 1
        position = text.find(name, position + 1)


# --------------------------------------------------------------------------- grouping


def name_key(text: str) -> str:
    """Case-, whitespace- and apostrophe-insensitive comparison key."""
    return " ".join(text.replace("’", "'").split()).casefold()


def strip_possessive(text: str) -> str:
    """``Putin's`` / ``Putin’s`` / ``Reuters'`` -> the name without the possessive."""
    stripped = _POSSESSIVE.sub("", text)
    return stripped if stripped.strip() else text


def attested(base: str, keys: set[str]) -> bool:
    """``base`` is a mention key or a whole-token prefix/suffix of a longer one."""
    if base in keys:
        return True
    words = base.split()
    n = len(words)
    return any(len(k.split()) > n and (k.split()[:n] == words or k.split()[-n:] == words) for k in keys)


def nominative(text: str, keys: set[str], genitive_s: bool) -> str:
    """The nominative form of a mention's text.

    The Danish genitive -s is only stripped when the base form is attested in
    the article, so "Reuters", "Paris" and "Mars" stay intact.
    """
    text = " ".join(strip_possessive(text).split())
    if genitive_s and len(text) > 2 and text.endswith("s") and text[-2].isalpha() and text[-2] not in "sS":
        if attested(name_key(text[:-1]), keys):
            return text[:-1]
    return text


def group_mentions(mentions: list[Mention], order: list[str], genitive_s: bool) -> list[dict]:
    """Group mentions per real-world entity and render the JSON shape.

    ``order`` is the field order used for sorting (see ``ordered_fields``).
    """
    rank = {name: i for i, name in enumerate(order)}
    mentions = sorted(set(mentions), key=lambda m: (rank.get(m.field, len(order)), m.start, m.end))
    raw_keys = {name_key(strip_possessive(m.text)) for m in mentions}
    forms = [nominative(m.text, raw_keys, genitive_s) for m in mentions]
    keys = [name_key(form) for form in forms]

    key_labels: dict[str, Counter] = defaultdict(Counter)
    for key, m in zip(keys, mentions):
        key_labels[key].update([m.label])
    root = resolve_partial_names(key_labels)

    groups: dict[str, dict] = {}
    for key, form, m in zip(keys, forms, mentions):
        group = groups.setdefault(root[key], {"forms": Counter(), "labels": Counter(), "mentions": []})
        # The full name is the best evidence for the group's name and type.
        if key == root[key]:
            group["forms"].update([form])
            group["labels"].update([m.label])
        group["mentions"].append({"field": m.field, "start": m.start, "end": m.end, "text": m.text})

    rendered = [
        {
            "name": group["forms"].most_common(1)[0][0],
            "label": group["labels"].most_common(1)[0][0],
            "count": len(group["mentions"]),
            "mentions": group["mentions"],
        }
        for group in groups.values()
    ]
    # Groups were created in order of first occurrence, and sorted() is stable.
    return sorted(rendered, key=lambda g: -g["count"])


def resolve_partial_names(key_labels: dict[str, Counter]) -> dict[str, str]:
    """Map each key to the fullest same-type name that contains it as a token prefix/suffix.

    "putin" -> "vladimir putin"; "kim" -> "kim jong-un" only when no other full
    name (e.g. "kim yo-jong") also starts with "kim". "Same type" means the
    short name was given the full name's majority label at least once, or it
    is the surname of a multi-word person name: the model's type for a bare
    surname is unreliable (it tagged "Putin" LOC in the Danish seed article).
    """
    label_of = {key: votes.most_common(1)[0][0] for key, votes in key_labels.items()}

    def compatible(short: str, full: str) -> bool:
        if not attested(short, {full}):
            return False
        surname = label_of[full] == "PER" and full.split()[-1] == short
        return surname or label_of[full] in key_labels[short]

    root: dict[str, str] = {}
    for key in sorted(key_labels, key=lambda k: len(k.split()), reverse=True):
        targets = {root[k] for k in root if k != key and compatible(key, k)}
        root[key] = targets.pop() if len(targets) == 1 else key
    return root
