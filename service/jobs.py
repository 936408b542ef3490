"""GET /v1/jobs/<job_id>: the job record as a client sees it."""

from __future__ import annotations

from flask import Blueprint, url_for

from .errors import Problem
from .queue import get_queue

bp = Blueprint("jobs", __name__, url_prefix="/v1")

# What of the submitted article is echoed back (the text itself is not: it can be 1 MB).
_ECHOED = ("title", "url", "published_at", "language")


def job_document(job: dict) -> dict:
    article = job["article"] or {}
    return {
        "job_id": job["job_id"],
        "status": job["status"],
        "created_at": job.get("created_at"),
        "started_at": job.get("started_at"),
        "finished_at": job.get("finished_at"),
        # The job, its text and its result are deleted at this moment (NEWSDESK_RESULT_TTL_SECONDS).
        "expires_at": job.get("expires_at"),
        "error": job["error"],
        "result": job["result"],
        "article": {name: article.get(name) for name in _ECHOED} | {"chars": len(article.get("text", ""))},
        "metadata": article.get("metadata", {}),
        "links": {"self": url_for("jobs.get_job", job_id=job["job_id"])},
    }


@bp.get("/jobs/<job_id>")
def get_job(job_id: str):
    job = get_queue().store.get(job_id)
    if job is None:
        raise Problem(404, "job_not_found", "No such job",
                      f"There is no job {job_id!r}; finished jobs expire after their retention.")
    return job_document(job)
