"""Redis restarted with jobs queued: nothing accepted is lost, and everything recovers by itself."""

from __future__ import annotations

import time

import pytest

from newsdesk.embedded_redis import EmbeddedRedis
from newsdesk.settings import Settings
from service import create_app
from tests.integration.conftest import start_worker, stop_worker, wait_for_job
from tests.integration.test_api import assert_problem

ARTICLE = {"text": "Regeringen fremlagde mandag et nyt forslag. Oppositionen er kritisk.", "language": "da"}


@pytest.fixture
def own_redis(tmp_path):
    server = EmbeddedRedis(tmp_path / "redis-data", tmp_path / "r.sock").start()
    yield server
    server.stop()


def test_queued_jobs_survive_a_redis_restart_and_the_api_recovers(own_redis, tmp_path):
    settings = Settings.from_env({"REDIS_URL": own_redis.url, "NEWSDESK_DATA_DIR": str(tmp_path),
                                  "NEWSDESK_QUEUE": "restart", "NEWSDESK_REDIS_TIMEOUT": "1"})
    client = create_app({"SETTINGS": settings}).test_client()
    accepted = [client.post("/v1/articles", json=ARTICLE).get_json()["job_id"] for _ in range(5)]

    own_redis.stop()
    began = time.monotonic()
    assert_problem(client.post("/v1/articles", json=ARTICLE), 503, "queue_unavailable")
    assert_problem(client.get(f"/v1/jobs/{accepted[0]}"), 503, "queue_unavailable")
    assert time.monotonic() - began < 10, "a dead Redis must give a prompt 503, not a hang"

    own_redis.start()
    response = client.post("/v1/articles", json=ARTICLE)
    assert response.status_code == 202, "the API recovers by itself"
    accepted.append(response.get_json()["job_id"])

    worker = start_worker(settings, tmp_path / "worker.log", name="restart")
    try:
        for job_id in accepted:
            assert wait_for_job(client, job_id)["status"] == "succeeded"

        # The running worker rides out another restart and keeps taking jobs.
        own_redis.stop()
        own_redis.start()
        job_id = None
        for _ in range(50):  # the API's pooled connection may need one retry to notice
            response = client.post("/v1/articles", json=ARTICLE)
            if response.status_code == 202:
                job_id = response.get_json()["job_id"]
                break
            time.sleep(0.1)
        assert job_id, "the API did not recover"
        assert wait_for_job(client, job_id, timeout=90)["status"] == "succeeded"
    finally:
        stop_worker(worker)


def test_a_job_running_while_redis_goes_away_still_finishes(own_redis, tmp_path):
    """Redis is down when the worker wants to store the result: the store call fails, and once
    Redis is back the lease sweeper hands the job out again, so it still succeeds."""
    from tests.integration.conftest import wait_for_status
    from tests.integration.test_worker_faults import LONG_ARTICLE

    settings = Settings.from_env({"REDIS_URL": own_redis.url, "NEWSDESK_DATA_DIR": str(tmp_path),
                                  "NEWSDESK_QUEUE": "outage", "NEWSDESK_REDIS_TIMEOUT": "1",
                                  "NEWSDESK_STALE_AFTER_SECONDS": "3"})
    client = create_app({"SETTINGS": settings}).test_client()
    worker = start_worker(settings, tmp_path / "worker.log", name="outage", NEWSDESK_STALE_AFTER_SECONDS="3",
                          NEWSDESK_REDIS_TIMEOUT="1")
    try:
        job_id = client.post("/v1/articles", json=LONG_ARTICLE).get_json()["job_id"]
        wait_for_status(client, job_id, "running")
        own_redis.stop()
        time.sleep(8)  # longer than the analysis: the result cannot be stored
        own_redis.start()
        assert wait_for_job(client, job_id, timeout=120)["status"] == "succeeded"
    finally:
        stop_worker(worker)
