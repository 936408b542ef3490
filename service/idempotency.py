"""`Idempotency-Key` on POST: a client that retries after a timeout gets the same job back.

The first request with a key claims it in Redis (SET NX) together with a fingerprint of the
validated article; a repeat with the same body within 24 h gets the original job (200), one
with a different body a 409. A claim whose job could not be queued is released, so the retry
that follows a 503 goes through. With a Redis broker a single article's claim is instead taken by
the very script that records and queues its job (`claim_with_job`), so it is never in progress.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from typing import Any, Callable

import redis

from newsdesk.job_store import Claim

from .errors import Problem

log = logging.getLogger(__name__)

TTL_SECONDS = 24 * 3600
# A claim still in progress (its request is creating the batch) lives this long only, so that a
# request that died midway does not hold its key for a day; complete() gives it the full TTL.
IN_PROGRESS_SECONDS = 120
MAX_KEY_LENGTH = 255

# Replace (ARGV[2], for ARGV[3] seconds) or delete (ARGV[2] '') the key KEYS[1] while it holds
# this request's own claim ARGV[1], or nothing at all (complete only); never another request's:
# one that took the key over after this request's hold ran out. KEYS[2] ('' for none) is the job
# created, which is told its key, so that deleting it takes the fingerprint of its article from
# the key's record (newsdesk.job_store._DELETE); a job deleted already leaves none there now.
# Returns 1 when it wrote.
_SETTLE = """
local current = redis.call('GET', KEYS[1])
if current == ARGV[1] or (current == false and ARGV[2] ~= '') then
  if ARGV[2] == '' then return redis.call('DEL', KEYS[1]) end
  local record = ARGV[2]
  if KEYS[2] ~= '' and redis.call('EXISTS', KEYS[2]) == 1 then
    redis.call('HSET', KEYS[2], 'idempotency_key', KEYS[1])
  elseif KEYS[2] ~= '' then
    record = cjson.encode({job_id = cjson.decode(record)['job_id']})
  end
  redis.call('SET', KEYS[1], record, 'EX', ARGV[3])
  return 1
end
return 0
"""


def fingerprint(article: Any) -> str:
    """SHA-256 of json.dumps(article, sort_keys=True); a Digest (a batch's, worked out as it was
    read: BatchDigest) is the fingerprint itself."""
    if isinstance(article, Digest):
        return article
    return hashlib.sha256(json.dumps(article, sort_keys=True).encode()).hexdigest()


class Digest(str):
    """A body's fingerprint worked out as it was read (a batch's, by BatchDigest), to stand for
    the body itself wherever one is fingerprinted."""


class BatchDigest:
    """The fingerprint of {"batch": articles}, fed an article at a time, to the digest of the whole:
    the whole of a 50 MB batch as one text, and that text encoded, were 100 MB more at once
    (bench/api_memory.py)."""

    def __init__(self):
        self._digest = hashlib.sha256(b'{"batch": [')
        self._count = 0

    def add(self, article: dict) -> None:
        # As json.dumps separates items (", ") with its default separators.
        self._digest.update(((", " if self._count else "") + json.dumps(article, sort_keys=True)).encode())
        self._count += 1

    def hexdigest(self) -> Digest:
        whole = self._digest.copy()
        whole.update(b"]}")
        return Digest(whole.hexdigest())


def _check(key: str) -> None:
    if not 0 < len(key) <= MAX_KEY_LENGTH:
        raise Problem(400, "invalid_idempotency_key", "Invalid Idempotency-Key",
                      f"The Idempotency-Key header must be 1 to {MAX_KEY_LENGTH} characters.")


class IdempotencyKeys:
    def __init__(self, client: redis.Redis):
        self.redis = client
        self._settle = client.register_script(_SETTLE)
        self._claimed: str | None = None  # the record of this request's claim, once taken

    @staticmethod
    def _key(owner: str, key: str) -> str:
        return f"newsdesk:idem:{owner}:{hashlib.sha256(key.encode()).hexdigest()}"

    def claim(self, owner: str, key: str, article: Any) -> str | None:
        """None when this request now owns the key; else the job id of the earlier request."""
        _check(key)
        # A token of its own: two requests with the same body must not take each other's claim.
        record = json.dumps({"fingerprint": fingerprint(article), "job_id": None,
                             "claim": secrets.token_urlsafe(12)})
        if self.redis.set(self._key(owner, key), record, nx=True, ex=IN_PROGRESS_SECONDS):
            self._claimed = record
            return None
        earlier = self.redis.get(self._key(owner, key))
        if earlier is None:  # expired between the two calls: claim again
            return self.claim(owner, key, article)
        return self.earlier_job(earlier, article)

    @classmethod
    def claim_with_job(cls, owner: str, key: str, article: Any, job_id: str) -> Claim:
        """The claim a job's create script takes together with the job (JobStore.create): no
        request ever sees it in progress, and a job that is not created leaves no claim."""
        _check(key)
        record = json.dumps({"fingerprint": fingerprint(article), "job_id": job_id})
        return Claim(cls._key(owner, key), record, TTL_SECONDS)

    @staticmethod
    def earlier_job(record: str | bytes, article: Any) -> str:
        """The job of the earlier request that claimed the key, if it had the same body; else 409."""
        earlier = json.loads(record)
        # A deleted job's record keeps no fingerprint (newsdesk.job_store._DELETE): whatever the
        # body, the answer is that the job is gone.
        if "fingerprint" in earlier and earlier["fingerprint"] != fingerprint(article):
            raise Problem(409, "idempotency_key_reused", "Idempotency-Key already used",
                          "This Idempotency-Key was used with a different request body.")
        if earlier["job_id"] is None:
            raise Problem(409, "idempotency_key_in_progress", "Request in progress",
                          "A request with this Idempotency-Key is still being processed; retry.",
                          headers={"Retry-After": "1"})
        return earlier["job_id"]

    def complete(self, owner: str, key: str, article: Any, job_id: str, job_key: str = "") -> None:
        """Point the key at what this request created: while it still holds its claim, or once
        that claim ran out (a slow request) and nobody took the key since. `job_key`: the job's
        record, to be told its key (a single article's; see _SETTLE)."""
        record = json.dumps({"fingerprint": fingerprint(article), "job_id": job_id})
        self._settle(keys=[self._key(owner, key), job_key], args=[self._claimed or "", record, TTL_SECONDS])

    def release(self, owner: str, key: str) -> None:
        """Free the key, unless another request took it over after this one's claim ran out."""
        self._settle(keys=[self._key(owner, key), ""], args=[self._claimed or "", "", 0])

    def run(self, owner: str, key: str | None, body: Any, create: Callable[[], tuple[str, Any]],
            replay: Callable[[str], Any], record: Callable[[str], str] | None = None):
        """Answer a create request once per key: `create()` gives (new id, response); a repeat
        gets `replay(id)`. Without a key every request creates. `record(id)`: the Redis key of
        what was created, to be told its idempotency key (see complete)."""
        if key is None:
            return create()[1]
        earlier = self.claim(owner, key, body)
        if earlier is not None:
            return replay(earlier)
        try:
            created_id, response = create()
        except Exception:
            self.release(owner, key)
            raise
        try:
            self.complete(owner, key, body, created_id, record(created_id) if record else "")
        except redis.RedisError as exc:
            # What was asked for is queued: say so. A retry meanwhile is told the key is in
            # progress until the claim expires (IN_PROGRESS_SECONDS).
            log.warning("idempotency key not completed: %s", exc)
        return response
