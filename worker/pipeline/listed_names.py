"""A listed name the tagger missed is a name: "Verdensbanken", "Coca-Cola", "Kræftens Bekæmpelse"
and the other names of ``known_names`` get the type listed there where the tagger found nothing.

The kind-cue step (``kind_cues.py``) retypes the listed names the tagger found; this step, right
after it, adds the ones it did not find, as written (upper and lower case as listed) and, in
Danish, in the genitive ("Verdensbankens"). It adds nothing where the tagger found a name on any
of the words, and leaves two kinds of mentions to the tagger, whose annotators left them
unannotated in DaN+ as often as not: a one-word name opening a sentence, where a capital says
nothing ("Alternativet er ...", "Skat" the endearment), and a name of two capitals ("KL" for
"klokken" in a heading, "VM" in a compound's place).

Measured (README, Known names): in 5-fold cross-validation on DaN+ train 80.78 -> 80.86 (ORG
71.96 -> 72.32), DaN+ dev 79.48 -> 79.79 ("TV 2" twice).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from worker.pipeline.known_names import KNOWN
from worker.pipeline.punctuation import FULL_STOPS, QUOTES

FACTORY = "newsdesk_listed_names"

# The marks after which a word opens a sentence, a quotation or a parenthesis.
_OPENERS = frozenset(QUOTES + FULL_STOPS + ":-–—([")


class ListedNames:
    """The pipeline step; see the module's docstring."""

    def __init__(self, nlp: Language, name: str, genitive_s: bool) -> None:
        self.name = name
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for listed, label in KNOWN.items():
            forms = [listed] + ([listed + "s"] if genitive_s and listed[-1] not in "sxz" else [])
            self.matcher.add(label, [nlp.make_doc(form) for form in forms])

    def __call__(self, doc: Doc) -> Doc:
        found = [span for span in self.matcher(doc, as_spans=True) if _addable(doc, span)]
        if not found:
            return doc
        taken = {i for entity in doc.ents for i in range(entity.start, entity.end)}
        added = [span for span in filter_spans(found) if not taken.intersection(range(span.start, span.end))]
        if added:
            doc.ents = sorted([*doc.ents, *added], key=lambda span: span.start)
        return doc

    # The pipeline is saved with each model (the tagger's files); this step has no files, its
    # list is code.
    def to_disk(self, path, exclude=()) -> None:
        return None

    def from_disk(self, path, exclude=()) -> "ListedNames":
        return self


def _addable(doc: Doc, span: Span) -> bool:
    """Whether a listed name found in the text may be added: see the module's docstring."""
    if len(span) > 1:
        return True
    word = span[0].text
    if word.isupper() and len(word) <= 2:
        return False
    i = span.start - 1
    while i >= 0 and doc[i].is_space:
        if "\n" in doc[i].text:
            return False
        i -= 1
    return i >= 0 and doc[i].text[-1:] not in _OPENERS


@Language.factory(FACTORY)
def make_listed_names(nlp: Language, name: str) -> ListedNames:
    return ListedNames(nlp, name, genitive_s=nlp.lang == "da")
