"""/v1/jobs: one job as its owner sees it, the owner's job list, and deleting a job.

A job of another key is answered exactly like a job that does not exist (404), so a key cannot
even learn that another client's job id is real.
"""

from __future__ import annotations

import contextlib

from flask import Blueprint, Response, request, url_for

from newsdesk.job_document import job_document, job_json, job_path
from newsdesk.job_store import Charge, JobRunning
from newsdesk.memory import give_back

from .auth import current_owner, folds_rate_limit, rate_charge
from .errors import Problem
from .long_poll import hung_up_check, long_poll_slot, unwaited_headers
from .queue import get_queue
from .schemas import JobListQuerySchema, wait_seconds

bp = Blueprint("jobs", __name__, url_prefix="/v1")
_list_query = JobListQuerySchema()
# A job answer longer than this carries a large result (a 1M-character article's is 1.1 MB),
# read, decoded and encoded on the way: once sent, the memory those copies took is handed back.
LARGE_ANSWER = 64 * 1024


def job_url(job_id: str) -> str:
    """`url_for("jobs.get_job", job_id=job_id)` for the ids jobs are given (URL-safe: nothing to
    quote), without building it through the URL map: 50,000 instructions a submit less."""
    return request.root_path + job_path(job_id)


def _owned(job_id: str, job: dict | None) -> dict:
    if job is None or job["owner"] != current_owner():
        raise Problem(404, "job_not_found", "No such job",
                      f"There is no job {job_id!r}; finished jobs expire after their retention.")
    return job


def _owned_job(job_id: str, charge: Charge | None = None) -> dict:
    return _owned(job_id, get_queue().store.get(job_id, with_article=False, charge=charge))


def job_response(job: dict, status: int = 200, headers: dict | None = None) -> Response:
    """A job read with `result_as_text`, its stored result passed on as it is."""
    text = job_json(job)
    response = Response(text, status, headers, mimetype="application/json")
    if len(text) > LARGE_ANSWER:
        response.call_on_close(give_back)
    return response


@bp.get("/jobs/<job_id>")
@folds_rate_limit
def get_job(job_id: str):
    """With `?wait=N` the answer comes as soon as the job finishes, or after N seconds."""
    wait, store = wait_seconds(request), get_queue().store
    with long_poll_slot() if wait else contextlib.nullcontext(False) as waits:
        if not waits:
            job = store.get(job_id, with_article=False, charge=rate_charge(), result_as_text=True)
        else:
            # Somebody else's (or no) job comes back at once: never hold a connection open for it.
            job = store.wait_finished(job_id, wait, get_queue().done_events, current_owner(), rate_charge(),
                                      result_as_text=True, hung_up=hung_up_check())
    job = _owned(job_id, job)
    return job_response(job, headers=unwaited_headers(wait, waits, job))


@bp.delete("/jobs/<job_id>")
def delete_job(job_id: str):
    """Cancel a queued job (its message then finds no job and does nothing) or delete a finished
    one with its text and result. A running job cannot be taken from its worker: 409."""
    _owned_job(job_id)
    try:
        # Checked by the deletion itself: a job read as queued may have started since.
        get_queue().store.delete(job_id)
    except JobRunning:
        raise Problem(409, "job_running", "The job is running",
                      "A running job cannot be deleted; delete it once it has finished.") from None
    return "", 204


@bp.get("/jobs")
def list_jobs():
    """The caller's jobs, newest first, without their results; page with `next_cursor`."""
    query = _list_query.load(request.args.to_dict())
    jobs, cursor = get_queue().store.list(current_owner(), query["limit"], query["cursor"], query["status"])
    links = {"self": request.full_path.rstrip("?")}
    if cursor is not None:
        links["next"] = url_for("jobs.list_jobs", cursor=cursor, limit=query["limit"],
                                **({"status": query["status"]} if query["status"] else {}))
    return {"jobs": [job_document(job, with_result=False) for job in jobs],
            "next_cursor": cursor, "links": links}
