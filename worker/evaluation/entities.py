"""Entity evaluation of the runtime NER pipeline on a gold corpus.

The model that ``worker.pipeline.entities.load_ner`` returns is run on the gold
words (a ``Doc`` built from them, so no re-tokenisation and no alignment step)
and its spans are compared to the gold spans: exact span + label P/R/F overall
and per type, plus untyped (span-only) F and throughput.

    python -m worker.evaluation.entities --data FILE --format danplus|conll|uner --lang da|en
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter

import spacy
from spacy.tokens import Doc

from worker.training.corpora import LABELS, READERS, Sentence, read_uner

# UNER annotates no MISC, so MISC predictions are not counted against the model there.
FORMAT_LABELS = {"danplus": set(LABELS), "conll": set(LABELS), "uner": {"PER", "LOC", "ORG"}}


def gold_spans(tags: list[str]) -> set[tuple[int, int, str]]:
    """Token spans ``(start, end, label)`` of an IOB2 tag sequence."""
    spans = set()
    start, label = None, None
    for i, tag in enumerate(tags + ["O"]):
        if start is not None and not (tag.startswith("I-") and tag[2:] == label):
            spans.add((start, i, label))
            start, label = None, None
        if tag.startswith("B-") or (tag.startswith("I-") and start is None):
            start, label = i, tag[2:]
    return spans


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(100 * p, 2), "r": round(100 * r, 2), "f": round(100 * f, 2), "support": n_gold}


def evaluate_nlp(nlp: spacy.Language, sentences: list[Sentence], labels: set[str]) -> dict:
    """Score ``nlp`` on gold sentences; predictions outside ``labels`` are ignored."""
    docs = [Doc(nlp.vocab, words=words) for words, _ in sentences]
    started = time.perf_counter()
    predicted_docs = list(nlp.pipe(docs, batch_size=256))
    seconds = time.perf_counter() - started

    tp, n_pred, n_gold = Counter(), Counter(), Counter()
    untyped_tp = 0
    for doc, (_, tags) in zip(predicted_docs, sentences):
        gold = gold_spans(tags)
        pred = {(e.start, e.end, e.label_) for e in doc.ents if e.label_ in labels}
        n_gold.update(label for _, _, label in gold)
        n_pred.update(label for _, _, label in pred)
        tp.update(label for _, _, label in gold & pred)
        untyped_tp += len({s[:2] for s in gold} & {s[:2] for s in pred})

    n_words = sum(len(words) for words, _ in sentences)
    total_pred, total_gold = sum(n_pred.values()), sum(n_gold.values())
    return {
        "overall": _prf(sum(tp.values()), total_pred, total_gold),
        "per_type": {label: _prf(tp[label], n_pred[label], n_gold[label]) for label in LABELS if label in labels},
        "untyped": _prf(untyped_tp, total_pred, total_gold),
        "sentences": len(sentences),
        "words": n_words,
        "words_per_second": round(n_words / seconds, 1) if seconds else None,
    }


def read_corpus(data_path: str, fmt: str, news_only: bool = False) -> list[Sentence]:
    if fmt == "uner":
        return read_uner(data_path, news_only=news_only)
    return READERS[fmt](data_path)


def evaluate_entities(data_path: str, fmt: str, lang: str, news_only: bool = False) -> dict:
    """Evaluate the installed ``ner-<lang>`` model on a corpus file of format ``fmt``."""
    from worker.pipeline.entities import load_ner, model_versions

    nlp = load_ner(lang)
    if nlp is None:
        raise ValueError(f"no NER model installed for language {lang!r}")
    result = evaluate_nlp(nlp, read_corpus(data_path, fmt, news_only), FORMAT_LABELS[fmt])
    result.update({"data": str(data_path), "format": fmt, "lang": lang, "news_only": news_only})
    result["model"] = model_versions(lang).get("ner")
    return result


def format_table(result: dict) -> str:
    lines = [f"{'type':<10}{'P':>8}{'R':>8}{'F':>8}{'support':>9}"]
    rows = list(result["per_type"].items()) + [("overall", result["overall"]), ("untyped", result["untyped"])]
    for name, s in rows:
        lines.append(f"{name:<10}{s['p']:>8.2f}{s['r']:>8.2f}{s['f']:>8.2f}{s['support']:>9}")
    lines.append(f"{result['sentences']} sentences, {result['words']} words, {result['words_per_second']} words/s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Evaluate the Newsdesk NER model on a gold corpus.")
    parser.add_argument("--data", required=True)
    parser.add_argument("--format", choices=sorted(READERS), required=True)
    parser.add_argument("--lang", required=True)
    parser.add_argument("--news-only", action="store_true", help="uner: keep only news sentences (sent_id n…)")
    args = parser.parse_args(argv)
    result = evaluate_entities(args.data, args.format, args.lang, news_only=args.news_only)
    print(format_table(result))
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
