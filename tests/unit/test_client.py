"""The Python client's HTTP behaviour against a scripted local HTTP server."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsdesk import Client, ClientError

JOB = {"job_id": "j1", "status": "queued", "error": None, "result": None, "links": {"self": "/v1/jobs/j1"}}


class Scripted:
    """Answers each request with the next (status, headers, body) in `replies`; a body in bytes
    is sent as it is, anything else as JSON."""

    def __init__(self, replies):
        self.replies, self.seen = list(replies), []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                owner.seen.append((self.command, self.path, dict(self.headers), self.rfile.read(length)))
                status, headers, body = owner.replies.pop(0)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body if isinstance(body, bytes) else json.dumps(body).encode())

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"


@pytest.fixture
def scripted(request):
    server = Scripted(request.param)
    yield server
    server.server.shutdown()


BUSY = (503, {"Retry-After": "1", "Content-Type": "application/problem+json"},
        {"status": 503, "code": "queue_unavailable", "title": "busy"})


@pytest.mark.parametrize("scripted", [[BUSY, (202, {}, JOB)]], indirect=True)
def test_retries_after_503_honouring_retry_after_with_the_same_idempotency_key(scripted):
    began = time.monotonic()
    job = Client(scripted.url, api_key="k" * 20).submit({"text": "Hej"})
    assert job.job_id == "j1" and job.status == "queued"
    assert time.monotonic() - began >= 1
    (_, _, first, _), (_, _, second, _) = scripted.seen
    assert first["Idempotency-Key"] == second["Idempotency-Key"]
    assert first["Authorization"] == "Bearer " + "k" * 20


@pytest.mark.parametrize("scripted", [[(422, {}, {"status": 422, "code": "validation_failed", "title": "bad"})]],
                         indirect=True)
def test_client_errors_are_raised_not_retried(scripted):
    with pytest.raises(ClientError) as raised:
        Client(scripted.url).submit({"text": ""})
    assert raised.value.status == 422 and raised.value.code == "validation_failed"
    assert len(scripted.seen) == 1


DONE = JOB | {"status": "succeeded", "result": {
    "language": "da", "summary": {"text": "Kim Jong-un rejser.", "sentences": []},
    "entities": [{"name": "Kim Jong-un", "label": "PER", "count": 1, "salience": 0.8,
                  "mentions": [{"field": "text", "start": 0, "end": 11, "text": "Kim Jong-un"}]}],
    "warnings": [], "models": {}}}


@pytest.mark.parametrize("scripted", [[(200, {}, JOB), (200, {}, DONE)]], indirect=True)
def test_wait_long_polls_and_returns_typed_results(scripted):
    job = Client(scripted.url, timeout=60).wait("j1")
    assert [path for _, path, _, _ in scripted.seen] == ["/v1/jobs/j1?wait=25", "/v1/jobs/j1?wait=25"]
    assert job.done and job.result.language == "da"
    assert job.result.entities[0].name == "Kim Jong-un"
    assert job.result.entities[0].mentions[0].end == 11
    assert job.result.entities[0].salience == 0.8


@pytest.mark.parametrize("scripted", [[(200, {"Retry-After": "1"}, JOB)] * 5], indirect=True)
def test_wait_does_not_poll_at_once_again_when_answered_before_its_wait(scripted):
    # An API that holds as many long polls as it will answers at once; asking again at once made
    # a client spin through requests (into the rate limit) until its timeout.
    with pytest.raises(ClientError) as raised:
        Client(scripted.url, timeout=1.5).wait("j1")
    assert raised.value.code == "wait_timeout"
    assert len(scripted.seen) <= 3


def test_an_unreachable_service_is_a_client_error():
    with pytest.raises(ClientError) as raised:
        Client("http://127.0.0.1:9", max_retries=1).job("x")
    assert raised.value.code == "unreachable"


SLOW_BUSY = (503, {"Retry-After": "3"}, {"status": 503, "code": "queue_unavailable", "title": "busy"})


@pytest.mark.parametrize("scripted", [[SLOW_BUSY] * 6], indirect=True)
def test_wait_keeps_its_timeout_while_the_service_answers_503(scripted):
    began = time.monotonic()
    with pytest.raises(ClientError) as raised:
        Client(scripted.url, timeout=1).wait("j1")
    assert raised.value.status == 503
    assert time.monotonic() - began < 2.5  # not 5 retries of 3 s each


def busy(retry_after):
    return 503, {"Retry-After": retry_after}, {"status": 503, "code": "queue_unavailable", "title": "busy"}


@pytest.mark.parametrize("scripted", [[SLOW_BUSY] * 6], indirect=True)
def test_analyze_keeps_its_timeout_while_the_service_refuses_the_submit(scripted):
    began = time.monotonic()
    with pytest.raises(ClientError) as raised:
        Client(scripted.url, timeout=1).analyze({"text": "Hej"})
    assert raised.value.status == 503
    assert time.monotonic() - began < 2.5  # not 5 retries of 3 s each
    assert len({headers["Idempotency-Key"] for _, _, headers, _ in scripted.seen}) == 1


@pytest.mark.parametrize("scripted", [[busy("1"), (202, {}, JOB), (200, {}, DONE)]], indirect=True)
def test_analyze_waits_only_for_what_is_left_of_its_timeout(scripted):
    job = Client(scripted.url, timeout=1.5).analyze({"text": "Hej"})
    assert job.done
    _, poll, _, _ = scripted.seen[2]
    assert poll.startswith("/v1/jobs/j1?wait=")
    assert float(poll.split("=")[1]) < 1, "the wait began again from the whole timeout"


@pytest.mark.parametrize("scripted", [[busy("Wed, 21 Oct 2015 07:28:00 GMT"), busy("soon"), (202, {}, JOB)]],
                         indirect=True)
def test_a_retry_after_date_or_garbage_is_still_honoured(scripted):
    began = time.monotonic()
    job = Client(scripted.url).submit({"text": "Hej"})
    assert job.job_id == "j1" and len(scripted.seen) == 3
    assert time.monotonic() - began < 5  # a past date: at once; garbage: the default backoff


@pytest.mark.parametrize("scripted", [[(400, {}, ["not", "a", "problem"])],
                                      [(502, {"Content-Type": "text/html"}, b"<html>Bad gateway</html>")],
                                      [(200, {"Content-Type": "text/html"}, b"<html>Login</html>")],
                                      [(200, {}, ["a", "list"])]], indirect=True)
def test_unexpected_bodies_are_client_errors(scripted):
    with pytest.raises(ClientError) as raised:
        Client(scripted.url).job("j1")
    assert raised.value.status in (400, 502, 200)
    assert len(scripted.seen) == 1


IN_PROGRESS = (409, {"Retry-After": "1"}, {"status": 409, "code": "idempotency_key_in_progress",
                                           "title": "Request in progress"})
REUSED = (409, {}, {"status": 409, "code": "idempotency_key_reused", "title": "Idempotency-Key already used"})


@pytest.mark.parametrize("scripted", [[IN_PROGRESS, (202, {}, JOB)]], indirect=True)
def test_a_key_still_in_progress_is_retried_with_the_same_key(scripted):
    began = time.monotonic()
    job = Client(scripted.url).submit({"text": "Hej"}, idempotency_key="key-1")
    assert job.job_id == "j1" and time.monotonic() - began >= 1
    assert [headers["Idempotency-Key"] for _, _, headers, _ in scripted.seen] == ["key-1", "key-1"]


@pytest.mark.parametrize("scripted", [[REUSED]], indirect=True)
def test_other_conflicts_are_not_retried(scripted):
    with pytest.raises(ClientError) as raised:
        Client(scripted.url).submit({"text": "Hej"}, idempotency_key="key-1")
    assert raised.value.code == "idempotency_key_reused" and len(scripted.seen) == 1


def test_the_api_key_is_not_sent_to_another_host_on_a_redirect():
    other = Scripted([(200, {}, JOB)])
    first = Scripted([(302, {"Location": "/v1/jobs/j1?moved=1"}, b""),
                      (302, {"Location": f"{other.url}/v1/jobs/j1"}, b"")])
    try:
        assert Client(first.url, api_key="k" * 20).job("j1").status == "queued"
    finally:
        first.server.shutdown()
        other.server.shutdown()
    assert [headers.get("Authorization") for _, _, headers, _ in first.seen] == [f"Bearer {'k' * 20}"] * 2
    assert "Authorization" not in other.seen[0][2], "the key went to another origin"


@pytest.mark.parametrize("scripted", [[(200, {}, {"jobs": [], "next_cursor": 7}),
                                       (200, {}, {"jobs": [JOB], "next_cursor": 3}),
                                       (200, {}, {"jobs": [JOB], "next_cursor": None})]], indirect=True)
def test_jobs_follows_short_pages_until_it_has_enough_or_the_list_ends(scripted):
    assert Client(scripted.url).jobs(status="failed", limit=2) == [JOB, JOB]
    assert [path for _, path, _, _ in scripted.seen] == [
        "/v1/jobs?limit=2&status=failed", "/v1/jobs?limit=2&status=failed&cursor=7",
        "/v1/jobs?limit=1&status=failed&cursor=3"]


def test_a_validation_error_names_the_fields_that_failed():
    # `newsdesk submit` prints the error's message alone: a 422 said only "See `errors` ...".
    problem = {"code": "validation_failed", "detail": "See `errors` for each field that failed.",
               "errors": {"txt": ["Unknown field."], "text": ["Missing data for required field."]}}
    message = str(ClientError(422, problem))
    assert message.startswith("422 validation_failed: See `errors`")
    assert '"txt": ["Unknown field."]' in message and '"text": ["Missing data for required field."]' in message
    assert str(ClientError(404, {"code": "job_not_found", "detail": "No such job"})) == "404 job_not_found: No such job"
