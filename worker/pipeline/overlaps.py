"""Putting new names in a Doc in place of the names they overlap, for the steps after the tagger."""

from __future__ import annotations

from spacy.tokens import Doc, Span


def put_in_place(doc: Doc, spans: list[Span]) -> Doc:
    """Make ``spans`` (which must not overlap one another) names of ``doc``, dropping each name of
    it that one of them overlaps."""
    if spans:
        kept = [e for e in doc.ents if not any(e.start < s.end and s.start < e.end for s in spans)]
        doc.ents = sorted(kept + spans, key=lambda e: e.start)
    return doc
