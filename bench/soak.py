"""Soak test of the live service: concurrent clients submit and poll, first undisturbed, then
while a worker is SIGKILLed, Redis is restarted and the API server is killed. At the end every
accepted job must have reached a terminal state with a correct result.

    .venv/bin/python bench/soak.py [--clients 8] [--phase-seconds 30] [--workers 2]

Prints, per phase, requests, error rate, accepted jobs; then accepted / succeeded / failed / lost.
Exits 1 if any accepted job was lost or has a wrong result. Only loopback traffic, bounded in time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
SEEDS = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "seeds").glob("*.json"))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> dict[int, str]:
    """Direct children of `pid` and their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "stat").read_text().rsplit(") ", 1)[1].split()[1] == str(pid):
                    found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except (FileNotFoundError, IndexError, ProcessLookupError):
                pass
    return found


def kill_child(serve_pid: int, word: str, sig: int) -> str:
    for pid, line in children(serve_pid).items():
        if word in line:
            os.kill(pid, sig)
            return f"{signal.Signals(sig).name} {word} (pid {pid})"
    return f"no {word} child found"


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = Counter()
        self.errors = Counter()
        self.accepted: dict[str, tuple[str, dict]] = {}

    def record(self, phase: str, ok: bool) -> None:
        with self.lock:
            self.requests[phase] += 1
            self.errors[phase] += not ok


def client_loop(url: str, stats: Stats, phase: list[str], stop: threading.Event, seed: int) -> None:
    rng = random.Random(seed)
    with httpx.Client(base_url=url, timeout=10) as http:
        while not stop.is_set():
            article = rng.choice(SEEDS)
            current = phase[0]
            try:
                response = http.post("/v1/articles", json=article)
                ok = response.status_code == 202
                stats.record(current, ok)
                if ok:
                    job_id = response.json()["job_id"]
                    with stats.lock:
                        stats.accepted[job_id] = (current, article)
                    poll(http, job_id, stats, phase, stop)
            except httpx.HTTPError:
                stats.record(current, False)
                time.sleep(0.2)


def poll(http: httpx.Client, job_id: str, stats: Stats, phase: list[str], stop: threading.Event) -> None:
    while not stop.is_set():
        time.sleep(0.1)
        try:
            response = http.get(f"/v1/jobs/{job_id}")
        except httpx.HTTPError:
            stats.record(phase[0], False)
            continue
        stats.record(phase[0], response.status_code == 200)
        if response.status_code == 200 and response.json()["status"] in ("succeeded", "failed"):
            return


def result_is_correct(article: dict, job: dict) -> bool:
    result = job["result"]
    text = article["text"]
    return job["status"] == "succeeded" and all(
        text[s["start"]:s["end"]] == s["text"] for s in result["summary"]["sentences"]
    ) and all(
        (article.get("title") or "" if m["field"] == "title" else text)[m["start"]:m["end"]] == m["text"]
        for g in result["entities"] for m in g["mentions"]
    )


def final_check(url: str, stats: Stats, deadline: float) -> Counter:
    outcome = Counter()
    pending = dict(stats.accepted)
    with httpx.Client(base_url=url, timeout=10) as http:
        while pending and time.monotonic() < deadline:
            for job_id, (_, article) in list(pending.items()):
                try:
                    response = http.get(f"/v1/jobs/{job_id}")
                except httpx.HTTPError:
                    continue
                job = response.json() if response.status_code == 200 else None
                if job is None or job["status"] in ("succeeded", "failed"):
                    del pending[job_id]
                    if job is None:
                        outcome["lost"] += 1
                    elif job["status"] == "failed":
                        outcome["failed"] += 1
                    else:
                        outcome["succeeded" if result_is_correct(article, job) else "wrong_result"] += 1
            time.sleep(0.5)
    outcome["lost"] += len(pending)
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--phase-seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)

    port, data_dir = free_port(), tempfile.mkdtemp(prefix="newsdesk-soak-")
    # Recovery times are shortened so that the run can wait for them: a running job whose worker
    # died is requeued after 10 s, a job whose message died with its worker after 20 s.
    env = dict(os.environ, NEWSDESK_DATA_DIR=data_dir, NEWSDESK_RATE_LIMIT_PER_MINUTE="10000000",
               NEWSDESK_STALE_AFTER_SECONDS="10", NEWSDESK_REQUEUE_QUEUED_AFTER_SECONDS="20")
    env.pop("REDIS_URL", None)
    serve = subprocess.Popen([str(Path(sys.executable).parent / "newsdesk"), "serve", "--port", str(port),
                              "--workers", str(args.workers)], env=env, stdout=subprocess.DEVNULL,
                             stderr=open(Path(data_dir) / "serve.log", "w"))
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            httpx.get(url + "/healthz", timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.1)

    stats, phase, stop = Stats(), ["steady"], threading.Event()
    threads = [threading.Thread(target=client_loop, args=(url, stats, phase, stop, i)) for i in range(args.clients)]
    for thread in threads:
        thread.start()
    events = []
    try:
        time.sleep(args.phase_seconds)
        phase[0] = "faults"
        began = time.monotonic()
        third = args.phase_seconds / 4
        for word, sig in (("celery", signal.SIGKILL), ("redis-server", signal.SIGTERM), ("gunicorn", signal.SIGKILL)):
            time.sleep(third)
            events.append(f"+{time.monotonic() - began:.0f}s {kill_child(serve.pid, word, sig)}")
        time.sleep(third)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    outcome = final_check(url, stats, time.monotonic() + 180)
    serve.send_signal(signal.SIGINT)
    serve.wait(120)

    print(f"{'phase':<8} {'requests':>9} {'errors':>7} {'error rate':>10} {'accepted':>9}")
    for name in ("steady", "faults"):
        accepted = sum(1 for p, _ in stats.accepted.values() if p == name)
        rate = stats.errors[name] / max(1, stats.requests[name])
        print(f"{name:<8} {stats.requests[name]:>9} {stats.errors[name]:>7} {rate:>10.2%} {accepted:>9}")
    print("faults injected:", "; ".join(events))
    print(f"accepted {len(stats.accepted)}  succeeded {outcome['succeeded']}  failed {outcome['failed']}  "
          f"wrong_result {outcome['wrong_result']}  lost {outcome['lost']}")
    print(json.dumps({"accepted": len(stats.accepted), **outcome,
                      "requests": dict(stats.requests), "errors": dict(stats.errors)}))
    return 1 if outcome["lost"] or outcome["wrong_result"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
