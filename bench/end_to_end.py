"""Benchmark 2: the live service (API + N workers + Redis) fed the corpus by concurrent clients.

    .venv/bin/python bench/end_to_end.py [--data ../shared/data] [--workers 2] [--clients 8]
    .venv/bin/python bench/end_to_end.py --data ../shared/data --configs 2x1/1,1x2/1,2x1/4,1x2/4 --rounds 4

Measures the ceiling (benchmark 1 with N processes, same cores, same run), then single POSTs
(each client posts and long-polls until done), the ceiling again, then the same articles as
batches. Prints articles/s for each, the ratios end-to-end/ceiling (against all the
ceilings) and batch/single, and the latency from POST to answer of the single POSTs, also of
single articles sent while two 1,000-article batches run.

After each round of single POSTs the same articles are also queued with the workers paused and
then worked off: the queue and the workers with no HTTP traffic (API, clients) on the cores
beside them, which tells the cost of Celery and the job store apart from the cost of serving HTTP
on the same cores.

`--configs` compares worker set-ups, each `WORKERSxCONCURRENCY/PREFETCH[/POOL]` (Celery
workers, tasks at once per worker, prefetch multiplier, and `solo` or `prefork`: by default solo
for one task at a time, as `newsdesk serve` runs them, else prefork), all started up front;
without it `newsdesk serve` starts its own workers. With `--rounds N` the corpus is dealt into
N parts and the ceiling and each set-up take turns on each part (each set-up coming first after
the ceiling in turn), so that load from other processes falls on all alike.

The CPU table splits the CPU time of the single POSTs per article by process: the benchmark's
own clients, the API, the Celery worker main processes (where a solo worker runs its tasks),
the prefork pool processes that run the tasks, Redis, the `serve` supervisor and everything
else on the machine ("others", from the system-wide counters), next to the ceiling's CPU per
article. Other load lowers articles/s, not the split. Last, the peak resident memory of the
largest API, worker and Redis process over the whole run (batches included), against the
memory budgets.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import threading
import time
from collections import Counter
from http.client import HTTPConnection
from queue import Empty, Queue
from urllib.parse import urlsplit

import httpx
import psutil

from corpus import load_corpus
from pipeline import measure
from live_service import LiveService

ROLES = ("client", "api", "worker", "pool", "redis", "serve", "others")


def request(http: HTTPConnection, method: str, path: str, body: dict | None = None) -> dict:
    headers = {"Content-Type": "application/json"}
    http.request(method, path, body=json.dumps(body) if body else None, headers=headers)
    return json.loads(http.getresponse().read())


# --post-waits: clients submit with POST ?wait=25 (one request per article) instead of a POST
# and then GET ?wait=25.
POST_WAITS = False


def post_and_wait(http: HTTPConnection, article: dict) -> dict:
    job = request(http, "POST", "/v1/articles?wait=25" if POST_WAITS else "/v1/articles", article)
    if job["status"] in ("succeeded", "failed"):
        return job
    job_id = job["job_id"]
    while (job := request(http, "GET", f"/v1/jobs/{job_id}?wait=25"))["status"] not in ("succeeded", "failed"):
        pass
    return job


def singles(url: str, articles: list[dict], clients: int) -> dict:
    """Each client posts an article and long-polls it until it is done, then takes the next."""
    todo: Queue = Queue()
    for article in articles:
        todo.put(article)
    failures, latencies = [], []

    def client() -> None:
        # http.client on one kept-alive connection: a third of the CPU httpx needs per request,
        # and these clients share the cores with the service they measure.
        http = HTTPConnection(host, port, timeout=60)
        while True:
            try:
                article = todo.get_nowait()
            except Empty:
                http.close()
                return
            posted = time.perf_counter()
            job = post_and_wait(http, article)
            latencies.append(time.perf_counter() - posted)
            if job["status"] != "succeeded":
                failures.append(job["job_id"])

    host, port = urlsplit(url).hostname, urlsplit(url).port
    began = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures and len(latencies) == len(articles), (failures, len(latencies))
    return {"seconds": time.perf_counter() - began, "latencies": latencies}


def batches(url: str, articles: list[dict]) -> float:
    began = time.perf_counter()
    with httpx.Client(base_url=url, timeout=120, verify=False) as http:
        ids = [http.post("/v1/batches", json={"articles": articles[i:i + 1000]}).json()["batch_id"]
               for i in range(0, len(articles), 1000)]
        for batch_id in ids:
            while set(http.get(f"/v1/batches/{batch_id}").json()["counts"]) - {"succeeded", "failed"}:
                time.sleep(0.05)
    return len(articles) / (time.perf_counter() - began)


def behind_batch(url: str, articles: list[dict]) -> dict:
    """POST to answer of single articles, sent one after another by 2 clients for as long as two
    1,000-article batches run: what a worker holding messages ahead makes them wait."""
    done, latencies = threading.Event(), []

    def client(first: int) -> None:
        http = HTTPConnection(urlsplit(url).hostname, urlsplit(url).port, timeout=60)
        for article in itertools.islice(itertools.cycle(articles), first, None):
            if done.is_set():
                break
            posted = time.perf_counter()
            post_and_wait(http, article)
            latencies.append(time.perf_counter() - posted)
        http.close()

    with httpx.Client(base_url=url, timeout=120, verify=False) as http:
        ids = [http.post("/v1/batches", json={"articles": (articles * 1000)[:1000]}).json()["batch_id"]
               for _ in range(2)]
        threads = [threading.Thread(target=client, args=(first,)) for first in (0, len(articles) // 2)]
        for thread in threads:
            thread.start()
        for batch_id in ids:
            while set(http.get(f"/v1/batches/{batch_id}").json()["counts"]) - {"succeeded", "failed"}:
                time.sleep(0.05)
        done.set()
        for thread in threads:
            thread.join()
    latencies.sort()
    return {"p95_s": statistics.quantiles(latencies, n=20, method="inclusive")[18], "max_s": latencies[-1]}


def drained(service: LiveService, articles: list[dict]) -> dict:
    """The same articles queued while the workers are paused, then worked off: the queue and the
    workers on their own, with no HTTP traffic beside them (one long poll per job after the end).
    Returns the seconds from resuming the workers to the last job done and the workers' CPU."""
    workers = [p for role in ("worker", "pool") for p in service.processes().get(role, [])]
    host, port = urlsplit(service.url).hostname, urlsplit(service.url).port
    for process in workers:
        process.suspend()
    try:
        http = HTTPConnection(host, port, timeout=60)
        ids = [request(http, "POST", "/v1/articles", article)["job_id"] for article in articles]
        http.close()
    finally:
        before = service.cpu_seconds()
        began = time.perf_counter()
        for process in workers:
            process.resume()
    http = HTTPConnection(host, port, timeout=60)
    for job_id in ids:
        while request(http, "GET", f"/v1/jobs/{job_id}?wait=25")["status"] not in ("succeeded", "failed"):
            pass
    seconds = time.perf_counter() - began
    http.close()
    used = service.cpu_seconds()
    used.subtract(before)
    return {"seconds": seconds, "articles": len(articles), "worker_cpu": used["worker"] + used["pool"]}


def cpu_snapshot(service: LiveService) -> Counter:
    """CPU seconds so far per role; `busy` is the whole machine's (all but idle and iowait)."""
    used = service.cpu_seconds()
    me = psutil.Process().cpu_times()
    used["client"] = me.user + me.system
    machine = psutil.cpu_times()
    used["busy"] = machine.user + machine.nice + machine.system + machine.irq + machine.softirq + machine.steal
    return used


def start(workers: int, concurrency: int | None, prefetch: int | None, pool: str | None,
          articles: list[dict]) -> LiveService:
    service = LiveService(workers=workers, concurrency=concurrency, prefetch=prefetch, pool=pool)
    # Untimed: every pool process has run a task (as the ceiling warms up before it times).
    singles(service.url, articles[:4 * workers * (concurrency or 1)], 8)
    return service


def timed_singles(service: LiveService, articles: list[dict], clients: int) -> dict:
    """Single POSTs, with the CPU seconds each role spent meanwhile."""
    before = cpu_snapshot(service)
    run = singles(service.url, articles, clients)
    used = cpu_snapshot(service)
    used.subtract(before)
    used["others"] = used.pop("busy") - sum(used[role] for role in ROLES if role != "others")
    return run | {"cpu": used, "articles": len(articles)}


def combine(runs: list[dict], drains: list[dict], batch: float | None, behind: dict | None) -> dict:
    articles = sum(run["articles"] for run in runs)
    drained_articles = sum(d["articles"] for d in drains)
    latencies = [latency for run in runs for latency in run["latencies"]]
    quantiles = statistics.quantiles(latencies, n=20, method="inclusive")
    cpu = sum((run["cpu"] for run in runs), Counter())
    return {"rate": articles / sum(run["seconds"] for run in runs), "p50_s": quantiles[9],
            "p95_s": quantiles[18], "max_s": max(latencies), "batch": batch, "behind_batch": behind,
            "drained": drained_articles / sum(d["seconds"] for d in drains),
            "drained_worker_cpu_ms": sum(d["worker_cpu"] for d in drains) / drained_articles * 1000,
            "cpu_ms": {role: cpu[role] / articles * 1000 for role in ROLES}}


def parse_config(text: str) -> tuple[int, int, int, str | None]:
    workers, rest = text.split("x")
    concurrency, prefetch, *pool = rest.split("/")
    return int(workers), int(concurrency), int(prefetch), pool[0] if pool else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--configs", help="e.g. 2x1/1,1x2/1,2x1/4,2x1/1/prefork: workers x concurrency / prefetch [/ pool]")
    parser.add_argument("--rounds", type=int, default=1, help="turns the ceiling and the configs take")
    parser.add_argument("--no-batches", action="store_true")
    parser.add_argument("--post-waits", action="store_true",
                        help="clients POST ?wait=25 (one request per article), not POST then GET ?wait=25")
    args = parser.parse_args()
    global POST_WAITS
    POST_WAITS = args.post_waits
    articles = load_corpus(args.data) * args.repeat
    configs = ([parse_config(text) for text in args.configs.split(",")] if args.configs
               else [(args.workers, None, None, None)])
    processes = {w * (c or 1) for w, c, _, _ in configs}
    assert len(processes) == 1, "every config must run as many pool processes as the ceiling"
    processes = processes.pop()

    parts = [articles[i::args.rounds] for i in range(args.rounds)]
    services: dict[str, LiveService] = {}
    try:
        for w, c, p, pool in configs:
            name = f"{w}x{c or 1}/{p or 1}" + (f"/{pool}" if pool else "") + (" (serve)" if c is p is None else "")
            services[name] = start(w, c, p, pool, articles)
        ceilings, runs, drains = [], {name: [] for name in services}, {name: [] for name in services}
        names = list(services)
        for turn, part in enumerate(parts):
            ceilings.append(measure(part, processes, 1))
            for name in names[turn % len(names):] + names[:turn % len(names)]:  # each goes first in turn
                runs[name].append(timed_singles(services[name], part, args.clients))
                drains[name].append(drained(services[name], part))
        ceilings.append(measure(parts[0], processes, 1))
        rows = {name: combine(runs[name], drains[name], None, None) if args.no_batches else
                combine(runs[name], drains[name], batches(service.url, articles), behind_batch(service.url, articles))
                for name, service in services.items()}
        memory = {name: service.peak_rss_mb() for name, service in services.items()}
    finally:
        for service in services.values():
            service.stop()
    # Articles over seconds across all the turns (parts of a small corpus can differ a lot).
    ceiling = sum(c["articles"] for c in ceilings) / sum(c["articles"] / c["articles_per_s"] for c in ceilings)
    ceiling_cpu = statistics.fmean(c["cpu_ms_per_article"] for c in ceilings)
    report(args, articles, processes, ceilings, ceiling, ceiling_cpu, rows, memory)


def report(args, articles, processes, ceilings, ceiling, ceiling_cpu, rows, memory) -> None:
    print(f"{len(articles)} articles, {processes} pool processes, {args.clients} clients, "
          f"{psutil.cpu_count()} cores")
    rates = ", ".join(f"{c['articles_per_s']:.1f}" for c in ceilings)
    print(f"ceiling (in-process): {rates} articles/s (before each round and after; ratios use all of them, "
          f"{ceiling:.1f}), {ceiling_cpu:.1f} ms CPU per article")
    print(f"{'workers x conc / prefetch':<26} {'articles/s':>10} {'ratio':>6} {'p50 s':>6} {'p95 s':>6} "
          f"{'max s':>6} {'batch/s':>8} {'ratio':>6} {'batch/single':>12} {'behind a batch: p95 s':>21} {'max s':>6}")
    for name, row in rows.items():
        batch = (f"{row['batch']:>8.1f} {row['batch'] / ceiling:>6.2f} {row['batch'] / row['rate']:>12.2f} "
                 f"{row['behind_batch']['p95_s']:>21.2f} {row['behind_batch']['max_s']:>6.2f}"
                 if row["batch"] else f"{'-':>8} {'-':>6} {'-':>12} {'-':>21} {'-':>6}")
        print(f"{name:<26} {row['rate']:>10.1f} {row['rate'] / ceiling:>6.2f} {row['p50_s']:>6.2f} "
              f"{row['p95_s']:>6.2f} {row['max_s']:>6.2f} {batch}")
    print("queued while the workers were paused, then worked off (no HTTP beside the workers):")
    for name, row in rows.items():
        print(f"{name:<26} {row['drained']:>10.1f} articles/s = {row['drained'] / ceiling:.2f} of the ceiling; "
              f"workers' CPU {row['drained_worker_cpu_ms']:.1f} ms per article (ceiling {ceiling_cpu:.1f})")
    print("CPU ms per article, single POSTs:")
    print(f"{'workers x conc / prefetch':<26} " + " ".join(f"{role:>7}" for role in ROLES)
          + f" {'ours':>7} {'ceiling':>8} {'ceiling/ours':>12}")
    for name, row in rows.items():
        ours = sum(row["cpu_ms"][role] for role in ROLES if role != "others")
        print(f"{name:<26} " + " ".join(f"{row['cpu_ms'][role]:>7.1f}" for role in ROLES)
              + f" {ours:>7.1f} {ceiling_cpu:>8.1f} {ceiling_cpu / ours:>12.2f}")
    print("peak RSS MB of the largest process per role (budgets: an API process 100, a worker 500):")
    for name, peaks in memory.items():
        print(f"{name:<26} " + ", ".join(f"{role} {mb:.0f}" for role, mb in sorted(peaks.items())))
    print(json.dumps({"ceilings": [c["articles_per_s"] for c in ceilings], "ceiling": ceiling,
                      "ceiling_cpu_ms": ceiling_cpu, "configs": rows, "peak_rss_mb": memory}))


if __name__ == "__main__":
    main()
