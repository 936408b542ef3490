"""What operators watch: liveness, readiness, Prometheus metrics, and one log line per request."""

from __future__ import annotations

import logging
import time

import redis
from flask import Blueprint, Flask, Response, g, request

from newsdesk import metrics
from newsdesk.redis_checks import eviction_warning

from .queue import get_queue

bp = Blueprint("health", __name__)
log = logging.getLogger("newsdesk.http")


@bp.get("/healthz")
def healthz():
    """Liveness: the process answers; nothing else is touched, so it is always cheap."""
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    """Readiness: Redis and the broker answer, and at least one running worker reported within
    NEWSDESK_STALE_AFTER_SECONDS (a worker that stops withdraws at once); with warnings about
    the Redis set-up."""
    checks, warnings = {"redis": False, "broker": False, "workers": 0}, []
    queue = get_queue()
    client = queue.store.redis
    try:
        checks["redis"] = bool(client.ping())
        checks["workers"] = metrics.live_workers(client)
        # Not a failing check: the service works, but may lose what it accepted.
        evicting = eviction_warning(client)
        if evicting:
            warnings.append({"code": "redis_evicts_keys", "message": evicting})
    except redis.RedisError:
        pass
    # A broker that is the store's Redis answers as Redis does; another one is asked.
    checks["broker"] = checks["redis"] if queue.queues_in_script else queue.broker_answers()
    ready = checks["redis"] and checks["broker"] and checks["workers"] > 0
    body = {"status": "ready" if ready else "not_ready", "checks": checks, "warnings": warnings}
    return body, 200 if ready else 503


@bp.get("/metrics")
def prometheus():
    queue = get_queue()
    text = metrics.render(queue.store.redis, queue.depths())
    return Response(text, mimetype="text/plain; version=0.0.4")


def _start_clock() -> None:
    g.request_started = time.perf_counter()


def annotate_request_log(**fields) -> None:
    """Add fields to this request's log line (a submit names its job there: one line, not two)."""
    g.log_fields = g.get("log_fields", {}) | fields


def _log_request(response: Response) -> Response:
    log.info("http request", extra={
        "method": request.method, "path": request.path, "status": response.status_code,
        "duration_ms": round((time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000, 2),
        "key_id": g.get("owner"), "bytes_in": request.content_length or 0, **g.get("log_fields", {}),
    })
    return response


def init_request_log(app: Flask) -> None:
    app.before_request(_start_clock)
    app.after_request(_log_request)
