"""One API process's memory under the largest requests it accepts (issue #6: under 100 MB RSS).

Starts the API under gunicorn as `newsdesk serve` does, with one worker process (and its
NEWSDESK_API_THREADS threads), against a Redis of its own, and sends it in turn: an article just
under NEWSDESK_MAX_BODY_BYTES, plain and gzip-encoded; a batch of 1,000 articles just under
NEWSDESK_MAX_BATCH_BYTES, plain, gzip-encoded and with an Idempotency-Key; several of each at
once; and GETs of a 1M-character article's result, of a 1,000-job batch and of a job list. Texts
are the benchmark corpus (seeds, CNN/DailyMail, DaNewsroom) concatenated, never random bytes.

    .venv/bin/python bench/api_memory.py [--data ../shared/data] [--concurrent 4]

For each request kind: the peak RSS of the API process while it ran (VmHWM, reset before each
kind through /proc/<pid>/clear_refs), and its RSS two seconds after the answers; the first row
is the process after 20 small articles. The kinds go in turn to the same process (does memory
come back, or build up?), or with --fresh each to a new one after the same warm-up (the peak of
that kind alone). The large result is made by running the pipeline once in this process and
stored through the job store. No Celery workers run: jobs just queue, and the Redis is emptied
after each kind of POST.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import load_corpus  # noqa: E402
from newsdesk.embedded_redis import EmbeddedRedis  # noqa: E402
from newsdesk.settings import Settings  # noqa: E402
from newsdesk.supervisor import api_argv  # noqa: E402

JSON = {"Content-Type": "application/json"}


# --------------------------------------------------------------------------- bodies

def text_of(corpus: list[dict], size: int, start: int = 0) -> str:
    """Corpus articles one after another, cut to `size` UTF-8 bytes (or a little less)."""
    parts, total, i = [], 0, start
    while total < size:
        text = corpus[i % len(corpus)]["text"] + "\n\n"
        parts.append(text)
        total += len(text.encode())
        i += 1
    return "".join(parts).encode()[:size].decode("utf-8", "ignore")


def encoded(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode()


def fitted(document, size: int, limit: int) -> bytes:
    """`document(size)` encoded, its size brought just under `limit` bytes (JSON escapes the
    texts' newlines and quotes, so the text's size alone does not tell)."""
    for _ in range(5):
        body = encoded(document(size))
        if limit - 2000 < len(body) <= limit:
            return body
        size -= (len(body) - limit + 1000) // max(1, len(body) // size)
    raise RuntimeError(f"no body of {limit} bytes")


def article_body(corpus: list[dict], limit: int) -> bytes:
    return fitted(lambda size: {"text": text_of(corpus, size), "language": "auto"}, limit, limit)


def batch_body(corpus: list[dict], limit: int, count: int = 1000) -> bytes:
    def batch(size: int) -> dict:
        return {"articles": [{"text": text_of(corpus, size, i), "language": "auto"} for i in range(count)]}
    return fitted(batch, limit // count, limit)


# --------------------------------------------------------------------------- the API process

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_kb(pid: int, field: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} for {pid}")


def reset_peak(pid: int) -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # VmHWM := VmRSS


def api_worker_pid(master: int) -> int:
    for _ in range(100):
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True).stdout
        if out.split():
            return int(out.split()[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def wait_ready(url: str) -> None:
    for _ in range(300):
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the API did not start")


# --------------------------------------------------------------------------- requests

def at_once(requests: list) -> list[int]:
    """Send the requests at the same time, each on a connection of its own; their statuses."""
    statuses = [0] * len(requests)

    def send(i: int) -> None:
        with httpx.Client(timeout=300) as client:
            statuses[i] = requests[i](client).status_code

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def post(url: str, body: bytes, gzipped: bool = False, key: str | None = None):
    headers = dict(JSON)
    if gzipped:
        body, headers["Content-Encoding"] = gzip.compress(body, 6), "gzip"
    if key:
        headers["Idempotency-Key"] = key
    return lambda client: client.post(url, content=body, headers=headers)


def get(url: str):
    return lambda client: client.get(url)


def measure(pid: int, name: str, requests: list, size: int) -> dict:
    reset_peak(pid)
    began = time.monotonic()
    statuses = at_once(requests)
    seconds = time.monotonic() - began
    peak = rss_kb(pid, "VmHWM")
    time.sleep(2)
    return {"kind": name, "body_mb": size / 1e6, "statuses": sorted(set(statuses)), "seconds": seconds,
            "peak_mb": peak / 1024, "after_mb": rss_kb(pid) / 1024}


# --------------------------------------------------------------------------- a real large result

def large_result_job(url: str, redis_url: str, corpus: list[dict], limit: int) -> str:
    """A job for a 1M-character English article, with the pipeline's own result stored."""
    from newsdesk.job_store import JobStore
    from worker.pipeline.analyze import analyze_article

    body = article_body([a for a in corpus if a.get("language") == "en"], limit)
    text = json.loads(body)["text"]
    job_id = httpx.post(url + "/v1/articles", content=encoded({"text": text, "language": "en"}), headers=JSON,
                        timeout=60).json()["job_id"]
    settings = Settings.from_env(dict(os.environ, REDIS_URL=redis_url))
    store = JobStore(settings.redis_client(), settings.result_ttl_seconds, settings.max_queued_per_key)
    store.start(job_id)
    store.succeed(job_id, analyze_article({"text": text, "language": "en"}))
    return job_id


def small_batch(url: str, corpus: list[dict]) -> str:
    articles = [{"text": corpus[i % len(corpus)]["text"][:500], "language": "auto"} for i in range(1000)]
    return httpx.post(url + "/v1/batches", json={"articles": articles}, timeout=120).json()["batch_id"]


# --------------------------------------------------------------------------- main

def table(rows: list[dict]) -> str:
    lines = [f"{'request':<44} {'body MB':>8} {'status':>9} {'s':>6} {'peak RSS MB':>12} {'after MB':>9}"]
    for r in rows:
        status = ",".join(map(str, r["statuses"]))
        lines.append(f"{r['kind']:<44} {r['body_mb']:>8.1f} {status:>9} {r['seconds']:>6.2f} "
                     f"{r['peak_mb']:>12.1f} {r['after_mb']:>9.1f}")
    return "\n".join(lines)


def cases(url: str, corpus: list[dict], settings: Settings, concurrent: int) -> list[tuple]:
    article = article_body(corpus, settings.max_body_bytes)
    batch = batch_body(corpus, settings.max_batch_bytes)
    one, many = url + "/v1/articles", url + "/v1/batches"
    return [
        ("article (1 MB)", [post(one, article)], len(article)),
        ("article, gzip", [post(one, article, gzipped=True)], len(article)),
        (f"{4 * concurrent} articles at once", [post(one, article)] * (4 * concurrent), len(article)),
        ("batch (1,000 articles)", [post(many, batch)], len(batch)),
        ("batch, gzip", [post(many, batch, gzipped=True)], len(batch)),
        ("batch, Idempotency-Key", [post(many, batch, key="bench-batch")], len(batch)),
        (f"{concurrent} batches at once", [post(many, batch)] * concurrent, len(batch)),
        (f"{concurrent} gzip batches at once", [post(many, batch, gzipped=True)] * concurrent, len(batch)),
    ]


class Api:
    """The API under gunicorn with one worker process, on `port`; restart() gives a fresh one."""

    def __init__(self, env: dict, port: int):
        self.env, self.port, self.url = env, port, f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None
        self.pid = 0

    def restart(self) -> "Api":
        self.stop()
        self.process = subprocess.Popen(api_argv("127.0.0.1", self.port, 1), env=self.env, cwd=ROOT,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_ready(self.url)
        self.pid = api_worker_pid(self.process.pid)
        return self

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="the shared data folder (CNN/DM and DaNewsroom articles)")
    parser.add_argument("--concurrent", type=int, default=4, help="large requests sent at once")
    parser.add_argument("--fresh", action="store_true",
                        help="a new API process for each kind (after a warm-up), not one for all in turn")
    args = parser.parse_args(argv)
    corpus = load_corpus(args.data)
    settings = Settings.from_env()
    tmp = Path(tempfile.mkdtemp(prefix="newsdesk-api-memory-"))
    with EmbeddedRedis(tmp, tmp / "r.sock", port=free_port()) as server:
        env = dict(os.environ, REDIS_URL=server.url, NEWSDESK_DATA_DIR=str(tmp), NEWSDESK_LOG_LEVEL="WARNING",
                   NEWSDESK_RATE_LIMIT_PER_MINUTE="1000000", NEWSDESK_MAX_QUEUED_PER_KEY="100000",
                   PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        env.pop("NEWSDESK_BROKER_URL", None)
        api = Api(env, free_port()).restart()
        try:
            rows = run(api, server, corpus, settings, args.concurrent, args.fresh)
        finally:
            api.stop()
    print(f"one API process ({'a new one for each kind' if args.fresh else 'the same for all'}), "
          f"{os.environ.get('NEWSDESK_API_THREADS', '16')} threads; NEWSDESK_MAX_BODY_BYTES={settings.max_body_bytes}, "
          f"NEWSDESK_MAX_BATCH_BYTES={settings.max_batch_bytes}")
    print(table(rows))
    return 0


def run(api: Api, server: EmbeddedRedis, corpus: list[dict], settings: Settings, concurrent: int,
        fresh: bool) -> list[dict]:
    import redis

    client, url = redis.Redis.from_url(server.url), api.url
    warm_up = ("warm-up: 20 small articles", [post(url + "/v1/articles", encoded(corpus[i])) for i in range(20)], 0)
    job_id = large_result_job(url, server.url, corpus, settings.max_body_bytes)
    batch_id = small_batch(url, corpus)
    gets = [("GET job with a 1M-character article's result", [get(f"{url}/v1/jobs/{job_id}")], 0),
            (f"{4 * concurrent} such GETs at once", [get(f"{url}/v1/jobs/{job_id}")] * 4 * concurrent, 0),
            ("GET batch of 1,000 jobs", [get(f"{url}/v1/batches/{batch_id}")], 0),
            ("GET /v1/jobs?limit=100", [get(f"{url}/v1/jobs?limit=100")], 0)]
    rows = [measure(api.pid, *warm_up)]
    for name, requests, size in gets + cases(url, corpus, settings, concurrent):
        if fresh:
            api.restart()
            measure(api.pid, *warm_up)
        rows.append(measure(api.pid, name, requests, size))
        if size:
            client.flushdb()  # our own Redis: the next kind starts with none of these jobs
        print(table(rows[-1:]).splitlines()[1], file=sys.stderr, flush=True)
    return rows


if __name__ == "__main__":
    sys.exit(main())
