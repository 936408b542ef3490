"""GET /openapi.json: the OpenAPI 3 document, generated from the marshmallow schemas."""

from __future__ import annotations

from functools import lru_cache

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, current_app

from . import schemas
from .idempotency import MAX_KEY_LENGTH

bp = Blueprint("openapi", __name__)

_ERROR_CODES = """An RFC 9457 problem; branch on its stable `code`:

| status | code |
|---|---|
| 400 | `malformed_json`, `malformed_body` (broken chunking, corrupt gzip, a body cut short), `invalid_idempotency_key`, `bad_request` (refused by the HTTP server) |
| 401 | `unauthorized` (missing or unknown API key; `WWW-Authenticate: Bearer`) |
| 404 | `job_not_found`, `batch_not_found`, `not_found` |
| 405 | `method_not_allowed` (with `Allow`) |
| 408 | `request_timeout` (the request did not arrive within `NEWSDESK_CLIENT_TIMEOUT`, or too slowly) |
| 409 | `idempotency_key_reused`, `idempotency_key_in_progress` (with `Retry-After`), `idempotency_key_expired`, `job_running` |
| 411 | `length_required` (an HTTP/1.0 body without Content-Length) |
| 413 | `payload_too_large` |
| 414, 417, 431 | `uri_too_long`, `expectation_failed` (an `Expect` other than `100-continue`), `headers_too_large` (refused by the HTTP server) |
| 415 | `unsupported_media_type` (not JSON, or a `Content-Encoding` other than `gzip`) |
| 422 | `validation_failed` (`errors` names each failing field; for batches by article index) |
| 429 | `rate_limited`, `queue_full` (with `Retry-After`) |
| 500 | `internal_error` (an unexpected failure; it is logged) |
| 501 | `not_implemented` (a request Transfer-Encoding other than chunked and gzip) |
| 503 | `queue_unavailable`, `too_many_large_bodies` (with `Retry-After`; nothing was queued) |
"""
_RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before retrying."}}
_PROBLEM = {"description": _ERROR_CODES,
            "content": {"application/problem+json": {"schema": "Problem"}}}
_LIMITED = {"description": "Rate limit or queue cap reached (`rate_limited`, `queue_full`)",
            "headers": _RETRY_AFTER, "content": {"application/problem+json": {"schema": "Problem"}}}
_UNAVAILABLE = {"description": "Redis cannot be reached or is out of memory (`queue_unavailable`), or the API "
                               "process holds too many large request bodies (`too_many_large_bodies`); "
                               "nothing was queued",
                "headers": _RETRY_AFTER, "content": {"application/problem+json": {"schema": "Problem"}}}
_ERRORS = {"429": _LIMITED, "503": _UNAVAILABLE, "default": _PROBLEM}
_AUTH = [{"bearer": []}]
_BODY = ("JSON in UTF-8, with Content-Length or chunked; it may be sent with `Content-Encoding: gzip` "
         "(the size limit holds before and after decoding).")


def _json(schema: str | dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


# Request examples shown (and sent by "Try it out") in /docs. The Danish one is the opening of
# seeds/da-kim-jong-un-rusland.json; seeds/ is not part of the installed package, so it is inline.
_ARTICLE_EXAMPLES = {
    "danish": {"summary": "A Danish news article (the opening of the Danish seed)", "value": {
        "text": "Den nordkoreanske leder, Kim Jong-un, lader til at have sat kursen mod Rusland før et "
                "muligt møde med Ruslands præsident, Vladimir Putin.\n\nDet melder den sydkoreanske "
                "tv-station YTN mandag med henvisning til en unavngiven regeringskilde.",
        "language": "da", "published_at": "2023-09", "options": {"summary_sentences": 1}}},
    "minimal": {"summary": "Only the text; the language is detected", "value": {
        "text": "The European Central Bank kept its rates unchanged on Thursday, President Christine "
                "Lagarde told reporters in Frankfurt."}},
}


_READINESS = {"type": "object", "required": ["status", "checks"], "properties": {
    "status": {"type": "string", "enum": ["ready", "not_ready"]},
    "checks": {"type": "object", "required": ["redis", "broker", "workers"], "properties": {
        "redis": {"type": "boolean"}, "broker": {"type": "boolean"},
        "workers": {"type": "integer", "minimum": 0}}},
    "warnings": {"type": "array", "description": "What is amiss without failing a check "
                 "(`redis_evicts_keys`: Redis may evict keys when full)", "items": {
        "type": "object", "required": ["code", "message"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}}}


def _idempotency_key(description: str) -> dict:
    return {"in": "header", "name": "Idempotency-Key", "description": description,
            "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH}}


def _job_id() -> dict:
    return {"in": "path", "name": "job_id", "required": True, "schema": {"type": "string"}}


def _paths() -> dict:
    return {
        "/v1/articles": {"post": {
            "summary": "Submit an article for analysis",
            "security": _AUTH,
            "parameters": [_idempotency_key("Repeat a POST safely: same key and body within 24 h gives the same job."),
                           {"in": "query", "schema": schemas.JobQuerySchema}],
            "requestBody": {"required": True, "description": _BODY, "content": {"application/json": {
                "schema": "Article", "examples": _ARTICLE_EXAMPLES}}},
            "responses": {
                "202": _json({"oneOf": [{"$ref": "#/components/schemas/JobAccepted"},
                                        {"$ref": "#/components/schemas/Job"}]},
                             "Queued; poll the Location. With `?wait=N`: not finished after N "
                             "seconds, and the body is the whole Job as it is then") | {
                    "headers": {"Location": {"schema": {"type": "string"}, "description": "The job URL"}}},
                "200": _json("Job", "With `?wait=N`: the job finished within N seconds. Without: an "
                                    "earlier request with this Idempotency-Key and body") | {
                    "headers": {"Location": {"schema": {"type": "string"}, "description": "The job URL"}}},
                **_ERRORS,
            },
        }},
        "/v1/batches": {"post": {
            "summary": "Submit up to 1,000 articles at once",
            "security": _AUTH,
            "parameters": [_idempotency_key("Repeat a POST safely: same key and body within 24 h gives the same batch.")],
            "requestBody": {"required": True, "description": _BODY,
                            "content": {"application/json": {"schema": "Batch"}}},
            "responses": {
                "202": _json("BatchAccepted", "Queued; poll the Location") | {
                    "headers": {"Location": {"schema": {"type": "string"}, "description": "The batch URL"}}},
                "200": _json("BatchReplay", "An earlier request with this Idempotency-Key and body: "
                                            "the 202's fields and the batch's status") | {
                    "headers": {"Location": {"schema": {"type": "string"}, "description": "The batch URL"}}},
                **_ERRORS,
            },
        }},
        "/v1/batches/{batch_id}": {"get": {
            "summary": "Counts per status and the batch's jobs", "security": _AUTH,
            "parameters": [{"in": "path", "name": "batch_id", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": _json("BatchStatus", "The batch"), **_ERRORS},
        }},
        "/v1/jobs": {"get": {
            "summary": "The caller's jobs, newest first (without results)",
            "security": _AUTH,
            "parameters": [{"in": "query", "schema": schemas.JobListQuerySchema}],
            "responses": {"200": _json("JobList", "A page of jobs"), **_ERRORS},
        }},
        "/v1/jobs/{job_id}": {
            "get": {"summary": "A job: status, then result or error", "security": _AUTH,
                    "parameters": [_job_id(), {"in": "query", "schema": schemas.JobQuerySchema}],
                    "responses": {"200": _json("Job", "The job"), **_ERRORS}},
            "delete": {"summary": "Cancel a queued job or delete a finished one", "security": _AUTH,
                       "parameters": [_job_id()],
                       "responses": {"204": {"description": "Deleted"}, **_ERRORS}},
        },
        "/v1/webhooks/secret": {"get": {
            "summary": "The caller's webhook signing secret", "security": _AUTH,
            "responses": {"200": _json("WebhookSecret", "The secret"), **_ERRORS},
        }},
        "/healthz": {"get": {
            "summary": "Liveness",
            "responses": {"200": {"description": "Up", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"status": {"type": "string"}}}}}},
                "default": _PROBLEM},
        }},
        "/readyz": {"get": {
            "summary": "Readiness: Redis and the broker answer, and a running worker reported within "
                       "NEWSDESK_STALE_AFTER_SECONDS",
            "responses": {"200": _json(_READINESS, "Ready"),
                          "503": _json(_READINESS, "Not ready; `checks` names the failing one"),
                          "default": _PROBLEM},
        }},
        "/metrics": {"get": {
            "summary": "Prometheus metrics (text exposition format 0.0.4)",
            "responses": {"200": {"description": "The metrics", "content": {"text/plain": {"schema": {
                "type": "string"}}}}, "503": _UNAVAILABLE, "default": _PROBLEM},
        }},
    }


@lru_cache(maxsize=1)
def build_spec() -> dict:
    spec = APISpec(
        title="Newsdesk", version="1.0.0", openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={"description": "Submit news articles; get language, an extractive summary and "
                             "named entities by job ID. Errors are RFC 9457 problem+json."},
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer",
                                               "description": "An API key (when keys are configured)."})
    for name in ("Problem", "Article", "JobAccepted", "Job", "JobList", "WebhookSecret", "Batch",
                 "BatchAccepted", "BatchStatus", "BatchReplay"):
        spec.components.schema(name, schema=getattr(schemas, f"{name}Schema"))
    for path, operations in _paths().items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()


def _without_security(document: dict) -> dict:
    """With auth off no operation needs a key: say so, rather than document a header that is ignored."""
    paths = {path: {method: {k: v for k, v in operation.items() if k != "security"}
                    for method, operation in operations.items()}
             for path, operations in document["paths"].items()}
    return document | {"paths": paths}


@bp.get("/openapi.json")
def openapi_json():
    document = build_spec()
    return document if current_app.config["SETTINGS"].auth_enabled else _without_security(document)
