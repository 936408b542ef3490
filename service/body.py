"""A request's body, read whatever its framing: the size limit holds for a chunked upload as for
one with Content-Length, a gzip-encoded body is decoded (within the same limit), and a body the
HTTP layer cannot deliver is the client's error (400, or 408 when it stopped sending), never a
500 or a body silently cut short.

A process holds its large bodies' bytes until their requests end (and 2-4 times as much memory
for the text and the articles parsed from them: 2 bytes a character above U+00FF). How many it
holds at once is bounded per process (NEWSDESK_MAX_BODY_BYTES_IN_FLIGHT, 503 beyond), and after
such a request the memory freed is handed back to the system (bench/api_memory.py).
"""

from __future__ import annotations

import threading
import zlib

from flask import Flask, current_app, g, request
from werkzeug.exceptions import RequestEntityTooLarge

from newsdesk.memory import give_back

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
# Set in the environ when the app answers before the body's end (408, 413, broken framing): the
# server cannot tell where the next request on the connection begins, and closes it
# (service/http_worker.py).
BODY_UNREAD = "newsdesk.body_unread"


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
    app.teardown_request(_let_go)


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


def read_body() -> bytearray:
    """The body as the client meant it: de-chunked and decoded, at most the request's
    max_content_length bytes (413 beyond: before decoding, and after). A bytearray, as it was
    read: a bytes copy of a 50 MB batch would be 50 MB more at once."""
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
    data = _read(limit)
    for _ in transfer:
        data = _gunzip(data, limit)
    return _gunzip(data, limit) if encoding in GZIP else data


def _read(limit: int | None) -> bytearray:
    try:
        return _read_to_end(limit)
    except (RequestEntityTooLarge, Problem):
        request.environ[BODY_UNREAD] = True
        raise


def _read_to_end(limit: int | None) -> bytearray:
    length = request.content_length
    if length is not None and limit is not None and length > limit:
        raise RequestEntityTooLarge()
    if length is None and not _chunked():
        if request.environ.get("SERVER_PROTOCOL") == "HTTP/1.0":
            # Its body runs to the end of the connection, which HTTP/1.0 allowed in answers
            # only: a POST needs a length, and this one's body would go unread.
            raise Problem(411, "length_required", "Content-Length required",
                          "An HTTP/1.0 request must give its body's Content-Length.")
        return bytearray()  # HTTP/1.1 without either: there is no body
    # Up to one byte over the limit: Werkzeug's own stream stops at the limit without a word,
    # so a chunked body over it would reach the parser cut short (a 400 for a 413).
    want = length if length is not None else (None if limit is None else limit + 1)
    if length is not None:
        _hold(length)  # before reading it: refused, it costs nothing
    stream = request.environ["wsgi.input"]
    data = bytearray()
    try:
        while want is None or len(data) < want:
            chunk = stream.read(_STEP if want is None else min(_STEP, want - len(data)))
            if not chunk:
                break
            data += chunk
            if length is None:
                _hold(len(data))
    except TimeoutError:
        raise Problem(408, "request_timeout", "The request body did not arrive in time",
                      "The client paused too long while sending the body, or sent it too slowly.") from None
    except (_FramingError, OSError, ValueError) as exc:
        raise _unreadable(str(exc) or type(exc).__name__) from None
    if limit is not None and len(data) > limit:
        raise RequestEntityTooLarge()
    if length is not None and len(data) < length:
        raise _unreadable(f"The body ended after {len(data)} of its {length} bytes.")
    return data


def _chunked() -> bool:
    return ("chunked" in request.headers.get("Transfer-Encoding", "").lower()
            and "wsgi.input_terminated" in request.environ)


def _unreadable(detail: str) -> Problem:
    return Problem(400, "malformed_body", "The request body could not be read", detail)


def _gunzip(data: bytearray, limit: int | None) -> bytearray:
    """gzip members one after another (as `cat a.gz b.gz`), decoded to at most `limit` bytes:
    a small body that inflates beyond it is refused before it is all in memory."""
    out = bytearray()
    rest = memoryview(data)
    try:
        while rest:
            rest = _inflate_member(rest, out, limit, held=len(data))
    except zlib.error as exc:
        raise _unreadable(f"The body is not valid gzip: {exc}.") from None
    return out


def _inflate_member(data: memoryview, out: bytearray, limit: int | None, held: int) -> memoryview:
    """Decode the gzip member at the start of `data` onto `out`; the input after it. The input
    goes in a step at a time, so that what one step decodes is small: the whole body decoded in
    one call is a second copy of it next to `out`. In flight: `held` bytes of input and `out`."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    for start in range(0, len(data), _STEP):
        piece = data[start:start + _STEP]
        room = 0 if limit is None else limit + 1 - len(out)
        out += inflater.decompress(piece, room)
        if inflater.unconsumed_tail or (limit is not None and len(out) > limit):
            raise RequestEntityTooLarge()
        _hold(held + len(out))
        if inflater.eof:
            return data[start + len(piece) - len(inflater.unused_data):]
    raise _unreadable("The gzip-encoded body ends before its end of stream.")
