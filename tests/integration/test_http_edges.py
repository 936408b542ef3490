"""The API under gunicorn as `newsdesk serve` runs it, hit the way real HTTP clients do: chunked
uploads, compressed bodies, broken framing, slow clients, caching. Raw sockets where a client
library would tidy the request up."""

from __future__ import annotations

import concurrent.futures
import gzip
import json
import re
import socket

import httpx
import pytest

from tests.integration.conftest import start_api

PROBLEM = "application/problem+json"
LIMIT = 4096
BATCH_LIMIT = 3 * LIMIT
CLIENT_TIMEOUT = 2  # seconds (NEWSDESK_CLIENT_TIMEOUT)
THREADS = 16  # gunicorn_conf's default, in the one API process


@pytest.fixture(scope="module")
def api(settings, tmp_path_factory):
    process, url = start_api(settings, tmp_path_factory.mktemp("api") / "api.log",
                             NEWSDESK_MAX_BODY_BYTES=str(LIMIT), NEWSDESK_MAX_BATCH_BYTES=str(BATCH_LIMIT),
                             NEWSDESK_CLIENT_TIMEOUT=str(CLIENT_TIMEOUT))
    yield url
    process.terminate()
    process.wait(30)


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def exchange(url: str, request: bytes, timeout: float = 10.0) -> tuple[int, dict, bytes]:
    """Send raw bytes, read until the server closes or its answer is complete."""
    with socket.create_connection(("127.0.0.1", port_of(url)), timeout=timeout) as sock:
        sock.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data or len(data.partition(b"\r\n\r\n")[2]) < _length(data):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    return parse(data)


def _length(data: bytes) -> int:
    for line in data.partition(b"\r\n\r\n")[0].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 1 << 62


def parse(data: bytes) -> tuple[int, dict, bytes]:
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), headers, body


def chunked(body: bytes, size: int = 1000) -> bytes:
    parts = [b"%x\r\n%s\r\n" % (len(body[i:i + size]), body[i:i + size]) for i in range(0, len(body), size)]
    return b"".join(parts) + b"0\r\n\r\n"


def post_head(path: str = "/v1/articles", **headers: str) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: test", "Content-Type: application/json",
             *(f"{name.replace('_', '-')}: {value}" for name, value in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def assert_problem(answer: tuple[int, dict, bytes], status: int, code: str) -> dict:
    got, headers, body = answer
    assert got == status, body
    assert headers["content-type"] == PROBLEM
    problem = json.loads(body)
    assert problem["status"] == status and problem["code"] == code
    return problem


def article_of(size: int) -> bytes:
    """An article whose JSON is exactly `size` bytes."""
    shell = b'{"text": ""}'
    return b'{"text": "' + b"a" * (size - len(shell)) + b'"}'


def test_chunked_body_within_the_limit_is_read_whole(api):
    status, _, body = exchange(api, post_head(Transfer_Encoding="chunked") + chunked(article_of(LIMIT)))
    assert status == 202, body


def test_chunked_body_over_the_limit_is_413_not_a_body_cut_short(api):
    # Werkzeug's stream stopped at the limit and the parser met a cut-off string: 400.
    answer = exchange(api, post_head(Transfer_Encoding="chunked") + chunked(article_of(LIMIT + 1)))
    assert_problem(answer, 413, "payload_too_large")


def test_chunked_body_over_the_limit_that_would_parse_when_cut_is_413(api):
    # Cut at the limit, this body is a valid article followed by spaces: it was accepted.
    body = article_of(100) + b" " * LIMIT + b"]"
    answer = exchange(api, post_head(Transfer_Encoding="chunked") + chunked(body))
    assert_problem(answer, 413, "payload_too_large")


def test_chunked_batch_is_held_to_its_own_limit(api):
    articles = [json.loads(article_of(LIMIT // 2)) for _ in range(5)]  # each under the article limit
    within = json.dumps({"articles": articles}).encode()
    assert LIMIT < len(within) <= BATCH_LIMIT
    status, _, body = exchange(api, post_head("/v1/batches", Transfer_Encoding="chunked") + chunked(within))
    assert status == 202, body
    over = json.dumps({"articles": articles * 2}).encode()
    assert len(over) > BATCH_LIMIT
    answer = exchange(api, post_head("/v1/batches", Transfer_Encoding="chunked") + chunked(over))
    assert_problem(answer, 413, "payload_too_large")


@pytest.mark.parametrize("framing", [b"zz\r\nabc\r\n0\r\n\r\n", b"3\r\nabcXY0\r\n\r\n"])
def test_broken_chunked_framing_is_400_not_500(api, framing):
    answer = exchange(api, post_head(Transfer_Encoding="chunked") + framing)
    assert_problem(answer, 400, "malformed_body")


def test_gzip_encoded_body_is_decoded(api):
    body = gzip.compress(json.dumps({"text": "Hej med dig. Det er godt."}).encode())
    response = httpx.post(f"{api}/v1/articles", content=body,
                          headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
    assert response.status_code == 202, response.text
    job = httpx.get(f"{api}{response.headers['Location']}").json()
    assert job["article"]["chars"] == len("Hej med dig. Det er godt.")


def test_gzip_body_that_inflates_over_the_limit_is_413(api):
    body = gzip.compress(article_of(LIMIT * 100))  # a few hundred bytes on the wire
    assert len(body) < LIMIT
    response = httpx.post(f"{api}/v1/articles", content=body,
                          headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


def test_corrupt_gzip_body_is_400_malformed_body(api):
    body = gzip.compress(b'{"text": "Hej med dig."}')
    for broken in (body[:-6], b"\x1f\x8b" + b"not gzip at all"):
        response = httpx.post(f"{api}/v1/articles", content=broken,
                              headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
        assert response.status_code == 400, response.text
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["code"] == "malformed_body"


@pytest.mark.parametrize("encoding", ["br", "deflate", "compress", "zstd"])
def test_other_content_encodings_are_415_naming_gzip(api, encoding):
    # A brotli body was read as if it were plain JSON: a garbled 400, or a misread article.
    response = httpx.post(f"{api}/v1/articles", content=b'{"text": "Hej med dig."}',
                          headers={"Content-Type": "application/json", "Content-Encoding": encoding})
    assert response.status_code == 415
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["code"] == "unsupported_media_type"
    assert response.headers["Accept-Encoding"] == "gzip"


def test_job_answers_errors_and_health_are_never_stored_by_caches(api):
    # A job polled through a browser or a caching proxy must not come back stale (queued for ever),
    # nor one key's job or webhook secret be handed to another caller.
    accepted = httpx.post(f"{api}/v1/articles", json={"text": "Hej med dig. Det er godt."})
    job_url = f"{api}{accepted.headers['Location']}"
    answers = [accepted, httpx.get(job_url), httpx.get(f"{api}/v1/jobs"), httpx.get(f"{api}/v1/webhooks/secret"),
               httpx.get(f"{api}/v1/jobs/no-such-job"), httpx.get(f"{api}/nowhere"), httpx.put(f"{api}/healthz"),
               httpx.get(f"{api}/healthz"), httpx.get(f"{api}/readyz"), httpx.get(f"{api}/metrics"),
               httpx.post(f"{api}/v1/articles", content=b"{", headers={"Content-Type": "application/json"})]
    for response in answers:
        assert response.headers.get("Cache-Control") == "no-store", (response.request.url, response.status_code)
    # gunicorn's own answers too (a request line over its limit).
    status, headers, _ = exchange(api, b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: test\r\n\r\n")
    assert status == 414 and headers["cache-control"] == "no-store"


def test_pages_and_assets_keep_their_own_caching(api):
    assert httpx.get(f"{api}/docs/assets/swagger-ui.css").headers["Cache-Control"] == "public, max-age=86400"
    assert "no-store" not in httpx.get(f"{api}/openapi.json").headers.get("Cache-Control", "")


def test_slow_clients_do_not_make_the_others_wait(api):
    # More sockets than the API has threads, each with half a request head. Each held a thread
    # until it closed, so the next client got no answer at all.
    slow = [socket.create_connection(("127.0.0.1", port_of(api))) for _ in range(THREADS + 8)]
    try:
        for sock in slow:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: test\r\nX-Slow: ")
        response = httpx.get(f"{api}/healthz", timeout=30)
        assert response.status_code == 200
        response = httpx.post(f"{api}/v1/articles", json={"text": "Hej med dig."}, timeout=30)
        assert response.status_code == 202
    finally:
        for sock in slow:
            sock.close()


def test_a_request_head_that_never_ends_gets_408(api):
    # One byte at a time, never long silent (which gets the socket closed), never the end of
    # the head: answered 408 once its time is up, where it held a thread for good.
    with socket.create_connection(("127.0.0.1", port_of(api)), timeout=60) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: test\r\nX-Slow: ")
        answer = b""
        for _ in range(600):
            sock.sendall(b"a")
            sock.settimeout(0.25)
            try:
                answer = sock.recv(65536)
                break
            except TimeoutError:
                continue
        while answer and len(answer.partition(b"\r\n\r\n")[2]) < _length(answer):
            answer += sock.recv(65536)
    problem = assert_problem(parse(answer), 408, "request_timeout")
    assert problem["title"] == "Request Timeout"


def test_a_body_that_stops_arriving_gets_408(api):
    head = post_head(Content_Length="200")
    answer = exchange(api, head + b'{"text": "Hej', timeout=60)
    assert_problem(answer, 408, "request_timeout")
    # A chunked one likewise.
    answer = exchange(api, post_head(Transfer_Encoding="chunked") + b"20\r\n{\"text\": ", timeout=60)
    assert_problem(answer, 408, "request_timeout")


def answer_and_close(url: str, request: bytes, then: bytes = b"") -> tuple[tuple[int, dict, bytes], bytes]:
    """Send `request`, read its answer, send `then` on the same connection; the answer and what
    the server sent after it before closing the connection (within 10 s)."""
    with socket.create_connection(("127.0.0.1", port_of(url)), timeout=60) as sock:
        sock.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data or len(data.partition(b"\r\n\r\n")[2]) < _length(data):
            data += sock.recv(65536)
        head, _, body = data.partition(b"\r\n\r\n")
        answer, rest = head + b"\r\n\r\n" + body[:_length(data)], body[_length(data):]
        sock.settimeout(10)
        try:
            sock.sendall(then)
            while chunk := sock.recv(65536):
                rest += chunk
        except (BrokenPipeError, ConnectionResetError):
            pass
    return parse(answer), rest


@pytest.mark.parametrize("request_, status, code", [
    (post_head(Content_Length="200") + b'{"text": "Hej', 408, "request_timeout"),  # the body stops
    (post_head(Transfer_Encoding="chunked") + b"zz\r\n{}", 400, "malformed_body"),  # framing broken
    (post_head(Content_Length=str(LIMIT + 1)) + b"{", 413, "payload_too_large"),  # refused unread
], ids=["body-stopped", "broken-chunks", "too-large"])
def test_a_body_left_unread_closes_the_connection_and_says_so(api, request_, status, code):
    # The server cannot tell where the next request would begin: what the client sends next on
    # this connection is never read as a request (here, a GET that would be answered 200), and
    # the answer says "Connection: close", so that no client sends it.
    healthz = b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"
    answer, after = answer_and_close(api, request_, then=healthz)
    assert_problem(answer, status, code)
    assert answer[1]["connection"] == "close"
    assert after == b""


def test_kept_alive_and_pipelined_requests_are_all_answered_in_order(api):
    body = b'{"text": "Hej med dig."}'
    post = post_head(Content_Length=str(len(body))) + body
    get = b"GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n"
    last = b"GET /nowhere HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port_of(api)), timeout=30) as sock:
        sock.sendall(get + post + get + last)  # all at once: pipelined
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    statuses = [int(status) for status in re.findall(rb"HTTP/1\.1 (\d{3}) ", data)]
    assert statuses == [200, 202, 200, 404]
    with httpx.Client(base_url=api) as client:  # one connection, kept alive between requests
        assert [client.get("/healthz").status_code for _ in range(5)] == [200] * 5


def test_http_1_0_clients_are_answered_and_closed(api):
    status, headers, body = exchange(api, b"GET /healthz HTTP/1.0\r\n\r\n")
    assert status == 200 and json.loads(body) == {"status": "ok"}
    assert headers["connection"] == "close"


def test_an_http_1_0_post_without_content_length_is_411(api):
    # Its body follows to the end of the connection, and was not read: the client was told it
    # had sent broken JSON.
    head = post_head().replace(b"HTTP/1.1", b"HTTP/1.0", 1)
    assert_problem(exchange(api, head + b'{"text": "Hej med dig."}'), 411, "length_required")


@pytest.mark.parametrize("length", [{"Content_Length": "0"}, {}])
def test_an_http_1_1_post_without_a_body_is_malformed_json(api, length):
    assert_problem(exchange(api, post_head(**length)), 400, "malformed_json")


def test_a_gzip_transfer_coding_is_decoded_like_a_content_coding(api):
    # gunicorn accepts "Transfer-Encoding: gzip, chunked" but passes the body on still gzipped:
    # it was answered as broken JSON.
    body = gzip.compress(b'{"text": "Hej med dig."}')
    status, _, answer = exchange(api, post_head(Transfer_Encoding="gzip, chunked") + chunked(body))
    assert status == 202, answer


@pytest.mark.parametrize("coding", ["deflate", "compress"])
def test_other_transfer_codings_are_501(api, coding):
    answer = exchange(api, post_head(Transfer_Encoding=f"{coding}, chunked") + chunked(b'{"text": "Hej"}'))
    assert_problem(answer, 501, "not_implemented")


def test_long_polls_leave_threads_for_other_requests(settings, tmp_path):
    # As many long polls as the API has threads took them all: every other request, /healthz
    # too, waited until a poll ended. (No worker consumes this module's queue: jobs stay queued.)
    threads, wait = 4, 12
    process, url = start_api(settings, tmp_path / "api.log", NEWSDESK_API_THREADS=str(threads))
    try:
        job_url = url + httpx.post(f"{url}/v1/articles", json={"text": "Hej med dig."}).headers["Location"]
        with concurrent.futures.ThreadPoolExecutor(threads) as pool:
            polls = [pool.submit(httpx.get, f"{job_url}?wait={wait}", timeout=60) for _ in range(threads)]
            first = next(concurrent.futures.as_completed(polls, timeout=wait - 2))
            answered = first.result()
            # One poll over the bound comes back at once, the job as it is, with when to ask again.
            assert answered.status_code == 200 and answered.json()["status"] == "queued"
            assert answered.headers["Retry-After"] == "1"
            assert httpx.get(f"{url}/healthz", timeout=wait - 4).status_code == 200
            submitted = httpx.post(f"{url}/v1/articles?wait={wait}", json={"text": "Hej igen."}, timeout=wait - 4)
            assert submitted.status_code == 202 and submitted.headers["Retry-After"] == "1"
            waited = [poll.result() for poll in polls if poll is not first]
        assert [(poll.status_code, poll.headers.get("Retry-After")) for poll in waited] == [(200, None)] * (threads - 1)
    finally:
        process.terminate()
        process.wait(30)
