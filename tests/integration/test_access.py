"""Access control on a real Redis: keys, ownership, listing, deletion, limits, idempotency."""

from __future__ import annotations

import pytest

from newsdesk.api_keys import hash_key
from newsdesk.settings import Settings
from service import create_app
from tests.integration.test_api import assert_problem

ALICE, BOB = "alice-key-0123456789abcdef", "bob-key-0123456789abcdef"


def make_client(redis_server, tmp_path, **env):
    settings = Settings.from_env({"REDIS_URL": redis_server.url, "NEWSDESK_DATA_DIR": str(tmp_path),
                                  "NEWSDESK_QUEUE": "test-access", "NEWSDESK_API_KEYS": f"{ALICE},{BOB}",
                                  **env})
    return create_app({"SETTINGS": settings}).test_client()


def auth(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def client(redis_server, tmp_path):
    return make_client(redis_server, tmp_path)


def submit(client, key, text="Nyhed om Danmark.", **headers):
    return client.post("/v1/articles", json={"text": text}, headers=auth(key) | headers)


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer wrong-key-0123456789", f"Basic {ALICE}"])
def test_missing_or_wrong_key_is_401(client, header):
    response = client.post("/v1/articles", json={"text": "x"},
                           headers={"Authorization": header} if header else {})
    assert_problem(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_health_needs_no_key(client):
    assert client.get("/healthz").status_code == 200


def test_another_keys_job_is_404_never_403(client):
    job_id = submit(client, ALICE).get_json()["job_id"]
    assert client.get(f"/v1/jobs/{job_id}", headers=auth(ALICE)).status_code == 200
    assert_problem(client.get(f"/v1/jobs/{job_id}", headers=auth(BOB)), 404, "job_not_found")
    assert_problem(client.delete(f"/v1/jobs/{job_id}", headers=auth(BOB)), 404, "job_not_found")


def test_listing_shows_only_own_jobs_newest_first_with_cursor(redis_server, tmp_path):
    key = "carol-key-0123456789abcdef"
    client = make_client(redis_server, tmp_path, NEWSDESK_API_KEYS=f"{key},{BOB}")
    mine = [submit(client, key, f"Artikel {i}.").get_json()["job_id"] for i in range(5)]
    submit(client, BOB)
    first = client.get("/v1/jobs?limit=3", headers=auth(key)).get_json()
    assert [j["job_id"] for j in first["jobs"]] == mine[::-1][:3]
    assert "result" not in first["jobs"][0]
    second = client.get(first["links"]["next"], headers=auth(key)).get_json()
    assert [j["job_id"] for j in second["jobs"]] == mine[::-1][3:]
    assert second["next_cursor"] is None
    queued = client.get("/v1/jobs?status=queued&limit=100", headers=auth(key)).get_json()
    assert len(queued["jobs"]) == 5
    assert client.get("/v1/jobs?status=succeeded", headers=auth(key)).get_json()["jobs"] == []


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "status=done", "cursor=abc", "colour=red"])
def test_bad_listing_query_is_422(client, query):
    assert_problem(client.get(f"/v1/jobs?{query}", headers=auth(ALICE)), 422, "validation_failed")


def test_delete_a_queued_job_cancels_it(client):
    job_id = submit(client, ALICE).get_json()["job_id"]
    assert client.delete(f"/v1/jobs/{job_id}", headers=auth(ALICE)).status_code == 204
    assert_problem(client.get(f"/v1/jobs/{job_id}", headers=auth(ALICE)), 404, "job_not_found")


def test_rate_limit_per_key_with_retry_after(redis_server, tmp_path):
    client = make_client(redis_server, tmp_path, NEWSDESK_RATE_LIMIT_PER_MINUTE="3",
                         NEWSDESK_API_KEYS="dave-key-0123456789abcdef,erin-key-0123456789abcdef")
    dave, erin = "dave-key-0123456789abcdef", "erin-key-0123456789abcdef"
    for _ in range(3):
        assert client.get("/v1/jobs", headers=auth(dave)).status_code == 200
    response = client.get("/v1/jobs", headers=auth(dave))
    assert_problem(response, 429, "rate_limited")
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert client.get("/v1/jobs", headers=auth(erin)).status_code == 200, "limits are per key"


def test_queued_jobs_cap_per_key(redis_server, tmp_path):
    frank, gina = "frank-key-0123456789abcdef", "gina-key-0123456789abcdef"
    client = make_client(redis_server, tmp_path, NEWSDESK_MAX_QUEUED_PER_KEY="2",
                         NEWSDESK_API_KEYS=f"{frank},{gina}")
    first = submit(client, frank).get_json()["job_id"]
    assert submit(client, frank).status_code == 202
    assert_problem(submit(client, frank), 429, "queue_full")
    assert submit(client, gina).status_code == 202, "one key's full queue does not block another"
    client.delete(f"/v1/jobs/{first}", headers=auth(frank))
    assert submit(client, frank).status_code == 202, "a cancelled job frees its place"


def test_idempotency_key_returns_the_same_job(client):
    first = submit(client, ALICE, "Samme tekst.", **{"Idempotency-Key": "order-1"})
    assert first.status_code == 202
    again = submit(client, ALICE, "Samme tekst.", **{"Idempotency-Key": "order-1"})
    assert again.status_code == 200
    assert again.get_json()["job_id"] == first.get_json()["job_id"]
    assert again.headers["Location"] == first.headers["Location"]


def test_idempotency_key_with_another_body_is_409(client):
    submit(client, ALICE, "Første tekst.", **{"Idempotency-Key": "order-2"})
    assert_problem(submit(client, ALICE, "Anden tekst.", **{"Idempotency-Key": "order-2"}),
                   409, "idempotency_key_reused")


def test_idempotency_keys_are_per_api_key(client):
    a = submit(client, ALICE, "Tekst.", **{"Idempotency-Key": "shared"}).get_json()["job_id"]
    b = submit(client, BOB, "Tekst.", **{"Idempotency-Key": "shared"}).get_json()["job_id"]
    assert a != b


def test_short_keys_are_refused_at_start(tmp_path):
    with pytest.raises(ValueError, match="at least 16"):
        Settings.from_env({"NEWSDESK_API_KEYS": "short", "NEWSDESK_DATA_DIR": str(tmp_path)})


def test_keys_from_a_file(tmp_path):
    keys = tmp_path / "keys"
    keys.write_text("# team keys\nkey-from-file-0123456789\n\n")
    settings = Settings.from_env({"NEWSDESK_API_KEYS_FILE": str(keys), "NEWSDESK_DATA_DIR": str(tmp_path)})
    assert len(settings.api_key_hashes) == 1
    assert "key-from-file-0123456789" not in repr(settings)


def test_binding_beyond_loopback_without_keys_is_refused(tmp_path):
    settings = Settings.from_env({"NEWSDESK_DATA_DIR": str(tmp_path)})
    settings.check_bind("127.0.0.1")
    settings.check_bind("::1")
    with pytest.raises(SystemExit, match="no API keys"):
        settings.check_bind("0.0.0.0")


def test_a_keys_file_saved_with_a_byte_order_mark_keeps_its_first_line(tmp_path):
    keys = tmp_path / "keys"
    keys.write_text("key-from-file-0123456789\n# a comment\n", encoding="utf-8-sig")
    settings = Settings.from_env({"NEWSDESK_API_KEYS_FILE": str(keys), "NEWSDESK_DATA_DIR": str(tmp_path)})
    assert settings.api_key_hashes == {hash_key("key-from-file-0123456789")}
