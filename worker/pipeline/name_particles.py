"""A person's name goes on over the small lower-case words of foreign surnames: "Ursula von der
Leyen", "Osama bin Laden", "Soraya Sáenz de Santamaria", "Hans ten Feld".

The Danish tagger learned names from DaN+, where such words are rare, and so ends the name before
them ("Ursula", "Osama") or takes the rest for another name ("Hans" PER, "Feld" LOC; "Neurath"
ORG after "von"). This step, right after the tagger in the Danish pipeline, makes one person's name
of a tagged person's name, the particles after it and the capitalised word after them (with the
rest of a name the tagger found there), and of "von" or "van" with the particles and the
capitalised word after it where no name stands before ("von der Leyen", "van Dijk"). The others
are Danish words too ("de" they, "da" when, "den" the), so only those two begin a name alone.
A name typed otherwise goes on too where the name after the particles is typed a person's
("Kronprins Mohammed bin Salman": the title had made "Kronprins Mohammed" an organisation).

In DaN+ train and dev the 5 names written with such a particle ("Peter de Neef", "Hussein Kamal al
Majid", "Marco van Basten") are each one person's name. Measured (README, Particles in names): in
5-fold cross-validation on DaN+ train 81.98 -> 82.12 (3 names, all right), dev unchanged; in the
1,250-article sample 12 articles, all right but a wine ("Chateauneuf de Pape"), wrong before too.
English is left out: its tagger, trained on CoNLL-2003, already joins them ("Virgil van Dijk"),
and CoNLL leaves the particle out of a name it opens ("van Boxmeer").
"""

from __future__ import annotations

import numpy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.strings import hash_string
from spacy.tokens import Doc, Span

from worker.pipeline.overlaps import put_in_place

FACTORY = "newsdesk_name_particles"

PARTICLES = frozenset("de da di del della la le van von der ten ter zu dos das al el bin ibn".split())
# Particles that are no Danish words, and so may open a name with no name before them.
OPENERS = frozenset({"van", "von"})
_OPENER_IDS = numpy.array([hash_string(opener) for opener in OPENERS], dtype="uint64")


def particle_names(doc: Doc) -> list[Span]:
    """The persons' names this step makes (see the module)."""
    entities = list(doc.ents)
    starting_at = {e.start: e for e in entities}
    found: list[Span] = []
    for entity in entities:
        if found and entity.start < found[-1].end:
            continue  # taken into the name before it
        # A name typed otherwise goes on too where a name the tagger typed a person's follows the
        # particles: "Kronprins Mohammed" (ORG) "bin" "Salman" (PER).
        person = entity.label_ == "PER" or _person_after_particles(doc, entity.end, starting_at)
        end = entity.end if person else None
        while end is not None and (further := _name_after_particles(doc, end, starting_at)) is not None:
            end = further  # "Peter de Neef de Vries"
        if end is not None and end > entity.end:
            found.append(Span(doc, entity.start, end, label="PER"))
    if not numpy.isin(doc.to_array(ORTH), _OPENER_IDS).any():
        return found  # the common case: no token to look at one by one (each costs a Token object)
    # A person's name right before "von" has taken it in above ("Ursula von der Leyen").
    inside = {i for span in entities + found for i in range(span.start, span.end)}
    for token in doc:
        if token.text in OPENERS and token.i not in inside and (token.i == 0 or doc[token.i - 1].text not in PARTICLES):
            end = _name_after_particles(doc, token.i, starting_at)
            if end is None:
                continue
            joined = next((name for name in found if token.i < name.start < end), None)
            if joined is not None:  # "von Neurath de Vries", its second half joined above
                found.remove(joined)
                end = joined.end
            found.append(Span(doc, token.i, end, label="PER"))
    return sorted(found, key=lambda span: span.start)


def _past_particles(doc: Doc, i: int) -> int:
    """The first token from ``i`` on that is no particle."""
    while i < len(doc) and doc[i].text in PARTICLES:
        i += 1
    return i


def _name_after_particles(doc: Doc, i: int, starting_at: dict[int, Span]) -> int | None:
    """Where a name ends that has one or more particles from token ``i`` on and a capitalised word
    after them (with the rest of a name tagged from that word), or None."""
    k = _past_particles(doc, i)
    if k == i or k == len(doc) or not (doc[k].text[:1].isalpha() and doc[k].text[:1].isupper()):
        return None
    tagged = starting_at.get(k)
    return tagged.end if tagged is not None else k + 1


def _person_after_particles(doc: Doc, i: int, starting_at: dict[int, Span]) -> bool:
    """Whether one or more particles stand from token ``i`` on and a name typed PER after them."""
    k = _past_particles(doc, i)
    return k > i and k in starting_at and starting_at[k].label_ == "PER"


def join_particles(doc: Doc) -> Doc:
    """Make each of `particle_names` one person's name, in place of the names it overlaps."""
    return put_in_place(doc, particle_names(doc))


@Language.component(FACTORY)
def name_particles(doc: Doc) -> Doc:
    return join_particles(doc)
