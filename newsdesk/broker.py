"""Questions put to the broker itself, whichever it is: the job store's Redis, another Redis or
RabbitMQ. Both the API (queue depths) and the workers (is a job's message still waiting?) ask
them, each through its own Celery app."""

from __future__ import annotations

from celery import Celery


def queue_depths(app: Celery, queues: list[str]) -> dict[str, int]:
    """How many messages wait in each queue (not counting those a worker holds unacknowledged),
    asked over one connection; a broker that cannot be reached raises at the first."""
    with app.connection_for_read() as connection:
        return {queue: _waiting(connection, queue) for queue in queues}


def messages_waiting(app: Celery, queue: str) -> int:
    return queue_depths(app, [queue])[queue]


def _waiting(connection, queue: str) -> int:
    # A channel per question: RabbitMQ closes the channel that asks for a queue it does not have.
    with connection.channel() as channel:
        try:
            return channel.queue_declare(queue=queue, passive=True).message_count
        except connection.channel_errors:  # no such queue (Redis: it has never held a message)
            return 0
