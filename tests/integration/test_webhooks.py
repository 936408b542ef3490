"""Webhooks to a real HTTP receiver: signed deliveries, retries with backoff, the SSRF guard."""

from __future__ import annotations

import base64
import gc
import json
import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import kombu.exceptions
import pytest
import trustme
import urllib3

from newsdesk.job_store import JobStore
from newsdesk.settings import Settings
from newsdesk.webhooks import SIGNATURE_HEADER, verify
from service import create_app
from tests.integration.conftest import start_worker, stop_worker
from tests.integration.test_api import assert_problem
from worker import webhooks
from worker.celery_app import make_celery

ARTICLE = {"text": "Folketinget vedtog i dag loven. Den træder i kraft til sommer.", "language": "da"}
WORKER_ENV = {"NEWSDESK_WEBHOOK_ALLOW": "127.0.0.1", "NEWSDESK_WEBHOOK_BACKOFF": "0.2",
              "NEWSDESK_WEBHOOK_MAX_ATTEMPTS": "3"}


class Receiver:
    """A local HTTP endpoint that answers with the next status in `statuses` (then 200)."""

    def __init__(self):
        self.requests: list[tuple[dict, bytes]] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"

    def start(self) -> "Receiver":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self


@pytest.fixture(scope="module")
def settings(redis_server, tmp_path_factory) -> Settings:
    return Settings.from_env({"NEWSDESK_DATA_DIR": str(tmp_path_factory.mktemp("data")),
                              "REDIS_URL": redis_server.url, "NEWSDESK_QUEUE": "test-webhooks",
                              **WORKER_ENV})


@pytest.fixture(scope="module")
def worker(settings, tmp_path_factory):
    process = start_worker(settings, tmp_path_factory.mktemp("w") / "worker.log", name="hooks", **WORKER_ENV)
    yield process
    stop_worker(process)


@pytest.fixture
def receiver():
    hook = Receiver().start()
    yield hook
    hook.server.shutdown()


def wait_for_webhook(client, job_id, states=("delivered", "failed"), timeout=60.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/v1/jobs/{job_id}").get_json()
        if job.get("webhook", {}).get("state") in states:
            return job
        time.sleep(0.1)
    raise AssertionError(f"webhook of {job_id} not done: {job.get('webhook')}")


def test_delivery_is_signed_with_the_keys_secret(client, worker, receiver):
    job_id = client.post("/v1/articles", json=ARTICLE | {"callback_url": receiver.url}).get_json()["job_id"]
    job = wait_for_webhook(client, job_id)
    assert job["webhook"]["state"] == "delivered" and job["webhook"]["attempts"] == 1
    headers, body = receiver.requests[-1]
    delivered = json.loads(body)
    assert delivered["job_id"] == job_id and delivered["status"] == "succeeded"
    assert delivered["result"]["summary"]["sentences"]
    secret = client.get("/v1/webhooks/secret").get_json()["secret"]
    assert verify(secret, body, headers[SIGNATURE_HEADER])
    assert not verify(secret, body + b" ", headers[SIGNATURE_HEADER]), "the body is covered"
    assert not verify("whsec_other", body, headers[SIGNATURE_HEADER])


def test_server_errors_are_retried_with_backoff(client, worker, receiver):
    receiver.statuses = [500, 503]
    job_id = client.post("/v1/articles", json=ARTICLE | {"callback_url": receiver.url}).get_json()["job_id"]
    job = wait_for_webhook(client, job_id)
    assert job["webhook"]["state"] == "delivered"
    assert job["webhook"]["attempts"] == 3
    assert len([r for r in receiver.requests if json.loads(r[1])["job_id"] == job_id]) == 3


def test_delivery_gives_up_after_bounded_attempts(client, worker, receiver):
    receiver.statuses = [500] * 10
    job_id = client.post("/v1/articles", json=ARTICLE | {"callback_url": receiver.url}).get_json()["job_id"]
    job = wait_for_webhook(client, job_id, states=("failed",))
    assert job["webhook"]["attempts"] == 3 and job["webhook"]["last_status"] == 500


def test_client_errors_are_not_retried(client, worker, receiver):
    receiver.statuses = [410]
    job_id = client.post("/v1/articles", json=ARTICLE | {"callback_url": receiver.url}).get_json()["job_id"]
    job = wait_for_webhook(client, job_id, states=("failed",))
    assert job["webhook"]["attempts"] == 1 and job["webhook"]["last_status"] == 410


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/hook", "http://localhost/hook", "http://10.1.2.3/hook", "http://192.168.0.1/",
    "http://169.254.169.254/latest/meta-data/", "http://[::1]/hook", "http://224.0.0.1/",
    "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/", "ftp://example.com/hook", "javascript:alert(1)",
])
def test_unsafe_callbacks_are_refused_at_submit(redis_server, tmp_path, url):
    settings = Settings.from_env({"REDIS_URL": redis_server.url, "NEWSDESK_DATA_DIR": str(tmp_path)})
    client = create_app({"SETTINGS": settings}).test_client()
    body = assert_problem(client.post("/v1/articles", json=ARTICLE | {"callback_url": url}), 422,
                          "validation_failed")
    assert "callback_url" in body["errors"]


def test_delivery_checks_the_address_again(redis_server, tmp_path, receiver):
    """The API allowed loopback; the worker does not: the delivery is refused, never sent."""
    api = Settings.from_env({"REDIS_URL": redis_server.url, "NEWSDESK_DATA_DIR": str(tmp_path),
                             "NEWSDESK_QUEUE": "test-webhooks-strict", "NEWSDESK_WEBHOOK_ALLOW": "127.0.0.1"})
    client = create_app({"SETTINGS": api}).test_client()
    worker = start_worker(api, tmp_path / "worker.log", name="strict", NEWSDESK_WEBHOOK_ALLOW="")
    try:
        job_id = client.post("/v1/articles", json=ARTICLE | {"callback_url": receiver.url}).get_json()["job_id"]
        job = wait_for_webhook(client, job_id, states=("failed",))
    finally:
        stop_worker(worker)
    assert "refused" in job["webhook"]["last_error"]
    assert receiver.requests == []


def test_a_delivery_connects_to_the_checked_address_not_to_a_new_lookup(receiver):
    # ".invalid" never resolves: the POST can only have gone to the address it was given.
    url = f"http://hooks.invalid:{receiver.server.server_port}/hook?x=1"
    assert webhooks.post_to(url, ["127.0.0.1"], b"{}", {"Content-Type": "application/json"}, 5) == 200
    headers, body = receiver.requests[-1]
    assert headers["Host"] == f"hooks.invalid:{receiver.server.server_port}" and body == b"{}"


def test_credentials_in_the_url_are_sent_as_basic_auth(receiver):
    url = f"http://hook%40user:p%3Ass@127.0.0.1:{receiver.server.server_port}/hook"
    assert webhooks.post_to(url, ["127.0.0.1"], b"{}", {}, 5) == 200
    headers, _ = receiver.requests[-1]
    assert headers["Authorization"] == "Basic " + base64.b64encode(b"hook@user:p:ss").decode()
    assert headers["Host"] == f"127.0.0.1:{receiver.server.server_port}"


def test_https_deliveries_check_the_certificate_for_the_urls_host(monkeypatch):
    authority = trustme.CA()
    hook = Receiver()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("hooks.example.test").configure_cert(context)
    hook.server.socket = context.wrap_socket(hook.server.socket, server_side=True)
    hook.start()
    try:
        with authority.cert_pem.tempfile() as ca_file:
            monkeypatch.setattr(webhooks.certifi, "where", lambda: ca_file)
            port = hook.server.server_port
            assert webhooks.post_to(f"https://hooks.example.test:{port}/hook", ["127.0.0.1"], b"{}", {}, 5) == 200
            with pytest.raises(urllib3.exceptions.SSLError):  # a name the certificate does not cover
                webhooks.post_to(f"https://other.example.test:{port}/hook", ["127.0.0.1"], b"{}", {}, 5)
    finally:
        hook.server.shutdown()
    assert len(hook.requests) == 1


@pytest.fixture
def delivery(settings, monkeypatch):
    """post_signed() as a worker runs it, on a finished job of the given article."""
    store = JobStore(settings.redis_client(), settings.result_ttl_seconds)
    monkeypatch.setattr(webhooks, "settings", lambda: settings)
    monkeypatch.setattr(webhooks, "job_store", lambda: store)

    def deliver(url: str):
        job_id = store.create(ARTICLE | {"callback_url": url})
        store.start(job_id)
        store.succeed(job_id, {"summary": {"text": "", "sentences": []}, "entities": []})
        return webhooks.post_signed(store.get(job_id), url)

    return deliver


def test_a_name_re_pointed_after_the_check_is_not_followed(delivery, receiver, monkeypatch):
    """DNS rebinding: the name answers an allowed address to the guard, then another one."""
    answers, lookup = ["127.0.0.1", "127.0.0.2"], socket.getaddrinfo

    def rebinding(host, port, *rest, **kw):
        if host != "hooks.test":
            return lookup(host, port, *rest, **kw)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers.pop(0), port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    assert delivery(f"http://hooks.test:{receiver.server.server_port}/hook")[0] == "delivered"
    assert answers == ["127.0.0.2"], "the name was looked up once"
    assert len(receiver.requests) == 1


def test_a_host_that_stops_resolving_is_retried_not_given_up(delivery):
    outcome, status, error = delivery("http://hooks.invalid/hook")
    assert (outcome, status) == ("retry", None) and "cannot be resolved" in error


def finished_with_callback(store: JobStore, url: str) -> str:
    job_id = store.create(ARTICLE | {"callback_url": url})
    store.start(job_id)
    store.succeed(job_id, {"summary": {"text": "", "sentences": []}, "entities": []})
    return job_id


def test_a_delivery_the_broker_refused_stays_due_until_sent_and_done(settings, monkeypatch, receiver):
    store = JobStore(settings.redis_client(), settings.result_ttl_seconds)
    monkeypatch.setattr(webhooks, "settings", lambda: settings)
    monkeypatch.setattr(webhooks, "job_store", lambda: store)

    class BrokerDown:
        def send_task(self, *args, **kwargs):
            raise kombu.exceptions.OperationalError("connection refused")

    monkeypatch.setattr(webhooks, "current_app", BrokerDown())
    job_id = finished_with_callback(store, receiver.url)
    webhooks.schedule_delivery(store.get(job_id))  # logs, does not raise: the job's outcome is stored
    assert store.get(job_id)["webhook"]["state"] == "pending"
    sent = []
    assert job_id not in webhooks.resend_overdue(store, sent.append, overdue_by=60)
    time.sleep(0.2)
    assert job_id in webhooks.resend_overdue(store, sent.append, overdue_by=0.1)
    assert job_id not in webhooks.resend_overdue(store, sent.append, overdue_by=0.1), "stamped anew"
    webhooks.deliver_webhook.apply(args=[job_id])
    assert store.get(job_id)["webhook"]["state"] == "delivered"
    time.sleep(0.2)
    assert job_id not in webhooks.resend_overdue(store, sent.append, overdue_by=0.1), "settled"
    assert sent.count(job_id) == 1


def test_a_workers_sweeper_sends_an_overdue_delivery(settings, receiver, tmp_path):
    store = JobStore(settings.redis_client(), settings.result_ttl_seconds)
    job_id = finished_with_callback(store, receiver.url)
    store.webhook_due(job_id, after=-10)  # as if its message had been lost
    worker = start_worker(settings, tmp_path / "worker.log", name="redeliver", NEWSDESK_STALE_AFTER_SECONDS="3",
                          NEWSDESK_REQUEUE_QUEUED_AFTER_SECONDS="1", **WORKER_ENV)
    try:
        deadline = time.monotonic() + 60
        while not any(json.loads(body)["job_id"] == job_id for _, body in receiver.requests):
            assert time.monotonic() < deadline, "the overdue delivery was not sent"
            time.sleep(0.2)
    finally:
        stop_worker(worker)
    assert "webhook delivery sent again" in (tmp_path / "worker.log").read_text()


# --------------------------------------------------------------------------- memory

def left_in_cycles(run) -> tuple[int, int]:
    """(objects, job records) that `run()` left in reference cycles: garbage that only Python's
    full collection frees, which in a worker comes rarely (its model objects are many), so that
    what it holds adds to the worker's high-water mark."""
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        run()
        found = gc.collect()
        jobs = sum(1 for o in gc.garbage if isinstance(o, dict) and isinstance(o.get("article"), dict))
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    return found, jobs


def test_a_refused_delivery_leaves_no_cycle_holding_its_job(delivery):
    with socket.socket() as sock:  # a port nobody listens on: the connection is refused
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/hook"
    assert delivery(url)[0] == "retry"
    found, jobs = left_in_cycles(lambda: [delivery(url) for _ in range(3)])
    assert jobs == 0 and found < 20, f"{found} objects, {jobs} job records left in cycles by 3 deliveries"


def test_a_delivery_to_be_retried_leaves_no_cycle_behind(settings, monkeypatch, receiver):
    """Run as a worker runs a task (Celery's tracer), against a receiver that answers 503: each
    attempt sends the next one and leaves next to nothing for the garbage collector."""
    from celery.app.trace import build_tracer

    store = JobStore(settings.redis_client(), settings.result_ttl_seconds)
    monkeypatch.setattr(webhooks, "settings", lambda: settings)
    monkeypatch.setattr(webhooks, "job_store", lambda: store)
    app = make_celery(settings)
    task = app.tasks[webhooks.DELIVER_WEBHOOK_TASK]
    tracer = build_tracer(task.name, task, app=app, eager=False, propagate=False)
    queue = "test-webhooks-cycles"
    receiver.statuses = [503] * 10
    job_id = finished_with_callback(store, receiver.url)

    def attempt(n: int) -> None:
        tracer(f"task-{n}", [job_id], {}, {"id": f"task-{n}", "retries": 0,
                                           "delivery_info": {"routing_key": queue, "exchange": ""}})

    try:
        attempt(0)
        assert store.get(job_id)["webhook"]["state"] == "retrying"
        found, jobs = left_in_cycles(lambda: [attempt(n) for n in range(1, 4)])
        assert store.redis.llen(queue) == 4, "each attempt sent the next one"
    finally:
        store.redis.delete(queue)
        app.close()
    assert jobs == 0 and found < 100, f"{found} objects, {jobs} job records left in cycles by 3 attempts"
