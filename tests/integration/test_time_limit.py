"""A job over the soft time limit fails with `timeout`; the worker goes on serving."""

from __future__ import annotations

import pytest

from newsdesk.settings import Settings
from tests.integration.conftest import start_worker, stop_worker, wait_for_job


LIMITS = {"NEWSDESK_TASK_SOFT_TIME_LIMIT": "1", "NEWSDESK_TASK_TIME_LIMIT": "20"}


@pytest.fixture(scope="module")
def settings(redis_server, tmp_path_factory) -> Settings:
    return Settings.from_env({
        "NEWSDESK_DATA_DIR": str(tmp_path_factory.mktemp("data")),
        "REDIS_URL": redis_server.url,
        "NEWSDESK_QUEUE": "test-time-limit",
        **LIMITS,
    })


# Celery enforces the limits of a prefork pool; worker.time_limits those of the solo pool.
@pytest.mark.parametrize("pool", ["solo", "prefork"])
def test_slow_job_fails_with_timeout_and_the_next_job_succeeds(client, settings, tmp_path, pool):
    worker = start_worker(settings, tmp_path / "worker.log", name=f"slow-{pool}", pool=pool, **LIMITS)
    try:
        # Several hundred thousand words: far more than one second of entity recognition.
        long_text = "Statsminister Mette Frederiksen besøgte København og Aarhus i går. " * 12_000
        slow = client.post("/v1/articles", json={"text": long_text, "language": "da"}).get_json()
        job = wait_for_job(client, slow["job_id"], timeout=60)
        assert job["status"] == "failed"
        assert job["error"]["code"] == "timeout"
        assert job["result"] is None

        quick = client.post("/v1/articles", json={"text": "Kort nyhed om Danmark. Intet mere.", "language": "da"})
        assert wait_for_job(client, quick.get_json()["job_id"])["status"] == "succeeded"
    finally:
        stop_worker(worker)
