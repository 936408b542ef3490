"""The English model's tokenizer keeps names joined by a hyphen whole, as its training data does."""

import spacy

from worker.pipeline.entities import extract_entities, load_ner
from worker.pipeline.hyphens import keep_hyphenated_names


def words(nlp, text: str) -> list[str]:
    return [token.text for token in nlp.tokenizer(text)]


def test_a_hyphen_between_capitalised_parts_joins_one_word():
    nlp = spacy.blank("en")
    keep_hyphenated_names(nlp)
    assert words(nlp, "Julia Louis-Dreyfus met Jean-Claude Juncker, al-Shabab and Oflag VI-B guards") == [
        "Julia", "Louis-Dreyfus", "met", "Jean-Claude", "Juncker", ",", "al-Shabab", "and", "Oflag", "VI-B", "guards"]


def test_a_hyphen_before_a_lower_case_word_or_after_a_prefix_still_cuts():
    nlp = spacy.blank("en")
    keep_hyphenated_names(nlp)
    assert words(nlp, "Windsor-born Haskell, anti-Obama, Ex-Killie, pro-Russian, well-known") == [
        "Windsor", "-", "born", "Haskell", ",", "anti", "-", "Obama", ",", "Ex", "-", "Killie", ",",
        "pro", "-", "Russian", ",", "well", "-", "known"]


def test_a_korean_given_name_stays_one_word_but_not_a_compound_of_its_shape():
    nlp = spacy.blank("en")
    keep_hyphenated_names(nlp)
    assert words(nlp, "Kim Jong-un's envoy met Ban Ki-moon (and Moon Jae-in). Ten-year, Long-term, Jong-unless") == [
        "Kim", "Jong-un", "'s", "envoy", "met", "Ban", "Ki-moon", "(", "and", "Moon", "Jae-in", ")", ".",
        "Ten", "-", "year", ",", "Long", "-", "term", ",", "Jong", "-", "unless"]


def test_the_english_model_names_korean_leaders_in_full():
    # Cut at the hyphen, the tagger named "Kim Jong" and "Ban Ki", and "Park Geun" a place.
    text = "Kim Jong-un met Ban Ki-moon, Moon Jae-in and Park Geun-hye."
    assert [(g["name"], g["label"]) for g in extract_entities(load_ner("en"), {"text": text})] == [
        ("Kim Jong-un", "PER"), ("Ban Ki-moon", "PER"), ("Moon Jae-in", "PER"), ("Park Geun-hye", "PER")]


def test_the_english_model_names_a_person_with_a_double_surname_in_full():
    nlp = load_ner("en")
    assert words(nlp, "Julia Louis-Dreyfus") == ["Julia", "Louis-Dreyfus"]  # saved with the model
    # Cut at the hyphen, the tagger named "Julia Louis" and left "Dreyfus" out.
    text = "Actress Julia Louis-Dreyfus has revealed the secret of her hairstyle."
    assert [(g["name"], g["label"]) for g in extract_entities(nlp, {"text": text})] == [
        ("Julia Louis-Dreyfus", "PER")]


def test_listed_names_are_cut_as_the_saved_tokenizer_cuts_them():
    # The pipeline's steps are made before a saved model's tokenizer is read: the listed
    # "Paris Saint-Germain", cut at its hyphen then, matched no text, and the tagger's "Paris" stayed.
    nlp = load_ner("en")
    text = "Luis Suarez starred in the Champions League win over Paris Saint-Germain by bagging a brace."
    assert ("Paris Saint-Germain", "ORG") in [(e.text, e.label_) for e in nlp(text).ents]
