"""The Danish step that cuts two names the tagger ran together over "i", a verb, "for" or a dash."""

from __future__ import annotations

from tests.tagged_docs import labels, tagged
from worker.pipeline.entities import extract_entities, load_ner
from worker.pipeline.run_on_names import run_on_names


def test_a_name_run_on_over_i_is_cut_and_the_part_after_it_is_a_place():
    text = "Bios overtog kørslen fra Falck i Region Syddanmark, og Dion blev set på Gatz i Bad Gastein."
    doc = run_on_names(tagged(text, {"Falck i Region Syddanmark": "ORG", "Gatz i Bad Gastein": "ORG"}))
    assert labels(doc) == [("Falck", "ORG"), ("Region Syddanmark", "LOC"), ("Gatz", "ORG"), ("Bad Gastein", "LOC")]


def test_a_name_run_on_over_a_verb_is_cut_and_both_parts_keep_the_type():
    text = "I Skanderborg Kommune valgte Pressalit at hjælpe, mens Jyske Bank støttede Silkeborg-Voel KFUM."
    names = {"Skanderborg Kommune valgte Pressalit": "ORG", "Jyske Bank støttede Silkeborg-Voel KFUM": "ORG"}
    assert labels(run_on_names(tagged(text, names))) == [
        ("Skanderborg Kommune", "ORG"), ("Pressalit", "ORG"), ("Jyske Bank", "ORG"), ("Silkeborg-Voel KFUM", "ORG")]
    doc = run_on_names(tagged("Før var Novo Nordisk blev Novo.", {"Novo Nordisk blev Novo": "ORG"}))
    assert labels(doc) == [("Novo Nordisk", "ORG"), ("Novo", "ORG")]  # an auxiliary
    # The present tense, but not a comparative ("Sindal højere Almueskole", below).
    doc = run_on_names(tagged("Trads advarer Løkke om turen.", {"Trads advarer Løkke": "ORG"}))
    assert labels(doc) == [("Trads", "ORG"), ("Løkke", "ORG")]


def test_a_name_run_on_over_a_preposition_that_opens_names_is_cut():
    text = "Det skriver Bild Am Sonntag ifølge Reuters, og Lise Berg hos Novo Nordisk siger det samme."
    names = {"Bild Am Sonntag ifølge Reuters": "ORG", "Lise Berg hos Novo Nordisk": "PER"}
    assert labels(run_on_names(tagged(text, names))) == [
        ("Bild Am Sonntag", "ORG"), ("Reuters", "ORG"), ("Lise Berg", "PER"), ("Novo Nordisk", "PER")]


def test_a_name_run_on_over_for_is_cut_only_after_a_listed_name():
    # A pollster and its client, a parliament and a party; but "for" stands inside the names of
    # institutions ("Institut for Menneskerettigheder", "Rådet for Sikker Trafik").
    names = {"TNS Gallup for Nordea": "ORG", "Folketinget for Liberal Alliance": "ORG",
             "Institut for Menneskerettigheder": "ORG"}
    text = "Målingen fra TNS Gallup for Nordea, Folketinget for Liberal Alliance og Institut for Menneskerettigheder."
    assert labels(run_on_names(tagged(text, names))) == [
        ("TNS Gallup", "ORG"), ("Nordea", "ORG"), ("Folketinget", "ORG"), ("Liberal Alliance", "ORG"),
        ("Institut for Menneskerettigheder", "ORG")]


def test_a_name_run_on_over_a_dash_is_cut_and_both_parts_keep_the_type():
    text = "Kampen Viborg – Horsens endte 2-1, sagde de hos Alphabet – Googles moderselskab."
    names = {"Viborg – Horsens": "ORG", "Alphabet – Googles": "ORG"}
    assert labels(run_on_names(tagged(text, names))) == [
        ("Viborg", "ORG"), ("Horsens", "ORG"), ("Alphabet", "ORG"), ("Googles", "ORG")]


def test_a_description_opening_a_name_is_no_part_of_it_and_its_noun_gives_the_type():
    text = "Tesla-bossen Elon Musk talte i DR2-programmet Detektor om A-kassen for Journalistik og G-star Raw."
    names = {"Tesla-bossen Elon Musk": "ORG", "DR2-programmet Detektor": "LOC", "A-kassen for Journalistik": "ORG",
             "G-star Raw": "ORG"}
    assert labels(run_on_names(tagged(text, names))) == [
        ("Elon Musk", "ORG"), ("Detektor", "LOC"), ("A-kassen for Journalistik", "ORG"), ("G-star Raw", "ORG")]
    # In the service the kind-cue step then reads the description as the noun before the name.
    entities = {(e["name"], e["label"]) for e in extract_entities(load_ner("da"), {"text": text})}
    assert {("Elon Musk", "PER"), ("Detektor", "MISC")} <= entities
    assert not any("-bossen" in name or "-programmet" in name for name, _ in entities)


def test_a_description_inside_a_name_goes_with_all_before_it():
    # "HB Køge-træner" describes the man as "Tesla-bossen" does; a compound that ends the name stays.
    text = "HB Køge-træner Aurelius Skarbalius bor i New York-bydelen Queens og fejrer Sankt Hans-aften."
    names = {"HB Køge-træner Aurelius Skarbalius": "ORG", "New York-bydelen Queens": "LOC", "Sankt Hans-aften": "MISC"}
    assert labels(run_on_names(tagged(text, names))) == [
        ("Aurelius Skarbalius", "ORG"), ("Queens", "LOC"), ("Sankt Hans-aften", "MISC")]


def test_titles_adjectives_and_words_after_det_stay_inside_the_name():
    # A title holds any word; an adjective has no past-tense ending ("største" ends in -ste); a word
    # after "Det" is an adjective of the name; "i" needs a capitalised word on both sides.
    kept = {"Dommen i Nürnberg": "MISC", "Sindal højere Almueskole": "ORG", "Nordens største Bogmesse": "ORG",
            "Det forenede Kongerige": "LOC", "Borgen i går": "ORG"}
    text = ("Filmen Dommen i Nürnberg, Sindal højere Almueskole, Nordens største Bogmesse, "
            "Det forenede Kongerige, Borgen i går og Ove i Ærø.")
    doc = run_on_names(tagged(text, kept | {"Ove i Ærø": "PER"}))
    assert labels(doc) == list(kept.items()) + [("Ove", "PER"), ("Ærø", "LOC")]


def test_the_danish_service_cuts_them_and_keeps_a_listed_name_with_i_whole():
    text = ("Sagen kom for Retten i Lyngby, og i Skanderborg Kommune valgte Pressalit at arbejde med skolerne, "
            "siger en lektor fra Handelshøjskolen i København. Det betaler A.P. Møller – Mærsk.")
    entities = {(e["name"], e["label"]) for e in extract_entities(load_ner("da"), {"text": text})}
    assert {("Retten i Lyngby", "ORG"), ("Handelshøjskolen i København", "ORG"),
            ("A.P. Møller – Mærsk", "ORG")} <= entities
    assert {("Skanderborg Kommune", "ORG"), ("Pressalit", "ORG")} <= entities
    assert not any(" valgte " in name for name, _ in entities)


def test_a_number_that_ends_a_persons_name_goes_but_not_one_that_ends_another_name():
    # A results list: the tagger took a score into a name. A number ends a model, a place or a
    # channel's name ("Saab 9000", "TV 2"), never a person's.
    text = "Torben Al-Tobchi 1, Jesper Csizmadia 1, Saab 9000 og TV 2 i går."
    names = {"Torben Al-Tobchi": "PER", "Jesper Csizmadia 1": "PER", "Saab 9000": "MISC", "TV 2": "ORG"}
    assert labels(run_on_names(tagged(text, names))) == [
        ("Torben Al-Tobchi", "PER"), ("Jesper Csizmadia", "PER"), ("Saab 9000", "MISC"), ("TV 2", "ORG")]
