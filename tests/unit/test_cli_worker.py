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
