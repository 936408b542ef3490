"""The Prometheus text /metrics serves, from the counters and histograms jobs write to Redis."""

from __future__ import annotations

import pytest

from newsdesk import metrics


@pytest.fixture
def client(settings):
    client = settings.redis_client()
    client.delete(metrics.COUNTERS, metrics.HISTOGRAMS)
    yield client
    client.delete(metrics.COUNTERS, metrics.HISTOGRAMS)


def test_large_counters_and_sums_are_printed_in_full(client):
    client.hset(metrics.COUNTERS, 'newsdesk_jobs_succeeded_total{language="da"}', 1234567)
    client.hset(metrics.HISTOGRAMS, "newsdesk_job_duration_seconds_sum", 2000000.5)
    text = metrics.render(client, {})
    assert 'newsdesk_jobs_succeeded_total{language="da"} 1234567\n' in text
    assert "newsdesk_job_duration_seconds_sum 2000000.5\n" in text
