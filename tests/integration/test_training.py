"""A tiny, real training run from the shared data directory.

The data path comes from NEWSDESK_SHARED_DATA (default: <repo>/../shared/data);
the test is skipped, with the reason, only when that directory is absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from tests.conftest import SHARED_DATA, needs_shared_data
from worker.training import train_ner

pytestmark = needs_shared_data


def tiny_run(out: Path, seed: int = 0) -> None:
    assert train_ner.main(["--lang", "da", "--data", str(SHARED_DATA), "--out", str(out),
                           "--seed", str(seed), "--max-iterations", "5", "--limit", "100"]) == 0


@pytest.mark.timeout(120)
def test_tiny_training_run_saves_a_loadable_pipeline_with_card(tmp_path):
    out = tmp_path / "ner-da"
    tiny_run(out)
    nlp = spacy.load(out)
    assert nlp.pipe_names == ["newsdesk_crf_ner", "newsdesk_run_on_names", "newsdesk_name_particles",
                              "newsdesk_kind_cues", "newsdesk_listed_names", "newsdesk_compound_events",
                              "newsdesk_quoted_titles"]
    assert (nlp.meta["name"], nlp.meta["version"]) == ("newsdesk_ner_da", "0.35.0")
    assert set(nlp.get_pipe("newsdesk_crf_ner").labels) == {"PER", "LOC", "ORG", "MISC"}
    card = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "DaN+" in card and "Seed: 0" in card and "--max-iterations 5" in card and "wordfreq" in card
    json.dumps(nlp.meta)  # the meta (with scores) stays JSON-serialisable
    assert "newsdesk-ner-" not in (out / "config.cfg").read_text()  # no temp paths saved
    # The lexicon ships with the model: a country it never saw in 100 sentences is still known.
    lexicon = nlp.get_pipe("newsdesk_crf_ner").lexicon
    assert "L:country" in lexicon.features("nordkorea")
    # So are a Danish town of 4,000 people and a part of the country, which no package lists as a
    # place (GeoNames' towns of 500 and more; the project's worker/training/places.tsv).
    assert "L:city" in lexicon.features("løgstør")
    assert "L:region" in lexicon.features("jylland") and "L:country" in lexicon.features("skotland")


@pytest.mark.timeout(120)
def test_training_is_deterministic_for_a_seed(tmp_path):
    tiny_run(tmp_path / "a")
    tiny_run(tmp_path / "b")
    for part in ("newsdesk_crf_ner/model.crfsuite", "newsdesk_crf_ner/lexicon.tsv.gz"):
        assert (tmp_path / "a" / part).read_bytes() == (tmp_path / "b" / part).read_bytes()
    # The model card's figures too: same seed, same meta.json scores (no timing in them).
    scores = [json.loads((tmp_path / run / "meta.json").read_text())["newsdesk"]["scores"] for run in "ab"]
    assert scores[0] == scores[1]
