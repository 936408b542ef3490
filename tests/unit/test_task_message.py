"""The hand-built queue item (newsdesk.task_message) is what Celery and kombu put in Redis for the
same task: the same fields, and with the same ids the same bytes."""

from __future__ import annotations

import base64
import json
import uuid

import pytest
from celery import Celery

from newsdesk.task_message import is_redis_broker, origin, task_envelope, task_envelopes
from newsdesk.task_names import ANALYZE_TASK
from service.queue import make_celery_client


@pytest.fixture
def celery_item(settings):
    """Send a task with Celery's own send_task to a queue of its own and read the raw list item."""
    client = make_celery_client(settings)
    redis = settings.redis_client()

    def send(task: str, args: list) -> tuple[str, bytes, Celery]:
        queue, task_id = f"envelope-{uuid.uuid4().hex}", str(uuid.uuid4())
        client.send_task(task, args=args, queue=queue, task_id=task_id)
        [raw] = redis.lrange(queue, 0, -1)
        redis.delete(queue)
        return queue, raw, client

    return send


@pytest.mark.parametrize("args", [["Jx3qYpE0oTq8mJ1u1c3r-w"], ["a_b-C"]])
def test_the_same_bytes_as_celery_send_task(celery_item, args):
    queue, raw, client = celery_item(ANALYZE_TASK, args)
    sent = json.loads(raw)
    ours = task_envelope(ANALYZE_TASK, args, queue, task_id=sent["headers"]["id"],
                         reply_to=client.thread_oid, delivery_tag=sent["properties"]["delivery_tag"])
    assert ours.encode() == raw


def test_field_by_field(celery_item):
    queue, raw, client = celery_item(ANALYZE_TASK, ["job-1"])
    sent = json.loads(raw)
    ours = json.loads(task_envelope(ANALYZE_TASK, ["job-1"], queue, reply_to=client.thread_oid))
    task_id = ours["headers"]["id"]
    assert ours["headers"]["task"] == sent["headers"]["task"] == ANALYZE_TASK
    assert ours["headers"]["root_id"] == ours["properties"]["correlation_id"] == task_id
    assert sent["headers"]["root_id"] == sent["properties"]["correlation_id"] == sent["headers"]["id"]
    assert uuid.UUID(task_id) and uuid.UUID(ours["properties"]["delivery_tag"])
    for name in ("lang", "argsrepr", "kwargsrepr", "origin", "retries", "timelimit", "eta", "expires",
                 "group", "parent_id", "shadow", "ignore_result", "stamped_headers", "stamps"):
        assert ours["headers"][name] == sent["headers"][name], name
    assert ours["headers"].keys() == sent["headers"].keys()
    assert ours["headers"]["origin"] == origin()
    # Body: protocol 2's (args, kwargs, embed), JSON in base64.
    assert json.loads(base64.b64decode(ours["body"])) == json.loads(base64.b64decode(sent["body"])) == [
        ["job-1"], {}, {"callbacks": None, "errbacks": None, "chain": None, "chord": None}]
    # Where it goes: the default exchange, routed by the queue's name (the list it is pushed on).
    assert ours["properties"]["delivery_info"] == sent["properties"]["delivery_info"] == {
        "exchange": "", "routing_key": queue}
    for name in ("reply_to", "delivery_mode", "priority", "body_encoding"):
        assert ours["properties"][name] == sent["properties"][name], name
    assert ours["properties"].keys() == sent["properties"].keys()
    for name in ("content-type", "content-encoding"):
        assert ours[name] == sent[name]


def test_every_message_has_its_own_ids():
    first, second = (json.loads(task_envelope(ANALYZE_TASK, ["j"], "q")) for _ in range(2))
    assert first["headers"]["id"] != second["headers"]["id"]
    assert first["properties"]["delivery_tag"] != second["properties"]["delivery_tag"]


def test_the_message_for_each_lane_is_the_one_task_envelope_builds_for_its_queue():
    main, bulk = task_envelopes(ANALYZE_TASK, ["j"], ["q", "q.bulk"], reply_to="r", sender="s")
    sent = json.loads(main)
    ids = {"task_id": sent["headers"]["id"], "delivery_tag": sent["properties"]["delivery_tag"]}
    assert main == task_envelope(ANALYZE_TASK, ["j"], "q", reply_to="r", sender="s", **ids)
    assert bulk == task_envelope(ANALYZE_TASK, ["j"], "q.bulk", reply_to="r", sender="s", **ids)


@pytest.mark.parametrize(("url", "redis"), [
    ("redis://localhost:6379/0", True), ("rediss://h:6380/1", True),
    ("redis+socket:///tmp/r.sock?virtual_host=0", True),
    ("amqp://guest@localhost//", False), ("sentinel://h:26379", False), ("memory://", False)])
def test_which_brokers_are_redis(url, redis):
    assert is_redis_broker(url) is redis


def _encoded_whole(task: str, args: list, queue: str, task_id: str, reply_to: str, sender: str,
                   delivery_tag: str) -> str:
    """The envelope as task_envelope built it before it kept the encoded text of what all messages
    of a task and queue share: the whole envelope encoded at once."""
    headers = {
        "lang": "py", "task": task, "id": task_id, "shadow": None, "eta": None, "expires": None,
        "group": None, "group_index": None, "retries": 0, "timelimit": [None, None],
        "root_id": task_id, "parent_id": None, "argsrepr": repr(args), "kwargsrepr": "{}",
        "origin": sender, "ignore_result": None, "replaced_task_nesting": 0,
        "stamped_headers": None, "stamps": {},
    }
    properties = {
        "correlation_id": task_id, "reply_to": reply_to, "delivery_mode": 2,
        "delivery_info": {"exchange": "", "routing_key": queue}, "priority": 0,
        "body_encoding": "base64", "delivery_tag": delivery_tag,
    }
    body = json.dumps([args, {}, {"callbacks": None, "errbacks": None, "chain": None, "chord": None}])
    return json.dumps({"body": base64.b64encode(body.encode()).decode("ascii"),
                       "content-encoding": "utf-8", "content-type": "application/json",
                       "headers": headers, "properties": properties})


@pytest.mark.parametrize("args", [["Jx3qYpE0oTq8mJ1u1c3r-w"], ["a_b-C"], [["j1", "j2", "j3"]],
                                  ['quote " and \\ back', "ø\u2028\ud83d\ude00", 'it\'s "x"'], [None, 1, 2.5]])
@pytest.mark.parametrize("queue", ["newsdesk", "newsdesk.batch", "q:1-x_y"])
def test_the_same_bytes_as_the_envelope_encoded_whole(args, queue):
    for task, reply_to, sender in [(ANALYZE_TASK, "", "gen1@host"), ("newsdesk.analyze_batch", str(uuid.uuid4()),
                                                                      'gen"7\\@h\u00f8st')]:
        task_id, tag = str(uuid.uuid4()), str(uuid.uuid4())
        ours = task_envelope(task, args, queue, task_id=task_id, reply_to=reply_to, sender=sender, delivery_tag=tag)
        assert ours == _encoded_whole(task, args, queue, task_id, reply_to, sender, tag)
        again = json.loads(task_envelope(task, args, queue, reply_to=reply_to, sender=sender))
        assert again["headers"]["id"] != task_id and again["properties"]["delivery_tag"] != tag


def test_a_name_holding_the_marker_is_refused():
    with pytest.raises(ValueError):
        task_envelope(ANALYZE_TASK, ["j"], "q\x1f")
