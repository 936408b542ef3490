"""Fair share between API keys: a light key's one article while heavy keys have long queues.

    .venv/bin/python bench/fairness.py [--workers 2] [--flood 1000] [--heavy 1]

Runs `newsdesk serve` with `--workers` workers and `--heavy` + 1 API keys. Each heavy key submits
`--flood` small articles (as fast as one client can), then the light key submits one article.
Prints, for the light key's job, how long it took from its submit to its end and how many of
the heavy keys' jobs ended before it, and the time for the heavy keys' backlog to drain.
The count is what matters (the seconds scale with the articles' size: a 1M-character article
takes about 10 s in a worker, a small one about 10 ms).
"""

from __future__ import annotations

import argparse
import time

import httpx
import redis

from live_service import LiveService

KEY = "bench-fairness-key-{}-0123456789"


def submit(http: httpx.Client, key: str, text: str) -> str:
    answer = http.post("/v1/articles", json={"text": text, "language": "da"},
                       headers={"Authorization": f"Bearer {key}"})
    answer.raise_for_status()
    return answer.json()["job_id"]


def ends(store: redis.Redis, job_ids: list[str]) -> list[tuple[str | None, str | None]]:
    """(created_at, finished_at) of each job, as Redis holds them."""
    with store.pipeline(transaction=False) as pipe:
        for job_id in job_ids:
            pipe.hmget(f"newsdesk:job:{job_id}", "created_at", "finished_at")
        return [tuple(raw.decode() if raw else None for raw in pair) for pair in pipe.execute()]


def wait_all(store: redis.Redis, job_ids: list[str]) -> list[tuple[str | None, str | None]]:
    while True:
        times = ends(store, job_ids)
        if all(end for _, end in times):
            return times
        time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--flood", type=int, default=1000)
    parser.add_argument("--heavy", type=int, default=1)
    args = parser.parse_args()
    keys = [KEY.format(n) for n in range(args.heavy + 1)]
    service = LiveService(workers=args.workers, NEWSDESK_API_KEYS=",".join(keys))
    try:
        store = redis.Redis.from_url(service.redis_url)
        with httpx.Client(base_url=service.url, timeout=30) as http:
            began = time.monotonic()
            heavy = [submit(http, key, f"Nyhed nummer {n} om Danmark og Rusland.")
                     for n in range(args.flood) for key in keys[:-1]]
            flooded = time.monotonic()
            light = submit(http, keys[-1], "En enkelt nyhed om Danmark.")
            light_submitted = time.monotonic()
            wait_all(store, [light])
            light_done = time.monotonic()
            heavy_times = wait_all(store, heavy)
            drained = time.monotonic()
            ((light_created, light_end),) = ends(store, [light])
    finally:
        service.stop()
    # By the timestamps the API and the workers (on this one machine) wrote.
    waiting = sum(end > light_created for _, end in heavy_times)
    ahead = sum(light_created < end < light_end for _, end in heavy_times)
    print(f"{'workers':>7} {'heavy keys':>10} {'flood':>6} {'submit s':>8} {'light wait s':>12} "
          f"{'heavy jobs not ended at its submit':>34} {'of them ended before it':>23} {'drain s':>8}")
    print(f"{args.workers:>7} {args.heavy:>10} {args.flood:>6} {flooded - began:>8.1f} "
          f"{light_done - light_submitted:>12.2f} {waiting:>34} {ahead:>23} {drained - began:>8.1f}")

if __name__ == "__main__":
    main()
