"""Job status transitions on a real Redis."""

import time

import pytest
import redis

from newsdesk import job_store, metrics
from newsdesk.job_events import DONE_CHANNEL
from newsdesk.job_store import (KEY_PREFIX, LEASES, QUEUED_INDEX, Charge, Claim, Claimed, Holder,
                                JobHeld, JobRunning, JobStore, Lanes, LimitExceeded, QueueFull, new_job_id)


@pytest.fixture
def store(settings):
    return JobStore(settings.redis_client(), ttl_seconds=3600)


def test_create_then_get(store):
    job_id = store.create({"text": "Hej", "metadata": {"k": "v"}})
    job = store.get(job_id)
    assert job["status"] == "queued"
    assert job["article"] == {"text": "Hej", "metadata": {"k": "v"}}
    assert job["attempts"] == 0


def test_an_unfinished_job_is_kept_until_it_finishes_then_for_the_ttl(store):
    # The retention counts from the end: a backlog longer than the TTL must not lose queued jobs.
    job_id = store.create({"text": "Hej"}, owner="k", batch_id="b1")
    store.redis.hset(job_store.BATCH_PREFIX + "b1", "expires_at", "then")
    store.redis.expire(job_store.BATCH_PREFIX + "b1", 10)
    store.redis.expire(store.owner_key("k", "jobs"), 10)  # as if created long ago
    assert store.redis.ttl(store.key(job_id)) == -1
    store.start(job_id)
    assert store.redis.ttl(store.key(job_id)) == -1
    assert store.succeed(job_id, {"language": "da"})
    assert 3500 < store.redis.ttl(store.key(job_id)) <= 3600
    # Its batch and its owner's listing outlive it again.
    assert 7100 < store.redis.ttl(job_store.BATCH_PREFIX + "b1") <= 7200
    assert store.redis.hget(job_store.BATCH_PREFIX + "b1", "expires_at") > store.get(job_id)["expires_at"].encode()
    assert 7100 < store.redis.ttl(store.owner_key("k", "jobs")) <= 7200


def test_job_ids_are_unguessable_and_unique(store):
    ids = {store.create({"text": "x"}) for _ in range(50)}
    assert len(ids) == 50
    assert all(len(i) >= 22 for i in ids)


def test_full_lifecycle(store):
    job_id = store.create({"text": "Hej"})
    assert store.start(job_id)["status"] == "running"
    assert store.succeed(job_id, {"language": "da"})
    job = store.get(job_id)
    assert job["status"] == "succeeded"
    assert job["result"] == {"language": "da"}
    assert job["started_at"] <= job["finished_at"] <= job["expires_at"]


def test_a_second_delivery_leaves_a_job_with_a_live_lease_to_its_worker(store):
    # A redelivery while the first worker still runs the job (a RabbitMQ connection that dropped,
    # a visibility timeout shorter than the run): the job must not run twice at once.
    job_id = store.create({"text": "Hej"})
    store.start(job_id, lease_seconds=30)
    lease = store.redis.zscore(LEASES, job_id)
    with pytest.raises(JobHeld):
        store.start(job_id, lease_seconds=30)
    assert store.get(job_id)["attempts"] == 1, "a dropped delivery is no attempt"
    assert store.redis.zscore(LEASES, job_id) == lease, "the first worker's lease is left as it was"


def test_a_delivery_after_the_lease_ran_out_takes_the_job_and_counts_an_attempt(store):
    job_id = store.create({"text": "Hej"})
    store.start(job_id, lease_seconds=0.1)
    time.sleep(0.2)  # its worker died: nothing renewed the lease
    assert store.start(job_id, lease_seconds=30)["attempts"] == 2


def test_a_start_sent_again_after_its_reply_was_lost_gets_the_job(store):
    # The script ran but its reply never came back: the Redis client sends it again, and it must
    # not find the job held by the very run that sent it.
    job_id = store.create({"text": "Hej"})
    run = Holder("task-1")
    first = store.start(job_id, lease_seconds=30, holder=run)
    again = store.start(job_id, lease_seconds=30, holder=run)
    assert again["status"] == "running" and again["attempts"] == 1, "one start, counted once"
    assert again["started_at"] == first["started_at"]


def test_a_retry_of_the_same_task_takes_its_job_back_at_once(store):
    # The task's earlier try lost its Redis connection mid-job and ended; Celery's retry keeps the
    # task id and counts one try more. No worker died: no attempt is counted.
    job_id = store.create({"text": "Hej"})
    store.start(job_id, lease_seconds=30, holder=Holder("task-1", 0))
    lease = store.redis.zscore(LEASES, job_id)
    retry = store.start(job_id, lease_seconds=60, holder=Holder("task-1", 1))
    assert retry["attempts"] == 1
    assert store.redis.zscore(LEASES, job_id) > lease, "the retry holds the lease now"
    store.start(job_id, lease_seconds=60, holder=Holder("task-1", 2))  # and a retry of the retry
    assert store.get(job_id)["attempts"] == 1


def test_a_redelivery_of_the_same_message_is_no_retry(store):
    # A redelivered message keeps its task id and its try: while the run it was first delivered to
    # lives (its lease is live), neither it nor an older try may start the job.
    job_id = store.create({"text": "Hej"})
    store.start(job_id, lease_seconds=30, holder=Holder("task-1", 0))
    with pytest.raises(JobHeld):
        store.start(job_id, lease_seconds=30, holder=Holder("task-1", 0))
    store.start(job_id, lease_seconds=30, holder=Holder("task-1", 1))
    for late in (Holder("task-1", 0), Holder("task-1", 1), Holder("task-2", 5)):
        with pytest.raises(JobHeld):
            store.start(job_id, lease_seconds=30, holder=late)
    assert store.get(job_id)["attempts"] == 1


def test_a_retry_does_not_take_back_a_job_requeued_and_started_by_another_task(store):
    job_id = store.create({"text": "Hej"})
    store.start(job_id, lease_seconds=30, holder=Holder("task-1", 0))
    assert store.requeue(job_id)  # a sweeper found the lease run out: anyone may start it now
    assert store.start(job_id, lease_seconds=30, holder=Holder("task-2", 0))["attempts"] == 2
    with pytest.raises(JobHeld):
        store.start(job_id, lease_seconds=30, holder=Holder("task-1", 1))
    assert store.get(job_id)["held_by"] == "task-2"


def test_finished_job_never_goes_back_to_running(store):
    job_id = store.create({"text": "Hej"})
    store.start(job_id)
    store.fail(job_id, "analysis_failed", "boom")
    assert store.start(job_id) is None
    assert not store.succeed(job_id, {"late": True})
    job = store.get(job_id)
    assert job["status"] == "failed"
    assert job["error"] == {"code": "analysis_failed", "message": "boom"}
    assert job["result"] is None


def test_missing_job(store):
    assert store.get("nope") is None
    assert store.start("nope") is None
    assert not store.succeed("nope", {})


def test_unicode_survives_including_lone_surrogates_in_metadata(store):
    job_id = store.create({"text": "Æblegrød på Østerbro 😀", "metadata": {"x": "\ud800"}})
    assert store.get(job_id)["article"]["text"] == "Æblegrød på Østerbro 😀"


def _state(store, queue: str = "q") -> dict:
    """Everything a create writes, to check that a refused one wrote nothing."""
    redis = store.redis
    return {"jobs": sorted(redis.scan_iter(KEY_PREFIX + "*")), "queued": redis.zcard(QUEUED_INDEX),
            "owner": redis.scard(store.owner_key("anonymous", "queued")), "message": redis.llen(queue),
            "counters": redis.hgetall(metrics.COUNTERS)}


def test_create_pushes_its_message_in_the_same_script(store):
    store.redis.delete("q")
    job_id = store.create({"text": "Hej"}, message=("q", "the message"))
    assert store.redis.lrange("q", 0, -1) == [b"the message"]
    assert store.get(job_id)["status"] == "queued"


def test_a_retried_create_does_not_queue_twice(store):
    store.redis.delete("q")
    job_id = store.create({"text": "Hej"}, message=("q", "m"))
    assert store.create({"text": "Hej"}, job_id=job_id, message=("q", "m")) == job_id
    assert store.redis.llen("q") == 1


def test_a_push_that_fails_leaves_no_job(store):
    store.redis.set("q", "not a list")
    before = _state(store, "nothing")
    with pytest.raises(redis.ResponseError):
        store.create({"text": "Hej"}, message=("q", "m"))
    assert _state(store, "nothing") == before
    store.redis.delete("q")


def test_a_full_queue_pushes_no_message(settings):
    store = JobStore(settings.redis_client(), ttl_seconds=3600, max_queued_per_owner=1)
    store.redis.delete("q", store.owner_key("capped", "queued"))
    store.create({"text": "Hej"}, "capped", message=("q", "first"))
    with pytest.raises(QueueFull):
        store.create({"text": "Hej"}, "capped", message=("q", "second"))
    assert store.redis.lrange("q", 0, -1) == [b"first"]


def test_an_owners_jobs_beyond_the_first_few_queued_take_the_bulk_lane(store):
    store.redis.delete("q", "q.bulk", store.owner_key("busy", "queued"), store.owner_key("idle", "queued"))

    def create(owner: str, text: str) -> tuple[str, str]:
        lanes = Lanes(2, "q", "q.bulk", messages=(f"{text} main", f"{text} bulk"))
        job_id = store.create({"text": text}, owner, lanes=lanes)
        return job_id, lanes.chosen

    busy = [create("busy", f"b{n}") for n in range(4)]
    assert [queue for _, queue in busy] == ["q", "q", "q.bulk", "q.bulk"]
    assert [store.lane(job_id) for job_id, _ in busy] == [None, None, "bulk", "bulk"]
    assert create("idle", "i0")[1] == "q", "another owner's count is its own"
    assert store.redis.lrange("q", 0, -1) == [b"i0 main", b"b1 main", b"b0 main"]
    assert store.redis.lrange("q.bulk", 0, -1) == [b"b3 bulk", b"b2 bulk"]
    assert create("busy", "b4")[1] == "q.bulk"
    for job_id, _ in busy[:4]:  # started jobs no longer count: one left queued, so the main queue
        store.start(job_id)
    assert create("busy", "b5")[1] == "q"


def test_a_retried_create_names_the_lane_the_first_one_chose(store):
    store.redis.delete("q", "q.bulk", store.owner_key("retried", "queued"))
    job_id = store.create({"text": "Hej"}, "retried", lanes=Lanes(1, "q", "q.bulk", messages=("m", "b")))
    store.create({"text": "Hej"}, "retried", lanes=Lanes(1, "q", "q.bulk", messages=("m", "b")))
    again = Lanes(1, "q", "q.bulk", messages=("m", "b"))
    store.create({"text": "Hej"}, "retried", job_id=job_id, lanes=again)
    assert again.chosen == "q"
    assert (store.redis.llen("q"), store.redis.llen("q.bulk")) == (1, 1), "queued once"


def test_without_messages_the_lane_is_chosen_and_nothing_pushed(store):
    store.redis.delete("q", "q.bulk", store.owner_key("amqp", "queued"))
    chosen = []
    for _ in range(2):
        lanes = Lanes(1, "q", "q.bulk")
        store.create({"text": "Hej"}, "amqp", lanes=lanes)
        chosen.append(lanes.chosen)
    assert chosen == ["q", "q.bulk"]
    assert (store.redis.llen("q"), store.redis.llen("q.bulk")) == (0, 0)


def test_charge_counts_and_refuses_over_the_limit(store):
    key = f"test:rate:{new_job_id()}"
    charge = Charge(key, limit=2, ttl=120)
    job_id = store.create({"text": "Hej"}, charge=charge)
    assert charge.count == 1 and store.redis.ttl(key) > 100 and 100 < charge.left <= 120
    assert store.get(job_id, with_article=False, charge=charge)["status"] == "queued"
    assert charge.count == 2
    before = _state(store)
    with pytest.raises(LimitExceeded):
        store.create({"text": "Hej"}, message=("q", "m"), charge=charge)
    with pytest.raises(LimitExceeded):
        store.get(job_id, charge=charge)
    with pytest.raises(LimitExceeded):
        store.count(charge)
    assert charge.count == 5 and 100 < charge.left <= 120, "one window, its end as Redis times it"
    assert _state(store) == before


def test_a_count_that_fails_for_another_reason_than_memory_fails_the_request(store):
    """Only a full Redis lets a request go uncounted (tests/integration/test_redis_memory.py)."""
    key = f"test:rate:{new_job_id()}"
    store.redis.set(key, "not a number")
    job_id = store.create({"text": "Hej"})
    with pytest.raises(redis.ResponseError, match="not an integer"):
        store.get(job_id, charge=Charge(key, limit=10, ttl=120))
    with pytest.raises(redis.ResponseError, match="not an integer"):
        store.create({"text": "Hej"}, charge=Charge(key, limit=10, ttl=120))


def test_get_with_charge_reads_like_get(store):
    job_id = store.create({"text": "Hej", "metadata": {"k": "v"}})
    for with_article in (True, False):
        charge = Charge(f"test:rate:{new_job_id()}", limit=10, ttl=120)
        assert store.get(job_id, with_article, charge=charge) == store.get(job_id, with_article)
        assert charge.count == 1
    assert store.get("nope", charge=Charge(f"test:rate:{new_job_id()}", 10, 120)) is None


def test_claim_is_taken_with_the_job_or_names_the_earlier_one(store):
    key = f"test:idem:{new_job_id()}"
    job_id = store.create({"text": "Hej"}, claim=Claim(key, "first", 60))
    assert store.redis.get(key) == b"first" and 0 < store.redis.ttl(key) <= 60
    before = _state(store)
    with pytest.raises(Claimed) as refused:
        store.create({"text": "Hej"}, message=("q", "m"), claim=Claim(key, "second", 60))
    assert refused.value.earlier == "first"
    assert _state(store) == before
    assert store.get(job_id)["status"] == "queued"


def test_an_end_is_announced_and_its_metrics_counted_once(store):
    job_id = store.create({"text": "Hej"})
    store.start(job_id)
    listener = store.redis.pubsub(ignore_subscribe_messages=True)
    listener.subscribe(DONE_CHANNEL)
    listener.get_message(timeout=1)
    before = store.redis.hget(metrics.COUNTERS, 'done_test{language="da"}')
    increments = [*metrics.counted("done_test", language="da"), *metrics.observed("done_test_seconds", 0.3)]
    assert store.succeed(job_id, {"language": "da"}, increments)
    assert not store.succeed(job_id, {"language": "da"}, increments), "a redelivery changes nothing"
    assert float(store.redis.hget(metrics.COUNTERS, 'done_test{language="da"}')) == float(before or 0) + 1
    assert float(store.redis.hget(metrics.HISTOGRAMS, "done_test_seconds_sum")) >= 0.3
    assert listener.get_message(timeout=1)["data"] == job_id.encode()
    assert listener.get_message(timeout=0.2) is None, "announced once"
    listener.close()


def test_starting_takes_the_job_off_the_queued_indexes(store):
    job_id = store.create({"text": "Hej"}, owner="k")
    assert store.redis.zscore(QUEUED_INDEX, job_id) is not None
    job = store.start(job_id, lease_seconds=60)
    assert job["attempts"] == 1 and job["article"] == {"text": "Hej"} and job["started_at"]
    assert store.redis.zscore(QUEUED_INDEX, job_id) is None
    assert not store.redis.sismember(store.owner_key("k", "queued"), job_id)
    assert store.redis.zscore(LEASES, job_id) > 0


def _after_next_command(client: redis.Redis, action) -> None:
    """Run `action` once the next command `client` sends is answered: another client's write
    landing between two round trips of the operation under test."""
    def execute_command(*args, **options):
        del client.execute_command  # once
        try:
            return type(client).execute_command(client, *args, **options)
        finally:
            action()
    client.execute_command = execute_command


def test_a_webhook_state_never_brings_back_a_job_deleted_meanwhile(store):
    job_id = store.create({"text": "Hej"})
    assert store.set_webhook(job_id, {"state": "pending"})
    assert store.get(job_id)["webhook"] == {"state": "pending"}
    _after_next_command(store.redis, lambda: store.delete(job_id))
    store.set_webhook(job_id, {"state": "delivered"})
    assert not store.redis.exists(store.key(job_id))
    assert not store.set_webhook(job_id, {"state": "failed"})
    assert not store.redis.exists(store.key(job_id))


def _traces(store, job_id: str, owner: str) -> dict:
    """Where a job is recorded: its hash, lease, queued index entry and its owner's sets."""
    redis = store.redis
    return {"hash": redis.exists(store.key(job_id)), "lease": redis.zscore(LEASES, job_id) is not None,
            "queued": redis.zscore(QUEUED_INDEX, job_id) is not None,
            "owner_queued": redis.sismember(store.owner_key(owner, "queued"), job_id),
            "owner_jobs": redis.zscore(store.owner_key(owner, "jobs"), job_id) is not None}


def test_delete_removes_every_trace_of_a_queued_job(store):
    job_id = store.create({"text": "Hej"}, owner="k")
    store.delete(job_id)
    assert not any(_traces(store, job_id, "k").values())
    store.delete(job_id)  # gone already: no error


def test_a_running_job_is_deleted_only_with_running_too(store):
    job_id = store.create({"text": "Hej"}, owner="k")
    store.start(job_id)
    with pytest.raises(JobRunning):
        store.delete(job_id)
    assert store.get(job_id)["status"] == "running"
    assert _traces(store, job_id, "k") == {"hash": 1, "lease": True, "queued": False,
                                           "owner_queued": False, "owner_jobs": True}
    store.delete(job_id, running_too=True)
    assert not any(_traces(store, job_id, "k").values())


def test_jobs_created_at_or_before_the_latest_listed_time_are_each_listed_once(store):
    # The listing's cursor is a score, so equal scores straddling a page were lost. The time comes
    # from the Redis server's clock, which can still step back (or two creates read the same
    # microsecond): here the first job is scored as if it had been created an hour ahead.
    owner = new_job_id()
    created = [store.create({"text": "Hej"}, owner)]
    seconds, micros = store.redis.time()
    store.redis.zadd(store.owner_key(owner, "jobs"), {created[0]: (seconds + 3600) * 1_000_000 + micros}, xx=True)
    created += [store.create({"text": "Hej"}, owner) for _ in range(4)]
    listed, cursor = [], None
    while True:
        page, cursor = store.list(owner, limit=2, before=cursor)
        listed += [job["job_id"] for job in page]
        if cursor is None:
            break
    assert listed == created[::-1], "each job once, newest first"
    for job_id in created:
        store.delete(job_id)


def test_a_filtered_listing_reads_its_jobs_a_page_at_a_time_and_is_bounded(store, request):
    # A key with many jobs and a rare status: one round trip per job would hold an API thread
    # for seconds, so the jobs are read a page per round trip, and one answer scans at most
    # LIST_SCAN jobs (a short page with a cursor; the list ends when the cursor is None).
    store = JobStore(store.redis, ttl_seconds=3600, max_queued_per_owner=2 * job_store.LIST_SCAN)
    owner = new_job_id()
    failed = store.create({"text": "Hej"}, owner)
    store.fail(failed, "analysis_failed", "boom")
    created = [store.create({"text": "Hej"}, owner) for _ in range(job_store.LIST_SCAN + 50)]
    request.addfinalizer(lambda: [store.delete(job_id) for job_id in created])  # the Redis is shared
    # The listing's script loaded first: where no test before this one in the process listed jobs,
    # its first call would also count the NOSCRIPT answer and the SCRIPT LOAD.
    store.list(new_job_id(), limit=1, status="failed")
    calls = []
    execute = store.redis.execute_command
    store.redis.execute_command = lambda *args, **options: calls.append(args[0]) or execute(*args, **options)
    try:
        page, cursor = store.list(owner, limit=20, status="failed")
    finally:
        store.redis.execute_command = execute
    assert page == [] and cursor is not None
    assert len(calls) == job_store.LIST_SCAN // job_store.LIST_PAGE, calls
    page, cursor = store.list(owner, limit=20, before=cursor, status="failed")
    assert [job["job_id"] for job in page] == [failed] and cursor is None


def test_the_owner_listing_drops_the_jobs_that_expired_while_the_owner_keeps_submitting(store):
    # The listing's index expires only once its owner has been idle for twice the retention: a
    # key that submits all the time kept the id of every job it ever had, long after the job
    # expired (only a listing that reads that far removes them, and one reads 1,000 at most).
    owner = new_job_id()
    index = store.owner_key(owner, "jobs")
    old = [store.create({"text": "Hej"}, owner) for _ in range(6)]
    for job_id in old:
        store.start(job_id)
        store.succeed(job_id, {"language": "da"})
        store.redis.delete(store.key(job_id))  # its retention is over: Redis expired it
    new = [store.create({"text": "Hej"}, owner) for _ in range(3)]
    assert {member.decode() for member in store.redis.zrange(index, 0, -1)} == set(new)
    for job_id in new:
        store.delete(job_id)


def test_the_owner_listing_drops_entries_older_than_twice_the_retention(store):
    # As its expiry would have, for an owner that is never idle: even behind a job that lives on
    # (one that waited that long in a backlog, as README says), nothing older stays in the index.
    owner = new_job_id()
    index = store.owner_key(owner, "jobs")
    waiting = store.create({"text": "Hej"}, owner)
    gone = store.create({"text": "Hej"}, owner)
    store.redis.delete(store.key(gone))
    seconds, micros = store.redis.time()
    long_ago = (seconds - 2 * store.ttl_seconds - 60) * 1_000_000 + micros
    store.redis.zadd(index, {waiting: long_ago, gone: long_ago + 1}, xx=True)
    new = store.create({"text": "Hej"}, owner)
    assert [member.decode() for member in store.redis.zrange(index, 0, -1)] == [new]
    assert store.get(waiting)["status"] == "queued"  # the job itself is kept, and still runs
    for job_id in (waiting, new):
        store.delete(job_id)
