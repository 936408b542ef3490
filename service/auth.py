"""Who is calling: `Authorization: Bearer <key>` on every /v1 request, and a rate limit per key.

With no keys configured auth is off (every caller is `anonymous`); the service then refuses to
listen on anything but loopback (see Settings.check_bind).
"""

from __future__ import annotations

import time

from flask import Flask, current_app, g, request

from newsdesk.api_keys import ANONYMOUS, identify

from .errors import Problem

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


def _rate_limit() -> None:
    """A fixed one-minute window per key, counted in Redis so all API processes share it."""
    from .queue import get_queue

    limit = current_app.config["SETTINGS"].rate_limit_per_minute
    now = time.time()
    window = int(now // RATE_WINDOW_SECONDS)
    key = f"newsdesk:rate:{g.owner}:{window}"
    with get_queue().store.redis.pipeline(transaction=False) as pipe:
        pipe.incr(key)
        pipe.expire(key, RATE_WINDOW_SECONDS * 2)
        count, _ = pipe.execute()
    g.rate_remaining = max(0, limit - count)
    if count > limit:
        retry_after = max(1, int((window + 1) * RATE_WINDOW_SECONDS - now + 0.999))
        raise Problem(429, "rate_limited", "Too many requests",
                      f"This key may make {limit} requests per minute.",
                      headers={"Retry-After": str(retry_after)})


def _guard() -> None:
    if request.blueprint and request.path.startswith("/v1/"):
        _authenticate()
        _rate_limit()


def init_auth(app: Flask) -> None:
    app.before_request(_guard)
