"""A job's JSON answer with the stored result passed on as it is, not decoded and encoded again."""

import json

from newsdesk.job_document import job_document, job_json


def _job(result, metadata=None) -> dict:
    return {"job_id": "j1", "status": "succeeded", "created_at": "2026-01-01T00:00:00.000Z",
            "error": None, "result": result,
            "echo": {"title": "T", "url": None, "published_at": None, "language": "da",
                     "callback_url": None, "chars": 3, "metadata": metadata or {}}}


def test_the_text_is_the_document_with_the_stored_result():
    result = {"language": "da", "entities": [{"name": "Æbelø", "type": "LOC"}]}
    text = job_json(_job(json.dumps(result)))
    assert json.loads(text) == job_document(_job(result))
    assert list(json.loads(text)) == list(job_document(_job(result))), "same keys in the same order"


def test_metadata_cannot_pose_as_the_result():
    sneaky = {"x": "\x00newsdesk:result\x00", "y": '"result":'}
    document = json.loads(job_json(_job('{"ok": true}', metadata=sneaky)))
    assert document["result"] == {"ok": True} and document["metadata"] == sneaky


def test_a_job_without_a_result():
    assert json.loads(job_json(_job(None)))["result"] is None
