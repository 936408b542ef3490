"""Celery tasks: thin wrappers that load the job, run the pipeline and store the outcome."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import redis
from celery import Celery, current_app, shared_task
from celery.exceptions import Retry, SoftTimeLimitExceeded
from celery.signals import worker_init, worker_process_init, worker_ready, worker_shutdown
from celery.utils.time import get_exponential_backoff_interval

from newsdesk import metrics
from newsdesk.broker import messages_waiting
from newsdesk.job_store import Holder, JobHeld, JobStore, job_age
from newsdesk.redis_checks import is_out_of_memory
from newsdesk.task_names import (ANALYZE_BATCH_TASK, ANALYZE_TASK, DELIVER_WEBHOOK_TASK, batch_queue,
                                 single_queue)

from .context import job_store, settings
from .lease import Sweeper, kept_alive
from .memory import drop_frames
from .pipeline.analyze import analyze_article, analyze_articles, warm_up
from .pipeline.entities import MODELS_DIR, missing_bundled_models
from .webhooks import deliver_webhook, schedule_delivery

log = logging.getLogger(__name__)
__all__ = ["analyze", "analyze_batch", "deliver_webhook"]


def _run(job: dict) -> None:
    """As _attempt, and a job whose task runs out of time fails with `timeout`."""
    try:
        _attempt(job)
    except SoftTimeLimitExceeded:
        _failed(job, "timeout", "The analysis took longer than the task time limit.")
        raise


def _attempt(job: dict) -> None:
    """Analyse and store the outcome; a bad article fails its job, it never crashes the worker.
    SoftTimeLimitExceeded is passed on with the job left running."""
    timings: dict[str, float] = {}
    try:
        result = analyze_article(job["article"], timings)
    except SoftTimeLimitExceeded:
        raise
    except Exception as exc:
        log.exception("analysis failed", extra={"job_id": job["job_id"]})
        _failed(job, "analysis_failed", f"The analysis failed: {type(exc).__name__}.")
    else:
        _succeeded(job, result, timings)


def _succeeded(job: dict, result: dict, timings: dict[str, float]) -> None:
    waited = job_age(job)
    increments = [*metrics.counted("newsdesk_jobs_succeeded_total", language=result["language"]),
                  *metrics.observed("newsdesk_job_duration_seconds", waited)]
    for stage, seconds in timings.items():
        increments += metrics.observed("newsdesk_stage_duration_seconds", seconds, stage=stage)
    # One round trip, metrics included. False: another delivery of the job's message ended it
    # first, and announced it and scheduled its webhook.
    if not job_store().succeed(job["job_id"], result, increments):
        log.info("job already ended: result not stored", extra={"job_id": job["job_id"]})
        return
    log.info("job succeeded", extra={
        "job_id": job["job_id"], "key_id": job["owner"], "language": result["language"],
        "chars": len(job["article"]["text"]), "entities": len(result["entities"]),
        "duration_ms": round(sum(timings.values()) * 1000, 1), "latency_ms": round(waited * 1000, 1),
        "stages_ms": {stage: round(seconds * 1000, 1) for stage, seconds in timings.items()},
    })
    schedule_delivery(job)


def _failed(job: dict, code: str, message: str) -> None:
    increments = metrics.counted("newsdesk_jobs_failed_total", code=code)
    if not job_store().fail(job["job_id"], code, message, increments):
        log.info("job already ended: failure not stored", extra={"job_id": job["job_id"], "code": code})
        return
    log.warning("job failed", extra={"job_id": job["job_id"], "key_id": job["owner"], "code": code,
                                     "chars": len(job["article"]["text"])})
    schedule_delivery(job)


def _start(job_ids: list[str], holder: Holder) -> list[dict]:
    """The jobs of these ids this delivery is to run (a batch chunk's may be fewer)."""
    return [job for job in (_start_one(job_id, holder) for job_id in job_ids) if job is not None]


def _start_one(job_id: str, holder: Holder) -> dict | None:
    config = settings()
    try:
        job = job_store().start(job_id, config.stale_after_seconds, config.max_attempts, holder)
    except JobHeld:
        # A second message for a job a live worker runs: dropped (acknowledged). Should that
        # worker die, its lease runs out and a sweeper sends the job again.
        log.info("job skipped: running on another worker", extra={"job_id": job_id})
        return None
    if job is None:
        # Deleted, expired, already finished by an earlier delivery, or out of attempts.
        log.info("job skipped: nothing to do", extra={"job_id": job_id})
    return job


def _holder(request) -> Holder:
    """This run of the task, as JobStore.start knows it: a retry after a lost Redis connection
    (the same task id, one try more) takes back the jobs its earlier try started, where any other
    message for them waits for their lease to run out. A task called directly has no id."""
    return Holder(request.id or "", request.retries or 0)


@contextmanager
def _redis_full_waited_out(job_ids: list[str]) -> Iterator[None]:
    """A full Redis (maxmemory reached) refuses the task's writes: the jobs stay as they were,
    queued, or running with a lease that is no longer renewed. Once Redis has room again, the
    sweepers hand them out anew (a running job when its lease has run out, a queued one when it
    has waited NEWSDESK_REQUEUE_QUEUED_AFTER_SECONDS), so the task just says so and ends."""
    try:
        yield
    except redis.ResponseError as exc:
        if not is_out_of_memory(exc):
            raise
        log.error("Redis is out of memory: the jobs were not started or their outcome not stored; "
                  "they run again once Redis has room", extra={"job_ids": job_ids})


# A lost connection to Redis is transient: retry with exponential backoff (1, 2, 4 ... seconds,
# at most 30, with full jitter), a bounded number of times. Anything else the pipeline raises is
# a property of the article: fail the job once.
REDIS_LOST = (redis.ConnectionError, redis.TimeoutError)
MAX_RETRIES, RETRY_BACKOFF_MAX = 5, 30


def _retried_when_redis_lost(task, body: Callable[[], None]) -> Retry | None:
    """Run `body`; should Redis be lost, send the task's retry and end without raising Retry.

    Not Celery's autoretry_for, which raises it: for a raised Retry Celery keeps a copy of the
    traceback in a reference cycle with its frames and the task's (see deliver_webhook), and the
    error's own frames hold the job, its article and result too. Out of retries, the error
    itself is raised, as before."""
    try:
        body()
    except REDIS_LOST as exc:
        drop_frames(exc)
        return _retry(task, exc)
    return None


def _retry(task, exc: Exception) -> Retry | None:
    """Send the task's retry with its backoff, or, called directly or out of retries, raise the
    error. The Retry is made without the error: Celery's Retry holds itself in a cycle (its
    args), which would keep the error and its frames alive."""
    if task.request.called_directly or task.request.retries >= task.max_retries:
        raise exc
    countdown = get_exponential_backoff_interval(factor=1, retries=task.request.retries,
                                                 maximum=RETRY_BACKOFF_MAX, full_jitter=True)
    log.warning("Redis connection lost: the task is retried", extra={
        "task_id": task.request.id, "retry": task.request.retries + 1, "countdown_s": countdown,
        "error": f"{type(exc).__name__}: {exc}"})
    retry = task.retry(countdown=countdown, throw=False)
    # A task run in-process (apply) runs the retry it finds returned. A worker has sent it
    # already, and would keep a returned Retry until its next task.
    return retry if task.request.is_eager else None


@shared_task(name=ANALYZE_TASK, max_retries=MAX_RETRIES, bind=True)
def analyze(self, job_id: str) -> Retry | None:
    return _retried_when_redis_lost(self, lambda: _analyze_one(job_id, _holder(self.request)))


def _analyze_one(job_id: str, holder: Holder) -> None:
    with _redis_full_waited_out([job_id]):
        for job in _start([job_id], holder):
            with kept_alive(job_store(), [job_id], settings().stale_after_seconds):
                try:
                    _run(job)
                except SoftTimeLimitExceeded as exc:
                    drop_frames(exc)  # the job is marked `timeout`; the worker goes on


@shared_task(name=ANALYZE_BATCH_TASK, max_retries=MAX_RETRIES, bind=True)
def analyze_batch(self, job_ids: list[str]) -> Retry | None:
    """A chunk of a batch, analysed together (the NER model runs over all of it at once)."""
    return _retried_when_redis_lost(self, lambda: _analyze_batch(job_ids, _holder(self.request)))


def _analyze_batch(job_ids: list[str], holder: Holder) -> None:
    with _redis_full_waited_out(job_ids):
        _analyze_chunk(job_ids, holder)


def _analyze_chunk(job_ids: list[str], holder: Holder) -> None:
    jobs = _start(job_ids, holder)
    with kept_alive(job_store(), [job["job_id"] for job in jobs], settings().stale_after_seconds):
        timings: list[dict[str, float]] = [{} for _ in jobs]
        try:
            results = analyze_articles([job["article"] for job in jobs], timings)
        except SoftTimeLimitExceeded as exc:
            drop_frames(exc)
            _hand_back(jobs)  # the chunk is out of time: its jobs go back one by one
            return
        except Exception:
            log.exception("batch chunk failed; analysing its articles one by one")
            _run_each(jobs)
            return
        for job, result, stage_times in zip(jobs, results, timings):
            _succeeded(job, result, stage_times)


def _run_each(jobs: list[dict]) -> None:
    """One at a time, so that only the article that breaks the pipeline fails."""
    for done, job in enumerate(jobs):
        try:
            _attempt(job)
        except SoftTimeLimitExceeded as exc:
            drop_frames(exc)
            # The chunk's time ran out, not necessarily this article's: it goes back with the
            # rest, to fail with `timeout` only if it runs out of a task's time on its own.
            _hand_back(jobs[done:])
            return


def _hand_back(jobs: list[dict]) -> None:
    """Queue jobs again as single tasks. Each is put back in the queue before its message goes,
    so that the sweeper does not find its lease run out and send it a second time; and only if it
    is still this run's (its attempt), not one the sweeper gave another worker meanwhile."""
    for job in jobs:
        if job_store().requeue(job["job_id"], attempt=job["attempts"]):
            current_app.send_task(ANALYZE_TASK, args=[job["job_id"]], queue=settings().queue)


@worker_init.connect
def refuse_to_start_without_models(**_) -> None:
    """Before any process takes a task. SystemExit, since Celery logs an Exception raised in a
    signal handler and starts anyway; this stops the worker with the message."""
    missing = missing_bundled_models()
    if missing:
        raise SystemExit(f"The worker cannot start: the NER model for {', '.join(missing)} is missing "
                         f"from {MODELS_DIR} (an incomplete installation; install the package again).")


@worker_process_init.connect
def load_models(**_) -> None:
    """Models load once per process that runs tasks (a solo worker itself, or each prefork pool
    process), before its first task: one to four seconds, within the time the worker allows a
    pool process to come up (worker_proc_alive_timeout, worker/celery_app.py)."""
    log.info("models loaded", extra={"seconds": round(warm_up(), 2)})


_sweeper: Sweeper | None = None


@worker_ready.connect
def start_sweeper(sender, **_) -> None:
    global _sweeper
    config = sender.app.conf["newsdesk_settings"]

    def redeliver(job_id: str) -> None:
        sender.app.send_task(DELIVER_WEBHOOK_TASK, args=[job_id], queue=config.queue)

    store = JobStore(config.redis_client(), config.result_ttl_seconds)
    _sweeper = Sweeper(store, requeue_in_lane(sender.app, store, config.queue), config.stale_after_seconds,
                       config.max_attempts,
                       interval=max(1.0, config.stale_after_seconds / 3),
                       requeue_queued_after=config.requeue_queued_after_seconds, redeliver=redeliver,
                       backlog=backlog_ahead(sender.app, config.queue))
    _sweeper.start()


def requeue_in_lane(app: Celery, store: JobStore, queue: str) -> Callable[[str], None]:
    """Send a job's message again, to the single articles' queue of its lane (main or bulk):
    where its first message went, and so where the sweepers look for it (backlog_ahead)."""

    def requeue(job_id: str) -> None:
        app.send_task(ANALYZE_TASK, args=[job_id], queue=single_queue(queue, store.lane(job_id)))

    return requeue


def backlog_ahead(app: Celery, queue: str, fresh_for: float = 1.0) -> Callable[[dict], bool]:
    """Whether messages wait in the queue a job's message was sent to: a batch's chunk queue, or
    the single articles' queue of the job's lane (main or bulk). A queue's length is asked once
    per `fresh_for` seconds: a sweep may look at a hundred jobs, and each question is a
    connection to the broker."""
    asked: dict[str, tuple[float, int]] = {}

    def backlog(job: dict) -> bool:
        name = batch_queue(queue) if job.get("batch_id") else single_queue(queue, job.get("lane"))
        when, waiting = asked.get(name, (float("-inf"), 0))
        if time.monotonic() - when > fresh_for:
            when, waiting = asked[name] = time.monotonic(), messages_waiting(app, name)
        return waiting > 0

    return backlog


@worker_shutdown.connect
def stop_sweeper(**_) -> None:
    if _sweeper is not None:
        _sweeper.stop()
