"""`newsdesk eval summaries` on a tiny inline file (the shared data is tested in tests/integration)."""

import json

from worker.evaluation.summaries import main

ARTICLE = {
    "article": "Flooding forced thousands of residents to leave their homes on Sunday, officials said. "
    "Emergency services rescued more than 200 people overnight. Rain is expected to ease by Tuesday.",
    "reference": "Thousands left their homes. More than 200 people were rescued.",
}


def test_missing_path_is_a_clear_error(tmp_path, capsys):
    missing = tmp_path / "missing.jsonl"
    assert main(["--data", str(missing)]) == 2
    assert str(missing) in capsys.readouterr().err


def test_unreadable_file_is_a_clear_error(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(ARTICLE) + "\n{not json\n", encoding="utf-8")
    assert main(["--data", str(bad)]) == 2
    assert "bad.jsonl" in capsys.readouterr().err
    unknown = tmp_path / "unknown.jsonl"
    unknown.write_text(json.dumps({"body": "x"}) + "\n", encoding="utf-8")
    assert main(["--data", str(unknown)]) == 2
    assert "unknown.jsonl" in capsys.readouterr().err
    partial = tmp_path / "partial.jsonl"  # a later row without the fields the first one has
    partial.write_text(json.dumps(ARTICLE) + "\n" + json.dumps({"article": "x"}) + "\n", encoding="utf-8")
    assert main(["--data", str(partial)]) == 2
    assert "partial.jsonl" in capsys.readouterr().err


def test_byte_order_mark_and_crlf_are_read(tmp_path, capsys):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + (json.dumps(ARTICLE) + "\r\n\r\n").encode("utf-8"))
    assert main(["--data", str(path), "--sentences", "1"]) == 0
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert figures["bom.jsonl"]["language"] == "en" and figures["bom.jsonl"]["articles"] == 1
