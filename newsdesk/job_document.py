"""The job as clients see it: in GET /v1/jobs/<id> and in webhook deliveries alike."""

from __future__ import annotations

from .job_store import echo


def job_path(job_id: str) -> str:
    return f"/v1/jobs/{job_id}"


def job_document(job: dict, with_result: bool = True) -> dict:
    shown = dict(job.get("echo") or echo(job["article"]))
    metadata = shown.pop("metadata")
    document = {
        "job_id": job["job_id"],
        "status": job["status"],
        "created_at": job.get("created_at"),
        "started_at": job.get("started_at"),
        "finished_at": job.get("finished_at"),
        # The job, its text and its result are deleted at this moment (NEWSDESK_RESULT_TTL_SECONDS).
        "expires_at": job.get("expires_at"),
        "error": job["error"],
        "result": job["result"],
        "article": shown,
        "metadata": metadata,
        "links": {"self": job_path(job["job_id"])},
    }
    if job.get("webhook"):
        document["webhook"] = job["webhook"]
    if not with_result:
        del document["result"]
    return document
