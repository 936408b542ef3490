"""A Danish name joined by a hyphen to the noun of a case, a treaty or a contest names that case,
treaty or contest: "Maastricht-traktaten", "Tvind-sagen", "UEFA-turneringen", "DM-finalen", MISC
as DaN+ annotates them.

The tagger misses most of these words, or types them by the name they start with ("Pussy
Riot-sagen" ORG, "Madeleine McCann-sagen" PER). This step, in the Danish pipeline after the
listed names, makes each such word a MISC name, with the words of a name the tagger found right
before it ("Champions League-semifinalen"). It leaves a word alone that lies inside a longer name.

The nouns are the definite forms (and their genitives) of the heads DaN+ train and dev annotate
MISC each time a capitalised word is joined to them: 9 of 9 ("Maastricht-aftalen",
"Pio-sagen", "Europa-Cup-turneringen", "EM-finalekampen"). Heads DaN+ annotates both ways are left
out: the indefinite forms ("EM-turnering", "EM-semifinale"), "krigen" ("Golf-krigen"), "serien"
("BTCC-serien" MISC; "Netflix-serien", a series on Netflix, is none).
Measured (README, Compounds of cases, treaties and contests): in 5-fold cross-validation on DaN+ train 81.30 -> 81.47
(MISC 47.46 -> 50.64; the heads were read off train, so that is an upper bound); DaN+ dev has none.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from worker.pipeline.overlaps import put_in_place

FACTORY = "newsdesk_compound_events"

HEADS = ("sagen", "aftalen", "aftalerne", "traktaten", "turneringen", "finalen", "finalekampen",
         "semifinalen", "kvartfinalen")
# A capitalised first part (a name, an acronym, or several joined: "Europa-Cup"), a hyphen, a head.
_COMPOUND = re.compile(r"[A-ZÆØÅ][\w.'&]*(?:-[\w.'&]+)*-(?:%s)s?" % "|".join(HEADS))


def event_spans(doc: Doc) -> list[Span]:
    """The MISC names this step makes: each compound word, with a tagged name right before it."""
    entities = list(doc.ents)
    ending_at = {e.end: e for e in entities}
    found = []
    for token in doc:
        if not _COMPOUND.fullmatch(token.text):
            continue
        covering = next((e for e in entities if e.start <= token.i < e.end), None)
        if covering is not None:
            if covering.end == token.i + 1:  # "Pussy Riot-sagen" typed ORG
                found.append(Span(doc, covering.start, token.i + 1, label="MISC"))
            continue
        before = ending_at.get(token.i)  # a line break between would be a token of its own
        found.append(Span(doc, token.i if before is None else before.start, token.i + 1, label="MISC"))
    return found


def mark_events(doc: Doc) -> Doc:
    """Make each of `event_spans` a MISC name, in place of the names it overlaps."""
    return put_in_place(doc, event_spans(doc))


@Language.component(FACTORY)
def compound_events(doc: Doc) -> Doc:
    return mark_events(doc)
