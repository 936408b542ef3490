"""Batches: a record that ties up to 1,000 jobs of one owner together (`newsdesk:batch:<id>`).

The jobs themselves are ordinary jobs (each can be fetched, waited on and deleted on its own);
the batch record only remembers which they are, in submission order.
"""

from __future__ import annotations

import json
from datetime import timedelta

import redis

from .job_store import BATCH_PREFIX as KEY_PREFIX
from .job_store import isoformat, new_job_id, utcnow


class BatchStore:
    def __init__(self, client: redis.Redis, ttl_seconds: int):
        self.redis = client
        # Jobs expire `ttl` after they finish; each job that finishes keeps its batch for twice that
        # from then (JobStore._finish), so the batch outlives its jobs.
        self.ttl_seconds = 2 * ttl_seconds

    @staticmethod
    def key(batch_id: str) -> str:
        return KEY_PREFIX + batch_id

    @staticmethod
    def new_id() -> str:
        return new_job_id()

    def save(self, batch_id: str, owner: str, job_ids: list[str]) -> None:
        now = utcnow()
        record = {"owner": owner, "created_at": isoformat(now), "job_ids": json.dumps(job_ids),
                  "expires_at": isoformat(now + timedelta(seconds=self.ttl_seconds))}
        with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(self.key(batch_id), mapping=record)
            pipe.expire(self.key(batch_id), self.ttl_seconds)
            pipe.execute()

    def get(self, batch_id: str) -> dict | None:
        raw = self.redis.hgetall(self.key(batch_id))
        if not raw:
            return None
        batch = {k.decode(): v.decode() for k, v in raw.items()}
        batch["job_ids"] = json.loads(batch["job_ids"])
        batch["batch_id"] = batch_id
        return batch

    def delete(self, batch_id: str) -> None:
        self.redis.delete(self.key(batch_id))
