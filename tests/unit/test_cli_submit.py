"""`newsdesk submit` against a fake client: reading article files and printing the results."""

from __future__ import annotations

import json

import pytest

from newsdesk import cli, client


class FakeClient:
    """Answers every article with a finished job whose summary is the article's text."""

    posted: list[dict] = []

    def __init__(self, *args, **kwargs):
        self.jobs = {}

    def submit(self, article):
        job_id = f"job-{len(self.jobs)}"
        entity = {"name": article.get("title", "[the minister]"), "label": "PER", "count": 1, "mentions": []}
        result = {"language": "en", "summary": {"text": article["text"], "sentences": []},
                  "entities": [entity], "warnings": []}
        self.jobs[job_id] = client.Job.from_json({"job_id": job_id, "status": "done", "result": result})
        FakeClient.posted.append(article)
        return self.jobs[job_id]

    def wait(self, job_id):
        return self.jobs[job_id]


@pytest.fixture(autouse=True)
def fake_client(monkeypatch):
    FakeClient.posted = []
    monkeypatch.setattr(client, "Client", FakeClient)


def submit(capsys, *args):
    status = cli.main(["submit", *map(str, args)])
    out, err = capsys.readouterr()
    return status, out, err


def test_article_text_with_square_brackets_is_shown_as_it_is(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("Prices [/ fell] sharply.", encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"title": "[the minister]", "text": "Hej"}), encoding="utf-8")
    status, out, err = submit(capsys, tmp_path)
    assert status == 0, err
    assert "[/ fell]" in out and "[the minister]" in out


def test_a_json_file_with_a_byte_order_mark_is_read_as_json(tmp_path, capsys):
    (tmp_path / "a.json").write_text(json.dumps({"title": "T", "text": "Hej"}), encoding="utf-8-sig")
    status, out, err = submit(capsys, tmp_path / "a.json")
    assert status == 0, err
    assert FakeClient.posted == [{"title": "T", "text": "Hej"}]


def test_text_starting_with_a_brace_is_posted_as_plain_text(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("{Breaking} news from Berlin.\n", encoding="utf-8")
    status, out, err = submit(capsys, tmp_path)
    assert status == 0, err
    assert FakeClient.posted == [{"text": "{Breaking} news from Berlin.\n"}]


def test_unreadable_files_are_reported_and_the_others_still_posted(tmp_path, capsys):
    (tmp_path / "good.txt").write_text("Hej", encoding="utf-8")
    (tmp_path / "lines.jsonl").write_text('{"text": "Hej"}\n{"text": \n', encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("Århus".encode("latin-1"))
    status, out, err = submit(capsys, tmp_path, tmp_path / "missing.json")
    assert status == 2 and FakeClient.posted == [{"text": "Hej"}]
    assert f"{tmp_path / 'lines.jsonl'}: line 2" in err and f"{tmp_path / 'latin1.txt'}: " in err
    assert f"{tmp_path / 'missing.json'}: " in err and "Traceback" not in err


def test_a_folder_without_article_files_is_refused(tmp_path, capsys):
    (tmp_path / "notes.md").write_text("Hej", encoding="utf-8")
    status, out, err = submit(capsys, tmp_path)
    assert status == 2 and "no article files" in err and FakeClient.posted == []
