"""Redis on another machine: the API and a worker reach it through a proxy that delays every
byte by half the round-trip time each way (this machine's kernel has no netem).

    .venv/bin/python bench/redis_latency.py [--rtts 0,2,20] [--articles 20]

For each round-trip time: one solo worker and the API (in this process) go through the proxy;
articles are submitted one at a time, each followed by a long poll until it is done. Prints the
latency from POST to answer, how many jobs failed or were answered with an error, and how many
Redis timeouts the worker logged (a timeout tripped by latency alone would show there).
"""

from __future__ import annotations

import argparse
import heapq
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsdesk.embedded_redis import EmbeddedRedis  # noqa: E402
from newsdesk.settings import Settings  # noqa: E402

ARTICLE = {"text": "Regeringen fremlagde mandag et nyt forslag om skat. Oppositionen i Folketinget er kritisk.",
           "language": "da"}


class DelayProxy:
    """Listens on a free port; each connection is joined to `target`, every chunk delivered
    `one_way` seconds after it was read, in order."""

    def __init__(self, target: tuple[str, int], one_way: float):
        self.target, self.one_way = target, one_way
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            for sock in (client, server):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        pending: list[tuple[float, int, bytes]] = []
        ready = threading.Condition()
        sender = threading.Thread(target=self._send, args=(pending, ready, sink), daemon=True)
        sender.start()
        count = 0
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                data = b""
            with ready:
                count += 1
                heapq.heappush(pending, (time.monotonic() + self.one_way, count, data))
                ready.notify()
            if not data:
                return

    @staticmethod
    def _send(pending, ready, sink) -> None:
        while True:
            with ready:
                while not pending:
                    ready.wait()
                due, _, data = pending[0]
                wait = due - time.monotonic()
                if wait > 0:
                    ready.wait(wait)
                    continue
                heapq.heappop(pending)
            if not data:
                sink.close()
                return
            try:
                sink.sendall(data)
            except OSError:
                return

    def close(self) -> None:
        self.listener.close()


def run(rtt_ms: float, articles: int, redis_port: int, folder: Path) -> dict:
    from service import create_app

    proxy = DelayProxy(("127.0.0.1", redis_port), rtt_ms / 2000)
    url = f"redis://127.0.0.1:{proxy.port}/0"
    queue = f"latency{int(rtt_ms * 10)}"
    env = {"REDIS_URL": url, "NEWSDESK_DATA_DIR": str(folder), "NEWSDESK_QUEUE": queue, "NEWSDESK_LOG_LEVEL": "WARNING"}
    log = folder / f"worker-{queue}.log"
    worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "worker.celery_app", "worker", "--concurrency", "1",
                               "--hostname", f"{queue}@%h", "--loglevel", "INFO"], cwd=ROOT, env={**os.environ, **env, "NEWSDESK_BROKER_URL": "", "NEWSDESK_LOG_LEVEL": "INFO"},
                              stdout=log.open("w"), stderr=subprocess.STDOUT)
    client = create_app({"SETTINGS": Settings.from_env(env)}).test_client()
    try:
        while " ready." not in log.read_text():  # logged at INFO
            if worker.poll() is not None:
                raise SystemExit(log.read_text())
            time.sleep(0.1)
        latencies, errors, failed = [], 0, 0
        for _ in range(articles):
            began = time.perf_counter()
            response = client.post("/v1/articles?wait=30", json=ARTICLE)
            job = response.get_json()
            while response.status_code in (200, 202) and job["status"] not in ("succeeded", "failed"):
                response = client.get(f"/v1/jobs/{job['job_id']}?wait=30")
                job = response.get_json()
            if response.status_code not in (200, 202):
                errors += 1
                continue
            failed += job["status"] == "failed"
            latencies.append(time.perf_counter() - began)
    finally:
        worker.terminate()
        worker.wait(30)
        proxy.close()
    text = log.read_text()
    return {"rtt": rtt_ms, "done": len(latencies), "errors": errors, "failed": failed,
            "median": statistics.median(latencies) if latencies else float("nan"),
            "max": max(latencies, default=float("nan")), "timeouts": text.count("Timeout")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rtts", default="0,2,20", help="round-trip times to Redis, in ms")
    parser.add_argument("--articles", type=int, default=20)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="redis-latency-"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with EmbeddedRedis(folder / "redis", folder / "r.sock", port=port):
        rows = [run(float(rtt), args.articles, port, folder) for rtt in args.rtts.split(",")]
    print(f"{'RTT ms':>7} {'done':>5} {'errors':>6} {'failed':>6} {'median s':>9} {'max s':>7} {'timeouts':>8}")
    for row in rows:
        print(f"{row['rtt']:>7g} {row['done']:>5} {row['errors']:>6} {row['failed']:>6} "
              f"{row['median']:>9.3f} {row['max']:>7.3f} {row['timeouts']:>8}")


if __name__ == "__main__":
    main()
