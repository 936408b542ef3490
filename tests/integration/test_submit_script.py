"""One round trip per request: with a Redis broker the job, its queue message, the rate-limit count
and the Idempotency-Key are written by one script; a real worker runs what it queued, and a
failure leaves nothing. Other brokers still get the message from Celery's send_task."""

from __future__ import annotations

import json
import time
import uuid

import pytest
from celery import Celery

from newsdesk.job_store import KEY_PREFIX, QUEUED_INDEX, JobStore, new_job_id
from newsdesk.settings import Settings
from newsdesk.task_message import task_envelope
from newsdesk.task_names import ANALYZE_TASK
from service import create_app
from tests.conftest import FAIR_SHARE_OFF
from tests.integration.conftest import start_worker, stop_worker, wait_for_job
from tests.integration.test_api import assert_problem

ARTICLE = {"text": "Statsministeren besøgte i dag Aarhus. Hun talte om klimaet og om skolerne."}


@pytest.fixture(scope="module")
def worker_log(settings, tmp_path_factory):
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    process = start_worker(settings, log)
    yield log
    stop_worker(process)


def make_app(redis_server, tmp_path, **env):
    # Other modules' anonymous jobs may be queued in this Redis: the main queue, as these check.
    settings = Settings.from_env({"REDIS_URL": redis_server.url, "NEWSDESK_DATA_DIR": str(tmp_path),
                                  **FAIR_SHARE_OFF, **env})
    return create_app({"SETTINGS": settings, "TESTING": True})


def new_key() -> str:
    return f"key-{uuid.uuid4().hex}"


def records(redis) -> dict:
    return {"jobs": len(list(redis.scan_iter(KEY_PREFIX + "*"))), "queued": redis.zcard(QUEUED_INDEX)}


def test_the_api_queues_in_its_script_with_a_redis_broker(app):
    assert app.extensions["newsdesk.queue"].queues_in_script


def test_a_real_worker_runs_a_job_the_api_queued(client, worker_log):
    job = wait_for_job(client, client.post("/v1/articles", json=ARTICLE).get_json()["job_id"])
    assert job["status"] == "succeeded", job["error"]
    assert job["result"]["language"] == "da"


def test_a_real_worker_runs_and_acknowledges_a_hand_built_message(settings, worker_log, client):
    store = JobStore(settings.redis_client(), settings.result_ttl_seconds)
    job_id, task_id, tag = new_job_id(), str(uuid.uuid4()), str(uuid.uuid4())
    message = task_envelope(ANALYZE_TASK, [job_id], settings.queue, task_id=task_id, delivery_tag=tag)
    store.create(ARTICLE, job_id=job_id, message=(settings.queue, message))
    assert wait_for_job(client, job_id)["status"] == "succeeded"
    deadline = time.monotonic() + 10
    while store.redis.hexists("unacked", tag) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not store.redis.hexists("unacked", tag), "acknowledged by its delivery tag"
    log = worker_log.read_text()
    assert f"Task {ANALYZE_TASK}[{task_id}] succeeded" in log
    assert "unknown message" not in log and "unregistered task" not in log


def test_queueing_that_fails_leaves_nothing_and_keeps_the_idempotency_key_free(redis_server, tmp_path):
    app = make_app(redis_server, tmp_path, NEWSDESK_QUEUE="test-broken-queue")
    redis = app.extensions["newsdesk.queue"].store.redis
    redis.set("test-broken-queue", "not a list")  # LPUSH fails inside the script
    before = records(redis)
    response = app.test_client().post("/v1/articles", json=ARTICLE, headers={"Idempotency-Key": "once"})
    assert_problem(response, 503, "queue_unavailable")
    assert records(redis) == before
    redis.delete("test-broken-queue")
    retry = app.test_client().post("/v1/articles", json=ARTICLE, headers={"Idempotency-Key": "once"})
    assert retry.status_code == 202
    assert redis.llen("test-broken-queue") == 1


def test_idempotency_key_is_taken_with_the_job(client, app):
    key = new_key()
    first = client.post("/v1/articles", json=ARTICLE, headers={"Idempotency-Key": key})
    assert first.status_code == 202
    job_id = first.get_json()["job_id"]
    # Never "in progress": the key names its job from the start.
    redis = app.extensions["newsdesk.queue"].store.redis
    claims = [json.loads(redis.get(name)) for name in redis.scan_iter("newsdesk:idem:*")]
    assert job_id in [claim["job_id"] for claim in claims]
    again = client.post("/v1/articles", json=ARTICLE, headers={"Idempotency-Key": key})
    assert again.status_code == 200 and again.get_json()["job_id"] == job_id
    assert again.headers["Location"] == first.headers["Location"]
    other = client.post("/v1/articles", json={"text": "Noget andet."}, headers={"Idempotency-Key": key})
    assert_problem(other, 409, "idempotency_key_reused")


@pytest.fixture
def amqp_app(redis_server, tmp_path):
    """The API with a broker that is not Redis: its send_task is recorded instead of sent."""
    app = make_app(redis_server, tmp_path, NEWSDESK_QUEUE="test-amqp")
    queue = app.extensions["newsdesk.queue"]
    celery = Celery("newsdesk-api", broker="amqp://guest@127.0.0.1:1//", set_as_current=False)
    celery.sent = []
    celery.send_task = lambda name, args, queue, **_: celery.sent.append((name, args, queue))
    queue.celery = celery
    return app


def test_another_broker_gets_the_message_from_celery(amqp_app):
    queue = amqp_app.extensions["newsdesk.queue"]
    assert not queue.queues_in_script
    response = amqp_app.test_client().post("/v1/articles", json=ARTICLE)
    assert response.status_code == 202
    assert queue.celery.sent == [(ANALYZE_TASK, [response.get_json()["job_id"]], "test-amqp")]
    assert queue.store.redis.llen("test-amqp") == 0


def test_metrics_leave_out_the_queue_depths_of_a_broker_that_cannot_be_reached(amqp_app):
    response = amqp_app.test_client().get("/metrics")
    assert response.status_code == 200
    assert "newsdesk_queue_depth{" not in response.get_data(as_text=True)
    assert "newsdesk_workers " in response.get_data(as_text=True)


def test_not_ready_while_another_broker_cannot_be_reached(amqp_app):
    response = amqp_app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["broker"] is False
    assert response.get_json()["checks"]["redis"] is True


def test_another_broker_keeps_idempotency_keys(amqp_app):
    client, key = amqp_app.test_client(), new_key()
    first = client.post("/v1/articles", json=ARTICLE, headers={"Idempotency-Key": key})
    again = client.post("/v1/articles", json=ARTICLE, headers={"Idempotency-Key": key})
    assert (first.status_code, again.status_code) == (202, 200)
    assert again.get_json()["job_id"] == first.get_json()["job_id"]
    assert len(amqp_app.extensions["newsdesk.queue"].celery.sent) == 1


def limited_client(redis_server, tmp_path, limit: int):
    """A client whose key may make `limit` requests per minute (a window from its first request)."""
    key = f"limit-{uuid.uuid4().hex}"
    app = make_app(redis_server, tmp_path, NEWSDESK_RATE_LIMIT_PER_MINUTE=str(limit), NEWSDESK_API_KEYS=key,
                   NEWSDESK_QUEUE="test-rate")
    return app, app.test_client(), {"Authorization": f"Bearer {key}"}


def test_job_reads_and_submits_are_counted_in_their_own_round_trip(redis_server, tmp_path):
    app, client, auth = limited_client(redis_server, tmp_path, 3)
    job_id = client.post("/v1/articles", json=ARTICLE, headers=auth).get_json()["job_id"]
    assert client.get(f"/v1/jobs/{job_id}", headers=auth).status_code == 200
    assert client.post("/v1/articles", json=ARTICLE, headers=auth).status_code == 202
    before = records(app.extensions["newsdesk.queue"].store.redis)
    refused = client.post("/v1/articles", json=ARTICLE, headers=auth)
    assert_problem(refused, 429, "rate_limited")
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert records(app.extensions["newsdesk.queue"].store.redis) == before, "nothing created"
    assert_problem(client.get(f"/v1/jobs/{job_id}", headers=auth), 429, "rate_limited")
    assert_problem(client.get(f"/v1/jobs/{job_id}?wait=1", headers=auth), 429, "rate_limited")
    assert_problem(client.get("/v1/jobs", headers=auth), 429, "rate_limited")
    assert_problem(client.options("/v1/articles", headers=auth), 429, "rate_limited")


def test_invalid_requests_count_and_429_wins_over_other_errors(redis_server, tmp_path):
    app, client, auth = limited_client(redis_server, tmp_path, 2)
    assert_problem(client.post("/v1/articles", json={"text": ""}, headers=auth), 422, "validation_failed")
    assert_problem(client.get("/v1/jobs/nope?wait=x", headers=auth), 422, "validation_failed")
    for response in (client.post("/v1/articles", json=ARTICLE, headers=auth),
                     client.post("/v1/articles", json={"text": ""}, headers=auth),
                     client.post("/v1/articles", data=b"{", content_type="application/json", headers=auth),
                     client.post("/v1/articles", json=ARTICLE, headers=auth | {"Idempotency-Key": ""}),
                     client.get("/v1/jobs/nope", headers=auth)):
        assert_problem(response, 429, "rate_limited")
