"""Celery tasks: thin wrappers that load the job, run the pipeline and store the outcome."""

from __future__ import annotations

import logging
from functools import lru_cache

from celery import current_app, shared_task
from celery.exceptions import SoftTimeLimitExceeded

from newsdesk.job_store import JobStore
from newsdesk.task_names import ANALYZE_TASK

from .pipeline.analyze import analyze_article

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def job_store() -> JobStore:
    """One Redis connection pool per worker process."""
    settings = current_app.conf["newsdesk_settings"]
    return JobStore(settings.redis_client(), settings.result_ttl_seconds)


@shared_task(name=ANALYZE_TASK)
def analyze(job_id: str) -> None:
    store = job_store()
    job = store.start(job_id)
    if job is None:
        # Deleted, expired, or already finished by an earlier delivery of this message.
        log.info("job %s: nothing to do", job_id)
        return
    try:
        result = analyze_article(job["article"])
    except SoftTimeLimitExceeded:
        store.fail(job_id, "timeout", "The analysis took longer than the task time limit.")
    except Exception as exc:  # a bad article must fail its job, not crash the worker
        log.exception("job %s failed", job_id)
        store.fail(job_id, "analysis_failed", f"The analysis failed: {type(exc).__name__}.")
    else:
        store.succeed(job_id, result)
        log.info("job %s succeeded (%s)", job_id, result["language"])
