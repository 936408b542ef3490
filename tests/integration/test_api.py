"""The HTTP contract against a real Redis: every status code a client can get, as problem+json."""

from __future__ import annotations

import json

import pytest

from newsdesk.job_store import KEY_PREFIX
from newsdesk.settings import Settings
from service import create_app
from tests.conftest import DANISH_SEED, load_seed

PROBLEM = "application/problem+json"


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json(force=True)
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"].endswith("/" + code)
    assert body["title"]
    return body


def test_submit_returns_202_with_location_and_queued_job(client, redis_server, settings):
    from redis import Redis

    queued_before = Redis.from_url(redis_server.url).llen(settings.queue)
    response = client.post("/v1/articles", json=load_seed(DANISH_SEED))
    assert response.status_code == 202
    body = response.get_json()
    assert body["status"] == "queued"
    assert response.headers["Location"] == body["links"]["self"] == f"/v1/jobs/{body['job_id']}"
    # The message really is in the broker's queue list.
    assert Redis.from_url(redis_server.url).llen(settings.queue) == queued_before + 1


def test_get_job_while_queued_echoes_article_fields(client):
    article = {"text": "Kort tekst.", "published_at": "2023", "metadata": {"id": 7, "tags": ["a"]}}
    job_id = client.post("/v1/articles", json=article).get_json()["job_id"]
    job = client.get(f"/v1/jobs/{job_id}").get_json()
    assert job["status"] == "queued"
    assert job["result"] is None and job["error"] is None
    assert job["created_at"].endswith("Z") and job["expires_at"] > job["created_at"]
    assert job["metadata"] == {"id": 7, "tags": ["a"]}
    assert job["article"]["published_at"] == "2023"
    assert job["article"]["chars"] == len("Kort tekst.")


def test_unknown_job_is_404(client):
    assert_problem(client.get("/v1/jobs/no-such-job"), 404, "job_not_found")


def test_unknown_route_is_404_problem(client):
    assert_problem(client.get("/v2/nothing"), 404, "not_found")


def test_wrong_method_is_405_with_allow(client):
    response = client.delete("/v1/articles")
    assert_problem(response, 405, "method_not_allowed")
    assert "POST" in response.headers["Allow"]


def test_not_json_is_415(client):
    response = client.post("/v1/articles", data="text=hej", content_type="application/x-www-form-urlencoded")
    assert_problem(response, 415, "unsupported_media_type")


@pytest.mark.parametrize("body", [b"{", b'{"text": "a",}', b"\xff\xfe", b""])
def test_malformed_json_is_400(client, body):
    response = client.post("/v1/articles", data=body, content_type="application/json")
    assert_problem(response, 400, "malformed_json")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize("path", ["/v1/articles", "/v1/batches"])
def test_nan_and_infinity_are_not_json_and_are_400(client, path, constant):
    article = '{"text": "a", "metadata": {"x": [1, %s]}}' % constant
    body = article if path == "/v1/articles" else '{"articles": [%s]}' % article
    response = client.post(path, data=body, content_type="application/json")
    assert constant in assert_problem(response, 400, "malformed_json")["detail"]


@pytest.mark.parametrize("path", ["/v1/articles", "/v1/batches"])
def test_json_nested_too_deeply_to_parse_is_400(client, path):
    body = '{"text": "a", "metadata": {"m": ' + "[" * 100_000 + "]" * 100_000 + "}}"
    response = client.post(path, data=body, content_type="application/json")
    assert_problem(response, 400, "malformed_json")


def test_body_over_limit_is_413(redis_server, tmp_path):
    settings = Settings.from_env({"REDIS_URL": redis_server.url, "NEWSDESK_DATA_DIR": str(tmp_path),
                                  "NEWSDESK_MAX_BODY_BYTES": "2048"})
    client = create_app({"SETTINGS": settings}).test_client()
    response = client.post("/v1/articles", json={"text": "ord " * 1000})
    assert_problem(response, 413, "payload_too_large")
    # Werkzeug's own words ("exceeds the capacity limit") leave a user guessing how much to cut.
    assert "2,048 bytes" in response.json["detail"]


def test_a_batch_body_has_a_limit_of_its_own(redis_server, tmp_path):
    settings = Settings.from_env({"REDIS_URL": redis_server.url, "NEWSDESK_DATA_DIR": str(tmp_path),
                                  "NEWSDESK_QUEUE": "test-batch-body-limit", "NEWSDESK_MAX_BODY_BYTES": "2048",
                                  "NEWSDESK_MAX_BATCH_BYTES": "8192"})
    client = create_app({"SETTINGS": settings}).test_client()
    article = {"text": "ord " * 400}
    response = client.post("/v1/batches", json={"articles": [article] * 3})  # over 2048, under 8192
    assert response.status_code == 202
    response = client.post("/v1/batches", json={"articles": [article] * 6})
    assert_problem(response, 413, "payload_too_large")
    assert "8,192 bytes" in response.json["detail"]


@pytest.mark.parametrize(
    ("article", "field"),
    [
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": "   \n "}, "text"),
        ({"text": 42}, "text"),
        ({"text": "a\x00b"}, "text"),
        ({"text": "ok", "title": 5}, "title"),
        ({"text": "ok", "language": "xx"}, "language"),
        ({"text": "ok", "language": "DA"}, "language"),
        ({"text": "ok", "url": "not a url"}, "url"),
        ({"text": "ok", "url": "ftp://example.com/a"}, "url"),
        ({"text": "ok", "published_at": "11/09/2023"}, "published_at"),
        ({"text": "ok", "published_at": "2023-13"}, "published_at"),
        ({"text": "ok", "published_at": "2023-02-30"}, "published_at"),
        ({"text": "ok", "metadata": [1, 2]}, "metadata"),
        ({"text": "ok", "metadata": {"a": json.loads("[" * 32 + "]" * 32)}}, "metadata"),
        ({"text": "ok", "metadata": {"a": ["\ud800"]}}, "metadata"),
        ({"text": "ok", "metadata": {"a": {"\udc00": 1}}}, "metadata"),
        ({"text": "ok", "options": {"summary_sentences": 0}}, "options"),
        ({"text": "ok", "options": {"summary_sentences": 11}}, "options"),
        ({"text": "ok", "options": {"summary_sentences": "3"}}, "options"),
        ({"text": "ok", "options": {"summary_max_chars": 5}}, "options"),
        ({"text": "ok", "options": {"colour": "red"}}, "options"),
        ({"text": "ok", "txet": "typo"}, "txet"),
    ],
)
def test_schema_violations_are_422_naming_the_field(client, article, field):
    body = assert_problem(client.post("/v1/articles", json=article), 422, "validation_failed")
    assert field in body["errors"]


def test_a_json_array_is_422(client):
    body = assert_problem(client.post("/v1/articles", json=[{"text": "a"}]), 422, "validation_failed")
    assert "_schema" in body["errors"]


@pytest.mark.parametrize("published_at", ["2023", "2023-09", "2023-09-11", "2023-09-11T08:30:00+02:00",
                                          "2023-09-11T06:30:00Z", "2023-09-11T06:30:00.123Z"])
def test_published_at_precisions_are_echoed_as_given(client, published_at):
    response = client.post("/v1/articles", json={"text": "Tekst.", "published_at": published_at})
    assert response.status_code == 202
    job = client.get(response.headers["Location"]).get_json()
    assert job["article"]["published_at"] == published_at


def test_redis_down_is_503_and_leaves_no_job(tmp_path):
    settings = Settings.from_env({"REDIS_URL": f"unix://{tmp_path}/nothing.sock?db=0",
                                  "NEWSDESK_DATA_DIR": str(tmp_path), "NEWSDESK_REDIS_TIMEOUT": "0.5"})
    client = create_app({"SETTINGS": settings}).test_client()
    response = client.post("/v1/articles", json={"text": "Hej med dig."})
    assert_problem(response, 503, "queue_unavailable")
    assert response.headers["Retry-After"]
    assert_problem(client.get("/v1/jobs/abc"), 503, "queue_unavailable")


def test_broker_unreachable_after_record_is_503_and_record_removed(redis_server, tmp_path):
    """The job record is written, then queuing fails: the record must not survive."""
    settings = Settings.from_env({"REDIS_URL": redis_server.url, "NEWSDESK_DATA_DIR": str(tmp_path)})
    app = create_app({"SETTINGS": settings})
    from service.queue import make_celery_client

    broken = Settings.from_env({"REDIS_URL": f"unix://{tmp_path}/nothing.sock?db=0",
                                "NEWSDESK_DATA_DIR": str(tmp_path), "NEWSDESK_REDIS_TIMEOUT": "0.5"})
    queue = app.extensions["newsdesk.queue"]
    queue.celery = make_celery_client(broken)
    before = set(queue.store.redis.scan_iter(KEY_PREFIX + "*"))
    response = app.test_client().post("/v1/articles", json={"text": "Hej med dig."})
    assert_problem(response, 503, "queue_unavailable")
    assert set(queue.store.redis.scan_iter(KEY_PREFIX + "*")) == before


def test_deleting_a_running_job_is_409_and_leaves_it_running(client, app):
    job_id = client.post("/v1/articles", json={"text": "Tekst."}).get_json()["job_id"]
    app.extensions["newsdesk.queue"].store.start(job_id)
    assert_problem(client.delete(f"/v1/jobs/{job_id}"), 409, "job_running")
    assert client.get(f"/v1/jobs/{job_id}").get_json()["status"] == "running"


def test_a_job_that_starts_while_its_delete_is_handled_is_not_deleted(client, app, monkeypatch):
    store = app.extensions["newsdesk.queue"].store
    job_id = client.post("/v1/articles", json={"text": "Tekst."}).get_json()["job_id"]
    delete = store.delete

    def started_first(*args, **kwargs):  # a worker takes the job after the view read it as queued
        store.start(job_id)
        return delete(*args, **kwargs)

    monkeypatch.setattr(store, "delete", started_first)
    assert_problem(client.delete(f"/v1/jobs/{job_id}"), 409, "job_running")
    assert client.get(f"/v1/jobs/{job_id}").get_json()["status"] == "running"


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_problem_bodies_are_json_documents(client):
    response = client.get("/v1/jobs/x")
    assert json.loads(response.get_data())["instance"] == "/v1/jobs/x"
