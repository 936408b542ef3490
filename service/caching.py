"""Cache-Control: what no cache, private or shared, may keep.

Every /v1 answer is one key's view of jobs that change (queued, running, finished, deleted),
and some carry secrets (GET /v1/webhooks/secret); errors and health answers describe a
moment. None of them may be stored, or a browser or a proxy between client and API would
answer a later poll with a stale job, or hand one key's data to another caller. Pages and
assets that do not change with the caller (/console, /docs, /openapi.json, static files) keep
their own headers.
"""

from __future__ import annotations

from flask import Flask, Response, request

NO_STORE = "no-store"


# The blueprints of /v1 and the health endpoints (any other path under /v1 is a 404).
_PER_CALLER = frozenset({"articles", "batches", "jobs", "webhooks", "health"})


def _no_store(response: Response) -> Response:
    # getlist and add, not `in` and item assignment: Werkzeug's `in` raises and catches a KeyError
    # when the header is absent, which made this hook a twentieth of a job GET's instructions.
    if (response.status_code >= 400 or request.blueprint in _PER_CALLER) \
            and not response.headers.getlist("Cache-Control"):
        response.headers.add("Cache-Control", NO_STORE)
    return response


def init_caching(app: Flask) -> None:
    app.after_request(_no_store)
