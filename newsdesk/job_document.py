"""The job as clients see it: in GET /v1/jobs/<id> and in webhook deliveries alike."""

from __future__ import annotations

import json

from .job_store import echo

# Stands in for the result while the rest of the document is encoded (see job_json).
_RESULT_MARK = "\x00newsdesk:result\x00"


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


def job_json(job: dict) -> str:
    """job_document as JSON text, for a job read with its result as the JSON text it is stored as
    (JobStore.get(result_as_text=True)). The result goes in as it is: decoding and re-encoding
    it would be most of the work of answering a GET (about 0.1 ms for a short article's result)."""
    result = job["result"]
    if result is None:
        return json.dumps(job_document(job), separators=(",", ":"))
    text = json.dumps(job_document(job | {"result": _RESULT_MARK}), separators=(",", ":"))
    # The first occurrence is the result's: only our own fields come before it in the document
    # (metadata, which a client chose, comes after).
    return text.replace(json.dumps(_RESULT_MARK), result, 1)
