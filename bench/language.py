"""Language detection accuracy by text length, its cost, and a worker's RSS with it.

    .venv/bin/python bench/language.py --data ../shared/data [--split dev|test|both] [--code DIR] [--rss]

Accuracy of detect_language per length bucket (words with a letter: 3-5, 6-10, 11-25, 26+,
and whole articles) on: DaN+ news sentences (Danish; dev, held-out test), CoNLL-2003 sentences
(English; dev = testa, held-out test = testb), UNER English PUD (English, used in tuning, so
under dev), DaNewsroom and CNN/DailyMail articles (val1k and the CNN/DailyMail sample under
dev, DaNewsroom val25k_clean1 held out), the guard sentences of tests/unit/test_language.py
(dev) and spaCy's example sentences of every supported language it has (held out; they ship
in the installed spaCy; its one- and two-word questions count under 3-5). Sentences are
rebuilt from the corpora's tokens; nothing is copied.

Cost: microseconds per call for a short text and a 1,000-character prefix. --rss runs a fresh
process that loads both NER models and warms up as a worker does, then detects every text of
the run (so every model the detector can load is in), and prints its RSS at both points.
--code DIR measures the worker/ package of another checkout (e.g. an older commit's files).
"""

from __future__ import annotations

import argparse
import ast
import collections
import importlib
import json
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUCKETS = ("3-5", "6-10", "11-25", "26+", "article")
_WORD = re.compile(r"\S*[^\W\d_]\S*")


def detokenize(words: list[str]) -> str:
    """A corpus sentence as it would be written: no space before closing punctuation."""
    text = " ".join(words)
    text = re.sub(r" ([.,:;!?%)\]’”])", r"\1", text)
    text = re.sub(r"([(\[“‘]) ", r"\1", text)
    return re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", text)


def bucket(text: str) -> str | None:
    words = len(_WORD.findall(text))
    if words < 3:
        return None
    return "3-5" if words <= 5 else "6-10" if words <= 10 else "11-25" if words <= 25 else "26+"


def guard_sentences() -> dict[str, list[str]]:
    """SHORT_SENTENCES of the unit test, read as a literal (no import, so --code works)."""
    tree = ast.parse((ROOT / "tests" / "unit" / "test_language.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "SHORT_SENTENCES" for t in node.targets):
            return ast.literal_eval(node.value)
    raise SystemExit("tests/unit/test_language.py has no SHORT_SENTENCES")


def spacy_examples(codes: frozenset[str]) -> dict[str, list[str]]:
    found = {}
    for code in sorted(codes):
        try:
            found[code] = list(importlib.import_module(f"spacy.lang.{code}.examples").sentences)
        except ImportError:
            continue
    return found


def load_sets(data: Path, split: str, codes: frozenset[str]) -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    """(split, set name, language, [(bucket, text)]) for every set of the run."""
    from worker.training.corpora import read_conll, read_danplus, read_uner

    def sentences(rows):
        return [(b, t) for t in (detokenize(words) for words, _ in rows) if (b := bucket(t))]

    def articles(path: Path, field: str):
        with path.open(encoding="utf-8") as lines:
            return [("article", json.loads(line)[field]) for line in lines]

    sets = []
    if split in ("dev", "both"):
        sets += [
            ("dev", "DaN+ dev", "da", sentences(read_danplus(data / "danplus_news" / "da_news_dev.tsv"))),
            ("dev", "CoNLL dev", "en", sentences(read_conll(data / "conll2003_en" / "dev.txt"))),
            ("dev", "UNER PUD", "en", sentences(read_uner(data / "uner_en_pud" / "en_pud-ud-test.iob2"))),
            ("dev", "DaNewsroom val1k", "da", articles(data / "danewsroom_dansum" / "val1k.jsonl", "text")),
            ("dev", "CNN/DM dev100", "en", articles(data / "cnndm_dev100" / "cnndm_dev100.jsonl", "article")),
        ]
        sets += [("dev", "guard", code, [(b, t) for t in texts if (b := bucket(t))])
                 for code, texts in guard_sentences().items()]
    if split in ("test", "both"):
        sets += [
            ("test", "DaN+ test", "da", sentences(read_danplus(data / "danplus_news" / "da_news_test.tsv"))),
            ("test", "CoNLL test", "en", sentences(read_conll(data / "conll2003_en" / "test.txt"))),
            ("test", "DaNewsroom val25k", "da",
             articles(data / "danewsroom_dansum" / "val25k_clean1.jsonl", "text")),
        ]
        sets += [("test", "spaCy examples", code, [(bucket(t) or "3-5", t) for t in texts])
                 for code, texts in spacy_examples(codes).items()]
    return sets


def accuracy(sets, detect) -> list[dict]:
    rows = []
    for split, name, language, items in sets:
        right, total, wrong = collections.Counter(), collections.Counter(), collections.Counter()
        for where, text in items:
            code = detect(text)[0]
            total[where] += 1
            right[where] += code == language
            if code != language:
                wrong[code] += 1
        rows.append({"split": split, "set": name, "language": language,
                     "buckets": {b: [right[b], total[b]] for b in BUCKETS if total[b]},
                     "wrong_as": dict(wrong.most_common(4))})
    return rows


def cost(detect, short: str, long: str, rounds: int = 2000) -> dict:
    result = {}
    for name, text in (("short", short), ("prefix_1000", long)):
        detect(text)
        best = float("inf")
        for _ in range(5):  # the best of five runs: the machine is shared
            began = time.perf_counter()
            for _ in range(rounds if name == "short" else rounds // 10):
                detect(text)
            best = min(best, (time.perf_counter() - began) / (rounds if name == "short" else rounds // 10))
        result[name + "_us"] = round(best * 1e6, 1)
    return result


def rss_child(args: argparse.Namespace) -> None:
    """In a fresh process: RSS after a worker's warm-up, then after detecting every text."""
    import psutil

    from worker.pipeline.analyze import warm_up
    from worker.pipeline.language import SUPPORTED_LANGUAGE_CODES, detect_language

    warm_up()
    process = psutil.Process()
    warm = process.memory_info().rss / 2**20
    for _, _, _, items in load_sets(Path(args.data), "both", SUPPORTED_LANGUAGE_CODES):
        for _, text in items:
            detect_language(text)
    print(json.dumps({"after_warm_up_mb": round(warm, 1), "after_every_text_mb":
                      round(process.memory_info().rss / 2**20, 1)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="the shared data folder (../shared/data)")
    parser.add_argument("--split", choices=("dev", "test", "both"), default="both")
    parser.add_argument("--code", default=str(ROOT), help="checkout whose worker/ is measured (default: this one)")
    parser.add_argument("--rss", action="store_true", help="also a worker's RSS (loads both NER models)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--rss-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(args.code).resolve()))
    if args.rss_child:
        rss_child(args)
        return
    from worker.pipeline.language import SUPPORTED_LANGUAGE_CODES, detect_language

    sets = load_sets(Path(args.data), args.split, SUPPORTED_LANGUAGE_CODES)
    rows = accuracy(sets, detect_language)
    article = next(t for *_, items in sets for where, t in items if where == "article")
    report = {"accuracy": rows, "cost": cost(detect_language, "Angela Merkel visited Paris.", article[:1000])}
    if args.rss:
        done = subprocess.run([sys.executable, __file__, "--data", args.data, "--code", args.code, "--rss-child"],
                              capture_output=True, text=True, check=True)
        report["rss"] = json.loads(done.stdout.strip().splitlines()[-1])
    if args.json:
        print(json.dumps(report))
        return
    print(f"{'split':5} {'set':18} {'lang':4} " + " ".join(f"{b:>15}" for b in BUCKETS) + "  wrong as")
    for row in rows:
        cells = [f"{r / t:.3f} ({r}/{t})" if (r, t) != (0, 0) else "" for r, t in
                 (row["buckets"].get(b, (0, 0)) for b in BUCKETS)]
        print(f"{row['split']:5} {row['set']:18} {row['language']:4} " + " ".join(f"{c:>15}" for c in cells)
              + "  " + ", ".join(f"{k} {v}" for k, v in row["wrong_as"].items()))
    print("cost:", report["cost"])
    if "rss" in report:
        print("worker RSS:", report["rss"])


if __name__ == "__main__":
    main()
