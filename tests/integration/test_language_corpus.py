"""Whole articles are detected in the language they are written in: the 100 CNN/DailyMail
articles of the shared sample as English, DaNewsroom's 100 validation articles as Danish. (The
DaNewsroom train sample holds a few that are not Danish prose: a JSON blob, an English photo
caption, a race's stage list; they are left out.) A release of lingua that reads plain English
news as German or Latvian with confidence 1.0, as 2.2.0 does, fails here."""

from __future__ import annotations

import json

from tests.conftest import SHARED_DATA, needs_shared_data
from worker.pipeline.language import detect_language

pytestmark = needs_shared_data
SAMPLES = {"en": ("cnndm_dev100/cnndm_dev100.jsonl", "article"), "da": ("danewsroom_dansum/val1k.jsonl", "text")}


def test_every_article_of_the_english_and_danish_samples_is_detected_in_its_language():
    wrong, total = [], 0
    for expected, (path, field) in SAMPLES.items():
        with (SHARED_DATA / path).open(encoding="utf-8") as lines:
            for number, text in enumerate(json.loads(line)[field] for line in lines):
                total += 1
                detected = detect_language(text)
                if detected[0] != expected:
                    wrong.append((path, number, expected, detected, text[:60]))
    assert total == 200
    assert not wrong, f"{len(wrong)} of {total} articles detected in another language: {wrong}"
