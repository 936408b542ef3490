"""Recording jobs and sending them to the workers: the API's only link to Redis and Celery.

The API holds a bare Celery client and sends tasks by name, so it never imports the worker
package or the NLP stack. With a Redis broker (the normal case: the job store's own Redis) a
single article's message is not sent by Celery but pushed by the script that records its job
(newsdesk.task_message builds it as kombu would): one round trip, all or nothing.
"""

from __future__ import annotations

import logging
from typing import Iterable, NamedTuple

import kombu.exceptions
import redis
from celery import Celery
from flask import Flask, current_app

from newsdesk.batch_store import BatchStore
from newsdesk.broker import queue_depths, transport_options
from newsdesk.job_events import DoneEvents
from newsdesk.job_store import Charge, Claim, JobStore, Lanes, QueueFull, new_job_id
from newsdesk.settings import Settings
from newsdesk.task_message import is_redis_broker, task_envelopes
from newsdesk.task_names import ANALYZE_BATCH_TASK, ANALYZE_TASK, batch_queue, bulk_queue

from .errors import Problem, queue_unavailable

log = logging.getLogger(__name__)


class Queued(NamedTuple):
    """What a batch keeps of each article once its job is recorded: enough to chunk, count and
    log its jobs, without holding the articles (a batch's texts are read one at a time)."""
    language: str
    chars: int  # of the text
    title_chars: int

    @classmethod
    def of(cls, article: dict) -> "Queued":
        return cls(article["language"], len(article["text"]), len(article.get("title") or ""))


def batch_chunks(job_ids: list[str], articles: list[Queued], size: int, max_chars: int) -> list[list[str]]:
    """The batch's jobs in the chunks a worker analyses together, in order: at most `size`
    articles and `max_chars` characters of text (title included) a chunk, except that an article
    longer than that is a chunk of its own. A worker holds a whole chunk's articles, their
    intermediate steps and their results at once, and has one task's time limit for it all."""
    chunks: list[list[str]] = []
    chars = 0
    for job_id, article in zip(job_ids, articles):
        length = article.chars + article.title_chars
        if not chunks or len(chunks[-1]) >= size or chars + length > max_chars:
            chunks.append([])
            chars = 0
        chunks[-1].append(job_id)
        chars += length
    return chunks


def make_celery_client(settings: Settings) -> Celery:
    client = Celery("newsdesk-api", broker=settings.broker_url, set_as_current=False)
    client.conf.update(
        task_serializer="json",
        accept_content=["json"],
        broker_connection_timeout=settings.redis_timeout,
        broker_transport_options=transport_options(settings, socket_timeout=settings.redis_timeout),
    )
    return client


_QUEUE_FULL = "This key already has {} jobs waiting; retry when some have started."
_SEND_ERRORS = (kombu.exceptions.OperationalError, redis.RedisError, OSError)


class JobQueue:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.store = JobStore(settings.redis_client(), settings.result_ttl_seconds,
                              settings.max_queued_per_key)
        self.batches = BatchStore(self.store.redis, settings.result_ttl_seconds)
        self.done_events = DoneEvents(self.store.redis)  # for long polls; subscribes on first use
        self.celery = make_celery_client(settings)

    @property
    def celery(self) -> Celery:
        return self._celery

    @celery.setter
    def celery(self, client: Celery) -> None:
        self._celery = client
        # Whether the job store's create script can push a job's message itself: the broker is
        # the store's own Redis. Any other broker gets the message from Celery's send_task.
        url = self.settings.broker_url
        self.queues_in_script = is_redis_broker(url) and client.conf.broker_url == url

    def submit(self, article: dict, owner: str, *, job_id: str | None = None,
               charge: Charge | None = None, claim: Claim | None = None) -> str:
        """Record the job and queue it; only a job that is durably queued is left behind.

        `charge` and `claim` are counted and taken with the job (see JobStore.create); a claim
        needs `queues_in_script`, or a claim could outlive a job whose message failed.
        """
        job_id = job_id or new_job_id()
        lanes = self._lanes()
        if self.queues_in_script:
            # Both lanes' messages: the script, which counts the owner's queued jobs, picks one.
            lanes.messages = tuple(task_envelopes(ANALYZE_TASK, [job_id], [lanes.main, lanes.bulk],
                                                  reply_to=self.celery.thread_oid))
            self._create([article], owner, job_id=job_id, lanes=lanes, charge=charge, claim=claim)
        else:
            if claim is not None:
                raise ValueError("an idempotency claim needs the job to be queued in its create script")
            self._create([article], owner, job_id=job_id, lanes=lanes, charge=charge)
            self._send_or_forget(ANALYZE_TASK, [job_id], lanes.chosen, [job_id])
        return job_id

    def _lanes(self) -> Lanes:
        queue = self.settings.queue
        return Lanes(self.settings.bulk_after_queued, queue, bulk_queue(queue))

    def submit_batch(self, articles: Iterable[dict], owner: str) -> tuple[str, list[str]]:
        """Record a batch and its jobs and queue them in chunks, all or nothing. The articles are
        taken one at a time (an iterator reading them as they are recorded holds one at a time)."""
        batch_id = self.batches.new_id()
        queued: list[Queued] = []
        # Counted as submitted once accepted: a batch refused midway (a full queue) would count
        # the jobs it recorded first, and again on every retry.
        job_ids = self._create(articles, owner, batch_id, queued=queued, counted=False)
        try:
            self.batches.save(batch_id, owner, job_ids)
        except redis.RedisError:
            # Unqueued jobs must not stay; a batch record that was written all the same names
            # only jobs that are gone, and expires.
            self._forget(job_ids)
            raise
        try:
            for chunk in batch_chunks(job_ids, queued, self.settings.batch_chunk_size,
                                      self.settings.batch_chunk_chars):
                self._send_or_forget(ANALYZE_BATCH_TASK, [chunk], batch_queue(self.settings.queue), job_ids)
        except Problem:
            self.batches.delete(batch_id)
            raise
        self._count_submitted(queued)
        self._submitted(queued, owner, job_ids, batch_id)
        return batch_id, job_ids

    def _count_submitted(self, queued: list[Queued]) -> None:
        try:
            self.store.count_submitted(article.language for article in queued)
        except redis.RedisError as exc:
            # The batch is queued, and the answer must say so; only the metric misses it.
            log.warning("could not count %d submitted job(s): %s", len(queued), exc)

    @staticmethod
    def _submitted(queued: list[Queued], owner: str, job_ids: list[str], batch_id: str) -> None:
        """A line per job of a batch (a single article's job is named in its request's line)."""
        if not log.isEnabledFor(logging.INFO):
            return  # not even the fields, which cost more than the check
        for article, job_id in zip(queued, job_ids):
            log.info("job submitted", extra={"job_id": job_id, "key_id": owner, "batch_id": batch_id,
                                             "language": article.language, "chars": article.chars})

    def _create(self, articles: Iterable[dict], owner: str, batch_id: str | None = None, *,
                queued: list[Queued] | None = None, **options) -> list[str]:
        """Record a job for each article (with `queued`, what is kept of each is appended to it)."""
        job_ids: list[str] = []
        try:
            for article in articles:
                job_ids.append(self.store.create(article, owner, batch_id, **options))
                if queued is not None:
                    queued.append(Queued.of(article))
        except QueueFull:
            self._forget(job_ids)
            raise Problem(429, "queue_full", "Too many queued jobs",
                          _QUEUE_FULL.format(self.settings.max_queued_per_key),
                          headers={"Retry-After": "5"}) from None
        except Exception:
            # A batch is all or nothing: the jobs recorded before Redis failed (or the next
            # article could not be read) must not run unseen. A Redis error becomes the usual 503.
            self._forget(job_ids)
            raise
        return job_ids

    def _send_or_forget(self, task: str, args: list, queue: str, job_ids: list[str]) -> None:
        try:
            self.celery.send_task(
                task, args=args, queue=queue,
                # A short, bounded retry: the client is waiting and will get a 503 instead.
                retry=True,
                retry_policy={"max_retries": 2, "interval_start": 0.1, "interval_step": 0.2,
                              "interval_max": 0.5},
                # RabbitMQ's confirm: waited for no longer than a Redis answer, then sent again.
                confirm_timeout=self.settings.redis_timeout,
            )
        except _SEND_ERRORS as exc:
            self._forget(job_ids)
            log.warning("could not queue %d job(s)", len(job_ids))
            raise queue_unavailable(exc) from exc

    def depths(self) -> dict[str, int]:
        """Messages waiting in each queue; none when the broker cannot be asked (the metrics
        from Redis are still worth serving)."""
        names = [self.settings.queue, bulk_queue(self.settings.queue), batch_queue(self.settings.queue)]
        if self.queues_in_script:  # the broker is the store's Redis, where a queue is a list
            return {name: self.store.redis.llen(name) for name in names}
        try:
            return queue_depths(self.celery, names)
        except _SEND_ERRORS as exc:
            log.warning("could not ask the broker for queue depths: %s", exc)
            return {}

    def broker_answers(self) -> bool:
        """Whether the broker answers a question (how long the queue is): jobs can be queued."""
        try:
            queue_depths(self.celery, [self.settings.queue])
        except _SEND_ERRORS:
            return False
        return True

    def _forget(self, job_ids: list[str]) -> None:
        """Delete jobs that were recorded but not queued (a queued message then finds nothing)."""
        try:
            for job_id in job_ids:
                # Running too: a worker may have started a batch's first chunk already.
                self.store.delete(job_id, running_too=True)
        except redis.RedisError:
            # Redis went away between the writes. The jobs left behind stay queued, and the
            # sweepers will send them once their queue is empty, though this answer says that
            # nothing was queued: rare, and logged so that an operator can delete them.
            log.error("could not delete %d unqueued job(s)", len(job_ids), extra={"job_ids": job_ids})


def init_queue(app: Flask, settings: Settings) -> None:
    app.extensions["newsdesk.queue"] = JobQueue(settings)


def get_queue() -> JobQueue:
    return current_app.extensions["newsdesk.queue"]
