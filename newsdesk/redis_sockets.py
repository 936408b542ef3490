"""Connections to Redis over TCP that are aborted, not closed, when given up.

redis-py gives up a connection whose reply does not come in time (NEWSDESK_REDIS_TIMEOUT) by
closing it. Closed gracefully, the socket lives on in the kernel until what it still held has
been acknowledged: where the network drops packets silently, the kernel keeps sending the command
and, once the network heals (up to a minute or two later), Redis runs it. A submit answered
`503 queue_unavailable` ("nothing was queued") then queued its job all the same, and a worker's
result that "could not be stored" ended a job another worker had taken over. Aborted (SO_LINGER
0: a reset, the unsent data discarded), a command given up is never run later.
"""

from __future__ import annotations

import socket
import struct

import redis

_ABORT = struct.pack("ii", 1, 0)  # struct linger {l_onoff = 1, l_linger = 0}


class _Aborting:
    def disconnect(self, *args, **kwargs):
        sock = self._sock
        if sock is not None:
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _ABORT)
            except OSError:  # already closed by the peer: nothing left to send
                pass
        super().disconnect(*args, **kwargs)


class AbortingConnection(_Aborting, redis.Connection):
    pass


class AbortingSSLConnection(_Aborting, redis.SSLConnection):
    pass


# A unix socket holds nothing once its peer is gone: its class is kept.
_ABORTING = {redis.Connection: AbortingConnection, redis.SSLConnection: AbortingSSLConnection}


def abort_when_given_up(client: redis.Redis) -> redis.Redis:
    """`client`, whose TCP connections are aborted when they are given up (see the module)."""
    pool = client.connection_pool
    pool.connection_class = _ABORTING.get(pool.connection_class, pool.connection_class)
    return client
