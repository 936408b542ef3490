"""A request's body, read whatever its framing: the size limit holds for a chunked upload as for
one with Content-Length, a gzip-encoded body is decoded (within the same limit), and a body the
HTTP layer cannot deliver is the client's error (400, or 408 when it stopped sending), never a
500 or a body silently cut short.
"""

from __future__ import annotations

import zlib

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

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
    stream = request.environ["wsgi.input"]
    data = bytearray()
    try:
        while want is None or len(data) < want:
            chunk = stream.read(_STEP if want is None else min(_STEP, want - len(data)))
            if not chunk:
                break
            data += chunk
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
            rest = _inflate_member(rest, out, limit)
    except zlib.error as exc:
        raise _unreadable(f"The body is not valid gzip: {exc}.") from None
    return out


def _inflate_member(data: memoryview, out: bytearray, limit: int | None) -> memoryview:
    """Decode the gzip member at the start of `data` onto `out`; the input after it. The input
    goes in a step at a time, so that what one step decodes is small: the whole body decoded in
    one call is a second copy of it next to `out`."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    for start in range(0, len(data), _STEP):
        piece = data[start:start + _STEP]
        room = 0 if limit is None else limit + 1 - len(out)
        out += inflater.decompress(piece, room)
        if inflater.unconsumed_tail or (limit is not None and len(out) > limit):
            raise RequestEntityTooLarge()
        if inflater.eof:
            return data[start + len(piece) - len(inflater.unused_data):]
    raise _unreadable("The gzip-encoded body ends before its end of stream.")
