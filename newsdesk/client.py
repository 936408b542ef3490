"""A small HTTP client for the Newsdesk API (standard library only)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

TERMINAL = {"succeeded", "failed"}


class ClientError(Exception):
    def __init__(self, status: int, problem: dict):
        self.status, self.problem = status, problem
        super().__init__(f"{status} {problem.get('code', '')}: {problem.get('detail') or problem.get('title')}")


class Client:
    def __init__(self, base_url: str = "http://127.0.0.1:8000", timeout: float = 120.0):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def _request(self, method: str, path: str, body: dict | None = None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base_url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            try:
                problem = json.loads(exc.read())
            except ValueError:
                problem = {"title": exc.reason}
            raise ClientError(exc.code, problem) from None
        except urllib.error.URLError as exc:
            raise ClientError(0, {"code": "unreachable", "detail": str(exc.reason)}) from None

    def submit(self, article: dict) -> dict:
        return self._request("POST", "/v1/articles", article)

    def job(self, job_id: str) -> dict:
        return self._request("GET", f"/v1/jobs/{job_id}")

    def wait(self, job_id: str) -> dict:
        """Poll until the job ends, backing off from 50 ms to 1 s between polls."""
        deadline = time.monotonic() + self.timeout
        delay = 0.05
        while True:
            job = self.job(job_id)
            if job["status"] in TERMINAL:
                return job
            if time.monotonic() > deadline:
                raise ClientError(0, {"code": "wait_timeout",
                                      "detail": f"job {job_id} still {job['status']} after {self.timeout}s"})
            time.sleep(delay)
            delay = min(1.0, delay * 1.5)
