"""/v1/batches: up to 1,000 articles in one request, processed in chunks; counts per status."""

from __future__ import annotations

from collections import Counter

from flask import Blueprint, current_app, request, url_for

from .articles import require_json
from .auth import current_owner
from .batch_body import BatchBody
from .body import spooled_body
from .errors import Problem
from .idempotency import IdempotencyKeys
from .jobs import job_url
from .queue import get_queue

bp = Blueprint("batches", __name__, url_prefix="/v1")


def _accepted(batch_id: str, job_ids: list[str]):
    location = url_for("batches.get_batch", batch_id=batch_id)
    body = {"batch_id": batch_id, "status": "queued", "job_ids": job_ids, "links": {"self": location}}
    return body, 202, {"Location": location}


@bp.post("/batches")
def submit_batch():
    """All articles are validated first (errors by index); then all are queued, or none. The body
    is spooled and read through twice (service/batch_body.py): never held whole in memory."""
    settings = current_app.config["SETTINGS"]
    request.max_content_length = settings.max_batch_bytes
    require_json()
    with spooled_body() as file:
        batch = BatchBody(file, settings, fingerprinted="Idempotency-Key" in request.headers)
        batch.check()
        return _queued(batch)


def _queued(batch: BatchBody):
    queue, owner = get_queue(), current_owner()

    def create():
        batch_id, job_ids = queue.submit_batch(batch.articles(), owner)
        return batch_id, _accepted(batch_id, job_ids)

    def replay(batch_id: str):
        # Everything the first answer had, then the batch as it is now: a client that retries
        # after a lost 202 reads the same fields (job_ids above all) from either answer.
        batch = get_queue().batches.get(batch_id)
        if batch is None:  # the key (a day) can outlive the batch (twice the result TTL)
            raise Problem(409, "idempotency_key_expired", "The original batch no longer exists",
                          "The batch created with this Idempotency-Key expired.")
        body, _, headers = _accepted(batch_id, batch["job_ids"])
        return body | batch_document(batch), 200, headers

    # The fingerprint stands for the body: the digest of {"batch": articles}, as it always was.
    return IdempotencyKeys(queue.store.redis).run(owner, request.headers.get("Idempotency-Key"),
                                                  batch.fingerprint, create, replay)


def _owned_batch(batch_id: str) -> dict:
    batch = get_queue().batches.get(batch_id)
    if batch is None or batch["owner"] != current_owner():
        raise Problem(404, "batch_not_found", "No such batch", f"There is no batch {batch_id!r}.")
    return batch


def batch_document(batch: dict) -> dict:
    statuses = get_queue().store.statuses(batch["job_ids"])
    return {
        "batch_id": batch["batch_id"],
        "created_at": batch["created_at"],
        "expires_at": batch["expires_at"],
        "total": len(statuses),
        "counts": dict(Counter(status or "gone" for status in statuses)),
        "jobs": [{"job_id": job_id, "status": status,
                  "links": {"self": job_url(job_id)}}
                 for job_id, status in zip(batch["job_ids"], statuses)],
        "links": {"self": url_for("batches.get_batch", batch_id=batch["batch_id"])},
    }


@bp.get("/batches/<batch_id>")
def get_batch(batch_id: str):
    return batch_document(_owned_batch(batch_id))
