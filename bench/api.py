"""Benchmark 3: request rate and p50/p95/p99 latency of POST /v1/articles and GET /v1/jobs/<id>
under wrk on loopback, with gunicorn as in production, next to bare Flask endpoints doing one
Redis round trip on the same server settings (bench/bare_app.py).

    .venv/bin/python bench/api.py [--seconds 10] [--rounds 5] [--connections 32] [--api-workers 2]

`vs bare GET` is the yardstick of issue #6 (at least 0.7 for both real endpoints); `vs bare POST`
compares the submits with a bare endpoint that reads the same JSON body and writes it to Redis.
The last row sends a fresh Idempotency-Key with every POST, as the Python client does.

The endpoints take turns in `--rounds` slices of the run, so that load from other processes
falls on all of them alike; `API`/`Redis µs/req` are the CPU time the gunicorn processes and the
Redis server spent per request, which other load does not change.

Needs `wrk` (Debian: apt-get install wrk). No Celery workers run: jobs just queue.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import redis

from live_service import free_port

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsdesk.embedded_redis import EmbeddedRedis  # noqa: E402

LUA = """
wrk.method = "{method}"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
{extra}
done = function(summary, latency, requests)
  io.write(string.format("RESULT %f %f %f %f %d %d\\n", summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def gunicorn(app: str, port: int, workers: int, env: dict) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:service.gunicorn_conf", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--chdir", str(ROOT / "bench"), app],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    for _ in range(300):
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{app} did not start")


# Every request with an Idempotency-Key of its own: the slice, a thread number and a counter.
FRESH_KEYS = """
local threads = 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
local n = 0
function request()
  n = n + 1
  local key = "SLICE-" .. tid .. "-" .. n
  return wrk.format(nil, nil, {["Content-Type"] = "application/json", ["Idempotency-Key"] = key})
end
"""


def wrk(url: str, method: str, body: str | None, seconds: int, connections: int, tmp: Path,
        extra: str = "") -> dict:
    script = tmp / f"{method}.lua"
    # A Lua long string keeps the UTF-8 JSON body byte for byte.
    script.write_text(LUA.format(method=method, body=f"[==[{body}]==]" if body else "nil", extra=extra),
                      encoding="utf-8")
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(script), url],
                         capture_output=True, text=True, check=True).stdout
    rate, p50, p95, p99, bad_status, socket_errors = re.search(r"RESULT (\S+) (\S+) (\S+) (\S+) (\d+) (\d+)", out).groups()
    return {"rate": float(rate), "p50_ms": float(p50), "p95_ms": float(p95), "p99_ms": float(p99),
            "non_2xx": int(bad_status), "socket_errors": int(socket_errors)}


def cpu_seconds(pid: int) -> float:
    """CPU time used so far by a process and its children (Linux /proc; 0 elsewhere)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return sum(_own_cpu_seconds(p) for p in [pid, *map(int, children)])
    except OSError:
        return 0.0


def _own_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def redis_cpu_seconds(client: redis.Redis) -> float:
    info = client.info("cpu")
    return info["used_cpu_user"] + info["used_cpu_sys"]


def measure(run: tuple, server: subprocess.Popen, store: redis.Redis, args, tmp: Path, label: str) -> dict:
    """One slice of one endpoint: wrk's numbers and the CPU the API and Redis spent on it."""
    url, method, body, extra = run
    api, db = cpu_seconds(server.pid), redis_cpu_seconds(store)
    row = wrk(url, method, body, args.seconds // args.rounds, args.connections, tmp, extra.replace("SLICE", label))
    row["requests"] = row["rate"] * (args.seconds // args.rounds)
    row["api_cpu"], row["redis_cpu"] = cpu_seconds(server.pid) - api, redis_cpu_seconds(store) - db
    return row


def combine(slices: list[dict]) -> dict:
    """The slices of one endpoint as one row: rates and CPU over all of them, latency medians."""
    requests = sum(row["requests"] for row in slices)
    median = lambda name: statistics.median(row[name] for row in slices)  # noqa: E731
    return {"rate": statistics.fmean(row["rate"] for row in slices),
            "p50_ms": median("p50_ms"), "p95_ms": median("p95_ms"), "p99_ms": median("p99_ms"),
            "non_2xx": sum(row["non_2xx"] for row in slices),
            "socket_errors": sum(row["socket_errors"] for row in slices),
            "api_us": sum(row["api_cpu"] for row in slices) / requests * 1e6,
            "redis_us": sum(row["redis_cpu"] for row in slices) / requests * 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="per endpoint, over all rounds")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--api-workers", type=int, default=2)
    args = parser.parse_args()
    args.rounds = max(1, min(args.rounds, args.seconds))
    tmp = Path(tempfile.mkdtemp(prefix="newsdesk-api-bench-"))
    seed = json.dumps(json.loads((ROOT / "seeds" / "da-kim-jong-un-rusland.json").read_text(encoding="utf-8")),
                      ensure_ascii=False)
    with EmbeddedRedis(tmp, tmp / "r.sock") as redis_server:
        env = dict(os.environ, REDIS_URL=redis_server.url, NEWSDESK_DATA_DIR=str(tmp),
                   NEWSDESK_LOG_LEVEL="WARNING", NEWSDESK_RATE_LIMIT_PER_MINUTE="100000000",
                   NEWSDESK_MAX_QUEUED_PER_KEY="100000000", PYTHONPATH=str(ROOT))
        real_port, bare_port = free_port(), free_port()
        real_server = gunicorn("service.wsgi:app", real_port, args.api_workers, env)
        bare_server = gunicorn("bare_app:app", bare_port, args.api_workers, env)
        store = redis.Redis.from_url(redis_server.url)
        try:
            real = f"http://127.0.0.1:{real_port}"
            job = httpx.post(real + "/v1/articles", content=seed, headers={"Content-Type": "application/json"}).json()
            bare_url = f"http://127.0.0.1:{bare_port}/bare"
            runs = {
                "bare Flask + 1 Redis GET": ((bare_url, "GET", None, ""), bare_server),
                "bare Flask + 1 Redis SET": ((bare_url, "POST", seed, ""), bare_server),
                "GET /v1/jobs/<id>": ((f"{real}/v1/jobs/{job['job_id']}", "GET", None, ""), real_server),
                "POST /v1/articles": ((f"{real}/v1/articles", "POST", seed, ""), real_server),
                "POST + Idempotency-Key": ((f"{real}/v1/articles", "POST", seed, FRESH_KEYS), real_server),
            }
            slices = {name: [] for name in runs}
            for round_ in range(args.rounds):
                for name, (run, server) in runs.items():
                    slices[name].append(measure(run, server, store, args, tmp, f"bench{round_}"))
        finally:
            for server in (real_server, bare_server):
                server.terminate()
                server.wait()
    report({name: combine(rows) for name, rows in slices.items()}, args)


def report(rows: dict, args) -> None:
    bare_get, bare_post = rows["bare Flask + 1 Redis GET"]["rate"], rows["bare Flask + 1 Redis SET"]["rate"]
    print(f"gunicorn gthread, {args.api_workers} workers; wrk 2 threads, {args.connections} connections, "
          f"{args.seconds}s per endpoint in {args.rounds} turns")
    print(f"{'endpoint':<26} {'req/s':>7} {'vs bare GET':>12} {'vs bare POST':>13} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'p99 ms':>7} {'non-2xx':>8} {'API µs/req':>11} {'Redis µs/req':>13}")
    for name, row in rows.items():
        post = f"{row['rate'] / bare_post:.2f}" if "POST" in name or "SET" in name else "-"
        print(f"{name:<26} {row['rate']:>7.0f} {row['rate'] / bare_get:>12.2f} {post:>13} {row['p50_ms']:>7.2f} "
              f"{row['p95_ms']:>7.2f} {row['p99_ms']:>7.2f} {row['non_2xx']:>8} {row['api_us']:>11.0f} "
              f"{row['redis_us']:>13.0f}")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
