"""The Celery app the workers run: `celery -A worker.celery_app worker` (or `newsdesk worker`)."""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import datetime, timezone

import celery.apps.worker
from celery import Celery
from celery.signals import celeryd_after_setup, celeryd_init, setup_logging
from kombu import Queue

from newsdesk import log
from newsdesk.broker import transport_options
from newsdesk.redis_checks import check_at_start
from newsdesk.settings import Settings
from newsdesk.task_names import batch_queue, bulk_queue


def make_celery(settings: Settings) -> Celery:
    # worker.acks.Task: a task's message is let go of even when its acknowledgement cannot reach
    # the broker, or the worker would take no other.
    app = Celery("newsdesk", broker=settings.broker_url, task_cls="worker.acks:Task",
                 include=["worker.tasks", "worker.time_limits", "worker.memory"])
    app.conf.update(
        # JSON only: a pickle payload from the broker would be code execution.
        task_serializer="json",
        accept_content=["json"],
        # The job record in Redis is the result store; Celery's backend would only duplicate it.
        task_ignore_result=True,
        task_default_queue=settings.queue,
        # A worker started without -Q consumes all three; with prefetch 1 it takes from each in
        # turn, so single articles are not stuck behind a 1,000-article batch, nor one key's
        # article behind another key's backlog (the bulk queue: see JobStore.create). Dedicated
        # batch workers: `-Q <queue>.batch`; a worker of the main queue takes the bulk one too
        # (_bulk_with_main).
        task_queues=[Queue(name) for name in
                     (settings.queue, bulk_queue(settings.queue), batch_queue(settings.queue))],
        # Ack after the task ran, so a crash mid-task means redelivery rather than a lost job:
        # a prefork pool process that dies gives its message back; a solo worker that dies
        # leaves it unacknowledged. Either way the job's lease hands the job on (worker/lease.py):
        # a message given back while the lease is live is dropped (JobStore.start).
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_soft_time_limit=settings.task_soft_time_limit,
        task_time_limit=settings.task_time_limit,
        # Solo by default: the task runs in the worker's own process, with no pipe to a pool
        # process and back (bench/end_to_end.py: about 1 ms less CPU per article on average,
        # within noise; one process of ~215 MB instead of two of ~240 MB together).
        # worker.time_limits enforces the time limits there.
        worker_pool=settings.worker_pool,
        # A prefork pool process loads the models before it reports up (worker.tasks.load_models):
        # 1.5-4 s on a slow two-core machine, where Celery's default of 4 s killed each new
        # pool process before it was up, over and over, and a killed one's job waited forever.
        worker_proc_alive_timeout=60.0,
        # One message at a time per process: long NLP tasks must not sit behind each other
        # in one worker's buffer while another worker is idle.
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        # A Redis error reply (kombu calls it a channel error) ends the worker by default. The one
        # to expect is a full Redis (maxmemory reached) refusing the acknowledgement of a task
        # whose result it refused too: the worker must outlive it, reconnect and keep going.
        broker_channel_error_retry=True,
        # No AMQP heartbeats: a solo worker runs its task in the loop that would send them, so
        # RabbitMQ closed the connection of a task that ran past about twice its heartbeat
        # timeout (60 s), and gave the task's message to another worker while the first still
        # ran it. A dead worker's connection is still found by TCP keepalive, its job by its lease.
        broker_heartbeat=0,
        broker_transport_options=transport_options(settings, socket_timeout=settings.redis_timeout * 5),
        worker_hijack_root_logger=False,
        # Workers of one name (two `newsdesk worker` on one machine are both celery@<host>) share
        # a remote-control queue: RabbitMQ gives an exclusive queue to the first worker only, and
        # the second died at start with RESOURCE_LOCKED (Redis only warns of the duplicate name).
        control_queue_exclusive=False,
    )
    app.conf["newsdesk_settings"] = settings
    return app


@setup_logging.connect
def _json_logs(**_) -> None:
    """Replace Celery's text logs with JSON lines, like the API's."""
    log.configure(app.conf["newsdesk_settings"].log_level)


def _say_as_json(msg, f=sys.__stderr__) -> None:
    """What Celery writes outside logging ("worker: Warm shutdown (MainProcess)", from a signal
    handler, hence a plain write), as a JSON line."""
    now = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
    line = json.dumps({"ts": now, "level": "info", "logger": "celery.apps.worker", "event": str(msg).strip()})
    try:
        os.write(f.fileno(), (line + "\n").encode())
    except (OSError, AttributeError, ValueError):
        pass


@celeryd_init.connect
def _no_text_output(instance, **_) -> None:
    """JSON lines from the start (warnings included), and no text banner: its facts are logged
    as `worker starting` instead."""
    log.configure(app.conf["newsdesk_settings"].log_level)
    instance.quiet = True
    celery.apps.worker.safe_say = _say_as_json


@celeryd_after_setup.connect
def _bulk_with_main(instance, **_) -> None:
    """A worker told to consume the main queue (`-Q newsdesk`, as a worker of an earlier version
    was told to leave batches to others) consumes the bulk queue too: it holds single articles as
    well, and with no worker on it they would wait until the sweepers sent them again.
    Connected before _log_start, so that the queues it logs are the ones consumed."""
    settings = instance.app.conf["newsdesk_settings"]
    queues = instance.app.amqp.queues
    if settings.queue in queues.consume_from and bulk_queue(settings.queue) not in queues.consume_from:
        queues.select_add(bulk_queue(settings.queue))


@celeryd_after_setup.connect
def _log_start(sender, instance, **_) -> None:
    logging.getLogger(__name__).info("worker starting", extra={
        "hostname": sender, "queues": sorted(instance.app.amqp.queues.consume_from),
        "pool": instance.pool_cls.__module__.rsplit(".", 1)[-1], "concurrency": instance.concurrency,
    })
    client = instance.app.conf["newsdesk_settings"].redis_client()
    try:
        check_at_start(client, logging.getLogger(__name__))
    finally:
        client.close()


app = make_celery(Settings.from_env())
