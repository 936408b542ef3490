"""Machines whose network to Redis fails silently (packets dropped: no reset, no close), built
as network namespaces (tests.network_hosts): Redis on one host, workers on others, the API here."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from newsdesk.job_store import KEY_PREFIX, JobStore
from newsdesk.settings import Settings
from service import create_app
from tests.integration.test_api import assert_problem
from tests.integration.conftest import start_worker, stop_worker, wait_for_job, wait_for_status
from tests.integration.test_worker_faults import LONG_ARTICLE
from tests.network_hosts import Network, missing_prerequisite

ARTICLE = {"text": "Regeringen fremlagde mandag et nyt forslag. Oppositionen er kritisk.", "language": "da"}
# Short leases and timeouts, so that a partition is noticed and worked around within seconds.
FAST = {"NEWSDESK_REDIS_TIMEOUT": "1", "NEWSDESK_STALE_AFTER_SECONDS": "5"}


@pytest.fixture
def network(tmp_path):
    reason = missing_prerequisite()
    if reason:
        pytest.skip(reason)
    with Network(tmp_path / "redis-host") as network:
        yield network


def api_for(network: Network, tmp_path, queue: str):
    """Settings and an in-process API reaching Redis over the test's own link, never cut."""
    settings = Settings.from_env({"REDIS_URL": network.admin.redis_url, "NEWSDESK_DATA_DIR": str(tmp_path),
                                  "NEWSDESK_QUEUE": queue, "NEWSDESK_LOG_LEVEL": "WARNING", **FAST})
    return settings, create_app({"SETTINGS": settings}).test_client()


def worker_on(host, settings, log, name: str):
    return start_worker(replace(settings, redis_url=host.redis_url), log, name=name, on=host.command(), **FAST)


def wait_for_line(log, text: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while text not in log.read_text():
        assert time.monotonic() < deadline, f"no {text!r} in {timeout}s:\n{log.read_text()[-3000:]}"
        time.sleep(0.2)


def succeeded_total(client) -> float:
    lines = client.get("/metrics").get_data(as_text=True).splitlines()
    return sum(float(line.rsplit(" ", 1)[1]) for line in lines if line.startswith("newsdesk_jobs_succeeded_total{"))


def test_a_worker_cut_off_mid_task_takes_jobs_again_once_the_network_heals(network, tmp_path):
    """The task ends while its worker cannot reach Redis: its message can be neither acknowledged
    nor rejected. The worker used to keep it as unacknowledged for good and, one message at a time,
    never asked for another: after the network healed it sat idle until restarted."""
    host = network.add_host("worker")
    settings, client = api_for(network, tmp_path, "cut-mid-task")
    log = tmp_path / "worker.log"
    worker = worker_on(host, settings, log, "cut")
    try:
        job_id = client.post("/v1/articles", json=LONG_ARTICLE).get_json()["job_id"]
        wait_for_status(client, job_id, "running")
        host.cut()
        wait_for_line(log, "Couldn't reject")  # the task gave up storing its result
        host.heal()
        assert wait_for_job(client, job_id, timeout=90)["status"] == "succeeded", log.read_text()[-3000:]
        second = client.post("/v1/articles", json=ARTICLE).get_json()["job_id"]
        assert wait_for_job(client, second, timeout=60)["status"] == "succeeded", log.read_text()[-3000:]
    finally:
        stop_worker(worker)


def test_a_job_cut_off_with_its_worker_finishes_once_on_another_host(network, tmp_path):
    """One worker's host is cut off mid-task: a worker on another host takes the job when its
    lease runs out and finishes it; the cut-off one's late result is not stored a second time,
    and once its network heals it takes jobs again."""
    settings, client = api_for(network, tmp_path, "handover")
    hosts = [network.add_host(name) for name in ("one", "two")]
    logs = [tmp_path / f"{host.name}.log" for host in hosts]
    workers = []
    try:
        workers += [worker_on(host, settings, log, host.name) for host, log in zip(hosts, logs)]
        job_id = client.post("/v1/articles", json=LONG_ARTICLE).get_json()["job_id"]
        wait_for_status(client, job_id, "running")
        cut = next(i for i, log in enumerate(logs) if "received" in log.read_text())
        cut_host, cut_log, healthy_log = hosts[cut], logs[cut], logs[1 - cut]
        cut_host.cut()
        assert wait_for_job(client, job_id, timeout=90)["status"] == "succeeded", healthy_log.read_text()[-3000:]
        assert "job requeued: its worker stopped renewing the lease" in healthy_log.read_text()
        wait_for_line(cut_log, "Couldn't reject")  # the cut-off worker gave up on the job too
        stop_worker(workers[1 - cut])
        cut_host.heal()

        second = client.post("/v1/articles", json=ARTICLE).get_json()["job_id"]
        assert wait_for_job(client, second, timeout=60)["status"] == "succeeded", cut_log.read_text()[-3000:]
        assert succeeded_total(client) == 2, "each job finished exactly once"
        assert JobStore(settings.redis_client(), settings.result_ttl_seconds).get(job_id)["attempts"] == 2
    finally:
        for process in workers:
            stop_worker(process)


def test_a_submit_answered_503_in_a_partition_is_not_queued_once_it_heals(network, tmp_path):
    """The API's script reaches no Redis and times out: the client is told that nothing was
    queued. The timed-out connection used to be closed gracefully, so the kernel went on sending
    the script, and once the network healed Redis ran it: a job the client never heard of, and a
    second one when it submitted again."""
    host = network.add_host("api", root=True)  # this process, the API
    settings = Settings.from_env({"REDIS_URL": host.redis_url, "NEWSDESK_DATA_DIR": str(tmp_path),
                                  "NEWSDESK_QUEUE": "ghost", "NEWSDESK_LOG_LEVEL": "WARNING", **FAST})
    client = create_app({"SETTINGS": settings}).test_client()
    assert client.post("/v1/articles", json=ARTICLE).status_code == 202  # a pooled connection, as in use
    host.cut()
    assert_problem(client.post("/v1/articles", json=ARTICLE), 503, "queue_unavailable")
    host.heal()
    deadline = time.monotonic() + 120
    while host.unsent_to_redis():  # whatever the kernel still had to send has been sent
        assert time.monotonic() < deadline, "the kernel never delivered nor dropped the script"
        time.sleep(0.2)
    time.sleep(0.5)  # for Redis to run what arrived last
    assert len(network.admin_client().keys(KEY_PREFIX + "*")) == 1, "only the job answered 202 exists"
