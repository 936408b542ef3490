"""An operator's Redis with a memory limit: a policy that evicts keys is pointed out; full (with
noeviction) it refuses writes, and the service copes."""

from __future__ import annotations

import time

import pytest

from newsdesk.settings import Settings
from service import create_app
from tests.integration.conftest import start_api, start_worker, stop_worker, wait_for_job, wait_for_status
from tests.integration.test_api import assert_problem
from tests.integration.test_worker_faults import LONG_ARTICLE
from tests.redis_servers import RedisServer, out_of_memory

ARTICLE = {"text": "Regeringen fremlagde mandag et nyt forslag. Oppositionen er kritisk.", "language": "da"}


@pytest.fixture
def small_redis(tmp_path):
    with RedisServer(tmp_path / "small-redis", "maxmemory 64mb", "maxmemory-policy noeviction") as server:
        yield server


def _settings(server: RedisServer, tmp_path, **env: str) -> Settings:
    return Settings.from_env({"REDIS_URL": server.url(), "NEWSDESK_DATA_DIR": str(tmp_path),
                              "NEWSDESK_QUEUE": "memory", **env})


@pytest.mark.parametrize("policy", ["allkeys-lru", "volatile-ttl"])
def test_readiness_warns_of_a_redis_that_evicts_keys(policy, tmp_path):
    with RedisServer(tmp_path / "redis", "maxmemory 64mb", f"maxmemory-policy {policy}") as server:
        client = create_app({"SETTINGS": _settings(server, tmp_path), "TESTING": True}).test_client()
        body = client.get("/readyz").get_json()
        [warning] = body["warnings"]
        assert warning["code"] == "redis_evicts_keys" and policy in warning["message"]
        assert body["checks"]["redis"] is True, "a warning, not a failing check"

        server.admin().config_set("maxmemory-policy", "noeviction")
        assert client.get("/readyz").get_json()["warnings"] == []


def test_a_redis_that_will_not_tell_its_policy_gets_no_warning_and_no_error(tmp_path):
    """Managed Redis services often disable or rename INFO and CONFIG."""
    with RedisServer(tmp_path / "redis", "maxmemory-policy allkeys-lru", 'rename-command INFO ""',
                     'rename-command CONFIG ""') as server:
        client = create_app({"SETTINGS": _settings(server, tmp_path), "TESTING": True}).test_client()
        response = client.get("/readyz")
        assert response.get_json()["warnings"] == [] and response.get_json()["checks"]["redis"] is True
        assert client.post("/v1/articles", json=ARTICLE).status_code == 202


def test_the_api_and_a_worker_warn_at_start_of_a_redis_that_evicts_keys(tmp_path):
    with RedisServer(tmp_path / "redis", "maxmemory 64mb", "maxmemory-policy allkeys-lru") as server:
        settings = _settings(server, tmp_path)
        api, _ = start_api(settings, tmp_path / "api.log")
        worker = start_worker(settings, tmp_path / "worker.log", name="evicting")
        stop_worker(worker)
        api.terminate()
        api.wait(30)
    for log in ("api.log", "worker.log"):
        text = (tmp_path / log).read_text()
        assert "maxmemory-policy allkeys-lru" in text and "noeviction" in text, text[-2000:]


def _job_keys(server: RedisServer) -> set[bytes]:
    return set(server.admin().scan_iter("newsdesk:job:*"))


def test_a_full_redis_refuses_new_jobs_with_503_and_still_serves_the_existing_ones(small_redis, tmp_path):
    client = create_app({"SETTINGS": _settings(small_redis, tmp_path), "TESTING": True}).test_client()
    job_id = client.post("/v1/articles", json=ARTICLE).get_json()["job_id"]
    batch_id = client.post("/v1/batches", json={"articles": [ARTICLE]}).get_json()["batch_id"]
    secret = client.get("/v1/webhooks/secret").get_json()
    jobs_before = _job_keys(small_redis)
    with out_of_memory(small_redis):
        for refused in (client.post("/v1/articles", json=ARTICLE),
                        client.post("/v1/batches", json={"articles": [ARTICLE, ARTICLE]})):
            body = assert_problem(refused, 503, "queue_unavailable")
            assert "out of memory" in body["detail"] and refused.headers["Retry-After"]
        assert _job_keys(small_redis) == jobs_before, "a refused job leaves nothing behind"

        # Reading needs no memory: a client can still follow what it submitted.
        job = client.get(f"/v1/jobs/{job_id}")
        assert job.status_code == 200 and job.get_json()["status"] == "queued"
        assert client.get(f"/v1/jobs/{job_id}?wait=1").get_json()["status"] == "queued"
        listed = client.get("/v1/jobs")
        assert listed.status_code == 200 and job_id in [j["job_id"] for j in listed.get_json()["jobs"]]
        assert client.get(f"/v1/batches/{batch_id}").status_code == 200
        assert client.get("/v1/webhooks/secret").get_json() == secret
    assert client.post("/v1/articles", json=ARTICLE).status_code == 202, "with room again, jobs are taken"


def test_a_worker_that_cannot_store_a_result_keeps_running_and_the_job_still_succeeds(small_redis, tmp_path):
    """Redis fills up while a job runs: its result cannot be stored. The worker must survive the
    refusals (of its writes and of the broker's), and the job must not be lost: it stays
    running, its lease runs out, and once Redis has room a sweeper hands it out again."""
    fast = {"NEWSDESK_STALE_AFTER_SECONDS": "3"}
    settings = _settings(small_redis, tmp_path, **fast)
    client = create_app({"SETTINGS": settings, "TESTING": True}).test_client()
    log = tmp_path / "worker.log"
    worker = start_worker(settings, log, name="memory", **fast)
    try:
        job_id = client.post("/v1/articles", json=LONG_ARTICLE).get_json()["job_id"]
        wait_for_status(client, job_id, "running")
        with out_of_memory(small_redis):
            deadline = time.monotonic() + 60
            while "Redis is out of memory" not in log.read_text() and worker.poll() is None:
                assert time.monotonic() < deadline, "the worker never said why the result was not stored"
                time.sleep(0.1)
            time.sleep(2)  # the worker acknowledges the task's message, and is refused that too
            assert worker.poll() is None, "the worker died of a full Redis"
            assert client.get(f"/v1/jobs/{job_id}").get_json()["status"] == "running"
        job = wait_for_job(client, job_id, timeout=120)
        assert job["status"] == "succeeded"
        assert worker.poll() is None
    finally:
        stop_worker(worker)
