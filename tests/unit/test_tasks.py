"""The task's outcome handling, run in-process against a real Redis (no worker needed)."""

from __future__ import annotations

import threading
import time

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from celery.exceptions import SoftTimeLimitExceeded

from newsdesk.job_store import LEASES, Holder, JobStore, Lanes
from newsdesk.task_names import BULK_LANE, ANALYZE_BATCH_TASK, ANALYZE_TASK, batch_queue, bulk_queue
from worker import tasks
from worker.celery_app import make_celery
from worker.lease import sweep_once
from tests.socket_proxy import SocketProxy, recv


@pytest.fixture
def store(settings, monkeypatch):
    store = JobStore(settings.redis_client(), settings.result_ttl_seconds)
    monkeypatch.setattr(tasks, "job_store", lambda: store)
    return store


def started(store: JobStore) -> dict:
    job_id = store.create({"text": "Tekst om Danmark. Og mere.", "language": "da"})
    return store.start(job_id)


def test_an_article_that_breaks_the_pipeline_fails_once_with_a_stable_code(store, monkeypatch):
    def broken(article, timings=None):
        raise ValueError("unexpected input")

    monkeypatch.setattr(tasks, "analyze_article", broken)
    job = started(store)
    tasks._run(job)
    failed = store.get(job["job_id"])
    assert failed["status"] == "failed"
    assert failed["error"] == {"code": "analysis_failed", "message": "The analysis failed: ValueError."}


def test_the_soft_time_limit_fails_the_job_with_timeout_and_is_passed_on(store, monkeypatch):
    def slow(article, timings=None):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(tasks, "analyze_article", slow)
    job = started(store)
    with pytest.raises(SoftTimeLimitExceeded):
        tasks._run(job)
    assert store.get(job["job_id"])["error"]["code"] == "timeout"


@pytest.mark.parametrize("task", [tasks.analyze, tasks.analyze_batch])
def test_a_lost_redis_is_retried_with_backoff_a_bounded_number_of_times(task, settings, tmp_path, monkeypatch,
                                                                       caplog):
    monkeypatch.setattr(tasks, "settings", lambda: settings)
    # Nothing listens there; the client itself does not try again, which takes seconds.
    gone = JobStore(redis.Redis(unix_socket_path=str(tmp_path / "nobody.sock"), retry=Retry(NoBackoff(), 0)), 60)
    monkeypatch.setattr(tasks, "job_store", lambda: gone)
    tries = []
    holder = tasks._holder
    monkeypatch.setattr(tasks, "_holder", lambda request: tries.append(request.retries) or holder(request))
    argument = "job-1" if task is tasks.analyze else ["job-1", "job-2"]
    with pytest.raises(redis.ConnectionError):
        task.apply(args=[argument], task_id="lost-1").get()
    assert tries == [0, 1, 2, 3, 4, 5]
    retried = [r for r in caplog.records if r.getMessage() == "Redis connection lost: the task is retried"]
    assert [r.retry for r in retried] == [1, 2, 3, 4, 5]
    assert all(0 <= r.countdown_s <= 2 ** (r.retry - 1) for r in retried), "exponential backoff, full jitter"


def test_a_second_delivery_of_a_finished_job_neither_stores_nor_schedules_a_webhook(store, monkeypatch):
    scheduled = []
    monkeypatch.setattr(tasks, "schedule_delivery", lambda job: scheduled.append(job["job_id"]))
    monkeypatch.setattr(tasks, "analyze_article", lambda article, timings=None: {
        "language": "da", "entities": [], "summary": {"text": "", "sentences": []}})
    job_id = store.create({"text": "Tekst om Danmark. Og mere.", "language": "da",
                           "callback_url": "https://example.com/hook"})
    first = store.start(job_id, lease_seconds=0.1)
    time.sleep(0.2)  # the first worker stalls past its lease: a second one takes the job over
    second = store.start(job_id)
    tasks._run(first)
    finished_at = store.get(job_id)["finished_at"]
    tasks._run(second)
    tasks._failed(second, "timeout", "too late")
    assert scheduled == [job_id]
    job = store.get(job_id)
    assert job["status"] == "succeeded" and job["finished_at"] == finished_at


@pytest.fixture
def sent(settings, monkeypatch) -> list[str]:
    """The job ids the tasks send to the broker (they are not run)."""
    sent: list[str] = []
    monkeypatch.setattr(tasks, "settings", lambda: settings)

    class App:
        def send_task(self, name, args, queue):
            sent.append(args[0])

    monkeypatch.setattr(tasks, "current_app", App())
    return sent


def test_a_chunk_out_of_time_hands_its_jobs_back_once(store, sent, monkeypatch):
    def out_of_time(articles, timings=None):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(tasks, "analyze_articles", out_of_time)
    job_ids = [store.create({"text": f"Tekst {i}. Og mere.", "language": "da"}) for i in range(2)]
    tasks.analyze_batch(job_ids)
    assert sent == job_ids
    assert [store.get(job_id)["status"] for job_id in job_ids] == ["queued", "queued"]
    # Only these jobs: the Redis is shared with other tests, which may leave leases of their own.
    swept = sweep_once(store, sent.append, lease_seconds=0.01, max_attempts=3)
    assert not set(swept) & set(job_ids), "no lease left to run out"


def test_a_chunk_leaves_alone_a_job_another_worker_runs(store, sent, monkeypatch):
    # A chunk's message delivered a second time (or sent again by the sweeper) while another
    # worker runs one of its jobs: the chunk runs the rest, and neither runs nor hands back that one.
    def out_of_time(articles, timings=None):
        assert len(articles) == 1, "only the job no one else runs"
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(tasks, "analyze_articles", out_of_time)
    held, free = (store.create({"text": f"Tekst {i}. Og mere.", "language": "da"}) for i in range(2))
    store.start(held, lease_seconds=30)
    tasks.analyze_batch([held, free])
    assert sent == [free]
    job = store.get(held)
    assert job["status"] == "running" and job["attempts"] == 1
    assert store.redis.zscore(LEASES, held) is not None, "the other worker keeps its lease"
    store.succeed(held, {})  # no lease left for another test's sweep to find


def test_a_chunk_out_of_time_one_by_one_hands_back_the_article_it_was_on(store, sent, monkeypatch):
    # The chunk's time ran out, not the article's: it gets a run (and a time limit) of its own.
    def broken(articles, timings=None):
        raise ValueError("one article breaks the chunk")

    def out_of_time(article, timings=None):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(tasks, "analyze_articles", broken)
    monkeypatch.setattr(tasks, "analyze_article", out_of_time)
    job_ids = [store.create({"text": f"Tekst {i}. Og mere.", "language": "da"}) for i in range(2)]
    tasks.analyze_batch(job_ids)
    assert sent == job_ids
    assert [store.get(job_id)["status"] for job_id in job_ids] == ["queued", "queued"]


def test_messages_waiting_counts_a_queue_on_the_real_broker(settings):
    app = make_celery(settings)
    queue = settings.queue + ".waiting-test"
    assert tasks.messages_waiting(app, queue) == 0, "a queue never used"
    app.send_task(ANALYZE_TASK, args=["j1"], queue=queue)
    app.send_task(ANALYZE_TASK, args=["j2"], queue=queue)
    assert tasks.messages_waiting(app, queue) == 2


def test_a_batch_job_is_behind_the_batch_queue_and_a_single_one_behind_the_main_queue(settings):
    app = make_celery(settings)
    queue = settings.queue + ".backlog-test"
    app.send_task(ANALYZE_BATCH_TASK, args=[["j1"]], queue=batch_queue(queue))
    backlog = tasks.backlog_ahead(app, queue)
    assert backlog({"job_id": "j1", "batch_id": "b"}) and not backlog({"job_id": "j2"})


def test_a_bulk_job_is_behind_the_bulk_queue_not_the_main_one(settings):
    # The main queue is empty and the bulk queue holds a backlog: a bulk job queued long is
    # waiting its turn there, and must not be sent again (to jump the backlog, and twice).
    app = make_celery(settings)
    queue = settings.queue + ".bulk-backlog-test"
    app.send_task(ANALYZE_TASK, args=["j1"], queue=bulk_queue(queue))
    backlog = tasks.backlog_ahead(app, queue)
    assert backlog({"job_id": "j1", "lane": BULK_LANE}) and not backlog({"job_id": "j2"})


def test_a_job_is_sent_again_to_the_queue_of_its_lane(settings):
    store = JobStore(settings.redis_client(), settings.result_ttl_seconds)
    queue = settings.queue + ".requeue-test"
    store.redis.delete(queue, bulk_queue(queue), store.owner_key("requeued", "queued"))
    main, bulk = (store.create({"text": "Hej"}, "requeued", lanes=Lanes(1, queue, bulk_queue(queue)))
                  for _ in range(2))
    requeue = tasks.requeue_in_lane(make_celery(settings), store, queue)
    requeue(bulk)
    assert (store.redis.llen(queue), store.redis.llen(bulk_queue(queue))) == (0, 1)
    requeue(main)
    assert (store.redis.llen(queue), store.redis.llen(bulk_queue(queue))) == (1, 1)


def test_a_chunk_out_of_time_leaves_alone_a_job_another_worker_has_taken_since(store, sent, monkeypatch):
    # The chunk's worker was too slow to renew its lease: the sweeper requeued its job and another
    # worker started it. The chunk's hand-back must not take the job from that worker too.
    job_id = store.create({"text": "Tekst. Og mere.", "language": "da"})
    first = store.start(job_id, lease_seconds=0.1)
    time.sleep(0.2)
    assert job_id in sweep_once(store, lambda _: None, lease_seconds=30, max_attempts=3)
    assert store.start(job_id, lease_seconds=30)["attempts"] == 2
    tasks._hand_back([first])
    assert sent == []
    job = store.get(job_id)
    assert job["status"] == "running" and job["attempts"] == 2
    assert store.redis.zscore(LEASES, job_id) is not None, "the other worker keeps its lease"


def test_a_sweep_asks_the_broker_for_a_queues_length_once(settings, monkeypatch):
    asked = []
    monkeypatch.setattr(tasks, "messages_waiting", lambda app, queue: asked.append(queue) or 1)
    backlog = tasks.backlog_ahead(make_celery(settings), "q", fresh_for=60)
    assert all(backlog({"job_id": str(i)}) for i in range(100))
    assert backlog({"job_id": "b", "batch_id": "x"})
    assert asked == ["q", batch_queue("q")]


def _redis_lost_at_first(store, monkeypatch, times: int = 1) -> None:
    """The task's Redis connection drops as it stores its first `times` results: its job stays
    running, with its lease, and Celery retries the task (run here as apply runs a retry: at once,
    with the same task id and one try more)."""
    real = store.succeed
    calls = []

    def succeed(job_id, result, increments=()):
        calls.append(job_id)
        if len(calls) <= times:
            raise redis.ConnectionError("Connection closed by server.")
        return real(job_id, result, increments)

    monkeypatch.setattr(store, "succeed", succeed)
    monkeypatch.setattr(tasks, "analyze_article", lambda article, timings=None: RESULT)
    monkeypatch.setattr(tasks, "analyze_articles", lambda articles, timings=None: [RESULT] * len(articles))


RESULT = {"language": "da", "entities": [], "summary": {"text": "", "sentences": []}}


def test_a_retry_after_a_lost_redis_connection_runs_its_job_at_once(store, sent, monkeypatch):
    _redis_lost_at_first(store, monkeypatch)
    job_id = store.create({"text": "Tekst om Danmark. Og mere.", "language": "da"})
    tasks.analyze.apply(args=[job_id], task_id="delivery-1").get()
    job = store.get(job_id)
    assert job["status"] == "succeeded", "the retry took its own job back, not waiting for the lease"
    assert job["attempts"] == 1, "a retry is no new attempt: no worker died"


def test_a_chunks_retry_gets_back_its_own_jobs_only(store, sent, monkeypatch):
    held, *own = (store.create({"text": f"Tekst {i}. Og mere.", "language": "da"}) for i in range(3))
    store.start(held, lease_seconds=30)  # another worker runs this one
    _redis_lost_at_first(store, monkeypatch)
    tasks.analyze_batch.apply(args=[[held, *own]], task_id="chunk-1").get()
    assert [store.get(job_id)["status"] for job_id in own] == ["succeeded", "succeeded"]
    assert [store.get(job_id)["attempts"] for job_id in own] == [1, 1]
    assert store.get(held)["status"] == "running", "still the other worker's"
    store.succeed(held, {})  # no lease left for another test's sweep to find


def test_a_message_redelivered_while_its_first_run_lives_is_dropped(store, sent, monkeypatch):
    # The same message (task id and try) given to a second worker, as a prefork pool's
    # reject_on_worker_lost or a broker redelivery would, while the first run still holds the job.
    monkeypatch.setattr(tasks, "analyze_article", lambda article, timings=None: RESULT)
    job_id = store.create({"text": "Tekst om Danmark. Og mere.", "language": "da"})
    store.start(job_id, lease_seconds=30, holder=Holder("delivery-1", 0))
    tasks.analyze.apply(args=[job_id], task_id="delivery-1").get()
    job = store.get(job_id)
    assert job["status"] == "running" and job["attempts"] == 1
    store.succeed(job_id, {})  # no lease left for another test's sweep to find


class ReplyLosingProxy(SocketProxy):
    """A proxy in front of Redis's socket that can lose the reply to the next script a client
    runs through it: the script reaches Redis and runs, and the client's connection is closed
    before the reply comes back, as a network that fails at that moment would."""

    def __init__(self, target: str, path: str):
        self.lose_next_script = False
        super().__init__(target, path)

    def _join(self, client, server) -> None:
        losing = threading.Event()
        threading.Thread(target=self._requests, args=(client, server, losing), daemon=True).start()
        threading.Thread(target=self._replies, args=(server, client, losing), daemon=True).start()

    def _requests(self, client, server, losing) -> None:
        while data := recv(client):
            if self.lose_next_script and b"EVALSHA" in data.upper():
                self.lose_next_script = False
                losing.set()  # before the script goes, so that its reply is the one lost
            server.sendall(data)

    def _replies(self, server, client, losing) -> None:
        while data := recv(server):
            if losing.is_set():
                client.close()
                server.close()
                return
            client.sendall(data)


def test_a_start_whose_reply_was_lost_still_runs_its_job(settings, redis_server, tmp_path, sent,
                                                         monkeypatch):
    # The Redis client sends the start script again on a new connection (redis-py retries a
    # command whose connection failed): the job is found running under this very run's start.
    proxy = ReplyLosingProxy(str(redis_server.socket_path), str(tmp_path / "proxy.sock"))
    store = JobStore(redis.Redis(unix_socket_path=str(tmp_path / "proxy.sock"), socket_timeout=5),
                     settings.result_ttl_seconds)
    monkeypatch.setattr(tasks, "job_store", lambda: store)
    monkeypatch.setattr(tasks, "analyze_article", lambda article, timings=None: RESULT)
    try:
        job_id = store.create({"text": "Tekst om Danmark. Og mere.", "language": "da"})
        store.redis.script_load(store._start.script)  # the script is there: it runs the first time
        proxy.lose_next_script = True
        tasks.analyze.apply(args=[job_id], task_id="delivery-1").get()
        assert not proxy.lose_next_script, "a reply was lost"
        job = store.get(job_id)
        assert job["status"] == "succeeded" and job["attempts"] == 1
    finally:
        proxy.close()


@pytest.fixture
def losing(settings, redis_server, tmp_path, monkeypatch):
    """The tasks' store, its Redis behind a ReplyLosingProxy."""
    proxy = ReplyLosingProxy(str(redis_server.socket_path), str(tmp_path / "proxy.sock"))
    store = JobStore(redis.Redis(unix_socket_path=str(tmp_path / "proxy.sock"), socket_timeout=5),
                     settings.result_ttl_seconds)
    monkeypatch.setattr(tasks, "job_store", lambda: store)
    yield proxy, store
    proxy.close()


def test_a_finish_whose_reply_was_lost_still_schedules_the_webhook(losing, monkeypatch):
    # The Redis client sends the finish script again on a new connection: the job is found
    # finished by this very call, not by another delivery, so its webhook is still to be sent.
    proxy, store = losing
    scheduled = []
    monkeypatch.setattr(tasks, "schedule_delivery", lambda job: scheduled.append(job["job_id"]))
    monkeypatch.setattr(tasks, "analyze_article", lambda article, timings=None: RESULT)
    job_id = store.create({"text": "Tekst om Danmark. Og mere.", "language": "da",
                           "callback_url": "https://example.com/hook"})
    job = store.start(job_id, holder=Holder("delivery-1"))
    store.redis.script_load(store._finish_script.script)
    proxy.lose_next_script = True
    tasks._run(job)
    assert not proxy.lose_next_script, "a reply was lost"
    assert scheduled == [job_id]
    assert store.get(job_id)["status"] == "succeeded"


def test_a_failure_whose_reply_was_lost_still_schedules_the_webhook(losing, monkeypatch):
    proxy, store = losing
    scheduled = []
    monkeypatch.setattr(tasks, "schedule_delivery", lambda job: scheduled.append(job["job_id"]))
    job_id = store.create({"text": "Tekst om Danmark. Og mere.", "language": "da",
                           "callback_url": "https://example.com/hook"})
    job = store.start(job_id, holder=Holder("delivery-1"))
    store.redis.script_load(store._finish_script.script)
    proxy.lose_next_script = True
    tasks._failed(job, "timeout", "too late")
    assert not proxy.lose_next_script, "a reply was lost"
    assert scheduled == [job_id]
    assert store.get(job_id)["error"]["code"] == "timeout"


def test_a_hand_back_whose_reply_was_lost_still_sends_the_jobs_message(losing, sent):
    # The requeue script runs twice: the second run finds the job queued by this very call, and
    # the message is still to go, or the job would wait for the sweeper's resend of queued jobs.
    proxy, store = losing
    job_id = store.create({"text": "Tekst. Og mere.", "language": "da"})
    job = store.start(job_id, lease_seconds=30)
    store.redis.script_load(store._requeue.script)
    proxy.lose_next_script = True
    tasks._hand_back([job])
    assert not proxy.lose_next_script, "a reply was lost"
    assert sent == [job_id]
    assert store.get(job_id)["status"] == "queued"
