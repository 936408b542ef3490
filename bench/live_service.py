"""Starting and stopping `newsdesk serve` for the benchmarks (loopback only)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx
import psutil

from newsdesk.settings import embedded_socket_path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveService:
    """`newsdesk serve` with `workers` workers. With `concurrency` or `prefetch` given, serve runs
    the API and Redis only and the workers are started here as serve starts its own, plus
    `--concurrency` and `--prefetch-multiplier` (serve itself always runs 1 and 1)."""

    def __init__(self, workers: int = 2, concurrency: int | None = None, prefetch: int | None = None,
                 pool: str | None = None, **env: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = tempfile.mkdtemp(prefix="newsdesk-bench-")
        socket_path = embedded_socket_path(Path(self.data_dir).resolve())
        self.redis_url = f"unix://{socket_path}?db=0"
        environment = dict(os.environ, NEWSDESK_DATA_DIR=self.data_dir, NEWSDESK_LOG_LEVEL="WARNING",
                           NEWSDESK_RATE_LIMIT_PER_MINUTE="100000000", NEWSDESK_MAX_QUEUED_PER_KEY="1000000",
                           **env)
        environment.pop("REDIS_URL", None)
        own = concurrency is not None or prefetch is not None or pool is not None
        self.log = open(Path(self.data_dir) / "serve.log", "w")
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "newsdesk"), "serve", "--port", str(self.port),
             "--workers", str(0 if own else workers)],
            env=environment, stdout=subprocess.DEVNULL, stderr=self.log)
        self.workers: list[subprocess.Popen] = []
        if own:
            self._wait_for(socket_path.exists)
            for index in range(1, workers + 1):
                self.workers.append(subprocess.Popen(
                    [sys.executable, "-m", "celery", "-A", "worker.celery_app", "worker", "--hostname",
                     f"worker{index}@%h", "--loglevel", "WARNING", "--concurrency", str(concurrency or 1),
                     "--prefetch-multiplier", str(prefetch or 1)],
                    env=dict(environment, REDIS_URL=self.redis_url, **self._pool_env(concurrency, pool)),
                    stdout=subprocess.DEVNULL, stderr=self.log))
        self._wait_for(lambda: self._ready(workers))

    @staticmethod
    def _pool_env(concurrency: int | None, pool: str | None) -> dict[str, str]:
        # Celery lets the app's worker_pool setting win over `--pool prefork`, so the setting it is.
        if pool is None and (concurrency or 1) > 1:
            pool = "prefork"  # a solo worker runs one task at a time
        return {"NEWSDESK_WORKER_POOL": pool} if pool else {}

    def _ready(self, workers: int) -> bool:
        try:
            ready = httpx.get(self.url + "/readyz", timeout=2)
            return ready.status_code == 200 and ready.json()["checks"]["workers"] >= workers
        except httpx.HTTPError:
            return False

    def _wait_for(self, condition, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.2)
        raise RuntimeError("service not ready; see " + self.data_dir)

    def processes(self) -> dict[str, list[psutil.Process]]:
        """The service's processes by role: api, worker (Celery main, where a solo worker runs its
        tasks), pool (prefork pool processes), redis, serve."""
        roles: dict[str, list[psutil.Process]] = {}
        tree = [psutil.Process(self.process.pid)] + [psutil.Process(w.pid) for w in self.workers]
        for top in tree:
            for process in [top, *top.children(recursive=True)]:
                line = " ".join(process.cmdline())
                if "celery" in line:  # a pool process is a fork of its worker: same command line
                    role = "pool" if "celery" in " ".join(process.parent().cmdline()) else "worker"
                else:
                    role = "redis" if "redis-server" in line else "api" if "gunicorn" in line else "serve"
                roles.setdefault(role, []).append(process)
        return roles

    def cpu_seconds(self) -> Counter:
        """CPU seconds (user + system) used so far by each role's live processes."""
        used: Counter = Counter()
        for role, processes in self.processes().items():
            for process in processes:
                times = process.cpu_times()
                used[role] += times.user + times.system
        return used

    def peak_rss_mb(self) -> dict[str, float]:
        """Each role's largest peak resident set (VmHWM, Linux) of any one live process, in MB:
        the figure the memory budgets are set for (an API process, a worker process)."""
        peaks: dict[str, float] = {}
        for role, processes in self.processes().items():
            for process in processes:
                status = Path(f"/proc/{process.pid}/status").read_text()
                kb = int(status.split("VmHWM:", 1)[1].split()[0])
                peaks[role] = max(peaks.get(role, 0.0), kb / 1024)
        return peaks

    def stop(self) -> None:
        for worker in self.workers:  # warm shutdown while Redis is still there
            worker.terminate()
        for worker in self.workers:
            worker.wait(60)
        self.process.send_signal(signal.SIGINT)
        self.process.wait(120)
        self.log.close()
