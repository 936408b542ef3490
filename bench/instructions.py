"""The pipeline's cost as instructions per article, counted by callgrind: unlike seconds, the count
does not change with the machine's other load, so two versions of the code can be compared on a
busy machine.

    .venv/bin/python bench/instructions.py [--data ../shared/data] [--articles 40]

Runs the pipeline under `valgrind --tool=callgrind` twice: once with the models loaded (as a
worker's warm start loads them) and no article, once with `--articles` articles spread over the
corpus, each analysed twice (the second time is what a warm worker sees); reports the difference
per analysis. Needs valgrind (Debian: apt-get install valgrind); takes several minutes, since
callgrind runs code some 50 times slower.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path


def analyse(data: str | None, count: int) -> None:
    """What runs under callgrind: load the models, then analyse `count` articles twice."""
    from corpus import load_corpus

    from worker.pipeline.analyze import analyze_article, warm_up

    warm_up()  # as a worker starts
    articles = load_corpus(data)
    chosen = articles[:: max(1, len(articles) // count)][:count] if count else []
    for article in chosen + chosen:
        analyze_article(article)


def instructions(data: str | None, count: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/out", sys.executable, __file__,
                   "--run", str(count)] + (["--data", data] if data else [])
        log = subprocess.run(command, capture_output=True, text=True, check=True).stderr
    return int(re.search(r"Collected : (\d+)", log).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="the shared data folder (../shared/data); seeds only without it")
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--run", type=int, help=argparse.SUPPRESS)  # the part under callgrind
    args = parser.parse_args()
    if args.run is not None:
        sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]
        analyse(args.data, args.run)
        return
    loaded = instructions(args.data, 0)
    total = instructions(args.data, args.articles)
    per_article = (total - loaded) / (2 * args.articles)
    print(f"models loaded: {loaded / 1e9:.2f} billion instructions")
    print(f"per article:   {per_article / 1e6:.1f} million instructions ({args.articles} articles, each twice)")


if __name__ == "__main__":
    main()
