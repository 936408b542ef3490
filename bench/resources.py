"""Long-run resource use of the live service under varied load, sampled every --sample seconds.

Runs the API under gunicorn (as `newsdesk serve` starts it), --workers Celery workers and a Redis
of its own (TCP on a free port, so that it can be looked at while the run goes on), with a short
retention (NEWSDESK_RESULT_TTL_SECONDS=60 by default) so that jobs expire during the run. Clients
send single articles (some with `?wait`, some with an Idempotency-Key, new or reused, some with
a webhook), batches, long polls that time out and long polls whose client hangs up mid-wait,
GETs of unknown ids, job listings, cancels and deletes, and invalid requests. A local webhook
receiver takes turns being up, slow (past the webhook timeout), failing (503) and down.

    .venv/bin/python bench/resources.py [--minutes 20] [--clients 4] [--data ../shared/data]
                                        [--samples samples.jsonl] [--idle 180]

Every sample: RSS, threads and open fds of each gunicorn worker and each Celery worker; Redis's
DBSIZE, used_memory, connected_clients, pub/sub channels and subscribers, and keys by pattern
(with how many have no expiry), the lengths of the indices (leases, queued, webhooks due, the
owner's job list) and how many of their entries name a job that is gone. Prints a table of the
first and the last sample, with the articles processed in between, and with --idle of one more
taken that long after the load stopped (by then every job should have expired).
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import random
import re
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import load_corpus  # noqa: E402
from newsdesk.embedded_redis import EmbeddedRedis  # noqa: E402
from newsdesk.supervisor import api_argv  # noqa: E402

JOB_KEY = "newsdesk:job:"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --------------------------------------------------------------------------- articles

_SYLLABLES = ["ka", "lo", "mir", "zan", "tre", "vok", "sul", "bri", "den", "qua", "rho", "ix", "pel",
              "gar", "nu", "thas", "vel", "dro", "fen", "yul"]


def invented_word(rng: random.Random, parts: int = 3) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)) + rng.choice(string.ascii_lowercase)


def synthetic_article(rng: random.Random) -> dict:
    """An article of words and names never seen before: spaCy's vocabulary grows with each."""
    sentences = []
    for _ in range(rng.randint(4, 9)):
        person = f"{invented_word(rng).title()} {invented_word(rng).title()}"
        place = invented_word(rng, 2).title()
        words = " ".join(invented_word(rng) for _ in range(rng.randint(4, 8)))
        sentences.append(f"{person} said in {place} that the {words} would meet the council on Monday.")
    return {"text": " ".join(sentences), "title": f"{invented_word(rng).title()} visits {invented_word(rng, 2).title()}",
            "language": rng.choice(["en", "auto"])}


def corpus(data: str | None) -> list[dict]:
    articles = load_corpus(data)
    if data:  # more Danish: the first 300 of the train file too
        path = Path(data) / "danewsroom_dansum" / "train1k.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines()[:300]:
            row = json.loads(line)
            articles.append({"text": row["text"], "title": row["title"], "language": "da"})
    return articles


# --------------------------------------------------------------------------- webhook receiver

class Receiver:
    """Takes webhooks; every `period` seconds turns to the next mode: up, slow, failing, down."""

    MODES = ("up", "slow", "failing", "down")

    def __init__(self, port: int, period: float, slow_seconds: float):
        self.port, self.period, self.slow_seconds = port, period, slow_seconds
        self.began = time.monotonic()
        self.received = Counter()
        self.server: http.server.ThreadingHTTPServer | None = None
        self.stopped = threading.Event()

    def mode(self) -> str:
        return self.MODES[int((time.monotonic() - self.began) / self.period) % len(self.MODES)]

    def _handler(self):
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                mode = receiver.mode()
                receiver.received[mode] += 1
                if mode == "slow":
                    time.sleep(receiver.slow_seconds)
                self.send_response(503 if mode == "failing" else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        return Handler

    def run(self) -> None:
        while not self.stopped.is_set():
            if self.mode() == "down":
                if self.server:
                    self.server.shutdown()
                    self.server.server_close()
                    self.server = None
            elif self.server is None:
                self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
                self.server.daemon_threads = True
                threading.Thread(target=self.server.serve_forever, daemon=True).start()
            self.stopped.wait(0.5)
        if self.server:
            self.server.shutdown()
            self.server.server_close()


# --------------------------------------------------------------------------- load

class Load:
    def __init__(self, url: str, articles: list[dict], callback: str):
        self.url, self.articles, self.callback = url, articles, callback
        self.lock = threading.Lock()
        self.done = Counter()
        self.job_ids: list[str] = []
        self.idem_keys: list[tuple[str, dict]] = []

    def article(self, rng: random.Random) -> dict:
        article = dict(rng.choice(self.articles)) if rng.random() < 0.6 else synthetic_article(rng)
        if rng.random() < 0.25:
            article["callback_url"] = self.callback
        return article

    def some_job(self, rng: random.Random) -> str | None:
        with self.lock:
            return rng.choice(self.job_ids[-200:]) if self.job_ids else None

    def remember(self, job_id: str) -> None:
        with self.lock:
            self.job_ids.append(job_id)
            del self.job_ids[:-1000]

    def action(self, http: httpx.Client, rng: random.Random) -> str:
        roll = rng.random()
        if roll < 0.22:
            response = http.post("/v1/articles", json=self.article(rng))
            if response.status_code == 202:
                self.remember(response.json()["job_id"])
            return f"post {response.status_code}"
        if roll < 0.30:
            response = http.post(f"/v1/articles?wait={rng.randint(1, 8)}", json=self.article(rng))
            if response.status_code in (200, 202):
                self.remember(response.json()["job_id"])
            return f"post-wait {response.status_code}"
        if roll < 0.38:
            # An Idempotency-Key: new, or one used before (with its body, or another one).
            with self.lock:
                reuse = self.idem_keys and rng.random() < 0.5
                key, article = rng.choice(self.idem_keys) if reuse else (f"k-{rng.getrandbits(64):x}", self.article(rng))
                if not reuse:
                    self.idem_keys.append((key, article))
                    del self.idem_keys[:-300]
            body = article if rng.random() < 0.8 else self.article(rng)
            response = http.post("/v1/articles", json=body, headers={"Idempotency-Key": key})
            return f"idem {'reuse' if reuse else 'new'} {response.status_code}"
        if roll < 0.43:
            batch = [self.article(rng) for _ in range(rng.randint(2, 12))]
            headers = {"Idempotency-Key": f"b-{rng.getrandbits(64):x}"} if rng.random() < 0.3 else {}
            response = http.post("/v1/batches", json={"articles": batch}, headers=headers)
            if response.status_code == 202:
                for job_id in response.json()["job_ids"]:
                    self.remember(job_id)
                if rng.random() < 0.5:
                    http.get(response.json()["links"]["self"])
            return f"batch {response.status_code}"
        if roll < 0.55:
            job_id = self.some_job(rng)
            if job_id is None:
                return "idle"
            response = http.get(f"/v1/jobs/{job_id}?wait={rng.randint(1, 4)}")
            return f"get-wait {response.status_code}"
        if roll < 0.62:
            self.hang_up_mid_wait(rng)
            return "hang-up"
        if roll < 0.70:
            response = http.get(f"/v1/jobs/{rng.getrandbits(128):032x}" + ("?wait=3" if rng.random() < 0.3 else ""))
            return f"unknown {response.status_code}"
        if roll < 0.76:
            params = {"limit": rng.choice([5, 20, 100])}
            if rng.random() < 0.5:
                params["status"] = rng.choice(["queued", "running", "succeeded", "failed"])
            response = http.get("/v1/jobs", params=params)
            if response.status_code == 200 and response.json()["next_cursor"] and rng.random() < 0.5:
                http.get("/v1/jobs", params=params | {"cursor": response.json()["next_cursor"]})
            return f"list {response.status_code}"
        if roll < 0.82:
            job_id = self.some_job(rng)
            if job_id is None:
                return "idle"
            return f"delete {http.delete(f'/v1/jobs/{job_id}').status_code}"
        if roll < 0.92:
            return f"invalid {self.invalid(http, rng)}"
        job_id = self.some_job(rng)
        return f"get {http.get(f'/v1/jobs/{job_id}').status_code}" if job_id else "idle"

    @staticmethod
    def invalid(http: httpx.Client, rng: random.Random) -> int:
        kind = rng.randrange(6)
        if kind == 0:
            return http.post("/v1/articles", content=b"{not json", headers={"Content-Type": "application/json"}).status_code
        if kind == 1:
            return http.post("/v1/articles", json={"title": "no text"}).status_code
        if kind == 2:
            return http.post("/v1/articles", json={"text": "x", "language": "xx-bad"}).status_code
        if kind == 3:
            return http.get("/v1/jobs/abc?wait=99").status_code
        if kind == 4:
            return http.post("/v1/articles", json={"text": "x"}, headers={"Idempotency-Key": "k" * 300}).status_code
        return http.post("/v1/batches", json={"articles": []}).status_code

    def hang_up_mid_wait(self, rng: random.Random) -> None:
        """A long poll whose client goes away before the answer."""
        job_id = self.some_job(rng) or "x" * 22
        host, port = self.url.removeprefix("http://").rsplit(":", 1)
        with socket.create_connection((host, int(port)), timeout=5) as sock:
            sock.sendall(f"GET /v1/jobs/{job_id}?wait=20 HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            time.sleep(rng.uniform(0.05, 1.0))

    def client(self, seed: int, stop: threading.Event, pause: float) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=self.url, timeout=40) as http:
            while not stop.is_set():
                try:
                    outcome = self.action(http, rng)
                except (httpx.HTTPError, OSError) as exc:
                    outcome = f"error {type(exc).__name__}"
                with self.lock:
                    self.done[outcome] += 1
                stop.wait(rng.uniform(0, 2 * pause))


# --------------------------------------------------------------------------- sampling

def proc_status(pid: int) -> dict:
    fields = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in ("VmRSS", "Threads"):
                fields[name] = int(value.split()[0])
        fds = len(os.listdir(f"/proc/{pid}/fd"))
        sockets = sum(1 for fd in os.listdir(f"/proc/{pid}/fd")
                      if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:"))
    except (FileNotFoundError, ProcessLookupError):
        return {}
    return {"rss_mb": round(fields.get("VmRSS", 0) / 1024, 1), "threads": fields.get("Threads"),
            "fds": fds, "sockets": sockets}


def children_of(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return sorted(int(line) for line in out.split())


_ID = re.compile(r"^[A-Za-z0-9_-]{16,}$")


def pattern(key: str) -> str:
    """A key with its ids (job, batch, idempotency hash, host:pid) replaced by `*`."""
    if key.startswith("newsdesk:workers:"):
        return "newsdesk:workers:*"
    parts = key.split(":")
    return ":".join("*" if _ID.match(part) or part.isdigit() else part for part in parts)


def redis_sample(client: redis.Redis) -> dict:
    info = client.info()
    keys, no_ttl, by_status = Counter(), Counter(), Counter()
    ended_without_ttl = 0
    for raw in client.scan_iter(count=1000):
        key = raw.decode()
        name = pattern(key)
        keys[name] += 1
        ttl = client.ttl(key)
        if ttl == -1:
            no_ttl[name] += 1
        if key.startswith(JOB_KEY):
            status = (client.hget(key, "status") or b"gone").decode()
            by_status[status] += 1
            if status in ("succeeded", "failed") and ttl == -1:
                ended_without_ttl += 1
    indices = {}
    for index in ("newsdesk:leases", "newsdesk:queued", "newsdesk:webhooks:due"):
        members = [m.decode() for m in client.zrange(index, 0, -1)]
        indices[index] = {"entries": len(members), "gone": sum(not client.exists(JOB_KEY + m) for m in members)}
    for raw in client.scan_iter("newsdesk:owner:*", count=1000):
        key = raw.decode()
        members = ([m.decode() for m in client.zrange(key, 0, -1)] if key.endswith(":jobs")
                   else [m.decode() for m in client.smembers(key)])
        indices[key] = {"entries": len(members), "gone": sum(not client.exists(JOB_KEY + m) for m in members),
                        "ttl": client.ttl(key)}
    channels = [c.decode() for c in client.pubsub_channels()]
    return {
        "dbsize": client.dbsize(), "used_memory_mb": round(info["used_memory"] / 2**20, 2),
        "connected_clients": info["connected_clients"], "pubsub_channels": len(channels),
        "pubsub_patterns": info.get("pubsub_patterns", 0),
        "subscribers": {c.decode(): n for c, n in client.pubsub_numsub(*channels)} if channels else {},
        "keys": dict(sorted(keys.items())), "no_ttl": dict(sorted(no_ttl.items())),
        "jobs_by_status": dict(by_status), "ended_jobs_without_ttl": ended_without_ttl, "indices": indices,
    }


def processed(client: redis.Redis) -> int:
    counters = client.hgetall("newsdesk:metrics:counters")
    return int(sum(float(v) for k, v in counters.items()
                   if k.startswith((b"newsdesk_jobs_succeeded_total", b"newsdesk_jobs_failed_total"))))


def sample(client: redis.Redis, api_pid: int, workers: dict[str, subprocess.Popen], began: float) -> dict:
    processes = {f"api-worker-{i}": proc_status(pid) for i, pid in enumerate(children_of(api_pid), 1)}
    processes["api-master"] = proc_status(api_pid)
    for name, worker in workers.items():
        processes[name] = proc_status(worker.pid)
    return {"t": round(time.monotonic() - began), "articles": processed(client), "processes": processes,
            "redis": redis_sample(client)}


def table(*samples: dict | None) -> str:
    """The samples side by side: the first, the last under load and, if taken, the idle one."""
    samples = [s for s in samples if s is not None]
    heads = ["start", "end of the load", "idle after it"][:len(samples)]
    lines = ["| | " + " | ".join(heads) + " |", "|---" * (len(samples) + 1) + "|"]

    def row(name: str, cell) -> None:
        lines.append(f"| {name} | " + " | ".join(cell(s) for s in samples) + " |")

    row("minutes, articles processed", lambda s: f"{s['t'] / 60:.1f}, {s['articles']}")
    for name in sorted({name for s in samples for name in s["processes"]}):
        def process(s, name=name):
            p = s["processes"].get(name)
            return f"{p['rss_mb']} MB, {p['threads']} threads, {p['fds']} fds" if p else "-"
        row(name, process)
    for field in ("dbsize", "used_memory_mb", "connected_clients", "pubsub_channels", "ended_jobs_without_ttl"):
        row(f"Redis {field}", lambda s, field=field: str(s["redis"][field]))
    for name in sorted({name for s in samples for name in s["redis"]["indices"]}):
        def index(s, name=name):
            i = s["redis"]["indices"].get(name)
            return f"{i['entries']} ({i['gone']} gone)" if i else "-"
        row(f"`{name}` entries", index)
    for name in sorted({name for s in samples for name in s["redis"]["keys"]}):
        row(f"keys `{name}` (no TTL)",
            lambda s, name=name: f"{s['redis']['keys'].get(name, 0)} ({s['redis']['no_ttl'].get(name, 0)})")
    return "\n".join(lines)


# --------------------------------------------------------------------------- main

def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=20)
    parser.add_argument("--sample", type=float, default=30, help="seconds between samples")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--pause", type=float, default=0.25, help="mean seconds a client waits between requests")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--api-workers", type=int, default=2)
    parser.add_argument("--retention", type=int, default=60, help="NEWSDESK_RESULT_TTL_SECONDS")
    parser.add_argument("--data", help="the shared data folder (CNN/DM and DaNewsroom articles)")
    parser.add_argument("--samples", help="also write every sample as a JSON line here")
    parser.add_argument("--idle", type=float, default=0,
                        help="after the load, wait this long (e.g. 2.5 x the retention) and sample once more")
    args = parser.parse_args(argv)

    data_dir = Path(tempfile.mkdtemp(prefix="newsdesk-resources-"))
    redis_port, api_port, hook_port = free_port(), free_port(), free_port()
    server = EmbeddedRedis(data_dir, data_dir / "redis.sock", port=redis_port).start()
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    env = dict(os.environ, REDIS_URL=redis_url, NEWSDESK_DATA_DIR=str(data_dir),
               NEWSDESK_RESULT_TTL_SECONDS=str(args.retention), NEWSDESK_RATE_LIMIT_PER_MINUTE="1000000",
               NEWSDESK_WEBHOOK_ALLOW="127.0.0.1", NEWSDESK_WEBHOOK_TIMEOUT="2", NEWSDESK_WEBHOOK_BACKOFF="1",
               NEWSDESK_WEBHOOK_MAX_ATTEMPTS="4", NEWSDESK_STALE_AFTER_SECONDS="15",
               NEWSDESK_REQUEUE_QUEUED_AFTER_SECONDS="120", NEWSDESK_LOG_LEVEL="WARNING",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    env.pop("NEWSDESK_BROKER_URL", None)
    logs = open(data_dir / "processes.log", "w")
    api = subprocess.Popen(api_argv("127.0.0.1", api_port, args.api_workers), env=env, cwd=ROOT,
                           stdout=logs, stderr=subprocess.STDOUT)
    workers = {f"celery-worker-{i}": subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "worker.celery_app", "worker", "--concurrency", "1",
         "--hostname", f"worker{i}@%h", "--loglevel", "WARNING"], env=env, cwd=ROOT, stdout=logs,
        stderr=subprocess.STDOUT) for i in range(1, args.workers + 1)}
    url = f"http://127.0.0.1:{api_port}"
    receiver = Receiver(hook_port, period=45, slow_seconds=3)
    client = redis.Redis.from_url(redis_url, socket_timeout=30)
    stop = threading.Event()
    samples: list[dict] = []
    out = open(args.samples, "w") if args.samples else None
    try:
        wait_for(url + "/healthz")
        deadline = time.monotonic() + 120
        while httpx.get(url + "/readyz", timeout=5).status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.5)
        print(f"data dir {data_dir}, Redis {redis_url}, API {url}", file=sys.stderr, flush=True)
        threading.Thread(target=receiver.run, daemon=True).start()
        load = Load(url, corpus(args.data), f"http://127.0.0.1:{hook_port}/hook")
        threads = [threading.Thread(target=load.client, args=(seed, stop, args.pause), daemon=True)
                   for seed in range(args.clients)]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        end = began + args.minutes * 60
        while True:
            samples.append(sample(client, api.pid, workers, began))
            line = samples[-1]
            if out:
                out.write(json.dumps(line) + "\n")
                out.flush()
            procs = " ".join(f"{n}={p.get('rss_mb')}MB/{p.get('threads')}t/{p.get('fds')}fd"
                             for n, p in sorted(line["processes"].items()))
            print(f"t={line['t']}s articles={line['articles']} dbsize={line['redis']['dbsize']} "
                  f"mem={line['redis']['used_memory_mb']}MB clients={line['redis']['connected_clients']} "
                  f"channels={line['redis']['pubsub_channels']} {procs}", file=sys.stderr, flush=True)
            if time.monotonic() >= end:
                break
            time.sleep(min(args.sample, max(0.0, end - time.monotonic())))
        stop.set()
        for thread in threads:
            thread.join(60)
        idle = None
        if args.idle:
            # The load is over: once every job has ended and its retention (and the listing's and
            # batches' twice that) has passed, nothing of the jobs should be left.
            time.sleep(args.idle)
            idle = sample(client, api.pid, workers, began)
            if out:
                out.write(json.dumps(idle | {"idle": True}) + "\n")
        print(table(samples[0], samples[-1], idle))
        print("requests:", json.dumps(dict(sorted(load.done.items()))))
        print("webhooks received by mode:", json.dumps(dict(receiver.received)))
    finally:
        stop.set()
        receiver.stopped.set()
        api.terminate()
        for worker in workers.values():
            worker.terminate()
        for process in [api, *workers.values()]:
            try:
                process.wait(40)
            except subprocess.TimeoutExpired:
                process.kill()
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
