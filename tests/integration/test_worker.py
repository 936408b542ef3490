"""A real Celery worker process takes jobs from a real Redis and stores their results."""

from __future__ import annotations

import pytest

from tests.conftest import DANISH_SEED, SEEDS, load_seed
from tests.integration.conftest import wait_for_job
from tests.result_checks import check_danish_seed, check_result


def test_danish_seed_is_analyzed_by_a_real_worker(client, worker):
    article = load_seed(DANISH_SEED)
    job_id = client.post("/v1/articles", json=article).get_json()["job_id"]
    job = wait_for_job(client, job_id)
    assert job["status"] == "succeeded", job["error"]
    assert job["error"] is None
    assert job["started_at"] and job["finished_at"] and job["expires_at"] > job["finished_at"]
    check_result(article, job["result"])
    check_danish_seed(job["result"])
    assert job["metadata"] == article["metadata"]


def test_every_seed_succeeds(client, worker):
    jobs = {}
    for path in SEEDS:
        article = load_seed(path)
        jobs[path.name] = (article, client.post("/v1/articles", json=article).get_json()["job_id"])
    for name, (article, job_id) in jobs.items():
        job = wait_for_job(client, job_id)
        assert job["status"] == "succeeded", (name, job["error"])
        check_result(article, job["result"])


@pytest.mark.parametrize(
    ("text", "language", "warning"),
    [
        ("Ceci est un article en français. Il parle de Paris et de la France. Le président parle.",
         "auto", "entities_unsupported_language"),
        ("Hej", "da", "summary_empty"),
    ],
)
def test_warnings_instead_of_errors(client, worker, text, language, warning):
    job_id = client.post("/v1/articles", json={"text": text, "language": language}).get_json()["job_id"]
    job = wait_for_job(client, job_id)
    assert job["status"] == "succeeded"
    assert warning in {w["code"] for w in job["result"]["warnings"]}


def test_unsupported_language_still_gets_a_summary(client, worker):
    text = ("Le gouvernement a présenté mardi son projet de budget. Les dépenses augmentent de trois pour cent. "
            "L'opposition critique un texte jugé trop optimiste. Le débat commence la semaine prochaine.")
    job = wait_for_job(client, client.post("/v1/articles", json={"text": text}).get_json()["job_id"])
    result = job["result"]
    assert result["language"] == "fr"
    assert result["entities"] == []
    assert result["summary"]["sentences"]
    check_result({"text": text}, result)


def test_options_limit_the_summary(client, worker):
    article = load_seed(DANISH_SEED) | {"options": {"summary_sentences": 1}}
    job = wait_for_job(client, client.post("/v1/articles", json=article).get_json()["job_id"])
    assert len(job["result"]["summary"]["sentences"]) == 1
