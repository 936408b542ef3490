"""Waking long polls when their job ends: one pub/sub subscription per process, not per request.

Workers publish each finished job's id on DONE_CHANNEL (in the script that stores its end). A
process that answers `?wait=` requests keeps a single subscription to that channel in a thread of
its own, and each waiting request blocks on a `threading.Event` that the thread sets when its
job's id comes by. A request then costs no connection, SUBSCRIBE or UNSUBSCRIBE of its own.

Every subscribed process hears every job's end: a few dozen bytes per job, which is cheap next to
the job itself. When the subscription is lost (Redis restarts) the thread subscribes again and
wakes every waiter, since an end may have been missed meanwhile; a woken request re-reads its job.
"""

from __future__ import annotations

import logging
import os
import threading
from contextlib import contextmanager
from typing import Iterator

import redis

log = logging.getLogger(__name__)

DONE_CHANNEL = "newsdesk:done"
# How long the first long poll of a process waits for the listener's first attempt to subscribe
# before it goes on without (it then still answers when its wait is over). Should that attempt
# fail, requests go on at once: their own read of the job fails fast (503) while Redis is away.
_SUBSCRIBE_WAIT_SECONDS = 2.0
# How often the listener looks up from the socket to see whether it was closed.
_POLL_SECONDS = 1.0


class DoneEvents:
    def __init__(self, client: redis.Redis):
        self.client = client
        self._lock = threading.Lock()
        self._waiters: dict[str, set[threading.Event]] = {}
        self._subscribed = threading.Event()
        self._unreachable = threading.Event()
        self._tried = threading.Event()  # the listener's first attempt is over, either way
        self._closed = threading.Event()
        self._draining = threading.Event()
        self._listener_pid: int | None = None

    @contextmanager
    def watch(self, job_id: str) -> Iterator[threading.Event]:
        """An event that is set when `job_id` ends (or may have: see the module's docstring).
        Watch before reading the job, so that an end in between is not missed."""
        self._listen()
        ended = threading.Event()
        with self._lock:
            self._waiters.setdefault(job_id, set()).add(ended)
        try:
            yield ended
        finally:
            with self._lock:
                waiters = self._waiters.get(job_id, set())
                waiters.discard(ended)
                if not waiters:
                    self._waiters.pop(job_id, None)

    def _listen(self) -> None:
        """Start the listening thread in this process, once; a forked child starts its own."""
        with self._lock:
            if self._listener_pid != os.getpid():
                self._listener_pid = os.getpid()
                for state in (self._subscribed, self._unreachable, self._tried):
                    state.clear()
                threading.Thread(target=self._run, name="job-events", daemon=True).start()
        self._tried.wait(_SUBSCRIBE_WAIT_SECONDS)

    @property
    def draining(self) -> bool:
        return self._draining.is_set()

    def drain(self) -> None:
        """The process is stopping: every long poll answers now with its job as it is (and a new
        one does not wait), rather than being cut off when the server's grace period ends."""
        self._draining.set()
        self._wake_all()

    def close(self) -> None:
        """Stop listening (within a second)."""
        self._closed.set()

    def _run(self) -> None:
        pause = 0.1
        while not self._closed.is_set():
            try:
                self._receive()
            except redis.RedisError as exc:
                if not self._unreachable.is_set():  # once per outage, not once per retry
                    log.warning("job events subscription lost; subscribing again: %s", exc)
                self._unreachable.set()
                self._tried.set()
            except Exception:  # the thread must never die
                log.exception("job events listener failed; restarting")
            pause = 0.1 if self._subscribed.is_set() else min(2 * pause, 5.0)
            self._subscribed.clear()
            self._closed.wait(pause)

    def _receive(self) -> None:
        pubsub = self.client.pubsub()
        try:
            pubsub.subscribe(DONE_CHANNEL)
            while not self._closed.is_set():
                # get_message with a timeout waits on the socket, which the client's read
                # timeout would cut short in a blocking listen().
                message = pubsub.get_message(timeout=_POLL_SECONDS)
                if message is None:
                    continue
                if message["type"] == "subscribe":
                    self._unreachable.clear()
                    self._subscribed.set()
                    self._tried.set()
                    self._wake_all()  # ends published while we were not subscribed are unknown
                elif message["type"] == "message":
                    self._wake(message["data"].decode())
        finally:
            pubsub.close()

    def _wake(self, job_id: str) -> None:
        with self._lock:
            for ended in self._waiters.get(job_id, ()):
                ended.set()

    def _wake_all(self) -> None:
        with self._lock:
            for waiters in self._waiters.values():
                for ended in waiters:
                    ended.set()
