"""POST /v1/batches through the real app with bodies spooled to disk and read back an article at a
time (service/body.py, service/batch_body.py): the same answers as when the whole body was parsed
at once. The spool's memory and the reading steps are made small, so that bodies of a few hundred
KB go to disk and are read in many pieces, as one of 50 MB is."""

from __future__ import annotations

import gzip
import hashlib
import json

import pytest
from redis import Redis

from newsdesk.api_keys import ANONYMOUS
from service import body, json_stream
from service.idempotency import IdempotencyKeys
from service.schemas import BatchSchema, load_article
from newsdesk.task_names import batch_queue
from tests.integration.test_api import assert_problem

JSON = "application/json"


@pytest.fixture(autouse=True)
def rollovers(monkeypatch):
    """Spools of 64 KiB in memory, read 4 KiB at a time; the spools that went to disk."""
    monkeypatch.setattr(body, "SPOOL_IN_MEMORY", 64 * 1024)
    monkeypatch.setattr(json_stream, "_READ", 4096)
    rolled = []
    rollover = body._Spool.rollover

    def counted(spool):
        if not spool._rolled:
            rolled.append(spool.size)
        rollover(spool)

    monkeypatch.setattr(body._Spool, "rollover", counted)
    return rolled


def texts(count: int, size: int = 12_000) -> list[dict]:
    seed = json.loads(open("seeds/da-kim-jong-un-rusland.json", encoding="utf-8").read())["text"]
    return [{"text": f"{i}: " + (seed * (size // len(seed) + 1))[:size], "language": "da",
             "metadata": {"n": i, "ratio": i / 7}} for i in range(count)]


def encoded(articles: list, ensure_ascii: bool = False) -> bytes:
    return json.dumps({"articles": articles}, ensure_ascii=ensure_ascii).encode()


def test_a_batch_on_disk_with_invalid_items_at_several_indexes_queues_nothing(client, settings, redis_server,
                                                                                 rollovers):
    batch = texts(50)
    batch[0]["language"], batch[21] = "xx", {"text": "  "}
    batch[49]["metadata"] = [1]
    batch[30]["published_at"] = "2023-02-29"
    queued = Redis.from_url(redis_server.url).llen(batch_queue(settings.queue))
    problem = assert_problem(client.post("/v1/batches", data=encoded(batch), content_type=JSON),
                             422, "validation_failed")
    assert rollovers and rollovers[0] >= 64 * 1024
    expected = BatchSchema().validate({"articles": batch})
    assert problem["errors"] == json.loads(json.dumps(expected))
    assert set(problem["errors"]["articles"]) == {"0", "21", "30", "49"}
    assert Redis.from_url(redis_server.url).llen(batch_queue(settings.queue)) == queued


def test_malformed_json_at_the_end_of_a_batch_on_disk_is_400_with_json_s_own_message(client, rollovers):
    cut = encoded(texts(40))[:-2]
    problem = assert_problem(client.post("/v1/batches", data=cut, content_type=JSON), 400, "malformed_json")
    with pytest.raises(ValueError) as whole:
        json.loads(cut)
    assert problem["detail"] == str(whole.value)  # "Expecting ',' delimiter: line 1 column ... (char ...)"
    assert rollovers


def test_a_gzip_batch_on_disk_is_queued_whole_and_in_order(app, client, rollovers):
    batch = texts(60)
    batch[7]["title"], batch[8]["text"] = "Titel \U0001F600", "Kort \U0001F600 tekst."  # sent as \ud83d\ude00
    coded = gzip.compress(encoded(batch, ensure_ascii=True))
    response = client.post("/v1/batches", data=coded, content_type=JSON, headers={"Content-Encoding": "gzip"})
    assert response.status_code == 202, response.get_data(as_text=True)
    assert len(coded) < 64 * 1024 and len(rollovers) == 1  # the decoded body went to disk, the coded one not
    store = app.extensions["newsdesk.queue"].store
    stored = [store.get(job_id)["article"] for job_id in response.get_json()["job_ids"]]
    assert stored == [load_article(article) for article in batch]


def test_an_idempotency_key_holds_the_fingerprint_keys_held_before(app, client, rollovers):
    """The digest of json.dumps({"batch": articles}, sort_keys=True), the articles as validated:
    keys taken before batches were read an article at a time still match their retries."""
    batch, headers = texts(30), {"Idempotency-Key": "spooled-batch"}
    first = client.post("/v1/batches", data=encoded(batch), content_type=JSON, headers=headers)
    assert first.status_code == 202
    redis = app.extensions["newsdesk.queue"].store.redis
    record = json.loads(redis.get(IdempotencyKeys._key(ANONYMOUS, "spooled-batch")))
    whole = json.dumps({"batch": [load_article(article) for article in batch]}, sort_keys=True)
    assert record["fingerprint"] == hashlib.sha256(whole.encode()).hexdigest()
    again = client.post("/v1/batches", data=gzip.compress(encoded(batch)), content_type=JSON,
                        headers=headers | {"Content-Encoding": "gzip"})
    assert again.status_code == 200 and again.get_json()["batch_id"] == first.get_json()["batch_id"]
    batch[29]["text"] += " Changed."
    other = client.post("/v1/batches", data=encoded(batch), content_type=JSON, headers=headers)
    assert_problem(other, 409, "idempotency_key_reused")


def test_an_article_whose_other_fields_are_over_the_limit_for_one_article_is_refused(client, settings):
    # As its own POST /v1/articles it would be a 413; in a batch, its index says why.
    batch = texts(3)
    batch[1]["metadata"] = {"blob": "x" * settings.max_body_bytes}
    problem = assert_problem(client.post("/v1/batches", data=encoded(batch), content_type=JSON),
                             422, "validation_failed")
    assert list(problem["errors"]["articles"]) == ["1"]
    assert problem["errors"]["articles"]["1"]["_schema"] == [
        f"The fields other than text take more than {settings.max_body_bytes} bytes as JSON (UTF-8), "
        "the limit for one article."]
