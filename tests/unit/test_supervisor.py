"""`newsdesk serve`'s start-up checks and the command lines it runs, without starting anything."""

from __future__ import annotations

import socket

import pytest

from newsdesk import supervisor
from newsdesk.supervisor import api_argv, check_port_free, host_port


def test_ipv6_hosts_are_bracketed_in_the_bind_address_and_url():
    assert host_port("::1", 8000) == "[::1]:8000"
    assert host_port("127.0.0.1", 8000) == "127.0.0.1:8000"
    argv = api_argv("::1", 8000, 2)
    assert argv[argv.index("--bind") + 1] == "[::1]:8000"


def test_a_port_someone_listens_on_is_refused_with_a_message():
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        with pytest.raises(SystemExit, match=f"Cannot listen on 127.0.0.1:{port}"):
            check_port_free("127.0.0.1", port)
    check_port_free("127.0.0.1", port)  # free again: no error


def test_a_redis_url_not_answering_yet_is_reported_not_refused(tmp_path, caplog):
    """Redis may be starting too; the API and workers keep trying. (One that refuses the
    credentials is refused: tests/e2e/test_serve.py.)"""
    from newsdesk.settings import Settings

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
    settings = Settings.from_env({"NEWSDESK_DATA_DIR": str(tmp_path), "NEWSDESK_REDIS_TIMEOUT": "0.5",
                                  "REDIS_URL": f"redis://:pw-0a1b@127.0.0.1:{port}/0"})
    with caplog.at_level("WARNING", logger="newsdesk.serve"):
        supervisor.check_redis_url(settings)
    assert f"Redis at redis://:********@127.0.0.1:{port}/0 cannot be reached yet" in caplog.text
    assert "pw-0a1b" not in caplog.text


def test_workers_are_stopped_together_not_one_after_another():
    import sys
    import time

    from newsdesk.supervisor import Child

    # Each takes a second to finish its job after SIGTERM, as a worker does.
    script = ("import signal, sys, time\n"
              "signal.signal(signal.SIGTERM, lambda *_: (time.sleep(1), sys.exit(0)))\n"
              "print('up', flush=True)\ntime.sleep(60)\n")
    workers = [Child(f"worker{i}", [sys.executable, "-c", script], {}, stop_timeout=30) for i in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:  # started and listening for SIGTERM
        deadline = time.monotonic() + 10
        while not _handler_installed(worker.process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
    started = time.monotonic()
    supervisor.stop_together(workers)
    assert time.monotonic() - started < 2.5
    assert [worker.process.returncode for worker in workers] == [0, 0, 0]


def _handler_installed(pid: int) -> bool:
    from pathlib import Path

    status = Path(f"/proc/{pid}/status").read_text()
    caught = int(next(line for line in status.splitlines() if line.startswith("SigCgt:")).split()[1], 16)
    return bool(caught & (1 << (15 - 1)))


def test_serves_own_lines_are_json_at_the_configured_level(tmp_path, monkeypatch, capsys):
    # They were plain text at INFO whatever NEWSDESK_LOG_LEVEL said, among the JSON lines of the
    # API and the workers in the same stream.
    import json
    import logging

    from newsdesk import cli

    def fake_serve(settings, host, port, workers, api_workers):
        supervisor.log.info("started api (pid %d)", 1)
        supervisor.log.warning("worker1 exited with 1 after 0.1s; restarting in 1s")
        return 0

    monkeypatch.setattr(supervisor, "serve", fake_serve)
    monkeypatch.setenv("NEWSDESK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NEWSDESK_LOG_LEVEL", "warning")
    for name in ("_srcfile", "logThreads", "logMultiprocessing"):  # log.configure sets them
        monkeypatch.setattr(logging, name, getattr(logging, name))
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        assert cli.main(["serve", "--port", "8000"]) == 0
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        logging.captureWarnings(False)
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [(line["level"], line["logger"], line["event"]) for line in lines] == [
        ("warning", "newsdesk.serve", "worker1 exited with 1 after 0.1s; restarting in 1s")]
