"""Long polling: how soon `GET /v1/jobs/<id>?wait=30` answers after the worker finished the job.

    .venv/bin/python bench/long_poll.py [--data ../shared/data] [--jobs 50] [--busy-clients 4]

Starts the live service (2 workers), then submits `--jobs` articles one at a time, spread over
the corpus from the shortest to the longest, and for each holds a `?wait=30` request open until
it answers. The delay is measured from the job's `finished_at` (written by the worker, in
milliseconds, just before it stores the outcome and publishes the job's end) to the moment the
client has the answer; the bench also subscribes to the same pub/sub channels, so the delay from
the publish reaching a subscriber is shown too. A job that finished before its GET was even sent
is counted apart (its answer is a plain read). The run is done twice: with the service otherwise
idle, and with `--busy-clients` clients keeping both workers busy (both cores loaded).

Then the timeout path: a long article's job (--long-chars) is caught running and its worker
paused, so it cannot finish: `?wait=1` and `?wait=2` answer with its current state after that
long; with the worker resumed, a last `?wait=30` answers when it finishes.
"""

from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
from datetime import datetime

import httpx
import redis

from newsdesk.job_events import DONE_CHANNEL

from corpus import load_corpus
from live_service import LiveService

TARGET_MS = 50


def epoch(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


class Publishes:
    """When each job's end was published, as seen by a subscriber (the API subscribes likewise)."""

    def __init__(self, url: str):
        self.seen: dict[str, float] = {}
        self.pubsub = redis.Redis.from_url(url).pubsub(ignore_subscribe_messages=True)
        self.pubsub.subscribe(DONE_CHANNEL)
        threading.Thread(target=self._listen, daemon=True).start()

    def _listen(self) -> None:
        try:
            for message in self.pubsub.listen():
                self.seen[message["data"].decode()] = time.time()
        except redis.RedisError:  # the service stopped
            pass

    def when(self, job_id: str) -> float:
        for _ in range(100):
            if job_id in self.seen:
                return self.seen[job_id]
            time.sleep(0.01)
        raise RuntimeError(f"the end of {job_id} was never published")


def poll(http: httpx.Client, article: dict, publishes: Publishes) -> dict:
    job_id = http.post("/v1/articles", json=article).json()["job_id"]
    asked = time.time()
    response = http.get(f"/v1/jobs/{job_id}?wait=30")
    answered = time.time()  # the whole answer is in; parsing it is the client's business
    job = response.json()
    assert job["status"] in ("succeeded", "failed"), job["status"]
    finished = epoch(job["finished_at"])
    return {"chars": len(article["text"]), "before_ask": finished < asked, "delay_ms": (answered - finished) * 1000,
            "after_publish_ms": (answered - publishes.when(job_id)) * 1000}


def keep_busy(url: str, articles: list[dict], stop: threading.Event) -> None:
    with httpx.Client(base_url=url, timeout=60, verify=False) as http:
        while not stop.is_set():
            for article in articles:
                job_id = http.post("/v1/articles", json=article).json()["job_id"]
                http.get(f"/v1/jobs/{job_id}?wait=30")
                if stop.is_set():
                    return


def measure(url: str, articles: list[dict], publishes: Publishes, busy_clients: int) -> list[dict]:
    stop = threading.Event()
    busy = [threading.Thread(target=keep_busy, args=(url, articles[i::busy_clients], stop))
            for i in range(busy_clients)]
    for thread in busy:
        thread.start()
    try:
        with httpx.Client(base_url=url, timeout=60, verify=False) as http:
            return [poll(http, article, publishes) for article in articles]
    finally:
        stop.set()
        for thread in busy:
            thread.join()


def timeouts(service: LiveService, text: str) -> list[dict]:
    """A long article's job, caught running, the processes that run tasks paused (SIGSTOP) so that
    it cannot finish: `?wait=1` and `?wait=2` answer with its current state; resumed, `?wait=30`
    answers when it is done. Those are the pool processes of a prefork worker, or a solo worker
    itself (the default)."""
    processes = service.processes()
    rows, pool = [], processes.get("pool") or processes["worker"]
    with httpx.Client(base_url=service.url, timeout=60, verify=False) as http:
        job_id = http.post("/v1/articles", json={"text": text, "language": "da"}).json()["job_id"]
        while http.get(f"/v1/jobs/{job_id}").json()["status"] == "queued":
            time.sleep(0.005)
        for process in pool:
            process.suspend()
        try:
            for wait in (1, 2, 30):
                if wait == 30:
                    for process in pool:
                        process.resume()
                began = time.time()
                response = http.get(f"/v1/jobs/{job_id}?wait={wait}")
                answered = time.time()
                job = response.json()
                rows.append({"wait": wait, "elapsed_s": answered - began, "status": job["status"],
                             "kb": len(response.content) / 1000,
                             "after_finish_ms": (answered - epoch(job["finished_at"])) * 1000
                             if job["finished_at"] else None})
        finally:
            for process in pool:
                process.resume()
    return rows


def summary(rows: list[dict]) -> dict:
    waited = [r for r in rows if not r["before_ask"]]
    delays = sorted(r["delay_ms"] for r in waited)
    return {"jobs": len(rows), "waited": len(waited), "p50_ms": statistics.median(delays),
            "p95_ms": statistics.quantiles(delays, n=20, method="inclusive")[18], "max_ms": delays[-1],
            "within_target": sum(d <= TARGET_MS for d in delays),
            "published_p50_ms": statistics.median(r["delay_ms"] - r["after_publish_ms"] for r in waited),
            "after_publish_p50_ms": statistics.median(r["after_publish_ms"] for r in waited),
            "after_publish_max_ms": max(r["after_publish_ms"] for r in waited),
            "chars": (min(r["chars"] for r in rows), max(r["chars"] for r in rows))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data")
    parser.add_argument("--jobs", type=int, default=50)
    parser.add_argument("--busy-clients", type=int, default=4)
    parser.add_argument("--long-chars", type=int, default=100_000)
    args = parser.parse_args()
    corpus = sorted(load_corpus(args.data), key=lambda a: len(a["text"]))
    articles = [corpus[i * (len(corpus) - 1) // max(1, args.jobs - 1)] for i in range(args.jobs)]
    long_text = "\n\n".join(a["text"] for a in corpus if a.get("language") == "da" or not args.data)
    long_text = (long_text * (1 + args.long_chars // len(long_text)))[:args.long_chars]

    service = LiveService(workers=2)
    try:
        publishes = Publishes(service.redis_url)
        idle = summary(measure(service.url, articles, publishes, 0))
        busy = summary(measure(service.url, articles, publishes, args.busy_clients))
        waits = timeouts(service, long_text)
    finally:
        service.stop()
    print(f"{args.jobs} jobs one at a time, {idle['chars'][0]}..{idle['chars'][1]} chars; delay from the "
          f"worker's finished_at to the client's answer (target {TARGET_MS} ms)")
    print(f"{'service':<17} {'done before GET':>15} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'<=50 ms':>8} "
          f"{'published p50':>14} {'after publish p50':>18} {'max':>6}")
    for name, row in (("idle", idle), (f"{args.busy_clients} busy clients", busy)):
        print(f"{name:<17} {row['jobs'] - row['waited']:>15} {row['p50_ms']:>7.1f} {row['p95_ms']:>7.1f} "
              f"{row['max_ms']:>7.1f} {row['within_target']:>4}/{row['waited']:<3} {row['published_p50_ms']:>14.1f} "
              f"{row['after_publish_p50_ms']:>18.1f} {row['after_publish_max_ms']:>6.1f}")
    print("(p50/p95/max and <=50 ms over the jobs still running when their GET was sent; published = "
          "finished_at to the publish reaching the bench's subscriber; after publish = from there to the answer)")
    print(f"timeout path, one {args.long_chars}-character article, its worker paused for the first two:")
    print(f"{'?wait=':>6} {'answered after s':>17} {'status':>10} {'ms after finished_at':>21} {'answer KB':>10}")
    for row in waits:
        late = f"{row['after_finish_ms']:.1f}" if row["after_finish_ms"] is not None else "-"
        print(f"{row['wait']:>6} {row['elapsed_s']:>17.3f} {row['status']:>10} {late:>21} {row['kb']:>10.1f}")
    print(json.dumps({"idle": idle, "busy": busy, "timeouts": waits}))


if __name__ == "__main__":
    main()
