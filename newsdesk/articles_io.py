"""Reading articles from files: an article JSON object, JSON Lines, or plain text."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Iterator


def read_articles(path: str | Path) -> list[dict]:
    """Articles in the file at `path` ("-" reads stdin); a UTF-8 byte-order mark is dropped."""
    raw = sys.stdin.read() if str(path) == "-" else Path(path).read_text(encoding="utf-8-sig")
    return parse_articles(raw)


def parse_articles(raw: str) -> list[dict]:
    """Articles in `raw`, in order: one JSON object, JSON Lines, or else the whole text as one."""
    raw = raw.removeprefix("\ufeff")
    stripped = raw.strip()
    if stripped.startswith("{"):
        try:
            return [_as_article(json.loads(stripped))]
        except json.JSONDecodeError:
            lines = [line for line in stripped.splitlines() if line.strip()]
            return [_as_article(json.loads(line)) for line in lines]
    return [{"text": raw}]


def _as_article(value) -> dict:
    if not isinstance(value, dict):
        raise ValueError("each JSON article must be an object with at least a `text` field")
    return value


def article_files(paths: list[str]) -> Iterator[Path]:
    """The files named, with folders expanded to their *.json, *.jsonl and *.txt files."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if p.suffix in {".json", ".jsonl", ".txt"})
        else:
            yield path
