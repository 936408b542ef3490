"""Readers for the NER corpora in the shared data directory.

Every reader returns a list of ``(words, tags)`` sentences whose tags are
IOB2 over PER, LOC, ORG and MISC only, so training and evaluation code never
needs to know which corpus a sentence came from.
"""

from __future__ import annotations

import re
from pathlib import Path

LABELS = ("PER", "LOC", "ORG", "MISC")

Sentence = tuple[list[str], list[str]]

_TAG = re.compile(r"O|[BI]-\S+")


class CorpusFormatError(ValueError):
    """A line that does not fit the format the file is read as (e.g. a CoNLL file read as DaN+)."""


def normalise_tag(tag: str) -> str:
    """Map a raw tag to IOB2 over LABELS; anything else (e.g. B-LOCderiv) is O."""
    if len(tag) > 2 and tag[1] == "-" and tag[0] in "BI" and tag[2:] in LABELS:
        return tag
    return "O"


def repair_iob(tags: list[str]) -> list[str]:
    """Turn an I- tag that does not continue an entity of its type into B-.

    Dropping the -part/-deriv subtypes can leave such orphans behind.
    """
    fixed: list[str] = []
    previous = "O"
    for tag in tags:
        if tag.startswith("I-") and previous[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        fixed.append(tag)
        previous = tag
    return fixed


def _sentences(path: str | Path, parse_line) -> list[Sentence]:
    """Split a one-token-per-line file on blank lines.

    ``parse_line`` returns ``(word, raw_tag)`` or None for lines to skip, and raises ValueError
    (its message saying what was expected) for a line of another format.
    """
    sentences: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if words:
            sentences.append((list(words), repair_iob([normalise_tag(t) for t in tags])))
        words.clear()
        tags.clear()

    with open(path, encoding="utf-8-sig") as handle:  # a BOM is not part of the first word
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\r\n")
            if not line.strip():
                flush()
                continue
            try:
                parsed = parse_line(line)
            except ValueError as exc:
                raise CorpusFormatError(f"{path}, line {number}: {exc}: {line[:80]!r}") from None
            if parsed is not None:
                words.append(parsed[0])
                tags.append(parsed[1])
    flush()
    return sentences


def read_danplus(path: str | Path) -> list[Sentence]:
    """DaN+ ``token<TAB>layer1<TAB>layer2``; only the outer layer 1 is used."""

    def parse(line: str):
        columns = line.split("\t")
        if len(columns) < 2 or not _TAG.fullmatch(columns[1]):
            raise ValueError("not a DaN+ line (token<TAB>layer1<TAB>layer2)")
        return columns[0], columns[1]

    return _sentences(path, parse)


def read_conll(path: str | Path) -> list[Sentence]:
    """CoNLL-2003 / CoNLL++ ``TOKEN POS CHUNK NER``; -DOCSTART- lines are skipped."""

    def parse(line: str):
        columns = line.split()
        if columns[0] == "-DOCSTART-":
            return None
        if len(columns) < 4 or not _TAG.fullmatch(columns[-1]):
            raise ValueError("not a CoNLL-2003 line (TOKEN POS CHUNK NER)")
        return columns[0], columns[-1]

    # A -DOCSTART- line is followed by a blank line, so it yields no sentence.
    return _sentences(path, parse)


def read_uner(path: str | Path, news_only: bool = False) -> list[Sentence]:
    """Universal NER ``.iob2``: ``# sent_id`` comments, then ``idx<TAB>token<TAB>tag``.

    With ``news_only`` only sentences whose sent_id starts with ``n`` are kept.
    """
    sentences: list[Sentence] = []
    for block in _uner_blocks(path):
        sent_id, rows = block
        if news_only and not sent_id.startswith("n"):
            continue
        words = [row[1] for row in rows]
        tags = repair_iob([normalise_tag(row[2]) for row in rows])
        if words:
            sentences.append((words, tags))
    return sentences


def _uner_blocks(path: str | Path):
    """Yield ``(sent_id, token_rows)`` per sentence, skipping multiword ranges."""
    sent_id = ""
    rows: list[list[str]] = []
    with open(path, encoding="utf-8-sig") as handle:  # a BOM is not part of the first word
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\r\n")
            if not line.strip():
                if rows:
                    yield sent_id, rows
                sent_id, rows = "", []
            elif line.startswith("#"):
                key, _, value = line[1:].partition("=")
                if key.strip() == "sent_id":
                    sent_id = value.strip()
            else:
                columns = line.split("\t")
                if columns[0].isdigit() and len(columns) >= 3 and _TAG.fullmatch(columns[2]):
                    rows.append(columns)
                elif not re.fullmatch(r"\d+[-.]\d+", columns[0]):  # multiword ranges, empty nodes
                    raise CorpusFormatError(f"{path}, line {number}: not a UNER line (idx<TAB>token<TAB>tag): "
                                            f"{line[:80]!r}")
    if rows:
        yield sent_id, rows


READERS = {"danplus": read_danplus, "conll": read_conll, "uner": read_uner}
