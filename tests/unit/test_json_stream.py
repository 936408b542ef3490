"""JsonStream reads a document a value at a time as json.loads reads it whole: the same values, and
for a malformed document the same message at the same place, however the bytes are cut into the
pieces it reads."""

from __future__ import annotations

import io
import json
import random

import pytest

from service import json_stream
from service.articles import not_json
from service.json_stream import JsonStream, MalformedJson


def whole(document: bytes):
    try:
        return json.loads(document.decode(json.detect_encoding(document), "surrogatepass"), parse_constant=not_json)
    except (ValueError, UnicodeDecodeError) as exc:
        return MalformedJson, str(exc)
    except RecursionError:
        return MalformedJson, "The JSON is nested too deeply to parse."


def walked(document: bytes):
    """The document read through members() and items() a level deep, each value with value()."""
    try:
        stream = JsonStream(io.BytesIO(document), parse_constant=not_json)
        if stream.peek() == "{":
            read = {key: stream.value() for key in stream.members()}
        elif stream.peek() == "[":
            read = [stream.value() for _ in stream.items()]
        else:
            read = stream.value()
        stream.end()
    except MalformedJson as exc:
        return MalformedJson, str(exc)
    return read


def skipped(document: bytes):
    try:
        stream = JsonStream(io.BytesIO(document), parse_constant=not_json)
        stream.skip()
        stream.end()
    except MalformedJson as exc:
        return MalformedJson, str(exc)
    return whole(document)  # what it read is not kept: only whether it was JSON


DOCUMENTS = [
    b"", b"  ", b"{", b"[", b"{}", b"[]", b"5", b'"x"', b"nul", b"null", b"[tru]", b"[,1]", b"{,}",
    b'{"a":1,}', b"[1,]", b"[1 2]", b'{"a" 1}', b'{"a":1 "b":2}', b'{"a":1}x', b"{1:2}", b'{"a":1}\x00',
    b'  {"a" : 1 }  ', b'{"a":1,"a":2}', b'{"a":[1,2,{"b":null}],"c":"d"}', b'\n\n {"a":\n [1,\n x]}',
    b'\xef\xbb\xbf{"a":1}', b'\xef\xbb\xbf\xef\xbb\xbf{"a":1}', '{"a":"æø"}'.encode("utf-16"),
    '{"a":"x"}'.encode("utf-16-le"), '{"a":"x"}'.encode("utf-32"), b'{"a":"\\ud800"}', b'{"a":"\\ud83d\\ude00"}',
    b'{"a":NaN}', b"[1, -Infinity]", b'{"a":"x\xff"}', b'{"a":"x\xc3"}', b'{"a":"x\xed\xa0\x80y"}',
    b"[1e400, -0, 1.5E+3, 123456789012345678901234567890]", b"[1.]", b"[1e]", b"[" * 5000, b'{"a":"\x01"}',
    b'"abc', b'{"a": "\\u12"}', b'{"a": "\\x"}', b"[1,2,3,\xff]",
]


@pytest.mark.parametrize("read", [json_stream._READ, 1, 3, 7, 64])
def test_values_and_errors_are_json_loads_s(read, monkeypatch):
    monkeypatch.setattr(json_stream, "_READ", read)
    for document in DOCUMENTS:
        assert walked(document) == whole(document), document
        assert skipped(document) == whole(document), document


def test_random_documents_and_their_cut_ends(monkeypatch):
    monkeypatch.setattr(json_stream, "_READ", 7)
    rng = random.Random(6)
    characters = 'ab"\\\n\t æ中\U0001F600/'
    for _ in range(200):
        document = {"articles": [{"text": "".join(rng.choice(characters) for _ in range(rng.randint(0, 40))),
                                  "n": rng.random() * 10 ** rng.randint(-5, 30), "m": rng.randint(-10 ** 20, 10 ** 20),
                                  "t": [True, False, None, {}]} for _ in range(rng.randint(0, 6))]}
        text = json.dumps(document, ensure_ascii=rng.random() < 0.5, indent=rng.choice([None, 1]))
        encoded = text.encode(rng.choice(["utf-8", "utf-16", "utf-32-be"]))
        for body in (encoded, encoded[:rng.randint(0, len(encoded))]):
            assert walked(body) == whole(body), body


def test_a_value_longer_than_a_read_is_read_whole_in_a_few_parses(monkeypatch):
    monkeypatch.setattr(json_stream, "_READ", 1000)
    parses = []
    stream = JsonStream(io.BytesIO(json.dumps(["x" * 1_000_000, 1]).encode()))
    decode = stream._decode_value
    stream._decode_value = lambda *args: parses.append(1) or decode(*args)
    assert [stream.value() for _ in stream.items()] == ["x" * 1_000_000, 1]
    assert len(parses) < 20  # what is read doubles each time: not a thousand parses
