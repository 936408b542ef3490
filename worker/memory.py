"""Giving the memory a task freed back to the system, after every task.

glibc's malloc keeps the pages of the blocks it frees, for its next allocations; a worker's
tasks (article texts, results, the JSON sent and read) leave some 20-30 MB of them free but
kept, spread among live ones. malloc_trim(0) hands those pages back (bench/worker_memory.py:
the pipeline's RSS 317-321 MB instead of 340-344 from the 3,500th article on, for 115-250 µs a
task). Python's own small-object arenas are not malloc's and are not concerned: they go back
only once empty. Where the C library is not glibc (musl, macOS) there is nothing to call, and
nothing is done (newsdesk/memory.py).
"""

from __future__ import annotations

from celery.signals import task_postrun

from newsdesk.memory import give_back


@task_postrun.connect
def _after_task(**_) -> None:
    give_back()
