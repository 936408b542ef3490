"""A listed name the tagger missed is a name: "Verdensbanken", "Coca-Cola", "Kræftens Bekæmpelse"
and the other names of ``known_names`` get the type listed there where the tagger found nothing.

The kind-cue step (``kind_cues.py``) retypes the listed names the tagger found; this step, right
after it, adds the ones it did not find, as written (upper and lower case as listed) and, in
Danish, in the genitive ("Verdensbankens", and after an apostrophe, as Danish writes it after
abbreviations and numbers: "TV 2's", "Randers FC's"; 4 articles of the sample). Where the tagger
found a part of a listed name only ("HØR" of "SE og HØR", "Danmark" of "Post Danmark"), the listed
name replaces it; where a tagged name reaches out of it, the tagger's name stays. It leaves three
kinds of mentions to the tagger: a name of two capitals ("KL" for "klokken" in a heading, "VM" in
a compound's place), which DaN+ leaves unannotated as often as not, a listed name that is also
a common word (``known_names.COMMON_WORDS``) opening a sentence, where the capital says nothing
("Alternativet er at vente", "Skat" the endearment), and "Jorden" and "Månen", also in the
genitive, which DaN+ mostly leaves unannotated (``known_names.RETYPED_ONLY``).

Measured (README, Known names): in 5-fold cross-validation on DaN+ train 80.78 -> 80.86 (ORG
71.96 -> 72.32), DaN+ dev 79.48 -> 79.79 ("TV 2" twice). A first version left every one-word
name opening a sentence to the tagger; adding those that are no common word ("Audi , som ...",
"Forbrugerrådet kan ...") gave 81.47 -> 81.73 in the cross-validation (13 names, all rightly).
Replacing a part the tagger found moves no Danish score, and CoNLL-2003 test 86.16 -> 86.18.

A maker's name followed by a model's number names a product, MISC as DaN+ annotates it: "Peugeot
605", "Saab 9000", "Citroën B 12", "Boeing 737", "iPhone 7" (``known_names.NUMBERED_PRODUCTS``).
The number is no model's where a unit follows it ("Audi 25 procent"), it is a year, or it reads
as a score or a table's row, another number or a name and its number around it ("Lotte 6
Hyundai 2", "Samsung 13 Hyundai 3", "Hyundai 57 5 49": Korean baseball in CoNLL-2003). In the
cross-validation 81.17 -> 81.30 (4 products, all rightly), DaN+ dev 79.95 -> 80.21 ("Citroën B
12"); CoNLL-2003 does not move. So does a model's name after the maker's, capitalised ("Opel
Omega", "Toyota Carina", "Toyota C-HR"), unless it is a word of a firm's or a market's name
("Volkswagen Danmark", "Sony Music", "Toyota Motor Corp"), another maker's ("Fiat Chrysler"), or
the maker's name is also a first name ("Kia Reumert"): in the cross-validation 81.73 -> 81.82 (3
products, all rightly), CoNLL-2003 test 86.14 -> 86.16 ("Honda RV"), DaN+ dev unchanged. Where a
text names a product so, a name opening with the model's name is the product too, whatever its
type ("Passat" beside "VW Passat", "Golf GTI" beside "Volkswagen Golf GTE").

In Danish, a party's letters in parentheses right after a person's name are the party, ORG as
DaN+ annotates them ("Lars Løkke Rasmussen (V)", "Uffe Elbæk (ALT)"; ``known_names.PARTY_LETTERS``):
the tagger found only the letters it had seen in training, and none of the sample's 84 "(V)" or
10 "(R)". DaN+ dev and the cross-validation do not move; in the sample 61 articles change, all
rightly (README, Party letters).

The list of no names works the other way: an abbreviation of a common noun the tagger took for a
name on its own ("SMS", "PC", "GPS", "DVD", ``known_names.NOT_NAMES``) is dropped. DaN+ train and
dev annotate none of them; in the cross-validation 82.12 -> 82.24 (9 names dropped, all rightly;
six of the words were read off its errors, so an upper bound), dev unchanged, in the sample 14
articles ("SMS" ORG in 7), all rightly; CoNLL-2003 and UNER do not move. "DNA", "CO2" and "SU"
(Danish student grants), which none of the annotated data has, were added for the sample: 12
articles typed them ORG; so were "BMI", "ISBN", "SUV" and "SFO" (5 articles), and units and
"LED" ("450 MW", "2 GB ram", "LED lys": 8 articles). So is a word of one name with a lower-case
letter three times in a row, a sound stretched out ("Puuuh", "Sssshhh", typed PER in 2 articles
of the sample); DaN+ has no such name, CoNLL-2003 one, in train ("Duessseldorf", misspelt).
Nor are the letters of an office or a rank after a name a part of it ("Anas Sarwar MP", "Labour
MPs", "Eleanor Laws QC"; ``known_names.POST_NOMINALS``), nor a name alone ("12 MP", megapixels), as
CoNLL-2003 annotates them: 5 articles of the sample change, all rightly; CoNLL-2003 test 86.38 ->
86.39. Between a name and a capitalised word they part two names, the second a person's ("Labour
MP Jo Cox" had been one organisation): 1 article of the sample changes, rightly; no score moves.
"""

from __future__ import annotations

import itertools
import re

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from worker.pipeline.known_names import (APOSTROPHE_GENITIVES, COMMON_WORDS, FIRST_NAME_MAKERS, KNOWN, NOT_NAMES,
                                         NUMBERED_PRODUCTS, PARTY_LETTERS, POST_NOMINALS, RETYPED_ONLY,
                                         genitive_base)
from worker.pipeline.overlaps import put_in_place
from worker.pipeline.punctuation import FULL_STOPS, QUOTES

FACTORY = "newsdesk_listed_names"

# A lower-case letter three times in a row: a sound stretched out ("Puuuh", "Sssshhh"), no name.
_STRETCHED = re.compile(r"([a-zæøå])\1\1")

# The marks after which a word opens a sentence, a quotation or a parenthesis.
_OPENERS = frozenset(QUOTES + FULL_STOPS + ":-–—([")
# A model's number ("605", "A320", "520d", "16V"), or the letters before one ("B 12", "RS 2000").
_MODEL_NUMBER = re.compile(r"[A-Z]{0,3}\d{1,5}[A-Za-z]{0,3}")
_MODEL_LETTERS = re.compile(r"[A-Z]{1,3}")
_YEAR = re.compile(r"(1[89]|20)\d\d")
_FIGURE = re.compile(r"[.,]?\d+([.,/-]\d+)*")  # "6", ".536", "2,0", "2-1": a score's or a table's
# Words after a number that make it a count or a share, not a model's.
_UNITS = frozenset("procent pct. pct % kr. kr mio. mia. millioner milliarder point mandater år".split())
# Words after a maker's name in the name of a firm, a market or a place, not of a model
# ("Volkswagen Danmark", "Sony Music", "Toyota Motor Corp", "Mitsubishi Heavy Industries",
# "Volkswagen Arena").
NOT_MODELS = frozenset("""Danmark Denmark Deutschland Sverige Sweden Norge Norway Europe Europa Nordic Norden
    Scandinavia Skandinavien International Australia America USA UK Japan Germany France Frankrig Italy
    Italien Spain Spanien China Kina India Indien Group Gruppen Motor Motors Cars Music Arena Klub Benz Bank
    Entertainment Electronics Electric Heavy Industries Chemical Mobile Pictures Corporation Company Corp Co
    Inc Ltd Plc AB ASA SA NV AG Oyj GmbH Holding Holdings Automobile Aerospace Trucks Financial""".split())


class ListedNames:
    """The pipeline step; see the module's docstring."""

    def __init__(self, nlp: Language, name: str, genitive_s: bool, party_letters: bool = False) -> None:
        self.name = name
        self.nlp, self.genitive_s, self.party_letters = nlp, genitive_s, party_letters
        self.matcher = self._matcher()

    def _matcher(self) -> PhraseMatcher:
        """The listed names, cut into words by the pipeline's tokenizer as it is now."""
        matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        for listed, label in KNOWN.items():
            genitive = self.genitive_s and listed[-1] not in "sxz"
            genitives = [listed + ending for ending in ("s", *APOSTROPHE_GENITIVES)] if genitive else []
            forms = [listed] + genitives
            matcher.add(label, [self.nlp.make_doc(form) for form in forms])
        return matcher

    def __call__(self, doc: Doc) -> Doc:
        found = [span for span in self.matcher(doc, as_spans=True) if _addable(doc, span)]
        names = [part for e in doc.ents if not _no_name(e) for part in _without_post_nominal(e)]
        if names != list(doc.ents):
            doc.ents = names
        if found:
            entities = list(doc.ents)
            for span in filter_spans(found):
                inside = [e for e in entities if e.start < span.end and span.start < e.end]
                # A listed name the tagger found a part of ("HØR" of "SE og HØR") replaces the part.
                if all(span.start <= e.start and e.end <= span.end and len(e) < len(span) for e in inside):
                    entities = [e for e in entities if e not in inside] + [span]
            doc.ents = sorted(entities, key=lambda span: span.start)
        if self.party_letters:
            with_party_letters(doc)
        return with_models(doc)

    # The pipeline is saved with each model (the tagger's files); this step has no files, its
    # list is code. But a saved model's steps are made before its tokenizer is read from disk
    # (English's keeps "Saint-Germain" one word: hyphens.py), so the names are cut again after.
    def to_disk(self, path, exclude=()) -> None:
        return None

    def from_disk(self, path, exclude=()) -> "ListedNames":
        self.matcher = self._matcher()
        return self


def with_models(doc: Doc) -> Doc:
    """Each name that is a maker's (``NUMBERED_PRODUCTS``) and is followed by a model's number
    or name becomes the product, one MISC name ("Peugeot 605", "Opel Omega"); see the module's
    docstring."""
    entities, changed = list(doc.ents), False
    starts = {entity.start for entity in entities}
    parts: set[int] = set()
    for k, entity in enumerate(entities):
        if k in parts or entity[0].text not in NUMBERED_PRODUCTS:
            continue
        end = _model_end(doc, entity.end)
        if end > entity.end and end not in starts and not _score_like(doc, entity.start, end):
            # A name the tagger found in the model's number is a part of the product: "iPhone"
            # and "6s Plus" make "iPhone 6s Plus".
            inside = list(itertools.takewhile(lambda j: entities[j].start < end, range(k + 1, len(entities))))
            end = max([end, *(entities[j].end for j in inside)])
            parts.update(inside)
            entities[k], changed = Span(doc, entity.start, end, label="MISC"), True
        elif entity.label_ != "MISC" and _model_named(doc, entity, starts):
            end = max(entity.end, entity.start + 2)
            entities[k], changed = Span(doc, entity.start, end, label="MISC"), True
    entities = [entity for j, entity in enumerate(entities) if j not in parts]
    # The model's name alone, or with its edition, is the product too ("Passat" beside "VW Passat";
    # "Golf GTI" beside "Volkswagen Golf GTE"), however the tagger typed it.
    models = {doc[e.start + 1].text for e in entities
              if e.label_ == "MISC" and len(e) > 1 and e[0].text in NUMBERED_PRODUCTS}
    for k, entity in enumerate(entities):
        if entity.label_ != "MISC" and entity[0].text in models:
            entities[k], changed = Span(doc, entity.start, entity.end, label="MISC"), True
    if changed:
        doc.ents = entities
    return doc


def with_party_letters(doc: Doc) -> Doc:
    """A party's letters in parentheses right after a person's name are the party, ORG as DaN+
    annotates them ("Lars Løkke Rasmussen (V)", "Mette Frederiksen (S)"; ``PARTY_LETTERS``),
    whether the tagger missed them, as it does "V" and "R", or typed them otherwise."""
    parties = [Span(doc, person.end + 1, person.end + 2, label="ORG") for person in doc.ents
               if person.label_ == "PER" and _party_letters_at(doc, person.end + 1)]
    # The party already, or a part of a longer name the tagger found: left as it is.
    found = [e for e in doc.ents if len(e) > 1 or e.label_ == "ORG"]
    return put_in_place(doc, [party for party in parties if not any(e.start <= party.start < e.end for e in found)])


def _party_letters_at(doc: Doc, i: int) -> bool:
    """Whether token ``i`` is a party's letters alone in parentheses: "(V)"."""
    return 0 < i < len(doc) - 1 and doc[i - 1].text == "(" and doc[i + 1].text == ")" and doc[i].text in PARTY_LETTERS


def _model_named(doc: Doc, entity: Span, starts: set[int]) -> bool:
    """Whether the word after the maker's name, in the name or right after it untagged, names a
    model ("Opel Omega", "Toyota C-HR"): capitalised, and no word of a firm's or a market's name
    ("Volkswagen Danmark", "Sony Music"); not after a maker that is also a first name."""
    following = entity.start + 1
    if entity[0].text in FIRST_NAME_MAKERS or following >= len(doc) or following in starts:
        return False
    word = doc[following].text
    return (word[:1].isupper() and word.replace("-", "").isalnum() and word not in NOT_MODELS
            and word not in NUMBERED_PRODUCTS)  # "Fiat Chrysler": two makers, one firm


def _model_end(doc: Doc, start: int) -> int:
    """Where the model's number that may begin at token ``start`` ends: one number, after up to
    three capitals ("605", "B 12", "RS 2000", "A320", "16V"); ``start`` if there is none."""
    end = start + 1 if start + 1 < len(doc) and _MODEL_LETTERS.fullmatch(doc[start].text) else start
    if end >= len(doc) or not _MODEL_NUMBER.fullmatch(doc[end].text) or _YEAR.fullmatch(doc[end].text):
        return start
    end += 1
    if end < len(doc) and doc[end].lower_ in _UNITS:
        return start
    return end


def _score_like(doc: Doc, start: int, end: int) -> bool:
    """Whether a name and the number after it (tokens ``start`` to ``end``) read as a score or a
    table's row: a number right before, or right after, or a name and its number right after."""
    def number(i: int) -> bool:
        # Figures only: spaCy's like_num takes Danish "en" (one) for a number too.
        return 0 <= i < len(doc) and _FIGURE.fullmatch(doc[i].text) is not None

    following = doc[end] if end < len(doc) else None
    return (number(start - 1) or number(end)
            or (following is not None and following.text[:1].isupper() and number(end + 1)))


def _no_name(entity: Span) -> bool:
    """Whether a tagged name is one word that names nothing: an abbreviation of a common noun or a
    unit (``known_names.NOT_NAMES``), an office's or a rank's letters (``POST_NOMINALS``: "the
    peer's QC son"), or a sound stretched out."""
    return len(entity) == 1 and (entity.text in NOT_NAMES or entity.text in POST_NOMINALS
                                 or _STRETCHED.search(entity.text) is not None)


def _without_post_nominal(entity: Span) -> list[Span]:
    """A name without the letters of an office or a rank after it ("Anas Sarwar MP" -> "Anas
    Sarwar", "Labour MPs" -> "Labour"; ``known_names.POST_NOMINALS``), its type kept; where such
    letters stand between a name and a capitalised word, the two names they part, the second a
    person's ("Labour MP Jo Cox" -> "Labour", "Jo Cox": an MP is a person)."""
    if len(entity) > 1 and entity[-1].text in POST_NOMINALS:
        return [Span(entity.doc, entity.start, entity.end - 1, label=entity.label)]
    inside = next((k for k in range(entity.start + 1, entity.end - 1) if entity.doc[k].text in POST_NOMINALS
                   and entity.doc[k + 1].text[:1].isupper()), None)
    if inside is None:
        return [entity]
    return [Span(entity.doc, entity.start, inside, label=entity.label),
            Span(entity.doc, inside + 1, entity.end, label="PER")]


def _addable(doc: Doc, span: Span) -> bool:
    """Whether a listed name found in the text may be added: see the module's docstring."""
    if len(span) > 1:
        return True
    word = span[0].text
    if (word.isupper() and len(word) <= 2) or word in RETYPED_ONLY or genitive_base(word) in RETYPED_ONLY:
        return False
    return word not in COMMON_WORDS or not _opens_sentence(doc, span.start)


def _opens_sentence(doc: Doc, start: int) -> bool:
    """Whether token ``start`` opens a line, a sentence, a quotation or a parenthesis."""
    i = start - 1
    while i >= 0 and doc[i].is_space:
        if "\n" in doc[i].text:
            return True
        i -= 1
    return i < 0 or doc[i].text[-1:] in _OPENERS


@Language.factory(FACTORY)
def make_listed_names(nlp: Language, name: str) -> ListedNames:
    return ListedNames(nlp, name, genitive_s=nlp.lang == "da", party_letters=nlp.lang == "da")
