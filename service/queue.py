"""Recording jobs and sending them to the workers: the API's only link to Redis and Celery.

The API holds a bare Celery client and sends tasks by name, so it never imports the worker
package or the NLP stack.
"""

from __future__ import annotations

import logging

import kombu.exceptions
import redis
from celery import Celery
from flask import Flask, current_app

from newsdesk.job_store import JobStore, QueueFull
from newsdesk.settings import Settings
from newsdesk.task_names import ANALYZE_TASK

from .errors import Problem

log = logging.getLogger(__name__)


def make_celery_client(settings: Settings) -> Celery:
    client = Celery("newsdesk-api", broker=settings.broker_url, set_as_current=False)
    client.conf.update(
        task_serializer="json",
        accept_content=["json"],
        broker_connection_timeout=settings.redis_timeout,
        broker_transport_options={
            "visibility_timeout": settings.visibility_timeout,
            "socket_timeout": settings.redis_timeout,
            "socket_connect_timeout": settings.redis_timeout,
        },
    )
    return client


class JobQueue:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.store = JobStore(settings.redis_client(), settings.result_ttl_seconds,
                              settings.max_queued_per_key)
        self.celery = make_celery_client(settings)

    def submit(self, article: dict, owner: str) -> str:
        """Record the job and queue it; only a job that is durably queued is left behind."""
        try:
            job_id = self.store.create(article, owner)
        except QueueFull:
            raise Problem(429, "queue_full", "Too many queued jobs",
                          f"This key already has {self.settings.max_queued_per_key} jobs waiting; "
                          f"retry when some have started.", headers={"Retry-After": "5"}) from None
        try:
            self.celery.send_task(
                ANALYZE_TASK,
                args=[job_id],
                queue=self.settings.queue,
                # A short, bounded retry: the client is waiting and will get a 503 instead.
                retry=True,
                retry_policy={"max_retries": 2, "interval_start": 0.1, "interval_step": 0.2,
                              "interval_max": 0.5},
            )
        except (kombu.exceptions.OperationalError, redis.RedisError, OSError) as exc:
            self._forget(job_id)
            log.warning("could not queue job %s: %s", job_id, exc)
            raise Problem(503, "queue_unavailable", "The job queue cannot be reached",
                          "Nothing was queued; retry later.") from exc
        return job_id

    def _forget(self, job_id: str) -> None:
        try:
            self.store.delete(job_id)
        except redis.RedisError:
            # Redis went away between the two writes; the record expires with its TTL and was
            # never queued, so no worker will pick it up.
            log.error("could not delete unqueued job %s", job_id)


def init_queue(app: Flask, settings: Settings) -> None:
    app.extensions["newsdesk.queue"] = JobQueue(settings)


def get_queue() -> JobQueue:
    return current_app.extensions["newsdesk.queue"]
