"""POST /v1/articles: validate an article, record a job, queue it, answer 202 with its URL."""

from __future__ import annotations

import json

from flask import Blueprint, current_app, request
from marshmallow import ValidationError

from newsdesk.job_document import job_document
from newsdesk.job_store import TERMINAL, Claimed, new_job_id
from newsdesk.webhooks import UnsafeCallback, check_callback

from .auth import count_request, current_owner, folds_rate_limit, rate_charge
from .body import parse_turn, read_body
from .errors import Problem
from .health import annotate_request_log
from .idempotency import IdempotencyKeys
from .jobs import job_response, job_url
from .long_poll import hung_up_check, long_poll_slot, unwaited_headers
from .queue import get_queue
from .schemas import load_article, wait_seconds

bp = Blueprint("articles", __name__, url_prefix="/v1")


def _accepted(job_id: str, article: dict):
    annotate_request_log(job_id=job_id, language=article["language"], chars=len(article["text"]))
    location = job_url(job_id)
    body = {"job_id": job_id, "status": "queued", "links": {"self": location}}
    return body, 202, {"Location": location}


def callback_errors(article: dict) -> dict:
    """The SSRF guard's verdict on an article's callback_url, as marshmallow-style errors."""
    if not article["callback_url"]:
        return {}
    try:
        check_callback(article["callback_url"], current_app.config["SETTINGS"].webhook_allow)
    except UnsafeCallback as exc:
        return {"callback_url": [str(exc)]}
    return {}


def not_json(constant: str):
    """json's parse_constant: Python's parser takes NaN and Infinity, which JSON has not: a job
    that kept them would be served (and sent to webhooks) as a document that no JSON parser reads."""
    raise ValueError(f"{constant} is not a JSON value")


def _text(body: bytearray) -> str:
    """The body decoded as json.loads decodes bytes (UTF-8, -16 or -32), and emptied, so that
    its bytes are freed before parsing: else the bytes, the text and the article are held at once."""
    text = body.decode(json.detect_encoding(body), "surrogatepass")
    body.clear()
    return text


def require_json() -> None:
    if not request.is_json:
        raise Problem(415, "unsupported_media_type", "Unsupported Media Type",
                      "Send the article as JSON with Content-Type: application/json.")


def malformed_json(detail: str) -> Problem:
    return Problem(400, "malformed_json", "The request body is not valid JSON", detail)


def json_body(body: bytearray):
    """`body`, as read_body() gave it, parsed as JSON (and emptied)."""
    try:
        return json.loads(_text(body), parse_constant=not_json)
    except (ValueError, UnicodeDecodeError) as exc:
        raise malformed_json(str(exc)) from None
    except RecursionError:  # the parser recurses per level: a body of nested brackets stops it
        raise malformed_json("The JSON is nested too deeply to parse.") from None


def _load_article(body: bytearray) -> dict:
    article = load_article(json_body(body))
    errors = callback_errors(article)
    if errors:
        raise ValidationError(errors)
    return article


@bp.post("/articles")
@folds_rate_limit
def submit_article():
    """With `?wait=N` the answer comes as soon as the job finishes (200, the whole job), or after
    N seconds (202, the job as it is then): a client needs one request, not a POST and a GET."""
    wait = wait_seconds(request)
    require_json()
    body = read_body()
    with parse_turn(body):
        response = _submit(_load_article(body))
    # The article is freed by now: a `?wait` holds none of it.
    return _waited(response[0]["job_id"], wait) if wait else response


def _submit(article: dict):
    """Record the article's job and queue it (or replay the job its Idempotency-Key made)."""
    queue, owner = get_queue(), current_owner()
    if queue.queues_in_script:
        return _submit_in_one_script(queue, owner, article)
    count_request()

    def create():
        job_id = queue.submit(article, owner)
        return job_id, _accepted(job_id, article)

    return IdempotencyKeys(queue.store.redis).run(owner, request.headers.get("Idempotency-Key"),
                                                  article, create, _replay, queue.store.key)


def _waited(job_id: str, wait: float):
    queue = get_queue()
    with long_poll_slot() as waits:
        if waits:
            job = queue.store.wait_finished(job_id, wait, queue.done_events, current_owner(), result_as_text=True,
                                            hung_up=hung_up_check())
        else:
            job = queue.store.get(job_id, with_article=False, result_as_text=True)
    if job is None:  # deleted while we waited
        raise Problem(404, "job_not_found", "No such job", f"Job {job_id!r} was deleted.")
    status = 200 if job["status"] in TERMINAL else 202
    headers = {"Location": job_url(job_id)} | unwaited_headers(wait, waits, job)
    return job_response(job, status, headers)


def _submit_in_one_script(queue, owner: str, article: dict):
    """Count the request, take its Idempotency-Key, record and queue the job: one round trip."""
    key = request.headers.get("Idempotency-Key")
    job_id = new_job_id()
    claim = IdempotencyKeys.claim_with_job(owner, key, article, job_id) if key is not None else None
    try:
        queue.submit(article, owner, job_id=job_id, charge=rate_charge(), claim=claim)
    except Claimed as exc:
        return _replay(IdempotencyKeys.earlier_job(exc.earlier, article))
    return _accepted(job_id, article)


def _replay(job_id: str):
    job = get_queue().store.get(job_id, with_article=False)
    if job is None:
        raise Problem(409, "idempotency_key_expired", "The original job no longer exists",
                      "The job created with this Idempotency-Key was deleted or expired.")
    return job_document(job), 200, {"Location": job_url(job_id)}
