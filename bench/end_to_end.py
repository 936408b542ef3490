"""Benchmark 2: the live service (API + N workers + Redis) fed the corpus by concurrent clients.

    .venv/bin/python bench/end_to_end.py [--data ../shared/data] [--workers 2] [--clients 8]

First measures the ceiling (benchmark 1 with N processes, same cores, same run), then single
POSTs (each client posts and long-polls until done), then the same articles as batches. Prints
articles/s for each and the ratios end-to-end/ceiling and batch/single.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from queue import Empty, Queue

import httpx

from corpus import load_corpus
from pipeline import measure
from service import LiveService


def singles(url: str, articles: list[dict], clients: int) -> float:
    todo: Queue = Queue()
    for article in articles:
        todo.put(article)
    failures = []

    def client() -> None:
        with httpx.Client(base_url=url, timeout=60) as http:
            while True:
                try:
                    article = todo.get_nowait()
                except Empty:
                    return
                job_id = http.post("/v1/articles", json=article).json()["job_id"]
                while (job := http.get(f"/v1/jobs/{job_id}?wait=25").json())["status"] not in ("succeeded", "failed"):
                    pass
                if job["status"] != "succeeded":
                    failures.append(job_id)

    began = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    return len(articles) / (time.perf_counter() - began)


def batches(url: str, articles: list[dict]) -> float:
    began = time.perf_counter()
    with httpx.Client(base_url=url, timeout=120) as http:
        ids = [http.post("/v1/batches", json={"articles": articles[i:i + 1000]}).json()["batch_id"]
               for i in range(0, len(articles), 1000)]
        for batch_id in ids:
            while set(http.get(f"/v1/batches/{batch_id}").json()["counts"]) - {"succeeded", "failed"}:
                time.sleep(0.05)
    return len(articles) / (time.perf_counter() - began)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    articles = load_corpus(args.data) * args.repeat

    ceiling = measure(load_corpus(args.data), args.workers, args.repeat)["articles_per_s"]
    service = LiveService(workers=args.workers)
    try:
        single = singles(service.url, articles, args.clients)
        batch = batches(service.url, articles)
    finally:
        service.stop()
    print(f"{len(articles)} articles, {args.workers} workers, {args.clients} clients")
    print(f"{'mode':<24} {'articles/s':>10} {'ratio':>8}")
    print(f"{'ceiling (in-process)':<24} {ceiling:>10.1f} {1:>8.2f}")
    print(f"{'end-to-end, single POST':<24} {single:>10.1f} {single / ceiling:>8.2f}")
    print(f"{'end-to-end, batches':<24} {batch:>10.1f} {batch / ceiling:>8.2f}")
    print(f"batch / single per article: {batch / single:.2f}x")
    print(json.dumps({"ceiling": ceiling, "single": single, "batch": batch,
                      "single_vs_ceiling": single / ceiling, "batch_vs_single": batch / single}))


if __name__ == "__main__":
    main()
