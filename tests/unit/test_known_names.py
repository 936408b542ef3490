"""Names whose type is known ("Apple", "Skat"), given that type after the tagger."""

from __future__ import annotations

from tests.tagged_docs import labels, tagged
from worker.pipeline import crf_ner
from worker.pipeline.entities import extract_entities, load_ner
from worker.pipeline.kind_cues import CUES, retype
from worker.pipeline.known_names import COMMON_WORDS, KNOWN, is_known_genitive, known_label


def test_the_list_holds_whole_names_with_single_spaces():
    assert len(KNOWN) > 200
    assert all(name == " ".join(name.split()) and name for name in KNOWN)
    assert {KNOWN[name] for name in ("Apple", "Skat", "Dansk Folkeparti", "A.P. Møller - Mærsk", "H&M")} == {"ORG"}
    assert {KNOWN[name] for name in ("X Factor", "OL", "Roskilde Festival", "Anden Verdenskrig")} == {"MISC"}
    assert {KNOWN[name] for name in ("Panodil", "Ozempic", "Gammel Dansk", "Minecraft")} == {"MISC"}
    assert {KNOWN[name] for name in ("Riksdagen", "Stortinget", "Kongressen", "Nasa", "ISIS")} == {"ORG"}
    assert {KNOWN[name] for name in ("West Brom", "Man City", "Retten i Lyngby", "Trustpilot")} == {"ORG"}
    # Clubs not named by their city alone, shops ("Irma" was MISC, "Kvickly" and "Meny" places,
    # "Walmart" a person), banks and bookmakers.
    assert {KNOWN[name] for name in ("Rayo Vallecano", "Levante", "Fiorentina", "Ross County", "Wolves",
                                     "Kvickly", "Meny", "Irma", "Dagli'Brugsen", "Fakta", "Walmart",
                                     "Waitrose", "Lloyds", "Ladbrokes", "Sportsmail", "Panasonic",
                                     "Klarna")} == {"ORG"}
    # Broadcasters and papers the taggers typed MISC or PER in the sample.
    assert {KNOWN[name] for name in ("ESPN", "TMZ", "The Mirror", "Daily Mirror")} == {"ORG"}
    assert {"Fakta", "Wolves"} <= COMMON_WORDS  # "Fakta:" heads a box of facts, "Wolves" may be animals
    # A city that names a club, a place standing for a government.
    assert not {"Liverpool", "Barcelona", "Kreml", "Det Hvide Hus"} & KNOWN.keys()
    # A castle, Prince Philip's genitive ("prins Philips"), firms named as people are.
    assert not {"Rosenborg", "Philips", "John Lewis", "William Hill"} & KNOWN.keys()
    # A party named by a common word is listed, and left to the tagger opening a sentence.
    assert KNOWN["Venstre"] == "ORG" and "Venstre" in COMMON_WORDS


def test_a_name_listed_with_an_apostrophe_or_a_dash_is_known_typeset_too():
    # CNN/DailyMail wrote "a Sainsbury’s": the tagger's "Sainsbury" was a person.
    assert KNOWN["Sainsbury’s"] == KNOWN["McDonald’s"] == KNOWN["Victoria’s Secret"] == "ORG"
    text = "Homes near a Waitrose, a Sainsbury’s and a Co-op cost more. McDonald’s opened."
    groups = {(g["name"], g["label"]) for g in extract_entities(load_ner("en"), {"text": text})}
    assert groups == {("Waitrose", "ORG"), ("Sainsbury’s", "ORG"), ("McDonald’s", "ORG")}
    danish = extract_entities(load_ner("da"), {"text": "Vi spiste på McDonald’s, og A.P. Møller – Mærsk tjente."})
    assert [(g["name"], g["label"]) for g in danish] == [("McDonald’s", "ORG"), ("A.P. Møller – Mærsk", "ORG")]


def test_a_listed_name_is_known_also_in_the_danish_genitive():
    assert known_label("Apple", genitive_s=False) == "ORG"
    assert known_label("Dansk  Folkeparti", genitive_s=False) == "ORG"
    assert known_label("Politikens", genitive_s=True) == "ORG"
    assert known_label("Politikens", genitive_s=False) is None
    assert known_label("Aarhus", genitive_s=True) is None
    # Danish writes the genitive of an abbreviation with an apostrophe.
    assert known_label("FBI's", genitive_s=True) == known_label("FBI’s", genitive_s=True) == "ORG"
    assert known_label("FBI's", genitive_s=False) is None
    assert [is_known_genitive(key) for key in ("apples", "politikens", "apple", "aarhus")] == [True, True, False, False]


def test_a_listed_name_takes_its_type_before_any_kind_noun_and_others_keep_theirs():
    text = "Det skriver avisen Politiken om Apple og selskabet Aarhus Vand."
    doc = retype(tagged(text, {"Politiken": "LOC", "Apple": "PER", "Aarhus Vand": "LOC"}), CUES["da"], True)
    assert labels(doc) == [("Politiken", "ORG"), ("Apple", "ORG"), ("Aarhus Vand", "ORG")]
    doc = retype(tagged("Facebook bought Instagram from Kevin.", {"Facebook": "LOC", "Instagram": "PER",
                                                                  "Kevin": "PER"}, lang="en"), {})
    assert labels(doc) == [("Facebook", "ORG"), ("Instagram", "ORG"), ("Kevin", "PER")]


def test_the_models_mistyped_names_come_out_typed_and_grouped_by_the_list():
    nlp = load_ner("da")
    text = "Apple har solgt flere telefoner end ventet, oplyser Apples direktør Tim Cook."
    tagger_only = nlp.get_pipe(crf_ner.FACTORY)(nlp.make_doc(text))
    assert ("Apple", "PER") in labels(tagger_only)
    groups = {g["name"]: (g["label"], g["count"]) for g in extract_entities(nlp, {"text": text})}
    assert groups == {"Apple": ("ORG", 2), "Tim Cook": ("PER", 1)}

    english = load_ner("en")
    text = "Facebook said on Monday that Instagram would change."
    assert labels(english.get_pipe(crf_ner.FACTORY)(english.make_doc(text))) == [("Instagram", "PER")]
    assert labels(english(text)) == [("Facebook", "ORG"), ("Instagram", "ORG")]  # the tagger missed Facebook


def test_chelsea_is_the_club_however_the_taggers_type_it():
    # The Danish tagger typed the club a place in 5 sample articles, the English one a person in 1.
    nlp = load_ner("da")
    text = "Liverpool skal være vært for Chelsea i Carabao Cuppens tredje runde onsdag aften."
    assert ("Chelsea", "LOC") in labels(nlp.get_pipe(crf_ner.FACTORY)(nlp.make_doc(text)))
    assert ("Chelsea", "ORG") in labels(nlp(text))
    english = load_ner("en")
    text = "Chelsea said it would appeal."
    assert ("Chelsea", "PER") in labels(english.get_pipe(crf_ner.FACTORY)(english.make_doc(text)))
    assert ("Chelsea", "ORG") in labels(english(text))
    # A person's whole name is no listed name: the list does not touch it.
    assert ("Chelsea Clinton", "PER") in labels(english("Chelsea Clinton spoke in New York on Monday."))


def test_the_planets_are_places_and_the_earth_is_retyped_but_never_added():
    # The sample's "Mars" (PER, 9 mentions in one article), "Jupiter" (PER) and "Jorden" (ORG, 7).
    nlp = load_ner("da")
    text = "Har vi allerede fundet tegn på liv på Mars, spørger forskerne."
    assert labels(nlp.get_pipe(crf_ner.FACTORY)(nlp.make_doc(text))) == [("Mars", "PER")]
    assert labels(nlp(text)) == [("Mars", "LOC")]
    english = load_ner("en")
    text = "Scientists found water on Jupiter and on Mars, far from Earth."
    assert ("Mars", "PER") in labels(english.get_pipe(crf_ner.FACTORY)(english.make_doc(text)))
    assert labels(english(text)) == [("Jupiter", "LOC"), ("Mars", "LOC"), ("Earth", "LOC")]
    # DaN+ leaves "Jorden" (the Earth, also the ground) unannotated 6 times in 7: a tagged one is
    # a place, in the genitive too, but the list adds none the tagger did not find.
    doc = retype(tagged("Meteoren ramte Jorden, og Jordens klima skiftede.", {"Jorden": "ORG", "Jordens": "PER"}),
                 CUES["da"], genitive_s=True)
    assert labels(doc) == [("Jorden", "LOC"), ("Jordens", "LOC")]
    text = "Meteoren ramte Jorden, og Jordens klima skiftede."
    assert labels(nlp.get_pipe(crf_ner.FACTORY)(nlp.make_doc(text))) == labels(nlp(text)) == []


def test_danish_tv_channels_are_organisations_typed_or_missed_by_the_tagger():
    nlp = load_ner("da")
    text = "Se mere i Kontant i aften kl. 21:00 på DR1, hvor forbrugerprogrammet også undersøger sagen."
    assert labels(nlp.get_pipe(crf_ner.FACTORY)(nlp.make_doc(text))) == [("DR1", "LOC")]
    assert labels(nlp(text)) == [("DR1", "ORG")]
    text = "Det siger lektor Birgitte Andersen fra DTU til Penge på DR1."
    assert ("DR1", "ORG") not in labels(nlp.get_pipe(crf_ner.FACTORY)(nlp.make_doc(text)))
    assert ("DR1", "ORG") in labels(nlp(text))


def test_makers_and_their_products_come_out_as_listed():
    # Sample articles had "Asus" a person, "F-35" an organisation and "Lockheed Martin" a person.
    nlp = load_ner("da")
    text = ("Asus viser en ny bærbar. Forsvaret køber kampflyet F-35 fra Lockheed Martin i stedet for "
            "flere F-16. Lockheed Martins fly er dyre, og ny Lamborghini Asterion kører på el.")
    groups = {g["name"]: (g["label"], g["count"]) for g in extract_entities(nlp, {"text": text})}
    assert groups == {"Asus": ("ORG", 1), "F-35": ("MISC", 1), "Lockheed Martin": ("ORG", 2), "F-16": ("MISC", 1),
                      "Lamborghini Asterion": ("MISC", 1)}
    # The tagger finds "Retten" as a place and the town apart; the court is one name.
    text = "Han blev dømt i Retten i Lyngby. Sagen kom for Retten på Frederiksberg, og han bor i Lyngby."
    groups = {g["name"]: (g["label"], g["count"]) for g in extract_entities(nlp, {"text": text})}
    assert groups == {"Retten i Lyngby": ("ORG", 1), "Retten på Frederiksberg": ("ORG", 1), "Lyngby": ("LOC", 1)}


def test_a_listed_name_joins_the_longer_listed_name_it_begins():
    # A one-word MISC name before the rest is mostly a nationality ("Ethiopian Christians"), which
    # stays apart; a listed name before a listed name is the same thing, an unlisted one is not.
    nlp = load_ner("da")
    text = "Eurovision Song Contest holdes i Wien. Eurovision er stort, og Eurovision er sjovt."
    groups = {g["name"]: (g["label"], g["count"]) for g in extract_entities(nlp, {"text": text})}
    assert groups["Eurovision Song Contest"] == ("MISC", 3) and "Eurovision" not in groups
    text = "Google lancerer nu Android Wear til ure. Telefonen kører også Android, siger Google."
    groups = {g["name"]: (g["label"], g["count"]) for g in extract_entities(nlp, {"text": text})}
    assert groups["Android"] == ("MISC", 1) and groups["Android Wear"][1] == 1


def test_a_part_of_a_listed_name_typed_otherwise_joins_it_unless_it_is_a_place():
    # The sample's "Rayo" (PER) stood apart from "Rayo Vallecano" once the list made the club ORG;
    # "Madrid" of "Real Madrid" and "Sjælland" of "Region Sjælland" are the places.
    nlp = load_ner("en")
    text = ("Rayo Vallecano beat Real Madrid in Madrid. Rayo scored twice, and Rayo Vallecano fans sang. "
            "Region Sjælland pays, said a man from Sjælland.")
    groups = {g["name"]: (g["label"], g["count"]) for g in extract_entities(nlp, {"text": text})}
    assert groups["Rayo Vallecano"] == ("ORG", 3) and "Rayo" not in groups
    assert groups["Real Madrid"] == ("ORG", 1) and groups["Madrid"] == ("LOC", 1)
    assert groups["Sjælland"][0] == "LOC" and groups["Region Sjælland"] == ("ORG", 1)


def test_a_listed_name_run_on_from_a_name_of_another_type_is_split():
    # A list of wines whose line breaks were lost: "Rasteau, Frankrig Meny: 100 kroner".
    nlp = load_ner("da")
    text = ("Domaine La Soumade, Rasteau, Frankrig Meny: 100 kroner. Vinen kommer fra Frankrig, og den "
            "står på hylderne i en Meny. Din lokale Meny har den.")
    groups = {g["name"]: (g["label"], g["count"]) for g in extract_entities(nlp, {"text": text})}
    assert groups["Meny"] == ("ORG", 3) and groups["Frankrig"] == ("LOC", 2)


def test_a_listed_name_opening_a_sentence_keeps_its_first_word():
    # "Lockheed" is a common word to the lexicon, and the article names a "Martin": the group was
    # named "Martin", every "Lockheed Martin" cut to it.
    nlp = load_ner("en")
    text = "Lockheed Martin builds the jet. Lockheed Martin won. Martin said the jet is fine."
    groups = extract_entities(nlp, {"text": text})
    assert [m["text"] for g in groups for m in g["mentions"]][:2] == ["Lockheed Martin", "Lockheed Martin"]
    assert groups[0]["name"] == "Lockheed Martin"
