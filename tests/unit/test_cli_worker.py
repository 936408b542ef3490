"""`newsdesk worker`: one solo worker by default; pool processes when asked for several."""

from __future__ import annotations

import pytest

from newsdesk import cli
from worker.celery_app import app


@pytest.mark.parametrize(("concurrency", "pool"), [(1, "solo"), (3, "prefork")])
def test_worker_pool_follows_the_concurrency(monkeypatch, concurrency, pool):
    started = []
    monkeypatch.setitem(app.conf, "worker_pool", "solo")
    monkeypatch.setattr(app, "worker_main", started.append)
    cli.main(["worker", "--concurrency", str(concurrency)])
    assert started == [["worker", "--concurrency", str(concurrency), "--loglevel", "INFO"]]
    assert app.conf.worker_pool == pool


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_an_invalid_setting_is_a_message_not_a_traceback(monkeypatch, capsys, command):
    from newsdesk import supervisor

    started = []
    monkeypatch.setenv("NEWSDESK_TASK_TIME_LIMIT", "100")
    monkeypatch.setattr(app, "worker_main", started.append)
    monkeypatch.setattr(supervisor, "serve", lambda *args: started.append(args))
    assert cli.main([command]) == 2
    err = capsys.readouterr().err
    assert err == "newsdesk: need 0 < NEWSDESK_TASK_SOFT_TIME_LIMIT < NEWSDESK_TASK_TIME_LIMIT\n"
    assert started == []


@pytest.mark.parametrize(("argv", "env", "flag"), [([], {"NEWSDESK_LOG_LEVEL": "loud"}, "NEWSDESK_LOG_LEVEL"),
                                                   (["--loglevel", "loud"], {}, "--loglevel")])
def test_an_unknown_log_level_is_a_message_not_a_traceback(monkeypatch, capsys, argv, env, flag):
    started = []
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(app, "worker_main", started.append)
    assert cli.main(["worker", *argv]) == 2
    assert capsys.readouterr().err.startswith(f"newsdesk: {flag} must be one of DEBUG, INFO, WARNING, ERROR")
    assert started == []


@pytest.mark.parametrize(("argv", "env", "level"), [(["--loglevel", "debug"], "INFO", "DEBUG"),
                                                    ([], "WARNING", "WARNING")])
def test_the_log_level_is_the_one_asked_for(monkeypatch, argv, env, level):
    import logging

    from worker.celery_app import _json_logs

    monkeypatch.setenv("NEWSDESK_LOG_LEVEL", env)
    monkeypatch.setitem(app.conf, "newsdesk_settings", app.conf["newsdesk_settings"])
    monkeypatch.setattr(app, "worker_main", lambda argv: _json_logs(loglevel=argv[-1]))
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", root.handlers[:])
    monkeypatch.setattr(root, "level", root.level)
    cli.main(["worker", *argv])
    assert logging.getLevelName(root.level) == level
