"""POST /v1/articles: validate an article, record a job, queue it, answer 202 with its URL."""

from __future__ import annotations

import json

from flask import Blueprint, current_app, request, url_for
from marshmallow import ValidationError

from newsdesk.job_document import job_document
from newsdesk.webhooks import UnsafeCallback, check_callback

from .auth import current_owner
from .errors import Problem
from .idempotency import IdempotencyKeys
from .queue import get_queue
from .schemas import ArticleSchema

bp = Blueprint("articles", __name__, url_prefix="/v1")
_article_schema = ArticleSchema()


def _accepted(job_id: str):
    location = url_for("jobs.get_job", job_id=job_id)
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


def json_body():
    if not request.is_json:
        raise Problem(415, "unsupported_media_type", "Unsupported Media Type",
                      "Send the article as JSON with Content-Type: application/json.")
    try:
        return json.loads(request.get_data(cache=False))
    except (ValueError, UnicodeDecodeError) as exc:
        raise Problem(400, "malformed_json", "The request body is not valid JSON", str(exc)) from None


def _load_article() -> dict:
    article = _article_schema.load(json_body())
    errors = callback_errors(article)
    if errors:
        raise ValidationError(errors)
    return article


@bp.post("/articles")
def submit_article():
    article = _load_article()
    queue, owner = get_queue(), current_owner()

    def create():
        job_id = queue.submit(article, owner)
        return job_id, _accepted(job_id)

    def replay(job_id: str):
        job = queue.store.get(job_id, with_article=False)
        if job is None:
            raise Problem(409, "idempotency_key_expired", "The original job no longer exists",
                          "The job created with this Idempotency-Key was deleted or expired.")
        return job_document(job), 200, {"Location": url_for("jobs.get_job", job_id=job_id)}

    return IdempotencyKeys(queue.store.redis).run(owner, request.headers.get("Idempotency-Key"),
                                                  article, create, replay)
