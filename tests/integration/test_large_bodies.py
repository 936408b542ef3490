"""Large request bodies: decoded whole however they are cut into gzip members and read steps."""

from __future__ import annotations

import gzip
import json

from tests.integration.test_api import assert_problem

JSON = "application/json"


def batch_body(size: int) -> bytes:
    """A batch of real seed text, `size` bytes of JSON give or take a few hundred."""
    text = json.loads(open("seeds/en-storm-flooding.json", encoding="utf-8").read())["text"]
    per_article = 40_000
    count = max(1, size // per_article)
    repeated = (text * (per_article // len(text) + 1))[:per_article - 60]
    return json.dumps({"articles": [{"text": repeated, "language": "en"}] * count}).encode()


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
