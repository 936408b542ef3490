"""Parts of a job's result that are derived from the rest of it, shared by the worker that makes
the result and the readers of results that an earlier version stored without them."""

from __future__ import annotations

import json

# How much each cue adds to a group's salience (they sum to 1).
SALIENCE_WEIGHTS = {"mentions": 0.4, "position": 0.2, "title": 0.2, "summary": 0.2}


def rank_by_salience(entities: list[dict], text_length: int, summary: list[dict]) -> list[dict]:
    """Give each group a ``salience`` in 0-1 and sort by it, most salient first.

    The cues a reader uses: how often the entity is mentioned (relative to the most mentioned
    one), how early it first appears in the text, and whether the title or the summary names it.
    Ties keep the order of first occurrence.
    """
    most = max((g["count"] for g in entities), default=1)
    in_summary = {name for sentence in summary for name in sentence["entities"]}
    for group in entities:
        starts = [m["start"] for m in group["mentions"] if m["field"] == "text"]
        first = min(starts) / text_length if starts and text_length else 1.0
        cues = {
            "mentions": group["count"] / most,
            "position": 1.0 - first,
            "title": float(any(m["field"] == "title" for m in group["mentions"])),
            "summary": float(group["name"] in in_summary),
        }
        group["salience"] = round(sum(SALIENCE_WEIGHTS[cue] * value for cue, value in cues.items()), 3)
    return sorted(entities, key=lambda g: -g["salience"])


def completed(result: dict | str | None, text_length: int) -> dict | str | None:
    """A stored result (decoded, or as its JSON text) as the current contract has it.

    Results stored before entity groups had a `salience` lack it: it is worked out from the
    result itself (mentions, summary) and the text's length, exactly as the worker does, and the
    groups are sorted by it. Any other result (all those stored since) is returned as it is; as
    text it is not even decoded: a group's `salience` key can only appear unescaped as a key.
    """
    if result is None:
        return None
    if isinstance(result, str):
        if '"salience"' in result or '"mentions"' not in result:
            return result
        return json.dumps(completed(json.loads(result), text_length))
    entities = result.get("entities")
    if not entities or all("salience" in group for group in entities):
        return result
    sentences = (result.get("summary") or {}).get("sentences") or []
    return result | {"entities": rank_by_salience([dict(group) for group in entities], text_length,
                                                  [s for s in sentences if "entities" in s])}
