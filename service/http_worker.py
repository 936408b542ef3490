"""gunicorn's gthread worker, made to hold a thread only for a request that has arrived.

gthread hands a connection to one of its threads as soon as a byte arrives, and the thread then
reads the request head with a blocking read that never times out. A client that sends its
headers slowly, or stops halfway, held that thread for good: `workers x threads` such sockets
(32 by default) and every other client waited, for as long as they stayed open.

Here the request head is gathered without a thread: whatever has arrived is read without
blocking, and while the head is incomplete the connection goes back to the worker's event loop
(which closes it once it has been silent for gunicorn's keep-alive timeout). A head must be
complete within NEWSDESK_CLIENT_TIMEOUT of its first byte, or the client gets 408. A body must
keep coming: no pause longer than that, and on average MIN_BODY_RATE bytes a second after its
first NEWSDESK_CLIENT_TIMEOUT seconds (the app answers 408 otherwise; service/body.py). An
answer must be taken likewise: a client that reads nothing of it for that long is dropped.
"""

from __future__ import annotations

import errno
import logging
import socket
import time

from gunicorn.workers import gthread

from newsdesk.settings import Settings

from .body import BODY_UNREAD

# A 1 MB article may take NEWSDESK_CLIENT_TIMEOUT + 100 s; a client trickling its body slower
# holds a thread no longer than that.
MIN_BODY_RATE = 10_000
log = logging.getLogger("gunicorn.error")
# A head is handed to a thread once it is complete, or this long (gunicorn then parses it
# within the deadline, and answers 431 to one over its own limits).
HEAD_CAP = 64 * 1024
_HEAD = "head"
_BODY = "body"


class RequestTimeout(Exception):
    """The request head did not arrive in time (not an OSError: gunicorn would log a traceback)."""


class ClientSocket(socket.socket):
    """A connection that buffers a request head read ahead of the parser, and bounds the
    parser's and the application's reads, and the answer's sends, by `client_timeout`."""

    @classmethod
    def adopt(cls, sock: socket.socket, client_timeout: float) -> "ClientSocket":
        timeout = sock.gettimeout()
        adopted = cls(sock.family, sock.type, sock.proto, fileno=sock.detach())
        adopted.settimeout(timeout)
        adopted.client_timeout = client_timeout
        return adopted

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.client_timeout = Settings.client_timeout
        self.ahead = b""  # read from the socket, not yet by the parser
        self.phase = _BODY  # the next gather starts a new request
        self.head_deadline: float | None = None
        self.body_started_at = 0.0
        self.body_bytes = 0
        self.closed_by_peer = False

    def gather(self, buffered: bytes) -> str:
        """Read what has arrived without blocking: "ready" when the head is complete (or large,
        or the peer closed), "wait" while it is not, "late" when its time ran out."""
        if self.phase != _HEAD:
            self.phase, self.head_deadline = _HEAD, None
        timeout = self.gettimeout()
        self.settimeout(0.0)
        try:
            while len(self.ahead) < HEAD_CAP:
                try:
                    data = super().recv(HEAD_CAP)
                except (BlockingIOError, InterruptedError):
                    break
                if not data:
                    self.closed_by_peer = True
                    break
                self.ahead += data
        except OSError:
            self.closed_by_peer = True  # reset: let the parser meet it
        finally:
            self.settimeout(timeout)
        head = buffered + self.ahead
        if head and self.head_deadline is None:
            self.head_deadline = time.monotonic() + self.client_timeout
        if self.closed_by_peer or len(head) >= HEAD_CAP or _complete(head):
            return "ready"
        if self.head_deadline is not None and time.monotonic() >= self.head_deadline:
            return "late"
        return "wait"

    def body_started(self) -> None:
        self.phase, self.body_started_at, self.body_bytes = _BODY, time.monotonic(), 0

    def _body_left(self) -> float:
        deadline = self.body_started_at + self.client_timeout + self.body_bytes / MIN_BODY_RATE
        return min(self.client_timeout, deadline - time.monotonic())

    def recv(self, size: int, flags: int = 0) -> bytes:
        if self.ahead:
            data, self.ahead = self.ahead[:size], self.ahead[size:]
            return data
        if self.gettimeout() is not None:  # non-blocking, or a timeout gunicorn set itself
            return super().recv(size, flags)
        if self.phase == _HEAD:
            left = (self.head_deadline or time.monotonic() + self.client_timeout) - time.monotonic()
            if left <= 0:
                raise RequestTimeout()
            return self._recv_within(size, flags, left, RequestTimeout)
        left = self._body_left()
        if left <= 0:
            raise TimeoutError("the body is arriving too slowly")  # the app answers 408 (service/body.py)
        data = self._recv_within(size, flags, left, None)
        self.body_bytes += len(data)
        return data

    def _recv_within(self, size: int, flags: int, seconds: float, error: type | None) -> bytes:
        self.settimeout(seconds)
        try:
            return super().recv(size, flags)
        except TimeoutError:
            if error is None:
                raise
            raise error() from None
        finally:
            self.settimeout(None)

    def sendall(self, data, flags: int = 0) -> None:
        """Each part sent within client_timeout (Python's own timeout would bound the whole
        answer, however large, and gunicorn sets none)."""
        if self.gettimeout() is not None:
            return super().sendall(data, flags)
        view = memoryview(data).cast("B")
        self.settimeout(self.client_timeout)
        try:
            while view:
                view = view[self.send(view, flags):]
        except TimeoutError:
            raise self._not_reading() from None
        finally:
            self.settimeout(None)

    def sendfile(self, file, offset: int = 0, count: int | None = None) -> int:
        if self.gettimeout() is not None:
            return super().sendfile(file, offset, count)
        self.settimeout(self.client_timeout)  # waited for before each part, as sendall
        try:
            return super().sendfile(file, offset, count)
        except TimeoutError:
            raise self._not_reading() from None
        finally:
            self.settimeout(None)

    def _not_reading(self) -> OSError:
        # As a broken pipe, which gunicorn closes without a traceback: the client is gone as
        # far as this answer goes.
        log.info("client read nothing of its answer for %gs: connection dropped", self.client_timeout)
        return BrokenPipeError(errno.EPIPE, "client stopped reading")


def _closing_when_body_unread(app):
    def closing(environ, start_response):
        def start(status, headers, exc_info=None):
            if environ.get(BODY_UNREAD):
                # gunicorn's Response (start_response is its method): it then says
                # "Connection: close" and closes, where it would keep the connection and read
                # the rest of the body, or the client's next request, as a request.
                start_response.__self__.force_close()
            return start_response(status, headers, exc_info)

        return app(environ, start)

    return closing


def _complete(head: bytes) -> bool:
    # Empty lines before a request line are allowed (RFC 9112 2.2) and do not end a head.
    start = head.lstrip(b"\r\n")
    return b"\r\n\r\n" in start or b"\n\n" in start


class ThreadWorker(gthread.ThreadWorker):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.client_timeout = Settings.from_env().client_timeout

    def enqueue_req(self, conn):
        if type(conn.sock) is socket.socket:  # a new connection (TLS sockets are left as they are)
            conn.sock = ClientSocket.adopt(conn.sock, self.client_timeout)
        super().enqueue_req(conn)

    def handle(self, conn):
        sock = conn.sock
        if not isinstance(sock, ClientSocket) or conn.is_http2:
            return super().handle(conn)
        buffered = conn.parser.unreader.buf.getvalue() if conn.parser is not None else b""
        state = sock.gather(buffered)
        if state == "wait":
            conn.data_ready = False
            return gthread._DEFER  # back to the event loop until more arrives
        if state == "late":
            self._request_timeout(sock, conn.client)
            return False
        conn.data_ready = True  # what arrived is buffered: gthread must not wait on the socket
        return super().handle(conn)

    def load_wsgi(self):
        super().load_wsgi()
        # The Flask app's own WSGI callable, so that self.wsgi stays the app (gunicorn_conf's
        # hooks read its extensions).
        self.wsgi.wsgi_app = _closing_when_body_unread(self.wsgi.wsgi_app)

    def handle_request(self, req, conn):
        if isinstance(conn.sock, ClientSocket):
            conn.sock.body_started()
        return super().handle_request(req, conn)

    def handle_error(self, req, client, addr, exc):
        if isinstance(exc, RequestTimeout):
            self._request_timeout(client, addr)
            return
        super().handle_error(req, client, addr, exc)

    def _request_timeout(self, sock, addr) -> None:
        self.log.info("request head not received within %gs from %s", self.client_timeout,
                      addr[0] if isinstance(addr, tuple) else addr)
        try:
            detail = f"The request's head did not arrive within {self.client_timeout:g} seconds."
            gthread.util.write_error(sock, 408, "Request Timeout", detail)
        except OSError:
            pass
