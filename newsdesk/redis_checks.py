"""What Newsdesk needs of the Redis it is given, and how it tells when the server falls short."""

from __future__ import annotations

import logging

import redis

log = logging.getLogger(__name__)

# How Redis words its refusal of a write when maxmemory is reached and it may evict nothing. A
# script's refusal arrives as a plain ResponseError before Redis 7, with this in its message.
OUT_OF_MEMORY = "command not allowed when used memory"


def is_out_of_memory(exc: BaseException | None) -> bool:
    """Whether `exc` (or the error it was raised from) is Redis refusing a write for want of memory."""
    while exc is not None:
        if isinstance(exc, redis.ResponseError) and OUT_OF_MEMORY in str(exc):
            return True
        exc = exc.__cause__
    return False


def eviction_warning(client: redis.Redis) -> str | None:
    """What is wrong with the server's maxmemory-policy, if anything. Any policy but noeviction
    lets Redis delete keys to make room: with allkeys-* any key (queued jobs and their messages
    too), with volatile-* those with an expiry (finished jobs and their results, idempotency keys,
    batch records, worker heartbeats), silently either way. None also when the server will not
    say: a managed Redis may disable or rename INFO, and an ACL user may be denied it."""
    try:
        policy = client.info("memory").get("maxmemory_policy")
    except redis.ResponseError as exc:
        log.debug("cannot read the Redis maxmemory-policy: %s", exc)
        return None
    if policy in (None, "noeviction"):
        return None
    return (f"Redis may evict keys when it is full (maxmemory-policy {policy}): accepted jobs, their "
            f"results and idempotency keys can vanish without a trace. Set maxmemory-policy noeviction.")


def check_at_start(client: redis.Redis, logger: logging.Logger) -> None:
    """Say at start-up what is wrong with the Redis a process was given: it cannot be reached or
    refuses the credentials (the process starts all the same, and keeps trying), or it evicts."""
    try:
        warning = eviction_warning(client)
    except redis.RedisError as exc:
        logger.error("Redis cannot be used: %s", exc)
        return
    if warning:
        logger.warning(warning)
