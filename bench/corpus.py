"""The fixed benchmark corpus: the seeds, plus (when the shared data folder is given) 100 English
CNN/DailyMail and 100 Danish DaNewsroom articles, of many lengths. Read, never copied."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_corpus(data: str | None) -> list[dict]:
    articles = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "seeds").glob("*.json"))]
    if data:
        base = Path(data)
        for line in (base / "cnndm_dev100" / "cnndm_dev100.jsonl").read_text(encoding="utf-8").splitlines():
            articles.append({"text": json.loads(line)["article"], "language": "en"})
        for line in (base / "danewsroom_dansum" / "val1k.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            articles.append({"text": row["text"], "title": row["title"], "language": "da"})
    return [{k: v for k, v in a.items() if k in ("text", "title", "language")} for a in articles]


def words(articles: list[dict]) -> int:
    return sum(len(a["text"].split()) + len((a.get("title") or "").split()) for a in articles)
