"""Long polls (`?wait=N`): how many requests of one API process may wait at once, and when a
waiting client has hung up.

A long poll holds one of the process's threads (NEWSDESK_API_THREADS) while it waits, up to 30
seconds. With no bound, as many long polls as threads (16 by default; one busy client's worth)
left none for anything else: every other request, /healthz included, waited until a poll
ended. A quarter of the threads (at least one) is kept for other requests; a long poll beyond
the bound is answered at once with the job as it is, as when its wait runs out, with
`Retry-After: 1` for when to ask again.
"""

from __future__ import annotations

import contextlib
import select
import socket
import threading
from typing import Callable, Iterator

from flask import Flask, current_app, request

from newsdesk.job_store import TERMINAL

RETRY_AFTER = "1"


def slots_for(threads: int) -> int:
    return max(1, threads - max(1, threads // 4))


def init_long_polls(app: Flask, threads: int) -> None:
    """`threads`: NEWSDESK_API_THREADS, as service/gunicorn_conf.py gives them to gunicorn."""
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


def hung_up_check() -> Callable[[], bool] | None:
    """For a long poll: whether the client that sent this request has closed its connection
    (None when the server does not hand the app its socket, as gunicorn does)."""
    sock = request.environ.get("gunicorn.socket")
    if sock is None:
        return None

    def hung_up() -> bool:
        try:
            poller = select.poll()  # not select(): it takes no descriptor above 1023
            poller.register(sock, select.POLLIN)
            if not poller.poll(0):
                return False  # nothing to read: the client is still waiting
            # Readable: either the client's next request (it is still there) or the end of its
            # stream. Peeked on the TCP socket itself, so a TLS socket is asked the same way.
            return socket.socket.recv(sock, 1, socket.MSG_PEEK) == b""
        except (OSError, ValueError):  # reset by the peer, or closed
            return True

    return hung_up
