"""After every task the worker hands malloc's free pages back to the system (worker/memory.py,
through newsdesk/memory.py); the API has malloc map its large blocks, so that their pages go back
as they are freed."""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

import pytest

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


# Frees a large block (which raises glibc's mmap threshold above 4 MB), then holds 4 blocks of
# 4 MB and a smaller one after them, frees the 4 and prints what RSS they left, in kB.
LEFT_BEHIND = """
import sys
from newsdesk import memory
if sys.argv[1] == "mapped":
    assert memory.map_large_blocks()
def rss():
    return int(next(line for line in open("/proc/self/status") if line.startswith("VmRSS")).split()[1])
block = b"x" * 8_000_000
del block
before = rss()
blocks = [b"x" * 4_000_000 for _ in range(4)]
pin = b"y" * 100_000
del blocks
print(rss() - before)
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt's mmap threshold is glibc's")
def test_with_large_blocks_mapped_their_pages_go_back_as_they_are_freed():
    def left_behind(mode: str) -> int:
        run = subprocess.run([sys.executable, "-c", LEFT_BEHIND, mode], capture_output=True, text=True,
                             check=True, cwd=Path(__file__).parents[2])
        return int(run.stdout)

    assert left_behind("heap") > 12_000  # the 16 MB freed stay in the process
    assert left_behind("mapped") < 4_000


def test_without_mallopt_large_blocks_are_left_as_they_are(monkeypatch):
    monkeypatch.setattr(memory, "mallopt", None)
    assert memory.map_large_blocks() is False
