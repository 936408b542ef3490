"""Two names the Danish tagger ran together are cut apart again: "Falck i Region Syddanmark" is
Falck and a place, "Skanderborg Kommune valgte Pressalit" a municipality, a verb and a firm,
"TNS Gallup for Nordea" a pollster and a bank.

DaN+ is news of the 1990s, where a name hardly ever goes on over "i" (in train and dev two names
stand on either side of it 60 times; only a title, "Stille dage i Clichy", and one school,
"Handelshøjskolen i København", are annotated as one name over it) or over a verb. In today's web
news the tagger runs on over both: "værtshuset Gatz i Bad Gastein", "Opel i Kirke Hyllinge",
"Jyske Bank støttede Silkeborg-Voel KFUM". This step, right after the tagger in the Danish
pipeline, cuts a name of a person, a place or an organisation at "i" or at a past-tense verb
between two capitalised words. MISC is left whole: titles of works hold any word ("Dommen i
Nürnberg").

What it keeps: the part before the cut keeps the tagger's type; the part after "i" is a place, as
DaN+ annotates 52 of those 60 names after "i" (the steps after this one retype it where it is
known or ends in a kind noun: "Helsingør Kommune"); the part after a verb keeps the type. A listed
name that holds "i" ("Retten i Lyngby") is put back whole by the listed-names step.
A name also goes on over "for" in the names of institutions ("Institut for Menneskerettigheder",
"Rådet for Sikker Trafik"), but not after a listed name: "TNS Gallup for Nordea" is a pollster
and its client, "Folketinget for Liberal Alliance" a parliament and a party; the part after it
keeps the type.
So does the part after a dash between words: "Viborg – Horsens" is a match of two clubs, and
"Alphabet – Googles moderselskab" had taken every "Google" of its article into the group "Alphabet
– Google". DaN+ and CoNLL-2003 annotate no name over a dash but titles, MISC and left whole ("Diana
- Her True Story"); a listed name with one ("A.P. Møller – Mærsk") is put back whole, as above.
A compound that opens a name and ends in a lower-case word is a description of it, and goes:
"Tesla-bossen Elon Musk" (ORG, which had named the group of all five "Elon Musk" of its article),
"DR2-programmet Detektor", "Hollywood-komedien Waynes World". DaN+ train and dev annotate 34 such
compounds right before a name and none inside one ("SAS-bossen Jan Carlzon"); the kind-cue step
then reads the compound as the noun before the name ("-programmet": MISC). Not a compound of one
letter ("A-kassen", "G-star"), the name's own word. Where a name of two words or more is
compounded so ("HB Køge-træner Aurelius Skarbalius", "New York-bydelen Queens"), all before the
name goes with it; a compound that ends a name is its own ("Sankt Hans-aften").
A person's name never ends in a number, which goes: a results list ("Torben Al-Tobchi 1, Jesper
Csizmadia 1, Christian Borregaard 1") had the tagger take a score into a name. DaN+ train and dev
annotate none of their 1,388 person names so (a number ends only a model, a place or a channel:
"Saab 9000", "Poststrasse 1", "TV 2").
A verb is told by its past-tense ending ("valgte", "støttede", not "-ste": "største"), its
present-tense ending ("Trads advarer Løkke"; "-er", not "-ere": "højere") or is one of the
auxiliaries that are never part of a name ("har", "blev"); an adjective inside a name ("Det
konservative Folkeparti", "Sindal højere Almueskole") has no such ending, or comes after "Det".
DaN+ train and dev have no lower-case word ending in "-er" inside a name but "højere" and "større".
"hos" and "ifølge" open names and stand inside none ("Bild Am Sonntag ifølge Reuters"); the part
after them keeps the type.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from worker.pipeline import known_names
from worker.pipeline.overlaps import put_in_place

FACTORY = "newsdesk_run_on_names"

# Verbs that never stand inside a person's, a place's or an organisation's name.
AUXILIARIES = frozenset("er var har havde blev bliver kan kunne skal skulle vil ville må måtte får fik gav "
                        "gik kom tog sagde siger gjorde".split())
_PAST_TENSE = re.compile(r"[a-zæøå]{2,}(?:ede|te)")
_PRESENT_TENSE = re.compile(r"[a-zæøå]{3,}[a-df-zæøå]er")
# A compound of two letters or more, a hyphen and a lower-case word: "Tesla-bossen", "DR2-programmet"
# (not "G-star", "A-kassen", names of their own).
_DESCRIPTION = re.compile(r"[^\W_][\w.]+-[a-zæøå]{3,}")
# Prepositions that stand before a name, never inside one: "Bild Am Sonntag ifølge Reuters".
_NEVER_INSIDE = frozenset({"hos", "ifølge"})
# A dash between words, which joins two names ("Viborg – Horsens", a match) but no name's words.
_DASHES = frozenset("-–—")
# The word before a cut is capitalised, so only these forms can stand there.
_DETERMINERS = frozenset({"Det", "Den", "De"})


def _capitalised(text: str) -> bool:
    return text[:1].isalpha() and text[:1].isupper()


def is_verb(text: str) -> bool:
    """Whether a lower-case Danish word reads as a verb (see the module's docstring)."""
    return (text in AUXILIARIES or (_PAST_TENSE.fullmatch(text) is not None and not text.endswith("ste"))
            or _PRESENT_TENSE.fullmatch(text) is not None)


def cut_points(entity: Span) -> list[tuple[int, str]]:
    """Where ``entity`` is cut (the index of the word cut out) and the type of the part after it."""
    doc = entity.doc
    points = []
    for i in range(entity.start + 1, entity.end - 1):
        before, word, after = doc[i - 1].text, doc[i].text, doc[i + 1].text
        if not (_capitalised(before) and _capitalised(after)) or before in _DETERMINERS:
            continue
        if word == "i":
            points.append((i, "LOC"))
        elif (is_verb(word) or word in _DASHES or word in _NEVER_INSIDE
              or (word == "for" and known_names.is_known_key(doc[entity.start : i].text.casefold()))):
            points.append((i, entity.label_))
    return points


def without_description(entity: Span) -> Span:
    """``entity`` without a compound that ends in a lower-case word before its last word, and
    without all before that ("Tesla-bossen Elon Musk", "HB Køge-træner Aurelius Skarbalius"): a
    description of the name, which the steps after this one read as the kind noun before it."""
    for k in range(len(entity) - 2, -1, -1):
        if _DESCRIPTION.fullmatch(entity[k].text):
            return Span(entity.doc, entity.start + k + 1, entity.end, label=entity.label)
    return entity


def without_number(entity: Span) -> Span:
    """A person's name without a number that ends it ("Jesper Csizmadia 1" in a results list)."""
    if entity.label_ == "PER" and len(entity) > 1 and entity[-1].is_digit:
        return Span(entity.doc, entity.start, entity.end - 1, label=entity.label)
    return entity


def cut_names(doc: Doc) -> list[Span]:
    """The parts of each name this step cuts (see the module), in order."""
    parts: list[Span] = []
    for whole in doc.ents:
        entity = without_number(without_description(whole))
        points = cut_points(entity) if entity.label_ != "MISC" and len(entity) >= 3 else []
        if not points:
            if entity is not whole:
                parts.append(entity)
            continue
        start, label = entity.start, entity.label_
        for i, next_label in points:  # a cut word has a word of the name on each side
            parts.append(Span(doc, start, i, label=label))
            start, label = i + 1, next_label
        parts.append(Span(doc, start, entity.end, label=label))
    return parts


@Language.component(FACTORY)
def run_on_names(doc: Doc) -> Doc:
    """Each name this step cuts, in place of the whole (`put_in_place` drops the names the parts
    overlap: the whole)."""
    return put_in_place(doc, cut_names(doc))
