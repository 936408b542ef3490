"""The committed models reproduce the dev scores their model cards report (within 0.5 F), and
retraining the Danish one with the command its card gives reproduces them too."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT, SHARED_DATA, needs_shared_data
from worker.evaluation.entities import evaluate_entities
from worker.training import train_ner

pytestmark = needs_shared_data
DEV_SETS = {"da": ("danplus_news/da_news_dev.tsv", "danplus"), "en": ("conll2003_en/dev.txt", "conll")}


@pytest.mark.parametrize("language", sorted(DEV_SETS))
def test_committed_model_reproduces_its_cards_dev_f1(language):
    card = json.loads((ROOT / "worker" / "models" / f"ner-{language}" / "meta.json").read_text())
    reported = card["newsdesk"]["scores"]["dev"]["overall"]["f"]
    path, fmt = DEV_SETS[language]
    measured = evaluate_entities(str(SHARED_DATA / path), fmt, language)["overall"]["f"]
    assert abs(measured - reported) <= 0.5, (language, measured, reported)


@pytest.mark.timeout(600)
def test_retraining_danish_with_the_cards_command_reproduces_its_dev_f1(tmp_path):
    meta = json.loads((ROOT / "worker" / "models" / "ner-da" / "meta.json").read_text())
    argv = list(meta["newsdesk"]["argv"])
    argv[argv.index("--data") + 1] = str(SHARED_DATA)
    argv[argv.index("--out") + 1] = str(tmp_path / "ner-da")
    assert train_ner.main(argv) == 0
    retrained = json.loads((tmp_path / "ner-da" / "meta.json").read_text())["newsdesk"]["scores"]["dev"]
    assert abs(retrained["overall"]["f"] - meta["newsdesk"]["scores"]["dev"]["overall"]["f"]) <= 0.5
