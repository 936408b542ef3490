"""Delivering a finished job to its `callback_url`: signed, retried with backoff, recorded.

The job records its delivery state under `webhook` (pending, retrying, delivered, failed), so a
client can see what happened to its callback. Redirects are not followed: a redirect could
point the worker at an address the SSRF guard refuses.
"""

from __future__ import annotations

import json
import logging

import requests
from celery import current_app, shared_task

from newsdesk.job_document import job_document
from newsdesk.job_store import TERMINAL, isoformat, utcnow
from newsdesk.task_names import DELIVER_WEBHOOK_TASK
from newsdesk.webhooks import (SIGNATURE_HEADER, UnsafeCallback, check_callback, key_secret,
                               server_secret, sign)

from .context import job_store, settings

log = logging.getLogger(__name__)


def post_signed(job: dict, url: str) -> tuple[str, int | None, str | None]:
    """One delivery: ("delivered" | "retry" | "failed", HTTP status, error)."""
    config = settings()
    try:
        check_callback(url, config.webhook_allow)
    except UnsafeCallback as exc:
        return "failed", None, str(exc)
    body = json.dumps(job_document(job)).encode()
    secret = key_secret(server_secret(job_store().redis, config.webhook_secret), job["owner"])
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(secret, body),
               "Newsdesk-Job-Id": job["job_id"], "User-Agent": "Newsdesk-Webhook/1"}
    try:
        response = requests.post(url, data=body, headers=headers, timeout=config.webhook_timeout,
                                 allow_redirects=False)
    except requests.RequestException as exc:
        return "retry", None, type(exc).__name__
    if 200 <= response.status_code < 300:
        return "delivered", response.status_code, None
    if response.status_code >= 500 or response.status_code in (408, 429):
        return "retry", response.status_code, f"HTTP {response.status_code}"
    return "failed", response.status_code, f"HTTP {response.status_code}"


@shared_task(name=DELIVER_WEBHOOK_TASK, bind=True, max_retries=None)
def deliver_webhook(self, job_id: str) -> None:
    store, config = job_store(), settings()
    job = store.get(job_id)
    if job is None or job["status"] not in TERMINAL or not job["article"].get("callback_url"):
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
    if outcome == "retry":
        raise self.retry(countdown=config.webhook_backoff * 2 ** (attempt - 1))


def schedule_delivery(job: dict) -> None:
    """After a job ends: mark its webhook pending and queue the delivery."""
    url = (job["article"] or {}).get("callback_url")
    if url:
        job_store().set_webhook(job["job_id"], {"url": url, "state": "pending", "attempts": 0,
                                                "last_status": None, "last_error": None,
                                                "updated_at": isoformat(utcnow())})
        current_app.send_task(DELIVER_WEBHOOK_TASK, args=[job["job_id"]], queue=settings().queue)
