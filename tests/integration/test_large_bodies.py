"""Large request bodies: decoded whole however they are cut into gzip members and read steps;
and how many an API process holds at once (NEWSDESK_MAX_BODY_BYTES_IN_FLIGHT): one more that
would take it over the limit gets 503 with Retry-After; a body alone always goes through; small
bodies are not counted; a batch's body, spooled to disk, counts no more than SPOOL_COUNTED;
every request gives its bytes back when it ends, and the memory is handed back to the system
after a large body or a large answer. Large articles are parsed and recorded PARSED_AT_ONCE at a
time, small ones all at once."""

from __future__ import annotations

import dataclasses
import gzip
import io
import json
import threading
import time

import pytest

from newsdesk import memory
from service import articles
from service import body as request_body
from service import create_app
from service.jobs import LARGE_ANSWER
from tests.integration.test_api import assert_problem

LIMIT = 200_000
JSON = "application/json"


def batch_body(size: int) -> bytes:
    """A batch of real seed text, `size` bytes of JSON give or take a few hundred."""
    text = json.loads(open("seeds/en-storm-flooding.json", encoding="utf-8").read())["text"]
    per_article = 40_000
    count = max(1, size // per_article)
    repeated = (text * (per_article // len(text) + 1))[:per_article - 60]
    return json.dumps({"articles": [{"text": repeated, "language": "en"}] * count}).encode()


class HeldBody(io.BytesIO):
    """A request body that stops after its first read until `go` is set: its request holds its
    bytes in flight meanwhile."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.size = len(data)
        self.reading, self.go = threading.Event(), threading.Event()

    def read(self, size: int = -1) -> bytes:
        if self.tell():
            self.reading.set()
            assert self.go.wait(30)
        return super().read(size)


@pytest.fixture
def app(settings):
    limited = dataclasses.replace(settings, max_body_bytes_in_flight=LIMIT)
    return create_app({"SETTINGS": limited, "TESTING": True})


@pytest.fixture
def held(app):
    """A batch of 150,000 bytes whose request is under way, and its response once it is let go."""
    body = HeldBody(batch_body(150_000))
    answers = []
    thread = threading.Thread(target=lambda: answers.append(app.test_client().post(
        "/v1/batches", input_stream=body, content_length=body.size, content_type=JSON)))
    thread.start()
    assert body.reading.wait(30)

    def let_go():
        body.go.set()
        thread.join(30)
        return answers[0]

    yield let_go
    body.go.set()
    thread.join(30)


def test_a_large_body_over_the_limit_with_another_in_flight_gets_503(app, client, held):
    response = client.post("/v1/batches", data=batch_body(100_000), content_type=JSON)
    problem = assert_problem(response, 503, "too_many_large_bodies")
    assert response.headers["Retry-After"] == "2"
    assert "NEWSDESK_MAX_BODY_BYTES_IN_FLIGHT" in problem["detail"]
    assert held().status_code == 202
    # The first one done, the second goes through.
    assert client.post("/v1/batches", data=batch_body(100_000), content_type=JSON).status_code == 202
    assert app.extensions["newsdesk.bodies"].held == 0


def test_a_gzip_body_counts_as_what_it_decodes_to(client, held):
    coded = gzip.compress(batch_body(100_000))
    assert len(coded) < 10_000
    response = client.post("/v1/batches", data=coded, content_type=JSON, headers={"Content-Encoding": "gzip"})
    assert_problem(response, 503, "too_many_large_bodies")
    assert held().status_code == 202


def test_small_bodies_are_not_counted(client, held):
    article = {"text": "Storm floods the coast; the council meets on Monday.", "language": "en"}
    assert client.post("/v1/articles", json=article).status_code == 202
    assert client.post("/v1/batches", json={"articles": [article] * 3}).status_code == 202
    assert held().status_code == 202


def test_a_body_alone_is_taken_whatever_its_size(app, client):
    body = batch_body(3 * LIMIT)
    assert len(body) > LIMIT
    assert client.post("/v1/batches", data=body, content_type=JSON).status_code == 202
    assert app.extensions["newsdesk.bodies"].held == 0


@pytest.fixture
def small_spools(monkeypatch):
    """A batch's spool keeps 100,000 bytes in memory and the rest on disk, and counts 100,000 at most."""
    monkeypatch.setattr(request_body, "SPOOL_IN_MEMORY", 100_000)
    monkeypatch.setattr(request_body, "SPOOL_COUNTED", 100_000)


def test_a_spooled_batch_counts_no_more_than_spool_counted_however_large(small_spools, app, client, held):
    body = batch_body(3 * LIMIT)  # 600 KB, most on disk, while the held batch is in flight: 100 KB each
    assert client.post("/v1/batches", data=body, content_type=JSON).status_code == 202
    response = client.post("/v1/batches", data=gzip.compress(body), content_type=JSON,
                           headers={"Content-Encoding": "gzip"})  # coded and decoded together
    assert response.status_code == 202
    assert held().status_code == 202
    assert app.extensions["newsdesk.bodies"].held == 0


def test_a_single_article_is_held_whole_in_memory(small_spools, client, held):
    text = json.loads(open("seeds/en-storm-flooding.json", encoding="utf-8").read())["text"]
    # 120 KB, all in memory: with the held batch's 100 KB, over the limit of 200 KB.
    article = {"text": (text * 1000)[:120_000], "language": "en"}
    response = client.post("/v1/articles", data=json.dumps(article), content_type=JSON)
    assert_problem(response, 503, "too_many_large_bodies")
    assert held().status_code == 202


def test_refused_and_failed_requests_give_their_bytes_back(app, client):
    body = batch_body(150_000)
    assert_problem(client.post("/v1/batches", data=body[:-1], content_type=JSON), 400, "malformed_json")
    invalid = body.replace(b'"language": "en"', b'"language": "xx"')
    assert_problem(client.post("/v1/batches", data=invalid, content_type=JSON), 422, "validation_failed")
    assert app.extensions["newsdesk.bodies"].held == 0


def test_gzip_members_across_read_steps_decode_to_the_whole_body(client):
    text = json.loads(open("seeds/da-kim-jong-un-rusland.json", encoding="utf-8").read())["text"]
    body = json.dumps({"text": (text * 100)[:300_000], "language": "da"}, ensure_ascii=False).encode()
    # Stored, not compressed (level 0): members as long as their parts, ending mid-step.
    cuts = [0, 70_001, 160_004, len(body)]
    coded = b"".join(gzip.compress(body[a:b], 0) for a, b in zip(cuts, cuts[1:]))
    response = client.post("/v1/articles", data=coded, content_type=JSON, headers={"Content-Encoding": "gzip"})
    assert response.status_code == 202, response.get_data(as_text=True)
    job = client.get(response.headers["Location"]).get_json()
    assert job["article"]["chars"] == len(json.loads(body)["text"])


def test_a_gzip_body_cut_short_in_a_later_step_is_400(client):
    coded = gzip.compress(batch_body(150_000), 0)
    response = client.post("/v1/batches", data=coded[:-10], content_type=JSON, headers={"Content-Encoding": "gzip"})
    assert_problem(response, 400, "malformed_body")


@pytest.fixture
def trims(monkeypatch):
    """The calls of malloc_trim (the pages it would hand back are not this test's business)."""
    calls = []
    monkeypatch.setattr(memory, "malloc_trim", calls.append)
    return calls


def test_memory_is_handed_back_after_a_large_body_not_after_a_small_one(client, trims):
    assert client.post("/v1/articles", json={"text": "A small article.", "language": "en"}).status_code == 202
    assert trims == []
    assert client.post("/v1/batches", data=batch_body(100_000), content_type=JSON).status_code == 202
    assert trims == [0]


def test_memory_is_handed_back_after_sending_a_large_result(app, client, trims):
    store = app.extensions["newsdesk.queue"].store
    small, large = (client.post("/v1/articles", json={"text": "Storm floods the coast.", "language": "en"})
                    .get_json()["job_id"] for _ in range(2))
    for job_id, sentences in ((small, 1), (large, 2_000)):
        store.start(job_id)
        store.succeed(job_id, {"entities": [], "summary": {"sentences": [{"text": "Storm floods the coast."}] * sentences}})
    client.get(f"/v1/jobs/{small}").close()
    assert trims == []
    response = client.get(f"/v1/jobs/{large}")
    assert len(response.get_data()) > LARGE_ANSWER
    response.close()
    assert trims == [0]


@pytest.fixture
def parsing(monkeypatch):
    """How many requests were parsing an article at most at once; each takes 0.1 s over it."""
    lock, state = threading.Lock(), {"now": 0, "most": 0}
    load_article = articles.load_article

    def slow_load(data):
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        time.sleep(0.1)
        with lock:
            state["now"] -= 1
        return load_article(data)

    monkeypatch.setattr(articles, "load_article", slow_load)
    return state


def post_at_once(settings, article: dict, count: int) -> list[int]:
    app = create_app({"SETTINGS": settings, "TESTING": True})
    statuses: list[int] = []
    threads = [threading.Thread(target=lambda: statuses.append(
        app.test_client().post("/v1/articles", json=article).status_code)) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return statuses


def test_large_articles_are_parsed_and_recorded_two_at_a_time(settings, parsing):
    text = json.loads(open("seeds/en-storm-flooding.json", encoding="utf-8").read())["text"]
    article = {"text": (text * 100)[:100_000], "language": "en"}
    assert post_at_once(settings, article, 6) == [202] * 6
    assert parsing["most"] == request_body.PARSED_AT_ONCE == 2


def test_small_articles_are_parsed_all_at_once(settings, parsing):
    article = {"text": "Storm floods the coast; the council meets on Monday.", "language": "en"}
    assert post_at_once(settings, article, 6) == [202] * 6
    assert parsing["most"] > request_body.PARSED_AT_ONCE
