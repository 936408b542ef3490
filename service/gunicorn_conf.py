"""gunicorn settings for the API (`gunicorn -c python:service.gunicorn_conf service.wsgi:app`).

gunicorn answers requests it cannot parse (a request line over its limit, bad headers) itself,
as text/html, before Flask sees them. Every error a client gets from Newsdesk must be
problem+json, so its error writer is replaced here with one that speaks RFC 9457.
"""

import json
import os
import signal

from gunicorn import glogging, util

from newsdesk.log import JsonFormatter
from newsdesk.redis_checks import check_at_start
from newsdesk.settings import Settings
from service.errors import PROBLEM_MIME, TYPE_BASE

# Read and checked as every setting is: a bad NEWSDESK_API_WORKERS or NEWSDESK_API_THREADS is
# named in gunicorn's "Error: ..." line rather than failing as a bare int() or thread pool error.
_settings = Settings.from_env()
bind = os.environ.get("NEWSDESK_BIND", "127.0.0.1:8000")
workers = _settings.api_workers
# gthread, holding a thread only for a request whose head has arrived (service/http_worker.py).
worker_class = "service.http_worker.ThreadWorker"
# Long polls hold a thread each while they wait: threads are cheap, so have many. A quarter
# of them is kept for other requests (service/long_poll.py, which reads the same variable).
threads = _settings.api_threads
graceful_timeout = 10
# Requests are logged by the app, as JSON lines with the key id (service/health.py).
accesslog = None
# gunicorn's control socket has one default path ($HOME/.gunicorn) for every instance on a
# machine, so a second API took it over; nothing here uses it.
control_socket_disable = True


class JsonLogger(glogging.Logger):
    """gunicorn's own lines (start, workers booting and exiting, their errors) as JSON lines too."""

    def setup(self, cfg):
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(JsonFormatter())


logger_class = JsonLogger

_CODES = {400: "bad_request", 403: "forbidden", 408: "request_timeout", 414: "uri_too_long",
          417: "expectation_failed", 431: "headers_too_large", 500: "internal_error", 501: "not_implemented"}


def write_problem(sock, status_int, reason, mesg):
    code = _CODES.get(status_int, "bad_request")
    body = json.dumps({"type": TYPE_BASE + code, "title": reason, "status": status_int,
                       "code": code, "detail": mesg or reason}).encode()
    head = (f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\n"
            f"Content-Type: {PROBLEM_MIME}\r\nContent-Length: {len(body)}\r\nCache-Control: no-store\r\n\r\n")
    util.write_nonblock(sock, head.encode("latin1") + body)


util.write_error = write_problem


def on_starting(server):
    """Refuse to listen beyond loopback without API keys, whatever --bind says; say what is
    wrong with the Redis given, if anything."""
    settings = _settings
    for address in server.cfg.bind:
        if not address.startswith(("unix:", "fd://")):
            settings.check_bind(address.rsplit(":", 1)[0])
    if not settings.auth_enabled:
        server.log.warning("API keys are not configured: auth is off (loopback only)")
    client = settings.redis_client()
    try:
        check_at_start(client, server.log)
    finally:
        client.close()


def post_worker_init(worker):
    """On SIGTERM, long polls (up to 30 s) answer at once with their job as it is: gunicorn
    waits only graceful_timeout for in-flight requests, then drops them unanswered."""
    stop = worker.handle_exit

    def handle_exit(sig, frame):
        stop(sig, frame)
        worker.wsgi.extensions["newsdesk.queue"].done_events.drain()

    signal.signal(signal.SIGTERM, handle_exit)
    signal.siginterrupt(signal.SIGTERM, False)  # as gunicorn had it: system calls restart
