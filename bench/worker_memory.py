"""A worker's memory over a long run: RSS every --sample articles, one process, no HTTP.

    .venv/bin/python bench/worker_memory.py --data ../shared/data [--mode worker|task|pipeline]
        [--articles 15000] [--sample 500] [--webhooks 0.25] [--batches 0.5] [--receiver up|cycle]
        [--trim] [--arena-max N] [--gc-types 1000,8000] [--tracemalloc 800,4000]
        [--worker-args=--without-gossip] [--out samples.jsonl]

The articles are those of bench/resources.py: three in five from the corpus (English and Danish,
the Danish train file's first 300 too), two in five made of words and names never seen before; a
quarter (--webhooks) with a callback to a local receiver that answers 200 (or, with --receiver
cycle, is up, slow, failing and down by turns, 45 s each, with that bench's webhook timeout,
backoff and attempts); half (--batches) in batches of 2 to 12. Modes:

- worker: a real solo Celery worker (the app and options `newsdesk serve` runs) against a Redis
  of the bench's own; the jobs are queued with the API's own code (service.queue.JobQueue), a few
  dozen ahead, with a retention of 60 s so that they expire as in a long-running service.
- task: the task bodies (`newsdesk.analyze`, `newsdesk.analyze_batch`) called in one process
  (job store, lease, pipeline, result, metrics, log line), each webhook delivered in turn,
  without Celery's worker.
- pipeline: `analyze_article` / `analyze_articles` alone.

The measured process records, every --sample articles, its RSS, glibc malloc's bytes in use and
free (mallinfo2) and pymalloc's arenas and the bytes of live objects in them
(sys._debugmallocstats): arenas that grow while live bytes do not are fragmentation or a
high-water mark, live bytes that grow are a leak. --gc-types A,B counts the objects by type at
articles A and B (after a full collection); --tracemalloc A,B also diffs the Python allocations
by traceback (slow). --trim calls glibc's malloc_trim(0) after every article and times it (a
worker trims after every task in any case, worker/memory.py: this matters for the in-process
modes); --arena-max sets MALLOC_ARENA_MAX. Results go to --out (JSON lines), the worker's log next to it.
"""

from __future__ import annotations

import argparse
import collections
import ctypes
import gc
import http.server
import json
import logging
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsdesk.api_keys import ANONYMOUS as ANONYMOUS_OWNER  # noqa: E402
DONE_KEY = "bench:articles-done"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
                 "fordblks", "keepcost")]


def malloc_info() -> dict:
    """glibc's view: MB in use and MB free but kept, over all arenas (mmapped blocks apart)."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = _MallInfo2
        info = libc.mallinfo2()
    except (OSError, AttributeError):
        return {}
    return {"malloc_in_use_mb": round(info.uordblks / 2**20, 1), "malloc_free_mb": round(info.fordblks / 2**20, 1),
            "mmapped_mb": round(info.hblkhd / 2**20, 1)}


def pymalloc_info() -> dict:
    """Python's small-object allocator (sys._debugmallocstats, which writes to fd 2): MB of its
    arenas that are mapped, and MB of the blocks in them that hold live objects."""
    with tempfile.TemporaryFile("w+") as capture:
        saved = os.dup(2)
        try:
            sys.stderr.flush()
            os.dup2(capture.fileno(), 2)
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        capture.seek(0)
        text = capture.read()
    fields = {}
    for name, key in (("arenas allocated current", "pymalloc_arenas_mb"),
                      ("bytes in allocated blocks", "pymalloc_used_mb")):
        for line in text.splitlines():
            if line.startswith("# " + name):
                value = int(line.split("=")[1].replace(",", "").strip())
                fields[key] = round(value * (2**20 if "arenas" in name else 1) / 2**20, 1)
    return fields


def articles(data: str | None, count: int, webhooks: float, callback: str, seed: int = 7):
    from bench.resources import corpus, synthetic_article

    pool, rng = corpus(data), random.Random(seed)
    for _ in range(count):
        article = dict(rng.choice(pool)) if rng.random() < 0.6 else synthetic_article(rng)
        if rng.random() < webhooks:
            article["callback_url"] = callback
        yield article


def groups(args):
    """The articles as they are submitted: alone, or (a --batches share of them) in batches of 2
    to 12, as bench/resources.py's clients send them (there about half the articles come in batches)."""
    rng, pending = random.Random(11), []
    for article in articles(args.data, args.articles, args.webhooks, args.callback):
        if not pending:
            size = rng.randint(2, 12) if rng.random() < args.batches / (7 - 6 * args.batches) else 1
        pending.append(article)
        if len(pending) >= size:
            yield pending
            pending = []
    if pending:
        yield pending


# --------------------------------------------------------------------------- the measured process

class Recorder:
    """Counts articles; every `sample` of them writes RSS (and the tracemalloc/gc findings)."""

    def __init__(self, out: str, sample: int, trim: bool, snapshots: tuple[int, ...], traced: bool = True):
        self.out, self.sample, self.trim, self.snapshots = out, sample, trim, snapshots
        self.done = 0
        self.began = time.monotonic()
        self.libc = ctypes.CDLL("libc.so.6") if trim else None
        self.first: tuple | None = None
        self.trim_seconds = 0.0
        self.traced = traced
        if snapshots and traced:
            tracemalloc.start(8)
        self.write({"articles": 0, "rss_mb": rss_mb()})

    def write(self, row: dict) -> None:
        with open(self.out, "a") as handle:
            handle.write(json.dumps(row) + "\n")

    def article_done(self, count: int = 1) -> None:
        before, self.done = self.done, self.done + count
        if self.libc is not None:
            began = time.perf_counter()
            self.libc.malloc_trim(0)
            self.trim_seconds += time.perf_counter() - began
        if any(before < at <= self.done for at in self.snapshots):
            self.snapshot()
        if before // self.sample != self.done // self.sample:
            row = {"articles": self.done, "rss_mb": rss_mb(), "seconds": round(time.monotonic() - self.began, 1),
                   "cpu_s": round(time.process_time(), 1), **malloc_info(), **pymalloc_info()}
            if self.libc is not None:
                row["trim_us_mean"] = round(self.trim_seconds / self.done * 1e6)
            self.write(row)

    def snapshot(self) -> None:
        gc.collect()
        types = collections.Counter(type(o).__qualname__ for o in gc.get_objects())
        snap = (tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
                if self.traced else None)
        if self.first is None:
            self.first = (self.done, snap, types)
            return
        at, first, first_types = self.first
        types_grown = sorted(((types[t] - first_types.get(t, 0), t) for t in types), reverse=True)[:25]
        if snap is None:
            self.write({"gc": {"from": at, "to": self.done, "objects_then": sum(first_types.values()),
                               "objects_now": sum(types.values()), "types_grown": types_grown}})
            return
        stats = snap.compare_to(first, "traceback")
        grown = [{"kb": round(s.size_diff / 1024, 1), "count": s.count_diff,
                  "where": [f"{f.filename}:{f.lineno}" for f in s.traceback][-6:]}
                 for s in stats[:25]]
        traced = sum(s.size for s in snap.statistics("filename")) / 2**20
        self.write({"tracemalloc": {"from": at, "to": self.done, "traced_mb_now": round(traced, 1),
                                    "total_growth_kb": round(sum(s.size_diff for s in stats) / 1024, 1),
                                    "top": grown, "gc_types_grown": types_grown}})


def child_worker(args) -> None:
    """A solo worker as `newsdesk worker` runs it, with a task_postrun hook that records."""
    from celery.signals import task_postrun

    from newsdesk.task_names import ANALYZE_BATCH_TASK, ANALYZE_TASK
    from worker.celery_app import app
    from worker.context import job_store

    recorder = Recorder(args.out, args.sample, args.trim, args.snapshot_at, args.tracemalloc_on)

    @task_postrun.connect(weak=False)
    def _count(sender=None, args=None, **_):
        count = {ANALYZE_TASK: 1, ANALYZE_BATCH_TASK: len((args or [[]])[0])}.get(getattr(sender, "name", None))
        if count:
            recorder.article_done(count)
            job_store().redis.incrby(DONE_KEY, count)  # for the feeder, which keeps a few dozen ahead

    # As `newsdesk serve` starts its workers (newsdesk.supervisor.worker_argv): the solo pool.
    app.worker_main(["worker", "--concurrency", "1", "--loglevel", "INFO", *args.worker_args.split()])


def child_inprocess(args) -> None:
    """The task body (or the pipeline alone) called in a loop in this process."""
    import worker.celery_app  # noqa: F401  (the app the tasks read their settings from)
    from worker.context import job_store, settings
    from worker.pipeline.analyze import analyze_article, analyze_articles, warm_up
    from worker.tasks import analyze, analyze_batch
    from worker.webhooks import deliver_webhook

    warm_up()
    store = job_store()
    queue = settings().queue
    recorder = Recorder(args.out, args.sample, args.trim, args.snapshot_at, args.tracemalloc_on)
    for group in groups(args):
        if args.mode == "pipeline":
            analyze_articles(group) if len(group) > 1 else analyze_article(group[0], {})
        else:
            job_ids = [store.create(article) for article in group]
            analyze_batch.run(job_ids) if len(group) > 1 else analyze.run(job_ids[0])
            for article, job_id in zip(group, job_ids):
                if article.get("callback_url"):
                    try:
                        deliver_webhook.run(job_id)
                    except Exception:  # a retry, called directly
                        pass
            store.redis.delete(queue, f"{queue}.batch")  # the messages nobody consumes here
        recorder.article_done(len(group))


# --------------------------------------------------------------------------- the bench itself

class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def feed(args, done_count) -> None:
    """Queue the articles through the API's JobQueue, at most `ahead` more than are done."""
    from newsdesk.settings import Settings
    from service.queue import JobQueue
    from service.schemas import load_article

    jobs = JobQueue(Settings.from_env())
    submitted = 0
    for group in groups(args):
        while submitted - done_count() >= 40:
            time.sleep(0.05)
        group = [load_article(article) for article in group]  # as the API validates and completes them
        if len(group) > 1:
            jobs.submit_batch(group, ANONYMOUS_OWNER)
        else:
            jobs.submit(group[0], ANONYMOUS_OWNER)
        submitted += len(group)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data")
    parser.add_argument("--mode", choices=["worker", "task", "pipeline"], default="worker")
    parser.add_argument("--articles", type=int, default=15000)
    parser.add_argument("--sample", type=int, default=500)
    parser.add_argument("--webhooks", type=float, default=0.25)
    parser.add_argument("--batches", type=float, default=0.5, help="share of the articles sent in batches")
    parser.add_argument("--receiver", choices=["up", "cycle"], default="up",
                        help="the webhook receiver: always up, or up, slow, failing and down by turns")
    parser.add_argument("--worker-args", default="", help="more `celery worker` options, e.g. --without-gossip")
    parser.add_argument("--trim", action="store_true")
    parser.add_argument("--arena-max", type=int)
    parser.add_argument("--tracemalloc", default="", help="A,B: diff Python allocations from article A to B")
    parser.add_argument("--gc-types", default="", help="A,B: objects by type at article A and B (cheap)")
    parser.add_argument("--out", default="worker_memory.jsonl")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--callback", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.tracemalloc_on = bool(args.tracemalloc)
    args.snapshot_at = tuple(int(x) for x in (args.tracemalloc or args.gc_types).split(",") if x)
    if args.child:
        logging.getLogger().setLevel(logging.INFO)
        (child_worker if args.mode == "worker" else child_inprocess)(args)
        return

    from newsdesk.embedded_redis import EmbeddedRedis
    import redis as redis_lib

    Path(args.out).write_text("")
    if args.receiver == "cycle":  # bench/resources.py's: up, slow, failing, down, 45 s each
        from bench.resources import Receiver as CyclingReceiver, free_port

        cycling = CyclingReceiver(free_port(), period=45, slow_seconds=3)
        threading.Thread(target=cycling.run, daemon=True).start()
        port = cycling.port
    else:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.server_address[1]
    callback = args.callback = f"http://127.0.0.1:{port}/hook"
    with tempfile.TemporaryDirectory(prefix="newsdesk-mem-") as tmp, \
            EmbeddedRedis(Path(tmp), Path(tmp) / "r.sock") as redis_server:
        env = dict(os.environ, REDIS_URL=redis_server.url, NEWSDESK_DATA_DIR=tmp,
                   NEWSDESK_RESULT_TTL_SECONDS="60", NEWSDESK_WEBHOOK_ALLOW="127.0.0.1",
                   NEWSDESK_LOG_LEVEL="INFO", PYTHONPATH=str(ROOT))
        if args.receiver == "cycle":  # retries (with a countdown) as bench/resources.py has them
            env.update(NEWSDESK_WEBHOOK_TIMEOUT="2", NEWSDESK_WEBHOOK_BACKOFF="1", NEWSDESK_WEBHOOK_MAX_ATTEMPTS="4",
                       NEWSDESK_STALE_AFTER_SECONDS="15")
        if args.arena_max:
            env["MALLOC_ARENA_MAX"] = str(args.arena_max)
        os.environ.update({k: env[k] for k in ("REDIS_URL", "NEWSDESK_DATA_DIR", "NEWSDESK_RESULT_TTL_SECONDS")})
        argv = [sys.executable, __file__, "--child", "--callback", callback, *sys.argv[1:]]
        with open(Path(args.out).with_suffix(".log"), "w") as log_file:
            child = subprocess.Popen(argv, env=env, stderr=log_file, stdout=log_file)
            try:
                if args.mode == "worker":
                    client = redis_lib.Redis.from_url(redis_server.url)

                    def done_count() -> int:
                        return int(client.get(DONE_KEY) or 0)

                    feed(args, done_count)
                    while done_count() < args.articles and child.poll() is None:
                        time.sleep(0.5)
                    time.sleep(1)
                    child.terminate()
                child.wait()
            finally:
                if child.poll() is None:
                    child.kill()
    rows = [json.loads(line) for line in Path(args.out).read_text().splitlines()]
    series = [(r["articles"], r["rss_mb"]) for r in rows if "rss_mb" in r]
    print(f"mode={args.mode} trim={args.trim} arena_max={args.arena_max} webhooks={args.webhooks} "
          f"batches={args.batches}")
    print("articles -> RSS MB:", ", ".join(f"{a}:{m}" for a, m in series))
    for row in rows:
        if "tracemalloc" in row or "gc" in row:
            print(json.dumps(row, indent=1))


if __name__ == "__main__":
    main()
