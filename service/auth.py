"""Who is calling: `Authorization: Bearer <key>` on every /v1 request, and a rate limit per key.

With no keys configured auth is off (every caller is `anonymous`); the service then refuses to
listen on anything but loopback (see Settings.check_bind).

The rate limit counts every /v1 request before its view runs, in a round trip of its own, except
in the views marked `folds_rate_limit` (the busiest ones): those hand `rate_charge()` to the job
store, which counts the request in the round trip the view makes anyway.
"""

from __future__ import annotations

import functools
import math

import redis
from flask import Flask, Response, current_app, g, request

from newsdesk.api_keys import ANONYMOUS, identify
from newsdesk.job_store import Charge, LimitExceeded

from .errors import Problem, problem_response

RATE_WINDOW_SECONDS = 60


def current_owner() -> str:
    return g.owner


def _authenticate() -> None:
    settings = current_app.config["SETTINGS"]
    if not settings.auth_enabled:
        g.owner = ANONYMOUS
        return
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    owner = identify(token.strip(), settings.api_key_hashes) if scheme.lower() == "bearer" else None
    if owner is None:
        raise Problem(401, "unauthorized", "A valid API key is required",
                      "Send `Authorization: Bearer <your API key>`.",
                      headers={"WWW-Authenticate": 'Bearer realm="newsdesk"'})
    g.owner = owner


def rate_charge() -> Charge:
    """This request's count against its key's limit: a fixed one-minute window from the key's
    first request in it, counted and timed in Redis so that all API processes share it, on
    whatever machines and clocks. The request counts as counted from here on."""
    limit = current_app.config["SETTINGS"].rate_limit_per_minute
    g.rate_counted = True
    return Charge(key=f"newsdesk:rate:{g.owner}", limit=limit, ttl=RATE_WINDOW_SECONDS)


def count_request() -> None:
    """Count the request in a round trip of its own (429 over the limit)."""
    from .queue import get_queue

    get_queue().store.count(rate_charge())


def _count_once() -> None:
    if not g.get("rate_counted"):
        count_request()


def folds_rate_limit(view):
    """Mark a view that passes `rate_charge()` to the job store (or calls `count_request()`)
    itself. Should it fail before it did, the request is counted here all the same, so that an
    invalid request is limited like any other and 429 still wins over every other error."""

    @functools.wraps(view)
    def counted(*args, **kwargs):
        try:
            response = view(*args, **kwargs)
        except redis.RedisError:
            raise  # 503: there is nothing to count with
        except Exception:
            _count_once()
            raise
        _count_once()
        return response

    counted.folds_rate_limit = True
    return counted


def _rate_limited(exc: LimitExceeded) -> Response:
    response = problem_response(429, "rate_limited", "Too many requests",
                                f"This key may make {exc.charge.limit} requests per minute.")
    response.headers["Retry-After"] = str(max(1, math.ceil(exc.charge.left)))
    return response


def _guard() -> None:
    if request.blueprint and request.path.startswith("/v1/"):
        _authenticate()
        view = current_app.view_functions.get(request.endpoint)
        # Flask answers OPTIONS itself, without running the view: count those here too.
        if request.method == "OPTIONS" or not getattr(view, "folds_rate_limit", False):
            count_request()


def init_auth(app: Flask) -> None:
    app.before_request(_guard)
    app.register_error_handler(LimitExceeded, _rate_limited)
