"""The solo pool's time limits: the soft one raises in the task, the hard one ends the process
even inside C code, and neither fires once the task is over."""

from __future__ import annotations

import subprocess
import textwrap
import time
from types import SimpleNamespace

import pytest
from celery.exceptions import SoftTimeLimitExceeded

from tests.conftest import PYTHON, ROOT
from worker import time_limits


def test_soft_limit_interrupts_a_running_python_loop():
    started = time.monotonic()
    time_limits.arm(0.2, 10)
    try:
        with pytest.raises(SoftTimeLimitExceeded):
            while time.monotonic() - started < 5:
                sum(range(1000))
    finally:
        time_limits.disarm()
    assert 0.15 < time.monotonic() - started < 2


def test_disarmed_limits_do_not_fire():
    time_limits.arm(0.1, 0.3)
    time_limits.disarm()
    time.sleep(0.5)  # this process would have been ended by the hard limit


def test_hard_limit_ends_a_process_stuck_in_c_code():
    # The task swallows the soft limit, then blocks in a C call that never runs Python code.
    script = textwrap.dedent("""
        import time
        from celery.exceptions import SoftTimeLimitExceeded
        from worker import time_limits
        time_limits.arm(0.2, 0.8)
        try:
            while True:
                pass
        except SoftTimeLimitExceeded:
            print("soft", flush=True)
        time.sleep(30)
        print("still alive", flush=True)
    """)
    started = time.monotonic()
    done = subprocess.run([PYTHON, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=20)
    assert done.returncode != 0
    assert done.stdout == "soft\n"
    assert "Timeout" in done.stderr  # faulthandler's stack dump says why
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(("request_limits", "task_limits", "expected"), [
    (None, (None, None), (120, 150)),          # the app's settings
    (None, (5, 9), (5, 9)),                    # the task's own
    ((30, 20), (5, 9), (20, 30)),              # the call's own, as Celery orders them: (hard, soft)
])
def test_limits_come_from_the_call_then_the_task_then_the_app(request_limits, task_limits, expected):
    conf = SimpleNamespace(task_soft_time_limit=120, task_time_limit=150)
    task = SimpleNamespace(request=SimpleNamespace(timelimit=request_limits), app=SimpleNamespace(conf=conf),
                           soft_time_limit=task_limits[0], time_limit=task_limits[1])
    assert time_limits.limits(task) == expected


def test_only_a_solo_worker_enforces_them_itself():
    for pool, enforced in (("solo", True), ("prefork", False), ("threads", False)):
        time_limits._note_pool(SimpleNamespace(pool_cls=pool))
        assert time_limits._enforced_here is enforced
    time_limits._note_pool(SimpleNamespace(pool_cls="prefork"))  # as this test process found it
