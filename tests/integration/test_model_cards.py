"""The committed models reproduce the dev scores their model cards report (within 0.5 F)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT, SHARED_DATA, needs_shared_data
from worker.evaluation.entities import evaluate_entities

pytestmark = needs_shared_data
DEV_SETS = {"da": ("danplus_news/da_news_dev.tsv", "danplus"), "en": ("conll2003_en/dev.txt", "conll")}


@pytest.mark.parametrize("language", sorted(DEV_SETS))
def test_committed_model_reproduces_its_cards_dev_f1(language):
    card = json.loads((ROOT / "worker" / "models" / f"ner-{language}" / "meta.json").read_text())
    reported = card["newsdesk"]["scores"]["dev"]["overall"]["f"]
    path, fmt = DEV_SETS[language]
    measured = evaluate_entities(str(SHARED_DATA / path), fmt, language)["overall"]["f"]
    assert abs(measured - reported) <= 0.5, (language, measured, reported)
