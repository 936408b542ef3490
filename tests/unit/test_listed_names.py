"""The step that adds a listed name the tagger missed ("Verdensbanken", "Coca-Cola")."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from worker.pipeline import kind_cues, listed_names
from worker.pipeline.entities import extract_entities, load_ner


def run(text: str, names: dict[str, str], lang: str = "da") -> list[tuple[str, str]]:
    """The entities of ``text`` after the step, the given names (text -> label) tagged before it."""
    nlp = spacy.blank(lang)
    step = nlp.add_pipe(listed_names.FACTORY)
    doc: Doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(text.index(name), text.index(name) + len(name), label=label)
                for name, label in names.items()]
    return [(e.text, e.label_) for e in step(doc).ents]


def test_a_listed_name_the_tagger_missed_is_added_with_its_listed_type_and_danish_genitive():
    text = "Lånet fra Verdensbanken og Kræftens Bekæmpelses kampagne blev omtalt af Ritzau."
    assert run(text, {}) == [("Verdensbanken", "ORG"), ("Kræftens Bekæmpelses", "ORG"), ("Ritzau", "ORG")]
    assert run("Det viser TV 2's måling og FBI's tal.", {}) == [("TV 2's", "ORG"), ("FBI's", "ORG")]
    assert run("Then she joined Coca-Cola in Atlanta.", {"Atlanta": "LOC"}, "en") == [
        ("Coca-Cola", "ORG"), ("Atlanta", "LOC")]


def test_what_the_tagger_found_stays_as_it_is():
    # A tagged name is the tagger's, even where a listed one overlaps it.
    text = "Hun talte med Kræftens Bekæmpelse Fyn om det."
    assert run(text, {"Kræftens Bekæmpelse Fyn": "ORG"}) == [("Kræftens Bekæmpelse Fyn", "ORG")]
    text = "Han gik fra Randers Freja til Kræftens Bekæmpelse."
    assert run(text, {"Randers Freja til Kræftens": "ORG"}) == [("Randers Freja til Kræftens", "ORG")]


def test_a_listed_name_replaces_the_part_of_it_the_tagger_found():
    text = "Det fortalte han til SE og HØR, som spurgte Post Danmark."
    assert run(text, {"HØR": "ORG", "Danmark": "LOC"}) == [("SE og HØR", "ORG"), ("Post Danmark", "ORG")]


def test_a_common_word_opening_a_sentence_and_two_capitals_are_left_to_the_tagger():
    text = "Alternativet er at vente. Mødet slutter KL 20.\n\nSkat er et kælenavn. Han sagde: Forsvaret svigter."
    assert run(text, {}) == []
    # Mid-sentence the same words are the names.
    assert run("Han stemte på Alternativet og skrev til Skat.", {}) == [("Alternativet", "ORG"), ("Skat", "ORG")]


def test_an_abbreviation_of_a_common_noun_tagged_alone_is_dropped():
    text = "Han sendte en SMS fra sin PC til GPS-firmaet SMS Group."
    assert run(text, {"SMS": "ORG", "PC": "ORG", "SMS Group": "ORG"}) == [("SMS Group", "ORG")]
    text = "Politiet fandt DNA på flasken, mens udledningen af CO2 stiger, og de studerende får SU."
    assert run(text, {"DNA": "ORG", "CO2": "ORG", "SU": "ORG"}) == []
    text = "Møllerne gik fra 450 MW til 350 MW, telefonen har 2 GB ram, og LED lys generer naboerne."
    assert run(text, {"MW": "ORG", "GB": "ORG", "LED": "ORG"}) == []
    text = "En model med en BMI på 17,5 kører i en SUV, og barnet går i SFO."
    assert run(text, {"BMI": "ORG", "SUV": "ORG", "SFO": "ORG"}) == []


def test_a_sound_stretched_out_is_no_name_and_roman_numerals_stay():
    text = "Puuuh, vi lever stadig, sagde Rainier III."
    assert run(text, {"Puuuh": "PER", "Rainier III": "PER"}) == [("Rainier III", "PER")]


def test_a_party_named_by_a_common_word_is_the_party_mid_sentence_only():
    text = "Venstre side af vejen. Konservative vælgere og Radikale stemte med Venstre og SFs ordfører."
    assert run(text, {}) == [("Radikale", "ORG"), ("Venstre", "ORG"), ("SFs", "ORG")]
    assert run("Han takkede Konservative.", {}) == [("Konservative", "ORG")]


def test_a_listed_name_opening_a_sentence_is_a_name_where_it_is_no_common_word():
    text = "Audi trak sig. Forbrugerrådet klager (Politiken) over det.\n\nVerdensbanken låner ud."
    assert run(text, {}) == [("Audi", "ORG"), ("Forbrugerrådet", "ORG"), ("Politiken", "ORG"), ("Verdensbanken", "ORG")]
    assert run("Kræftens Bekæmpelse svarer.", {}) == [("Kræftens Bekæmpelse", "ORG")]


def test_both_pipelines_run_the_step_after_the_kind_cues_and_the_service_reports_the_name():
    for language in ("da", "en"):
        names = load_ner(language).pipe_names
        assert names.index(listed_names.FACTORY) == names.index(kind_cues.FACTORY) + 1
    groups = {(g["name"], g["label"]) for g in extract_entities(load_ner("da"), {"text": "Pengene kom fra Verdensbanken."})}
    assert ("Verdensbanken", "ORG") in groups


def test_a_makers_name_and_a_models_number_are_the_product():
    text = "Han kører en Peugeot 605, hun en Citroën B 12 og en Saab fra 1994; de flyver med Boeing 737."
    names = {"Peugeot": "ORG", "Citroën B": "ORG", "Saab": "ORG", "Boeing": "ORG"}
    assert run(text, names) == [("Peugeot 605", "MISC"), ("Citroën B 12", "MISC"), ("Saab", "ORG"),
                                ("Boeing 737", "MISC")]


def test_a_name_the_tagger_found_in_the_models_number_becomes_part_of_the_product():
    # The tagger cut these three products in two; the number's part once made the step fail.
    text = "Så blev iPhone 6 Plus til iPhone 6s Plus, og Boeing 737 MAX fløj."
    nlp = spacy.blank("da")
    step = nlp.add_pipe(listed_names.FACTORY)
    doc = nlp.make_doc(text)
    spans = [(text.index("iPhone"), "iPhone", "MISC"), (text.index("6 Plus"), "6 Plus", "ORG"),
             (text.rindex("iPhone"), "iPhone", "MISC"), (text.index("6s Plus"), "6s Plus", "ORG"),
             (text.index("Boeing"), "Boeing", "ORG"), (text.index("737 MAX"), "737 MAX", "ORG")]
    doc.ents = [doc.char_span(start, start + len(name), label=label) for start, name, label in spans]
    assert [(e.text, e.label_) for e in step(doc).ents] == [("iPhone 6 Plus", "MISC"), ("iPhone 6s Plus", "MISC"),
                                                           ("Boeing 737 MAX", "MISC")]


def test_a_makers_name_and_a_models_name_are_the_product_but_not_a_firms_or_a_persons():
    text = "Han kører en Opel Omega, hun en Toyota og Citroen Berlingo. Kia Reumert købte hos Volkswagen Danmark."
    names = {"Opel Omega": "ORG", "Toyota": "ORG", "Citroen": "ORG", "Kia Reumert": "PER", "Volkswagen Danmark": "ORG"}
    assert run(text, names) == [("Opel Omega", "MISC"), ("Toyota", "ORG"), ("Citroen Berlingo", "MISC"),
                                ("Kia Reumert", "PER"), ("Volkswagen Danmark", "ORG")]
    text = "Honda RV sold well, said Toyota Motor Corp and Fiat Chrysler."
    names = {"Honda RV": "ORG", "Toyota Motor Corp": "ORG", "Fiat Chrysler": "ORG"}
    assert run(text, names, "en") == [("Honda RV", "MISC"), ("Toyota Motor Corp", "ORG"), ("Fiat Chrysler", "ORG")]


def test_a_models_name_alone_beside_the_product_is_the_product():
    text = "Passat kører langt. Den nye VW Passat er her, og Golf GTI er hurtig, siger ejeren Golf Hansen."
    names = {"Passat": "LOC", "VW Passat": "ORG", "Golf GTI": "ORG", "Golf Hansen": "PER"}
    # "Golf" names no product here: only the model's name of a product the text names.
    assert run(text, names) == [("Passat", "MISC"), ("VW Passat", "MISC"), ("Golf GTI", "ORG"), ("Golf Hansen", "PER")]


def test_a_count_a_year_a_score_or_a_tables_row_is_no_models_number():
    text = "Audi 25 procent, BMW 2019 og Volvo 9000 4 2. Lotte 6 Hyundai 2 og Samsung 13 Haitai 3."
    names = {"Audi": "ORG", "BMW": "ORG", "Volvo": "ORG", "Lotte": "ORG", "Hyundai": "ORG", "Samsung": "ORG",
             "Haitai": "ORG"}
    assert run(text, names) == list(names.items())


def test_a_partys_letters_after_a_persons_name_are_the_party_in_danish():
    text = "Lars Løkke Rasmussen (V) og Morten Østergaard (R) mødte Alex Vanopslagh (LA)."
    tagged = {"Lars Løkke Rasmussen": "PER", "Morten Østergaard": "PER", "Alex Vanopslagh": "PER", "LA": "LOC"}
    assert run(text, tagged) == [("Lars Løkke Rasmussen", "PER"), ("V", "ORG"), ("Morten Østergaard", "PER"),
                                 ("R", "ORG"), ("Alex Vanopslagh", "PER"), ("LA", "ORG")]
    # Not after anything but a person's name, not a letter of no party, not in English.
    text = "Se bilag (V) fra Aarhus (S) og Jens Hansen (X)."
    assert run(text, {"Aarhus": "LOC", "Jens Hansen": "PER"}) == [("Aarhus", "LOC"), ("Jens Hansen", "PER")]
    assert run("Nancy Pelosi (D) spoke.", {"Nancy Pelosi": "PER"}, "en") == [("Nancy Pelosi", "PER")]


def test_a_partys_letters_join_the_party_the_article_names_in_full():
    text = ("Skatteminister Karsten Lauritzen (V) melder ud, at Venstre vil sænke skatten. "
            "Ulla Tørnæs (V) er enig, mens Morten Østergaard (R) er imod.")
    groups = {(g["name"], g["label"], g["count"]) for g in extract_entities(load_ner("da"), {"text": text})}
    assert {("Venstre", "ORG", 3), ("R", "ORG", 1)} <= groups
    # "Venstre" is not "Radikale Venstre", where an article names both.
    text = "Venstre vil bejle til Radikale Venstre, siger Lars Løkke Rasmussen (V) og Morten Østergaard (R)."
    groups = {(g["name"], g["label"], g["count"]) for g in extract_entities(load_ner("da"), {"text": text})}
    assert {("Venstre", "ORG", 2), ("Radikale Venstre", "ORG", 2)} <= groups
    # A Swedish story's parties.
    text = "Stefan Löfven (S) leder Socialdemokraterna, og Jimmie Åkesson (SD) leder Sverigedemokraterna."
    groups = {(g["name"], g["label"], g["count"]) for g in extract_entities(load_ner("da"), {"text": text})}
    assert {("Socialdemokraterna", "ORG", 2), ("Sverigedemokraterna", "ORG", 2)} <= groups


def test_an_offices_or_a_ranks_letters_after_a_name_are_no_part_of_it_nor_a_name_alone():
    text = "Anas Sarwar MP and Labour MPs heard Eleanor Laws QC."
    tagged = {"Anas Sarwar MP": "PER", "Labour MPs": "ORG", "Eleanor Laws QC": "PER"}
    assert run(text, tagged, "en") == [("Anas Sarwar", "PER"), ("Labour", "ORG"), ("Eleanor Laws", "PER")]
    assert run("He met the peer's QC son.", {"QC": "ORG"}, "en") == []
    assert run("Kameraet har 12 MP bagpå.", {"MP": "ORG"}) == []  # megapixels


def test_an_offices_letters_between_a_name_and_a_capitalised_word_part_two_names_the_second_a_persons():
    text = "Labour MP Jo Cox and the Liberal MP Cyril Smith met Anas Sarwar MP."
    tagged = {"Labour MP Jo Cox": "ORG", "Liberal MP Cyril Smith": "ORG", "Anas Sarwar MP": "PER"}
    assert run(text, tagged, "en") == [("Labour", "ORG"), ("Jo Cox", "PER"), ("Liberal", "ORG"),
                                       ("Cyril Smith", "PER"), ("Anas Sarwar", "PER")]
