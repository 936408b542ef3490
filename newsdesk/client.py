"""A small Python client for the Newsdesk API: `from newsdesk import Client`.

Standard library only. It retries on 429, 503 and a 409 `idempotency_key_in_progress` (honouring
`Retry-After`) and on connection errors; a submit carries an `Idempotency-Key`, so a retried POST
can never create a second job.
Waiting uses long polling (`?wait=`), so it costs one request per 25 seconds, not dozens.
"""

from __future__ import annotations

import email.utils
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone

TERMINAL = {"succeeded", "failed"}
RETRIED_STATUSES = {429, 503}
# A retried POST whose first attempt (say one that timed out) is still being handled: waiting
# and sending the same key again gets that request's job.
RETRIED_CODES = {"idempotency_key_in_progress"}


class ClientError(Exception):
    """An error answer (a problem document) or a service that cannot be reached (status 0)."""

    def __init__(self, status: int, problem: dict):
        self.status, self.problem = status, problem
        self.code = problem.get("code", "")
        message = f"{status} {self.code}: {problem.get('detail') or problem.get('title')}"
        if problem.get("errors"):
            # A 422's detail only points at `errors`: say which fields failed, as `newsdesk
            # submit` prints this line and nothing else of the answer.
            message += f" errors: {json.dumps(problem['errors'], ensure_ascii=False)}"
        super().__init__(message)


@dataclass(frozen=True)
class Mention:
    field: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class EntityGroup:
    name: str
    label: str
    count: int
    mentions: list[Mention]
    # 0-1, how central the entity is to the article (groups come sorted by it); None from a
    # service older than the field.
    salience: float | None = None

    @classmethod
    def from_json(cls, data: dict) -> "EntityGroup":
        return cls(data["name"], data["label"], data["count"], [Mention(**m) for m in data["mentions"]],
                   data.get("salience"))


@dataclass(frozen=True)
class Result:
    language: str
    summary: str
    summary_sentences: list[dict]
    entities: list[EntityGroup]
    warnings: list[dict]

    @classmethod
    def from_json(cls, data: dict) -> "Result":
        return cls(data["language"], data["summary"]["text"], data["summary"]["sentences"],
                   [EntityGroup.from_json(g) for g in data["entities"]], data["warnings"])


@dataclass(frozen=True)
class Job:
    job_id: str
    status: str
    error: dict | None
    result: Result | None
    document: dict = field(repr=False)  # the whole JSON document as served

    @classmethod
    def from_json(cls, data: dict) -> "Job":
        result = data.get("result")
        return cls(data["job_id"], data["status"], data.get("error"),
                   Result.from_json(result) if result else None, data)

    @property
    def done(self) -> bool:
        return self.status in TERMINAL


@dataclass(frozen=True)
class Batch:
    batch_id: str
    job_ids: list[str]


class Client:
    def __init__(self, base_url: str = "http://127.0.0.1:8000", api_key: str | None = None,
                 timeout: float = 120.0, max_retries: int = 5):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout  # how long `wait` waits for a job, in all
        self.max_retries = max_retries

    # ---------------------------------------------------------------- the API

    def submit(self, article: dict, idempotency_key: str | None = None) -> Job:
        return self._submit(article, idempotency_key)

    def _submit(self, article: dict, idempotency_key: str | None = None,
                deadline: float | None = None) -> Job:
        key = idempotency_key or str(uuid.uuid4())
        return Job.from_json(self._request("POST", "/v1/articles", article, {"Idempotency-Key": key},
                                           deadline=deadline))

    def job(self, job_id: str, wait: float = 0) -> Job:
        return self._poll(job_id, wait)

    def _poll(self, job_id: str, wait: float, deadline: float | None = None) -> Job:
        suffix = f"?wait={wait:g}" if wait else ""
        return Job.from_json(self._request("GET", f"/v1/jobs/{job_id}{suffix}", read_timeout=wait + 10,
                                           deadline=deadline))

    def wait(self, job_id: str, timeout: float | None = None) -> Job:
        """The job once it has finished (long polling); ClientError `wait_timeout` after `timeout`."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            asked, began = max(0.0, min(25.0, deadline - time.monotonic())), time.monotonic()
            job = self._poll(job_id, asked, deadline)
            if job.done:
                return job
            if time.monotonic() >= deadline:
                raise ClientError(0, {"code": "wait_timeout",
                                      "detail": f"job {job_id} still {job.status} after the wait"})
            if time.monotonic() - began < asked:
                # Answered before the wait ran out, unfinished: the API holds as many long polls as
                # it will (its answer says Retry-After: 1), or is stopping. Not at once again. (A
                # held poll takes at least `asked`; half of it was too tight a test on a busy
                # machine, where an answer given at once can take a while to arrive.)
                time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))

    def analyze(self, article: dict) -> Job:
        """Submit, then wait for the job: both within the client's `timeout`, retries included."""
        deadline = time.monotonic() + self.timeout
        job = self._submit(article, deadline=deadline)
        return self.wait(job.job_id, timeout=max(0.0, deadline - time.monotonic()))

    def submit_batch(self, articles: list[dict], idempotency_key: str | None = None) -> Batch:
        key = idempotency_key or str(uuid.uuid4())
        data = self._request("POST", "/v1/batches", {"articles": articles}, {"Idempotency-Key": key})
        return Batch(data["batch_id"], data["job_ids"])

    def batch(self, batch_id: str) -> dict:
        return self._request("GET", f"/v1/batches/{batch_id}")

    def jobs(self, status: str | None = None, limit: int = 20) -> list[dict]:
        """The newest `limit` jobs (with `status`), across pages: a filtered page can be short."""
        jobs: list[dict] = []
        cursor = None
        while True:
            params = {"limit": limit - len(jobs), "status": status, "cursor": cursor}
            query = urllib.parse.urlencode({name: value for name, value in params.items() if value is not None})
            page = self._request("GET", f"/v1/jobs?{query}")
            jobs += page["jobs"]
            cursor = page.get("next_cursor")
            if cursor is None or len(jobs) >= limit:
                return jobs

    def delete(self, job_id: str) -> None:
        self._request("DELETE", f"/v1/jobs/{job_id}")

    # ---------------------------------------------------------------- HTTP

    def _request(self, method: str, path: str, body: dict | None = None,
                 headers: dict[str, str] | None = None, read_timeout: float = 30,
                 deadline: float | None = None) -> dict:
        """`deadline` (time.monotonic()) bounds the retries, so that `wait` keeps its timeout."""
        for attempt in range(self.max_retries + 1):
            try:
                return self._send(method, path, body, headers or {}, read_timeout)
            except ClientError as exc:
                delay = self._retry_after(exc, attempt)
                if delay is not None and deadline is not None:
                    # Never sleep past the deadline, and give up once it has passed.
                    left = deadline - time.monotonic()
                    delay = min(delay, left) if left > 0 else None
                if delay is None:
                    raise
                time.sleep(delay)
        raise AssertionError("unreachable")

    def _retry_after(self, exc: ClientError, attempt: int) -> float | None:
        retried = not exc.status or exc.status in RETRIED_STATUSES or exc.code in RETRIED_CODES
        if attempt >= self.max_retries or not retried:
            return None
        suggested = _seconds_until(exc.problem.get("retry_after"))
        return min(30.0, 0.5 * 2 ** attempt if suggested is None else suggested)

    def _send(self, method, path, body, headers, read_timeout) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json", "Accept": "application/json", **headers}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(self.base_url + path, data=data, method=method, headers=headers)
        try:
            with _opener.open(request, timeout=read_timeout) as response:
                raw = response.read()
                if not raw:
                    return {}
                # Every answer of the API is a JSON object; anything else (say a proxy's HTML page)
                # would fail later with a less telling exception.
                document = _json_object(raw)
                if document is None:
                    raise ClientError(response.status, {"code": "invalid_response",
                                                        "detail": "the answer is not a JSON object"})
                return document
        except urllib.error.HTTPError as exc:
            problem = _json_object(exc.read()) or {"title": exc.reason}
            problem["retry_after"] = exc.headers.get("Retry-After")
            raise ClientError(exc.code, problem) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            raise ClientError(0, {"code": "unreachable", "detail": str(getattr(exc, "reason", exc))}) from None


class _SameOriginAuth(urllib.request.HTTPRedirectHandler):
    """Follows redirects as urllib does, but sends the API key only to the origin it was meant
    for: urllib passes every header on, so a redirect to another host (or to plain HTTP) would
    hand it the key."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and _origin(new.full_url) != _origin(req.full_url):
            new.remove_header("Authorization")
        return new


def _origin(url: str) -> tuple:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme, parts.hostname, parts.port or {"http": 80, "https": 443}.get(parts.scheme)


_opener = urllib.request.build_opener(_SameOriginAuth)


def _json_object(raw: bytes) -> dict | None:
    """`raw` parsed, if it is a JSON object; None for anything else."""
    try:
        data = json.loads(raw)
    except ValueError:  # also not UTF-8
        return None
    return data if isinstance(data, dict) else None


def _seconds_until(retry_after: str | None) -> float | None:
    """A Retry-After header (delay-seconds or an HTTP-date) in seconds; None if absent or unreadable."""
    if not retry_after:
        return None
    try:
        return max(0.0, float(retry_after))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(retry_after)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # a "-0000" zone: UTC by RFC 5322
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
