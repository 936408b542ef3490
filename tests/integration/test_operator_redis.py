"""The service on an operator's Redis: a password or an ACL user, a database other than 0, a
unix socket; REDIS_URL written in each of the forms redis-py reads."""

from __future__ import annotations

import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import httpx
import pytest

from newsdesk.settings import Settings
from service import create_app
from tests.conftest import PYTHON, ROOT, child_env
from tests.integration.conftest import start_api, start_worker, stop_worker
from tests.redis_servers import RedisServer

PASSWORD = "pw-9f3/k@x"  # a character URLs must escape, so the tests see it escaped
USER, USER_PASSWORD = "newsdesk", "user-pw-51c2"
ARTICLE = {"text": "Regeringen fremlagde mandag et nyt forslag. Oppositionen er kritisk.", "language": "da"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with RedisServer(tmp_path_factory.mktemp("operator-redis"), password=PASSWORD) as redis_server:
        # As managed services hand out: no INFO, CONFIG, KEYS, FLUSHALL ... (@dangerous).
        redis_server.admin().acl_setuser(USER, enabled=True, passwords=[f"+{USER_PASSWORD}"],
                                       keys=["*"], channels=["*"], commands=["+@all", "-@dangerous"])
        yield redis_server


def _urls(server: RedisServer) -> dict[str, str]:
    quoted = PASSWORD.replace("/", "%2F").replace("@", "%40")
    return {
        "password": server.url(db=3, password=PASSWORD),
        "acl user": server.url(db=4, user=USER, password=USER_PASSWORD),
        "db and password as query": f"redis://127.0.0.1:{server.port}?db=5&password={quoted}",
        "unix socket": f"unix://{USER}:{USER_PASSWORD}@{server.socket}?db=6",
        "unix socket, password as query": f"unix://{server.socket}?db=7&password={quoted}",
    }


@pytest.mark.parametrize("form", ["password", "acl user", "db and password as query", "unix socket",
                                  "unix socket, password as query"])
def test_jobs_and_batches_run_on_the_database_the_url_names(form, server, tmp_path):
    url = _urls(server)[form]
    settings = Settings.from_env({"REDIS_URL": url, "NEWSDESK_DATA_DIR": str(tmp_path), "NEWSDESK_QUEUE": "operator"})
    db = settings.redis_client().connection_pool.connection_kwargs["db"]
    client = create_app({"SETTINGS": settings, "TESTING": True}).test_client()
    worker = start_worker(settings, tmp_path / "worker.log", name="operator")
    try:
        # A single article's message goes with its job's record; a batch's through Celery.
        single = client.post("/v1/articles?wait=30", json=ARTICLE)
        assert single.status_code == 200, single.get_json()
        assert single.get_json()["status"] == "succeeded"
        batch = client.post("/v1/batches", json={"articles": [ARTICLE, ARTICLE]}).get_json()
        for job_id in batch["job_ids"]:
            assert client.get(f"/v1/jobs/{job_id}?wait=30").get_json()["status"] == "succeeded"
    finally:
        stop_worker(worker)
    job_key = f"newsdesk:job:{single.get_json()['job_id']}"
    assert server.admin(db).exists(job_key), "the job lives in the URL's database"
    assert not server.admin(0).exists(job_key)


def _secrets(text: str) -> list[str]:
    """The passwords of this module, as they are and URL-escaped, found in `text`."""
    quoted = PASSWORD.replace("/", "%2F").replace("@", "%40")
    return [secret for secret in (PASSWORD, quoted, USER_PASSWORD, "wrong-pw-7d1") if secret in text]


def test_the_password_shows_nowhere(server, tmp_path):
    """Logs of the API and the worker (start-up lines included), /readyz, /metrics and error
    answers: with a right password, and with a wrong one (a clear error, never a traceback)."""
    settings = Settings.from_env({"REDIS_URL": server.url(db=8, user=USER, password=USER_PASSWORD),
                                  "NEWSDESK_DATA_DIR": str(tmp_path), "NEWSDESK_QUEUE": "secrets"})
    api, url = start_api(settings, tmp_path / "api.log", NEWSDESK_QUEUE=settings.queue)
    worker = start_worker(settings, tmp_path / "worker.log", name="secrets")
    answers = []
    try:
        answers.append(httpx.post(f"{url}/v1/articles?wait=30", json=ARTICLE, timeout=60))
        assert answers[-1].json()["status"] == "succeeded"
        answers += [httpx.get(f"{url}{path}") for path in ("/readyz", "/metrics", "/v1/jobs/nope")]
        answers.append(httpx.post(f"{url}/v1/articles", json={"text": ""}))
    finally:
        stop_worker(worker)
        api.terminate()
        api.wait(30)

    wrong = replace(settings, redis_url=server.url(db=8, user=USER, password="wrong-pw-7d1"))
    api, url = start_api(wrong, tmp_path / "wrong-api.log")
    worker = subprocess.Popen([PYTHON, "-m", "newsdesk", "worker"], cwd=ROOT,
                              env=child_env(REDIS_URL=wrong.redis_url, NEWSDESK_DATA_DIR=str(tmp_path)),
                              stdout=open(tmp_path / "wrong-worker.log", "w"), stderr=subprocess.STDOUT)
    try:
        refused = httpx.post(f"{url}/v1/articles", json=ARTICLE)
        assert refused.status_code == 503 and refused.json()["code"] == "queue_unavailable"
        not_ready = httpx.get(f"{url}/readyz")
        assert not_ready.status_code == 503 and not_ready.json()["checks"]["redis"] is False
        answers += [refused, not_ready, httpx.get(f"{url}/metrics")]
        deadline = time.monotonic() + 60
        while "Cannot connect" not in (tmp_path / "wrong-worker.log").read_text():
            assert time.monotonic() < deadline and worker.poll() is None
            time.sleep(0.2)
    finally:
        stop_worker(worker)
        api.terminate()
        api.wait(30)
    wrong_api_log = (tmp_path / "wrong-api.log").read_text()
    assert "Redis cannot be used: invalid username-password pair" in wrong_api_log, "said at start"
    assert "invalid username-password pair" in (tmp_path / "wrong-worker.log").read_text()

    for answer in answers:
        assert not _secrets(answer.text) and not _secrets(str(answer.headers)), answer.text
    for log in ("api.log", "worker.log", "wrong-api.log", "wrong-worker.log"):
        text = (tmp_path / log).read_text()
        assert not _secrets(text), f"{log}: {text[-2000:]}"
        assert "Traceback" not in text, f"{log}: {text[-2000:]}"


def test_two_deployments_on_one_server_in_different_databases_keep_apart(server, tmp_path):
    """Keys are per database, but pub/sub is server-wide: both hear the other's job ends on
    newsdesk:done. A long poll must not take the other deployment's end for its own job's, even
    of a job with the same id (ids are random; here one is made to collide)."""
    from newsdesk import metrics

    def deployment(db: int):
        settings = Settings.from_env({"REDIS_URL": server.url(db=db, password=PASSWORD),
                                      "NEWSDESK_DATA_DIR": str(tmp_path), "NEWSDESK_QUEUE": "shared-name"})
        app = create_app({"SETTINGS": settings, "TESTING": True})
        return app.test_client(), app.extensions["newsdesk.queue"].store

    (one, one_store), (other, other_store) = deployment(9), deployment(10)
    job_id = one.post("/v1/articles", json=ARTICLE).get_json()["job_id"]
    other_store.create(ARTICLE, job_id=job_id)
    metrics.heartbeat(other_store.redis)  # a worker of the other deployment

    with ThreadPoolExecutor(1) as pool:
        waiting = pool.submit(lambda: one.get(f"/v1/jobs/{job_id}?wait=2").get_json())
        time.sleep(0.5)  # the long poll is waiting
        other_store.start(job_id)
        assert other_store.succeed(job_id, {"summary": "the other deployment's"},
                                   metrics.counted("newsdesk_jobs_succeeded_total", language="da"))
        assert waiting.result()["status"] == "queued", "woken by the other's end, it reads its own job"

    assert other.get(f"/v1/jobs/{job_id}").get_json()["status"] == "succeeded"
    ready = one.get("/readyz").get_json()
    assert ready["checks"]["workers"] == 0, "the other deployment's worker does not count"
    text = one.get("/metrics").get_data(as_text=True)
    assert 'newsdesk_jobs_submitted_total{language="da"} 1' in text, "only its own submission"
    assert "newsdesk_jobs_succeeded_total{" not in text, "nor the other's job end"
    assert 'newsdesk_queue_depth{queue="shared-name"} 1' in text


def test_a_redis_that_closes_idle_connections_is_no_trouble(tmp_path):
    """`timeout` in redis.conf closes a client's connection after it idled that long: the API's
    pooled connections are reopened, the long polls' subscription is exempt."""
    with RedisServer(tmp_path / "redis", "timeout 1") as idle_closing:
        settings = Settings.from_env({"REDIS_URL": idle_closing.url(), "NEWSDESK_DATA_DIR": str(tmp_path),
                                      "NEWSDESK_QUEUE": "idle"})
        client = create_app({"SETTINGS": settings, "TESTING": True}).test_client()
        job_id = client.post("/v1/articles", json=ARTICLE).get_json()["job_id"]
        assert client.get(f"/v1/jobs/{job_id}?wait=1").status_code == 200
        time.sleep(2.5)  # every connection idles past the server's timeout
        assert client.get(f"/v1/jobs/{job_id}").status_code == 200
        assert client.post("/v1/batches", json={"articles": [ARTICLE]}).status_code == 202
        assert client.post("/v1/articles", json=ARTICLE).status_code == 202
        assert client.get(f"/v1/jobs/{job_id}?wait=1").get_json()["status"] == "queued"
