"""Workers killed with SIGKILL mid-job: the job comes back and succeeds, or fails `worker_lost`."""

from __future__ import annotations

import os
import signal
import time

import pytest

from newsdesk.job_store import JobStore
from newsdesk.settings import Settings
from tests.integration.conftest import (pool_children, start_worker, stop_worker, wait_for_job,
                                        wait_for_status)

FAST_SWEEP = {"NEWSDESK_STALE_AFTER_SECONDS": "3"}
# Long enough (tens of thousands of words) that a kill lands while the job runs.
LONG_ARTICLE = {
    "language": "da",
    "text": " ".join(
        f"Borgmester Jens Hansen fra Odense mødtes den {i % 28 + 1}. maj med direktør Lise Berg fra Novo Nordisk."
        for i in range(4000)
    ),
}


@pytest.fixture(scope="module")
def settings(redis_server, tmp_path_factory) -> Settings:
    return Settings.from_env({"NEWSDESK_DATA_DIR": str(tmp_path_factory.mktemp("data")),
                              "REDIS_URL": redis_server.url, "NEWSDESK_QUEUE": "test-faults",
                              **FAST_SWEEP})


def submit_running(client) -> str:
    job_id = client.post("/v1/articles", json=LONG_ARTICLE).get_json()["job_id"]
    wait_for_status(client, job_id, "running")
    return job_id


def test_killed_pool_child_job_is_redelivered_and_succeeds(client, settings, tmp_path):
    worker = start_worker(settings, tmp_path / "worker.log", name="child", pool="prefork", **FAST_SWEEP)
    try:
        job_id = submit_running(client)
        [child] = pool_children(worker.pid)
        os.kill(child, signal.SIGKILL)
        job = wait_for_job(client, job_id, timeout=120)
    finally:
        stop_worker(worker)
    assert job["status"] == "succeeded", job["error"]
    assert job["result"]["entities"]


def test_killed_whole_worker_job_is_requeued_to_another_worker(client, settings, tmp_path):
    doomed = start_worker(settings, tmp_path / "doomed.log", name="doomed", **FAST_SWEEP)
    job_id = submit_running(client)
    os.killpg(doomed.pid, signal.SIGKILL)  # the whole worker (and any pool child), as when a machine dies
    doomed.wait()
    killed_at = time.monotonic()
    survivor = start_worker(settings, tmp_path / "survivor.log", name="survivor", **FAST_SWEEP)
    try:
        job = wait_for_job(client, job_id, timeout=60)
    finally:
        stop_worker(survivor)
    assert job["status"] == "succeeded", job["error"]
    assert time.monotonic() - killed_at < 60, "requeued well within the default 60 s"
    assert "requeued" in (tmp_path / "survivor.log").read_text()


def test_job_that_keeps_killing_its_worker_fails_with_worker_lost(client, settings, tmp_path):
    store = JobStore(settings.redis_client(), settings.result_ttl_seconds)
    worker = start_worker(settings, tmp_path / "worker.log", name="lost", pool="prefork",
                          NEWSDESK_MAX_ATTEMPTS="2", **FAST_SWEEP)
    try:
        job_id = client.post("/v1/articles", json=LONG_ARTICLE).get_json()["job_id"]
        for attempt in (1, 2):
            # Kill the pool process each time it has started the job.
            deadline = time.monotonic() + 60
            while store.get(job_id, with_article=False)["attempts"] < attempt and time.monotonic() < deadline:
                time.sleep(0.02)
            for child in pool_children(worker.pid):
                os.kill(child, signal.SIGKILL)
        job = wait_for_job(client, job_id, timeout=120)
    finally:
        stop_worker(worker)
    assert job["status"] == "failed"
    assert job["error"]["code"] == "worker_lost"
