"""The Python client against the live service: analyze, batches, listing and deletion."""

from __future__ import annotations

import pytest

from newsdesk import Client, ClientError
from tests.conftest import DANISH_SEED, SEEDS, load_seed
from tests.e2e.conftest import API_KEY as KEY
from tests.result_checks import check_danish_seed


def test_analyze_returns_typed_results(keyed_service):
    job = Client(keyed_service.url, api_key=KEY).analyze(load_seed(DANISH_SEED))
    assert job.done and job.status == "succeeded"
    assert job.result.language == "da"
    names = {group.name: group.label for group in job.result.entities}
    assert names["Kim Jong-un"] == "PER" and names["Rusland"] == "LOC"
    check_danish_seed(job.document["result"])


def test_batch_then_wait_for_each_job(keyed_service):
    client = Client(keyed_service.url, api_key=KEY)
    batch = client.submit_batch([load_seed(path) for path in SEEDS])
    jobs = [client.wait(job_id) for job_id in batch.job_ids]
    assert [job.status for job in jobs] == ["succeeded"] * len(SEEDS)
    assert client.batch(batch.batch_id)["counts"] == {"succeeded": len(SEEDS)}


def test_listing_and_deleting(keyed_service):
    client = Client(keyed_service.url, api_key=KEY)
    job = client.analyze({"text": "En kort nyhed om Aarhus. Den slutter her."})
    assert job.job_id in [listed["job_id"] for listed in client.jobs(status="succeeded", limit=100)]
    client.delete(job.job_id)
    with pytest.raises(ClientError) as gone:
        client.job(job.job_id)
    assert gone.value.status == 404 and gone.value.code == "job_not_found"


def test_a_wrong_key_is_refused_without_retrying(keyed_service):
    with pytest.raises(ClientError) as refused:
        Client(keyed_service.url, api_key="wrong-key-0123456789").jobs()
    assert refused.value.status == 401
