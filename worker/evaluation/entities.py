"""Entity evaluation of the runtime NER pipeline on a gold corpus.

The model that ``worker.pipeline.entities.load_ner`` returns is run on the gold
words (a ``Doc`` built from them, so no re-tokenisation and no alignment step):
its whole pipeline, as the service runs it (the tagger and, for Danish, the step
that retypes a name by the kind noun before it). Its spans are compared to the
gold spans: exact span + label P/R/F overall and per type, plus untyped
(span-only) F and throughput.

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

from worker.training.corpora import LABELS, READERS, CorpusFormatError, Sentence, read_uner

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
    predicted = [{(e.start, e.end, e.label_) for e in doc.ents} for doc in predicted_docs]
    result = score(predicted, sentences, labels)
    result["words_per_second"] = round(result["words"] / seconds, 1) if seconds else None
    return result


def evaluate_documents(nlp: spacy.Language, sentences: list[Sentence], labels: set[str], size: int) -> dict:
    """Score ``nlp`` on texts of ``size`` consecutive gold sentences, as an article reaches it in
    the service: tagged as one text ("whole"), and sentence by sentence as the service's splitter
    cuts the text ("sentences"). Entities are scored per gold sentence, as by ``evaluate_nlp``;
    one that runs over a sentence's end counts as wrong."""
    if size < 1:
        raise ValueError(f"texts of {size} sentences: the size must be 1 or more")
    from worker.pipeline.crf_ner import mark_sentences
    from worker.pipeline.sentences import split_sentences

    results = {}
    for mode in ("whole", "sentences"):
        predicted = []
        for first in range(0, len(sentences), size):
            group = sentences[first : first + size]
            doc = Doc(nlp.vocab, words=[word for words, _ in group for word in words])
            place = [(k, j) for k, (words, _) in enumerate(group) for j in range(len(words))]
            if mode == "sentences":
                mark_sentences(doc, {s.start for s in split_sentences(doc.text, nlp.lang)})
            found: list[set] = [set() for _ in group]
            for entity in nlp(doc).ents:
                (k, start), (last_k, last) = place[entity.start], place[entity.end - 1]
                # One that runs on into the next sentence ends past this one's last word: it
                # matches no gold span and counts against precision.
                end = last + 1 if k == last_k else start + len(entity)
                found[k].add((start, end, entity.label_))
            predicted += found
        results[mode] = score(predicted, sentences, labels)
    return results


def score(predicted: list[set[tuple[int, int, str]]], sentences: list[Sentence], labels: set[str]) -> dict:
    """P/R/F of predicted token spans ``(start, end, label)``, one set per gold sentence."""
    tp, n_pred, n_gold = Counter(), Counter(), Counter()
    untyped_tp = 0
    for spans, (_, tags) in zip(predicted, sentences):
        gold = gold_spans(tags)
        pred = {span for span in spans if span[2] in labels}
        n_gold.update(label for _, _, label in gold)
        n_pred.update(label for _, _, label in pred)
        tp.update(label for _, _, label in gold & pred)
        untyped_tp += len({s[:2] for s in gold} & {s[:2] for s in pred})

    total_pred, total_gold = sum(n_pred.values()), sum(n_gold.values())
    return {
        "overall": _prf(sum(tp.values()), total_pred, total_gold),
        "per_type": {label: _prf(tp[label], n_pred[label], n_gold[label]) for label in LABELS if label in labels},
        "untyped": _prf(untyped_tp, total_pred, total_gold),
        "sentences": len(sentences),
        "words": sum(len(words) for words, _ in sentences),
    }


def read_corpus(data_path: str, fmt: str, news_only: bool = False) -> list[Sentence]:
    """The gold sentences; CorpusFormatError if the file holds none (or is of another format)."""
    sentences = read_uner(data_path, news_only=news_only) if fmt == "uner" else READERS[fmt](data_path)
    if not sentences:
        raise CorpusFormatError(f"{data_path}: no sentences" + (" (--news-only)" if news_only else ""))
    return sentences


def evaluate_entities(data_path: str, fmt: str, lang: str, news_only: bool = False, documents: int = 0) -> dict:
    """Evaluate the installed ``ner-<lang>`` model on a corpus file of format ``fmt``; with
    ``documents``, on texts of that many sentences (see ``evaluate_documents``)."""
    from worker.pipeline.entities import load_ner, model_versions

    nlp = load_ner(lang)
    if nlp is None:
        raise ValueError(f"no NER model installed for language {lang!r}")
    sentences, labels = read_corpus(data_path, fmt, news_only), FORMAT_LABELS[fmt]
    if documents:
        result = {"documents": documents, **evaluate_documents(nlp, sentences, labels, documents)}
    else:
        result = evaluate_nlp(nlp, sentences, labels)
    result.update({"data": str(data_path), "format": fmt, "lang": lang, "news_only": news_only})
    result["model"] = model_versions(lang).get("ner")
    return result


def format_table(result: dict) -> str:
    if "documents" in result:
        modes = (("whole", "as one text"), ("sentences", "sentence by sentence"))
        return "\n\n".join(f"texts of {result['documents']} sentences, tagged {how}:\n{format_table(result[mode])}"
                           for mode, how in modes)
    lines = [f"{'type':<10}{'P':>8}{'R':>8}{'F':>8}{'support':>9}"]
    rows = list(result["per_type"].items()) + [("overall", result["overall"]), ("untyped", result["untyped"])]
    for name, s in rows:
        lines.append(f"{name:<10}{s['p']:>8.2f}{s['r']:>8.2f}{s['f']:>8.2f}{s['support']:>9}")
    speed = f", {result['words_per_second']} words/s" if "words_per_second" in result else ""
    lines.append(f"{result['sentences']} sentences, {result['words']} words{speed}")
    return "\n".join(lines)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value} is not 1 or more")
    return number


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newsdesk eval entities",
                                     description="Evaluate the Newsdesk NER model on a gold corpus.")
    parser.add_argument("--data", required=True)
    parser.add_argument("--format", choices=sorted(READERS), required=True)
    parser.add_argument("--lang", required=True)
    parser.add_argument("--news-only", action="store_true", help="uner: keep only news sentences (sent_id n…)")
    parser.add_argument("--documents", type=_positive, default=0, metavar="N",
                        help="tag texts of N consecutive sentences, as one text and sentence by sentence")
    args = parser.parse_args(argv)
    from worker.pipeline.entities import available_languages

    if args.lang not in available_languages():
        parser.error(f"no NER model for --lang {args.lang!r} (installed: {', '.join(sorted(available_languages()))})")
    try:
        result = evaluate_entities(args.data, args.format, args.lang, news_only=args.news_only,
                                   documents=args.documents)
    except OSError as exc:
        print(f"newsdesk eval entities: cannot read {args.data}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except CorpusFormatError as exc:
        print(f"newsdesk eval entities: {exc} (is --format {args.format} right?)", file=sys.stderr)
        return 2
    print(format_table(result))
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
