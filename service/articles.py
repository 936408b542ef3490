"""POST /v1/articles: validate an article, record a job, queue it, answer 202 with its URL."""

from __future__ import annotations

import json

from flask import Blueprint, request, url_for

from .errors import Problem
from .queue import get_queue
from .schemas import ArticleSchema

bp = Blueprint("articles", __name__, url_prefix="/v1")
_article_schema = ArticleSchema()


def _json_body():
    if not request.is_json:
        raise Problem(415, "unsupported_media_type", "Unsupported Media Type",
                      "Send the article as JSON with Content-Type: application/json.")
    try:
        return json.loads(request.get_data(cache=False))
    except (ValueError, UnicodeDecodeError) as exc:
        raise Problem(400, "malformed_json", "The request body is not valid JSON", str(exc)) from None


@bp.post("/articles")
def submit_article():
    article = _article_schema.load(_json_body())
    job_id = get_queue().submit(article)
    location = url_for("jobs.get_job", job_id=job_id)
    body = {"job_id": job_id, "status": "queued", "links": {"self": location}}
    return body, 202, {"Location": location}
