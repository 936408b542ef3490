"""Delivering a finished job to its `callback_url`: signed, retried with backoff, recorded.

The job records its delivery state under `webhook` (pending, retrying, delivered, failed), so a
client can see what happened to its callback. Redirects are not followed: a redirect could
point the worker at an address the SSRF guard refuses. For the same reason the connection goes
to an address the guard has just checked, never to a second lookup of the name.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from urllib.parse import SplitResult, unquote, urlsplit

import certifi
import urllib3
from celery import current_app, shared_task

from newsdesk.job_document import job_document
from newsdesk.job_store import TERMINAL, JobStore, isoformat, utcnow
from newsdesk.task_names import DELIVER_WEBHOOK_TASK
from newsdesk.webhooks import (SIGNATURE_HEADER, UnresolvedCallback, UnsafeCallback, check_callback,
                               key_secret, server_secret, sign)

from .context import job_store, settings
from .memory import drop_frames

log = logging.getLogger(__name__)


def post_signed(job: dict, url: str) -> tuple[str, int | None, str | None]:
    """One delivery: ("delivered" | "retry" | "failed", HTTP status, error)."""
    config = settings()
    try:
        addresses = check_callback(url, config.webhook_allow)
    except UnresolvedCallback as exc:
        return "retry", None, str(exc)  # it resolved at submit: DNS may be down for a while
    except UnsafeCallback as exc:
        return "failed", None, str(exc)
    body = json.dumps(job_document(job)).encode()
    secret = key_secret(server_secret(job_store().redis, config.webhook_secret), job["owner"])
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(secret, body),
               "Newsdesk-Job-Id": job["job_id"], "User-Agent": "Newsdesk-Webhook/1"}
    try:
        status = post_to(url, addresses, body, headers, config.webhook_timeout)
    except urllib3.exceptions.HTTPError as exc:
        drop_frames(exc)  # see memory.drop_frames
        return "retry", None, type(exc).__name__
    if 200 <= status < 300:
        return "delivered", status, None
    if status >= 500 or status in (408, 429):
        return "retry", status, f"HTTP {status}"
    return "failed", status, f"HTTP {status}"


def post_to(url: str, addresses: list[str], body: bytes, headers: dict, timeout: float) -> int:
    """POST `body` to `url` at the first of `addresses` that accepts a connection, and return the
    status. The name is not looked up again, so it cannot be re-pointed (DNS rebinding) between
    the SSRF guard's check of these addresses and the call; the Host header, the TLS server name
    and the certificate check are the URL's host's."""
    parts = urlsplit(url)
    https = parts.scheme == "https"
    pool_class = urllib3.HTTPSConnectionPool if https else urllib3.HTTPConnectionPool
    tls = {"server_hostname": parts.hostname, "assert_hostname": parts.hostname,
           "cert_reqs": "CERT_REQUIRED", "ca_certs": certifi.where()} if https else {}
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {**headers, **_url_headers(parts)}

    def post_at(address: str) -> int:
        pool = pool_class(address, parts.port or (443 if https else 80), retries=False,
                          timeout=urllib3.Timeout(connect=timeout, read=timeout), **tls)
        with pool:
            return pool.urlopen("POST", target, body=body, headers=headers, redirect=False).status

    *others, last = addresses
    for address in others:
        try:
            return post_at(address)
        except urllib3.exceptions.NewConnectionError:
            continue  # the next address may answer (IPv6 not routed from here, say)
    return post_at(last)


def _url_headers(parts: SplitResult) -> dict[str, str]:
    """The headers a URL implies: its host (and port), and HTTP basic auth for credentials in it
    (https://user:password@host/...), as browsers and requests send them."""
    headers = {"Host": parts.netloc.rpartition("@")[2]}
    if parts.username is not None:
        credentials = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        headers["Authorization"] = urllib3.util.make_headers(basic_auth=credentials)["authorization"]
    return headers


@shared_task(name=DELIVER_WEBHOOK_TASK, bind=True, max_retries=None)
def deliver_webhook(self, job_id: str) -> None:
    store, config = job_store(), settings()
    job = store.get(job_id)
    if job is None or job["status"] not in TERMINAL or not job["article"].get("callback_url"):
        store.webhook_settled(job_id)
        return
    url, attempt = job["article"]["callback_url"], self.request.retries + 1
    outcome, status, error = post_signed(job, url)
    if outcome == "retry" and attempt >= config.webhook_max_attempts:
        outcome = "failed"
    state = {"url": url, "state": "retrying" if outcome == "retry" else outcome, "attempts": attempt,
             "last_status": status, "last_error": error, "updated_at": isoformat(utcnow())}
    store.set_webhook(job_id, state)
    log.info("webhook delivery", extra={"job_id": job_id, "state": state["state"], "attempt": attempt,
                                        "status": status, "error": error})
    if outcome != "retry":
        store.webhook_settled(job_id)
        return
    countdown = config.webhook_backoff * 2 ** (attempt - 1)
    store.webhook_due(job_id, after=countdown)
    # The next attempt is sent, and this one ends without raising Retry: for a raised Retry
    # Celery builds a picklable copy of the traceback (every frame's code positions, some 3,000
    # tuples) in a reference cycle with its own frame and this one (the job, article and result
    # included), which only Python's full collection frees, and that comes rarely with a
    # worker's many objects. A receiver that failed for a while left a worker some 40 MB larger
    # for good (bench/worker_memory.py --receiver cycle).
    self.retry(countdown=countdown, throw=False)


def schedule_delivery(job: dict) -> None:
    """After a job ends: mark its webhook pending and queue the delivery. Should the message not
    go out, the delivery stays due and a worker's sweeper sends it later (resend_overdue)."""
    url = (job["article"] or {}).get("callback_url")
    if not url:
        return
    store = job_store()
    store.set_webhook(job["job_id"], {"url": url, "state": "pending", "attempts": 0, "last_status": None,
                                      "last_error": None, "updated_at": isoformat(utcnow())})
    store.webhook_due(job["job_id"])
    try:
        current_app.send_task(DELIVER_WEBHOOK_TASK, args=[job["job_id"]], queue=settings().queue)
    except Exception as exc:  # the broker, for a moment; the job's own outcome is stored
        log.warning("webhook delivery not queued; the sweepers will send it: %s", exc,
                    extra={"job_id": job["job_id"]})


def resend_overdue(store: JobStore, send: Callable[[str], None], overdue_by: float) -> list[str]:
    """Send again the webhook deliveries that are `overdue_by` seconds late: their message was
    lost (a broker that failed as the job ended, a worker killed while it held it)."""
    job_ids = store.claim_overdue_webhooks(overdue_by)
    for job_id in job_ids:
        send(job_id)
        log.warning("webhook delivery sent again: overdue", extra={"job_id": job_id})
    return job_ids
