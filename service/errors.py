"""RFC 9457 problem details: one payload shape and one place that produces it.

Every error a client can get from the API is `application/problem+json` with a stable `code`
(also the last segment of `type`), so clients can branch on it without parsing prose.
"""

from __future__ import annotations

import logging

import redis
from flask import Flask, Response, json, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from newsdesk.redis_checks import is_out_of_memory

PROBLEM_MIME = "application/problem+json"
TYPE_BASE = "https://newsdesk.dev/problems/"
log = logging.getLogger(__name__)

# Stable codes for the HTTP errors Werkzeug raises; anything else falls back to its status name.
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    408: "request_timeout",
    413: "payload_too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    409: "conflict",
    411: "length_required",
    422: "validation_failed",
    429: "rate_limited",
    431: "headers_too_large",
    500: "internal_error",
    501: "not_implemented",
    503: "service_unavailable",
}


class Problem(Exception):
    """Raise from a view to answer with a problem document."""

    def __init__(self, status: int, code: str, title: str, detail: str | None = None,
                 headers: dict[str, str] | None = None, **extra):
        super().__init__(title)
        self.status, self.code, self.title, self.detail, self.extra = status, code, title, detail, extra
        self.headers = headers or {}


def problem_response(status: int, code: str, title: str, detail: str | None = None,
                     **extra) -> Response:
    body = {"type": TYPE_BASE + code, "title": title, "status": status, "code": code}
    if detail:
        body["detail"] = detail
    body["instance"] = request.path
    body.update(extra)
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MIME)
    return response


def _problem(exc: Problem) -> Response:
    response = problem_response(exc.status, exc.code, exc.title, exc.detail, **exc.extra)
    response.headers.update(exc.headers)
    return response


def _http_error(exc: HTTPException) -> Response:
    status = exc.code or 500
    code = HTTP_CODES.get(status, (exc.name or "error").lower().replace(" ", "_"))
    response = problem_response(status, code, exc.name, _describe(status, exc))
    if status == 405 and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def _describe(status: int, exc: HTTPException) -> str | None:
    # Werkzeug's 413 says only "exceeds the capacity limit": name the limit, so a user knows
    # how much to cut (articles and batches have limits of their own).
    limit = request.max_content_length if status == 413 else None
    if limit is None:
        return exc.description
    return f"The request body may be at most {limit:,} bytes, before and after gzip decoding; this one is longer."


def _validation_error(exc: ValidationError) -> Response:
    errors = exc.normalized_messages()
    return problem_response(422, "validation_failed", _invalid_what(errors),
                            "See `errors` for each field that failed.", errors=errors)


def _invalid_what(errors: dict) -> str:
    if request.args and set(errors) <= set(request.args):
        return "The query parameters are not valid"  # ?wait=, or a job list's filters
    if request.blueprint == "batches":
        return "The request body is not a valid batch"
    return "The request body is not a valid article"


def queue_unavailable(exc: Exception) -> Problem:
    """The answer when Redis (the job store or the broker) fails a request: it cannot be reached,
    or it is out of memory and refuses writes (reads still work then)."""
    if is_out_of_memory(exc):
        log.error("Redis is out of memory (maxmemory reached): new jobs are refused until it has room")
        detail = "Redis is out of memory; nothing was queued; retry later."
    else:
        log.warning("queue unavailable: %s", exc)
        detail = "Nothing was queued; retry later."
    return Problem(503, "queue_unavailable", "The job queue is unavailable", detail,
                   headers={"Retry-After": "5"})


def _redis_unavailable(exc: redis.RedisError) -> Response:
    return _problem(queue_unavailable(exc))


def _unexpected(exc: Exception) -> Response:
    log.exception("unhandled error")
    return problem_response(500, "internal_error", "Internal Server Error",
                            "The server failed to answer; the error was logged.")


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(Problem, _problem)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(ValidationError, _validation_error)
    app.register_error_handler(redis.RedisError, _redis_unavailable)
    app.register_error_handler(Exception, _unexpected)
