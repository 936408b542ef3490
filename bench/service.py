"""Starting and stopping `newsdesk serve` for the benchmarks (loopback only)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveService:
    def __init__(self, workers: int = 2, **env: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = tempfile.mkdtemp(prefix="newsdesk-bench-")
        environment = dict(os.environ, NEWSDESK_DATA_DIR=self.data_dir, NEWSDESK_LOG_LEVEL="WARNING",
                           NEWSDESK_RATE_LIMIT_PER_MINUTE="100000000", NEWSDESK_MAX_QUEUED_PER_KEY="1000000",
                           **env)
        environment.pop("REDIS_URL", None)
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "newsdesk"), "serve", "--port", str(self.port),
             "--workers", str(workers)],
            env=environment, stdout=subprocess.DEVNULL, stderr=open(Path(self.data_dir) / "serve.log", "w"))
        self._wait_ready(workers)

    def _wait_ready(self, workers: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                ready = httpx.get(self.url + "/readyz", timeout=2)
                if ready.status_code == 200 and ready.json()["checks"]["workers"] >= workers:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("service not ready; see " + self.data_dir)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        self.process.wait(120)
