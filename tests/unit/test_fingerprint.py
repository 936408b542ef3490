"""An Idempotency-Key's fingerprint: a batch hashed an article at a time gives the digest the whole
body's JSON gives, so keys recorded before (up to 24 h old) still match their retries."""

from __future__ import annotations

import hashlib
import json

import pytest

from service.idempotency import BatchDigest
from service.idempotency import fingerprint as fingerprint_of_json


def fingerprint(body):
    """A batch's fingerprint as the API works it out, an article at a time; another body's whole."""
    if not (isinstance(body, dict) and body.keys() == {"batch"} and isinstance(body["batch"], list)):
        return fingerprint_of_json(body)
    digest = BatchDigest()
    for article in body["batch"]:
        digest.add(article)
    return fingerprint_of_json(digest.hexdigest())

ARTICLES = [
    {"text": "Stormen rammer kysten — «igen»", "language": "da", "title": None,
     "metadata": {"z": [1, 2.5, {"b": True, "a": None}], "a": "ü"}, "options": {"summary_sentences": 3}},
    {"text": "The council meets on Monday.\n\"Quoted\"", "language": "en", "metadata": {}},
]


def whole(body) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


@pytest.mark.parametrize("body", [
    {"batch": ARTICLES}, {"batch": ARTICLES[:1]}, {"batch": []}, {"batch": ARTICLES * 50},
    ARTICLES[0], {"batch": "not a list"}, {"batch": ARTICLES, "other": 1},
])
def test_the_fingerprint_is_the_sha256_of_the_whole_body_s_json(body):
    assert fingerprint(body) == whole(body)


def test_bodies_that_differ_have_other_fingerprints():
    changed = [ARTICLES[0], dict(ARTICLES[1], text="The council meets on Tuesday.")]
    assert fingerprint({"batch": changed}) != fingerprint({"batch": ARTICLES})
    assert fingerprint({"batch": ARTICLES[::-1]}) != fingerprint({"batch": ARTICLES})
