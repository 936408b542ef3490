"""Article loading hands out fresh defaults, and the date check refuses exactly what strptime refused."""

from __future__ import annotations

import itertools
import re
from datetime import datetime

import pytest
from marshmallow import ValidationError

from service.schemas import ArticleSchema, _is_real_date, load_article

SCHEMA = ArticleSchema()


def test_defaults_are_fresh_objects():
    first, second = load_article({"text": "a"}), load_article({"text": "a"})
    first["metadata"]["x"] = 1
    first["options"]["summary_sentences"] = 9
    assert second["metadata"] == {} and second["options"]["summary_sentences"] == 3
    assert SCHEMA.load({"text": "a"})["options"] == {"summary_sentences": 3, "summary_max_chars": None}


def _nested(levels: int) -> dict:
    """Metadata that nests `levels` objects and arrays, itself included."""
    value: object = "leaf"
    for level in range(levels - 1):
        value = [value] if level % 2 else {"k": value}
    return {"k": value}


def test_metadata_may_nest_32_levels_but_no_deeper():
    assert load_article({"text": "a", "metadata": _nested(32)})["metadata"] == _nested(32)
    with pytest.raises(ValidationError) as refused:
        load_article({"text": "a", "metadata": _nested(33)})
    assert refused.value.messages == {"metadata": ["Must not nest objects and arrays more than 32 levels deep."]}


@pytest.mark.parametrize("url", ["http://intranet/news/1", "https://cms.local:8443/a?id=7", "http://10.1.2.3/a",
                                 "https://example.com/a"])
def test_an_articles_url_is_any_http_or_https_url(url):
    # It is only echoed back: a newsroom's internal address (no top-level domain) is a URL too.
    assert load_article({"text": "a", "url": url})["url"] == url


def _strptime_accepts(year, month, day, clock) -> bool:
    try:
        datetime.strptime(f"{year}-{month}-{day} {clock}", "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return False
    return True


def test_the_date_check_refuses_what_strptime_refused():
    pattern = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2}) (?P<time>\d{2}:\d{2}:\d{2})$")
    dates = itertools.product(["0000", "0001", "1900", "2023", "2024", "9999"], range(0, 100, 3), range(0, 40))
    clocks = itertools.product([0, 9, 23, 24, 30, 99], [0, 59, 60, 99], [0, 59, 60, 61, 99])
    cases = [(y, f"{m:02d}", f"{d:02d}", "12:00:00") for y, m, d in dates]
    cases += [("2024", "02", "29", f"{h:02d}:{mi:02d}:{s:02d}") for h, mi, s in clocks]
    for case in cases:
        match = pattern.match("{}-{}-{} {}".format(*case))
        assert _is_real_date(match) == _strptime_accepts(*case), case
