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


def test_a_family_this_version_does_not_know_is_left_out_not_a_500(client):
    # Processes of another version share the counters (a mixed fleet while upgrading): a family
    # one of them writes that this one does not know made every /metrics a 500 here.
    client.hset(metrics.COUNTERS, 'newsdesk_jobs_succeeded_total{language="da"}', 3)
    client.hset(metrics.COUNTERS, 'newsdesk_jobs_retried_total{language="da"}', 2)
    client.hset(metrics.HISTOGRAMS, 'newsdesk_webhook_seconds_bucket{le="0.1"}', 1)
    client.hset(metrics.HISTOGRAMS, "newsdesk_webhook_seconds_sum", 0.05)
    text = metrics.render(client, {})
    assert 'newsdesk_jobs_succeeded_total{language="da"} 3\n' in text
    assert "retried" not in text and "webhook_seconds" not in text
