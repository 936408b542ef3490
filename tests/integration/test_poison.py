"""Hostile input: a clean 4xx or a clean succeeded/failed, never a 500, never a stuck worker."""

from __future__ import annotations

import json

import pytest

from tests.integration.conftest import wait_for_job

REFUSED = [
    ("NUL bytes", {"text": "Kim\x00Jong-un"}),
    ("lone surrogate", {"text": "Avis \ud800 tekst"}),
    ("lone surrogate in title", {"text": "Tekst.", "title": "\udfff"}),
    ("only whitespace and newlines", {"text": "\n" * 100_000}),
]

ACCEPTED = [
    ("1 MB of one word", {"text": "ord" * 330_000}),
    ("100k newlines between words", {"text": "Linje.\n" * 100_000}),
    ("right-to-left", {"text": "أعلن رئيس الوزراء اليوم عن خطة جديدة. وقال إن الحكومة ستدعم المدارس."}),
    ("emoji", {"text": "Kim Jong-un 🚆➡️🇷🇺 mødes med Putin 🤝. Det melder YTN 📺. " * 20}),
    ("mixed scripts", {"text": "Путин meets Kim Jong-un (김정은) in 東京 and København. Talks continue. " * 10}),
    ("HTML", {"text": "<p>Statsministeren <b>besøgte</b> Aarhus.</p><script>alert(1)</script><p>Hun talte.</p>"}),
    ("zero-width and combining", {"text": "Ko\u0308benhavn\u200b er hovedstaden. Aarhus\u200d er nummer to. " * 5}),
    ("control characters", {"text": "Tekst\x01\x02 med \x1b[31m styretegn. Anden sætning her."}),
]


@pytest.mark.parametrize("name,article", REFUSED, ids=[n for n, _ in REFUSED])
def test_refused_with_a_clean_422(client, name, article):
    response = client.post("/v1/articles", data=json.dumps(article), content_type="application/json")
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("name,article", ACCEPTED, ids=[n for n, _ in ACCEPTED])
def test_accepted_and_finished_cleanly(client, worker, name, article):
    response = client.post("/v1/articles", data=json.dumps(article), content_type="application/json")
    assert response.status_code == 202, response.get_data(as_text=True)
    job = wait_for_job(client, response.get_json()["job_id"], timeout=120)
    assert job["status"] == "succeeded", job["error"]
    text = article["text"]
    for group in job["result"]["entities"]:
        for mention in group["mentions"]:
            assert text[mention["start"]:mention["end"]] == mention["text"]


def test_worker_still_serves_after_the_poison(client, worker):
    job_id = client.post("/v1/articles", json={"text": "En helt almindelig nyhed. Intet mere."}).get_json()["job_id"]
    assert wait_for_job(client, job_id)["status"] == "succeeded"
