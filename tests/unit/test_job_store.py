"""Job status transitions on a real Redis."""

import pytest

from newsdesk.job_store import JobStore


@pytest.fixture
def store(settings):
    return JobStore(settings.redis_client(), ttl_seconds=3600)


def test_create_then_get(store):
    job_id = store.create({"text": "Hej", "metadata": {"k": "v"}})
    job = store.get(job_id)
    assert job["status"] == "queued"
    assert job["article"] == {"text": "Hej", "metadata": {"k": "v"}}
    assert job["attempts"] == 0
    assert 3500 < store.redis.ttl(store.key(job_id)) <= 3600


def test_job_ids_are_unguessable_and_unique(store):
    ids = {store.create({"text": "x"}) for _ in range(50)}
    assert len(ids) == 50
    assert all(len(i) >= 22 for i in ids)


def test_full_lifecycle(store):
    job_id = store.create({"text": "Hej"})
    assert store.start(job_id)["status"] == "running"
    assert store.succeed(job_id, {"language": "da"})
    job = store.get(job_id)
    assert job["status"] == "succeeded"
    assert job["result"] == {"language": "da"}
    assert job["started_at"] <= job["finished_at"] <= job["expires_at"]


def test_redelivery_of_a_running_job_counts_attempts(store):
    job_id = store.create({"text": "Hej"})
    store.start(job_id)
    assert store.start(job_id)["attempts"] == 2


def test_finished_job_never_goes_back_to_running(store):
    job_id = store.create({"text": "Hej"})
    store.start(job_id)
    store.fail(job_id, "analysis_failed", "boom")
    assert store.start(job_id) is None
    assert not store.succeed(job_id, {"late": True})
    job = store.get(job_id)
    assert job["status"] == "failed"
    assert job["error"] == {"code": "analysis_failed", "message": "boom"}
    assert job["result"] is None


def test_missing_job(store):
    assert store.get("nope") is None
    assert store.start("nope") is None
    assert not store.succeed("nope", {})


def test_unicode_survives_including_lone_surrogates_in_metadata(store):
    job_id = store.create({"text": "Æblegrød på Østerbro 😀", "metadata": {"x": "\ud800"}})
    assert store.get(job_id)["article"]["text"] == "Æblegrød på Østerbro 😀"
