"""Shared fixtures: a real Redis server (the embedded one, as `newsdesk serve` runs it), settings
pointing at it, the Flask app and its test client, and helpers to start real processes."""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path

import pytest

from newsdesk.embedded_redis import EmbeddedRedis
from newsdesk.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
# Training and evaluation data: never in the repository; beside it in CI (../shared/data).
SHARED_DATA = Path(os.environ.get("NEWSDESK_SHARED_DATA", ROOT.parent / "shared" / "data"))
needs_shared_data = [
    pytest.mark.shared_data,
    pytest.mark.skipif(not (SHARED_DATA / "danplus_news").is_dir(),
                       reason=f"{SHARED_DATA} not present (set NEWSDESK_SHARED_DATA to the shared data directory)"),
]
SEEDS = sorted((ROOT / "seeds").glob("*.json"))
DANISH_SEED = ROOT / "seeds" / "da-kim-jong-un-rusland.json"


def load_seed(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# Every module's jobs are the anonymous key's, in the one Redis of the session, so an earlier
# module's jobs left queued would send a later module's single articles to the bulk queue. The
# fair share between keys has tests of its own (tests/integration/test_fair_share.py), which set
# NEWSDESK_BULK_AFTER_QUEUED themselves.
FAIR_SHARE_OFF = {"NEWSDESK_BULK_AFTER_QUEUED": "1000000"}


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """A real Redis server process for the whole test session."""
    data_dir = tmp_path_factory.mktemp("redis")
    with EmbeddedRedis(data_dir, data_dir / "r.sock") as server:
        yield server


@pytest.fixture(scope="module")
def settings(redis_server, tmp_path_factory, request) -> Settings:
    # A queue of its own per test module, so a module never sees another one's messages.
    queue = "test-" + request.module.__name__.rsplit(".", 1)[-1]
    settings = Settings.from_env({
        "NEWSDESK_DATA_DIR": str(tmp_path_factory.mktemp("data")),
        "REDIS_URL": redis_server.url,
        "NEWSDESK_QUEUE": queue,
        **FAIR_SHARE_OFF,
    })
    # And an empty database: a module's sweepers would otherwise find the jobs an earlier module
    # left queued, send them all to their own queue and run them first (a run of the session's
    # modules in one process left some 270; one sweeper test ran out of time behind them). The
    # modules of one pytest process run one after another, each process with its own Redis.
    with settings.redis_client() as client:
        client.flushdb()
    return settings


@pytest.fixture
def app(settings):
    from service import create_app

    return create_app({"SETTINGS": settings, "TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def child_env(**overrides: str) -> dict[str, str]:
    """The environment for a child process: only the Redis, broker and data dir the test names."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "NEWSDESK_BROKER_URL", "NEWSDESK_DATA_DIR")}
    # Tests poll fast; the rate limit has tests of its own (which set it in `overrides`).
    env.update(PYTHONUNBUFFERED="1", NEWSDESK_RATE_LIMIT_PER_MINUTE="100000", **FAIR_SHARE_OFF)
    env.update(overrides)
    return env


PYTHON = sys.executable
