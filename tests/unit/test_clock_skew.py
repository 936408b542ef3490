"""Decisions shared between machines do not depend on any one machine's clock.

Workers and the API may run on several machines against one Redis. Here two stores (or two API
apps) share one Redis, and one of them acts as on a machine whose wall clock is a minute off
(NTP broken, a VM resumed from suspend): every decision one machine takes on what another wrote
must come out as it would with equal clocks.
"""

from __future__ import annotations

import time
import uuid
from contextlib import contextmanager

import pytest

from newsdesk.job_store import LEASES, QUEUED_INDEX, WEBHOOKS_DUE, JobStore, new_job_id
from newsdesk.settings import Settings
from service import create_app
from worker.lease import sweep_once

SKEW = 60  # seconds; twice the default NEWSDESK_STALE_AFTER_SECONDS


@contextmanager
def clock_off_by(seconds: float):
    """Run the block as on a machine whose wall clock is `seconds` ahead (behind if negative)."""
    real, real_ns = time.time, time.time_ns
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(time, "time", lambda: real() + seconds)
        patch.setattr(time, "time_ns", lambda: real_ns() + int(seconds * 1e9))
        yield


def _indexed(store: JobStore) -> set[bytes]:
    return {job_id for index in (LEASES, QUEUED_INDEX, WEBHOOKS_DUE) for job_id in store.redis.zrange(index, 0, -1)}


@pytest.fixture
def stores(settings):
    """Two machines' stores on one Redis. The jobs a test leaves in the shared indexes are removed
    after it, so that no other test's sweep finds them."""
    first, second = JobStore(settings.redis_client(), 3600), JobStore(settings.redis_client(), 3600)
    before = _indexed(first)
    yield first, second
    for job_id in _indexed(first) - before:
        first.delete(job_id.decode(), running_too=True)
        first.webhook_settled(job_id.decode())


def sweep(store: JobStore, requeue_queued_after: float = 600) -> list[str]:
    requeued: list[str] = []
    sweep_once(store, requeued.append, lease_seconds=30, max_attempts=3,
               requeue_queued_after=requeue_queued_after)
    return requeued


@pytest.mark.parametrize("worker_clock, sweeper_clock", [(-SKEW, 0), (0, SKEW)], ids=["worker behind", "sweeper ahead"])
def test_a_live_lease_is_not_taken_for_stale_by_a_sweeper_on_another_clock(stores, worker_clock, sweeper_clock):
    worker, sweeper = stores
    job_id = worker.create({"text": "x"})
    with clock_off_by(worker_clock):
        worker.start(job_id, lease_seconds=30)
    with clock_off_by(sweeper_clock):
        assert job_id not in sweep(sweeper), "a live worker's job would run twice"
    assert worker.get(job_id)["status"] == "running"
    assert worker.succeed(job_id, {})


def test_a_renewed_lease_is_not_taken_for_stale_by_a_sweeper_on_another_clock(stores):
    worker, sweeper = stores
    job_id = worker.create({"text": "x"})
    worker.start(job_id, lease_seconds=30)
    with clock_off_by(-SKEW):
        worker.renew([job_id], 30)
    assert job_id not in sweep(sweeper)
    assert worker.succeed(job_id, {})


def test_the_lease_of_a_dead_worker_whose_clock_was_ahead_runs_out_in_time(stores):
    worker, sweeper = stores
    job_id = worker.create({"text": "x"})
    with clock_off_by(SKEW):
        worker.start(job_id, lease_seconds=0.1)
    time.sleep(0.2)  # the worker died: no renewal
    assert job_id in sweep(sweeper)


def test_a_job_just_queued_is_not_sent_again_by_a_sweeper_ahead(stores):
    api, sweeper = stores
    job_id = api.create({"text": "x"})
    with clock_off_by(SKEW):
        assert job_id not in sweep(sweeper, requeue_queued_after=SKEW / 2)


def _created_behind(store: JobStore) -> str:
    with clock_off_by(-SKEW):
        return store.create({"text": "x"})


def _handed_back_behind(store: JobStore) -> str:
    job_id = store.create({"text": "x"})
    store.start(job_id)
    with clock_off_by(-SKEW):
        assert store.requeue(job_id)
    return job_id


@pytest.mark.parametrize("queue", [_created_behind, _handed_back_behind], ids=["created", "handed back"])
def test_a_job_just_queued_on_a_machine_behind_is_not_sent_again(stores, queue):
    api, sweeper = stores
    job_id = queue(api)
    assert job_id not in sweep(sweeper, requeue_queued_after=SKEW / 2), "a fresh job would run twice"


@pytest.mark.parametrize("worker_clock, sweeper_clock", [(-SKEW, 0), (0, SKEW)], ids=["worker behind", "sweeper ahead"])
def test_a_webhook_due_now_is_not_taken_for_overdue_on_another_clock(stores, worker_clock, sweeper_clock):
    worker, sweeper = stores
    job_id = worker.create({"text": "x"})
    with clock_off_by(worker_clock):
        worker.webhook_due(job_id)
    with clock_off_by(sweeper_clock):
        assert job_id not in sweeper.claim_overdue_webhooks(overdue_by=SKEW / 2), "it would be sent twice"


def test_jobs_created_by_api_machines_on_different_clocks_are_listed_newest_first(stores):
    first, second = stores
    owner = new_job_id()
    older = first.create({"text": "x"}, owner)
    with clock_off_by(-SKEW):
        newer = second.create({"text": "y"}, owner)
    assert [job["job_id"] for job in first.list(owner, limit=10)[0]] == [newer, older]


def test_the_rate_limit_counts_a_keys_requests_to_api_machines_on_different_clocks_together(redis_server, tmp_path):
    key = f"skew-{uuid.uuid4().hex}"
    settings = Settings.from_env({"REDIS_URL": redis_server.url, "NEWSDESK_DATA_DIR": str(tmp_path),
                                  "NEWSDESK_RATE_LIMIT_PER_MINUTE": "4", "NEWSDESK_API_KEYS": key})
    first, second = (create_app({"SETTINGS": settings, "TESTING": True}).test_client() for _ in range(2))
    auth = {"Authorization": f"Bearer {key}"}
    answers = []
    for _ in range(4):
        answers.append(first.get("/v1/jobs", headers=auth).status_code)
        with clock_off_by(-SKEW):
            answers.append(second.get("/v1/jobs", headers=auth).status_code)
    assert sorted(answers) == [200] * 4 + [429] * 4, "four requests a minute, whichever machine answers"
