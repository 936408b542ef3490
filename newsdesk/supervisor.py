"""`newsdesk serve`: the API, the workers and (without REDIS_URL) an embedded Redis, supervised.

Each child is its own process with a telling command line (`redis-server`, `gunicorn ...
service.wsgi:app`, `celery -A worker.celery_app worker ...`), started in its own session so
that Ctrl-C reaches only this supervisor, which then stops them in order: the API first (no new
jobs), then the workers (they finish what they hold), Redis last (it flushes its append-only
file). A child that dies while serving is restarted, with a back-off when it keeps dying.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field

import redis

from .embedded_redis import EmbeddedRedis, die_with_parent
from .settings import Settings, redacted_url

log = logging.getLogger("newsdesk.serve")
MAX_BACKOFF = 30.0


@dataclass
class Child:
    name: str
    argv: list[str]
    env: dict[str, str]
    stop_timeout: float = 15.0
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    backoff: float = 0.0
    restart_at: float = field(default=0.0)

    def start(self) -> None:
        self.process = subprocess.Popen(self.argv, env=self.env, start_new_session=True,
                                        stdin=subprocess.DEVNULL, preexec_fn=die_with_parent)
        self.started_at = time.monotonic()
        log.info("started %s (pid %d)", self.name, self.process.pid)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def schedule_restart(self) -> None:
        """Restart at once after a long run; back off exponentially when it dies at start-up."""
        ran_for = time.monotonic() - self.started_at
        self.backoff = 0.0 if ran_for > 60 else min(MAX_BACKOFF, max(1.0, self.backoff * 2))
        self.restart_at = time.monotonic() + self.backoff
        log.warning("%s exited with %s after %.1fs; restarting in %.0fs",
                    self.name, self.process.returncode, ran_for, self.backoff)
        self.process = None

    def stop(self) -> None:
        stop_together([self])


def stop_together(children: list[Child]) -> None:
    """SIGTERM to all of them at once, then wait for each up to its stop_timeout (counted from
    the signal) and kill it after that: stopping one by one, the others would go on taking new
    jobs, and the waits would add up."""
    started = time.monotonic()
    stopping = [child for child in children if child.alive()]
    for child in stopping:
        child.process.terminate()
    for child in stopping:
        try:
            child.process.wait(max(0.0, started + child.stop_timeout - time.monotonic()))
        except subprocess.TimeoutExpired:
            log.warning("%s did not stop in %.0fs; killing it", child.name, child.stop_timeout)
            child.process.kill()
            child.process.wait()


def host_port(host: str, port: int) -> str:
    """`host:port`, with an IPv6 address in brackets (as in URLs and gunicorn's --bind)."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def check_port_free(host: str, port: int) -> None:
    """Refuse to start when something already listens on the port: the API could not bind it,
    and the start-up check would be answered by whatever listens there."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        socket.create_server((host, port), family=family).close()
    except OSError as exc:
        raise SystemExit(f"Cannot listen on {host_port(host, port)}: {exc.strerror}. Another server "
                         f"(another `newsdesk serve`?) may use it; choose a port with --port.") from None


def api_argv(host: str, port: int, api_workers: int) -> list[str]:
    return [sys.executable, "-m", "gunicorn", "-c", "python:service.gunicorn_conf",
            "--bind", host_port(host, port), "--workers", str(api_workers), "service.wsgi:app"]


def worker_argv(index: int, settings: Settings) -> list[str]:
    # One pool process per worker: N single-process workers keep serving when one dies, where
    # one worker with N pool processes has no consumer until it respawns its pool.
    return [sys.executable, "-m", "celery", "-A", "worker.celery_app", "worker",
            "--concurrency", "1", "--hostname", f"worker{index}@%h", "--loglevel", settings.log_level]


def start_redis(settings: Settings) -> EmbeddedRedis:
    probe = redis.Redis(unix_socket_path=str(settings.socket_path), socket_timeout=1)
    try:
        probe.ping()
    except (redis.ConnectionError, FileNotFoundError):
        pass
    else:
        raise SystemExit(f"A Redis server already answers on {settings.socket_path}: another "
                         f"`newsdesk serve` seems to use {settings.data_dir}. Stop it, or set "
                         f"NEWSDESK_DATA_DIR to another folder.")
    return EmbeddedRedis(settings.data_dir, settings.socket_path).start()


def check_redis_url(settings: Settings) -> None:
    """With REDIS_URL: refuse to start when that Redis refuses us (a wrong password, a user
    without the rights), which no retry mends. One that cannot be reached yet is only reported:
    the API and the workers keep trying, and it may be starting too."""
    client = settings.redis_client()
    where = redacted_url(settings.redis_url)
    try:
        client.ping()
    except (redis.AuthenticationError, redis.ResponseError) as exc:
        raise SystemExit(f"Redis at {where} refused the connection: {exc}") from None
    except redis.RedisError as exc:
        log.warning("Redis at %s cannot be reached yet (%s); the API answers 503 until it can", where, exc)
    finally:
        client.close()


def wait_for_api(url: str, children: list[Child], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not all(child.alive() for child in children):
            raise SystemExit("a child process exited during start-up; see the log above")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"the API did not answer on {url} within {timeout:.0f}s")


class _Stop(Exception):
    pass


def _raise_stop(signum, _frame):
    raise _Stop(signal.Signals(signum).name)


def serve(settings: Settings, host: str, port: int, workers: int, api_workers: int) -> int:
    host = host.strip("[]")  # "[::1]" as well as "::1"
    settings.check_bind(host)
    check_port_free(host, port)
    if not settings.auth_enabled:
        log.warning("no API keys configured: auth is off, so the API listens on %s only", host)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, NEWSDESK_DATA_DIR=str(settings.data_dir))
    if not settings.embedded_redis:
        check_redis_url(settings)
    embedded = start_redis(settings) if settings.embedded_redis else None
    if embedded:
        env["REDIS_URL"] = embedded.url
        log.info("embedded Redis on %s (data in %s)", embedded.socket_path, settings.data_dir / "redis")
    children = [Child("api", api_argv(host, port, api_workers), env)]
    children += [Child(f"worker{i}", worker_argv(i, settings), env,
                       stop_timeout=30.0)
                 for i in range(1, workers + 1)]
    signal.signal(signal.SIGINT, _raise_stop)
    signal.signal(signal.SIGTERM, _raise_stop)
    try:
        for child in children:
            child.start()
        url = f"http://{host_port(host, port)}"
        wait_for_api(url, children)
        print(f"Newsdesk is serving on {url} with {workers} worker(s). Ctrl-C stops it.", flush=True)
        _supervise(children, embedded, settings.aof_rewrite_seconds)
    except _Stop as stop:
        log.info("%s received: stopping", stop)
    finally:
        # A second Ctrl-C (or a SIGTERM from a service manager) must not cut the shutdown short.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        # The API first (no new jobs), then every worker at once (each finishes its job).
        stop_together(children[:1])
        stop_together(children[1:])
        if embedded:
            embedded.stop()
        log.info("stopped")
    return 0


def _supervise(children: list[Child], embedded: EmbeddedRedis | None, rewrite_every: float) -> None:
    rewrite_at = time.monotonic() + rewrite_every
    while True:
        time.sleep(0.5)
        if embedded and not embedded.alive():
            log.warning("embedded Redis exited; restarting it")
            embedded.start()
        now = time.monotonic()
        if embedded and now >= rewrite_at:
            rewrite_at = now + rewrite_every
            _rewrite_append_only_file(embedded)
        for child in children:
            if child.process is not None and not child.alive():
                child.schedule_restart()
            if child.process is None and now >= child.restart_at:
                child.start()


def _rewrite_append_only_file(embedded: EmbeddedRedis) -> None:
    """Deleted and expired jobs' articles leave the embedded Redis's disk (see README, Security)."""
    try:
        embedded.rewrite_append_only_file()
    except (redis.RedisError, OSError) as exc:  # a Redis restarting, say: the next round tries again
        log.warning("could not have the embedded Redis rewrite its append-only file: %s", exc)
