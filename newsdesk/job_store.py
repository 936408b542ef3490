"""The job record: the single source of truth about a job, shared by the API and the workers.

Celery reports any unknown task id as PENDING, so job state lives in its own Redis hash
(`newsdesk:job:<id>`) with explicit status transitions, done atomically in Lua so that a
redelivered task can never move a finished job back to `running`.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta, timezone

import redis

QUEUED, RUNNING, SUCCEEDED, FAILED = "queued", "running", "succeeded", "failed"
TERMINAL = frozenset({SUCCEEDED, FAILED})
KEY_PREFIX = "newsdesk:job:"

# KEYS[1] job key; ARGV[1] comma-separated allowed current states; ARGV[2] new state;
# ARGV[3] ttl seconds (0 keeps the current one); ARGV[4..] field/value pairs to set.
# Returns the state the job was in (or false when it does not exist); the caller compares it.
_TRANSITION = """
local current = redis.call('HGET', KEYS[1], 'status')
if not current then return false end
for allowed in string.gmatch(ARGV[1], '[^,]+') do
  if allowed == current then
    redis.call('HSET', KEYS[1], 'status', ARGV[2], unpack(ARGV, 4))
    if tonumber(ARGV[3]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
    return current
  end
end
return current
"""


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def isoformat(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_job_id() -> str:
    # 128 random bits, URL-safe: ids cannot be guessed or enumerated.
    return secrets.token_urlsafe(16)


class JobStore:
    def __init__(self, client: redis.Redis, ttl_seconds: int):
        self.redis = client
        self.ttl_seconds = ttl_seconds
        self._transition = client.register_script(_TRANSITION)

    @staticmethod
    def key(job_id: str) -> str:
        return KEY_PREFIX + job_id

    def create(self, article: dict) -> str:
        job_id = new_job_id()
        now = utcnow()
        record = {
            "status": QUEUED,
            "created_at": isoformat(now),
            "expires_at": isoformat(now + timedelta(seconds=self.ttl_seconds)),
            "article": json.dumps(article),
            "attempts": 0,
        }
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(self.key(job_id), mapping=record)
            pipe.expire(self.key(job_id), self.ttl_seconds)
            pipe.execute()
        return job_id

    def delete(self, job_id: str) -> None:
        self.redis.delete(self.key(job_id))

    def get(self, job_id: str) -> dict | None:
        """The job as a plain dict with JSON fields decoded, or None when there is no such job."""
        raw = self.redis.hgetall(self.key(job_id))
        if not raw:
            return None
        job = {k.decode(): v.decode() for k, v in raw.items()}
        for name in ("article", "result", "error"):
            job[name] = json.loads(job[name]) if job.get(name) else None
        job["attempts"] = int(job.get("attempts", 0))
        job["job_id"] = job_id
        return job

    def start(self, job_id: str) -> dict | None:
        """Mark the job running and return it, or None when it is gone or already finished.

        Running -> running is allowed: that is a redelivery after a worker died mid-task.
        """
        previous = self._run_transition(job_id, (QUEUED, RUNNING), RUNNING, 0,
                                        started_at=isoformat(utcnow()))
        if previous is None or previous in TERMINAL:
            return None
        self.redis.hincrby(self.key(job_id), "attempts", 1)
        return self.get(job_id)

    def succeed(self, job_id: str, result: dict) -> bool:
        return self._finish(job_id, SUCCEEDED, result=json.dumps(result))

    def fail(self, job_id: str, code: str, message: str) -> bool:
        return self._finish(job_id, FAILED, error=json.dumps({"code": code, "message": message}))

    def _finish(self, job_id: str, status: str, **fields: str) -> bool:
        now = utcnow()
        fields.update(
            finished_at=isoformat(now),
            expires_at=isoformat(now + timedelta(seconds=self.ttl_seconds)),
        )
        previous = self._run_transition(job_id, (QUEUED, RUNNING), status, self.ttl_seconds, **fields)
        return previous in (QUEUED, RUNNING)

    def _run_transition(self, job_id: str, allowed: tuple[str, ...], status: str, ttl: int,
                        **fields: str) -> str | None:
        args = [",".join(allowed), status, ttl]
        for name, value in fields.items():
            args += [name, value]
        previous = self._transition(keys=[self.key(job_id)], args=args)
        return previous.decode() if previous else None
