"""Reading articles from files: an article JSON object, JSON Lines, or plain text."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Iterator


class ArticleFileError(Exception):
    """A file that cannot be read as articles; the message is "FILE: reason"."""


def read_articles(path: str | Path) -> list[dict]:
    """Articles in the UTF-8 file at `path` ("-" reads stdin); a byte-order mark is dropped.

    Read as bytes: text mode would turn CRLF and CR into "\n", and the offsets of a result
    would then not index the text in the file.
    """
    try:
        raw = (sys.stdin.buffer.read() if str(path) == "-" else Path(path).read_bytes()).decode("utf-8-sig")
        return parse_articles(raw)
    except UnicodeDecodeError:
        raise ArticleFileError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise ArticleFileError(f"{path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise ArticleFileError(f"{path}: {exc}") from None


def parse_articles(raw: str) -> list[dict]:
    """Articles in `raw`, in order: one JSON object, JSON Lines, or else the whole text as one.

    Text that merely starts with "{" (no line of it is a JSON object) is plain text; in JSON
    Lines, a line that is not a JSON object raises ValueError naming the line.
    """
    raw = raw.removeprefix("\ufeff")
    stripped = raw.strip()
    if not stripped.startswith("{"):
        return [{"text": raw}]
    whole = _json_object(stripped)
    if whole is not None:
        return [whole]
    # Only "\n" ends a line: str.splitlines() would also cut at U+2028, U+2029 and U+0085,
    # which JSON strings may hold unescaped (a CR before the "\n" is JSON whitespace).
    lines = [(number, line) for number, line in enumerate(raw.split("\n"), start=1) if line.strip()]
    articles = [_json_object(line) for _, line in lines]
    if all(article is None for article in articles):
        return [{"text": raw}]
    for (number, _), article in zip(lines, articles):
        if article is None:
            raise ValueError(f"line {number}: not a JSON article object")
    return articles


def _json_object(text: str) -> dict | None:
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def article_files(paths: list[str]) -> Iterator[Path]:
    """The files named, with folders expanded to their *.json, *.jsonl and *.txt files."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if p.suffix in {".json", ".jsonl", ".txt"})
        else:
            yield path
