"""Words glued together where a line break was lost ("Henrik DamFormand for ...") are split
before the tagger runs; names written in camel case are not."""

from __future__ import annotations

import spacy

from worker.pipeline.entities import extract_entities, is_sentence_start, load_ner, name_cues
from worker.pipeline.glued_words import GlueCues, glued_at, make_doc

CUES = GlueCues(opener={"her", "der", "det", "formand"}.__contains__,
                common_word={"skolen", "regeringen", "direktør", "posten"}.__contains__,
                name_word={"bech", "simonsen"}.__contains__)


def words(text: str) -> list[str]:
    return [token.text for token in make_doc(spacy.blank("da"), text, CUES)]


def test_a_frequent_word_glued_to_a_name_is_split_off():
    assert words("Af Henrik DamFormand for SID. Simon SpiesHer er") == [
        "Af", "Henrik", "Dam", "Formand", "for", "SID", ".", "Simon", "Spies", "Her", "er"]


def test_a_common_word_glued_to_a_name_is_split_off():
    assert words("Af Mickael BechDirektør i ViBIS, ved RokokoPosten") == [
        "Af", "Mickael", "Bech", "Direktør", "i", "ViBIS", ",", "ved", "RokokoPosten"]


def test_a_name_glued_to_a_lower_case_word_is_split_off_and_a_common_word_is_not():
    assert words("socialdemokraterMette Frederiksen, EU-redskabDanmark, overskriftSkolen") == [
        "socialdemokrater", "Mette", "Frederiksen", ",", "EU-redskab", "Danmark", ",", "overskriftSkolen"]


def test_a_closing_bracket_glued_to_the_next_word_is_split_off():
    assert words("(CNN)Sofia Vergara og (Hollywood Reporter)Stan, [1]The") == [
        "(", "CNN", ")", "Sofia", "Vergara", "og", "(", "Hollywood", "Reporter", ")", "Stan", ",",
        "[", "1", "]", "The"]


def test_a_dash_glued_to_the_punctuation_after_a_word_is_split_off():
    assert words("siger Paul Bundgaard.- De kan, mener Hans-Peter.– Nej. Ole Birk:- Det er nationen!-") == [
        "siger", "Paul", "Bundgaard", ".", "-", "De", "kan", ",", "mener", "Hans-Peter", ".", "–", "Nej", ".",
        "Ole", "Birk", ":", "-", "Det", "er", "nationen", "!", "-"]
    # An abbreviation keeps its full stop; a dash after a number or inside a word stays.
    assert words("Robert Downey Jr.- Jeg, ph.d.-afhandling, 5.-plads, H.-T., den 14.- 15., 2000,-") == [
        "Robert", "Downey", "Jr.", "-", "Jeg", ",", "ph.d.-afhandling", ",", "5.-plads", ",", "H.-T.", ",",
        "den", "14.-", "15.", ",", "2000,-"]


def test_a_full_stop_or_colon_glued_between_two_words_is_split_off():
    assert words('siger Bjarne Olesen.»Dårligere luft, Hans Lindboe:»Der er, "Verdensklasse".Allan K. Pedersen') == [
        "siger", "Bjarne", "Olesen", ".", "»", "Dårligere", "luft", ",", "Hans", "Lindboe", ":", "»", "Der", "er",
        ",", '"', "Verdensklasse", '"', ".", "Allan", "K.", "Pedersen"]
    # Web addresses and initials stay whole.
    assert words("Avisen.dk, E.on og H.C. Andersen, HØR.Til") == [
        "Avisen.dk", ",", "E.on", "og", "H.C.", "Andersen", ",", "HØR.Til"]


def test_a_list_number_or_a_time_glued_to_a_word_is_split_off():
    # A numbered list or a programme whose line breaks were lost: "Danmark.4" had been a name.
    assert words("i Danmark.4. Adresseoplysningspligt, SU-gæld.7) Nyt, De Radikale09.00 - 10.00 Venstre") == [
        "i", "Danmark", ".", "4", ".", "Adresseoplysningspligt", ",", "SU-gæld", ".", "7", ")", "Nyt", ",",
        "De", "Radikale", "09.00", "-", "10.00", "Venstre"]
    # Names with a number of their own, abbreviations, addresses and numbers that are no time stay.
    assert words("Radio24syv, Version2, TV2, kl.10.30, ca.5, www.dr.dk/a.2), Radikale0900, bil.1234.") == [
        "Radio24syv", ",", "Version2", ",", "TV2", ",", "kl.10.30", ",", "ca.5", ",", "www.dr.dk/a.2", ")", ",",
        "Radikale0900", ",", "bil.1234", "."]


def test_names_in_camel_case_stay_whole():
    for word in ("GoFundMe", "iPhone", "McCoy", "BethesdaNow.com", "RokokoPosten", "ForsikringsDanmark",
                 "YouGov", "LeBron"):
        assert glued_at(word, CUES) is None, word


def test_the_split_words_keep_their_place_in_the_text():
    doc = make_doc(spacy.blank("da"), "Henrik DamFormand", CUES)
    assert [(t.text, t.idx, t.whitespace_) for t in doc] == [("Henrik", 0, " "), ("Dam", 7, ""), ("Formand", 10, "")]
    assert doc.text == "Henrik DamFormand"


def test_a_word_glued_on_starts_a_sentence():
    text = "Henrik DamFormand for SID"
    assert is_sentence_start(text, text.index("Formand"))
    assert not is_sentence_start(text, text.index("Dam"))


def test_the_danish_pipeline_finds_the_name_without_the_word_glued_to_it():
    nlp = load_ner("da")
    glue = name_cues(nlp).glue
    assert glue.opener("formand") and not glue.opener("danmark") and glue.name_word("bech")
    # A place somewhere by GeoNames, but a preposition that opens sentences, never names.
    assert glue.opener("hos")
    # "Simon SpiesDer": with "Her" after it, the Danish model 0.24.0 reads "Spies" (also a travel
    # company) as an organisation of its own, as 0.23.0 did not; what is tested here is the glue.
    text = ("Af Henrik DamFormand for Dansk Affaldsforening\n\nDet siger socialdemokraterMette Frederiksen, "
            "og Simon SpiesDer er alt som før.")
    groups = {g["name"]: g["label"] for g in extract_entities(nlp, {"text": text})}
    assert groups == {"Henrik Dam": "PER", "Dansk Affaldsforening": "ORG", "Mette Frederiksen": "PER",
                      "Simon Spies": "PER"}
    english = {g["name"]: g["label"] for g in extract_entities(load_ner("en"), {
        "text": "(CNN)Sofia Vergara is suing. Vergara said so."})}
    assert english == {"CNN": "ORG", "Sofia Vergara": "PER"}
    # The speaker's name before the dash that opens the reply ends before the punctuation.
    text = ("Det mener Paul Bundgaard.- De kan ikke slippe uden om Roskilde.\n\n"
            "Ole Birk Olesen var vred.\n\nOle Birk:- Det er den værste omgang sludder.")
    groups = {g["name"]: g["count"] for g in extract_entities(nlp, {"text": text})}
    assert groups["Paul Bundgaard"] == 1 and groups["Ole Birk Olesen"] == 2
    assert not any(name.endswith(("-", ".", ":")) for name in groups)
    # English writes brands in camel case whose last part is a frequent word: only a lower-case
    # word before a name is split off there.
    assert name_cues(load_ner("en")).glue == GlueCues()
