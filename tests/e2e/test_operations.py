"""What operators watch, against the live service: health, readiness, metrics, JSON logs."""

from __future__ import annotations

import json
import re
import signal
import time

import pytest

from newsdesk.embedded_redis import EmbeddedRedis
from newsdesk.settings import Settings
from service import create_app
from tests.conftest import DANISH_SEED, load_seed
from tests.e2e.test_serve import Service


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    svc = Service(tmp_path_factory.mktemp("ops"))
    # Ready as soon as one worker beats; wait for the second too (they start side by side, and on
    # a busy machine one can beat a few seconds after the other). In the fixture, not in one test:
    # a test run alone (-k), or with the file's tests spread over processes, starts a service of
    # its own that no other test has waited on.
    deadline = time.monotonic() + 30
    while not _both_workers_ready(svc) and time.monotonic() < deadline:
        time.sleep(0.5)
    yield svc
    svc.stop(signal.SIGTERM)


@pytest.fixture(scope="module")
def finished_seed(service):
    article = load_seed(DANISH_SEED)
    job = service.wait(service.http.post("/v1/articles", json=article).json()["job_id"])
    assert job["status"] == "succeeded"
    return article, job


def _both_workers_ready(service) -> bool:
    ready = service.http.get("/readyz")
    return ready.status_code == 200 and ready.json()["checks"]["workers"] == 2


def metric(text: str, series: str) -> float:
    match = re.search(rf"^{re.escape(series)} (\S+)$", text, re.MULTILINE)
    assert match, f"{series} not in metrics"
    return float(match.group(1))


def test_health_and_readiness(service):
    assert service.http.get("/healthz").json() == {"status": "ok"}
    ready = service.http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"redis": True, "broker": True, "workers": 2}


def test_prometheus_metrics(service, finished_seed):
    response = service.http.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert metric(text, 'newsdesk_jobs_submitted_total{language="da"}') >= 1
    assert metric(text, 'newsdesk_jobs_succeeded_total{language="da"}') >= 1
    assert metric(text, "newsdesk_job_duration_seconds_count") >= 1
    assert metric(text, 'newsdesk_job_duration_seconds_bucket{le="+Inf"}') >= 1
    assert metric(text, 'newsdesk_stage_duration_seconds_count{stage="entities"}') >= 1
    assert metric(text, 'newsdesk_queue_depth{queue="newsdesk"}') >= 0
    assert metric(text, "newsdesk_workers") == 2
    assert "# TYPE newsdesk_job_duration_seconds histogram" in text


def test_logs_are_json_lines_with_ids_and_never_the_text(service, finished_seed):
    article, job = finished_seed
    time.sleep(0.5)
    entries = [json.loads(line) for line in service.log_path.read_text().splitlines() if line.startswith("{")]
    mine = [e for e in entries if e.get("job_id") == job["job_id"]]
    events = {e["event"] for e in mine}
    assert {"http request", "job succeeded"} <= events
    succeeded = next(e for e in mine if e["event"] == "job succeeded")
    assert succeeded["language"] == "da" and succeeded["chars"] == len(article["text"])
    assert succeeded["duration_ms"] > 0 and "entities" in succeeded["stages_ms"]
    submitted = next(e for e in mine if e["event"] == "http request")
    assert submitted["path"] == "/v1/articles" and submitted["status"] == 202
    assert submitted["language"] == article.get("language", "auto") and submitted["chars"] == len(article["text"])
    assert article["text"][:60] not in service.log_path.read_text()


def test_not_ready_without_workers(tmp_path):
    with EmbeddedRedis(tmp_path / "lonely", tmp_path / "l.sock") as server:
        settings = Settings.from_env({"REDIS_URL": server.url, "NEWSDESK_DATA_DIR": str(tmp_path)})
        response = create_app({"SETTINGS": settings}).test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"] == {"redis": True, "broker": True, "workers": 0}
