"""Long-poll wake-ups on a real Redis: one subscription per process, woken by the job's end."""

from __future__ import annotations

import threading
import time

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from newsdesk.job_events import DONE_CHANNEL, DoneEvents
from newsdesk.job_store import JobStore


@pytest.fixture
def store(settings):
    return JobStore(settings.redis_client(), ttl_seconds=3600)


@pytest.fixture
def events(store):
    events = DoneEvents(store.redis)
    yield events
    events.close()


def _finish_later(store: JobStore, job_id: str, after: float) -> threading.Thread:
    def finish():
        time.sleep(after)
        store.succeed(job_id, {"language": "da"})

    thread = threading.Thread(target=finish)
    thread.start()
    return thread


def test_a_wait_ends_when_the_job_ends(store, events):
    job_id = store.create({"text": "x"})
    store.start(job_id)
    finisher = _finish_later(store, job_id, 0.3)
    began = time.monotonic()
    job = store.wait_finished(job_id, 10, events)
    finisher.join()
    assert job["status"] == "succeeded" and job["result"] == {"language": "da"}
    assert time.monotonic() - began < 5


def test_a_wait_that_runs_out_returns_the_current_state(store, events):
    job_id = store.create({"text": "x"})
    threading.Timer(0.2, store.start, [job_id]).start()  # it starts during the wait, never ends
    began = time.monotonic()
    job = store.wait_finished(job_id, 0.6, events)
    assert time.monotonic() - began >= 0.6
    assert job["status"] == "running"


def test_another_owners_job_and_a_missing_job_do_not_wait(store, events):
    job_id = store.create({"text": "x"}, owner="someone")
    began = time.monotonic()
    assert store.wait_finished(job_id, 5, events, owner="somebody else")["owner"] == "someone"
    assert store.wait_finished("nope", 5, events) is None
    assert time.monotonic() - began < 1


def test_many_waits_share_one_subscription(store, events):
    job_ids = [store.create({"text": "x"}) for _ in range(5)]
    time.sleep(1.2)  # the listeners of earlier tests' closed DoneEvents are gone
    others = store.redis.pubsub_numsub(DONE_CHANNEL)[0][1]  # other apps' in this test session
    results: dict[str, str] = {}

    def wait(job_id):
        results[job_id] = store.wait_finished(job_id, 10, events)["status"]

    waiters = [threading.Thread(target=wait, args=[job_id]) for job_id in job_ids]
    for thread in waiters:
        thread.start()
    time.sleep(0.3)
    channels = store.redis.pubsub_numsub(DONE_CHANNEL)[0][1] - others
    for job_id in job_ids:
        store.succeed(job_id, {})
    for thread in waiters:
        thread.join(5)
    assert results == dict.fromkeys(job_ids, "succeeded")
    assert channels == 1, "one subscriber for all the waits of this process"


def test_waiters_are_woken_when_the_subscription_comes_back(store, events):
    job_id = store.create({"text": "x"})
    outcome = {}
    waiter = threading.Thread(target=lambda: outcome.update(store.wait_finished(job_id, 20, events)))
    waiter.start()
    time.sleep(0.3)
    store.redis.client_kill_filter(_type="pubsub")
    # The end is stored while nobody listens (its announcement is lost) ...
    store.redis.hset(store.key(job_id), "status", "succeeded")
    waiter.join(10)
    # ... and the waiter still learns of it soon, once the subscription is back.
    assert not waiter.is_alive() and outcome["status"] == "succeeded"


def test_without_redis_a_wait_gives_up_at_once(tmp_path):
    # No connection retries: the time to fail is then the listener's own, not the client's.
    client = redis.Redis(unix_socket_path=str(tmp_path / "nobody-listens.sock"), retry=Retry(NoBackoff(), 0))
    events = DoneEvents(client)
    began = time.monotonic()
    with events.watch("any") as ended:
        assert not ended.is_set()
    assert time.monotonic() - began < 1, "the first attempt failed; nobody waits out the 2 s"
    events.close()


def test_a_wait_ends_once_its_client_has_hung_up(store, events):
    # Nobody is left to answer: the waiting thread is given back rather than held to the end.
    job_id = store.create({"text": "x"})
    asked = []

    def hung_up() -> bool:
        asked.append(True)
        return len(asked) >= 2  # still there at the first look, gone at the second

    job = store.wait_finished(job_id, 30, events, hung_up=hung_up)
    assert job["status"] == "queued" and len(asked) == 2


def test_a_client_still_there_waits_for_the_end_of_its_job(store, events):
    job_id = store.create({"text": "x"})
    store.start(job_id)
    finisher = _finish_later(store, job_id, 1.5)
    job = store.wait_finished(job_id, 30, events, hung_up=lambda: False)
    finisher.join()
    assert job["status"] == "succeeded"
