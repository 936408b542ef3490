"""The API as gunicorn runs it, stopped with SIGTERM while a long poll waits."""

from __future__ import annotations

import signal
import subprocess
import threading
import time

import httpx

from tests.conftest import DANISH_SEED, PYTHON, ROOT, child_env, free_port, load_seed


def test_a_long_poll_answers_with_its_job_as_it_is_when_the_api_stops(settings, tmp_path):
    # No worker consumes this module's queue: the job stays queued, the poll would wait 30 s.
    port = free_port()
    log_path = tmp_path / "api.log"
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "python:service.gunicorn_conf", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "service.wsgi:app"],
        cwd=ROOT, stdout=log_path.open("w"), stderr=subprocess.STDOUT,
        env=child_env(REDIS_URL=settings.redis_url, NEWSDESK_DATA_DIR=str(settings.data_dir),
                      NEWSDESK_QUEUE=settings.queue),
    )
    http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=40)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                job_id = http.post("/v1/articles", json=load_seed(DANISH_SEED)).json()["job_id"]
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and process.poll() is None, log_path.read_text()
                time.sleep(0.1)
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
