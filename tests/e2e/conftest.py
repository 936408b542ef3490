"""Shared by the end-to-end tests: the service with API keys, started once per test module."""

from __future__ import annotations

import signal

import pytest

from tests.e2e.test_serve import Service

API_KEY = "e2e-test-key-0123456789abcdef"


@pytest.fixture(scope="module")
def keyed_service(tmp_path_factory, request):
    """`newsdesk serve` with auth on (one API key, API_KEY), for this test module."""
    svc = Service(tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1]), NEWSDESK_API_KEYS=API_KEY)
    yield svc
    svc.stop(signal.SIGTERM)
