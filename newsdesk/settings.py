"""One settings object for the API, the worker and the CLI, read from environment variables.

Every setting has a safe default so that `newsdesk serve` runs with no configuration at all:
with REDIS_URL unset, everything talks to the embedded Redis that `serve` starts in the data dir.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import os
import re
import tempfile
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Mapping
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import platformdirs
import redis

from .api_keys import load_key_hashes
from .redis_sockets import abort_when_given_up
from .task_message import is_redis_broker

# Redis silently truncates unix socket paths longer than this (sun_path is 108 bytes with NUL).
MAX_SOCKET_PATH = 100
# The Celery pools whose time limits are enforced: prefork by Celery, solo by worker.time_limits.
WORKER_POOLS = ("solo", "prefork")
# The levels both logging and `celery worker --loglevel` take (FATAL is CRITICAL's other name).
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL", "FATAL")
_QUEUE_NAME = re.compile(r"[\w.:-]{1,200}", re.ASCII)
# Brokers NEWSDESK_BROKER_URL may name: kombu's Redis and AMQP (RabbitMQ) transports, the ones
# Newsdesk is run and tested against. Others kombu knows are refused at start rather than at the
# first job (memory://, say, would keep each process's messages to itself).
BROKER_SCHEMES = ("amqp", "amqps", "pyamqp", "redis", "rediss")


def _number(env: Mapping[str, str], name: str, default, kind=int):
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return kind(raw)
    except ValueError as exc:
        what = "an integer" if kind is int else "a number"
        raise ValueError(f"{name} must be {what}, got {raw!r}") from exc


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    return _number(env, name, default, int)


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    return _number(env, name, default, float)


def embedded_socket_path(data_dir: Path) -> Path:
    """Where the embedded Redis listens: in the data dir, or a short /tmp path when that is too long."""
    preferred = data_dir / "redis" / "redis.sock"
    if len(os.fsencode(preferred)) <= MAX_SOCKET_PATH:  # the limit is in bytes ("ø" is two)
        return preferred
    digest = hashlib.sha1(str(data_dir).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"newsdesk-{digest}.sock"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


HIDDEN = "********"


def redacted_url(url: str) -> str:
    """`url` with its password (in the user part or as `?password=`) masked, for showing."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password is not None:
        netloc = f"{parts.username or ''}:{HIDDEN}@{netloc.rpartition('@')[2]}"
    query = [(name, HIDDEN if name == "password" else value) for name, value in parse_qsl(parts.query)]
    return f"{parts.scheme}://{netloc}{parts.path}" + (f"?{urlencode(query, safe='/*')}" if query else "")


def broker_url_for(redis_url: str) -> str:
    """The server, database and credentials that redis-py reads in `redis_url`, as a kombu URL.

    Read by redis-py's own parser, so that the broker and the job store cannot disagree: kombu
    reads neither `?db=` nor `?password=` (it takes the database from the path only, and stops at
    query arguments it does not know), and it connects to a `rediss://` server without checking
    its certificate unless told to, where redis-py checks it by default.
    """
    try:
        params = redis.connection.parse_url(redis_url)
    except ValueError:
        # Not the URL itself: it may hold a password.
        raise ValueError("REDIS_URL must be a redis://, rediss:// or unix:// URL") from None
    user, password = params.get("username"), params.get("password")
    auth = ""
    if user or password:
        auth = quote(user or "", safe="") + (f":{quote(password, safe='')}" if password else "") + "@"
    db = params.get("db", 0)
    if redis_url.startswith("unix://"):
        return f"redis+socket://{auth}{params.get('path', '')}?virtual_host={db}"
    host = params.get("host", "localhost")
    address = f"[{host}]:{params.get('port', 6379)}" if ":" in host else f"{host}:{params.get('port', 6379)}"
    if not redis_url.startswith("rediss://"):
        return f"redis://{auth}{address}/{db}"
    tls = {name: value for name, value in parse_qsl(urlsplit(redis_url).query) if name.startswith("ssl_")}
    tls.setdefault("ssl_cert_reqs", "required")  # redis-py's default
    return f"rediss://{auth}{address}/{db}?{urlencode(tls)}"


@dataclass(frozen=True, repr=False)
class Settings:
    data_dir: Path
    redis_url: str
    # True when REDIS_URL was not given and the embedded Redis in data_dir is meant.
    embedded_redis: bool
    # NEWSDESK_BROKER_URL as given; empty: the broker is the job store's Redis (broker_url).
    broker: str = ""
    max_body_bytes: int = 1_000_000
    # A batch carries up to 1,000 articles, so its body may be larger than a single article's.
    max_batch_bytes: int = 50_000_000
    # Bytes of large bodies (over 64 KiB) one API process holds at once: a body that would take
    # it over waits for none, it gets 503. One body alone is always taken, whatever its size.
    # The default lets each of the 16 threads hold an article of the largest size at once.
    max_body_bytes_in_flight: int = 16_000_000
    # Articles per batch task: large enough for nlp.pipe to pay off, small enough to spread.
    batch_chunk_size: int = 32
    # Characters of text per batch task at most (an article longer goes alone): a chunk's memory
    # and time grow with its text, and 32 articles of a million characters each would take a
    # worker to gigabytes and past the task time limit.
    batch_chunk_chars: int = 1_000_000
    result_ttl_seconds: int = 7 * 24 * 3600
    # The embedded Redis's append-only file keeps every write, a deleted job's article too, until
    # it is rewritten: `newsdesk serve` has it rewritten this often while anything was written.
    aof_rewrite_seconds: int = 3600
    task_soft_time_limit: int = 120
    task_time_limit: int = 150
    # Must exceed task_time_limit, or a long task is handed to a second worker while it still runs.
    visibility_timeout: int = 600
    redis_timeout: float = 2.0
    # Seconds an HTTP client has to send a request's head, and its longest pause in a body or
    # while reading an answer (service/http_worker.py).
    client_timeout: float = 10.0
    queue: str = "newsdesk"
    # Celery's pool: "solo" runs tasks in the worker process itself; "prefork" in a child of it.
    worker_pool: str = "solo"
    log_level: str = "INFO"
    # SHA-256 hashes of the API keys; empty means auth is off (and only loopback may be bound).
    api_key_hashes: frozenset[str] = frozenset()
    rate_limit_per_minute: int = 1200
    max_queued_per_key: int = 1000
    # A key's single articles beyond this many of its queued jobs go to the bulk queue, which
    # workers take from in turn with the main one: a key with a long backlog holds up another
    # key's article by at most this many of its own, not by its whole backlog (README, Limits).
    bulk_after_queued: int = 10
    # A running job whose worker stopped renewing its lease this long ago is requeued.
    stale_after_seconds: int = 30
    # Deliveries of one job before it fails with `worker_lost` (it keeps killing its worker).
    max_attempts: int = 3
    # A job still queued after this long is sent again, in case its message was lost.
    requeue_queued_after_seconds: int = 600
    # Hosts, addresses or networks webhooks may reach although they are not public.
    webhook_allow: str = ""
    webhook_secret: str = ""
    webhook_max_attempts: int = 6
    webhook_timeout: float = 10.0
    # Delivery n waits backoff * 2**(n-1) seconds after a failed one (2, 4, 8, ... by default).
    webhook_backoff: float = 2.0
    # gunicorn's processes and threads per process (service/gunicorn_conf.py); long polls take
    # up to three quarters of the threads (service/long_poll.py).
    api_workers: int = 2
    api_threads: int = 16

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        data_dir = Path(env.get("NEWSDESK_DATA_DIR") or platformdirs.user_data_dir("newsdesk")).resolve()
        redis_url = env.get("REDIS_URL", "")
        settings = cls(
            data_dir=data_dir,
            redis_url=redis_url or f"unix://{embedded_socket_path(data_dir)}?db=0",
            embedded_redis=not redis_url,
            broker=env.get("NEWSDESK_BROKER_URL", ""),
            max_body_bytes=_int(env, "NEWSDESK_MAX_BODY_BYTES", cls.max_body_bytes),
            max_batch_bytes=_int(env, "NEWSDESK_MAX_BATCH_BYTES", cls.max_batch_bytes),
            max_body_bytes_in_flight=_int(env, "NEWSDESK_MAX_BODY_BYTES_IN_FLIGHT", cls.max_body_bytes_in_flight),
            batch_chunk_size=_int(env, "NEWSDESK_BATCH_CHUNK_SIZE", cls.batch_chunk_size),
            batch_chunk_chars=_int(env, "NEWSDESK_BATCH_CHUNK_CHARS", cls.batch_chunk_chars),
            result_ttl_seconds=_int(env, "NEWSDESK_RESULT_TTL_SECONDS", cls.result_ttl_seconds),
            aof_rewrite_seconds=_int(env, "NEWSDESK_AOF_REWRITE_SECONDS", cls.aof_rewrite_seconds),
            task_soft_time_limit=_int(env, "NEWSDESK_TASK_SOFT_TIME_LIMIT", cls.task_soft_time_limit),
            task_time_limit=_int(env, "NEWSDESK_TASK_TIME_LIMIT", cls.task_time_limit),
            visibility_timeout=_int(env, "NEWSDESK_VISIBILITY_TIMEOUT", cls.visibility_timeout),
            redis_timeout=_float(env, "NEWSDESK_REDIS_TIMEOUT", cls.redis_timeout),
            client_timeout=_float(env, "NEWSDESK_CLIENT_TIMEOUT", cls.client_timeout),
            queue=env.get("NEWSDESK_QUEUE") or cls.queue,
            worker_pool=env.get("NEWSDESK_WORKER_POOL") or cls.worker_pool,
            log_level=(env.get("NEWSDESK_LOG_LEVEL") or cls.log_level).upper(),
            api_key_hashes=load_key_hashes(env),
            rate_limit_per_minute=_int(env, "NEWSDESK_RATE_LIMIT_PER_MINUTE", cls.rate_limit_per_minute),
            max_queued_per_key=_int(env, "NEWSDESK_MAX_QUEUED_PER_KEY", cls.max_queued_per_key),
            bulk_after_queued=_int(env, "NEWSDESK_BULK_AFTER_QUEUED", cls.bulk_after_queued),
            stale_after_seconds=_int(env, "NEWSDESK_STALE_AFTER_SECONDS", cls.stale_after_seconds),
            max_attempts=_int(env, "NEWSDESK_MAX_ATTEMPTS", cls.max_attempts),
            requeue_queued_after_seconds=_int(env, "NEWSDESK_REQUEUE_QUEUED_AFTER_SECONDS",
                                              cls.requeue_queued_after_seconds),
            webhook_allow=env.get("NEWSDESK_WEBHOOK_ALLOW", ""),
            webhook_secret=env.get("NEWSDESK_WEBHOOK_SECRET", ""),
            webhook_max_attempts=_int(env, "NEWSDESK_WEBHOOK_MAX_ATTEMPTS", cls.webhook_max_attempts),
            webhook_timeout=_float(env, "NEWSDESK_WEBHOOK_TIMEOUT", cls.webhook_timeout),
            webhook_backoff=_float(env, "NEWSDESK_WEBHOOK_BACKOFF", cls.webhook_backoff),
            api_workers=_int(env, "NEWSDESK_API_WORKERS", cls.api_workers),
            api_threads=_int(env, "NEWSDESK_API_THREADS", cls.api_threads),
        )
        settings.validate()
        return settings

    def validate(self) -> None:
        if self.max_body_bytes < 1024:
            raise ValueError("NEWSDESK_MAX_BODY_BYTES must be at least 1024")
        if self.result_ttl_seconds < 60:
            raise ValueError("NEWSDESK_RESULT_TTL_SECONDS must be at least 60")
        if not 0 < self.task_soft_time_limit < self.task_time_limit:
            raise ValueError("need 0 < NEWSDESK_TASK_SOFT_TIME_LIMIT < NEWSDESK_TASK_TIME_LIMIT")
        # A chunk size of 0 fails every batch, a negative one queues none of its jobs; a timeout
        # of 0 makes every Redis call fail at once. Refused here rather than at the first request.
        positive = {"NEWSDESK_RATE_LIMIT_PER_MINUTE": self.rate_limit_per_minute,
                    "NEWSDESK_MAX_QUEUED_PER_KEY": self.max_queued_per_key,
                    "NEWSDESK_BULK_AFTER_QUEUED": self.bulk_after_queued,
                    "NEWSDESK_MAX_ATTEMPTS": self.max_attempts,
                    "NEWSDESK_AOF_REWRITE_SECONDS": self.aof_rewrite_seconds,
                    "NEWSDESK_BATCH_CHUNK_SIZE": self.batch_chunk_size,
                    "NEWSDESK_BATCH_CHUNK_CHARS": self.batch_chunk_chars,
                    "NEWSDESK_MAX_BATCH_BYTES": self.max_batch_bytes,
                    "NEWSDESK_MAX_BODY_BYTES_IN_FLIGHT": self.max_body_bytes_in_flight,
                    "NEWSDESK_REDIS_TIMEOUT": self.redis_timeout,
                    "NEWSDESK_CLIENT_TIMEOUT": self.client_timeout,
                    "NEWSDESK_WEBHOOK_TIMEOUT": self.webhook_timeout,
                    "NEWSDESK_WEBHOOK_MAX_ATTEMPTS": self.webhook_max_attempts,
                    "NEWSDESK_REQUEUE_QUEUED_AFTER_SECONDS": self.requeue_queued_after_seconds,
                    # Read by gunicorn, which otherwise failed on them with "invalid literal for
                    # int()" or "max_workers must be greater than 0", naming neither.
                    "NEWSDESK_API_WORKERS": self.api_workers,
                    "NEWSDESK_API_THREADS": self.api_threads}
        for name, value in positive.items():
            if not value > 0:  # so written, NaN is refused too
                raise ValueError(f"{name} must be positive, got {value}")
        # A retry waits backoff * 2**n seconds: NaN or infinity could not be scheduled at all.
        if not 0 <= self.webhook_backoff < math.inf:
            raise ValueError(f"NEWSDESK_WEBHOOK_BACKOFF must be 0 or more, got {self.webhook_backoff}")
        if self.stale_after_seconds < 3:
            raise ValueError("NEWSDESK_STALE_AFTER_SECONDS must be at least 3")
        if not _QUEUE_NAME.fullmatch(self.queue):
            # It is a label value in /metrics, where a quote, comma or line break ends a sample.
            raise ValueError("NEWSDESK_QUEUE must be 1-200 letters, digits and . _ : - only")
        if self.log_level not in LOG_LEVELS:
            raise ValueError(f"NEWSDESK_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}")
        if self.worker_pool not in WORKER_POOLS:
            raise ValueError(f"NEWSDESK_WORKER_POOL must be one of {', '.join(WORKER_POOLS)}")
        scheme, separator, _ = self.broker.partition("://")
        if self.broker and (not separator or scheme not in BROKER_SCHEMES):
            # Only the scheme is quoted: the rest of the URL may carry a password.
            raise ValueError(f"NEWSDESK_BROKER_URL must be a URL of one of the schemes "
                             f"{', '.join(BROKER_SCHEMES)}, got {scheme + '://' if separator else 'no scheme'}")
        # Only kombu's Redis transport redelivers after a visibility timeout; RabbitMQ gives a
        # message back when its consumer's connection closes.
        if self.visibility_timeout <= self.task_time_limit and is_redis_broker(self.broker_url):
            raise ValueError("NEWSDESK_VISIBILITY_TIMEOUT must exceed NEWSDESK_TASK_TIME_LIMIT")
        broker_url_for(self.redis_url)  # a URL neither the job store nor Celery could use

    def __repr__(self) -> str:
        """As a dataclass shows itself, without the secrets: Celery shows these settings with its
        own configuration (`celery report`, `celery inspect conf`), where people paste them."""
        shown = {field.name: getattr(self, field.name) for field in fields(self)}
        shown["redis_url"] = redacted_url(self.redis_url)
        if self.broker:
            shown["broker"] = redacted_url(self.broker)
        if self.webhook_secret:
            shown["webhook_secret"] = HIDDEN
        return f"Settings({', '.join(f'{name}={value!r}' for name, value in shown.items())})"

    @property
    def auth_enabled(self) -> bool:
        return bool(self.api_key_hashes)

    def check_bind(self, host: str) -> None:
        """Without API keys the API may only listen on loopback: anyone else could use it."""
        if not self.auth_enabled and not is_loopback(host):
            raise SystemExit(
                f"Refusing to bind {host}: no API keys are configured, so anyone who reaches "
                f"this address could use the service. Set NEWSDESK_API_KEYS or "
                f"NEWSDESK_API_KEYS_FILE, or bind 127.0.0.1."
            )

    @property
    def broker_url(self) -> str:
        """NEWSDESK_BROKER_URL, else the same server as redis_url, spelled the way Celery/kombu want
        it (a Redis named as the broker is read as REDIS_URL is: see broker_url_for)."""
        if self.broker.startswith(("redis://", "rediss://")):
            return broker_url_for(self.broker)
        return self.broker or broker_url_for(self.redis_url)

    @property
    def socket_path(self) -> Path:
        return embedded_socket_path(self.data_dir)

    def redis_client(self) -> "redis.Redis":
        """A client with bounded timeouts: a dead Redis must give a fast 503, never a hang; and a
        command it gives up is not run later (newsdesk.redis_sockets)."""
        return abort_when_given_up(redis.Redis.from_url(
            self.redis_url,
            socket_timeout=self.redis_timeout,
            socket_connect_timeout=self.redis_timeout,
            health_check_interval=30,
        ))
