"""`newsdesk eval summaries` on a few articles of the shared dev data."""

import json
import os
from pathlib import Path

import pytest

from worker.evaluation.summaries import main

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("NEWSDESK_SHARED_DATA", ROOT.parent / "shared" / "data"))

pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def data() -> Path:
    if not DATA.is_dir():
        pytest.skip(f"shared data folder {DATA} is absent (set NEWSDESK_SHARED_DATA to point at it)")
    return DATA


def run(capsys, *argv) -> tuple[str, dict]:
    assert main(list(argv)) == 0
    out = capsys.readouterr().out
    return out, json.loads(out.strip().splitlines()[-1])


def test_english_table_has_all_systems(data, capsys):
    out, figures = run(capsys, "--data", str(data / "cnndm_dev100" / "cnndm_dev100.jsonl"),
                       "--sentences", "3", "--limit", "5")
    results = figures["cnndm_dev100.jsonl"]["results"]
    assert figures["cnndm_dev100.jsonl"]["articles"] == 5
    assert {"Lead-1", "Lead-2", "Lead-3", "ours k=3", "TextRank k=3"} <= set(results)
    for row in results.values():
        assert set(row) == {"rouge1", "rouge2", "rougeL", "rougeLsum"}
        assert all(0.0 <= value <= 100.0 for value in row.values())
    assert "rougeLsum" in out and "ours k=3" in out


def test_danish_folder_skips_training_file(data, capsys):
    _out, figures = run(capsys, "--data", str(data / "danewsroom_dansum"), "--sentences", "1", "2", "--limit", "3")
    assert set(figures) == {"val1k.jsonl", "val25k_clean1.jsonl"}
    for entry in figures.values():
        assert entry["language"] == "da"
        assert {"ours k=1", "ours k=2", "TextRank k=2", "Lead-2"} <= set(entry["results"])
        # Danish words with æ/ø/å must score: the Snowball tokenizer keeps them.
        assert entry["results"]["Lead-1"]["rouge1"] > 0.0
