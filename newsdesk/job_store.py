"""The job record: the single source of truth about a job, shared by the API and the workers.

Celery reports any unknown task id as PENDING, so job state lives in its own Redis hash
(`newsdesk:job:<id>`) with explicit status transitions, done atomically in Lua so that a
redelivered task can never move a finished job back to `running`.

Each job belongs to the API key that created it (its `owner`). Per owner there is a sorted set of
its jobs (newest last, for listing) and a set of its queued jobs (for the per-key queue cap).
"""

from __future__ import annotations

import json
import secrets
import time
from datetime import datetime, timedelta, timezone

import redis

from . import metrics
from .api_keys import ANONYMOUS

QUEUED, RUNNING, SUCCEEDED, FAILED = "queued", "running", "succeeded", "failed"
STATUSES = (QUEUED, RUNNING, SUCCEEDED, FAILED)
TERMINAL = frozenset({SUCCEEDED, FAILED})
KEY_PREFIX = "newsdesk:job:"
OWNER_PREFIX = "newsdesk:owner:"
# Running jobs by the time their lease runs out (seconds since the epoch). A worker renews the
# lease while it works; a lease that runs out means the worker died, and a sweeper requeues.
LEASES = "newsdesk:leases"
# Queued jobs by when they were (last) queued. A queue message can be lost in a narrow window
# (a worker killed just as Redis hands it a message); a sweeper requeues jobs that stay queued
# far longer than a queue should hold them (see worker/lease.py).
QUEUED_INDEX = "newsdesk:queued"

# KEYS: job hash, owner's queued set, owner's job index, metrics counters, queued index. ARGV: cap, job id,
# index score, ttl, job key prefix, counter field, then the record's field/value pairs.
# Returns 0 when the owner's queue is full. Counting here saves the API a round trip per job.
_CREATE = """
if redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[1]) then
  -- Drop ids whose record expired or was deleted before counting them against the cap.
  for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do
    if redis.call('EXISTS', ARGV[5] .. id) == 0 then redis.call('SREM', KEYS[2], id) end
  end
  if redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[1]) then return 0 end
end
redis.call('HSET', KEYS[1], unpack(ARGV, 7))
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('HINCRBY', KEYS[4], ARGV[6], 1)
redis.call('ZADD', KEYS[5], ARGV[3] / 1000000, ARGV[2])
redis.call('SADD', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[2])
-- An idle owner's sets go away once every job in them must have expired.
redis.call('EXPIRE', KEYS[2], 2 * tonumber(ARGV[4]))
redis.call('EXPIRE', KEYS[3], 2 * tonumber(ARGV[4]))
return 1
"""

# KEYS[1] job key, KEYS[2] the queued index; ARGV[1] comma-separated allowed current states; ARGV[2] new state;
# ARGV[3] ttl seconds (0 keeps the current one); ARGV[4] the owner key prefix; ARGV[5] the job
# key prefix; ARGV[6..] field/value pairs to set. Returns the state the job was in (false when it does not
# exist); the caller compares it. Leaving `queued` frees a place in the owner's queue cap (the
# owner's key is derived here because only the record knows its owner).
_TRANSITION = """
local current = redis.call('HGET', KEYS[1], 'status')
if not current then return false end
for allowed in string.gmatch(ARGV[1], '[^,]+') do
  if allowed == current then
    redis.call('HSET', KEYS[1], 'status', ARGV[2], unpack(ARGV, 6))
    if tonumber(ARGV[3]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
    local owner = redis.call('HGET', KEYS[1], 'owner')
    if current == 'queued' then
      local id = string.sub(KEYS[1], #ARGV[5] + 1)
      redis.call('ZREM', KEYS[2], id)
      if owner then redis.call('SREM', ARGV[4] .. owner .. ':queued', id) end
    end
    return current
  end
end
return current
"""


# Take the stale leases (up to ARGV[2]) and extend each to ARGV[3], so that of several sweepers
# exactly one requeues a given job. KEYS[1] the lease set; ARGV[1] now.
_CLAIM_STALE = """
local stale = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(stale) do redis.call('ZADD', KEYS[1], ARGV[3], id) end
return stale
"""


def done_channel(job_id: str) -> str:
    """Pub/sub channel on which a job's end is announced (for long polling)."""
    return f"newsdesk:done:{job_id}"


class QueueFull(Exception):
    """The owner already has as many queued jobs as allowed."""


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def isoformat(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


_CLIENT_FIELDS = ("status", "owner", "batch_id", "created_at", "started_at", "finished_at",
                  "expires_at", "echo", "error", "result", "webhook", "attempts")
_ECHOED = ("title", "url", "published_at", "language", "callback_url")


def echo(article: dict) -> dict:
    """The parts of an article that are shown back with its job (never the text itself)."""
    return {name: article.get(name) for name in _ECHOED} | {
        "chars": len(article.get("text", "")), "metadata": article.get("metadata") or {}}


def job_age(job: dict) -> float:
    """Seconds since the job was submitted."""
    created = datetime.fromisoformat(job["created_at"].replace("Z", "+00:00"))
    return (utcnow() - created).total_seconds()


def new_job_id() -> str:
    # 128 random bits, URL-safe: ids cannot be guessed or enumerated.
    return secrets.token_urlsafe(16)


class JobStore:
    def __init__(self, client: redis.Redis, ttl_seconds: int, max_queued_per_owner: int = 1000):
        self.redis = client
        self.ttl_seconds = ttl_seconds
        self.max_queued_per_owner = max_queued_per_owner
        self._create = client.register_script(_CREATE)
        self._transition = client.register_script(_TRANSITION)
        self._claim_stale = client.register_script(_CLAIM_STALE)

    @staticmethod
    def key(job_id: str) -> str:
        return KEY_PREFIX + job_id

    @staticmethod
    def owner_key(owner: str, kind: str) -> str:
        return f"{OWNER_PREFIX}{owner}:{kind}"

    def create(self, article: dict, owner: str = ANONYMOUS, batch_id: str | None = None) -> str:
        job_id = new_job_id()
        now = utcnow()
        record = {
            "status": QUEUED,
            "owner": owner,
            **({"batch_id": batch_id} if batch_id else {}),
            "created_at": isoformat(now),
            "expires_at": isoformat(now + timedelta(seconds=self.ttl_seconds)),
            "article": json.dumps(article),
            # What clients see of the article, kept apart so that reading a job for a client
            # never loads (or parses) a text of up to a megabyte.
            "echo": json.dumps(echo(article)),
            "attempts": 0,
        }
        fields = [item for pair in record.items() for item in pair]
        counter = metrics.series("newsdesk_jobs_submitted_total", language=article.get("language", "auto"))
        created = self._create(
            keys=[self.key(job_id), self.owner_key(owner, "queued"), self.owner_key(owner, "jobs"),
                  metrics.COUNTERS, QUEUED_INDEX],
            # Microseconds: a unique, time-ordered score that doubles as the listing cursor.
            args=[self.max_queued_per_owner, job_id, time.time_ns() // 1000, self.ttl_seconds,
                  KEY_PREFIX, counter, *fields],
        )
        if not created:
            raise QueueFull(owner)
        return job_id

    def delete(self, job_id: str) -> None:
        owner = self.redis.hget(self.key(job_id), "owner")
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(self.key(job_id))
            pipe.zrem(LEASES, job_id)
            pipe.zrem(QUEUED_INDEX, job_id)
            if owner:
                pipe.srem(self.owner_key(owner.decode(), "queued"), job_id)
                pipe.zrem(self.owner_key(owner.decode(), "jobs"), job_id)
            pipe.execute()

    def get(self, job_id: str, with_article: bool = True) -> dict | None:
        """The job as a plain dict with JSON fields decoded, or None when there is no such job.

        Without `with_article` the submitted text is neither read nor decoded (`article` is None).
        """
        if with_article:
            raw = self.redis.hgetall(self.key(job_id))
        else:
            values = self.redis.hmget(self.key(job_id), _CLIENT_FIELDS)
            raw = {name: value for name, value in zip(_CLIENT_FIELDS, values) if value is not None}
        return self._decode(job_id, raw)

    @staticmethod
    def _decode(job_id: str, raw: dict) -> dict | None:
        if not raw:
            return None
        job = {(k.decode() if isinstance(k, bytes) else k): v.decode() for k, v in raw.items()}
        for name in ("article", "echo", "result", "error", "webhook"):
            job[name] = json.loads(job[name]) if job.get(name) else None
        job["attempts"] = int(job.get("attempts", 0))
        job.setdefault("owner", ANONYMOUS)
        job["job_id"] = job_id
        return job

    def statuses(self, job_ids: list[str]) -> list[str | None]:
        """The status of each job in one round trip (None for a job that is gone)."""
        with self.redis.pipeline(transaction=False) as pipe:
            for job_id in job_ids:
                pipe.hget(self.key(job_id), "status")
            return [raw.decode() if raw else None for raw in pipe.execute()]

    def get_owner(self, job_id: str) -> str | None:
        owner = self.redis.hget(self.key(job_id), "owner")
        return owner.decode() if owner else None

    def list(self, owner: str, limit: int, before: int | None = None,
             status: str | None = None) -> tuple[list[dict], int | None]:
        """The owner's jobs, newest first, and the cursor for the next page (None at the end)."""
        index = self.owner_key(owner, "jobs")
        jobs: list[dict] = []
        upper = f"({before}" if before is not None else "+inf"
        while len(jobs) < limit:
            page = self.redis.zrevrangebyscore(index, upper, "-inf", start=0, num=limit * 2,
                                               withscores=True)
            if not page:
                return jobs, None
            for raw_id, score in page:
                upper = f"({int(score)}"
                job = self.get(raw_id.decode(), with_article=False)
                if job is None:  # expired or deleted: forget it in the index too
                    self.redis.zrem(index, raw_id)
                elif status is None or job["status"] == status:
                    jobs.append(job)
                    if len(jobs) == limit:
                        return jobs, int(score)
        return jobs, None

    def set_webhook(self, job_id: str, state: dict) -> None:
        """Record the webhook delivery state on the job (only while the job exists)."""
        if self.redis.exists(self.key(job_id)):  # never re-create a deleted job's hash
            self.redis.hset(self.key(job_id), "webhook", json.dumps(state))

    def start(self, job_id: str, lease_seconds: float = 60, max_attempts: int = 3) -> dict | None:
        """Mark the job running and return it, or None when it is gone or already finished.

        Running -> running is allowed: that is a redelivery after a worker died mid-task. A job
        that has been started `max_attempts` times already keeps killing its workers: it fails
        with `worker_lost` instead of looping forever.
        """
        previous = self._run_transition(job_id, (QUEUED, RUNNING), RUNNING, 0,
                                        started_at=isoformat(utcnow()))
        if previous is None or previous in TERMINAL:
            return None
        with self.redis.pipeline(transaction=False) as pipe:  # one round trip for the rest
            pipe.hincrby(self.key(job_id), "attempts", 1)
            pipe.zadd(LEASES, {job_id: time.time() + lease_seconds})
            pipe.hgetall(self.key(job_id))
            attempts, _, raw = pipe.execute()
        if attempts > max_attempts:
            self.fail(job_id, "worker_lost",
                      f"The worker processing this job died {max_attempts} times; giving up.")
            return None
        return self._decode(job_id, raw)

    def renew(self, job_id: str, lease_seconds: float) -> None:
        self.redis.zadd(LEASES, {job_id: time.time() + lease_seconds})

    def claim_stale(self, lease_seconds: float, limit: int = 100) -> list[str]:
        """Running jobs whose lease ran out, each claimed for another `lease_seconds`."""
        now = time.time()
        ids = self._claim_stale(keys=[LEASES], args=[now, limit, now + lease_seconds])
        return [raw.decode() for raw in ids]

    def claim_stale_queued(self, older_than: float, limit: int = 100) -> list[str]:
        """Jobs queued more than `older_than` seconds ago, each stamped as queued now."""
        now = time.time()
        ids = self._claim_stale(keys=[QUEUED_INDEX], args=[now - older_than, limit, now])
        return [raw.decode() for raw in ids]

    def forget_queued(self, job_id: str) -> None:
        self.redis.zrem(QUEUED_INDEX, job_id)

    def forget_lease(self, job_id: str) -> None:
        self.redis.zrem(LEASES, job_id)

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
        with self.redis.pipeline(transaction=False) as pipe:  # one round trip
            self._run_transition(job_id, (QUEUED, RUNNING), status, self.ttl_seconds, client=pipe, **fields)
            pipe.zrem(LEASES, job_id)
            # Waiters re-read the job when woken, so a wake-up for a job that had already
            # finished (a redelivery) is harmless.
            pipe.publish(done_channel(job_id), status)
            previous = pipe.execute()[0]
        return (previous.decode() if previous else None) in (QUEUED, RUNNING)

    def wait_finished(self, job_id: str, seconds: float) -> dict | None:
        """The job once it is finished, or as it is after `seconds`; None if there is none.

        Subscribes before reading the job, so a finish between the read and the wait is not
        missed; then blocks on the subscription, not in a polling loop.
        """
        pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        try:
            pubsub.subscribe(done_channel(job_id))
            job = self.get(job_id, with_article=False)
            deadline = time.monotonic() + seconds
            while job is not None and job["status"] not in TERMINAL:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return self.get(job_id, with_article=False)  # the current state
                if pubsub.get_message(timeout=remaining):
                    job = self.get(job_id, with_article=False)
            return job
        finally:
            pubsub.close()

    def _run_transition(self, job_id: str, allowed: tuple[str, ...], status: str, ttl: int,
                        client=None, **fields: str) -> str | None:
        """Run the transition script; with `client` (a pipeline) it is only queued there."""
        args = [",".join(allowed), status, ttl, OWNER_PREFIX, KEY_PREFIX]
        for name, value in fields.items():
            args += [name, value]
        previous = self._transition(keys=[self.key(job_id), QUEUED_INDEX], args=args, client=client or self.redis)
        return previous.decode() if previous and client is None else None
