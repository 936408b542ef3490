"""Leases and the sweeper on a real Redis: a job whose worker stops renewing is requeued."""

import time
from dataclasses import replace

import pytest

from newsdesk import metrics
from newsdesk.job_store import LEASES, JobHeld, JobStore
from worker.lease import Sweeper, kept_alive, sweep_once


@pytest.fixture
def store(settings):
    # A database of its own: a sweep takes at most 100 of the queued jobs in its database, and
    # other test modules leave theirs queued in the session's Redis.
    own = replace(settings, redis_url=settings.redis_url.replace("?db=0", "?db=9"))
    assert own.redis_url != settings.redis_url
    client = own.redis_client()
    client.flushdb()
    yield JobStore(client, ttl_seconds=3600)
    client.flushdb()


def test_a_lease_that_runs_out_is_requeued_once(store):
    job_id = store.create({"text": "x"})
    store.start(job_id, lease_seconds=0.2)
    requeued = []
    assert job_id not in sweep_once(store, requeued.append, lease_seconds=30, max_attempts=3)
    time.sleep(0.3)
    assert job_id in sweep_once(store, requeued.append, lease_seconds=30, max_attempts=3)
    # Claimed for another 30 s: a second sweeper (another worker) does not requeue it again.
    assert job_id not in sweep_once(store, requeued.append, lease_seconds=30, max_attempts=3)
    assert requeued.count(job_id) == 1


def test_a_kept_alive_lease_is_not_requeued(store):
    job_id = store.create({"text": "x"})
    store.start(job_id, lease_seconds=0.3)
    with kept_alive(store, [job_id], lease_seconds=0.3):
        time.sleep(0.8)
        assert job_id not in sweep_once(store, lambda _: None, lease_seconds=30, max_attempts=3)
    store.succeed(job_id, {})


def test_finished_jobs_leave_no_lease(store):
    job_id = store.create({"text": "x"})
    store.start(job_id, lease_seconds=0.1)
    store.succeed(job_id, {})
    time.sleep(0.2)
    assert job_id not in sweep_once(store, lambda _: None, lease_seconds=30, max_attempts=3)


def started_by_dying_workers(store, times: int, max_attempts: int) -> str:
    """A job started `times` times, each by a worker that died at once: its lease ran out."""
    job_id = store.create({"text": "x"})
    for _ in range(times):
        assert store.start(job_id, lease_seconds=0.1, max_attempts=max_attempts)
        time.sleep(0.2)
    return job_id


def test_a_job_out_of_attempts_fails_with_worker_lost(store):
    job_id = started_by_dying_workers(store, 2, max_attempts=2)
    assert job_id not in sweep_once(store, lambda _: None, lease_seconds=30, max_attempts=2)
    job = store.get(job_id)
    assert job["status"] == "failed" and job["error"]["code"] == "worker_lost"


def test_start_beyond_max_attempts_fails_the_job(store):
    job_id = started_by_dying_workers(store, 2, max_attempts=2)
    assert store.start(job_id, max_attempts=2) is None
    assert store.get(job_id)["error"]["code"] == "worker_lost"


def test_a_job_queued_too_long_is_sent_again_once_per_period(store):
    job_id = store.create({"text": "x"})  # recorded, but (as if its message were lost) never run
    requeued = []
    assert job_id not in sweep_once(store, requeued.append, 30, 3, requeue_queued_after=60)
    time.sleep(0.3)
    assert job_id in sweep_once(store, requeued.append, 30, 3, requeue_queued_after=0.2)
    assert job_id not in sweep_once(store, requeued.append, 30, 3, requeue_queued_after=0.2), "stamped anew"
    store.start(job_id)
    time.sleep(0.3)
    assert job_id not in sweep_once(store, requeued.append, 30, 3, requeue_queued_after=0.2), "no longer queued"
    assert requeued.count(job_id) == 1


def test_a_job_sent_again_as_its_first_message_is_taken_runs_once(store):
    # The sweeper sends a job queued too long again just as a worker takes its first message:
    # the two messages are two deliveries, and only the first may start the job.
    job_id = store.create({"text": "x"})
    time.sleep(0.3)
    assert job_id in sweep_once(store, lambda _: None, 30, 3, requeue_queued_after=0.2)
    assert store.start(job_id, lease_seconds=30)["attempts"] == 1  # the first message
    with pytest.raises(JobHeld):
        store.start(job_id, lease_seconds=30)  # the one sent again
    assert store.get(job_id)["attempts"] == 1


def test_a_job_queued_long_behind_a_backlog_is_not_sent_again(store):
    # Its message is most likely still waiting in the queue: a second one would make the job's
    # place in the queue no better, and would send a batch's job to the single articles' queue.
    job_id = store.create({"text": "x"}, batch_id="b")
    requeued, asked = [], []

    def backlog(job: dict) -> bool:
        asked.append(job["job_id"])
        return True

    time.sleep(0.3)
    assert job_id not in sweep_once(store, requeued.append, 30, 3, requeue_queued_after=0.2, backlog=backlog)
    assert job_id in asked and job_id not in requeued
    time.sleep(0.3)  # the backlog is gone: now its message must have been lost
    assert job_id in sweep_once(store, requeued.append, 30, 3, requeue_queued_after=0.2, backlog=lambda job: False)
    assert requeued.count(job_id) == 1


def test_one_keeper_renews_every_held_job_and_no_finished_one(store):
    first, second = store.create({"text": "x"}), store.create({"text": "y"})
    store.start(first, lease_seconds=0.3)
    store.start(second, lease_seconds=0.3)
    with kept_alive(store, [first], lease_seconds=0.3), kept_alive(store, [second], lease_seconds=0.3):
        store.succeed(second, {})
        time.sleep(0.8)
        assert sweep_once(store, lambda _: None, lease_seconds=30, max_attempts=3) == []
        assert store.redis.zscore(LEASES, second) is None, "a renewal never brings a lease back"
    time.sleep(0.4)
    assert sweep_once(store, lambda _: None, lease_seconds=30, max_attempts=3) == [first], "released"


def test_a_requeued_job_waits_for_its_message_and_is_not_sent_again(store):
    job_id = store.create({"text": "x"})
    store.start(job_id, lease_seconds=0.1)
    time.sleep(0.2)
    requeued = []
    assert sweep_once(store, requeued.append, lease_seconds=0.1, max_attempts=3) == [job_id]
    job = store.get(job_id)
    assert job["status"] == "queued" and job.get("started_at") is None
    assert store.redis.zscore(LEASES, job_id) is None
    time.sleep(0.2)  # longer than a lease, as when the message waits behind a busy queue
    sweep_once(store, requeued.append, lease_seconds=0.1, max_attempts=3)
    assert requeued == [job_id]
    assert store.start(job_id)["attempts"] == 2  # one attempt per start, not per sweep


def _between_claim_and_decision(store, monkeypatch, job_id, step):
    """Run `step` (another worker's move) right after the sweeper claimed the job's stale lease,
    before it acts on what it read: the sweeper's own read of the job is the pause point."""
    read = store.get

    def get(wanted, *args, **kwargs):
        if wanted == job_id:
            monkeypatch.setattr(store, "get", read)  # once
            step()
        return read(wanted, *args, **kwargs)

    monkeypatch.setattr(store, "get", get)


def test_a_lease_renewed_after_the_claim_keeps_its_job(store, monkeypatch):
    job_id = store.create({"text": "x"})
    store.start(job_id, lease_seconds=0.1)
    time.sleep(0.2)  # the worker is late with its renewal, not dead
    _between_claim_and_decision(store, monkeypatch, job_id, lambda: store.renew([job_id], 30))
    requeued = []
    assert sweep_once(store, requeued.append, lease_seconds=30, max_attempts=3) == []
    job = store.get(job_id)
    assert requeued == [] and job["status"] == "running" and job["attempts"] == 1
    assert store.redis.zscore(LEASES, job_id) is not None, "the renewed lease stays"


def test_a_lease_renewed_after_the_claim_is_not_failed_for_its_attempts(store, monkeypatch):
    job_id = started_by_dying_workers(store, 2, max_attempts=2)  # the second worker is only late
    _between_claim_and_decision(store, monkeypatch, job_id, lambda: store.renew([job_id], 30))
    sweep_once(store, lambda _: None, lease_seconds=30, max_attempts=2)
    assert store.get(job_id)["status"] == "running"
    assert store.succeed(job_id, {}), "the live worker's result is stored"


def test_a_job_restarted_after_the_claim_keeps_its_new_lease(store, monkeypatch):
    # The stale lease's job is handed back and started by another worker while the sweeper reads
    # it: the sweeper must not drop the new worker's lease (its job would then never be swept).
    job_id = store.create({"text": "x"})
    store.start(job_id, lease_seconds=0.1)
    time.sleep(0.2)
    read = store.get

    def get(wanted, *args, **kwargs):
        if wanted != job_id:
            return read(wanted, *args, **kwargs)
        monkeypatch.setattr(store, "get", read)  # once
        store.requeue(job_id)
        job = read(wanted, *args, **kwargs)  # queued, as the sweeper sees it
        store.start(job_id, lease_seconds=30)
        return job

    monkeypatch.setattr(store, "get", get)
    sweep_once(store, lambda _: None, lease_seconds=30, max_attempts=3)
    assert store.get(job_id)["status"] == "running"
    assert store.redis.zscore(LEASES, job_id) is not None, "the new worker's lease stays"


def test_a_stopped_sweeper_withdraws_its_workers_heartbeat(store):
    # Counted until the heartbeat expired (NEWSDESK_STALE_AFTER_SECONDS), a stopped worker kept
    # /readyz ready with no worker left to run a job.
    key = metrics._heartbeat_key()
    sweeper = Sweeper(store, lambda job_id: None, lease_seconds=30, max_attempts=3, interval=1,
                      requeue_queued_after=600)
    sweeper.start()
    deadline = time.monotonic() + 5
    while not store.redis.exists(key):
        assert time.monotonic() < deadline, "no heartbeat"
        time.sleep(0.02)
    sweeper.stop()
    assert not sweeper.is_alive() and not store.redis.exists(key)
