"""Fair share between API keys, with a real worker: a key's single articles beyond its first few
queued go to the bulk queue, so another key's article is run before that backlog is, and the
backlog is still run, each job once; a cancelled bulk job never runs; a lost bulk message is
sent again by the sweepers, to the bulk queue, which a worker of the main queue consumes too."""

from __future__ import annotations

import json
import time
from collections import Counter

import pytest

from newsdesk.job_store import JobStore
from newsdesk.settings import Settings
from newsdesk.task_names import BULK_LANE, bulk_queue
from service import create_app
from tests.integration.conftest import start_worker, stop_worker

HEAVY, LIGHT = "heavy-key-0123456789abcdef", "light-key-0123456789abcdef"
BULK_AFTER = 2
FLOOD = 40


def make_client(settings, tmp_path):
    api = Settings.from_env({"REDIS_URL": settings.redis_url, "NEWSDESK_DATA_DIR": str(tmp_path),
                             "NEWSDESK_QUEUE": settings.queue, "NEWSDESK_API_KEYS": f"{HEAVY},{LIGHT}",
                             "NEWSDESK_BULK_AFTER_QUEUED": str(BULK_AFTER)})
    return create_app({"SETTINGS": api, "TESTING": True}).test_client()


def submit(client, key: str, text: str) -> str:
    response = client.post("/v1/articles", json={"text": text, "language": "da"},
                           headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 202, response.get_json()
    return response.get_json()["job_id"]


def log_entries(log) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]


def wait_until(condition, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.fixture(scope="module")
def flooded(settings, tmp_path_factory):
    """The heavy key queues FLOOD articles and cancels one of those in the bulk queue, the light
    key queues one; only then does a worker start. Returns the ids and the worker's log."""
    client = make_client(settings, tmp_path_factory.mktemp("api"))
    heavy = [submit(client, HEAVY, f"Nyhed nummer {n} om Danmark.") for n in range(FLOOD)]
    cancelled = heavy.pop(FLOOD // 2)
    deleted = client.delete(f"/v1/jobs/{cancelled}", headers={"Authorization": f"Bearer {HEAVY}"})
    assert deleted.status_code == 204
    light = submit(client, LIGHT, "En enkelt nyhed om Aarhus.")
    store = JobStore(settings.redis_client(), settings.result_ttl_seconds)
    lanes = {job_id: store.lane(job_id) for job_id in [*heavy, light]}
    metrics = client.get("/metrics").get_data(as_text=True)
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    worker = start_worker(settings, log, name="fair")
    try:
        wait_until(lambda: store.redis.llen(bulk_queue(settings.queue)) == 0
                   and all(store.get(job_id, with_article=False)["status"] == "succeeded"
                           for job_id in [*heavy, light]))
        time.sleep(1)  # let the worker log what it did with the cancelled job's message
    finally:
        stop_worker(worker)
    return {"heavy": heavy, "light": light, "cancelled": cancelled, "lanes": lanes, "log": log,
            "metrics": metrics, "queue": settings.queue}


def succeeded_in_order(log) -> list[str]:
    return [entry["job_id"] for entry in log_entries(log) if entry.get("event") == "job succeeded"]


def test_a_keys_first_few_jobs_go_to_the_main_queue_and_the_rest_to_the_bulk_queue(flooded):
    heavy, lanes = flooded["heavy"], flooded["lanes"]
    assert [lanes[job_id] for job_id in heavy[:BULK_AFTER]] == [None] * BULK_AFTER
    assert {lanes[job_id] for job_id in heavy[BULK_AFTER:]} == {BULK_LANE}
    assert lanes[flooded["light"]] is None, "the light key has nothing queued: the main queue"


def test_the_queue_depths_count_the_bulk_queue_apart(flooded):
    # The cancelled job's message is still there: a worker drops it when it comes to it.
    main, bulk = BULK_AFTER + 1, FLOOD - BULK_AFTER
    assert f'newsdesk_queue_depth{{queue="{flooded["queue"]}"}} {main}\n' in flooded["metrics"]
    assert f'newsdesk_queue_depth{{queue="{bulk_queue(flooded["queue"])}"}} {bulk}\n' in flooded["metrics"]


def test_the_light_keys_article_runs_before_the_heavy_keys_backlog(flooded):
    order = succeeded_in_order(flooded["log"])
    ahead = order.index(flooded["light"])
    # One worker takes from the main and the bulk queue in turn: ahead of the light key's job are
    # at most the heavy key's jobs in the main queue and as many from the bulk queue, and one.
    assert ahead <= 2 * BULK_AFTER + 1, f"{ahead} of {len(flooded['heavy'])} heavy jobs ran first"


def test_every_job_of_the_backlog_ran_exactly_once(flooded):
    runs = Counter(succeeded_in_order(flooded["log"]))
    assert {job_id: runs[job_id] for job_id in flooded["heavy"]} == {job_id: 1 for job_id in flooded["heavy"]}
    assert runs[flooded["light"]] == 1


def test_a_cancelled_bulk_job_never_runs(flooded):
    assert flooded["cancelled"] not in succeeded_in_order(flooded["log"])
    skipped = [entry.get("job_id") for entry in log_entries(flooded["log"])
               if entry.get("event") == "job skipped: nothing to do"]
    assert flooded["cancelled"] in skipped, "its message reached the worker and did nothing"


def test_a_lost_bulk_message_is_sent_again_and_run_by_a_worker_of_the_main_queue(settings, tmp_path):
    client = make_client(settings, tmp_path)
    store = JobStore(settings.redis_client(), settings.result_ttl_seconds)
    queue = bulk_queue(settings.queue)
    first = [submit(client, LIGHT, f"Nyhed nummer {n} om Odense.") for n in range(BULK_AFTER)]
    lost = submit(client, LIGHT, "En nyhed hvis besked gik tabt.")
    assert store.lane(lost) == BULK_LANE and store.redis.llen(queue) == 1
    store.redis.delete(queue)  # its message is lost
    log = tmp_path / "worker.log"
    # Only the main queue named: the worker takes the bulk queue too. The sweeper looks every
    # second (a third of the stale time) for jobs queued over a second with their queue empty.
    worker = start_worker(settings, log, name="resend", queues=settings.queue,
                          NEWSDESK_REQUEUE_QUEUED_AFTER_SECONDS="1", NEWSDESK_STALE_AFTER_SECONDS="3")
    try:
        wait_until(lambda: all(store.get(job_id, with_article=False)["status"] == "succeeded"
                               for job_id in [*first, lost]), timeout=60)
    finally:
        stop_worker(worker)
    entries = log_entries(log)
    (starting,) = [entry for entry in entries if entry.get("event") == "worker starting"]
    assert queue in starting["queues"] and settings.queue in starting["queues"]
    requeued = [entry.get("job_id") for entry in entries
                if entry.get("event") == "job requeued: queued for too long"]
    assert lost in requeued
    assert succeeded_in_order(log).count(lost) == 1
