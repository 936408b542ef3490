"""GET /v1/jobs/<id>?wait=N: answers when the job finishes, else with its state after N seconds."""

from __future__ import annotations

import time

import pytest

from newsdesk.settings import Settings
from service import create_app
from tests.conftest import DANISH_SEED, load_seed
from tests.integration.test_api import assert_problem


def test_returns_as_soon_as_the_job_finishes(client, worker):
    job_id = client.post("/v1/articles", json=load_seed(DANISH_SEED)).get_json()["job_id"]
    began = time.monotonic()
    job = client.get(f"/v1/jobs/{job_id}?wait=30").get_json()
    assert job["status"] == "succeeded"
    assert time.monotonic() - began < 20, "it answered on completion, not at the end of the wait"
    assert job["result"]["summary"]["sentences"]


def test_returns_the_current_state_when_the_wait_ends(redis_server, tmp_path):
    settings = Settings.from_env({"REDIS_URL": redis_server.url, "NEWSDESK_DATA_DIR": str(tmp_path),
                                  "NEWSDESK_QUEUE": "no-worker-here"})
    client = create_app({"SETTINGS": settings}).test_client()
    job_id = client.post("/v1/articles", json={"text": "Ingen arbejder tager denne."}).get_json()["job_id"]
    began = time.monotonic()
    job = client.get(f"/v1/jobs/{job_id}?wait=1").get_json()
    assert job["status"] == "queued"
    assert time.monotonic() - began >= 1


def test_an_unknown_job_does_not_wait(client):
    began = time.monotonic()
    assert_problem(client.get("/v1/jobs/nope?wait=30"), 404, "job_not_found")
    assert time.monotonic() - began < 5


@pytest.mark.parametrize("wait", ["31", "-1", "soon"])
def test_wait_is_bounded(client, wait):
    problem = assert_problem(client.get(f"/v1/jobs/anything?wait={wait}"), 422, "validation_failed")
    assert problem["title"] == "The query parameters are not valid" and "wait" in problem["errors"]


def test_a_post_can_wait_for_its_job(client, worker):
    response = client.post("/v1/articles?wait=30", json=load_seed(DANISH_SEED))
    assert response.status_code == 200
    job = response.get_json()
    assert job["status"] == "succeeded" and job["result"]["summary"]["sentences"]
    assert response.headers["Location"] == f"/v1/jobs/{job['job_id']}"


def test_a_post_whose_wait_runs_out_is_202_with_the_job_as_it_is(redis_server, tmp_path):
    settings = Settings.from_env({"REDIS_URL": redis_server.url, "NEWSDESK_DATA_DIR": str(tmp_path),
                                  "NEWSDESK_QUEUE": "no-worker-here"})
    client = create_app({"SETTINGS": settings}).test_client()
    began = time.monotonic()
    response = client.post("/v1/articles?wait=1", json={"text": "Ingen arbejder tager denne."})
    assert time.monotonic() - began >= 1
    assert response.status_code == 202
    job = response.get_json()
    assert job["status"] == "queued" and job["links"]["self"] == response.headers["Location"]
    assert client.get(response.headers["Location"]).get_json()["job_id"] == job["job_id"]


@pytest.mark.parametrize("wait", ["31", "-1", "soon"])
def test_a_posts_wait_is_bounded_and_nothing_is_queued(client, wait):
    before = client.get("/v1/jobs").get_json()["jobs"]
    assert_problem(client.post(f"/v1/articles?wait={wait}", json={"text": "Hej"}), 422, "validation_failed")
    assert client.get("/v1/jobs").get_json()["jobs"] == before


def test_a_long_poll_whose_client_hung_up_frees_its_thread(redis_server, tmp_path):
    # Under gunicorn a waiting request holds one of the worker's threads. A client that hung up
    # mid-wait (a timeout shorter than its wait, a proxy that gave up) held it for the whole wait,
    # up to 30 s: as many such clients as threads, and the API answered nobody meanwhile.
    import json
    import socket

    import httpx

    from tests.integration.conftest import start_api

    settings = Settings.from_env({"REDIS_URL": redis_server.url, "NEWSDESK_DATA_DIR": str(tmp_path),
                                  "NEWSDESK_QUEUE": "no-worker-here-hang-up"})
    api, url = start_api(settings, tmp_path / "api.log", NEWSDESK_API_THREADS="2")
    try:
        job_id = httpx.post(f"{url}/v1/articles", json={"text": "Ingen arbejder tager denne."}).json()["job_id"]
        body = json.dumps({"text": "Heller ikke denne."})
        requests = [f"GET /v1/jobs/{job_id}?wait=30 HTTP/1.1\r\nHost: x\r\n\r\n",
                    f"POST /v1/articles?wait=30 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(body)}\r\n\r\n{body}"]
        for raw in requests:  # one for each of the two threads
            with socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1]))) as sock:
                sock.sendall(raw.encode())
                time.sleep(0.5)  # the request is read and waiting; then the client hangs up
        # Both threads were held until their 30 s ran out; now they are free within a second or two.
        response = httpx.get(f"{url}/v1/jobs/{job_id}", timeout=15)
        assert response.status_code == 200 and response.json()["status"] == "queued"
    finally:
        api.terminate()
        api.wait(30)
