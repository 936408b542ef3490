"""A real worker's output, from start to a SIGTERM: JSON lines only, Celery's own lines included."""

from __future__ import annotations

import json

from tests.integration.conftest import start_worker, stop_worker


def test_every_line_a_worker_writes_is_json(settings, tmp_path):
    log_path = tmp_path / "worker.log"
    stop_worker(start_worker(settings, log_path, name="jsonlines"))
    lines = log_path.read_text().splitlines()
    entries = [json.loads(line) for line in lines if line.strip()]  # each line is one JSON object
    events = [e["event"] for e in entries]
    assert any(event.endswith(" ready.") for event in events)
    starting = next(e for e in entries if e["event"] == "worker starting")
    assert starting["hostname"].startswith("jsonlines@") and settings.queue in starting["queues"]
    assert any("shutdown" in event for event in events)
