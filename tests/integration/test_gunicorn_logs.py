"""The API as gunicorn runs it (`gunicorn -c python:service.gunicorn_conf service.wsgi:app`):
gunicorn's own lines are JSON like the app's."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import time

import httpx

from tests.conftest import PYTHON, ROOT, child_env, free_port


def test_every_line_gunicorn_writes_is_json(settings, tmp_path):
    port = free_port()
    log_path = tmp_path / "api.log"
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "python:service.gunicorn_conf", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "service.wsgi:app"],
        cwd=ROOT, env=child_env(REDIS_URL=settings.redis_url, NEWSDESK_DATA_DIR=str(settings.data_dir)),
        stdout=log_path.open("w"), stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and process.poll() is None, log_path.read_text()
                time.sleep(0.1)
        with socket.create_connection(("127.0.0.1", port)) as sock:  # gunicorn answers this itself
            sock.sendall(b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
            sock.recv(4096)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
    lines = log_path.read_text().splitlines()
    entries = [json.loads(line) for line in lines]  # each line on its own is one JSON object
    assert any(e["logger"] == "gunicorn.error" and e["event"].startswith("Booting worker") for e in entries)
    assert any(e["event"] == "http request" and e["path"] == "/healthz" for e in entries)
