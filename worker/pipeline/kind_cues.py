"""Retyping a tagged name by what it is known to be ("Apple", "Skat": see ``known_names``), or else
by a word that says its kind: the kind noun right before it ("avisen Politiken", "byen Aarhus"),
the one a one-word name ends in ("Justitsministeriet"), the last word of a longer name ("Aarhus
Universitet", "Nordsjællands Politi", "Barcelona Open") or, in English, its first ("Storm Babet").
Both languages run the step; only Danish has a table of kind nouns.

A name often comes with a word that says what kind of thing it is: "nyhedsbureauet Interfax",
"det russiske nyhedsbureau Interfax", "den canadiske provins Nova Scotia", "filmen "Fyrskibet"".
Where the tagger found the name but gave it the wrong type, that word settles it. This step runs
after the tagger, in the same spaCy pipeline (the service, ``newsdesk eval entities`` and the
model card's scores all run it), and changes only labels: it never adds, drops or moves a span.

The cue is the word right before the name (an opening quotation mark may stand between), written
in lower case: a listed kind noun in the indefinite or definite form, or a compound ending in one
of at least four letters ("tv-stationen", "fodboldklubben", "ølkoncern", "lufthavnen"). A
capitalised word before a name is left alone: it opens a sentence ("Hold Danmark rent") or
belongs to a name itself. Nouns that are also common verb forms are listed in the definite form
only ("banken", "landet", "sangen"): Danish puts the subject after the verb ("I aftes sang Kim
Larsen"). Measured with the Danish model (see the README, Models and data): on DaN+ dev it
retypes 5 names, all rightly (F1 77.33 -> 78.64), and 2 more it had right already; in 5-fold
cross-validation on DaN+ train, 20 names, 18 rightly (78.68 -> 79.23). A one-word name is also read by
the kind noun it ends in, itself a compound ("Justitsministeriet", "Ekstrabladet", "Trygfonden"):
on DaN+ dev that changes nothing; in the cross-validation it retypes 8 names, 1 rightly and none
wrongly (the 7 others are no names in DaN+'s annotation, or wrong either way: 79.23 -> 79.24); in
400 DaNewsroom articles it retypes 14 groups: 10 organisations the tagger typed as places or MISC
("Nationalbanken", "Trygfonden"), 3 football leagues now MISC ("Danmarksserien") and "Lucasfilm",
PER -> MISC, wrong either way. A longer name is read by the kind noun it ends in, capitalised, where
that is an organisation's or a place's ("Aarhus Universitet", "Roskilde Fjord"; not "Nordisk
Film", a company): in DaN+ train and dev, 21 of the 23 such names are annotated with the type the
noun says (the 2 others are companies ending in a work's noun); in the cross-validation it retypes
3 names, 2 rightly (the third no name in DaN+: 80.13 -> 80.19), on dev none; in 1,250 articles
11 groups, all rightly ("Roskilde Fjord", "Præstø Havn", "Alexandra Instituttet" was PER).
Streets and squares: "gade", "torv", "plads", "stræde", "allé", "boulevard" (and "vejen"; "vej" is too
short for a compound head) make a one-word name a place ("Rådhuspladsen" and "Kultorvet" were ORG),
but not as the last word of a longer one, where "Gade" is a surname ("Steen Gade"): on DaN+ dev
that retypes "Kvægtorvet", rightly (79.22 -> 79.48), in the cross-validation "Fiolstræde", rightly
(80.32 -> 80.36), in 1,250 articles 10 groups, all rightly.
So do a bridge's and a park's definite nouns ("Storebæltsbroen", "Mjølnerparken", typed MISC;
the bare "Parken", a stadium, stays as tagged): "Lillebæltsbroen" in the cross-validation, rightly
(83.17 -> 83.20), 5 articles of the sample, all rightly.
Some words end names of organisations but say nothing before a name ("Herning Kommune",
"Nordsjællands Politi", "Kia A/S", "Brøndby IF"; "Lolland-Falsters politi Kenneth Pedersen"):
as the last word they retype 3 names in the cross-validation, all rightly (80.36 -> 80.46), none
on dev, and 16 articles of 1,250, all rightly (police districts typed LOC or PER, firms PER).
Events' words do the same for MISC ("Nordic Cup", "Sjælland Rundt", "De Olympiske Lege", "Roskilde
Festival", "Brasiliens Grand Prix"; the tagger types them ORG or LOC, by their first words): DaN+
train and dev annotate all 6 such names MISC; in the cross-validation they retype 5 names, 4
rightly (the fifth wrong either way: 82.35 -> 82.48, MISC 54.26 -> 55.49), on dev none, in the
sample 7 groups, all rightly.
So do places' words ("Næstved Station", "Brøndby Stadion", "Park Avenue", "Jorcks Passage", and
a square's noun, unlike a street's: "Den Røde Plads"): 6 names in the cross-validation, all
rightly (80.97 -> 81.17), none on dev, 11 articles of the sample. Streets and squares abroad and
"Boulevard" ("Pusher Street", "Trafalgar Square", "Dalgas Boulevard"), and a prize's words for
MISC ("Teenage Awards"), change only the sample: 14 groups in 11 articles, all rightly.
A storm is no person: "orkanen Maria", "stormen Bodil"; English writes the kind word before such
names, capitalised, as a part of them ("Storm Babet", "Hurricane Katrina", "Mount Everest", "Lake
Geneva": `LEADING`). CoNLL has none of these (its scores do not move); in the sample it retypes
"Maria", rightly, and the English storm seed's "Storm Babet", PER before.
English has endings too, as CoNLL-2003 annotates them ("Barcelona Open", "Davis Cup" MISC; "Ltd",
"Inc", "University" ORG): on CoNLL dev they retype 1 name, rightly (91.28 -> 91.30), test and UNER
do not move; in the sample 2 groups, rightly. Seas, oceans, gulfs, straits, valleys, deserts,
mountains and peninsulas ("Celtic Sea", "Silicon Valley"; English model 0.25.0): UNER PUD news 72.38
-> 72.86, CoNLL and the sample do not move.
A Danish name that is all a pair of quotation marks holds, typed ORG or LOC, is MISC: a title
("»Achtung Baby«", "'The Daily Show'"). In DaN+ train and dev 85 of the 106 names so quoted are
MISC (11 PER, nicknames: those stay); in the cross-validation it retypes 3 names, 2 rightly
(80.52 -> 80.56, MISC 40.55 -> 41.08), on dev none; in the sample 33 articles change, all right
but two names of a shop and a team ("Jill & Joy", "Team Amanda").
Ships are MISC, as DaN+ annotates all 5 of its names after a ship's noun ("inspektionsskibet
Fylla", "ubåden Spækhuggeren"): in the cross-validation 80.56 -> 80.62 (MISC 41.76), dev
unchanged, in the sample 4 articles ("færgen Dronning Ingrid").
A Danish one-word name typed as a person that the model's lexicon knows as a country is the
country ("Brasilien vandt", "Israel likviderer", "Qatar og Oman"), unless a longer person's name in
the text has it as a word ("Michael Jordan ... Jordan"). DaN+ train and dev annotate no country's
name as a person; on dev it retypes "Oman", rightly (80.21 -> 80.47), in the cross-validation
nothing, in the sample 2 articles, rightly. English is left out: on CoNLL it retypes only "Jordan",
a player named alone in a sentence (test 86.18 -> 86.14). A country's name typed as an
organisation is the country too, and a region's name not written in capitals is the region
either way ("resten af Norden", "trafikken mod Jylland"; `places_of`).
Political and royal titles before a Danish name make it a person's ("præsident François Hollande",
typed ORG; `TITLES`): DaN+ train and dev annotate 32 of the 33 names right after one PER; in the
cross-validation it retypes one name, rightly (82.48 -> 82.51), on dev none. An English noble's
title and "of" open a person's name ("Duchess of Cambridge", typed ORG by its "of"), and the title
alone is then that person ("the Duchess"); CoNLL does not move, the sample has 2 such articles.
English has no table of kind nouns before a name: its
model already types such names (43 kind nouns before a name would retype 3 of CoNLL dev's
5,942, 2 rightly: 91.18 -> 91.21).
In Danish a person's age or occupation before a name is read as a title ("den 47-årige Dirgham
Ateya", "skuespillerinden Holland Taylor"), and so is a speech verb before a name that ends its
clause ("fortæller Holland Taylor."); a town's name and its postal district is a place ("Esbjerg
V."), and so is all of the name of two words or more of a country, a region or a city that the
lexicon keeps whole ("São Paulo", "Costa Rica"). Dev and test do not move, the cross-validation
83.04 -> 83.17, and in the sample 28 articles change, 27 rightly (README, Kind nouns and Places
no package names).
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc, Span

from worker.pipeline import crf_ner
from worker.pipeline.known_names import genitive_base, known_label
from worker.pipeline.punctuation import QUOTES
from worker.pipeline.quoted_titles import SPEECH_VERBS

FACTORY = "newsdesk_kind_cues"

# Nouns of streets and squares, which end their names ("Vesterbrogade", "Rådhuspladsen"; and
# English "street", which Christiania's "Pusherstreet" ends in, typed ORG in 2 articles).
STREETS = "gade gaden vejen torv torvet plads pladsen stræde strædet allé alléen boulevard boulevarden street"
# Kind noun forms (indefinite and definite) by the type of the name they announce.
DANISH = {
    "ORG": """avis avisen blad bladet dagblad dagbladet magasin magasinet tidsskrift tidsskriftet
        bureau bureauet nyhedsbureau nyhedsbureauet selskab selskabet firma firmaet koncern koncernen
        virksomhed virksomheden banken parti partiet klub klubben forening foreningen organisation
        organisationen forbund forbundet tv-station tv-stationen radiostation radiostationen tv-kanal
        tv-kanalen band bandet orkester orkestret orkesteret gruppe gruppen institut instituttet
        universitet universitetet ministerium ministeriet styrelse styrelsen rederi rederiet kæde kæden
        bryggeri bryggeriet fond fonden forlag forlaget bevægelse bevægelsen alliance alliancen fabrik
        fabrikken forvaltning forvaltningen tilsyn tilsynet""",
    "LOC": """by byen landet ø øen sø søen hovedstad hovedstaden provins provinsen region regionen
        delstat delstaten landsby landsbyen bydel bydelen flod floden fjord fjorden bjerg bjerget halvø
        halvøen øgruppe øgruppen ørken ørkenen havn havnen forstad forstaden havet broen parken """ + STREETS,
    "MISC": """film filmen bog bogen roman romanen sangen album albummet festival festivalen serie
        serien udstilling udstillingen forestilling forestillingen musical musicalen opera operaen
        plade pladen overskrift overskriften titel titlen stormen orkanen komedien dramaet dokumentaren
        programmet podcasten maleriet digtet spillet appen kampagnen operationen traktaten aftalen
        konferencen turneringen mesterskabet prisen skib skibet båd båden færge færgen kutter kutteren
        fartøj fartøjet trawler trawleren""",
}
# Words that end names of organisations ("Herning Kommune", "Nordsjællands Politi", "Kia A/S",
# "Brøndby IF"), places ("Næstved Station", "Den Røde Plads") or events ("Nordic Cup", "Sjælland
# Rundt", "De Olympiske Lege") but say nothing as the word before a name: "Lolland-Falsters politi
# Kenneth Pedersen" is a person, "nabokommunen Gigondas" a place.
DANISH_ENDINGS = {"ORG": "holding teater teatret kommune amt tidende politi hospital sygehus a/s aps inc. ltd. gmbh if",
                  "LOC": "station stadion fælled avenue plads pladsen passage boulevard street square",
                  "MISC": "cup open rundt lege festival festivalen prix prize awards marathon maraton rally"}
# A compound is read by the kind noun it ends in only where that noun has this many letters:
# shorter ones end too many other words ("baby", "miljø", "hobby").
MIN_COMPOUND_HEAD = 4
# Words that end in a kind noun but are no compounds of it: "i forvejen" ("already") is no road.
NO_COMPOUNDS = frozenset({"forvejen"})
_QUOTES = frozenset(QUOTES)


def cue_table(kinds: dict[str, str]) -> dict[str, str]:
    """Each listed form -> the type it announces."""
    return {form: label for label, forms in kinds.items() for form in forms.split()}


CUES = {"da": cue_table(DANISH)}
# Titles Danish writes in lower case before a person's name ("præsident François Hollande",
# "dronning Margrethe", "udenrigsminister Anders Samuelsen"), read only there: a one-word name
# ending in one is an office, no person ("Statsministeren"). No titles that are also verbs
# ("spiller") or that stand before a firm in lists of staff ("økonomidirektør Danbyg A/S").
# A person's age too ("den 47-årige Dirgham Ateya", typed ORG three times in one article): DaN+
# train and dev annotate all 13 names after one PER. And a person's occupation ("skuespillerinden
# Holland Taylor", "bassist JC"), but for the forms that are also verbs ("træner", "spiller",
# "forsker") and the posts that stand before a firm in lists of staff ("direktør", "chef",
# "formand", "næstformand SF-Kolding"): DaN+ train and dev annotate all 23 names after one PER.
# Not a place's name: "gæster sangeren Danmark" is the singer visiting (see `retype`).
OCCUPATIONS = """advokat advokaten læge lægen lektor lektoren professor professoren træneren spilleren
    skuespiller skuespilleren skuespillerinde skuespillerinden sanger sangeren sangerinde sangerinden
    forfatter forfatteren forfatterinde forfatterinden journalist journalisten instruktør instruktøren
    komponist komponisten musiker musikeren kunstner kunstneren politiker politikeren forskeren
    pianist pianisten guitarist guitaristen bassist bassisten fotograf fotografen"""
# The posts a compound of a name announces a person by, read only there ("-træner", keyed so): "HB
# Køge-træner Aurelius Skarbalius" (ORG), "LO-formand Harald Børsting", "SAS-bossen Jan Carlzon".
# After a name and a hyphen these are nouns, not verbs ("træner"), and no list of staff's posts
# before a firm ("direktør"): DaN+ train and dev annotate the name after each of their 8 such
# compounds (of these posts and others: "Texas-senatoren", "EF-ordfører") PER.
NAMED_POSTS = """træner træneren spiller spilleren direktør direktøren chef chefen formand formanden boss
    bossen ordfører ordføreren senator senatoren"""
TITLES = {"da": cue_table({"PER": """præsident præsidenten minister ministeren premierminister
    premierministeren kansler kansleren borgmester borgmesteren dronning dronningen prins prinsen
    prinsesse prinsessen kong kongen pave paven biskop biskoppen årig årige """ + OCCUPATIONS})
    | {f"-{post}": "PER" for post in NAMED_POSTS.split()}}
ENDINGS = {"da": cue_table(DANISH_ENDINGS),
           # As CoNLL-2003 annotates them: "Barcelona Open", "Davis Cup", "Nobel Prize", "Gulf War",
           # "Venice Film Festival"; "Apple Inc", "Harvard University" (not "Party": "Serpentine
           # Gallery Summer Party"); "Wall Street", "Tiananmen Square", "Celtic Sea", "Persian Gulf",
           # "Silicon Valley" (CoNLL train and dev annotate all 27 names ending in these LOC; not "Bay", "Coast"
           # nor "Island", which end clubs and countries' teams there: "Tampa Bay", "Ivory Coast").
           "en": cue_table({"MISC": "open cup championship championships prize war festival awards",
                            "ORG": "inc inc. ltd ltd. corp corp. plc llc university",
                            "LOC": "street square sea seas ocean gulf strait mountains valley desert peninsula"})}
# Words English writes capitalised before a name, as part of it, that say its kind: "Storm Babet",
# "Hurricane Katrina" (no persons), "Mount Everest", "Lake Geneva", "River South Esk" (the storm
# seed's, typed ORG; CoNLL's "River Plate", a club, is not in its dev or test sets).
# A noble's title and "of" open a person's name ("Duchess of Cambridge", "Duke of York", typed ORG
# by its "of"); the title alone does not: "Prince Edward Island", "Princess Cruises".
NOBLE_TITLES = "duke duchess prince princess earl countess marquess baron baroness"
LEADING = {"en": cue_table({"MISC": "storm hurricane typhoon cyclone operation", "LOC": "mount lake river"})
           | {f"{title} of": "PER" for title in NOBLE_TITLES.split()},
           "da": cue_table({"MISC": "operation"})}
# English nouns of places that stand before "of" and a name ("the mining town of Moengo", typed
# ORG; "parts of Angus and Aberdeenshire", the storm seed's, typed PER by its first name): CoNLL-2003
# train and dev annotate 137 of the 138 names right after one of them and "of" LOC (the other is a
# golf club, "the resort of Ballybunion"). Only a lower-case noun: "Secretary of State".
PLACES_OF = {"en": frozenset("""town city village province region resort parts state county district island
    suburb outskirts areas""".split())}


def cue_label(word: str, table: dict[str, str]) -> str | None:
    """The type ``word`` announces for a name right after it, or None. Only a lower-case word
    counts; after a hyphen only its last part need be ("TV-stationen")."""
    head = word.rpartition("-")[2]
    if not head.islower():
        return None
    lower = word.lower()
    if lower in table:
        return table[lower]
    if lower in NO_COMPOUNDS:
        return None
    for k in range(2, len(lower) - MIN_COMPOUND_HEAD + 1):
        if lower[k:] in table:
            return table[lower[k:]]
    return None


def own_kind(name: str, table: dict[str, str], genitive_s: bool = False) -> str | None:
    """The type a one-word name's own last part announces, where the name is a compound ending in
    a kind noun ("Justitsministeriet", "Ekstrabladet", "Kulturfond"), with ``genitive_s`` also in
    the genitive ("Energistyrelsens", which the tagger took for a person); the bare noun ("Avisen"
    at the start of a sentence) is no name of that kind."""
    lower = name.lower()
    if lower in table:
        return None
    return (genitive_s and lower.endswith("s") and own_kind(lower[:-1], table)) or cue_label(lower, table)


# Kind nouns that end names of another kind: "Region Hovedstaden" is mostly the region's council,
# "JP Hovedstaden" a newspaper, and "Gade" is a surname ("Steen Gade"), as street nouns may be.
NOT_LAST_WORD = frozenset({"hovedstaden"} | set(STREETS.split()))


def last_word_kind(word: str, table: dict[str, str], endings: dict[str, str]) -> str | None:
    """The type of a longer name that ends in one of `endings` ("Herning Kommune", "Den Røde
    Plads"), or else in a capitalised kind noun of an organisation or a place ("Aarhus
    Universitet", "Roskilde Fjord"; not one of NOT_LAST_WORD). Not a work's: "Nordisk Film" is a
    company."""
    lower = word.lower()
    if not word[:1].isupper():
        return None
    if lower in endings:
        return endings[lower]
    label = None if lower in NOT_LAST_WORD else table.get(lower)
    return label if label in ("ORG", "LOC") else None


def word_before(doc: Doc, start: int) -> str | None:
    """The word before token ``start``, past spaces and one opening quotation mark; None at the
    start of the text or of a line."""
    i = _past_spaces(doc, start - 1)
    if i is not None and doc[i].text in _QUOTES:
        i = _past_spaces(doc, i - 1)
    return None if i is None else doc[i].text


def _past_spaces(doc: Doc, i: int) -> int | None:
    while i >= 0 and doc[i].is_space:
        if "\n" in doc[i].text:
            return None
        i -= 1
    return i if i >= 0 else None


def retype(doc: Doc, table: dict[str, str], genitive_s: bool = False, endings: dict[str, str] | None = None,
           leading: dict[str, str] | None = None, place: Callable[[str], bool] | None = None,
           titles: dict[str, str] | None = None, town: Callable[[str], bool] | None = None,
           places_of_nouns: frozenset[str] = frozenset()) -> Doc:
    """Give each entity of ``doc`` the type it is known by (``known_names``), else the type a kind
    noun announces: the word before it (or one of ``titles``, a person's), the noun a one-word name
    ends in, the last word of a longer name (a listed kind noun, or one of ``endings``), or the
    first (one of ``leading``, or with "of" after it: "Duchess of"; the title alone is then that
    person, see `_titled_elsewhere`). With ``place`` (whether a word, as written, names a country
    or a region), a one-word person or organisation that is such a place's name becomes the place
    (see `place_for_person`, `place_for_organisation`). With ``town`` (whether a lower-cased word
    or name of two words or more names a town), a town's name and its postal district is a place
    (`postal_district`), and so is a place's name of two words or more (`whole_place_name`). A person
    or an organisation after one of ``places_of_nouns`` and "of" is a place (`after_place_noun`)."""
    entities, changed = list(doc.ents), False
    for k, entity in enumerate(entities):
        label = known_label(entity.text, genitive_s) or _kind(doc, entity, table, endings or {}, leading or {},
                                                              titles or {}, genitive_s)
        if label == "PER" and entity.label_ == "LOC" and _one_word_place(entity, place, town):
            label = None  # a title's or an occupation's subject before its object: "gæster sangeren Danmark"
        if label is None and place and (place_for_person(entity, entities, place, genitive_s)
                                        or place_for_organisation(entity, place, genitive_s)):
            label = "LOC"
        if label is None and town and (postal_district(entity, town) or whole_place_name(entity, place, town)):
            label = "LOC"
        if label is None and _titled_elsewhere(entity, entities, leading or {}):
            label = "PER"
        if label is None and entity.label_ in ("PER", "ORG") and after_place_noun(doc, entity, places_of_nouns):
            label = "LOC"
        if label and label != entity.label_:
            entities[k] = Span(doc, entity.start, entity.end, label=label)
            changed = True
    if changed:
        doc.ents = entities
    return doc


def _kind(doc: Doc, entity: Span, table: dict[str, str], endings: dict[str, str],
          leading: dict[str, str], titles: dict[str, str], genitive_s: bool = False) -> str | None:
    """The type a kind word of ``entity`` announces (see `retype`), or None."""
    word = word_before(doc, entity.start) if table else None
    label = (cue_label(word, table) or cue_label(word, titles) or _post_of_a_name(word, titles)
             or _speaker(doc, entity, word)) if word else None
    if label is None and table and len(entity) == 1:
        label = own_kind(entity.text, table, genitive_s)
    if label is None and len(entity) > 1:
        label = last_word_kind(entity[-1].text, table, endings)
        if label is None and entity[0].text.istitle():
            label = leading.get(entity[0].lower_) or leading.get(f"{entity[0].lower_} {entity[1].lower_}")
    if label is None and table and entity.label_ in ("ORG", "LOC") and _quoted(doc, entity):
        label = "MISC"
    return label


def _post_of_a_name(word: str, titles: dict[str, str]) -> str | None:
    """The type a compound of a name and a post announces ("Køge-træner", "LO-topchef": the
    `NAMED_POSTS` in ``titles``, keyed "-træner"), or None."""
    first, hyphen, head = word.rpartition("-")
    if not (hyphen and first[:1].isupper() and head.islower()):
        return None
    return next((titles[f"-{head[k:]}"] for k in range(len(head) - MIN_COMPOUND_HEAD + 1)
                 if f"-{head[k:]}" in titles), None)


# What ends the clause of a name after its speech verb ("- Det er svært, fortæller Holland Taylor.").
_CLAUSE_ENDS = frozenset(".,!?:;")


def _speaker(doc: Doc, entity: Span, word: str) -> str | None:
    """PER for a name between a speech verb and the end of its clause: Danish puts the speaker
    after the verb ("..., siger Mette Frederiksen."), and DaN+ train and dev annotate all 99 such
    names PER. Not a name in capitals or with a digit, which is a newspaper's or a broadcaster's
    ("fortæller VG.", "siger TV 2."); a listed one keeps its type before this (`known_label`)."""
    ends_clause = entity.end < len(doc) and doc[entity.end].text in _CLAUSE_ENDS
    media = entity.text.isupper() or any(c.isdigit() for c in entity.text)
    return "PER" if word.lower() in SPEECH_VERBS and ends_clause and not media else None


# The letters of a Danish town's postal districts ("København K", "Aarhus C", "Esbjerg V.").
POSTAL_DISTRICTS = frozenset("C K V Ø N S SV SØ NV NØ".split())


def postal_district(entity: Span, town: Callable[[str], bool]) -> bool:
    """Whether ``entity`` is a town's name and one of its postal districts ("Esbjerg V.", "Esbjerg
    Ø.", "Esbjerg N.": typed ORG 15 times in one article), as DaN+ annotates "København K." a
    place. Two words only: a longer name ends so too ("Porsche Cayenne S"), and a name and an
    initial ("Katja K.") are no town's."""
    return len(entity) == 2 and entity[1].text.rstrip(".") in POSTAL_DISTRICTS and town(entity[0].lower_)


def whole_place_name(entity: Span, place: Callable[[str], bool] | None, town: Callable[[str], bool]) -> bool:
    """Whether ``entity`` is all of the name of two words or more of a country or a region
    (``place``: "Costa Rica", typed PER) or of a city (``town``: "São Paulo", typed MISC in 2
    articles of the sample and PER in another; "Salt Lake City", "St. Louis", ORG): the tagger
    reads such names word by word, and their words name persons and firms too."""
    return len(entity) > 1 and _names_a_place(" ".join(entity.text.split()), place, town)


def _one_word_place(entity: Span, place: Callable[[str], bool] | None, town: Callable[[str], bool] | None) -> bool:
    """Whether ``entity`` is one word the lexicon knows as a country's, a region's or a town's name."""
    return len(entity) == 1 and _names_a_place(entity[0].text, place, town)


def _names_a_place(name: str, place: Callable[[str], bool] | None, town: Callable[[str], bool] | None) -> bool:
    """Whether ``name``, as written, names a country or a region (``place``), or lower-cased a town."""
    return bool(place and place(name)) or bool(town and town(name.lower()))


def place_for_person(entity: Span, entities: list[Span], place: Callable[[str], bool],
                     genitive_s: bool) -> bool:
    """Whether ``entity`` is one word typed as a person that names a place ("Brasilien", and in
    Danish its genitive "Brasiliens"), and no longer person's name among ``entities`` has that word
    ("Michael Jordan" makes "Jordan" a person)."""
    if entity.label_ != "PER" or not _names_place(entity, place, genitive_s):
        return False
    word = entity[0].lower_
    return not any(token.lower_ in (word, word + "s") or token.lower_ + "s" == word
                   for other in entities if other.label_ == "PER" and len(other) > 1 for token in other)


def place_for_organisation(entity: Span, place: Callable[[str], bool], genitive_s: bool) -> bool:
    """Whether ``entity`` is one word typed as an organisation that names a place ("lande som
    Tyrkiet, Jordan og Libanon", "resten af Norden", and in Danish the genitive "USAs"): DaN+ train
    and dev annotate 286 of their 313 one-word names of countries a place (27 ORG), also where the
    country acts as its government, and 110 of their 117 names of regions only (7 ORG, 5 of them
    a company named Norden in one article)."""
    return entity.label_ == "ORG" and _names_place(entity, place, genitive_s)


def _names_place(entity: Span, place: Callable[[str], bool], genitive_s: bool) -> bool:
    """Whether ``entity`` is one word that names a place, with ``genitive_s`` also in the
    genitive ("Brasiliens", "USA's")."""
    word = entity[0].text
    base = genitive_base(word) if genitive_s else None
    return len(entity) == 1 and (place(word) or bool(base and place(base)))


def after_place_noun(doc: Doc, entity: Span, nouns: frozenset[str]) -> bool:
    """Whether ``entity`` stands right after one of ``nouns``, in lower case, and "of" ("the town
    of Moengo")."""
    of = _past_spaces(doc, entity.start - 1)
    noun = _past_spaces(doc, of - 1) if of is not None and doc[of].text == "of" else None
    return noun is not None and doc[noun].text in nouns


def _titled_elsewhere(entity: Span, entities: list[Span], leading: dict[str, str]) -> bool:
    """Whether ``entity`` is a noble's title alone ("the Duchess") and another name of the text
    opens with it and "of" ("Duchess of Cambridge"): the same person, named short."""
    key = f"{entity[0].lower_} of"
    return (len(entity) == 1 and leading.get(key) == "PER"
            and any(len(other) > 2 and f"{other[0].lower_} {other[1].lower_}" == key for other in entities))


def _quoted(doc: Doc, entity: Span) -> bool:
    """Whether ``entity`` is all that a pair of quotation marks holds ("»Achtung Baby«")."""
    return (entity.start > 0 and entity.end < len(doc) and doc[entity.start - 1].text in _QUOTES
            and doc[entity.end].text in _QUOTES)


@Language.factory(FACTORY)
def make_kind_cues(nlp: Language, name: str) -> "KindCues":
    return KindCues(name, CUES.get(nlp.lang, {}), genitive_s=nlp.lang == "da", endings=ENDINGS.get(nlp.lang, {}),
                    leading=LEADING.get(nlp.lang, {}), nlp=nlp if nlp.lang == "da" else None,
                    titles=TITLES.get(nlp.lang, {}), places_of_nouns=PLACES_OF.get(nlp.lang, frozenset()))


class KindCues:
    """The pipeline step after the tagger (``newsdesk_crf_ner``); see the module's docstring."""

    def __init__(self, name: str, table: dict[str, str], genitive_s: bool = False,
                 endings: dict[str, str] | None = None, leading: dict[str, str] | None = None,
                 nlp: Language | None = None, titles: dict[str, str] | None = None,
                 places_of_nouns: frozenset[str] = frozenset()) -> None:
        self.name = name
        self.table = table
        self.genitive_s = genitive_s
        self.endings = endings or {}
        self.leading = leading or {}
        self.titles = titles or {}
        self.places_of_nouns = places_of_nouns
        # The tagger's lexicon says which words name places; it is read from disk after this
        # step is made, so it is looked up on the first call.
        self.nlp = nlp
        self._places: tuple[Callable[[str], bool], Callable[[str], bool]] | None = None

    def __call__(self, doc: Doc) -> Doc:
        place, town = self.places()
        return retype(doc, self.table, self.genitive_s, self.endings, self.leading, place, self.titles, town,
                      self.places_of_nouns)

    def places(self) -> tuple[Callable[[str], bool] | None, Callable[[str], bool] | None]:
        """Whether a word names a country or a region (`places_of`), and whether it names a town
        (`towns_of`); neither before the lexicon is read."""
        if self._places is None and self.nlp is not None and crf_ner.FACTORY in self.nlp.pipe_names:
            lexicon = self.nlp.get_pipe(crf_ner.FACTORY).lexicon
            self._places = places_of(lexicon), towns_of(lexicon)
        return self._places or (None, None)


def places_of(lexicon: crf_ner.Lexicon) -> Callable[[str], bool]:
    """Whether a word, as written, names a place by the tagger's lexicon: a country ("Brasilien",
    "USA"), or a region not written in capitals ("Norden", "Jylland"; "ALS" is a disease or a firm)."""

    def place(word: str) -> bool:
        names = lexicon.names(word.lower())
        return "L:country" in names or ("L:region" in names and not word.isupper())

    return place


def towns_of(lexicon: crf_ner.Lexicon) -> Callable[[str], bool]:
    """Whether a lower-cased word names a town by the tagger's lexicon ("esbjerg", "aarhus"), or
    a name of two words or more a city ("são paulo": `lexicon.Lexicon.add_whole_names`)."""
    return lambda word: "L:city" in lexicon.names(word)
