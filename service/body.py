"""A request's body, read whatever its framing: the size limit holds for a chunked upload as for
one with Content-Length, a gzip-encoded body is decoded (within the same limit), and a body the
HTTP layer cannot deliver is the client's error (400, or 408 when it stopped sending), never a
500 or a body silently cut short.

A single article's body is read into memory (read_body), and a process holds it until its request
ends (and 2-4 times as much memory for the text and the article parsed from it: 2 bytes a
character above U+00FF). A batch's body (up to 50 MB) is spooled (spooled_body): in memory up to
SPOOL_IN_MEMORY bytes, beyond that in a temporary file (in TMPDIR: up to 50 MB of disk a batch
in flight, twice for a gzip-encoded one), and read back an article at a time
(service/batch_body.py), so that it costs a few MB of memory whatever its size.

How many bytes of bodies a process holds at once is bounded (NEWSDESK_MAX_BODY_BYTES_IN_FLIGHT,
503 beyond). A body in memory counts whole, as it is read and as it is gzip-decoded (coded and
decoded bytes together). A spooled body counts the same way up to SPOOL_COUNTED bytes, and no
more however large it is: its bytes on disk take no memory, and what reading it back costs does
not grow with its size. After such a request the memory freed is handed back to the system
(bench/api_memory.py).
"""

from __future__ import annotations

import tempfile
import threading
import zlib
from contextlib import contextmanager, nullcontext
from typing import BinaryIO, Callable, ContextManager, Iterator, Protocol

from flask import Flask, current_app, g, request
from werkzeug.exceptions import RequestEntityTooLarge

from newsdesk.memory import give_back, map_large_blocks

from .errors import Problem

try:  # gunicorn's errors for a body it cannot de-chunk (the app runs under other servers too)
    from gunicorn.http.errors import ParseException as _FramingError
except ImportError:  # pragma: no cover
    class _FramingError(Exception):
        pass

_STEP = 64 * 1024
# Content-Encoding values a body may come in; anything else is refused with 415.
GZIP = ("gzip", "x-gzip")
IDENTITY = ("", "identity")
# Bodies up to this size are not counted in flight: a small POST takes no lock.
_UNCOUNTED = _STEP
# A spooled body's bytes beyond this go to disk: a batch of a hundred short articles stays in
# memory, one of 50 MB holds this much of it (Werkzeug spools form uploads beyond 500 KB).
SPOOL_IN_MEMORY = 512 * 1024
# What a spooled body counts in flight at most, gzip-coded or not: about what reading it back an
# article at a time costs (its spool's memory, the text being parsed, an article and its job
# record), 2-3 times that in RSS as for a body in memory (bench/api_memory.py: a batch of 50 MB
# takes a process 10-11 MB above its own). With the default limit 4 such batches run at once.
SPOOL_COUNTED = 4_000_000
# Set in the environ when the app answers before the body's end (408, 413, broken framing): the
# server cannot tell where the next request on the connection begins, and closes it
# (service/http_worker.py).
BODY_UNREAD = "newsdesk.body_unread"
# Requests that parse and record a large article body at once in a process. Each costs 4-5 times
# its body while it does (the text decoded, the article parsed from it, its job record as JSON),
# and Python does that work under one lock anyway: 16 threads doing it at once took a process
# over 100 MB, with no request answered sooner. Two, so one parses while the other waits on Redis.
PARSED_AT_ONCE = 2
_NO_WAIT = nullcontext()


class BodiesInFlight:
    """The bytes of the large bodies this process's requests hold, bounded by `limit`."""

    def __init__(self, limit: int):
        self.limit, self.held = limit, 0
        self._lock = threading.Lock()

    def take(self, more: int, mine: int) -> bool:
        """Hold `more` bytes for a request that holds `mine` already; False when other requests
        hold bodies too and all would be over the limit. A body alone is always taken: a batch
        may be larger than the limit, and must go through once the others are done."""
        with self._lock:
            if self.held > mine and self.held + more > self.limit:
                return False
            self.held += more
            return True

    def give(self, amount: int) -> None:
        with self._lock:
            self.held -= amount


def init_bodies_in_flight(app: Flask, limit: int) -> None:
    app.extensions["newsdesk.bodies"] = BodiesInFlight(limit)
    app.extensions["newsdesk.parse_turns"] = threading.BoundedSemaphore(PARSED_AT_ONCE)
    app.teardown_request(_let_go)
    map_large_blocks()


def parse_turn(body: bytearray) -> ContextManager:
    """For a large `body`, a block that waits until fewer than PARSED_AT_ONCE requests of this
    process are parsing and recording theirs. The wait is for a body already read: a slow upload
    holds no turn, and a turn lasts what the parsing and a Redis round trip do."""
    if len(body) <= _UNCOUNTED:
        return _NO_WAIT
    return current_app.extensions["newsdesk.parse_turns"]


def _hold(size: int) -> None:
    """Count this request's body as `size` bytes in flight until the request ends; 503 when
    the process holds too many bytes of other bodies to take it."""
    if size <= _UNCOUNTED:
        return
    mine = g.get("body_bytes", 0)
    if size <= mine:
        return
    bodies = current_app.extensions["newsdesk.bodies"]
    if not bodies.take(size - mine, mine):
        raise Problem(503, "too_many_large_bodies", "Too many large request bodies at once",
                      f"This API process holds {bodies.held} bytes of request bodies, and takes "
                      f"{bodies.limit} at once (NEWSDESK_MAX_BODY_BYTES_IN_FLIGHT); retry.",
                      headers={"Retry-After": "2"})
    g.body_bytes = size


def _let_go(_exc) -> None:
    """At a request's end (its body and what was parsed from it freed): its bytes no longer
    count, and malloc hands the pages they took back to the system, from every thread's arena."""
    held = g.pop("body_bytes", 0)
    if held:
        current_app.extensions["newsdesk.bodies"].give(held)
        give_back()


class _Sink(Protocol):
    """Where a body's bytes go as they are read or decoded."""
    size: int  # bytes written
    held: int  # what they count in flight

    def holding(self, size: int) -> int:
        """What `size` bytes of bodies (this one and those it was decoded from) count in flight."""

    def write(self, chunk) -> None: ...

    def pieces(self) -> Iterator: ...


class _InMemory(bytearray):
    """A body read into memory: all of its bytes are held."""

    write = bytearray.extend

    @property
    def size(self) -> int:
        return len(self)

    @property
    def held(self) -> int:
        return len(self)

    @staticmethod
    def holding(size: int) -> int:
        return size

    def pieces(self) -> Iterator[memoryview]:
        view = memoryview(self)
        for start in range(0, len(view), _STEP):
            yield view[start:start + _STEP]


class _Spool(tempfile.SpooledTemporaryFile):
    """A body in memory up to SPOOL_IN_MEMORY bytes, beyond that in a temporary file (unlinked
    at once, gone when closed). Counted in flight whole up to SPOOL_COUNTED bytes."""

    def __init__(self):
        super().__init__(max_size=SPOOL_IN_MEMORY, prefix="newsdesk-body-")
        self.size = 0

    def write(self, chunk) -> None:
        super().write(chunk)
        self.size += len(chunk)

    @property
    def held(self) -> int:
        return self.holding(self.size)

    @staticmethod
    def holding(size: int) -> int:
        return min(size, SPOOL_COUNTED)

    def pieces(self) -> Iterator[bytes]:
        self.seek(0)
        while piece := self.read(_STEP):
            yield piece


def read_body() -> bytearray:
    """The body as the client meant it: de-chunked and decoded, at most the request's
    max_content_length bytes (413 beyond: before decoding, and after). A bytearray, as it was
    read: a bytes copy of a 50 MB batch would be 50 MB more at once."""
    return _decoded_body(_InMemory)


@contextmanager
def spooled_body() -> Iterator[BinaryIO]:
    """The body as read_body() gives it, in a file positioned at its start: in memory up to
    SPOOL_IN_MEMORY bytes, on disk beyond (a batch of 50 MB is then read a piece at a time).
    The errors and limits are read_body()'s; the files are closed when the block ends."""
    spools: list[_Spool] = []

    def new_spool() -> _Spool:
        spools.append(_Spool())
        return spools[-1]

    try:
        body = _decoded_body(new_spool)
        body.seek(0)
        yield body
    finally:
        for spool in spools:
            spool.close()


def _decoded_body(new_sink: Callable[[], _Sink]) -> _Sink:
    """The body, read whole into `new_sink()` and then decoded into another for each coding."""
    encoding = request.headers.get("Content-Encoding", "").strip().lower()
    if encoding not in GZIP + IDENTITY:
        raise Problem(415, "unsupported_media_type", "Unsupported Content-Encoding",
                      f"A body may be sent as it is or with Content-Encoding: gzip, not {encoding!r}.",
                      headers={"Accept-Encoding": "gzip"})
    # gunicorn takes a transfer coding before "chunked" and passes the body on still coded.
    coded = request.headers.get("Transfer-Encoding", "").lower().split(",")
    transfer = [coding.strip() for coding in coded]
    transfer = [coding for coding in transfer if coding not in ("", "chunked", "identity")]
    if any(coding not in GZIP for coding in transfer):
        raise Problem(501, "not_implemented", "Unsupported Transfer-Encoding",
                      "A body may be sent chunked, or gzip and chunked; use Content-Encoding for compression.")
    limit = request.max_content_length
    data = _read(limit, new_sink())
    for _ in transfer:
        data = _gunzip(data, limit, new_sink())
    return _gunzip(data, limit, new_sink()) if encoding in GZIP else data


def _read(limit: int | None, data: _Sink) -> _Sink:
    try:
        return _read_to_end(limit, data)
    except (RequestEntityTooLarge, Problem):
        request.environ[BODY_UNREAD] = True
        raise


def _read_to_end(limit: int | None, data: _Sink) -> _Sink:
    length = request.content_length
    if length is not None and limit is not None and length > limit:
        raise RequestEntityTooLarge()
    if length is None and not _chunked():
        if request.environ.get("SERVER_PROTOCOL") == "HTTP/1.0":
            # Its body runs to the end of the connection, which HTTP/1.0 allowed in answers
            # only: a POST needs a length, and this one's body would go unread.
            raise Problem(411, "length_required", "Content-Length required",
                          "An HTTP/1.0 request must give its body's Content-Length.")
        return data  # HTTP/1.1 without either: there is no body
    # Up to one byte over the limit: Werkzeug's own stream stops at the limit without a word,
    # so a chunked body over it would reach the parser cut short (a 400 for a 413).
    want = length if length is not None else (None if limit is None else limit + 1)
    if length is not None:
        _hold(data.holding(length))  # before reading it: refused, it costs nothing
    stream = request.environ["wsgi.input"]
    try:
        while want is None or data.size < want:
            chunk = stream.read(_STEP if want is None else min(_STEP, want - data.size))
            if not chunk:
                break
            data.write(chunk)
            if length is None:
                _hold(data.held)
    except TimeoutError:
        raise Problem(408, "request_timeout", "The request body did not arrive in time",
                      "The client paused too long while sending the body, or sent it too slowly.") from None
    except (_FramingError, OSError, ValueError) as exc:
        raise _unreadable(str(exc) or type(exc).__name__) from None
    if limit is not None and data.size > limit:
        raise RequestEntityTooLarge()
    if length is not None and data.size < length:
        raise _unreadable(f"The body ended after {data.size} of its {length} bytes.")
    return data


def _chunked() -> bool:
    return ("chunked" in request.headers.get("Transfer-Encoding", "").lower()
            and "wsgi.input_terminated" in request.environ)


def _unreadable(detail: str) -> Problem:
    return Problem(400, "malformed_body", "The request body could not be read", detail)


def _gunzip(data: _Sink, limit: int | None, out: _Sink) -> _Sink:
    """gzip members one after another (as `cat a.gz b.gz`), decoded onto `out`, at most `limit`
    bytes: a small body that inflates beyond it is refused before it is all in memory. The input
    goes in a step at a time, so that what one step decodes is small: the whole body decoded in
    one call is a second copy of it next to `out`."""
    inflater = None
    try:
        for piece in data.pieces():
            while piece:
                inflater = inflater or zlib.decompressobj(16 + zlib.MAX_WBITS)
                piece = _inflate(inflater, piece, out, limit)
                _hold(out.holding(data.size + out.size))  # the coded body and the decoded
                if inflater.eof:
                    inflater = None
    except zlib.error as exc:
        raise _unreadable(f"The body is not valid gzip: {exc}.") from None
    if inflater is not None:
        raise _unreadable("The gzip-encoded body ends before its end of stream.")
    return out


def _inflate(inflater, piece, out: _Sink, limit: int | None):
    """Decode `piece` onto `out`; what is left of it after the end of its gzip member."""
    room = 0 if limit is None else limit + 1 - out.size
    out.write(inflater.decompress(piece, room))
    if inflater.unconsumed_tail or (limit is not None and out.size > limit):
        raise RequestEntityTooLarge()
    return inflater.unused_data if inflater.eof else b""
