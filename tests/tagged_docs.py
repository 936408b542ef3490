"""Docs "as if tagged", for the tests of the steps after the tagger (kind cues, known names, titles)."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc


def tagged(text: str, names: dict[str, str], lang: str = "da") -> Doc:
    """A Doc of ``text`` whose entities are the given names (text -> label), as if tagged."""
    doc = spacy.blank(lang)(text)
    doc.ents = [doc.char_span(text.index(name), text.index(name) + len(name), label=label)
                for name, label in names.items()]
    return doc


def labels(doc: Doc) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in doc.ents]
