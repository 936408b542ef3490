"""The whole analysis of one article as a plain function: what a job's `result` holds.

Callable without Celery or Flask (the CLI's `newsdesk analyze` uses it directly). Models are
loaded lazily, once per process, by the step modules.
"""

from __future__ import annotations

from .entities import available_languages, extract_entities, load_ner, model_versions
from .language import detect_language
from .sentences import split_sentences
from .summarize import summarize, summary_text

DEFAULT_SUMMARY_SENTENCES = 3
MIN_SUMMARY_WORDS = 2


def resolve_language(requested: str | None, text: str) -> tuple[str, str]:
    """The language to analyse in, and where it came from ("client" or "detected")."""
    if requested and requested != "auto":
        return requested, "client"
    code, _confidence = detect_language(text)
    return code, "detected"


def analyze_article(article: dict) -> dict:
    text = article["text"]
    title = article.get("title") or ""
    options = article.get("options") or {}
    language, source = resolve_language(article.get("language"), f"{title}\n{text}" if title else text)
    warnings: list[dict] = []

    sentences = split_sentences(text, language)
    # A single word is no summary: say so rather than echo it back as one.
    too_short = len(text.split()) < MIN_SUMMARY_WORDS
    chosen = [] if too_short else summarize(
        text, sentences, language,
        max_sentences=options.get("summary_sentences") or DEFAULT_SUMMARY_SENTENCES,
        max_chars=options.get("summary_max_chars"),
    )
    if not chosen:
        warnings.append({"code": "summary_empty",
                         "message": "The text is too short to summarize."})

    nlp = load_ner(language)
    if nlp is None:
        entities: list[dict] = []
        warnings.append({
            "code": "entities_unsupported_language",
            "message": f"Entity extraction is not available for language {language!r}; "
                       f"it is available for: {', '.join(sorted(available_languages()))}.",
        })
    else:
        fields = {"title": title, "text": text} if title else {"text": text}
        entities = extract_entities(nlp, fields)

    _link_entities(chosen, entities)
    return {
        "language": language,
        "language_source": source,
        "summary": {"text": summary_text(chosen), "sentences": chosen},
        "entities": entities,
        "warnings": warnings,
        "models": model_versions(language),
    }



def _link_entities(sentences: list[dict], entities: list[dict]) -> None:
    """Name, on each summary sentence, the entity groups mentioned in it ("who is in this summary")."""
    for sentence in sentences:
        sentence["entities"] = [
            group["name"] for group in entities
            if any(m["field"] == "text" and sentence["start"] <= m["start"] < sentence["end"]
                   for m in group["mentions"])
        ]
