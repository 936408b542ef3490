"""Redis restarted with jobs queued: nothing accepted is lost, and everything recovers by itself."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from newsdesk.embedded_redis import EmbeddedRedis
from newsdesk.job_store import JobStore
from newsdesk.settings import Settings
from service import create_app
from tests.integration.conftest import start_worker, stop_worker, wait_for_job
from tests.integration.test_api import assert_problem
from tests.socket_proxy import SocketProxy, recv

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


class RedisLink(SocketProxy):
    """A proxy in front of Redis's socket, as the network between a worker and Redis: `cut`
    closes the connections it carries and refuses new ones until `mend`."""

    def __init__(self, target: Path, path: Path):
        self.down, self.sockets = False, []
        super().__init__(target, path)

    def cut(self) -> None:
        self.down = True
        for sock in self.sockets:
            sock.close()

    def mend(self) -> None:
        self.down = False

    def close(self) -> None:
        self.cut()
        super().close()

    def _admit(self) -> bool:
        return not self.down

    def _join(self, client, server) -> None:
        self.sockets += [client, server]
        for source, sink in ((client, server), (server, client)):
            threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source, sink) -> None:
        while data := recv(source):
            try:
                sink.sendall(data)
            except OSError:
                break
        for sock in (source, sink):
            sock.close()


def test_a_task_cut_off_from_redis_mid_job_runs_it_on_in_its_retry(tmp_path):
    """The worker loses its Redis connection as the job runs (the broker, reached apart, stays):
    storing the result fails, and the task's retry takes its own job back at once, where it was
    dropped as a second message and the job waited for its lease to run out."""
    from dataclasses import replace

    from tests.conftest import free_port
    from tests.integration.conftest import wait_for_status
    from tests.integration.test_worker_faults import LONG_ARTICLE

    port = free_port()
    server = EmbeddedRedis(tmp_path / "redis-data", tmp_path / "r.sock", port=port).start()
    link = RedisLink(server.socket_path, tmp_path / "link.sock")
    # A lease far longer than the test waits: only the retry can finish the job in time.
    env = {"NEWSDESK_REDIS_TIMEOUT": "1", "NEWSDESK_STALE_AFTER_SECONDS": "300"}
    settings = Settings.from_env({"REDIS_URL": server.url, "NEWSDESK_DATA_DIR": str(tmp_path),
                                  "NEWSDESK_QUEUE": "cut", **env})
    client = create_app({"SETTINGS": settings}).test_client()
    worker_settings = replace(settings, redis_url=f"unix://{tmp_path / 'link.sock'}?db=0",
                              broker=f"redis://127.0.0.1:{port}/0")
    log = tmp_path / "worker.log"
    worker = start_worker(worker_settings, log, name="cut", **env)
    try:
        job_id = client.post("/v1/articles", json=LONG_ARTICLE).get_json()["job_id"]
        wait_for_status(client, job_id, "running")
        link.cut()
        deadline = time.monotonic() + 120
        while "Redis connection lost: the task is retried" not in log.read_text():
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        link.mend()
        job = wait_for_job(client, job_id, timeout=60)
        assert job["status"] == "succeeded", log.read_text()
        assert "job skipped" not in log.read_text()
        assert JobStore(settings.redis_client(), settings.result_ttl_seconds).get(job_id)["attempts"] == 1
    finally:
        stop_worker(worker)
        link.close()
        server.stop()
