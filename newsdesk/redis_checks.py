"""What Newsdesk needs of the Redis it is given, and how it tells when the server falls short."""

from __future__ import annotations

import redis

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
