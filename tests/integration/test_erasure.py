"""Once a job is deleted or has expired, nothing of its article or result is left where the
service keeps data: in Redis (every key, every kind of value, task messages decoded), in the
embedded Redis's files, in temporary files, in the logs of the API and the workers."""

from __future__ import annotations

import base64
import json
import secrets
import time

import httpx
import pytest
from redis import Redis

from newsdesk.embedded_redis import EmbeddedRedis
from newsdesk.settings import Settings
from tests.conftest import FAIR_SHARE_OFF
from tests.integration.conftest import start_api, start_worker, stop_worker


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    """A Redis of this module's own: its files on disk are looked at too."""
    data_dir = tmp_path_factory.mktemp("erasure-redis")
    with EmbeddedRedis(data_dir, data_dir / "r.sock") as server:
        yield server


@pytest.fixture(scope="module")
def settings(redis_server, tmp_path_factory) -> Settings:
    return Settings.from_env({"NEWSDESK_DATA_DIR": str(tmp_path_factory.mktemp("data")), "REDIS_URL": redis_server.url,
                              "NEWSDESK_QUEUE": "test-erasure", **FAIR_SHARE_OFF})


def marked_article(marker: str, **extra) -> dict:
    """An article with `marker` in each of its fields: text, title, url and metadata."""
    return {"text": f"Statsministeren besøgte Aarhus i går. {marker} sagde hun til pressen. Mødet varede to timer.",
            "title": f"Besøg {marker}", "url": f"https://news.example/{marker}",
            "metadata": {"source": marker, "author": f"Jens {marker}"}, **extra}


def _texts(raw: bytes) -> list[bytes]:
    """A stored value and what it holds encoded: a kombu message's base64 body."""
    found = [raw]
    try:
        message = json.loads(raw)
    except ValueError:
        return found
    for item in message if isinstance(message, list) else [message]:
        if isinstance(item, dict) and isinstance(item.get("body"), str):
            try:
                found.append(base64.b64decode(item["body"]))
            except ValueError:
                pass
        elif isinstance(item, str):  # kombu's unacked hash: [message, exchange, routing key]
            found += _texts(item.encode())
    return found


def values(client: Redis, key: bytes) -> list[bytes]:
    """Every byte string the key holds: names and values of each kind Redis has."""
    kind = client.type(key).decode()
    if kind == "string":
        return [client.get(key) or b""]
    if kind == "hash":
        return [part for pair in client.hgetall(key).items() for part in pair]
    if kind == "list":
        return client.lrange(key, 0, -1)
    if kind == "set":
        return list(client.smembers(key))
    if kind == "zset":
        return [member for member, _ in client.zrange(key, 0, -1, withscores=True)]
    if kind == "stream":
        return [part for _, fields in client.xrange(key) for pair in fields.items() for part in pair]
    return []


def holding(client: Redis, *markers: str) -> dict[str, list[str]]:
    """Of every key in the database, those holding one of `markers` (in its name or its values)."""
    found: dict[str, list[str]] = {}
    for key in client.scan_iter(count=1000):
        stored = [key, *(text for value in values(client, key) for text in _texts(value))]
        hits = [marker for marker in markers if any(marker.encode() in text for text in stored)]
        if hits:
            found[key.decode()] = hits
    return found


WORKER_ENV = {"NEWSDESK_WEBHOOK_ALLOW": "127.0.0.1", "NEWSDESK_WEBHOOK_BACKOFF": "0.5",
              "NEWSDESK_WEBHOOK_MAX_ATTEMPTS": "20"}


@pytest.fixture(scope="module")
def logs(tmp_path_factory):
    return tmp_path_factory.mktemp("logs")


@pytest.fixture(scope="module")
def api(settings, logs):
    process, url = start_api(settings, logs / "api.log", **WORKER_ENV)
    with httpx.Client(base_url=url, timeout=30) as http:
        yield http
    process.terminate()
    process.wait(30)


@pytest.fixture(scope="module")
def worker(settings, logs):
    process = start_worker(settings, logs / "worker.log", name="erasure", **WORKER_ENV)
    yield process
    stop_worker(process)


def finished(api, job_id: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = api.get(f"/v1/jobs/{job_id}", params={"wait": 5}).json()
        if job["status"] in ("succeeded", "failed"):
            return job
    raise AssertionError(f"job {job_id} not finished: {job}")


def test_a_deleted_job_leaves_nothing_of_its_article_in_redis(api, worker, redis_server):
    marker = "MRK" + secrets.token_hex(6)
    job_id = api.post("/v1/articles", json=marked_article(marker)).json()["job_id"]
    assert marker in json.dumps(finished(api, job_id)["metadata"])
    client = Redis.from_url(redis_server.url)
    assert list(holding(client, marker)) == [f"newsdesk:job:{job_id}"], "the record, and only it, holds it"
    assert api.delete(f"/v1/jobs/{job_id}").status_code == 204
    assert holding(client, marker) == {}


def test_a_deleted_batchs_jobs_leave_nothing_in_redis(api, worker, redis_server):
    marker = "MRK" + secrets.token_hex(6)
    batch = api.post("/v1/batches", json={"articles": [marked_article(marker), marked_article(marker)]}).json()
    for job_id in batch["job_ids"]:
        finished(api, job_id)
        assert api.delete(f"/v1/jobs/{job_id}").status_code == 204
    client = Redis.from_url(redis_server.url)
    assert holding(client, marker) == {}
    assert api.get(f"/v1/batches/{batch['batch_id']}").json()["counts"]["gone"] == 2


def test_an_expired_job_leaves_nothing_of_its_article_in_redis(api, worker, redis_server):
    """Its retention cut short (the minimum is a minute): Redis expires the record as it would."""
    marker = "MRK" + secrets.token_hex(6)
    job_id = api.post("/v1/articles", json=marked_article(marker)).json()["job_id"]
    finished(api, job_id)
    client = Redis.from_url(redis_server.url)
    assert client.ttl(f"newsdesk:job:{job_id}") > 0, "a finished job expires"
    client.expire(f"newsdesk:job:{job_id}", 1)
    time.sleep(1.5)
    assert holding(client, marker) == {}
    assert api.get(f"/v1/jobs/{job_id}").status_code == 404


class Receiver:
    """A callback endpoint that answers 503 (a delivery to be retried) and records what came."""

    def __init__(self):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.bodies: list[bytes] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                receiver.bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
                self.send_response(503)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"


def test_a_webhook_still_to_be_retried_is_not_sent_once_its_job_is_deleted(api, worker, redis_server):
    receiver = Receiver()
    marker, token = "MRK" + secrets.token_hex(6), "TOK" + secrets.token_hex(6)
    article = marked_article(marker, callback_url=f"{receiver.url}?token={token}")
    job_id = api.post("/v1/articles", json=article).json()["job_id"]
    deadline = time.monotonic() + 60
    while len(receiver.bodies) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.encode() in receiver.bodies[0], "a delivery carries the job's document"
    assert api.delete(f"/v1/jobs/{job_id}").status_code == 204
    sent = len(receiver.bodies)
    time.sleep(4)  # the next attempts were due 1 and 2 seconds after the second
    assert len(receiver.bodies) <= sent + 1, "at most the one that was under way"
    assert holding(Redis.from_url(redis_server.url), marker, token) == {}
    receiver.server.shutdown()


def test_a_cancelled_jobs_message_carries_its_id_only(settings, redis_server, logs):
    """An API whose queue no worker takes: the message waits there after the job is deleted."""
    process, url = start_api(settings, logs / "api-idle.log", NEWSDESK_QUEUE="test-erasure-idle")
    marker = "MRK" + secrets.token_hex(6)
    client = Redis.from_url(redis_server.url)
    try:
        with httpx.Client(base_url=url, timeout=30) as idle:
            job_id = idle.post("/v1/articles", json=marked_article(marker)).json()["job_id"]
            assert idle.delete(f"/v1/jobs/{job_id}").status_code == 204
    finally:
        process.terminate()
        process.wait(30)
    assert holding(client, job_id) == {"test-erasure-idle": [job_id]}
    assert holding(client, marker) == {}
    client.delete("test-erasure-idle")


def test_no_log_line_holds_an_article_or_a_callback_url(api, worker, logs, settings):
    """The API's and the worker's logs, through submits, refusals, deliveries and deletions."""
    marker, token = "MRK" + secrets.token_hex(6), "TOK" + secrets.token_hex(6)
    receiver = Receiver()
    article = marked_article(marker, callback_url=f"{receiver.url}?t={token}")
    job_id = api.post("/v1/articles", json=article).json()["job_id"]
    finished(api, job_id)
    assert api.post("/v1/articles", json=marked_article("\x00" + marker)).status_code == 422
    assert api.post("/v1/articles", json=marked_article(marker, callback_url=f"http://10.1.2.3/?t={token}")
                    ).status_code == 422
    assert api.post("/v1/articles", content=f'{{"text": "{marker}"'.encode(),
                    headers={"Content-Type": "application/json"}).status_code == 400
    assert api.post("/v1/batches", json={"articles": [marked_article(marker), {"text": marker, "language": "xx"}]}
                    ).status_code == 422
    time.sleep(2)  # deliveries retried meanwhile, and logged
    assert api.delete(f"/v1/jobs/{job_id}").status_code == 204
    receiver.server.shutdown()
    time.sleep(1)
    for log in ("api.log", "worker.log"):
        text = (logs / log).read_text()
        assert job_id in text
        assert marker not in text and token not in text, log


def open_files(pid: int, folder) -> list[str]:
    """What the process's open file descriptors point to, of those in `folder` (but gunicorn's
    heartbeat file, which each of its workers holds for good)."""
    import os

    found = []
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(folder)) and not target.startswith(f"{folder}/wgunicorn-"):
            found.append(target)
    return found


def test_a_spooled_batch_body_is_never_a_file_in_tmpdir(settings, tmp_path, logs):
    """The spool of a batch's body has no name from the start: nothing in TMPDIR while its request
    runs, nor after the request is refused, cut off by its client, or its process killed."""
    import os
    import signal
    import socket

    from tests.integration.conftest import pool_children

    tmp = tmp_path / "tmp"
    tmp.mkdir()
    process, url = start_api(settings, logs / "api-spool.log", TMPDIR=str(tmp))
    port = int(url.rsplit(":", 1)[1])
    marker = "MRK" + secrets.token_hex(6)
    # Refused only at its last article, once the whole body has gone to disk.
    articles = [marked_article(marker) | {"text": marker + " ord" * 200_000}] * 3 + [{"text": " "}]
    body = json.dumps({"articles": articles}).encode()
    assert len(body) > 2 * 1024 * 1024

    def upload(part: bytes) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(b"POST /v1/batches HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(body) + part)
        return sock

    def spooled(pid: int) -> list[str]:
        deadline = time.monotonic() + 10
        while not (found := open_files(pid, tmp)) and time.monotonic() < deadline:
            time.sleep(0.05)
        return found

    try:
        [worker] = pool_children(process.pid)
        refused = httpx.post(f"{url}/v1/batches", content=body, headers={"Content-Type": "application/json"},
                             timeout=30)
        assert refused.status_code == 422, refused.text
        assert list(tmp.iterdir()) == [] and open_files(worker, tmp) == []
        # Cut off by its client midway, once on disk.
        sock = upload(body[:len(body) // 2])
        assert spooled(worker), "the body went to disk"
        assert list(tmp.iterdir()) == [], "with no name while the request runs"
        sock.close()
        deadline = time.monotonic() + 20
        while open_files(worker, tmp) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert open_files(worker, tmp) == [] and list(tmp.iterdir()) == []
        # The API process killed outright mid-request.
        sock = upload(body[:len(body) // 2])
        assert spooled(worker)
        os.kill(worker, signal.SIGKILL)
        sock.close()
        time.sleep(0.5)
        assert list(tmp.iterdir()) == []
    finally:
        process.terminate()
        process.wait(30)
    assert marker not in (logs / "api-spool.log").read_text()


@pytest.mark.parametrize("broker", ["redis", "rabbitmq"])
def test_a_deleted_jobs_idempotency_key_keeps_no_fingerprint_of_its_article(broker, redis_server, tmp_path):
    """The key's record stays its day, so that a repeat is told the job is gone; but the
    fingerprint of the body, a hash of the whole article, goes with the job."""
    from newsdesk.api_keys import ANONYMOUS
    from service import create_app
    from service.idempotency import IdempotencyKeys
    from tests.integration.test_rabbitmq import AMQP_URL, _rabbitmq_answers, amqp_settings, delete_queues

    if broker == "rabbitmq":
        if not _rabbitmq_answers(AMQP_URL):
            pytest.skip(f"no RabbitMQ at {AMQP_URL.rsplit('@', 1)[-1]} (as tests/integration/test_rabbitmq.py)")
        settings = amqp_settings(redis_server, tmp_path)
    else:  # a queue no worker takes: the job stays queued, to be cancelled
        settings = Settings.from_env({"NEWSDESK_DATA_DIR": str(tmp_path), "REDIS_URL": redis_server.url,
                                      "NEWSDESK_QUEUE": "test-erasure-idem", **FAIR_SHARE_OFF})
    client = create_app({"SETTINGS": settings, "TESTING": True}).test_client()
    marker = "MRK" + secrets.token_hex(6)
    headers = {"Idempotency-Key": marker}
    redis = Redis.from_url(redis_server.url)
    record = IdempotencyKeys._key(ANONYMOUS, marker)
    try:
        job_id = client.post("/v1/articles", json=marked_article(marker), headers=headers).get_json()["job_id"]
        assert set(json.loads(redis.get(record))) >= {"fingerprint", "job_id"}
        assert client.delete(f"/v1/jobs/{job_id}").status_code == 204
        assert json.loads(redis.get(record)) == {"job_id": job_id}
        assert 0 < redis.ttl(record) <= 24 * 3600, "kept for the rest of its day"
        for article in (marked_article(marker), marked_article(marker + "x")):
            again = client.post("/v1/articles", json=article, headers=headers)
            assert again.status_code == 409 and again.get_json()["code"] == "idempotency_key_expired"
    finally:
        if broker == "rabbitmq":
            delete_queues(settings)
        else:
            redis.delete(settings.queue)
