"""An upgrade in place: what earlier versions left in Redis (tests/old_records.py, captured from
their real runs) is read, shown and run by the current code as the documented contract says."""

from __future__ import annotations

import base64
import json
import time

import pytest
import redis

from newsdesk.job_store import (BATCH_PREFIX, KEY_PREFIX, LEASES, OWNER_PREFIX, QUEUED_INDEX, Holder, JobStore,
                                new_job_id)
from newsdesk.task_names import batch_queue
from service import schemas
from tests import old_records
from tests.integration.conftest import start_worker, stop_worker, wait_for_job
from worker.lease import Sweeper, sweep_once


@pytest.fixture
def admin(settings) -> redis.Redis:
    return settings.redis_client()


def plant(admin: redis.Redis, record: dict, job_id: str | None = None, indexed: bool = False) -> str:
    """Put an old job record in Redis as its version left it: the hash, and the job in its owner's
    listing (and queued set, and with `indexed` the queued index, while queued). Returns its id
    (a fresh one unless given, so tests never share one)."""
    job_id = job_id or new_job_id()
    admin.hset(KEY_PREFIX + job_id, mapping=record)
    owner = record.get("owner", "anonymous")
    admin.zadd(f"{OWNER_PREFIX}{owner}:jobs", {job_id: time.time_ns() // 1000})
    if record["status"] == "queued":
        admin.sadd(f"{OWNER_PREFIX}{owner}:queued", job_id)
        if indexed:
            admin.zadd(QUEUED_INDEX, {job_id: time.time()})
    return job_id


def assert_conforms(schema, document: dict) -> None:
    """The document is what the current contract (the schemas /openapi.json is made from) says."""
    assert schema.validate(document) == {}, (schema.validate(document), document)


def test_a_job_queued_before_the_shown_fields_were_stored_apart_is_shown(client, admin):
    # Its record has no `echo`: what a client sees of the article is in `article` alone.
    job_id = plant(admin, old_records.V_EARLY_QUEUED["record"])
    response = client.get(f"/v1/jobs/{job_id}")
    assert response.status_code == 200, response.get_data(as_text=True)
    document = response.get_json()
    assert_conforms(schemas.JobSchema(), document)
    assert document["status"] == "queued"
    assert document["article"] == {"title": None, "url": None, "published_at": None, "language": "da",
                                   "callback_url": None, "chars": 78}
    assert document["metadata"] == {}
    # A long poll reads it the same way.
    assert client.get(f"/v1/jobs/{job_id}?wait=0").status_code == 200


def test_the_job_list_shows_jobs_from_before_the_shown_fields_were_stored_apart(client, admin):
    old = plant(admin, old_records.V_EARLY_QUEUED["record"])
    new = client.post("/v1/articles", json={"text": "Mette Frederiksen besøgte Aarhus."}).get_json()["job_id"]
    response = client.get("/v1/jobs?limit=100")
    assert response.status_code == 200, response.get_data(as_text=True)
    document = response.get_json()
    assert_conforms(schemas.JobListSchema(), document)
    shown = {job["job_id"]: job for job in document["jobs"]}
    assert shown[old]["article"]["chars"] == 78 and shown[old]["article"]["language"] == "da"
    assert shown[new]["article"]["chars"] == len("Mette Frederiksen besøgte Aarhus.")


def test_an_old_job_read_without_its_article_costs_only_its_own_article(settings, admin):
    store = JobStore(settings.redis_client(), ttl_seconds=3600)
    job_id = plant(admin, old_records.V_EARLY_QUEUED["record"])
    job = store.get(job_id, with_article=False)
    assert job["article"] is None  # still not decoded into the job
    assert job["echo"]["chars"] == 78
    admin.delete(KEY_PREFIX + job_id)
    assert store.get(job_id, with_article=False) is None


def test_a_result_stored_before_entity_groups_had_a_salience_is_shown_with_one(client, admin):
    job_id = plant(admin, old_records.V_EARLY_SUCCEEDED)
    response = client.get(f"/v1/jobs/{job_id}")
    assert response.status_code == 200, response.get_data(as_text=True)
    document = response.get_json()
    assert_conforms(schemas.JobSchema(), document)
    groups = document["result"]["entities"]
    # As the worker works it out: 0.4 x mentions relative to the most mentioned group, 0.2 x how
    # early it first appears, 0.2 if the summary names it (both are in the one-sentence summary).
    assert [(g["name"], g["salience"]) for g in groups] == [("Mette Frederiksen", 0.8), ("København", 0.733)]
    stored = json.loads(old_records.V_EARLY_SUCCEEDED["result"])
    assert [{k: v for k, v in g.items() if k != "salience"} for g in groups] == stored["entities"]
    assert {k: v for k, v in document["result"].items() if k != "entities"} == \
        {k: v for k, v in stored.items() if k != "entities"}


def test_a_webhook_of_an_old_result_carries_the_salience_too(settings, admin):
    from newsdesk.job_document import job_document

    store = JobStore(settings.redis_client(), ttl_seconds=3600)
    job_id = plant(admin, old_records.V_EARLY_WEBHOOK_DELIVERED)
    document = job_document(store.get(job_id))  # as worker/webhooks.py reads it
    assert_conforms(schemas.JobSchema(), document)
    assert all(0 <= g["salience"] <= 1 for g in document["result"]["entities"])
    assert document["webhook"]["state"] == "delivered"


def test_a_current_result_is_passed_on_as_it_is_stored(settings, admin):
    from newsdesk.results import completed

    current = json.dumps({"entities": [{"name": "A", "label": "PER", "count": 1, "salience": 0.5,
                                        "mentions": []}]})
    assert completed(current, 10) is current
    no_groups = json.dumps({"entities": [], "summary": {"text": "", "sentences": []}})
    assert completed(no_groups, 10) is no_groups


VERSIONS = {"early": (old_records.V_EARLY_QUEUED, old_records.V_EARLY_BATCH, old_records.V_EARLY_RUNNING),
            "mid": (old_records.V_MID_QUEUED, old_records.V_MID_BATCH, old_records.V_MID_RUNNING),
            "recent": (old_records.V_RECENT_QUEUED, old_records.V_RECENT_BATCH, old_records.V_RECENT_RUNNING)}


@pytest.mark.parametrize("version", VERSIONS)
def test_jobs_an_earlier_api_queued_are_run_by_the_current_workers(version, worker, client, admin, settings):
    # The earlier API's records and its messages, exactly as it left them: the old workers were
    # stopped before they took them, and the current ones start.
    single, batch, _ = VERSIONS[version]
    indexed = version != "early"  # the queued index came later
    plant(admin, single["record"], single["id"], indexed)
    for job_id, record in batch["jobs"].items():
        plant(admin, record, job_id, indexed)
    admin.hset(BATCH_PREFIX + batch["id"], mapping=batch["record"])
    admin.lpush(settings.queue, single["message"])
    admin.lpush(batch_queue(settings.queue), batch["message"])
    for job_id in (single["id"], *batch["jobs"]):
        document = wait_for_job(client, job_id)
        assert document["status"] == "succeeded", document
        assert_conforms(schemas.JobSchema(), document)
        assert document["result"]["summary"]["text"]
        assert admin.hget(KEY_PREFIX + job_id, "attempts") == b"1"
    listed = client.get(f"/v1/batches/{batch['id']}")
    assert listed.status_code == 200
    assert_conforms(schemas.BatchStatusSchema(), listed.get_json())
    assert listed.get_json()["counts"] == {"succeeded": 2}


@pytest.mark.parametrize("version", VERSIONS)
def test_a_job_an_earlier_worker_died_running_is_requeued_and_run_by_the_current_code(version, settings, admin):
    _, _, running = VERSIONS[version]
    store = JobStore(settings.redis_client(), ttl_seconds=3600)
    job_id = plant(admin, running["record"], running["id"])
    admin.zadd(LEASES, {job_id: running["lease"]})  # run out long ago: its worker stopped renewing it
    sent: list[str] = []
    assert sweep_once(store, sent.append, lease_seconds=30, max_attempts=3) == [job_id]
    assert sent == [job_id]
    assert store.get(job_id)["status"] == "queued"
    job = store.start(job_id, 30, 3, Holder("a-task"))
    assert job["status"] == "running" and job["attempts"] == 2
    assert store.succeed(job_id, {"language": "da", "entities": []})
    assert store.get(job_id)["status"] == "succeeded"
    assert admin.zscore(LEASES, job_id) is None


def test_a_job_queued_before_the_queued_index_is_sent_again_should_its_message_be_lost(settings, admin):
    # An API from before the queued index named its queued jobs only in their owner's queued set:
    # the sweepers, which look in the index for jobs whose message was lost, never saw them.
    store = JobStore(settings.redis_client(), ttl_seconds=3600)
    early = plant(admin, old_records.V_EARLY_QUEUED["record"])
    current = store.create({"text": "Hej"}, owner="someone")
    running = plant(admin, old_records.V_MID_RUNNING["record"])
    sent = sweep_until_sent(store, early, requeue_queued_after=0.5)
    assert early in sent
    assert running not in sent
    assert store.get(current)["status"] == "queued"
    # Indexed like a job the current API queued, and only while queued.
    assert admin.zscore(QUEUED_INDEX, early) is not None
    assert store.index_missing_queued() == []


IDEMPOTENCY = {"early": old_records.V_EARLY_BATCH_IDEMPOTENCY, "mid": old_records.V_MID_BATCH_IDEMPOTENCY,
               "recent": old_records.V_RECENT_BATCH_IDEMPOTENCY}


@pytest.mark.parametrize("version", VERSIONS)
def test_an_idempotency_key_an_earlier_api_took_still_answers_with_its_batch(version, client, admin):
    _, batch, _ = VERSIONS[version]
    taken = IDEMPOTENCY[version]
    admin.delete(BATCH_PREFIX + batch["id"], *(KEY_PREFIX + job_id for job_id in batch["jobs"]))
    for job_id, record in batch["jobs"].items():
        plant(admin, record, job_id)
    admin.hset(BATCH_PREFIX + batch["id"], mapping=batch["record"])
    admin.set(taken["key"], taken["value"], ex=3600)
    body = {"articles": [{"text": json.loads(record["article"])["text"]} for record in batch["jobs"].values()]}
    response = client.post("/v1/batches", json=body, headers={"Idempotency-Key": taken["header"]})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert_conforms(schemas.BatchReplaySchema(), response.get_json())
    assert response.get_json()["batch_id"] == batch["id"]
    assert response.get_json()["job_ids"] == list(batch["jobs"])
    other = client.post("/v1/batches", json={"articles": [{"text": "Another text."}]},
                        headers={"Idempotency-Key": taken["header"]})
    assert other.status_code == 409 and other.get_json()["code"] == "idempotency_key_reused"


def test_a_task_a_worker_does_not_know_leaves_its_job_to_the_sweepers(client, admin, settings, tmp_path, worker):
    # A message of a task this version has no name for (a newer version's, say): Celery drops it
    # with an error in the log, and the job, still queued, is sent again as newsdesk.analyze.
    message = json.loads(old_records.V_RECENT_QUEUED["message"])
    message["headers"]["task"] = "newsdesk.analyze_elsewhere"
    job_id = plant(admin, old_records.V_RECENT_QUEUED["record"], new_job_id(), indexed=True)
    body = json.loads(base64.b64decode(message["body"]))
    body[0] = [job_id]
    message["body"] = base64.b64encode(json.dumps(body).encode()).decode()
    log = tmp_path / "sweeping.log"
    sweeping = start_worker(settings, log, name="sweeping", NEWSDESK_STALE_AFTER_SECONDS="3",
                            NEWSDESK_REQUEUE_QUEUED_AFTER_SECONDS="2")
    try:
        admin.lpush(settings.queue, json.dumps(message))
        document = wait_for_job(client, job_id)
    finally:
        stop_worker(sweeping)
    assert document["status"] == "succeeded"
    assert admin.hget(KEY_PREFIX + job_id, "attempts") == b"1"


def test_a_redis_that_refuses_the_look_for_unindexed_jobs_still_gets_its_sweeps(settings, admin, redis_server):
    # Managed services may deny commands to their users; SCAN denied must not stop the sweeper.
    admin.acl_setuser("no-scan", enabled=True, nopass=True, keys=["*"], channels=["*"],
                      commands=["+@all", "-scan"])
    try:
        client = redis.Redis(unix_socket_path=str(redis_server.socket_path), username="no-scan",
                             db=int(settings.redis_client().connection_pool.connection_kwargs["db"]))
        store = JobStore(client, ttl_seconds=3600)
        with pytest.raises(redis.ResponseError):
            store.index_missing_queued()
        _, _, running = VERSIONS["recent"]
        job_id = plant(admin, running["record"])
        admin.zadd(LEASES, {job_id: running["lease"]})
        assert job_id in sweep_until_sent(store, job_id, requeue_queued_after=600)
    finally:
        admin.acl_deluser("no-scan")


def sweep_until_sent(store: JobStore, job_id: str, requeue_queued_after: float) -> list[str]:
    """Run a sweeper until it sends `job_id` (at most 30 s); the ids it sent."""
    sent: list[str] = []
    sweeper = Sweeper(store, sent.append, lease_seconds=30, max_attempts=3, interval=0.5,
                      requeue_queued_after=requeue_queued_after)
    sweeper.start()
    try:
        deadline = time.monotonic() + 30
        while job_id not in sent and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        sweeper.stop()
    return sent
