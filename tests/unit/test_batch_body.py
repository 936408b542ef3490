"""A batch read an article at a time from its spool (service/batch_body.py) says what the whole body
parsed by json.loads and loaded by BatchSchema said: the same articles and fingerprint for a valid
batch, the same 400 detail for malformed JSON, the same 422 errors in the same shapes for an
invalid one; however the text is cut into the pieces it is read in."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import io
import json

import pytest
from flask import Flask
from marshmallow import ValidationError

from newsdesk.settings import Settings
from service import json_stream
from service.articles import callback_errors, not_json
from service.batch_body import BatchBody
from service.errors import Problem
from service.idempotency import fingerprint
from service.schemas import BatchSchema

SETTINGS = dataclasses.replace(Settings.from_env({}), max_body_bytes=2_000, max_queued_per_key=6)


def whole_body(body: bytes, settings: Settings = SETTINGS):
    """What the API said of a batch before it was read an article at a time: json.loads of the
    whole body, BatchSchema, then the queue and per-article limits."""
    try:
        data = json.loads(body.decode(json.detect_encoding(body), "surrogatepass"), parse_constant=not_json)
    except (ValueError, UnicodeDecodeError) as exc:
        return 400, str(exc)
    except RecursionError:
        return 400, "The JSON is nested too deeply to parse."
    try:
        articles = BatchSchema().load(data)["articles"]
    except ValidationError as exc:
        return 422, exc.normalized_messages()
    if len(articles) > settings.max_queued_per_key:
        return 422, "queue"
    errors = {}
    for index, article in enumerate(articles):
        item = callback_errors(article)
        if len(article["text"].encode()) > settings.max_body_bytes:
            item["text"] = [f"Longer than {settings.max_body_bytes} bytes (UTF-8), the limit for one article."]
        # Added since: the other fields are bounded too.
        rest = {name: value for name, value in article.items() if name != "text"}
        if len(json.dumps(rest, ensure_ascii=False).encode()) > settings.max_body_bytes:
            item["_schema"] = [f"The fields other than text take more than {settings.max_body_bytes} bytes as "
                               "JSON (UTF-8), the limit for one article."]
        if item:
            errors[index] = item
    if errors:
        return 422, {"articles": errors}
    return 202, articles, fingerprint({"batch": articles})


def streamed(body: bytes, settings: Settings = SETTINGS):
    batch = BatchBody(io.BytesIO(body), settings)
    try:
        batch.check()
    except Problem as exc:
        assert exc.status == 400 and exc.code == "malformed_json"
        return 400, exc.detail
    except ValidationError as exc:
        messages = exc.normalized_messages()
        if "NEWSDESK_MAX_QUEUED_PER_KEY" in str(messages):
            return 422, "queue"
        return 422, messages
    articles = list(batch.articles())
    assert len(articles) == batch.count
    return 202, articles, batch.fingerprint


def article(i: int, **fields) -> dict:
    return {"text": f"Nyhed nummer {i} om København — «{i}» \U0001F600.", "language": "da", **fields}


def dumps(value, **options) -> bytes:
    return json.dumps(value, **options).encode()


ARTICLES = [article(0, title="Tit\"el", metadata={"n": 1.5, "big": 10 ** 30, "t": [True, None, {"x": "\n"}]}),
            article(1, url="https://example.com/a", published_at="2024-02-29", options={"summary_sentences": 2}),
            article(2, language="auto")]
TOO_DEEP = {"k": json.loads("[" * 40 + "]" * 40)}

BODIES = {
    "valid": dumps({"articles": ARTICLES}),
    "valid, not ASCII, indented": dumps({"articles": ARTICLES}, ensure_ascii=False, indent=2),
    "valid, UTF-16": json.dumps({"articles": ARTICLES}, ensure_ascii=False).encode("utf-16"),
    "valid, UTF-8 BOM": b"\xef\xbb\xbf" + dumps({"articles": ARTICLES}),
    "valid, escaped surrogate pair": b'{"articles": [{"text": "a \\ud83d\\ude00 b"}]}',
    "articles given twice, the last kept": dumps({"articles": [{"text": ""}]})[:-1] + b', "articles": [{"text": "x"}]}',
    "articles given twice, the last invalid": b'{"articles": [{"text": "x"}], "articles": [{"text": ""}, 5]}',
    "articles given twice, the last not a list": b'{"articles": [{"text": "x"}], "articles": {"a": 1}}',
    "items invalid at several indexes": dumps({"articles": [
        ARTICLES[0], {"text": ""}, ARTICLES[1], {"text": "a", "language": "xx"}, 5, None, [1],
        {"text": "a", "other": 1}, {"text": "a\x00"}, {"text": "\ud800"}, {"text": "a", "metadata": TOO_DEEP},
        {"text": "a", "published_at": "2023-02-29"}, {"text": "a", "options": {"summary_sentences": 0}}]}),
    "items invalid and an unknown field": b'{"x": {"y": [1]}, "articles": [{"text": ""}], "y": 2, "x": 3}',
    "unknown field only": b'{"articles": [{"text": "a"}], "extra": [1, 2, {"a": "b"}]}',
    "no articles": b'{"x": 1}',
    "empty object": b"{}",
    "articles null": b'{"articles": null}',
    "articles a string": b'{"articles": "x"}',
    "articles an object": b'{"articles": {"text": "a"}}',
    "articles empty": b'{"articles": []}',
    "1,001 articles": dumps({"articles": [{"text": "a"}] * 1001}),
    "1,001 articles, one invalid": dumps({"articles": [{"text": "a"}] * 1000 + [{"text": " "}]}),
    "more than a key may queue": dumps({"articles": [{"text": "a"}] * 7}),
    "more than a key may queue, one too long": dumps({"articles": [{"text": "a" * 2001}] + [{"text": "a"}] * 6}),
    "texts too long, in UTF-8": dumps({"articles": [{"text": "a" * 2000}, {"text": "æ" * 1001}, {"text": "a" * 2001}]}),
    "other fields too long": dumps({"articles": [
        {"text": "a" * 2000, "metadata": {"k": "v" * 1700}}, {"text": "b", "metadata": {"k": "æ" * 1000}},
        {"text": "c", "url": "https://example.com/" + "a" * 2000}, {"text": "a" * 2001, "metadata": {"k": "v" * 2000}}]}),
    "an unsafe callback": dumps({"articles": [{"text": "a"}, {"text": "b", "callback_url": "http://127.0.0.1/hook"}]}),
    "a list": dumps([ARTICLES[0]]),
    "a string": b'"articles"',
    "a number": b"5",
    "null": b"null",
    "malformed at the end": dumps({"articles": ARTICLES})[:-1],
    "malformed in an article": dumps({"articles": ARTICLES}).replace(b'"language": "auto"', b'"language": auto'),
    "a trailing comma": b'{"articles": [{"text": "a"},]}',
    "a trailing comma in the object": b'{"articles": [{"text": "a"}],}',
    "no comma": b'{"articles": [{"text": "a"} {"text": "b"}]}',
    "no colon": b'{"articles" [{"text": "a"}]}',
    "a key that is no string": b'{articles: []}',
    "extra data": b'{"articles": [{"text": "a"}]} {}',
    "NaN": b'{"articles": [{"text": "a", "metadata": {"x": NaN}}]}',
    "-Infinity in an unknown field": b'{"articles": [{"text": "a"}], "x": -Infinity}',
    "invalid UTF-8": b'{"articles": [{"text": "a\xff"}]}',
    "a UTF-8 sequence cut short": b'{"articles": [{"text": "a\xc3"}]}',
    "two BOMs": b"\xef\xbb\xbf\xef\xbb\xbf{}",
    "nested too deeply": b'{"articles": [{"text": "a", "metadata": {"x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}]}",
    "empty": b"",
    "whitespace": b" \n ",
    "a control character in a string": b'{"articles": [{"text": "a\x01"}]}',
    "lines before the error": b'{\n  "articles": [\n    {"text": "a"},\n    {"text": "b" "c"}\n  ]\n}',
}


@pytest.fixture(autouse=True)
def app_context():
    app = Flask(__name__)
    app.config["SETTINGS"] = SETTINGS
    with app.app_context():
        yield


@pytest.mark.parametrize("read", [json_stream._READ, 7, 64], ids=["1 MiB reads", "7-byte reads", "64-byte reads"])
@pytest.mark.parametrize("name", BODIES)
def test_a_batch_read_an_article_at_a_time_is_what_the_whole_body_was(name, read, monkeypatch):
    monkeypatch.setattr(json_stream, "_READ", read)
    assert streamed(BODIES[name]) == whole_body(BODIES[name])


def test_each_article_s_other_fields_are_bounded_as_in_a_single_article():
    # A batch item's metadata was not bounded at all: one item could carry 49 MB of it.
    status, errors = streamed(BODIES["other fields too long"])
    assert status == 422
    assert sorted(errors["articles"]) == [1, 2, 3]
    assert set(errors["articles"][3]) == {"text", "_schema"}
    assert "take more than 2000 bytes" in errors["articles"][1]["_schema"][0]


def test_the_table_covers_every_answer():
    statuses = [whole_body(body)[0] for body in BODIES.values()]
    assert statuses.count(202) >= 5 and statuses.count(400) >= 15 and statuses.count(422) >= 15


def test_a_valid_batch_keeps_its_articles_and_the_fingerprint_of_the_whole():
    status, articles, digest = streamed(BODIES["valid"])
    assert status == 202 and [a["text"] for a in articles] == [a["text"] for a in ARTICLES]
    assert articles[0]["options"] == {"summary_sentences": 3, "summary_max_chars": None}  # the schema's defaults
    whole = json.dumps({"batch": articles}, sort_keys=True).encode()
    assert digest == hashlib.sha256(whole).hexdigest()


def test_a_long_article_read_in_short_pieces_is_read_whole(monkeypatch):
    monkeypatch.setattr(json_stream, "_READ", 1000)
    text = "Stormen rammer kysten. " * 40_000 + "Slut."  # 920,000 characters, read 1,000 bytes at a time
    body = gzip.decompress(gzip.compress(dumps({"articles": [{"text": "a"}, {"text": text}, {"text": "b"}]})))
    status, articles, _ = streamed(body, dataclasses.replace(SETTINGS, max_body_bytes=1_000_000))
    assert status == 202 and articles[1]["text"] == text and articles[2]["text"] == "b"
