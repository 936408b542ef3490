"""What every task in a worker process shares: the settings and one job store (one Redis pool)."""

from __future__ import annotations

from functools import lru_cache

from celery import current_app

from newsdesk.job_store import JobStore
from newsdesk.settings import Settings


def settings() -> Settings:
    return current_app.conf["newsdesk_settings"]


@lru_cache(maxsize=1)
def job_store() -> JobStore:
    return JobStore(settings().redis_client(), settings().result_ttl_seconds)
