"""Keeping a running job's lease alive, and requeuing jobs whose worker died.

While a task runs, a thread of its process renews its job's lease every third of the lease time.
When the worker process dies (a SIGKILLed pool child, or a whole machine), renewals stop; every
worker's main process runs a sweeper that finds leases that ran out and sends those jobs again. This
brings a killed job back within about `stale_after_seconds` plus one sweep, where waiting for
the broker's visibility timeout would take many minutes.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import Counter
from contextlib import contextmanager
from typing import Callable, Iterator

import redis

from newsdesk import metrics
from newsdesk.job_store import QUEUED, RUNNING, JobStore

from .webhooks import resend_overdue

log = logging.getLogger(__name__)


class LeaseKeeper:
    """One thread per process renews the leases of all the jobs the process is working on, in
    one round trip per beat; a task only adds and removes its job ids (no thread per task)."""

    def __init__(self, store: JobStore, lease_seconds: float):
        self.store = store
        self.lease_seconds = lease_seconds
        self._held: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._pid: int | None = None

    def hold(self, job_ids: list[str]) -> None:
        with self._lock:
            if self._pid != os.getpid():  # first use in this (possibly forked) process
                self._pid = os.getpid()
                threading.Thread(target=self._beat, name="lease-renewal", daemon=True).start()
            self._held.update(job_ids)

    def release(self, job_ids: list[str]) -> None:
        with self._lock:
            self._held.subtract(job_ids)
            self._held = +self._held  # drop the ids no task holds any more

    def _beat(self) -> None:
        while True:
            time.sleep(self.lease_seconds / 3)
            with self._lock:
                job_ids = list(self._held)
            if not job_ids:
                continue
            try:
                self.store.renew(job_ids, self.lease_seconds)
            except redis.RedisError as exc:  # Redis away for a moment: try again next beat
                log.warning("could not renew the leases of %s: %s", job_ids, exc)
            except Exception:  # the thread must never die, or every lease would run out
                log.exception("lease renewal failed")


_keepers: dict[tuple[int, float], LeaseKeeper] = {}


@contextmanager
def kept_alive(store: JobStore, job_ids: list[str], lease_seconds: float) -> Iterator[None]:
    """The jobs' leases are renewed while the block runs (their first lease came with start)."""
    keeper = _keepers.get((id(store), lease_seconds))
    if keeper is None:  # one per store: the worker has one, tests have several
        keeper = _keepers.setdefault((id(store), lease_seconds), LeaseKeeper(store, lease_seconds))
    keeper.hold(job_ids)
    try:
        yield
    finally:
        keeper.release(job_ids)


def sweep_once(store: JobStore, requeue: Callable[[str], None], lease_seconds: float,
               max_attempts: int, requeue_queued_after: float = 600,
               backlog: Callable[[dict], bool] = lambda job: False) -> list[str]:
    """Requeue every running job whose lease ran out, and every job that has been queued for
    longer than `requeue_queued_after` (its message may be lost) unless `backlog(job)` says its
    queue still holds messages; returns their ids."""
    requeued = []
    for job_id in store.claim_stale_queued(requeue_queued_after):
        job = store.get(job_id, with_article=False)
        if job is None or job["status"] != QUEUED:
            store.forget_queued(job_id)
        elif backlog(job):
            # Its message is likely still ahead in the queue; the claim stamped the job anew, so it
            # is looked at again a period later.
            log.info("job queued long behind a backlog", extra={"job_id": job_id})
        else:
            # If the first message was only slow, not lost, the later of the two finds the job
            # running (on a live lease: JobStore.start) or finished, and is dropped.
            requeue(job_id)
            requeued.append(job_id)
            log.warning("job requeued: queued for too long", extra={"job_id": job_id})
    # Each step below is taken only while the lease is still the one claimed here: a worker that
    # renews it (late, but alive) or starts the job again meanwhile keeps the job and its lease.
    for job_id, lease in store.claim_stale(lease_seconds):
        job = store.get(job_id)
        if job is None or job["status"] != RUNNING:
            store.forget_lease(job_id, lease)
        elif job["attempts"] >= max_attempts:
            store.fail(job_id, "worker_lost",
                       f"The worker processing this job died {max_attempts} times; giving up.",
                       metrics.counted("newsdesk_jobs_failed_total", code="worker_lost"), lease=lease)
        elif store.requeue(job_id, lease):  # False: it ended, went back to the queue or was renewed
            requeue(job_id)
            requeued.append(job_id)
            log.warning("job requeued: its worker stopped renewing the lease", extra={"job_id": job_id})
    return requeued


def _index_missing_queued(store: JobStore) -> bool:
    """Index the queued jobs an earlier version left out of the queued index; True once done or
    given up. A Redis that refuses it (a command its ACL user may not run, a full Redis) must not
    hold up the sweeps: that is logged and left; a Redis out of reach is tried again next time."""
    try:
        found = store.index_missing_queued()
    except redis.ResponseError as exc:
        log.warning("could not look for queued jobs missing from the queued index: %s", exc)
        return True
    if found:
        log.warning("queued jobs of an earlier version indexed", extra={"job_ids": found})
    return True


class Sweeper(threading.Thread):
    """Every `interval`: sweep_once, and send again the webhook deliveries that are overdue by
    `requeue_queued_after` (with `redeliver`, which sends one)."""

    def __init__(self, store: JobStore, requeue: Callable[[str], None], lease_seconds: float,
                 max_attempts: int, interval: float, requeue_queued_after: float,
                 redeliver: Callable[[str], None] | None = None,
                 backlog: Callable[[dict], bool] = lambda job: False):
        super().__init__(name="lease-sweeper", daemon=True)
        self.args = store, requeue, lease_seconds, max_attempts, requeue_queued_after, backlog
        self.redeliver = redeliver
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        store, *_, overdue_by, _ = self.args
        indexed = False
        while True:
            try:
                metrics.heartbeat(store.redis, ttl=int(self.interval * 3))
                if not indexed:  # once: jobs an earlier version queued (see index_missing_queued)
                    indexed = _index_missing_queued(store)
                sweep_once(*self.args)
                if self.redeliver:
                    resend_overdue(store, self.redeliver, overdue_by)
            except redis.RedisError as exc:  # Redis restarting: the next sweep will do
                log.warning("lease sweep skipped: %s", exc)
            except Exception:  # the sweeper thread must never die
                log.exception("lease sweep failed; retrying in %.0fs", self.interval)
            if self.stopped.wait(self.interval):
                return

    def stop(self) -> None:
        """Stop sweeping, and withdraw this worker's heartbeat: a worker that stops takes no more
        jobs, so /readyz and newsdesk_workers must not count it."""
        self.stopped.set()
        self.join(timeout=5)
        try:
            metrics.forget_heartbeat(self.args[0].redis)
        except redis.RedisError as exc:
            log.warning("could not withdraw the heartbeat: %s", exc)
