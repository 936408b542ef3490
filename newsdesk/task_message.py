"""A Celery task message exactly as kombu's Redis transport keeps it in a queue, built without Celery.

With a Redis broker the API records a job and queues its task in one Lua script (JobStore.create):
one round trip, and never a job without its message or a message without its job. The script
needs the queue item itself, which is what kombu would LPUSH onto the queue's list: a JSON
envelope (`properties` with delivery info and tag, the body in base64) around a message of
Celery's task protocol 2 (`headers` naming the task, and the body `[args, kwargs, embed]`).

Only what Newsdesk sends is covered: a task by name with short positional args, priority 0, no
eta, expiry, callbacks or chain, to a queue bound as Celery binds `Queue(name)` (exchange and
routing key are the queue's name; kombu publishes to the default exchange with the queue as the
routing key, as here). tests/unit/test_task_message.py compares the result with what Celery
produces for the same task, byte for byte; tests/integration/test_submit_script.py has a real
worker run one. Celery's own `send_task` stays the way for every other broker.
"""

from __future__ import annotations

import base64
import functools
import json
import os
import socket
import uuid
from json.encoder import encode_basestring_ascii

# Broker URLs served by kombu's Redis transport (sentinel:// finds its master through sentinels,
# so it is not the server the job store talks to).
_REDIS_BROKER_SCHEMES = ("redis://", "rediss://", "redis+socket://")
# The third element of a protocol 2 body: no callbacks, errbacks, chain or chord.
_EMBED = {"callbacks": None, "errbacks": None, "chain": None, "chord": None}
# Marks the places of a message's own values in a cached envelope (see _envelope_parts): a
# control character, which the names around it never hold (a check makes sure).
_SLOT = "\x1f"


def is_redis_broker(url: str) -> bool:
    return url.startswith(_REDIS_BROKER_SCHEMES)


def origin() -> str:
    """The sender as Celery names a process that is not a worker (`anon_nodename`): gen<pid>@<host>."""
    return f"gen{os.getpid()}@{socket.gethostname()}"


def task_envelope(task: str, args: list, queue: str, *, task_id: str | None = None,
                  reply_to: str = "", sender: str | None = None, delivery_tag: str | None = None) -> str:
    """The list item kombu's Redis transport LPUSHes onto `queue` for
    `celery.send_task(task, args=args, queue=queue)`; its keys in Celery's and kombu's order, so
    that with the same ids it is the same bytes."""
    return task_envelopes(task, args, [queue], task_id=task_id, reply_to=reply_to, sender=sender,
                          delivery_tag=delivery_tag)[0]


def task_envelopes(task: str, args: list, queues: list[str], *, task_id: str | None = None, reply_to: str = "",
                   sender: str | None = None, delivery_tag: str | None = None) -> list[str]:
    """task_envelope for each of `queues`, the one message (its ids too) as it would be sent to
    each: the job store's script pushes one of them. The values are encoded once for all."""
    task_id = task_id or str(uuid.uuid4())
    body = json.dumps([args, {}, _EMBED])
    values = {
        "task_id": task_id,
        # Celery's saferepr only differs from repr beyond 1,024 characters; our args are a job id.
        "argsrepr": repr(args),
        "body": base64.b64encode(body.encode()).decode("ascii"),
        "delivery_tag": delivery_tag or str(uuid.uuid4()),
    }
    # Each value as the JSON string it is in the envelope (what json.dumps gives a str), unquoted.
    encoded = {name: encode_basestring_ascii(value)[1:-1] for name, value in values.items()}
    sender = sender or origin()
    return ["".join(part if i % 2 == 0 else encoded[part]
                    for i, part in enumerate(_envelope_parts(task, queue, reply_to, sender)))
            for queue in queues]


@functools.lru_cache(maxsize=256)
def _envelope_parts(task: str, queue: str, reply_to: str, sender: str) -> list[str]:
    """The envelope of a message for this task, queue, reply-to and sender, encoded once and cut
    where a message's own values go: its text alternating with their names. Encoding the whole
    envelope per message took 60 % of the time it takes to build one.
    tests/unit/test_task_message.py checks that the result is the same as encoding it whole."""
    slot = {name: f"{_SLOT}{name}{_SLOT}" for name in ("task_id", "argsrepr", "body", "delivery_tag")}
    headers = {
        "lang": "py", "task": task, "id": slot["task_id"], "shadow": None, "eta": None, "expires": None,
        "group": None, "group_index": None, "retries": 0, "timelimit": [None, None],
        "root_id": slot["task_id"], "parent_id": None, "argsrepr": slot["argsrepr"], "kwargsrepr": "{}",
        "origin": sender, "ignore_result": None, "replaced_task_nesting": 0,
        "stamped_headers": None, "stamps": {},
    }
    properties = {
        "correlation_id": slot["task_id"], "reply_to": reply_to, "delivery_mode": 2,
        "delivery_info": {"exchange": "", "routing_key": queue}, "priority": 0,
        "body_encoding": "base64", "delivery_tag": slot["delivery_tag"],
    }
    text = json.dumps({"body": slot["body"], "content-encoding": "utf-8", "content-type": "application/json",
                       "headers": headers, "properties": properties})
    parts = text.split(json.dumps(_SLOT)[1:-1])
    if len(parts) != 13:  # six slots; a name or queue holding the marker would cut the text elsewhere
        raise ValueError(f"cannot build a task message for {task!r} on {queue!r}")
    return parts
