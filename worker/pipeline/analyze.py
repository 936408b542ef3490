"""The whole analysis of one article as a plain function: what a job's `result` holds.

Callable without Celery or Flask (the CLI's `newsdesk analyze` uses it directly). Models are
loaded lazily, once per process, by the step modules.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from itertools import islice
from typing import Iterator

from newsdesk.results import rank_by_salience

from .characters import OffsetMap, read_text
from .clean import elsewhere_spans, without_opening_boilerplate, without_site_name
from .entities import available_languages, case_cues, extract_entities_many, load_ner, model_versions
from .language import detect_language, load_detectors
from .markup import without_list_marks
from .sentences import split_sentences
from .summarize import COUNTED_WORD, summarize, summary_text

DEFAULT_SUMMARY_SENTENCES = 3
MIN_SUMMARY_WORDS = 2


@contextmanager
def _timed(timings: dict[str, float] | None, stage: str) -> Iterator[None]:
    began = time.perf_counter()
    try:
        yield
    finally:
        if timings is not None:
            timings[stage] = time.perf_counter() - began


def warm_up() -> float:
    """Load every model now (NER per language, the language detector): the first job of a
    process is then as fast as the rest. Returns the seconds it took."""
    began = time.perf_counter()
    for language in sorted(available_languages()):
        load_ner(language)
    load_detectors()
    return time.perf_counter() - began


def resolve_language(requested: str | None, text: str) -> tuple[str, str]:
    """The language to analyse in, and where it came from ("client" or "detected")."""
    if requested and requested != "auto":
        return requested, "client"
    code, _confidence = detect_language(text)
    return code, "detected"


def analyze_article(article: dict, timings: dict[str, float] | None = None) -> dict:
    """The result for one article; `timings`, if given, receives seconds per pipeline stage."""
    return analyze_articles([article], [timings] if timings is not None else None)[0]


def analyze_articles(articles: list[dict], timings: list[dict[str, float]] | None = None) -> list[dict]:
    """The results for several articles, in order. The NER model runs over all articles of one
    language at once (spaCy's nlp.pipe), which is what makes batches cheaper per article.
    `timings` gets each article's seconds per stage (the entity stage's share of the run)."""
    timings = timings or [{} for _ in articles]
    prepared = [_prepare(article, stage_times) for article, stage_times in zip(articles, timings)]
    _entities(prepared, timings)
    return [_result(p) for p in prepared]


def _prepare(article: dict, timings: dict[str, float]) -> dict:
    """Everything before the entities: language, sentences and the summary."""
    submitted = {"title": article.get("title") or "", "text": article["text"]}
    # Each field learns the case of words written in capitals from the other too, and from the
    # models' lexicon (`shouting`).
    cues = case_cues()
    (text, text_offsets) = read_text(submitted["text"], submitted["title"], cues)
    (title, title_offsets) = read_text(submitted["title"], submitted["text"], cues)
    with _timed(timings, "language"):
        language, source = resolve_language(article.get("language"), f"{title}\n{text}" if title else text)
    with _timed(timings, "sentences"):
        sentences = split_sentences(text, language)
    with _timed(timings, "summary"):
        chosen = _summary(text, sentences, language, article.get("options") or {}, text_offsets)
    # Read now, while the splitter's boilerplate ranges of this text are still cached.
    elsewhere = elsewhere_spans(text)
    opened = without_opening_boilerplate(text, elsewhere)
    fields = {"title": without_site_name(title), "text": opened} if title else {"text": opened}
    fields = {name: without_list_marks(value) for name, value in fields.items()}
    return {"language": language, "source": source, "chosen": chosen, "fields": fields, "elsewhere": elsewhere,
            "submitted": submitted, "offsets": {"text": text_offsets, "title": title_offsets},
            "entities": [], "warnings": []}


def _entities(prepared: list[dict], timings: list[dict[str, float]]) -> None:
    for language in {p["language"] for p in prepared}:
        group = [i for i, p in enumerate(prepared) if p["language"] == language]
        nlp = load_ner(language)
        began = time.perf_counter()
        if nlp is None:
            for i in group:
                prepared[i]["warnings"].append(_unsupported(language))
        else:
            found = extract_entities_many(nlp, [prepared[i]["fields"] for i in group],
                                          [prepared[i]["elsewhere"] for i in group])
            for i, entities in zip(group, found):
                prepared[i]["entities"] = entities
        share = (time.perf_counter() - began) / len(group)
        for i in group:
            timings[i]["entities"] = share


def _unsupported(language: str) -> dict:
    return {
        "code": "entities_unsupported_language",
        "message": f"Entity extraction is not available for language {language!r}; "
                   f"it is available for: {', '.join(sorted(available_languages()))}.",
    }


def _result(prepared: dict) -> dict:
    chosen, entities = prepared["chosen"], prepared["entities"]
    _into_submitted(prepared["offsets"], chosen, entities)
    _quote(prepared["submitted"], chosen, entities)
    _link_entities(chosen, entities)
    entities = rank_by_salience(entities, len(prepared["submitted"]["text"]), chosen)
    warnings = prepared["warnings"]
    if not chosen:
        warnings.insert(0, {"code": "summary_empty", "message": "The text is too short to summarize."})
    return {
        "language": prepared["language"],
        "language_source": prepared["source"],
        "summary": {"text": summary_text(chosen), "sentences": chosen},
        "entities": entities,
        "warnings": warnings,
        "models": model_versions(prepared["language"]),
    }


def _into_submitted(offsets: dict[str, OffsetMap | None], sentences: list[dict], entities: list[dict]) -> None:
    """Turn every offset into the text read into one into the text as submitted: they differ
    where characters.read_text reads its words otherwise (in NFC, without soft hyphens, HTML's
    character references and garbled UTF-8 as what they stand for, doubled spaces as one)."""
    for sentence in sentences:
        _move(sentence, offsets["text"])
    if offsets["text"] is None and offsets["title"] is None:
        return
    for group in entities:
        for mention in group["mentions"]:
            _move(mention, offsets[mention["field"]])


def _move(piece: dict, offsets: OffsetMap | None) -> None:
    if offsets is not None:
        piece["start"], piece["end"] = offsets.start(piece["start"]), offsets.end(piece["end"])


def _quote(submitted: dict[str, str], sentences: list[dict], entities: list[dict]) -> None:
    """Take each quoted piece from the text as submitted: the steps before read it with some
    characters in place of others (see characters.py), at offsets already turned into its own."""
    for sentence in sentences:
        sentence["text"] = submitted["text"][sentence["start"] : sentence["end"]]
    for group in entities:
        for mention in group["mentions"]:
            mention["text"] = submitted[mention["field"]][mention["start"] : mention["end"]]


def _summary(text: str, sentences, language: str, options: dict, offsets: OffsetMap | None) -> list[dict]:
    # A single word is no summary: say so rather than echo it back as one.
    if len(list(islice(COUNTED_WORD.finditer(text), MIN_SUMMARY_WORDS))) < MIN_SUMMARY_WORDS:
        return []
    max_chars = options.get("summary_max_chars")
    # The cap is on the summary the client gets, quoted from the text as sent: count that.
    sizes = [offsets.end(s.end) - offsets.start(s.start) for s in sentences] if offsets and max_chars else None
    return summarize(
        text, sentences, language,
        max_sentences=options.get("summary_sentences") or DEFAULT_SUMMARY_SENTENCES,
        max_chars=max_chars, sizes=sizes,
    )


def _link_entities(sentences: list[dict], entities: list[dict]) -> None:
    """Name, on each summary sentence, the entity groups mentioned in it ("who is in this summary")."""
    for sentence in sentences:
        sentence["entities"] = [
            group["name"] for group in entities
            if any(m["field"] == "text" and sentence["start"] <= m["start"] < sentence["end"]
                   for m in group["mentions"])
        ]
