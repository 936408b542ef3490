"""After every task the worker hands malloc's free pages back to the system (worker/memory.py,
through newsdesk/memory.py)."""

from __future__ import annotations

import platform

from celery.signals import task_postrun

from newsdesk import memory
from worker import memory as worker_memory  # noqa: F401  (connects the hook)
from worker.celery_app import make_celery


def test_the_worker_app_loads_the_hook(settings):
    assert "worker.memory" in make_celery(settings).conf.include


def test_every_task_end_trims_malloc(monkeypatch):
    calls = []
    monkeypatch.setattr(memory, "malloc_trim", calls.append)
    task_postrun.send(sender=None, task_id="t-1", task=None, args=[], kwargs={}, retval=None, state="SUCCESS")
    task_postrun.send(sender=None, task_id="t-2", task=None, args=[], kwargs={}, retval=None, state="FAILURE")
    assert calls == [0, 0]


def test_glibc_s_malloc_trim_is_found_and_runs():
    if platform.libc_ver()[0] != "glibc":
        assert memory.give_back() is False
        return
    assert memory.malloc_trim is not None
    assert memory.give_back() is True


def test_without_malloc_trim_nothing_is_done(monkeypatch):
    monkeypatch.setattr(memory, "malloc_trim", None)
    assert memory.give_back() is False
    task_postrun.send(sender=None, task_id="t-3", task=None, args=[], kwargs={}, retval=None, state="SUCCESS")
