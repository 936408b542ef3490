"""POST /v1/batches and GET /v1/batches/<id> with a real worker."""

from __future__ import annotations

import base64
import json
import threading
import time

import redis
from redis import Redis

from newsdesk.api_keys import ANONYMOUS
from newsdesk.embedded_redis import EmbeddedRedis
from newsdesk.job_store import KEY_PREFIX, QUEUED_INDEX
from newsdesk.metrics import COUNTERS
from newsdesk.settings import Settings
from newsdesk.task_names import ANALYZE_BATCH_TASK, batch_queue
from service import create_app
from service import idempotency
from service.idempotency import IN_PROGRESS_SECONDS, IdempotencyKeys
from tests.integration.test_api import assert_problem


def articles(n: int) -> list[dict]:
    return [{"text": f"Nyhed nummer {i} om København. Borgmesteren udtalte sig i går.", "language": "da",
             "metadata": {"n": i}} for i in range(n)]


def wait_for_batch(client, batch_id: str, timeout: float = 120.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        batch = client.get(f"/v1/batches/{batch_id}").get_json()
        if set(batch["counts"]) <= {"succeeded", "failed"}:
            return batch
        time.sleep(0.2)
    raise AssertionError(f"batch {batch_id} unfinished: {batch['counts']}")


def test_batch_is_processed_in_chunks_and_counted(client, worker):
    response = client.post("/v1/batches", json={"articles": articles(40)})  # more than one chunk
    assert response.status_code == 202
    body = response.get_json()
    assert response.headers["Location"] == body["links"]["self"] == f"/v1/batches/{body['batch_id']}"
    assert len(body["job_ids"]) == len(set(body["job_ids"])) == 40
    batch = wait_for_batch(client, body["batch_id"])
    assert batch["total"] == 40 and batch["counts"] == {"succeeded": 40}
    assert [job["job_id"] for job in batch["jobs"]] == body["job_ids"], "submission order"
    job = client.get(batch["jobs"][7]["links"]["self"]).get_json()
    assert job["metadata"] == {"n": 7} and job["result"]["summary"]["sentences"]


def test_item_errors_are_reported_by_index_and_nothing_is_queued(client, redis_server, settings):
    from redis import Redis

    queued_before = Redis.from_url(redis_server.url).llen(batch_queue(settings.queue))
    batch = articles(4)
    batch[1] = {"text": "   "}
    batch[3] = {"text": "ok", "language": "zz"}
    body = assert_problem(client.post("/v1/batches", json={"articles": batch}), 422, "validation_failed")
    assert set(body["errors"]["articles"]) == {"1", "3"}
    assert "text" in body["errors"]["articles"]["1"] and "language" in body["errors"]["articles"]["3"]
    assert Redis.from_url(redis_server.url).llen(batch_queue(settings.queue)) == queued_before


def test_batch_size_is_bounded(client):
    assert_problem(client.post("/v1/batches", json={"articles": []}), 422, "validation_failed")
    assert_problem(client.post("/v1/batches", json={"articles": articles(1001)}), 422, "validation_failed")


def test_a_batch_may_be_larger_than_one_article_may(redis_server, tmp_path):
    settings = Settings.from_env({"REDIS_URL": redis_server.url, "NEWSDESK_DATA_DIR": str(tmp_path),
                                  "NEWSDESK_QUEUE": "no-worker-big-batch"})
    client = create_app({"SETTINGS": settings}).test_client()
    big = [{"text": "Lang tekst om Aarhus. " * 25_000} for _ in range(3)]  # ~1.6 MB in all
    assert client.post("/v1/batches", json={"articles": big}).status_code == 202
    too_long = [{"text": "ord " * 300_000}]  # one article over the 1 MB single-article limit
    body = assert_problem(client.post("/v1/batches", json={"articles": too_long}), 422, "validation_failed")
    assert "text" in body["errors"]["articles"]["0"]
    # Measured in bytes, as a single article's body is: 800,000 characters, 1.4 MB in UTF-8.
    body = assert_problem(client.post("/v1/batches", json={"articles": [{"text": "æøå " * 200_000}]}),
                          422, "validation_failed")
    assert "bytes" in body["errors"]["articles"]["0"]["text"][0]


def queued_chunks(redis_client: Redis, queue: str) -> list[list[str]]:
    """The job ids of each batch task waiting in `queue`, in the order they were sent."""
    messages = [json.loads(raw) for raw in reversed(redis_client.lrange(batch_queue(queue), 0, -1))]
    return [json.loads(base64.b64decode(message["body"]))[0][0] for message in messages]


def test_long_articles_are_chunked_by_characters_not_only_by_count(redis_server, tmp_path):
    """A chunk holds at most NEWSDESK_BATCH_CHUNK_CHARS characters of text: a worker analyses a
    chunk's articles together, and 32 of the longest an API takes would not fit in its memory or
    its time limit. An article longer than that is a chunk of its own."""
    settings = Settings.from_env({"REDIS_URL": redis_server.url, "NEWSDESK_DATA_DIR": str(tmp_path),
                                  "NEWSDESK_QUEUE": "no-worker-long-chunks", "NEWSDESK_BATCH_CHUNK_SIZE": "4",
                                  "NEWSDESK_BATCH_CHUNK_CHARS": "100000"})
    client = create_app({"SETTINGS": settings}).test_client()
    near, long, short = ("Lang tekst om Aarhus. " * n for n in (4_455, 3_000, 1))  # 98,010, 66,000, 22
    batch = [{"text": t} for t in (near, short, long, "Lang tekst om Odense. " * 6_000, short, short, short,
                                   short, short)]
    batch[1]["title"] = "Overskrift " * 180  # 1,980 characters: with them the first chunk is full
    ids = client.post("/v1/batches", json={"articles": batch}).get_json()["job_ids"]
    assert queued_chunks(Redis.from_url(redis_server.url), settings.queue) == [
        [ids[0]], [ids[1], ids[2]], [ids[3]], ids[4:8], [ids[8]]]


def test_a_batch_larger_than_a_keys_queue_may_hold_is_refused_at_once(tmp_path):
    with EmbeddedRedis(tmp_path / "redis-data", tmp_path / "r.sock") as server:
        settings = Settings.from_env({"REDIS_URL": server.url, "NEWSDESK_DATA_DIR": str(tmp_path),
                                      "NEWSDESK_QUEUE": "capped", "NEWSDESK_MAX_QUEUED_PER_KEY": "3"})
        client = create_app({"SETTINGS": settings}).test_client()
        # Not 429: no wait would make room for it.
        body = assert_problem(client.post("/v1/batches", json={"articles": articles(4)}), 422, "validation_failed")
        assert "NEWSDESK_MAX_QUEUED_PER_KEY" in body["errors"]["articles"][0]
        assert Redis.from_url(server.url).keys(KEY_PREFIX + "*") == []
        assert client.post("/v1/batches", json={"articles": articles(3)}).status_code == 202


def test_a_batch_that_redis_refuses_midway_leaves_no_jobs_behind(tmp_path):
    with EmbeddedRedis(tmp_path / "redis-data", tmp_path / "r.sock") as server:
        settings = Settings.from_env({"REDIS_URL": server.url, "NEWSDESK_DATA_DIR": str(tmp_path),
                                      "NEWSDESK_QUEUE": "refused-midway"})
        client = create_app({"SETTINGS": settings}).test_client()
        redis = Redis.from_url(server.url)
        # Room for a few of the ten articles: Redis then refuses writes (OOM) in the middle.
        redis.config_set("maxmemory", redis.info("memory")["used_memory"] + 2_000_000)
        redis.config_resetstat()
        big = [{"text": "Ord. " * 60_000} for _ in range(10)]
        assert_problem(client.post("/v1/batches", json={"articles": big}), 503, "queue_unavailable")
        assert redis.info("commandstats")["cmdstat_hset"]["calls"] > 0, "some jobs were recorded first"
        assert redis.keys(KEY_PREFIX + "*") == []
        assert redis.zcard(QUEUED_INDEX) == 0 and redis.keys("newsdesk:owner:*") == []


def test_a_redelivered_chunk_does_not_run_finished_items_again(client, worker, app):
    body = client.post("/v1/batches", json={"articles": articles(3)}).get_json()
    wait_for_batch(client, body["batch_id"])
    before = [client.get(f"/v1/jobs/{j}").get_json() for j in body["job_ids"]]
    queue = app.extensions["newsdesk.queue"]
    queue.celery.send_task(ANALYZE_BATCH_TASK, args=[body["job_ids"]], queue=batch_queue(queue.settings.queue))
    time.sleep(2)
    after = [client.get(f"/v1/jobs/{j}").get_json() for j in body["job_ids"]]
    assert after == before
    assert all(queue.store.get(j)["attempts"] == 1 for j in body["job_ids"])


def test_idempotency_key_returns_the_same_batch(client, worker):
    first = client.post("/v1/batches", json={"articles": articles(2)}, headers={"Idempotency-Key": "b-1"})
    again = client.post("/v1/batches", json={"articles": articles(2)}, headers={"Idempotency-Key": "b-1"})
    assert first.status_code == 202 and again.status_code == 200
    assert again.get_json()["batch_id"] == first.get_json()["batch_id"]


def test_a_retried_batch_answers_everything_the_first_answer_had(client):
    headers = {"Idempotency-Key": "b-replay"}
    first = client.post("/v1/batches", json={"articles": articles(2)}, headers=headers)
    again = client.post("/v1/batches", json={"articles": articles(2)}, headers=headers)
    assert first.status_code == 202 and again.status_code == 200
    assert {name: again.get_json().get(name) for name in first.get_json()} == first.get_json()
    assert again.headers["Location"] == first.headers["Location"]
    assert again.get_json()["total"] == 2


def test_unknown_batch_is_404(client):
    assert_problem(client.get("/v1/batches/nope"), 404, "batch_not_found")


def test_a_key_is_held_a_day_once_done_and_briefly_while_in_progress(client, app, monkeypatch):
    keys = IdempotencyKeys(app.extensions["newsdesk.queue"].store.redis)
    done = client.post("/v1/batches", json={"articles": articles(1)}, headers={"Idempotency-Key": "b-ttl"})
    assert done.status_code == 202
    assert keys.redis.ttl(keys._key(ANONYMOUS, "b-ttl")) > IN_PROGRESS_SECONDS

    def redis_gone(*args, **kwargs):
        raise redis.ConnectionError("Redis went away for a moment")

    monkeypatch.setattr(IdempotencyKeys, "complete", redis_gone)
    queued = client.post("/v1/batches", json={"articles": articles(1)}, headers={"Idempotency-Key": "b-gone"})
    assert queued.status_code == 202, "the batch was queued: the answer says so"
    assert 0 < keys.redis.ttl(keys._key(ANONYMOUS, "b-gone")) <= IN_PROGRESS_SECONDS


def test_an_invalid_batch_is_called_one(client):
    problem = assert_problem(client.post("/v1/batches", json={"articles": [{"text": ""}]}), 422, "validation_failed")
    assert problem["title"] == "The request body is not a valid batch"


def test_a_retry_after_the_batch_expired_says_so_like_an_article_does(client, app):
    # The key is held a day; a batch lives twice the result TTL, which may be shorter.
    headers = {"Idempotency-Key": "b-expired"}
    first = client.post("/v1/batches", json={"articles": articles(1)}, headers=headers)
    app.extensions["newsdesk.queue"].batches.delete(first.get_json()["batch_id"])
    again = client.post("/v1/batches", json={"articles": articles(1)}, headers=headers)
    assert_problem(again, 409, "idempotency_key_expired")


def test_only_the_jobs_of_an_accepted_batch_are_counted_as_submitted(tmp_path):
    with EmbeddedRedis(tmp_path / "redis-data", tmp_path / "r.sock") as server:
        settings = Settings.from_env({"REDIS_URL": server.url, "NEWSDESK_DATA_DIR": str(tmp_path),
                                      "NEWSDESK_QUEUE": "counted", "NEWSDESK_MAX_QUEUED_PER_KEY": "3"})
        client = create_app({"SETTINGS": settings}).test_client()
        redis = Redis.from_url(server.url)

        def submitted() -> float:
            return float(redis.hget(COUNTERS, 'newsdesk_jobs_submitted_total{language="da"}') or 0)

        assert client.post("/v1/batches", json={"articles": articles(2)}).status_code == 202
        assert submitted() == 2
        # One job is recorded before the second finds the queue full; a retry would count it again.
        assert_problem(client.post("/v1/batches", json={"articles": articles(2)}), 429, "queue_full")
        assert submitted() == 2


def _slow_first_batch(monkeypatch, seconds: float) -> threading.Event:
    """The next batch request is held `seconds` before it creates its batch (longer than its key
    is held in progress); returns an event set once it is paused."""
    from service.queue import JobQueue

    create, paused = JobQueue.submit_batch, threading.Event()

    def submit_batch(self, *args, **kwargs):
        if not paused.is_set():
            paused.set()
            time.sleep(seconds)
        return create(self, *args, **kwargs)

    monkeypatch.setattr(JobQueue, "submit_batch", submit_batch)
    return paused


def test_a_batch_slower_than_its_in_progress_hold_still_keeps_its_key(app, monkeypatch):
    monkeypatch.setattr(idempotency, "IN_PROGRESS_SECONDS", 1)
    _slow_first_batch(monkeypatch, 1.5)
    headers = {"Idempotency-Key": "b-slow"}
    first = app.test_client().post("/v1/batches", json={"articles": articles(1)}, headers=headers)
    again = app.test_client().post("/v1/batches", json={"articles": articles(1)}, headers=headers)
    assert first.status_code == 202 and again.status_code == 200
    assert again.get_json()["batch_id"] == first.get_json()["batch_id"]


def test_a_slow_batch_request_does_not_take_the_key_from_the_one_that_took_it_over(app, monkeypatch):
    monkeypatch.setattr(idempotency, "IN_PROGRESS_SECONDS", 1)
    paused = _slow_first_batch(monkeypatch, 1.5)
    headers, answers = {"Idempotency-Key": "b-overtaken"}, {}

    def slow():
        answers["slow"] = app.test_client().post("/v1/batches", json={"articles": articles(1)}, headers=headers)

    thread = threading.Thread(target=slow)
    thread.start()
    assert paused.wait(5)
    time.sleep(1.1)  # the slow request's hold lapsed: the next one takes the key, as documented
    took_over = app.test_client().post("/v1/batches", json={"articles": articles(1)}, headers=headers)
    thread.join(10)
    assert took_over.status_code == 202 and answers["slow"].status_code == 202
    again = app.test_client().post("/v1/batches", json={"articles": articles(1)}, headers=headers)
    assert again.status_code == 200 and again.get_json()["batch_id"] == took_over.get_json()["batch_id"]
