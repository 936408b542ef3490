"""The broker, whichever it is (the job store's Redis, another Redis or RabbitMQ): how the API's
and the workers' Celery apps talk to it, and the questions both put to it (queue depths, is a
job's message still waiting?)."""

from __future__ import annotations

from celery import Celery

from .settings import Settings
from .task_message import is_redis_broker


def transport_options(settings: Settings, socket_timeout: float) -> dict:
    """Celery's broker_transport_options for the settings' broker; `socket_timeout` bounds a
    Redis command (a worker waits for messages longer than the API waits for an answer)."""
    if is_redis_broker(settings.broker_url):
        return {"visibility_timeout": settings.visibility_timeout, "socket_timeout": socket_timeout,
                "socket_connect_timeout": settings.redis_timeout}
    # AMQP: RabbitMQ confirms each message once it holds it (a persistent message in a durable
    # queue: on disk). Unconfirmed, a publish is only bytes handed to a socket, and a 202 could
    # name a job whose message never arrived.
    return {"confirm_publish": True}


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
