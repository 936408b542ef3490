"""RabbitMQ as the broker (NEWSDESK_BROKER_URL=amqp://...): the real API and real workers run single
articles, batches and long polls through it, while jobs, events and limits stay in Redis.

The server is NEWSDESK_TEST_AMQP_URL (default: guest on 127.0.0.1:5672); with none answering
there the module is skipped. Each run uses queues of its own and deletes them afterwards.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from dataclasses import replace
from urllib.parse import urlsplit

import httpx
import kombu
import pytest

from newsdesk.broker import messages_waiting
from newsdesk.job_store import JobStore
from newsdesk.settings import Settings
from newsdesk.task_names import ANALYZE_TASK, batch_queue, bulk_queue
from service import create_app
from service.queue import make_celery_client
from tests.conftest import DANISH_SEED, FAIR_SHARE_OFF, load_seed
from worker.celery_app import make_celery
from tests.integration.conftest import start_api, start_worker, stop_worker, wait_for_job
from tests.integration.test_worker_faults import LONG_ARTICLE

AMQP_URL = os.environ.get("NEWSDESK_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")
CHUNK = 4  # small batch chunks, so a short batch is several tasks


def _rabbitmq_answers(url: str) -> bool:
    with kombu.Connection(url, connect_timeout=2) as connection:
        try:
            connection.connect()
        except (OSError, *connection.connection_errors):
            return False
    return True


pytestmark = pytest.mark.skipif(not _rabbitmq_answers(AMQP_URL),
                                reason=f"no RabbitMQ at {kombu.Connection(AMQP_URL).as_uri()}")


class Proxy:
    """A TCP proxy in front of RabbitMQ that can make the connections it carries lose whatever
    their clients send from then on, as a network that drops packets would; new connections
    pass as before."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        self.target = (parts.hostname, parts.port or 5672)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = parts._replace(netloc=parts.netloc.replace(
            parts.netloc.rpartition("@")[2], f"127.0.0.1:{self.listener.getsockname()[1]}")).geturl()
        self.lost: set[socket.socket] = set()
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def lose_what_is_sent(self) -> None:
        self.lost.update(self.sockets)

    def cut(self) -> None:
        """Close the connections it carries, as a network that fails would; new ones may come."""
        for sock in self.sockets:
            sock.close()

    def close(self) -> None:
        self.listener.close()
        for sock in self.sockets:
            sock.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                if source not in self.lost:
                    sink.sendall(data)
        except OSError:
            pass


@pytest.fixture
def proxy():
    proxy = Proxy(AMQP_URL)
    yield proxy
    proxy.close()


def amqp_settings(redis_server, data_dir, redis_db: int = 0, **env: str) -> Settings:
    """Settings for queues of their own on RabbitMQ (deleted by delete_queues), and the jobs in
    the session's Redis, database ``redis_db``."""
    redis_url = redis_server.url.replace("?db=0", f"?db={redis_db}")
    return Settings.from_env({"REDIS_URL": redis_url, "NEWSDESK_DATA_DIR": str(data_dir),
                              "NEWSDESK_BROKER_URL": AMQP_URL, "NEWSDESK_QUEUE": f"test-amqp-{uuid.uuid4().hex[:12]}",
                              "NEWSDESK_BATCH_CHUNK_SIZE": str(CHUNK), **FAIR_SHARE_OFF, **env})


def delete_queues(settings: Settings) -> None:
    """Remove what Celery declared for these queues: the queues and their exchanges."""
    with kombu.Connection(AMQP_URL) as connection:
        channel = connection.channel()
        for name in (settings.queue, bulk_queue(settings.queue), batch_queue(settings.queue)):
            channel.queue_delete(name)
            channel.exchange_delete(name)


@pytest.fixture(scope="module")
def settings(redis_server, tmp_path_factory):
    settings = amqp_settings(redis_server, tmp_path_factory.mktemp("data"))
    yield settings
    delete_queues(settings)


@pytest.fixture
def idle_app(redis_server, tmp_path):
    """The API in-process, on queues of its own that no worker consumes."""
    settings = amqp_settings(redis_server, tmp_path)
    yield create_app({"SETTINGS": settings, "TESTING": True})
    delete_queues(settings)


@pytest.fixture(scope="module", params=["solo", "prefork"])
def service(request, settings, tmp_path_factory):
    """The API under gunicorn and a worker of the given pool, both on RabbitMQ."""
    logs = tmp_path_factory.mktemp(f"rabbitmq-{request.param}")
    chunk = {"NEWSDESK_BATCH_CHUNK_SIZE": str(CHUNK)}
    # Node names of this run's own: another run may share the RabbitMQ.
    name = f"{settings.queue}-{request.param}"
    worker = start_worker(settings, logs / "worker.log", name=name, pool=request.param, **chunk)
    api, url = start_api(settings, logs / "api.log", **chunk)
    with httpx.Client(base_url=url, timeout=60) as http:
        yield http
    api.terminate()
    api.wait(30)
    stop_worker(worker)


def test_a_single_article_is_analysed_and_a_long_poll_answers_when_it_ends(service, settings):
    posted = service.post("/v1/articles", json=load_seed(DANISH_SEED))
    assert posted.status_code == 202
    job = service.get(f"{posted.headers['Location']}?wait=30").json()
    assert job["status"] == "succeeded", job["error"]
    assert job["result"]["language"] == "da" and job["result"]["entities"]
    # The message went through RabbitMQ, not through a list in the job store's Redis.
    assert settings.redis_client().llen(settings.queue) == 0


def test_submit_and_wait_in_one_request(service):
    answer = service.post("/v1/articles?wait=30", json={"text": "Kort nyhed fra Aarhus. Intet mere.",
                                                        "language": "da"})
    assert answer.status_code == 200
    assert answer.json()["status"] == "succeeded"


def test_a_batch_runs_in_chunks_from_its_own_queue(service):
    articles = [{"text": f"Borgmester Jens Hansen besøgte Odense den {i}. maj. Han talte om skolerne.",
                 "language": "da"} for i in range(1, 11)]
    batch = service.post("/v1/batches", json={"articles": articles})
    assert batch.status_code == 202
    jobs = [service.get(f"/v1/jobs/{job_id}?wait=30").json() for job_id in batch.json()["job_ids"]]
    assert [job["status"] for job in jobs] == ["succeeded"] * len(articles)
    assert service.get(f"/v1/batches/{batch.json()['batch_id']}").json()["counts"] == {"succeeded": 10}


def test_queue_depth_is_what_waits_on_rabbitmq(idle_app):
    client = idle_app.test_client()
    for i in range(3):
        assert client.post("/v1/articles", json={"text": f"Nyhed nummer {i}."}).status_code == 202
    queue = idle_app.config["SETTINGS"].queue
    text = client.get("/metrics").get_data(as_text=True)
    assert f'newsdesk_queue_depth{{queue="{queue}"}} 3\n' in text
    assert f'newsdesk_queue_depth{{queue="{batch_queue(queue)}"}} 0\n' in text


def test_a_keys_later_articles_wait_in_the_bulk_queue_on_rabbitmq(redis_server, tmp_path):
    key = f"key-{uuid.uuid4().hex}"  # a key of its own: other tests leave jobs queued in this Redis
    settings = amqp_settings(redis_server, tmp_path, NEWSDESK_BULK_AFTER_QUEUED="2", NEWSDESK_API_KEYS=key)
    try:
        client = create_app({"SETTINGS": settings, "TESTING": True}).test_client()
        for i in range(5):
            answer = client.post("/v1/articles", json={"text": f"Nyhed nummer {i}."},
                                 headers={"Authorization": f"Bearer {key}"})
            assert answer.status_code == 202
        text = client.get("/metrics").get_data(as_text=True)
        assert f'newsdesk_queue_depth{{queue="{settings.queue}"}} 2\n' in text
        assert f'newsdesk_queue_depth{{queue="{bulk_queue(settings.queue)}"}} 3\n' in text
    finally:
        delete_queues(settings)


def test_another_keys_article_runs_before_a_backlog_on_rabbitmq(redis_server, tmp_path):
    heavy, light = f"heavy-{uuid.uuid4().hex}", f"light-{uuid.uuid4().hex}"
    settings = amqp_settings(redis_server, tmp_path, NEWSDESK_BULK_AFTER_QUEUED="2",
                             NEWSDESK_API_KEYS=f"{heavy},{light}")
    store = JobStore(settings.redis_client(), settings.result_ttl_seconds)
    client = create_app({"SETTINGS": settings, "TESTING": True}).test_client()

    def submit(key: str, text: str) -> str:
        answer = client.post("/v1/articles", json={"text": text, "language": "da"},
                             headers={"Authorization": f"Bearer {key}"})
        assert answer.status_code == 202
        return answer.get_json()["job_id"]

    backlog = [submit(heavy, f"Nyhed nummer {n} om Danmark.") for n in range(60)]
    first = submit(light, "En enkelt nyhed om Aarhus.")
    log = tmp_path / "worker.log"
    worker = start_worker(settings, log, name=f"{settings.queue}-fair")
    try:
        deadline = time.monotonic() + 120
        while store.get(first, with_article=False)["status"] != "succeeded":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        ended = sum(store.get(job_id, with_article=False)["status"] == "succeeded" for job_id in backlog)
    finally:
        stop_worker(worker)
        delete_queues(settings)
    # RabbitMQ offers the worker the next message of one of its queues, not strictly in turn as
    # kombu's Redis transport does: 5 to 22 of the 60 ended first in runs here, never all of them.
    assert ended <= 40, f"{ended} of the backlog's {len(backlog)} jobs ended first"


def test_readiness_asks_rabbitmq(idle_app):
    checks = idle_app.test_client().get("/readyz").get_json()["checks"]
    assert checks["broker"] is True and checks["redis"] is True


def test_a_202_means_rabbitmq_has_the_message(redis_server, tmp_path, proxy):
    settings = amqp_settings(redis_server, tmp_path)
    app = create_app({"SETTINGS": replace(settings, broker=proxy.url), "TESTING": True})
    try:
        client = app.test_client()
        assert client.post("/v1/articles", json={"text": "Den første nyhed."}).status_code == 202
        proxy.lose_what_is_sent()  # the API's connection to RabbitMQ goes dead, unnoticed
        answer = client.post("/v1/articles", json={"text": "Den anden nyhed."})
        assert answer.status_code == 202
        # Asked directly, not through the proxy: both messages are there.
        assert messages_waiting(make_celery_client(settings), settings.queue) == 2
    finally:
        delete_queues(settings)


def test_a_worker_has_no_heartbeat_for_a_long_task_to_miss(settings):
    """A solo worker runs its task in the loop that sends AMQP heartbeats: with them, RabbitMQ
    would close its connection during a long task and hand the message to another worker."""
    app = make_celery(settings)
    # As the worker's consumer connects (celery.worker.consumer.Consumer.connect).
    with app.connection_for_read(heartbeat=app.conf.broker_heartbeat) as connection:
        connection.connect()
        assert connection.connection.heartbeat == 0, "negotiated with RabbitMQ"


def test_two_workers_of_one_name_both_serve(settings, tmp_path):
    """Two `newsdesk worker` on one machine are both celery@<host>: each must start and stay."""
    name = f"{settings.queue}-twin"
    first = start_worker(settings, tmp_path / "first.log", name=name)
    try:
        second = start_worker(settings, tmp_path / "second.log", name=name)
        assert second.poll() is None and first.poll() is None
        stop_worker(second)
    finally:
        stop_worker(first)


def test_a_job_whose_message_was_lost_is_sent_again_through_rabbitmq(redis_server, tmp_path):
    """The sweepers ask RabbitMQ whether the job's queue still holds messages, and send it again."""
    sweep = {"NEWSDESK_REQUEUE_QUEUED_AFTER_SECONDS": "1", "NEWSDESK_STALE_AFTER_SECONDS": "3"}
    # A database of its own: in the session's, jobs that earlier modules left queued are found
    # first, and their requeued messages kept this job "behind a backlog" past the wait (seen once).
    settings = amqp_settings(redis_server, tmp_path, redis_db=11, **sweep)
    settings.redis_client().flushdb()
    store = JobStore(settings.redis_client(), settings.result_ttl_seconds)
    job_id = store.create({"text": "Nyhed hvis besked gik tabt.", "language": "da"})  # no message
    worker = start_worker(settings, tmp_path / "worker.log", name=f"{settings.queue}-sweeper", **sweep)
    try:
        client = create_app({"SETTINGS": settings, "TESTING": True}).test_client()
        assert wait_for_job(client, job_id)["status"] == "succeeded"
    finally:
        stop_worker(worker)
        delete_queues(settings)
    assert "job requeued: queued for too long" in (tmp_path / "worker.log").read_text()


def test_a_job_redelivered_while_its_worker_still_runs_it_is_not_run_again(redis_server, tmp_path):
    """A worker's connection to RabbitMQ drops mid-job: RabbitMQ hands the unacknowledged message
    to another worker at once, while the first still runs the job."""
    settings = amqp_settings(redis_server, tmp_path)
    store = JobStore(settings.redis_client(), settings.result_ttl_seconds)
    proxies = {name: Proxy(AMQP_URL) for name in ("first", "second")}
    workers = {name: start_worker(replace(settings, broker=proxy.url), tmp_path / f"{name}.log",
                                  name=f"{settings.queue}-{name}")
               for name, proxy in proxies.items()}
    try:
        # Some seconds of work, longer than the API accepts: recorded and sent here.
        job_id = store.create({"text": " ".join([LONG_ARTICLE["text"]] * 3), "language": "da"})
        make_celery(settings).send_task(ANALYZE_TASK, args=[job_id], queue=settings.queue)
        holder = _wait(lambda: next((name for name in workers if "received" in _log(tmp_path, name)), None))
        _wait(lambda: store.get(job_id, with_article=False)["status"] == "running")
        proxies[holder].cut()
        [other] = set(workers) - {holder}
        _wait(lambda: job_id in _log(tmp_path, other))  # the redelivered message's outcome
        _wait(lambda: store.get(job_id, with_article=False)["status"] == "succeeded")
        assert store.get(job_id, with_article=False)["attempts"] == 1, "started once"
        assert "job skipped: running on another worker" in _log(tmp_path, other)
    finally:
        for worker in workers.values():
            stop_worker(worker)
        for proxy in proxies.values():
            proxy.close()
        delete_queues(settings)


def _log(tmp_path, name: str) -> str:
    return (tmp_path / f"{name}.log").read_text()


def _wait(condition, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while not (found := condition()):
        assert time.monotonic() < deadline, "not within the time allowed"
        time.sleep(0.05)
    return found
