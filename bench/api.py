"""Benchmark 3: request rate and p50/p95/p99 latency of POST /v1/articles and GET /v1/jobs/<id>
under wrk on loopback, with gunicorn as in production, next to a bare Flask endpoint doing one
Redis round trip on the same server settings.

    .venv/bin/python bench/api.py [--seconds 10] [--connections 32] [--api-workers 2]

Needs `wrk` (Debian: apt-get install wrk). No Celery workers run: jobs just queue.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from service import free_port

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsdesk.embedded_redis import EmbeddedRedis  # noqa: E402

LUA = """
wrk.method = "{method}"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
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


def wrk(url: str, method: str, body: str | None, seconds: int, connections: int, tmp: Path) -> dict:
    script = tmp / f"{method}.lua"
    # A Lua long string keeps the UTF-8 JSON body byte for byte.
    script.write_text(LUA.format(method=method, body=f"[==[{body}]==]" if body else "nil"), encoding="utf-8")
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", str(script), url],
                         capture_output=True, text=True, check=True).stdout
    rate, p50, p95, p99, bad_status, socket_errors = re.search(r"RESULT (\S+) (\S+) (\S+) (\S+) (\d+) (\d+)", out).groups()
    return {"rate": float(rate), "p50_ms": float(p50), "p95_ms": float(p95), "p99_ms": float(p99),
            "non_2xx": int(bad_status), "socket_errors": int(socket_errors)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--api-workers", type=int, default=2)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="newsdesk-api-bench-"))
    seed = json.dumps(json.loads((ROOT / "seeds" / "da-kim-jong-un-rusland.json").read_text(encoding="utf-8")),
                      ensure_ascii=False)
    with EmbeddedRedis(tmp, tmp / "r.sock") as redis_server:
        env = dict(os.environ, REDIS_URL=redis_server.url, NEWSDESK_DATA_DIR=str(tmp),
                   NEWSDESK_LOG_LEVEL="WARNING", NEWSDESK_RATE_LIMIT_PER_MINUTE="100000000",
                   NEWSDESK_MAX_QUEUED_PER_KEY="100000000", PYTHONPATH=str(ROOT))
        real_port, bare_port = free_port(), free_port()
        servers = [gunicorn("service.wsgi:app", real_port, args.api_workers, env),
                   gunicorn("bare_app:app", bare_port, args.api_workers, env)]
        try:
            real = f"http://127.0.0.1:{real_port}"
            job = httpx.post(real + "/v1/articles", content=seed, headers={"Content-Type": "application/json"}).json()
            rows = {
                "bare Flask + 1 Redis GET": wrk(f"http://127.0.0.1:{bare_port}/bare", "GET", None,
                                                args.seconds, args.connections, tmp),
                "GET /v1/jobs/<id>": wrk(f"{real}/v1/jobs/{job['job_id']}", "GET", None,
                                        args.seconds, args.connections, tmp),
                "POST /v1/articles": wrk(f"{real}/v1/articles", "POST", seed, args.seconds, args.connections, tmp),
            }
        finally:
            for server in servers:
                server.terminate()
                server.wait()
    bare = rows["bare Flask + 1 Redis GET"]["rate"]
    print(f"gunicorn gthread, {args.api_workers} workers; wrk 2 threads, {args.connections} connections, {args.seconds}s")
    print(f"{'endpoint':<26} {'req/s':>8} {'vs bare':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'non-2xx':>8}")
    for name, row in rows.items():
        print(f"{name:<26} {row['rate']:>8.0f} {row['rate'] / bare:>8.2f} {row['p50_ms']:>7.2f} "
              f"{row['p95_ms']:>7.2f} {row['p99_ms']:>7.2f} {row['non_2xx']:>8}")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
