"""Giving the memory a task freed back to the system, after every task, and not keeping what
an error a task handled would hold (drop_frames).

glibc's malloc keeps the pages of the blocks it frees, for its next allocations; a worker's
tasks (article texts, results, the JSON sent and read) leave some 20-30 MB of them free but
kept, spread among live ones. malloc_trim(0) hands those pages back (bench/worker_memory.py:
the pipeline's RSS 317-321 MB instead of 340-344 from the 3,500th article on, for 115-250 µs a
task). Python's own small-object arenas are not malloc's and are not concerned: they go back
only once empty. Where the C library is not glibc (musl, macOS) there is nothing to call, and
nothing is done (newsdesk/memory.py).
"""

from __future__ import annotations

import traceback

from celery.signals import task_postrun

from newsdesk.memory import give_back


def drop_frames(exc: BaseException) -> None:
    """Clear the locals of the frames an exception's tracebacks (its own and those of the
    exceptions it was raised from) hold, where a task handles it.

    Many exceptions end up in a reference cycle with those frames: urllib3's connection errors,
    redis-py's, Celery's Retry, and any exception a spaCy component raises (its Language.__call__
    hands the exception, bound to a local, to an error handler that raises it again). The cycle
    keeps the frames' locals (a job, its article and result, the pipeline's Docs) alive until
    Python's next full collection; in a worker, with its many long-lived objects, that comes
    rarely, so each such error raised the worker's high-water mark. The frame running the handler
    is left as it is (clear_frames skips a frame that still runs)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        traceback.clear_frames(exc.__traceback__)
        exc = exc.__cause__ or exc.__context__


@task_postrun.connect
def _after_task(**_) -> None:
    give_back()
