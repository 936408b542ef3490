"""The API as gunicorn runs it, stopped with SIGTERM while a long poll waits."""

from __future__ import annotations

import signal
import threading
import time

import httpx

from tests.conftest import DANISH_SEED, load_seed
from tests.integration.conftest import start_api


def test_a_long_poll_answers_with_its_job_as_it_is_when_the_api_stops(settings, tmp_path):
    # No worker consumes this module's queue: the job stays queued, the poll would wait 30 s.
    log_path = tmp_path / "api.log"
    process, url = start_api(settings, log_path, NEWSDESK_QUEUE=settings.queue)
    http = httpx.Client(base_url=url, timeout=40)
    try:
        job_id = http.post("/v1/articles", json=load_seed(DANISH_SEED)).json()["job_id"]
        answers = []
        poll = threading.Thread(target=lambda: answers.append(http.get(f"/v1/jobs/{job_id}?wait=30")))
        poll.start()
        time.sleep(1.5)
        stopping = time.monotonic()
        process.send_signal(signal.SIGTERM)
        poll.join(40)
        assert answers, "the long poll got no answer"
        assert answers[0].status_code == 200 and answers[0].json()["status"] == "queued"
        assert time.monotonic() - stopping < 5
        assert process.wait(30) == 0
    finally:
        http.close()
        if process.poll() is None:
            process.kill()
