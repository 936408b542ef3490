"""Task time limits where Celery enforces none: the solo pool, which runs each task in the
worker's main process (a prefork pool's parent enforces them on its children).

Soft limit: SIGALRM raises SoftTimeLimitExceeded in the task, as Celery's own soft limit does,
so the job fails with `timeout` and the worker goes on. Hard limit: faulthandler's watchdog, a
C thread that needs no GIL, prints every thread's stack and ends the process even when the task
is stuck in C code that never returns to Python. The task's message is then left
unacknowledged and its job's lease lapses, so the job is handed on (or fails `worker_lost`
after its last attempt), exactly as when a machine dies; `newsdesk serve` (or systemd, or the
container runtime) starts the worker again.
"""

from __future__ import annotations

import faulthandler
import signal

from celery import concurrency
from celery.concurrency.solo import TaskPool as SoloPool
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import task_postrun, task_prerun, worker_init

_enforced_here = False


def arm(soft: float | None, hard: float | None) -> None:
    """Start the clocks (main thread only); a limit of None is no limit."""
    if soft:
        signal.signal(signal.SIGALRM, _soft_limit_reached)
        signal.setitimer(signal.ITIMER_REAL, soft)
    if hard:
        faulthandler.dump_traceback_later(hard, exit=True)


def disarm() -> None:
    signal.setitimer(signal.ITIMER_REAL, 0)
    faulthandler.cancel_dump_traceback_later()


def _soft_limit_reached(signum, frame) -> None:
    raise SoftTimeLimitExceeded("soft time limit exceeded")


def limits(task) -> tuple[float | None, float | None]:
    """(soft, hard) seconds for this run of the task: the call's own, else the task's, else the app's."""
    hard, soft = task.request.timelimit or (None, None)
    conf = task.app.conf
    return (soft or task.soft_time_limit or conf.task_soft_time_limit,
            hard or task.time_limit or conf.task_time_limit)


@worker_init.connect
def _note_pool(sender, **_) -> None:
    global _enforced_here
    _enforced_here = issubclass(concurrency.get_implementation(sender.pool_cls), SoloPool)


@task_prerun.connect
def _arm(task, **_) -> None:
    if _enforced_here:
        arm(*limits(task))


@task_postrun.connect
def _disarm(**_) -> None:
    if _enforced_here:
        disarm()
