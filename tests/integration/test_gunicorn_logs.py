"""The API as gunicorn runs it (`gunicorn -c python:service.gunicorn_conf service.wsgi:app`):
gunicorn's own lines are JSON like the app's."""

from __future__ import annotations

import json
import signal
import socket

from tests.integration.conftest import start_api


def test_every_line_gunicorn_writes_is_json(settings, tmp_path):
    log_path = tmp_path / "api.log"
    process, url = start_api(settings, log_path)
    port = int(url.rsplit(":", 1)[1])
    try:
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


def test_the_api_leaves_no_control_socket_in_the_users_home(settings, tmp_path):
    # gunicorn's control socket has one default path for every instance: a second API took it
    # over, and stopping either deleted it. The service does not use it.
    home = tmp_path / "home"
    home.mkdir()
    process, _ = start_api(settings, tmp_path / "api.log", HOME=str(home))
    try:
        assert list(home.iterdir()) == []
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
