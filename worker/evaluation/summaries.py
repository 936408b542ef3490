"""ROUGE evaluation of the extractive summarizer against Lead-k and TextRank.

    python -m worker.evaluation.summaries --data FILE_OR_DIR [...] [--sentences 1 2 3] [--limit N]

Each JSON Lines file is recognised from its fields: ``article``/``reference``
(CNN/DailyMail, English) or ``text``/``summary`` (DaNewsroom, Danish). A
directory stands for its ``*.jsonl`` files except ``train*`` (tuning data is
not evaluation data). For every file one table is printed: Lead-1/2/3, then
for each k our summarizer and plain TextRank, with ROUGE-1/2/L/Lsum F1 x 100;
a final JSON line holds all the figures.

Scoring: the ``rouge-score`` package. English uses its default tokenizer with
the Porter stemmer. Danish cannot: that tokenizer keeps only [a-z0-9], which
breaks every word with æ/ø/å, so Danish is tokenized as lowercased ``\\w+``
runs, each reduced with the Snowball Danish stemmer. ``rougeLsum`` (the
summary-level LCS that published CNN/DM figures call ROUGE-L) sees one
sentence per line on both sides; ``rougeL`` is the flat LCS.

Lead-k is the first k sentences of the plain splitter output (no cleaning),
the usual baseline; "Lead-k clean" is the first k sentences our cleaning
keeps, to show what cleaning alone is worth.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import snowballstemmer
from rouge_score import rouge_scorer

from worker.pipeline.clean import content_sentences
from worker.pipeline.sentences import Sentence, split_sentences
from worker.pipeline.summarize import sentence_vectors, similarity, summarize

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")
# field names of (article, reference) -> language
FORMATS = {("article", "reference"): "en", ("text", "summary"): "da"}
# TextRank's graph is all sentence pairs; a cap keeps the baseline bounded.
TEXTRANK_MAX_SENTENCES = 300
_DAMPING = 0.85
_ITERATIONS = 50


class SnowballTokenizer:
    """rouge-score tokenizer: lowercased word runs, Snowball-stemmed."""

    def __init__(self, language: str):
        self._stemmer = snowballstemmer.stemmer(language)
        self._word = re.compile(r"\w+")

    def tokenize(self, text: str) -> list[str]:
        return self._stemmer.stemWords(self._word.findall(text.lower()))


def make_scorer(language: str) -> rouge_scorer.RougeScorer:
    if language == "en":
        return rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
    return rouge_scorer.RougeScorer(list(ROUGE_TYPES), tokenizer=SnowballTokenizer("danish"))


def read_pairs(path: Path) -> tuple[str, list[tuple[str, str]]]:
    """The language and (article, reference) pairs of a JSON Lines file; ValueError (naming the
    file and line) for a line that is not a JSON object with the fields the first one has."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if line.strip():
            try:
                rows.append((number, json.loads(line)))
            except ValueError as exc:
                raise ValueError(f"{path}, line {number}: not JSON ({exc})") from None
    for (article, reference), language in FORMATS.items():
        if rows and isinstance(rows[0][1], dict) and article in rows[0][1] and reference in rows[0][1]:
            pairs = []
            for number, row in rows:
                if not (isinstance(row, dict) and isinstance(row.get(article), str)
                        and isinstance(row.get(reference), str)):
                    raise ValueError(f"{path}, line {number}: no {article!r} and {reference!r} text")
                pairs.append((row[article], row[reference]))
            return language, pairs
    raise ValueError(f"{path}: no known fields; expected one of {list(FORMATS)}")


def data_files(paths: list[str]) -> list[Path]:
    files = []
    for name in paths:
        path = Path(name)
        if not path.exists():
            raise FileNotFoundError(f"{path}: no such file or folder")
        if path.is_dir():
            files += sorted(p for p in path.glob("*.jsonl") if not p.name.startswith("train"))
        else:
            files.append(path)
    return files


def textrank(sentences: list[Sentence], language: str, k: int) -> list[Sentence]:
    """Plain TextRank/LexRank: PageRank over the TF-IDF cosine graph, top k
    sentences in document order. No position prior, no redundancy removal."""
    sentences = sentences[:TEXTRANK_MAX_SENTENCES]
    n = len(sentences)
    if n <= k:
        return sentences
    vectors = sentence_vectors([s.text for s in sentences], language)
    weights = [[similarity(a, b) if a is not b else 0.0 for b in vectors] for a in vectors]
    totals = [sum(row) or 1.0 for row in weights]
    rank = [1.0 / n] * n
    for _ in range(_ITERATIONS):
        rank = [
            (1 - _DAMPING) / n + _DAMPING * sum(weights[j][i] * rank[j] / totals[j] for j in range(n))
            for i in range(n)
        ]
    best = sorted(range(n), key=lambda i: (-rank[i], i))[:k]
    return [sentences[i] for i in sorted(best)]


def systems(text: str, language: str, ks: list[int]) -> dict[str, list[str]]:
    """Each system's summary sentences for one article."""
    plain = split_sentences(text, language, clean=False)
    sentences = split_sentences(text, language)
    kept = [sentences[i] for i in content_sentences(text, sentences, language)]
    out = {f"Lead-{k}": [s.text for s in plain[:k]] for k in (1, 2, 3)}
    out.update({f"Lead-{k} clean": [s.text for s in kept[:k]] for k in (1, 2, 3)})
    for k in ks:
        out[f"ours k={k}"] = [item["text"] for item in summarize(text, sentences, language, max_sentences=k)]
        out[f"TextRank k={k}"] = [s.text for s in textrank(plain, language, k)]
    return out


def evaluate(pairs: list[tuple[str, str]], language: str, ks: list[int]) -> dict[str, dict[str, float]]:
    """Mean F1 x 100 per system and ROUGE type."""
    scorer = make_scorer(language)
    sums: dict[str, dict[str, float]] = {}
    for article, reference in pairs:
        target = "\n".join(s.text for s in split_sentences(reference, language, clean=False))
        for name, chosen in systems(article, language, ks).items():
            scores = scorer.score(target, "\n".join(chosen))
            row = sums.setdefault(name, dict.fromkeys(ROUGE_TYPES, 0.0))
            for rouge_type in ROUGE_TYPES:
                row[rouge_type] += scores[rouge_type].fmeasure
    return {
        name: {t: round(100 * v / len(pairs), 2) for t, v in row.items()}
        for name, row in sums.items()
    }


def format_table(title: str, results: dict[str, dict[str, float]]) -> str:
    lines = [title, f"{'system':<16}" + "".join(f"{t:>10}" for t in ROUGE_TYPES)]
    for name, row in results.items():
        lines.append(f"{name:<16}" + "".join(f"{row[t]:>10.2f}" for t in ROUGE_TYPES))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="newsdesk eval summaries", description=__doc__.splitlines()[0])
    parser.add_argument("--data", nargs="+", required=True, help="JSON Lines files or folders of them")
    parser.add_argument("--sentences", nargs="+", type=int, default=[1, 2, 3], help="summary lengths k")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles per file")
    args = parser.parse_args(argv)
    try:  # every file read before the first is scored: a bad one fails at once
        data = [(path, *read_pairs(path)) for path in data_files(args.data)]
    except (OSError, ValueError) as exc:
        print(f"newsdesk eval summaries: {exc}", file=sys.stderr)
        return 2
    figures = {}
    for path, language, pairs in data:
        pairs = pairs[: args.limit] if args.limit else pairs
        results = evaluate(pairs, language, args.sentences)
        print(format_table(f"\n{path.name} ({language}, {len(pairs)} articles), F1 x 100", results))
        figures[path.name] = {"language": language, "articles": len(pairs), "results": results}
    if not figures:
        print("no data files found", file=sys.stderr)
        return 1
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
