"""A job deleted while queued is never run: its message reaches a worker and does nothing."""

from __future__ import annotations

import json
import time

from redis import Redis

from tests.integration.conftest import start_worker, stop_worker


def test_cancelled_job_is_never_run(client, settings, redis_server, tmp_path):
    job_id = client.post("/v1/articles", json={"text": "Aflyst artikel om Danmark."}).get_json()["job_id"]
    assert client.delete(f"/v1/jobs/{job_id}").status_code == 204

    log = tmp_path / "worker.log"
    worker = start_worker(settings, log, name="cancel")
    try:
        broker = Redis.from_url(redis_server.url)
        deadline = time.monotonic() + 30
        while broker.llen(settings.queue) and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1)  # let the worker log what it did with the message
    finally:
        stop_worker(worker)
    assert broker.llen(settings.queue) == 0
    skipped = [json.loads(line) for line in log.read_text().splitlines()
               if line.startswith("{") and "nothing to do" in line]
    assert job_id in [entry.get("job_id") for entry in skipped]
    assert client.get(f"/v1/jobs/{job_id}").status_code == 404
