"""Grid-search the summarizer's blend weights on development data.

    python -m worker.training.tune_summarizer --data ../shared/data [--write]

English is tuned on ``cnndm_dev100/cnndm_dev100.jsonl`` at k=3 (the CNN/DM
convention), Danish on ``danewsroom_dansum/train1k.jsonl`` averaged over
k=1,2,3 (its references are one- or two-sentence teasers); the DaNewsroom
validation files are left for evaluation. The objective is ROUGE-1 +
ROUGE-Lsum F1, scored exactly as ``worker.evaluation.summaries`` does.
With ``--write`` the best weights per language are stored in
``worker/pipeline/summarizer_weights.json``; the "default" entry (used for
other languages) is the English one.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import sys
from pathlib import Path

from worker.evaluation.summaries import make_scorer, read_pairs
from worker.pipeline.sentences import split_sentences
from worker.pipeline.summarize import WEIGHTS_FILE, Weights, summarize

TUNING_SETS = {
    "en": ("cnndm_dev100/cnndm_dev100.jsonl", (3,)),
    "da": ("danewsroom_dansum/train1k.jsonl", (1, 2, 3)),
}
GRID = {
    "position": (0.6, 0.7, 0.8, 0.9),
    "position_scale": (1.0, 3.0, 10.0),
    "backward": (0.5, 1.0),
    "quote": (0.7, 1.0),
    "mmr_lambda": (0.7,),
}


def prepare(pairs: list[tuple[str, str]], language: str) -> list[tuple]:
    """Split every article and reference once."""
    prepared = []
    for article, reference in pairs:
        target = "\n".join(s.text for s in split_sentences(reference, language, clean=False))
        prepared.append((article, split_sentences(article, language), target))
    return prepared


def objective(prepared: list[tuple], language: str, ks: tuple[int, ...], weights: Weights, cache: dict) -> float:
    """Mean ROUGE-1 + ROUGE-Lsum F1 over articles and ks. Scores are cached
    by chosen sentences, since most weight changes alter few summaries."""
    scorer = make_scorer(language)
    total = 0.0
    for n, (article, sentences, target) in enumerate(prepared):
        for k in ks:
            chosen = summarize(article, sentences, language, max_sentences=k, weights=weights)
            key = (n, tuple(item["index"] for item in chosen))
            if key not in cache:
                scores = scorer.score(target, "\n".join(item["text"] for item in chosen))
                cache[key] = scores["rouge1"].fmeasure + scores["rougeLsum"].fmeasure
            total += cache[key]
    return 100 * total / (len(prepared) * len(ks))


def tune(data: Path, language: str) -> tuple[Weights, float]:
    relative, ks = TUNING_SETS[language]
    _language, pairs = read_pairs(data / relative)
    prepared = prepare(pairs, language)
    cache: dict = {}
    best, best_score = Weights(), -1.0
    for values in itertools.product(*GRID.values()):
        weights = Weights(**dict(zip(GRID, values)))
        score = objective(prepared, language, ks, weights, cache)
        if score > best_score:
            best, best_score = weights, score
            print(f"{language} {score:.3f} {weights}", flush=True)
    return best, best_score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="the shared data folder")
    parser.add_argument("--languages", nargs="+", default=list(TUNING_SETS), choices=list(TUNING_SETS))
    parser.add_argument("--write", action="store_true", help="store the best weights in the project")
    args = parser.parse_args(argv)
    table = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    for language in args.languages:
        weights, score = tune(args.data, language)
        print(f"best {language}: R1+RLsum {score:.3f} with {weights}")
        table[language] = dataclasses.asdict(weights)
    if "en" in table:
        table["default"] = table["en"]
    if args.write:
        WEIGHTS_FILE.write_text(json.dumps(table, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
