"""Benchmark 1, the ceiling: the pipeline in-process over the fixed corpus.

    .venv/bin/python bench/pipeline.py [--data ../shared/data] [--processes 1] [--repeat 2] [--pause 0]

Reports articles/s, words/s per core, the time per stage (the entity step's words/s is what the
NER targets are about), model load time per language and peak RSS. With --processes N it runs N
processes side by side (the ceiling for N cores). With --pause S each process sleeps S seconds
after each article, as a worker waits for the next one when articles come one by one; the rates
count the time it works only, and the CPU per article shows what waking up costs it.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import time
from collections import Counter

from corpus import load_corpus, words


def run(articles: list[dict], repeat: int, pause: float = 0.0) -> dict:
    from worker.pipeline.analyze import analyze_article
    from worker.pipeline.entities import available_languages, load_ner

    loads = {}
    for language in sorted(available_languages()):
        began = time.perf_counter()
        load_ner(language)
        loads[language] = round(time.perf_counter() - began, 3)
    analyze_article({"text": "Opvarmning før målingen. Den tæller ikke.", "language": "da"})
    stages: Counter = Counter()
    began, cpu, paused = time.perf_counter(), time.process_time(), 0.0
    for _ in range(repeat):
        for article in articles:
            timings: dict[str, float] = {}
            analyze_article(article, timings)
            stages.update(timings)
            if pause:
                asleep = time.perf_counter()
                time.sleep(pause)
                paused += time.perf_counter() - asleep
    elapsed = time.perf_counter() - began - paused
    return {"seconds": elapsed, "cpu_seconds": time.process_time() - cpu, "stages": dict(stages),
            "load_seconds": loads, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _worker(args):
    return run(*args)


def measure(articles: list[dict], processes: int, repeat: int, pause: float = 0.0) -> dict:
    """Run `processes` copies side by side; articles/s is over all of them together."""
    if processes == 1:
        results = [run(articles, repeat, pause)]
    else:
        with multiprocessing.get_context("spawn").Pool(processes) as pool:
            results = pool.map(_worker, [(articles, repeat, pause)] * processes)
    total_articles = len(articles) * repeat * processes
    total_words = words(articles) * repeat * processes
    wall = max(r["seconds"] for r in results)
    stages = sum((Counter(r["stages"]) for r in results), Counter())
    return {
        "processes": processes,
        "pause_s": pause,
        "articles": total_articles,
        "articles_per_s": total_articles / wall,
        "words_per_s_per_core": total_words / wall / processes,
        "cpu_ms_per_article": sum(r["cpu_seconds"] for r in results) / total_articles * 1000,
        "entity_words_per_s": total_words / stages["entities"] if stages["entities"] else None,
        "stage_share": {k: round(v / sum(stages.values()), 3) for k, v in stages.items()},
        "load_seconds": results[0]["load_seconds"],
        "peak_rss_mb": round(max(r["peak_rss_mb"] for r in results), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="the shared data folder (../shared/data); seeds only without it")
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--pause", type=float, default=0.0, help="seconds to sleep after each article")
    args = parser.parse_args()
    articles = load_corpus(args.data)
    report = measure(articles, args.processes, args.repeat, args.pause)
    print(f"corpus: {len(articles)} articles, {words(articles)} words (x{args.repeat} passes)")
    print(f"{'processes':>9} {'articles/s':>11} {'words/s/core':>13} {'entity words/s':>15} {'peak RSS MB':>12}")
    print(f"{report['processes']:>9} {report['articles_per_s']:>11.1f} {report['words_per_s_per_core']:>13.0f} "
          f"{report['entity_words_per_s'] or 0:>15.0f} {report['peak_rss_mb']:>12.1f}")
    print("stage share:", report["stage_share"], " model load s:", report["load_seconds"])
    after = f" (a pause of {args.pause} s after each)" if args.pause else ""
    print(f"CPU ms per article: {report['cpu_ms_per_article']:.1f}{after}")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
