"""A task's message is let go of by the worker even when the broker cannot be told.

With Redis as the broker, kombu keeps each message a worker takes in its own list of unacknowledged
ones until the acknowledgement (or rejection) reaches Redis. One that cannot reach it (the network
to Redis down as the task ends) raises, Celery logs "Couldn't ack/reject", and the message stays
in that list for good. Taking one message at a time (prefetch 1), the worker then never asks for
another: it sat idle after the network healed, until restarted. Here the worker forgets the message
all the same. Redis still holds it as unacknowledged and hands it out again after the visibility
timeout, when its job is found finished (or handed on by its lease) and the message is dropped.
"""

from __future__ import annotations

from celery import Task as CeleryTask
from celery.worker.request import Request as CeleryRequest
from kombu.transport import virtual


class Request(CeleryRequest):
    def acknowledge(self):
        super().acknowledge()
        self._let_go()

    def reject(self, requeue=False):
        super().reject(requeue)
        self._let_go()

    def _let_go(self) -> None:
        message = self._message
        qos = getattr(message.channel, "qos", None)
        # Only kombu's own bookkeeping (the Redis transport's): RabbitMQ keeps it on the server,
        # where a failed acknowledgement means a closed connection, and the consumer reconnects.
        if not message.acknowledged and isinstance(qos, virtual.QoS):
            virtual.QoS.ack(qos, message.delivery_tag)


class Task(CeleryTask):
    Request = Request
