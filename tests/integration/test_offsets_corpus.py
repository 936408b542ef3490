"""Every offset and quoted piece is exact in the results of all 1,250 shared news articles
(DaNewsroom and CNN/DailyMail), analysed in chunks as a worker analyses a batch."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SHARED_DATA, needs_shared_data
from tests.result_checks import check_result
from worker.pipeline.analyze import analyze_articles

pytestmark = needs_shared_data
CHUNK = 32


def shared_articles() -> list[dict]:
    articles = []
    for path in sorted((SHARED_DATA / "danewsroom_dansum").glob("*.jsonl")):
        with path.open(encoding="utf-8") as lines:
            articles += [{"text": record["text"], "title": record.get("title"), "language": "da"}
                         for record in map(json.loads, lines)]
    with (SHARED_DATA / "cnndm_dev100" / "cnndm_dev100.jsonl").open(encoding="utf-8") as lines:
        articles += [{"text": json.loads(line)["article"], "language": "auto"} for line in lines]
    return articles


@pytest.mark.timeout(600)
def test_offsets_are_exact_in_every_shared_article():
    articles = shared_articles()
    assert len(articles) == 1_250
    for first in range(0, len(articles), CHUNK):
        chunk = articles[first : first + CHUNK]
        for number, (article, result) in enumerate(zip(chunk, analyze_articles(chunk)), start=first):
            try:
                check_result(article, result)
            except AssertionError as failure:
                raise AssertionError(f"article {number}: {failure}") from None
