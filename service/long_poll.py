"""How many requests of one API process may wait in a long poll (`?wait=N`) at once.

A long poll holds one of the process's threads (NEWSDESK_API_THREADS) while it waits, up to 30
seconds. With no bound, as many long polls as threads (16 by default; one busy client's worth)
left none for anything else: every other request, /healthz included, waited until a poll
ended. A quarter of the threads (at least one) is kept for other requests; a long poll beyond
the bound is answered at once with the job as it is, as when its wait runs out, with
`Retry-After: 1` for when to ask again.
"""

from __future__ import annotations

import contextlib
import os
import threading
from typing import Iterator

from flask import Flask, current_app

from newsdesk.job_store import TERMINAL

RETRY_AFTER = "1"


def slots_for(threads: int) -> int:
    return max(1, threads - max(1, threads // 4))


def init_long_polls(app: Flask) -> None:
    threads = int(os.environ.get("NEWSDESK_API_THREADS", "16"))  # as service/gunicorn_conf.py
    app.extensions["newsdesk.long_polls"] = threading.BoundedSemaphore(slots_for(threads))


@contextlib.contextmanager
def long_poll_slot() -> Iterator[bool]:
    """Yields whether this request may wait; the slot is given back when it is done."""
    slots = current_app.extensions["newsdesk.long_polls"]
    granted = slots.acquire(blocking=False)
    try:
        yield granted
    finally:
        if granted:
            slots.release()


def unwaited_headers(wait: float, waited: bool, job: dict) -> dict[str, str]:
    """Retry-After for a long poll answered at once, unfinished, because too many others wait."""
    return {"Retry-After": RETRY_AFTER} if wait and not waited and job["status"] not in TERMINAL else {}
