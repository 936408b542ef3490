"""Grouping, cleaning and consistency rules of worker.pipeline.entities.

A blank spaCy pipeline with an entity_ruler stands in for the trained model,
so these tests pin the rules, not the model's accuracy.
"""

from __future__ import annotations

import functools

import pytest
import spacy
from spacy.tokens import Span

from worker.pipeline import entities as E
from worker.pipeline import kind_cues
from worker.pipeline.entities import Mention, extract_entities, group_mentions


def ruler_nlp(lang: str, patterns: list[tuple[str, str]]) -> spacy.Language:
    nlp = spacy.blank(lang)
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": label, "pattern": text} for text, label in patterns])
    return nlp


def by_name(groups: list[dict]) -> dict[str, dict]:
    return {g["name"]: g for g in groups}


def assert_offsets(fields: dict[str, str], groups: list[dict]) -> None:
    for group in groups:
        for m in group["mentions"]:
            assert fields[m["field"]][m["start"] : m["end"]] == m["text"]


def tagged_groups(nlp: spacy.Language, text: str, genitive_s: bool, **cues) -> list[dict]:
    """The groups `entities_from_docs` makes of `text` as `nlp` tags it, their offsets checked."""
    groups = E.entities_from_docs({"text": nlp(text)}, {"text": text}, genitive_s=genitive_s, **cues)
    assert_offsets({"text": text}, groups)
    return groups


def names_labels_counts(groups: list[dict]) -> list[tuple[str, str, int]]:
    return sorted((g["name"], g["label"], g["count"]) for g in groups)


def mention(text: str, label: str = "PER", start: int = 0, field: str = "text") -> Mention:
    return Mention(field, start, start + len(text), text, label)


# ---------------------------------------------------------------- group_mentions on hand-made lists


def test_danish_genitive_is_stripped_when_the_base_form_is_attested():
    mentions = [mention("Rusland", "LOC", 0), mention("Ruslands", "LOC", 20), mention("Kim Jong-un", "PER", 40),
                mention("Kim Jong-uns", "PER", 60)]
    groups = by_name(group_mentions(mentions, ["text"], genitive_s=True))
    assert groups["Rusland"]["count"] == 2
    assert groups["Kim Jong-un"]["count"] == 2
    assert set(groups) == {"Rusland", "Kim Jong-un"}


def test_genitive_of_a_surname_joins_the_full_name():
    mentions = [mention("Vladimir Putin", "PER", 0), mention("Putins", "PER", 30), mention("Putin", "PER", 50)]
    [group] = group_mentions(mentions, ["text"], genitive_s=True)
    assert group["name"] == "Vladimir Putin"
    assert group["count"] == 3


@pytest.mark.parametrize("name, label", [("Reuters", "ORG"), ("Paris", "LOC"), ("Mars", "LOC"), ("Jens", "PER")])
def test_names_ending_in_s_stay_intact(name, label):
    groups = group_mentions([mention(name, label, 0), mention(name, label, 30)], ["text"], genitive_s=True)
    assert [g["name"] for g in groups] == [name]


def test_genitive_s_is_not_stripped_for_english():
    groups = group_mentions([mention("Rusland", "LOC", 0), mention("Ruslands", "LOC", 20)], ["text"], genitive_s=False)
    assert len(groups) == 2


@pytest.mark.parametrize("possessive", ["Putin's", "Putin’s"])
def test_english_possessive(possessive):
    groups = group_mentions([mention("Vladimir Putin", "PER", 0), mention(possessive, "PER", 30)], ["text"], False)
    assert [(g["name"], g["count"]) for g in groups] == [("Vladimir Putin", 2)]
    assert groups[0]["mentions"][1]["text"] == possessive


def test_after_an_apostrophe_the_s_goes_only_where_the_article_names_the_base():
    # "Times'" in a Danish article was named "Time": the lexicon knows "times" as the genitive
    # of the Danish word "time". The apostrophe is the genitive, or a closing quote.
    cues = E.name_cues(E.load_ner("da"))
    alone = [mention("Times'", "ORG"), mention("Monsters'", "MISC", 30)]  # "filmen 'Monsters'"
    assert [g["name"] for g in group_mentions(alone, ["text"], True, cues)] == ["Times", "Monsters"]
    spelt_both_ways = [mention("Dancash Investment", "ORG"), mention("Dancash Investments'", "ORG", 30)]
    assert [(g["name"], g["count"]) for g in group_mentions(spelt_both_ways, ["text"], True, cues)] \
        == [("Dancash Investment", 2)]


def test_a_listed_name_keeps_its_own_possessive_and_genitive_s():
    groups = group_mentions([mention("McDonald's", "ORG", 0), mention("Ronald McDonald's", "PER", 30),
                             mention("Nets", "ORG", 60), mention("Net", "MISC", 90)], ["text"], True)
    assert [g["name"] for g in groups] == ["McDonald's", "Ronald McDonald", "Nets", "Net"]


def test_partial_name_maps_to_full_name_only_when_unambiguous():
    unambiguous = [mention("Kim Jong-un", "PER", 0), mention("Kim", "PER", 30)]
    assert [g["name"] for g in group_mentions(unambiguous, ["text"], True)] == ["Kim Jong-un"]

    ambiguous = unambiguous + [mention("Kim Yo-jong", "PER", 60)]
    names = {g["name"] for g in group_mentions(ambiguous, ["text"], True)}
    assert names == {"Kim Jong-un", "Kim Yo-jong", "Kim"}


def test_partial_name_needs_the_same_type():
    mentions = [mention("New York Times", "ORG", 0), mention("New York", "LOC", 30)]
    assert len(group_mentions(mentions, ["text"], True)) == 2


def test_case_and_whitespace_variants_group_and_fullest_form_wins():
    mentions = [mention("Vladimir  Putin", "PER", 0), mention("VLADIMIR PUTIN", "PER", 30),
                mention("Vladimir Putin", "PER", 60), mention("Vladimir Putin", "PER", 90)]
    [group] = group_mentions(mentions, ["text"], True)
    assert group["name"] == "Vladimir Putin"
    assert group["count"] == 4


def test_sorting_by_count_then_first_occurrence_and_title_first():
    mentions = [mention("YTN", "ORG", 5), mention("Kim", "PER", 0, field="title"), mention("Kim", "PER", 50),
                mention("Rusland", "LOC", 10), mention("YTN", "ORG", 70)]
    groups = group_mentions(mentions, ["title", "text"], True)
    assert [g["name"] for g in groups] == ["Kim", "YTN", "Rusland"]
    assert [m["field"] for m in groups[0]["mentions"]] == ["title", "text"]


def test_group_label_is_the_majority():
    mentions = [mention("YTN", "ORG", 0), mention("YTN", "ORG", 10), mention("YTN", "LOC", 20)]
    assert group_mentions(mentions, ["text"], True)[0]["label"] == "ORG"


# ---------------------------------------------------------------- extract_entities on small texts


def test_extract_entities_shape_offsets_and_genitive():
    nlp = ruler_nlp("da", [("Kim Jong-un", "PER"), ("Kim Jong-uns", "PER"), ("Rusland", "LOC"), ("Ruslands", "LOC")])
    fields = {"title": "Kim Jong-un på vej til Rusland", "text": "Det var Kim Jong-uns første møde i Ruslands  by."}
    groups = extract_entities(nlp, fields)
    assert_offsets(fields, groups)
    assert [(g["name"], g["label"], g["count"]) for g in groups] == [("Kim Jong-un", "PER", 2), ("Rusland", "LOC", 2)]
    assert groups[0]["mentions"][0] == {"field": "title", "start": 0, "end": 11, "text": "Kim Jong-un"}
    assert set(groups[0]) == {"name", "label", "count", "mentions"}


def test_a_months_name_after_a_days_number_is_a_date_not_a_name():
    nlp = ruler_nlp("da", [("Maj", "PER"), ("May", "PER")])
    fields = {"text": "Maj skrev det.\n\nPubliceret: 29. Maj 2012 15:00. Trykt 3 May."}
    groups = extract_entities(nlp, fields)
    assert [(g["name"], g["count"]) for g in groups] == [("Maj", 1)]
    assert groups[0]["mentions"][0]["start"] == 0


def test_a_months_abbreviation_beside_a_days_number_is_a_date_not_a_name():
    # An Instagram post's embed line ("Et opslag delt af ... d. 12. Jan 2019"), and English dates.
    nlp = ruler_nlp("da", [("Jan", "PER"), ("Dec", "PER")])
    fields = {"text": "Jan skrev det.\n\nEt opslag delt d. 12. Jan 2019 kl. 3.40 PST. "
                      "Sendt Dec 4, 2018 og Jan 5 2019. Jan 5 gange."}
    groups = extract_entities(nlp, fields)
    assert [(g["name"], g["count"]) for g in groups] == [("Jan", 2)]
    assert [m["start"] for m in groups[0]["mentions"]] == [0, fields["text"].rindex("Jan")]


@spacy.Language.component("newsdesk_test_first_ytn_only")
def first_ytn_only(doc):
    """A stand-in model that tags only the first "YTN" of a text."""
    first = next((t.i for t in doc if t.text == "YTN"), None)
    if first is not None:
        doc.ents = [Span(doc, first, first + 1, label="ORG")]
    return doc


def test_document_level_consistency_tags_other_occurrences():
    nlp = spacy.blank("da")
    nlp.add_pipe("newsdesk_test_first_ytn_only")
    fields = {"text": "Det melder YTN mandag. Ifølge YTN vil et møde finde sted. YTNs kilde og XYTN nævnes."}
    [group] = extract_entities(nlp, fields)
    assert_offsets(fields, [group])
    assert group["name"] == "YTN"
    assert [m["text"] for m in group["mentions"]] == ["YTN", "YTN", "YTNs"]


@spacy.Language.component("newsdesk_test_first_token_per")
def first_token_per(doc):
    """A stand-in model that tags the first token of a text as PER."""
    doc.ents = [Span(doc, 0, 1, label="PER")]
    return doc


def test_names_tagged_only_at_sentence_start_are_not_spread():
    nlp = spacy.blank("da")
    nlp.add_pipe("newsdesk_test_first_token_per")
    fields = {"text": "Seneste tur var kort. Seneste nyt kom i går."}
    assert [g["count"] for g in extract_entities(nlp, fields)] == [1]


def test_consistency_does_not_overlap_longer_mentions():
    nlp = ruler_nlp("da", [("Kim Jong-un", "PER")])
    fields = {"text": "Kim Jong-un rejser. Kim Jong-un ankommer."}
    [group] = extract_entities(nlp, fields)
    assert group["count"] == 2


def test_junk_is_dropped():
    nlp = ruler_nlp("da", [("Det", "ORG"), ("2019", "MISC"), ("russiske", "MISC"), ("Flere", "PER"),
                           ("Men YTN", "ORG")])
    fields = {"text": "Det var i 2019. De russiske kontorer. Flere spekulerer, og flere tror. Men YTN var det så."}
    groups = extract_entities(nlp, fields)
    assert_offsets(fields, groups)
    assert [(g["name"], g["label"]) for g in groups] == [("YTN", "ORG")]


def test_english_possessive_end_to_end_and_reuters():
    nlp = ruler_nlp("en", [("Vladimir Putin", "PER"), ("Putin", "PER"), ("Reuters", "ORG")])
    fields = {"text": "Vladimir Putin met Kim. Putin’s aides told Reuters. Reuters said Putin's plan works."}
    groups = by_name(extract_entities(nlp, fields))
    assert groups["Vladimir Putin"]["count"] == 3
    assert groups["Reuters"]["count"] == 2
    assert_offsets(fields, list(groups.values()))


def test_empty_fields_give_no_entities():
    assert extract_entities(ruler_nlp("da", [("YTN", "ORG")]), {"title": "", "text": ""}) == []


# ---------------------------------------------------------------- models


def test_missing_language_is_none_safe():
    assert E.load_ner("xx-none") is None
    assert E.model_versions("xx-none") == {"ner": None}
    assert "xx-none" not in E.available_languages()


def test_trained_danish_model_on_a_short_article():
    fields = {"text": "Den nordkoreanske leder, Kim Jong-un, rejser til Rusland for at møde Ruslands præsident, "
                      "Vladimir Putin. Det melder Reuters."}
    groups = by_name(extract_entities(E.load_ner("da"), fields))
    assert_offsets(fields, list(groups.values()))
    assert E.model_versions("da")["ner"] == "newsdesk_ner_da@0.35.0"
    assert {"Kim Jong-un", "Vladimir Putin", "Rusland"} <= set(groups)
    assert "nordkoreanske" not in groups


def test_consistency_extends_a_mention_tagged_inside_a_longer_name():
    text = "Lederen, Kim Jong-un, rejser. Siden kom Kim Jong-uns tog."
    # The model tagged only "Kim" (and "Jong-uns" apart) in the second occurrence.
    mentions = [Mention("text", 9, 20, "Kim Jong-un", "PER"), Mention("text", 40, 43, "Kim", "PER"),
                Mention("text", 44, 52, "Jong-uns", "MISC")]
    doc_level = E.propagate_mentions({"text": spacy.blank("da")(text)}, {"text": text}, mentions,
                                     genitive_s=True)
    assert sorted((m.start, m.text, m.label) for m in doc_level) == [(9, "Kim Jong-un", "PER"),
                                                                     (40, "Kim Jong-uns", "PER")]


def test_surname_joins_the_person_even_when_mistyped():
    mentions = [mention("Vladimir Putin", "PER", 0), mention("Putin", "LOC", 30), mention("Putins", "ORG", 50),
                mention("Putin", "LOC", 70)]
    [group] = group_mentions(mentions, ["text"], genitive_s=True)
    assert (group["name"], group["label"], group["count"]) == ("Vladimir Putin", "PER", 4)


def test_the_name_before_a_danish_surname_joins_the_person():
    # Danish names "Lars Løkke Rasmussen" "Løkke", "Søren Pape Poulsen" "Pape", typed as anything.
    mentions = [mention("Lars Løkke Rasmussen", "PER", 0), mention("Løkke", "PER", 30),
                mention("Søren Pape Poulsen", "PER", 60), mention("Pape", "LOC", 90), mention("Pape", "LOC", 100)]
    assert sorted((g["name"], g["count"]) for g in group_mentions(mentions, ["text"], True)) == [
        ("Lars Løkke Rasmussen", 2), ("Søren Pape Poulsen", 3)]
    # Two persons with that name before their surnames: it names neither for sure.
    mentions += [mention("Mette Løkke Hansen", "PER", 120)]
    assert "Løkke" in {g["name"] for g in group_mentions(mentions, ["text"], True)}


def test_a_name_written_in_capitals_is_named_as_the_article_writes_it_and_takes_a_capital_genitive_s():
    # A dateline or a lead written in capitals ("BRUXELLES:", "LARS KEPLERS nye bog").
    mentions = [mention("BRUXELLES", "LOC", 0), mention("Bruxelles", "LOC", 20), mention("LARS KEPLERS", "PER", 40),
                mention("Lars Kepler", "PER", 60), mention("NORGES", "LOC", 80), mention("Norge", "LOC", 100),
                mention("NATO", "ORG", 120), mention("NATO", "ORG", 130), mention("Nato", "ORG", 140),
                mention("DGS", "ORG", 160), mention("DG", "ORG", 170)]
    assert sorted((g["name"], g["count"]) for g in group_mentions(mentions, ["text"], True)) == [
        ("Bruxelles", 2), ("DG", 1), ("DGS", 1), ("Lars Kepler", 2), ("NATO", 3), ("Norge", 2)]


def test_a_titled_name_is_no_fuller_name_of_a_part_of_its_surname():
    # A part of a titled person's surname had crashed the grouping (hard-wrapped text had cut
    # "Waley" off "Mr Waley-Cohen" once): a titled name's group is found after all others'.
    mentions = [mention("Fru Thorning-Schmidt", "PER", 0), mention("Thorning", "PER", 30),
                mention("Mr Lars Løkke Rasmussen", "PER", 60), mention("Løkke", "PER", 90)]
    assert sorted((g["name"], g["count"]) for g in group_mentions(mentions, ["text"], True)) == [
        ("Fru Thorning-Schmidt", 1), ("Løkke", 1), ("Mr Lars Løkke Rasmussen", 1), ("Thorning", 1)]
    # Named in full without the title too, the person takes in all of them.
    mentions += [mention("Helle Thorning-Schmidt", "PER", 180)]
    assert ("Helle Thorning-Schmidt", 3) in {(g["name"], g["count"]) for g in group_mentions(mentions, ["text"], True)}


def test_a_persons_first_name_and_surname_without_the_middle_name_join_the_person():
    mentions = [mention("Lasse Askou Mikkelsen", "PER", 0), mention("Lasse Mikkelsen", "PER", 30),
                mention("Lasse", "PER", 60), mention("Thomas F. Borgen", "PER", 90), mention("Thomas Borgen", "PER", 120)]
    assert sorted((g["name"], g["count"]) for g in group_mentions(mentions, ["text"], True)) == [
        ("Lasse Askou Mikkelsen", 3), ("Thomas F. Borgen", 2)]
    # Two persons with the first name and the surname: the short name names neither for sure.
    mentions += [mention("Lasse Boje Mikkelsen", "PER", 150)]
    assert "Lasse Mikkelsen" in {g["name"] for g in group_mentions(mentions, ["text"], True)}


def test_a_name_with_a_slip_in_a_word_joins_the_spelling_the_article_uses_more():
    mentions = [mention("Poul Bjerager", "PER", 0), mention("Poul Bjergager", "PER", 30), mention("Poul Bjerager", "PER", 60),
                mention("Bjergager", "LOC", 90), mention("Svendborg Rabbtis", "ORG", 120),
                mention("Svendborg Rabbits", "ORG", 150), mention("Svendborg Rabbits", "ORG", 180)]
    assert sorted((g["name"], g["count"]) for g in group_mentions(mentions, ["text"], True)) == [
        ("Poul Bjerager", 4), ("Svendborg Rabbits", 3)]
    # Before the last word, an adjective with or without its ending is one name too.
    mentions += [mention("Danske Bank", "ORG", 210), mention("Danske Bank", "ORG", 240), mention("Dansk Bank", "ORG", 270)]
    assert sorted((g["name"], g["count"]) for g in group_mentions(mentions, ["text"], True)) == [
        ("Danske Bank", 3), ("Poul Bjerager", 4), ("Svendborg Rabbits", 3)]
    # Not at the end: "Girl Scouts" is the plural.
    mentions = [mention("Girl Scout", "ORG", 0), mention("Girl Scouts", "ORG", 30), mention("Girl Scouts", "ORG", 60)]
    assert len(group_mentions(mentions, ["text"], False)) == 2
    # A letter changed is no slip, nor is one added at the end; nor a slip in a short word.
    mentions = [mention("Mikkel Hansen", "PER", 0), mention("Mikkel Jansen", "PER", 30),
                mention("Hans Nielsen", "PER", 60), mention("Hans Nielsens", "PER", 90), mention("Per Dam", "PER", 120),
                mention("Per Damm", "PER", 150)]
    assert len(group_mentions(mentions, ["text"], False)) == 6


def test_a_danish_name_with_and_without_its_definite_ending_is_one_name_but_a_persons_is_not():
    mentions = [mention("Riksdag", "ORG", 0), mention("Riksdagen", "ORG", 30), mention("Riksdagen", "ORG", 60),
                mention("Pressenævn", "PER", 90), mention("Pressenævnet", "ORG", 120),
                mention("Storstrømsbro", "LOC", 150), mention("Storstrømsbroen", "LOC", 180),
                mention("Passat", "MISC", 210), mention("Passat", "MISC", 240), mention("Passaten", "MISC", 270)]
    # The form used more names the group, the definite one where both are used as often.
    assert sorted((g["name"], g["count"]) for g in group_mentions(mentions, ["text"], True)) == [
        ("Passat", 3), ("Pressenævnet", 2), ("Riksdagen", 3), ("Storstrømsbroen", 2)]
    mentions = [mention("Mort", "PER", 0), mention("Morten", "PER", 30), mention("Bog", "ORG", 60),
                mention("Bogen", "ORG", 90)]
    assert len(group_mentions(mentions, ["text"], True)) == 4
    # English has no such ending: "Aspen" is no "Asp".
    assert len(group_mentions([mention("Aspen", "LOC", 0), mention("Asp", "LOC", 30)], ["text"], False)) == 2


def test_of_two_spellings_used_as_often_the_one_the_lexicon_knows_names_the_group():
    mentions = [mention("Flemmimng Kristiansen", "PER", 0), mention("Flemming Kristiansen", "PER", 30)]
    cues = E.NameCues(known_word={"flemming", "kristiansen"}.__contains__)
    assert [(g["name"], g["count"]) for g in group_mentions(mentions, ["text"], True, cues)] == [
        ("Flemming Kristiansen", 2)]
    # Neither known: the one written first.
    assert [g["name"] for g in group_mentions(mentions, ["text"], True)] == ["Flemmimng Kristiansen"]


def test_a_persons_name_without_its_first_name_joins_the_person_even_when_mistyped():
    mentions = [mention("Lars Løkke Rasmussen", "PER", 0), mention("Løkke Rasmussen", "ORG", 30),
                mention("Kristian Thulesen Dahl", "PER", 60), mention("Thulesen Dahls", "ORG", 90)]
    assert sorted((g["name"], g["label"], g["count"]) for g in group_mentions(mentions, ["text"], True)) == [
        ("Kristian Thulesen Dahl", "PER", 2), ("Lars Løkke Rasmussen", "PER", 2)]
    # Not a name of its own after a whole person's name that the model ran together with it.
    mentions = [mention("Chuck Jones Looney Tunes", "PER", 0), mention("Looney Tunes", "MISC", 40)]
    assert sorted(g["name"] for g in group_mentions(mentions, ["text"], True)) == [
        "Chuck Jones Looney Tunes", "Looney Tunes"]

def test_long_texts_are_tagged_in_pieces_that_join_back_exactly():
    text = "Statsminister Mette Frederiksen besøgte Aarhus.\n\n" * 900 + "x" * 30_000 + " Slut i Odense."
    pieces = list(E.chunks(text, E.CHUNK_CHARS))
    assert len(pieces) > 2 and "".join(pieces) == text
    assert all(len(p) <= E.CHUNK_CHARS for p in pieces)
    doc = E.tag(E.load_ner("da"), text)
    assert doc.text == text
    groups = by_name(extract_entities(E.load_ner("da"), {"text": text}))
    assert groups["Mette Frederiksen"]["count"] == 900
    assert_offsets({"text": text}, list(groups.values()))


def test_joined_pieces_are_the_doc_spacy_would_concatenate():
    from spacy.tokens import Doc

    nlp = E.load_ner("da")
    text = "Statsminister Mette Frederiksen besøgte Aarhus.\n\n  Lars Løkke Rasmussen talte i Odense. " * 40
    pieces = list(E.chunks(text, 500))
    joined = E.join_tagged(nlp.vocab, (nlp(piece) for piece in pieces))
    expected = Doc.from_docs([nlp(piece) for piece in pieces], ensure_whitespace=False)
    assert len(pieces) > 2 and joined.text == expected.text == text
    assert [(t.text, t.whitespace_, t.idx) for t in joined] == [(t.text, t.whitespace_, t.idx) for t in expected]
    assert [(e.start, e.end, e.label_) for e in joined.ents] == [(e.start, e.end, e.label_) for e in expected.ents]
    assert len(joined.ents) >= 120


def test_joining_no_pieces_gives_an_empty_doc():
    assert E.join_tagged(spacy.blank("da").vocab, []).text == ""


def test_trimming_drops_leading_lower_case_words_but_keeps_name_particles():
    from spacy.tokens import Doc

    doc = Doc(spacy.blank("da").vocab, words=["Det", "russiske", "nyhedsbureau", "Interfax", "og", "van", "Gogh"],
              ents=["B-ORG", "I-ORG", "I-ORG", "I-ORG", "O", "B-PER", "I-PER"])
    trimmed = [E.trim_span(ent, doc.text, set()) for ent in doc.ents]
    assert [span.text for span in trimmed] == ["Interfax", "van Gogh"]
    # Danish "af" stands inside a noble's name but opens none ("arrangeret af Konservative").
    doc = Doc(spacy.blank("da").vocab, words=["arrangeret", "af", "Konservative", "og", "Eva", "af", "Trolle"],
              ents=["O", "B-ORG", "I-ORG", "O", "B-PER", "I-PER", "I-PER"])
    assert [E.trim_span(ent, doc.text, set()).text for ent in doc.ents] == ["Konservative", "Eva af Trolle"]


def test_a_sentence_initial_common_word_opening_a_listed_name_stays():
    from spacy.tokens import Doc

    # The article writes "dansk" in lower case too, which makes the capitalised "Dansk" a common word.
    words = ["Dansk", "Folkeparti", "kalder", "det", "dansk", ".", "Dansk", "Skovforening", "og", "Dansk",
             "Folkepartis", "formand", "."]
    tags = ["B-ORG", "I-ORG", "O", "O", "O", "O", "B-ORG", "I-ORG", "O", "B-ORG", "I-ORG", "O", "O"]
    doc = Doc(spacy.blank("da").vocab, words=words, ents=tags)
    mentions = E.find_mentions(doc, doc.text, "text", {"dansk"})
    # "Dansk Skovforening" is not listed: its sentence-initial "Dansk" goes, as before.
    assert [m.text for m in mentions] == ["Dansk Folkeparti", "Skovforening", "Dansk Folkepartis"]


def test_a_listed_name_trimmed_out_of_a_longer_span_takes_its_listed_type():
    from spacy.tokens import Doc

    # The tagger took "Hverken The Guardian" for a MISC name; the listed paper is an organisation.
    words = ["Hverken", "The", "Guardian", ",", "CNN", "eller", "Fox", "har", "det", ".", "Hverken", "Fox", "har", "."]
    tags = ["B-MISC", "I-MISC", "I-MISC", "O", "B-ORG", "O", "O", "O", "O", "O", "B-MISC", "I-MISC", "O", "O"]
    doc = Doc(spacy.blank("da").vocab, words=words, ents=tags)
    mentions = E.find_mentions(doc, doc.text, "text", set())
    # A name the list does not have keeps the tagger's type ("Fox", trimmed as well).
    assert [(m.text, m.label) for m in mentions] == [("The Guardian", "ORG"), ("CNN", "ORG"), ("Fox", "MISC")]


# A single space goes with the word before it; any other whitespace is a token of its own.
SPACES = ["  ", "\t", "\u00a0", "\u2009", "\u3000", "\u2028", " - "]


@pytest.mark.parametrize("space", SPACES)
def test_trimming_leaves_no_whitespace_or_punctuation_before_the_name(space):
    text = f"Det{space}russiske nyhedsbureau{space}Interfax siger det."
    doc = spacy.blank("da")(text)
    span = doc.char_span(0, text.index(" siger"))
    assert E.trim_span(span, text, set()).text == "Interfax"


@pytest.mark.parametrize("symbol", ["\U0001f44d\U0001f3fd", "\U0001f469\u200d\U0001f469\u200d\U0001f467",
                                    "\u2764\ufe0f", "\U0001f1e9\U0001f1f0", "\u00ae", "\u2122", "\u2022", "\u20ac"])
def test_trimming_leaves_no_symbol_or_emoji_at_either_end(symbol):
    text = f"Shares of {symbol} Microsoft {symbol} rose."
    doc = spacy.blank("en")(text)
    # To the first token of the second symbol, where the model may end a name, cutting the emoji.
    span = doc.char_span(text.index(symbol), text.rindex(symbol) + 1)
    assert E.trim_span(span, text, set()).text == "Microsoft"


@pytest.mark.parametrize("space", SPACES)
def test_a_dropped_common_word_leaves_no_whitespace_before_the_name(space):
    nlp = ruler_nlp("da", [(f"Ifølge{space}Huawei", "ORG"), ("Huawei", "ORG")])
    text = f"Telefonen fra Huawei er ny.\n\nIfølge{space}Huawei holder batteriet længe."
    groups = tagged_groups(nlp, text, genitive_s=True, cues=E.NameCues(common_word={"ifølge"}.__contains__))
    assert [(g["name"], [m["text"] for m in g["mentions"]]) for g in groups] == [("Huawei", ["Huawei", "Huawei"])]


@pytest.mark.parametrize("space", [" ", "\u00a0", "\u202f", "\u2009", "\u3000", "  ", "\n"])
def test_a_capitalised_common_word_after_any_space_ending_a_sentence_is_no_name(space):
    nlp = ruler_nlp("da", [("Tyggegummiet", "ORG")])
    text = f"Butikken åbnede i dag.{space}Tyggegummiet sælger godt, siger de. Han købte tyggegummiet."
    assert E.is_sentence_start(text, text.index("Tyggegummiet"))
    assert E.extract_entities(nlp, {"text": text}) == []


def test_mon_opening_a_question_is_no_person():
    # "Mon ikke ..." ("I wonder if"): the model took "Mon" for a person in three sample articles.
    nlp = ruler_nlp("da", [("Mon", "PER"), ("Justin Bieber", "PER")])
    text = "Han datede Justin Bieber. Mon ikke videoen vækker minder?"
    assert [g["name"] for g in E.extract_entities(nlp, {"text": text})] == ["Justin Bieber"]


def test_a_model_whose_vocabulary_outgrew_its_limit_is_loaded_afresh(monkeypatch):
    nlp = E.load_ner("da")
    assert E.load_ner("da") is nlp  # loaded once
    monkeypatch.setattr(E, "VOCAB_STRINGS_LIMIT", len(nlp.vocab.strings) + 5)
    extract_entities(nlp, {"text": " ".join(f"Nyord{i}" for i in range(10)) + "."})
    fresh = E.load_ner("da")
    assert fresh is not nlp and len(fresh.vocab.strings) < len(nlp.vocab.strings)
    assert E.load_ner("da") is fresh
    text = "Mette Frederiksen besøgte Aarhus."
    assert by_name(extract_entities(fresh, {"text": text})) == by_name(extract_entities(nlp, {"text": text}))


def test_a_sentence_initial_common_word_is_dropped_when_the_rest_is_a_name_of_the_article():
    nlp = ruler_nlp("da", [("Ifølge Huawei", "ORG"), ("Huawei", "ORG"), ("Radikale Venstre", "ORG"),
                           ("Venstre", "ORG")])
    text = ("Telefonen fra Huawei er ny. Det siger Huawei.\n\nIfølge Huawei holder batteriet længe. "
            "Radikale Venstre og Venstre er enige, siger Radikale Venstre.")
    groups = tagged_groups(nlp, text, genitive_s=True, cues=E.NameCues(common_word={"ifølge", "radikale"}.__contains__))
    assert by_name(groups)["Huawei"]["count"] == 3
    # "Radikale" is capitalised mid-sentence too, so there it is a part of the name; "Venstre"
    # is another party.
    texts = [m["text"] for m in by_name(groups)["Radikale Venstre"]["mentions"]]
    assert texts == ["Radikale Venstre", "Radikale Venstre"]
    assert [m["text"] for m in by_name(groups)["Venstre"]["mentions"]] == ["Venstre"]


def test_a_sentence_initial_common_word_is_dropped_when_the_article_uses_the_rest_in_the_genitive():
    nlp = ruler_nlp("da", [("Ifølge Google", "ORG"), ("Googles", "ORG"), ("Nye Borgerlige", "ORG"),
                           ("Borgerliges", "ORG")])
    text = ("Googles telefon er klar. Ifølge Google kommer den i 2017.\n\n"
            "Det siger Nye Borgerlige. Borgerliges folk er glade.")
    cues = E.NameCues(common_word={"ifølge", "nye"}.__contains__)
    groups = tagged_groups(nlp, text, genitive_s=True, cues=cues)
    assert [m["text"] for m in by_name(groups)["Google"]["mentions"]] == ["Googles", "Google"]
    # Mid-sentence the first word is a part of the name, genitive or not.
    assert "Nye Borgerlige" in by_name(groups)
    # English has no genitive in -s: "Ifølge Google" stays whole there.
    nlp = ruler_nlp("en", [("Ifølge Google", "ORG"), ("Googles", "ORG")])
    english = tagged_groups(nlp, text, genitive_s=False, cues=cues)
    assert "Ifølge Google" in by_name(english)


def test_a_sentence_initial_common_word_before_a_name_that_reads_as_a_persons_is_dropped():
    # Typed ORG with the word before it, "Samuele Battistella" is no name the article uses alone.
    nlp = ruler_nlp("da", [("Italienske Samuele Battistella", "ORG"), ("Danske Gymnasieelevers Sammenslutning", "ORG")])
    text = ("Han blev diskvalificeret.\n\nItalienske Samuele Battistella er dermed verdensmester. "
            "Danske Gymnasieelevers Sammenslutning protesterer.")
    cues = E.NameCues(common_word={"italienske", "danske"}.__contains__,
                      person_name={"samuele battistella"}.__contains__)
    groups = tagged_groups(nlp, text, genitive_s=True, cues=cues)
    # The rest of an organisation's name is no person's: it stays whole.
    assert sorted((g["name"], g["label"]) for g in groups) == [
        ("Danske Gymnasieelevers Sammenslutning", "ORG"), ("Samuele Battistella", "PER")]


def test_a_capitalised_lower_case_title_before_a_persons_name_is_dropped_mid_sentence_too():
    # DaN+ leaves such a title out of the name after it. A listed name's genitive is no title: it
    # is a name of its own, split off. A common word mid-sentence is a name's own word there
    # ("Sage Moonblood Stallone"), but for an adjective's "-ske" form before a person's name, as a
    # nationality is written ("19-årige Iranske Sahar Taba" in the sample).
    nlp = ruler_nlp("da", [("Torvehalschef Jeppe Ulrich", "PER"), ("Kristendemokraternes Per Jørgensen", "PER"),
                           ("Italienske Samuele Battistella", "PER"), ("Sage Moonblood Stallone", "PER"),
                           ("Italienske Fiat Chrysler", "ORG")])
    text = ("Det sker ikke, siger Torvehalschef Jeppe Ulrich. Det siger Kristendemokraternes Per Jørgensen "
            "og Italienske Samuele Battistella, og sønnen Sage Moonblood Stallone. Italienske Fiat Chrysler vil.")
    cues = E.NameCues(common_word={"italienske", "sage"}.__contains__,
                      lower_case_word={"torvehalschef", "kristendemokraternes", "italienske", "sage"}.__contains__,
                      person_name={"jeppe ulrich", "per jørgensen", "samuele battistella",
                                   "moonblood stallone"}.__contains__)
    groups = tagged_groups(nlp, text, genitive_s=True, cues=cues)
    assert sorted(g["name"] for g in groups) == [
        "Italienske Fiat Chrysler", "Jeppe Ulrich", "Kristendemokraternes", "Per Jørgensen", "Sage Moonblood Stallone",
        "Samuele Battistella"]


def test_a_preposition_opening_a_sentence_is_no_part_of_a_name_after_it():
    # No other evidence needed: the article names neither bank nor ministry on its own, nor uses
    # the words in lower case. spaCy's Danish stop words have "blandt", not "hos" or "hverken".
    nlp = ruler_nlp("da", [("Hos Danske Bank", "ORG"), ("Hverken Justitsministeriet", "ORG"),
                           ("Blandt Venner", "MISC")])
    text = "Renten stiger.\n\nHos Danske Bank mener man det. Hverken Justitsministeriet svarer. Blandt Venner kører."
    groups = tagged_groups(nlp, text, genitive_s=True, cues=E.NameCues())
    assert sorted(g["name"] for g in groups) == ["Danske Bank", "Justitsministeriet", "Venner"]
    # In English text the words are no stop words.
    nlp = ruler_nlp("en", [("Hos Danske Bank", "ORG")])
    text = "Rates rose. Hos Danske Bank said so."
    groups = tagged_groups(nlp, text, genitive_s=False)
    assert [g["name"] for g in groups] == ["Hos Danske Bank"]


def test_common_words_come_from_the_lexicon():
    common = E.name_cues(E.load_ner("da")).common_word
    assert [common(w) for w in ("ifølge", "canadiske", "hos")] == [True, True, True]
    assert [common(w) for w in ("mette", "manchester", "klimaminister")] == [False, False, False]


def test_danish_writes_inflected_forms_and_compounds_of_common_words_in_lower_case():
    lower_case = E.name_cues(E.load_ner("da")).lower_case_word
    # Forms and compounds the lexicon does not know, of words it knows as common.
    assert all(lower_case(w) for w in ("karantænen", "oprørene", "indbruddet", "forskningschef",
                                       "hastighedsbegrænsningen", "ifølge"))
    # Names: known as names, or compounds named like organisations (in the genitive too).
    assert not any(lower_case(w) for w in ("mette", "klimarådet", "rigspolitiets", "boligministeriet",
                                           "finansudvalget", "miljøklagenævnet"))
    assert E.name_cues(E.load_ner("en")).lower_case_word("karantænen") is False


def test_an_inflected_common_word_opening_a_sentence_once_is_no_name():
    # The model types "Karantænen" and "Forskningschef" opening a sentence as names; "Rigspolitiet"
    # is one.
    nlp = ruler_nlp("da", [("Karantænen", "MISC"), ("Forskningschef", "ORG"), ("Rigspolitiet", "ORG")])
    text = "Skat lukker adgangen. Karantænen varer et år. Forskningschef Roger Buch er enig. Rigspolitiet siger nej."
    groups = tagged_groups(nlp, text, genitive_s=True, cues=E.name_cues(E.load_ner("da")))
    assert [g["name"] for g in groups] == ["Rigspolitiet"]


def test_compounds_built_on_a_name_are_not_mentions_of_it():
    nlp = ruler_nlp("da", [("Champions League-kampen", "MISC"), ("Champions League", "MISC"),
                           ("Christiania-sagen", "LOC"), ("Kim Jong-un", "PER"), ("G-star", "ORG"),
                           ("S-højborg", "ORG")])
    text = ("Champions League-kampen i aften er den sidste i Champions League. Kim Jong-un så med. "
            "Christiania-sagen fortsætter. G-star sponsorerer. En S-højborg faldt.")
    tail = E.compound_tails({"kampen", "sagen", "star"}.__contains__)
    groups = tagged_groups(nlp, text, genitive_s=True, cues=E.NameCues(compound_tail=tail))
    assert sorted((g["name"], g["count"]) for g in groups) == [("Champions League", 1), ("G-star", 1),
                                                               ("Kim Jong-un", 1)]


def test_compound_tails_are_common_or_long_words():
    tail = E.name_cues(E.load_ner("da")).compound_tail
    assert [tail(w) for w in ("kampen", "film", "scoringen")] == [True, True, True]
    assert [tail(w) for w in ("un", "moon", "jong")] == [False, False, False]


def test_the_genitive_of_a_full_danish_name_is_known_from_its_last_word():
    cues = E.name_cues(E.load_ner("da"))
    known = cues.known_genitive
    [group] = group_mentions([mention("Mette Frederiksens", "PER")], ["text"], True, cues)
    assert group["name"] == "Mette Frederiksen"
    assert [known(key) for key in ("frederiksens", "peter høegs", "new york times", "serena williams")] == [
        True, True, False, False]


def test_a_longer_names_last_word_unknown_in_its_genitive_but_a_word_without_is_a_genitive():
    # Names the lexicon's name lists lack ("Auken", "Laudrup"), and names of organisations built
    # on a noun ("DR Nyheders"): the -s form is no word the lexicon has seen, the form without it is.
    known = E.name_cues(E.load_ner("da")).known_genitive
    assert [known(key) for key in ("ida aukens", "michael laudrups", "john kerrys", "dr nyheders")] == [True] * 4
    # Not where the -s form is a word or a name of its own, nor where the base is rare or short
    # ("Tove Hels", "Søren Lodberg Hvas", "Andrea Nahles", "Kenneth Muhs").
    assert [known(key) for key in ("harry styles", "tom hanks", "tove hels", "søren lodberg hvas",
                                   "andrea nahles", "kenneth muhs")] == [False] * 6


def test_a_bare_genitive_joins_its_full_name_known_only_in_the_genitive():
    cues = E.name_cues(E.load_ner("da"))
    mentions = [mention("Muammar Gaddafis", "PER"), mention("Gaddafis", "ORG", 30), mention("Gaddafis", "PER", 60)]
    assert [(g["name"], g["label"], g["count"]) for g in group_mentions(mentions, ["text"], True, cues)] == [
        ("Muammar Gaddafi", "PER", 3)]


def test_a_persons_name_written_only_in_the_genitive_before_its_noun_loses_its_s():
    # The sample's "Knut Hamsuns", "Muhammed Deifs" (beside "Deif", a group of its own) and the like
    # were named with the genitive's -s, as the article never writes the name without it.
    text = ("Knut Hamsuns epokegørende roman kom i 1890. Muhammed Deifs hustru blev dræbt, og Deif overlevede. "
            "Harry Styles optræder i aften, Robbie Williams laver musik, og Jacob Rosenkrands bad om ro. "
            "Jans Lindskovs to døtre søger erstatning for tabet af Jan Lindskov.")
    groups = [(g["name"], g["count"]) for g in extract_entities(E.load_ner("da"), {"text": text})]
    # Not before a verb, a stop word or punctuation, nor a name the lexicon knows with its -s
    # ("Williams"); and "Jans", a genitive's -s slipped onto a first name, is no fuller "Jan".
    assert sorted(groups) == [("Harry Styles", 1), ("Jacob Rosenkrands", 1), ("Jan Lindskov", 1),
                              ("Jans Lindskov", 1), ("Knut Hamsun", 1), ("Muhammed Deif", 2), ("Robbie Williams", 1)]


def test_a_name_before_a_noun_keeps_its_s_where_another_mention_ending_in_its_word_is_no_genitive():
    cues = E.name_cues(E.load_ner("da"))
    text = "Ed Hamsuns roman kom. Ed Hamsuns er her. Bo Quislings regering faldt, og Yonhaps oplysninger."
    docs = {"text": spacy.blank("da")(text)}
    mentions = [mention(name, label, text.index(name, start)) for name, label, start in (
        ("Ed Hamsuns", "PER", 0), ("Ed Hamsuns", "PER", 10), ("Bo Quislings", "PER", 0), ("Yonhaps", "ORG", 0))]
    assert E.possessive_names(docs, mentions, cues) == {"bo quislings", "yonhaps"}
    # "Ethel Bouzalas" followed by a comma: the bare "Bouzalas" before a noun is her name too.
    text = "Ethel Bouzalas, 42, blev anholdt. Bouzalas mand ventede."
    docs = {"text": spacy.blank("da")(text)}
    mentions = [mention("Ethel Bouzalas", "PER", 0), mention("Bouzalas", "ORG", text.index("Bouzalas mand"))]
    assert E.possessive_names(docs, mentions, cues) == set()
    # English has no such genitive: a name's -s is its own.
    english = E.load_ner("en")
    assert [(g["name"], g["label"]) for g in extract_entities(english, {"text": "Michael Jacksons doctor spoke."})] == [
        ("Michael Jacksons", "PER")]


def test_a_genitive_s_slipped_onto_a_first_name_is_a_slip():
    mentions = [mention("Søren Pind", "PER", 20 * i) for i in range(3)] + [mention("Sørens Pinds", "PER", 80)]
    cues = E.name_cues(E.load_ner("da"))
    assert [(g["name"], g["count"]) for g in group_mentions(mentions, ["text"], True, cues)] == [("Søren Pind", 4)]


def test_names_in_teasers_for_other_articles_and_the_sites_notices_are_no_names_of_the_article():
    text = ("Helle Thorning-Schmidt talte i Folketinget.\n\nLÆS OGSÅ: Gallup: Ny vælgerlussing til Thorning og "
            "Søvndal\n\nThorning afviste kritikken.\n\nFor at kommentere skal du være logget på Facebook.\n")
    names = {(g["name"], g["count"]) for g in extract_entities(E.load_ner("da"), {"text": text})}
    assert names == {("Helle Thorning-Schmidt", 2), ("Folketinget", 1)}
    # Told the ranges, the step drops the mentions inside them only, overlapping ranges too.
    mentions = [mention("Gallup", "ORG", 10), mention("Søvndal", "PER", 30), mention("Thorning", "PER", 60)]
    assert E.without_elsewhere(mentions, [(5, 40), (8, 20)]) == mentions[2:]
    assert E.without_elsewhere(mentions, []) == mentions


def test_initials_and_abbreviations_group_with_and_without_their_full_stops():
    mentions = [mention("H.C. Andersen", "ORG", 0), mention("H. C. Andersen", "PER", 20), mention("HC Andersen", "PER", 40),
                mention("Jesper H", "PER", 60), mention("Jesper H. Lidl", "PER", 80), mention("B&O.", "ORG", 100),
                mention("B&O", "ORG", 120), mention("Avisen.dk", "ORG", 140), mention("Avisen", "ORG", 160)]
    # Of forms written as often, the first names the group.
    assert sorted((g["name"], g["count"]) for g in group_mentions(mentions, ["text"], genitive_s=True)) == [
        ("Avisen", 1), ("Avisen.dk", 1), ("B&O.", 2), ("H.C. Andersen", 3), ("Jesper H. Lidl", 2)]
    # A compound on an abbreviation is no mention of it ("Lars H.U.G.-overraskelsen").
    assert E.is_name_compound("Lars H.U.G.-overraskelsen", E.compound_tails(lambda word: False))


def test_danish_genitive_of_an_abbreviation_with_full_stops():
    mentions = [mention("B.T.", "ORG", 0), mention("B.T.s", "ORG", 20)]
    assert [(g["name"], g["count"]) for g in group_mentions(mentions, ["text"], genitive_s=True)] == [("B.T.", 2)]


def test_a_name_that_reads_as_a_persons_is_typed_per_on_one_vote():
    # The bare surname typed MISC again and again must not make Nigel Farage a MISC.
    mentions = [mention("Nigel Farage", "PER")] + [mention("Farage", "MISC", start=20 + 10 * i) for i in range(6)]
    cues = E.NameCues(person_name={"nigel farage"}.__contains__)
    assert [(g["name"], g["label"]) for g in group_mentions(mentions, ["text"], True, cues)] == [("Nigel Farage", "PER")]
    # (A bare surname beside the full name typed PER decides too, as the test after the next shows.)
    mixed = [mention("Nigel Farage", "PER")] + [mention("Nigel Farage", "MISC", start=20 + 20 * i) for i in range(3)]
    assert group_mentions(mixed, ["text"], True)[0]["label"] == "MISC", "without the cue, the votes decide"
    assert group_mentions(mixed, ["text"], True, cues)[0]["label"] == "PER"
    assert group_mentions([mention("Aston Villa", "ORG"), mention("Villa", "PER", start=20)], ["text"], True,
                          cues)[0]["label"] == "ORG", "no PER unless the name reads as a person's"


def test_a_name_whose_surname_the_article_names_a_person_twice_is_a_persons():
    # "Newt" is no first name the lexicon knows, and the model typed the full name MISC five
    # times; the article's bare "Gingrich" and "Gingrichs", typed PER, say whose name it is.
    full = [mention("Newt Gingrich", "MISC", start=10 * i) for i in range(5)]
    surname = [mention("Gingrich", "PER", start=100), mention("Gingrichs", "PER", start=120)]
    assert [(g["name"], g["label"]) for g in group_mentions(full + surname, ["text"], True)] == [
        ("Newt Gingrich", "PER")]
    assert group_mentions(full + surname[:1], ["text"], True)[0]["label"] == "MISC", "once is not enough"
    # A club's "Uniteds" typed PER twice beside eight "United" typed ORG is still a club.
    club = [mention("Manchester United", "ORG", start=10 * i) for i in range(6)]
    bare = [mention("United", "ORG", start=100 + 10 * i) for i in range(8)]
    bare += [mention("Uniteds", "PER", start=200), mention("Uniteds", "PER", start=220)]
    assert [(g["name"], g["label"]) for g in group_mentions(club + bare, ["text"], True)] == [
        ("Manchester United", "ORG")], "twice, but not as often as otherwise"


def test_a_full_name_typed_per_beside_its_bare_surname_is_a_persons():
    # No cue reads "François Bayrou" as a person's name; the model typed the bare surname ORG.
    full, surname = mention("François Bayrou", "PER"), [mention("Bayrou", "ORG", start=30 + 10 * i) for i in range(4)]
    assert [(g["name"], g["label"]) for g in group_mentions([full] + surname, ["text"], True)] == [
        ("François Bayrou", "PER")]
    # Without the bare surname, or with the full name typed otherwise, the votes decide.
    typed_otherwise = [mention("François Bayrou", "ORG", start=30), mention("François Bayrou", "ORG", start=60)]
    assert group_mentions([full, *typed_otherwise], ["text"], True)[0]["label"] == "ORG"
    assert group_mentions([mention("François Bayrou", "ORG")] + surname, ["text"], True)[0]["label"] == "ORG"


def test_a_danish_persons_full_name_is_a_persons_whatever_it_was_typed():
    cues = E.name_cues(E.load_ner("da"))
    assert [cues.danish_full_name(n) for n in ("klaus riskær pedersen", "jens åge larsen")] == [True, True]
    assert [cues.danish_full_name(n) for n in ("henrik skov christensen aps", "danske bank", "larsen")] == [False] * 3
    groups = group_mentions([mention("Klaus Riskær Pedersen", "ORG")], ["text"], True, cues)
    assert [(g["name"], g["label"]) for g in groups] == [("Klaus Riskær Pedersen", "PER")]
    assert not E.name_cues(E.load_ner("en")).danish_full_name("klaus riskær pedersen")


def test_person_names_come_from_the_lexicon():
    person = E.name_cues(E.load_ner("da")).person_name
    assert [person(n) for n in ("emmanuel adebayor", "nigel farage", "ms kunis", "stefan löfven")] == [True] * 4
    assert [person(n) for n in ("san diego", "aston villa", "hej smukfest", "les misérables", "farage")] == [False] * 5


def test_two_names_run_together_are_split_where_the_article_names_each():
    # Left whole, "Nepal India" named a group that took in every "India" and "Nepal".
    nlp = ruler_nlp("en", [("Nepal India", "LOC"), ("Dick Advocaat", "PER"), ("Advocaat Holland", "ORG"),
                           ("Manchester United", "ORG"), ("Nepal", "LOC"), ("India", "LOC"), ("Holland", "LOC"),
                           ("Manchester", "LOC"), ("United", "ORG")])
    text = ("Devastation in Nepal India's prime minister spoke. India sent help to Nepal. Dick Advocaat "
            "is back: in 1994 Advocaat Holland reached the quarter-final. Holland lost. Manchester "
            "United won in Manchester, and United fans sang.")
    groups = tagged_groups(nlp, text, genitive_s=False)
    assert names_labels_counts(groups) == [
        ("Dick Advocaat", "PER", 2), ("Holland", "LOC", 2), ("India", "LOC", 2), ("Manchester", "LOC", 1),
        ("Manchester United", "ORG", 2), ("Nepal", "LOC", 2)]


def test_two_listed_names_of_one_type_run_together_are_split_but_a_sponsors_contest_is_one():
    # A caption ran into the text: "Crystal Palace Manchester City" named the group of every
    # "Manchester City" of the sample's article. "Barclays" (ORG) before "Premier League" (MISC) is
    # the contest's whole name.
    nlp = ruler_nlp("en", [("Crystal Palace Manchester City", "ORG"), ("Man City Crystal Palace", "ORG"),
                           ("Manchester City", "ORG"), ("Barclays Premier League", "MISC")])
    text = ("Manchester City apologised. The defeat at Crystal Palace Manchester City captain Vincent "
            "Kompany regrets. The win against Man City Crystal Palace fans cheered. It was the Barclays "
            "Premier League.")
    groups = tagged_groups(nlp, text, genitive_s=False)
    assert names_labels_counts(groups) == [
        ("Barclays Premier League", "MISC", 1), ("Crystal Palace", "ORG", 2), ("Manchester City", "ORG", 3)]


def test_a_persons_surname_run_together_after_another_name_is_split():
    # Captions ran into the text, whose next sentence opened with a surname: left whole, "Villa
    # Park Ramsey" named the group of every "Villa" of the sample's article, and "Sebastian Vettel
    # Vettel" the driver's.
    nlp = ruler_nlp("en", [("Chris Ramsey", "PER"), ("Villa Park Ramsey", "LOC"), ("Villa", "LOC"),
                           ("Sebastian Vettel", "PER"), ("Sebastian Vettel Vettel", "PER"), ("Vettel", "PER"),
                           ("Brorsons Kirke Lars Ramsdal", "ORG"), ("Lars Ramsdal", "PER"),
                           ("Claus Hjort", "PER"), ("Claus Hjort Frederiksen", "PER"), ("Mette Frederiksen", "PER")])
    text = ("Chris Ramsey may leave. He would bring him to Villa Park Ramsey has admitted. Villa won. "
            "Sebastian Vettel starts third, ahead of Sebastian Vettel Vettel, who won last time. Vettel "
            "smiled. In Brorsons Kirke Lars Ramsdal preached. Lars Ramsdal smiled. Claus Hjort spoke, then "
            "Claus Hjort Frederiksen and Mette Frederiksen.")
    cues = E.NameCues(person_name={"chris ramsey", "sebastian vettel", "lars ramsdal", "claus hjort",
                                   "claus hjort frederiksen", "mette frederiksen"}.__contains__)
    groups = tagged_groups(nlp, text, genitive_s=False, cues=cues)
    # "Villa Park" keeps the mention's type. Not cut: a name that ends in the person's full name,
    # nor a person's full name before another's surname (Danish news shortens names).
    assert names_labels_counts(groups) == [
        ("Brorsons Kirke Lars Ramsdal", "ORG", 1), ("Chris Ramsey", "PER", 2),
        ("Claus Hjort Frederiksen", "PER", 2), ("Lars Ramsdal", "PER", 1), ("Mette Frederiksen", "PER", 1),
        ("Sebastian Vettel", "PER", 4), ("Villa Park", "LOC", 2)]


def test_a_name_of_another_kind_run_together_with_a_persons_full_name_is_split():
    # Left whole, "Etisk Råd Mickey Gjerris" named the group of every "Etisk Råd" of the article.
    nlp = ruler_nlp("da", [("Etisk Råd", "ORG"), ("Etisk Råd Mickey Gjerris", "ORG"),
                           ("Hoffenheims Ermin Bicakcic", "PER"), ("Hoffenheim", "ORG"),
                           ("A.P. Møller Holding", "ORG")])
    text = ("Etisk Råd vil have en afgift, siger medlem af Etisk Råd Mickey Gjerris. Hoffenheim vandt, og "
            "Hoffenheims Ermin Bicakcic scorede. A.P. Møller Holding ejer aktierne.")
    cues = E.NameCues(person_name={"mickey gjerris", "ermin bicakcic", "møller holding"}.__contains__,
                      common_word={"holding"}.__contains__)
    groups = tagged_groups(nlp, text, genitive_s=True, cues=cues)
    # Initials, or common words after them, are no person's name.
    assert names_labels_counts(groups) == [
        ("A.P. Møller Holding", "ORG", 1), ("Ermin Bicakcic", "PER", 1), ("Etisk Råd", "ORG", 2),
        ("Hoffenheim", "ORG", 2), ("Mickey Gjerris", "PER", 1)]


def test_the_genitive_of_a_listed_name_run_together_with_a_persons_full_name_is_split():
    # The article never names CNN alone: its genitive is known from the list of names.
    nlp = ruler_nlp("da", [("CNNs Candy Crowley", "ORG")])
    text = "Kandidaterne afbryder ordstyreren, CNNs Candy Crowley."
    cues = E.NameCues(person_name={"candy crowley"}.__contains__, known_genitive=E.known_names.is_known_genitive)
    groups = tagged_groups(nlp, text, genitive_s=True, cues=cues)
    assert sorted((g["name"], g["label"]) for g in groups) == [("CNN", "ORG"), ("Candy Crowley", "PER")]


def test_a_name_its_kind_noun_types_run_together_with_a_person_the_article_names_is_split():
    # "Trygfonden" ends in a kind noun of organisations; the article names the person on his own.
    nlp = ruler_nlp("da", [("René Højer", "PER"), ("Trygfonden René Højer", "ORG")])
    text = "René Højer er glad. Det siger direktør i Trygfonden René Højer."
    cues = E.NameCues(person_name={"rené højer"}.__contains__, kind_of={"trygfonden": "ORG"}.get)
    groups = tagged_groups(nlp, text, genitive_s=True, cues=cues)
    assert names_labels_counts(groups) == [
        ("René Højer", "PER", 2), ("Trygfonden", "ORG", 1)]


def test_a_persons_surname_run_together_with_another_persons_full_name_is_split():
    # Left whole, "Leibovich Billy Tauzin" made the bare "Leibovich" name two persons: it stayed
    # apart from "Mark Leibovich".
    nlp = ruler_nlp("da", [("Mark Leibovich", "PER"), ("Leibovich Billy Tauzin", "PER"), ("Leibovich", "PER")])
    text = "Det siger Mark Leibovich. Som eksempel nævner Leibovich Billy Tauzin, og Leibovich skriver mere."
    cues = E.NameCues(person_name={"mark leibovich", "billy tauzin"}.__contains__)
    groups = tagged_groups(nlp, text, genitive_s=True, cues=cues)
    assert sorted((g["name"], g["count"]) for g in groups) == [("Billy Tauzin", 1), ("Mark Leibovich", 3)]


def test_a_surname_typed_otherwise_alone_still_splits_a_name_run_together_with_it():
    # The model typed the bare "Vonn" ORG: still the surname of "Lindsey Vonn".
    nlp = ruler_nlp("en", [("Lindsey Vonn", "PER"), ("Vonn", "ORG"), ("Masters", "MISC"),
                           ("Masters Vonn", "MISC")])
    text = ("Lindsey Vonn watched the Masters. He played in the second round of the Masters Vonn (above) "
            "looked stressed. Vonn left.")
    groups = tagged_groups(nlp, text, genitive_s=False)
    assert names_labels_counts(groups) == [
        ("Lindsey Vonn", "PER", 3), ("Masters", "MISC", 2)]


def test_a_nationality_run_together_with_a_person_is_split_from_the_name():
    # "American" is a name of its own (MISC), "Spieth" a person's the model typed PER once; a
    # nationality before a name of another kind makes another name of it ("Scottish Labour").
    text = ("The American star leads. Spieth is 21. Far behind the pacesetting American Spieth, Woods "
            "smiled. Spieth won. The Scottish voters back Scottish Labour and Labour.")
    doc = spacy.blank("en")(text)
    spans = [("American", 0, "MISC"), ("Spieth", 0, "PER"), ("American Spieth", 0, "MISC"),
             ("Spieth", 2, "ORG"), ("Scottish", 0, "MISC"), ("Scottish Labour", 0, "ORG"), ("Labour", 1, "ORG")]
    starts = [[i for i in range(len(text)) if text.startswith(name, i)][k] for name, k, _ in spans]
    doc.ents = [doc.char_span(start, start + len(name), label=label)
                for (name, _, label), start in zip(spans, starts)]
    groups = E.entities_from_docs({"text": doc}, {"text": text}, genitive_s=False)
    assert_offsets({"text": text}, groups)
    assert sorted((g["name"], g["count"]) for g in groups) == [
        ("American", 2), ("Labour", 1), ("Scottish", 1), ("Scottish Labour", 1), ("Spieth", 3)]


@pytest.mark.parametrize("space", SPACES[:-1])  # " - " is not whitespace: no split there
def test_names_split_apart_leave_the_whitespace_between_them_out(space):
    nlp = ruler_nlp("en", [("Jurgen Klopp", "PER"), ("Klopp", "PER"), ("Premier League", "ORG"),
                           (f"Premier League{space}Klopp", "ORG")])
    text = f"Jurgen Klopp came to the Premier League{space}Klopp chatted. The Premier League said so."
    groups = tagged_groups(nlp, text, genitive_s=False)
    assert sorted((g["name"], [m["text"] for m in g["mentions"]]) for g in groups) == [
        ("Jurgen Klopp", ["Jurgen Klopp", "Klopp"]), ("Premier League", ["Premier League", "Premier League"])]


def test_an_acronym_joins_the_name_whose_initials_it_spells():
    mentions = [mention("European Central Bank", "ORG", 0), mention("ECB", "ORG", 30), mention("ECB", "ORG", 40),
                mention("Danmarks Tekniske Universitet", "ORG", 50), mention("DTU", "ORG", 90),
                mention("SF Ungdom", "ORG", 100), mention("SU", "ORG", 120)]
    groups = group_mentions(mentions, ["text"], True)
    assert sorted((g["name"], g["count"]) for g in groups) == [
        ("Danmarks Tekniske Universitet", 2), ("European Central Bank", 3), ("SF Ungdom", 1), ("SU", 1)]


def test_a_two_letter_acronym_joins_its_name_only_where_the_article_spells_it_out():
    # "DF" is Dansk Folkeparti far more often than the refugee council Dansk Flygtningehjælp.
    mentions = [mention("Dansk Flygtningehjælp", "ORG", 0), mention("DF", "ORG", 40)]
    assert len(group_mentions(mentions, ["text"], True, texts=("Dansk Flygtningehjælp kritiserer DF.",))) == 2
    [group] = group_mentions(mentions, ["text"], True, texts=("Dansk Flygtningehjælp (DF) kritiserer ...",))
    assert group["name"] == "Dansk Flygtningehjælp" and group["count"] == 2


def test_a_listed_short_name_joins_the_full_name_the_article_uses():
    # A party's letters after a politician's name, a club's short name; letters typed otherwise,
    # or with no full name in the article, stay as they are.
    mentions = [mention("Dansk Folkeparti", "ORG", 0), mention("DF", "ORG", 40), mention("S", "ORG", 60),
                mention("Socialdemokraterne", "ORG", 80), mention("FCK", "ORG", 120), mention("V", "LOC", 140),
                mention("Venstre", "ORG", 160), mention("LA", "ORG", 180)]
    groups = group_mentions(mentions, ["text"], True)
    assert sorted((g["name"], g["count"]) for g in groups) == [
        ("Dansk Folkeparti", 2), ("FCK", 1), ("LA", 1), ("Socialdemokraterne", 2), ("V", 1), ("Venstre", 1)]
    mentions = [mention("West Brom", "ORG", 0), mention("West Bromwich Albion", "ORG", 20), mention("Spurs", "ORG", 50),
                mention("Tottenham", "ORG", 60), mention("US", "LOC", 70), mention("United States", "LOC", 80)]
    groups = group_mentions(mentions, ["text"], False)
    assert sorted((g["name"], g["count"]) for g in groups) == [
        ("Tottenham", 2), ("United States", 2), ("West Bromwich Albion", 2)]
    # A party named short, in words, beside its full name.
    mentions = [mention("Det Konservative Folkeparti", "ORG", 0), mention("Konservative", "ORG", 40),
                mention("De Radikale", "ORG", 60), mention("Det Radikale Venstre", "ORG", 80)]
    groups = group_mentions(mentions, ["text"], True)
    assert sorted((g["name"], g["count"]) for g in groups) == [("Det Konservative Folkeparti", 2),
                                                               ("Det Radikale Venstre", 2)]
    # Acronyms whose letters are no initials of the name.
    mentions = [mention("Politiets Efterretningstjeneste", "ORG", 0), mention("PET", "ORG", 40)]
    assert [(g["name"], g["count"]) for g in group_mentions(mentions, ["text"], True)] == [
        ("Politiets Efterretningstjeneste", 2)]


def test_the_bundled_models_are_installed():
    # A worker refuses to start without them (worker/tasks.py), and the tests here rely on them.
    assert E.missing_bundled_models() == []
    assert set(E.BUNDLED_LANGUAGES) <= E.available_languages()


def test_a_name_after_a_courtesy_title_is_a_persons_but_a_doctors_or_a_misss_may_be_a_things():
    mentions = [mention("Ms Ratcliffe", "MISC", 0), mention("Ms Ratcliffe", "MISC", 20), mention("Hr. Jensen", "ORG", 40),
                mention("Dr Pepper", "ORG", 60), mention("Miss Fredensborg", "ORG", 80)]
    groups = group_mentions(mentions, ["text"], genitive_s=False)
    assert sorted((g["name"], g["label"]) for g in groups) == [
        ("Dr Pepper", "ORG"), ("Hr. Jensen", "PER"), ("Miss Fredensborg", "ORG"), ("Ms Ratcliffe", "PER")]
    # So is the group of a full name the title stands for, however often the titled name was typed
    # otherwise.
    mentions += [mention("Marie Teresa Ratcliffe", "PER", 100), mention("Ms Ratcliffe", "MISC", 130),
                 mention("Ms Ratcliffe", "MISC", 150)]
    groups = group_mentions(mentions, ["text"], genitive_s=False)
    assert ("Marie Teresa Ratcliffe", "PER", 5) in {(g["name"], g["label"], g["count"]) for g in groups}


def test_a_titled_surname_joins_the_one_person_named_in_full():
    # "Ms Kunis" took "Kunis" away from "Mila Kunis": three groups for one person.
    mentions = [mention("Mila Kunis", "PER", 0), mention("Ms Kunis", "PER", 20), mention("Kunis", "PER", 40),
                mention("Ms. Kunis", "MISC", 60), mention("Abase Hussen", "PER", 80), mention("Mr Hussen", "PER", 100),
                mention("Sir Alex Ferguson", "PER", 120), mention("Alex Ferguson", "PER", 150),
                mention("Mr Yeaman", "PER", 170), mention("Yeaman", "PER", 190), mention("David Hanson", "PER", 210),
                mention("Hanson Robotics", "ORG", 230), mention("Mr Hanson", "PER", 250)]
    groups = group_mentions(mentions, ["text"], genitive_s=False)
    assert names_labels_counts(groups) == [
        ("Abase Hussen", "PER", 2), ("Alex Ferguson", "PER", 2), ("David Hanson", "PER", 2),
        ("Hanson Robotics", "ORG", 1), ("Mila Kunis", "PER", 4), ("Yeaman", "PER", 2)]


def test_a_titled_surname_of_two_persons_stays_apart():
    mentions = [mention("Chris Lane", "PER", 0), mention("Peter Lane", "PER", 20), mention("Mr Lane", "PER", 40),
                mention("Lane", "PER", 60), mention("Mr Smith", "PER", 80)]
    names = sorted(g["name"] for g in group_mentions(mentions, ["text"], genitive_s=False))
    assert names == ["Chris Lane", "Lane", "Mr Lane", "Mr Smith", "Peter Lane"]


def test_the_first_half_of_a_double_surname_joins_the_full_name():
    mentions = [mention("Helle Thorning-Schmidt", "PER", 0), mention("Helle Thorning", "PER", 30),
                mention("Thorning", "LOC", 50), mention("Thornings", "PER", 70), mention("Helle", "PER", 90),
                mention("Kim Jong-un", "PER", 100), mention("Kim Jong", "ORG", 120)]
    groups = group_mentions(mentions, ["text"], genitive_s=True)
    assert names_labels_counts(groups) == [
        ("Helle Thorning-Schmidt", "PER", 5), ("Kim Jong", "ORG", 1), ("Kim Jong-un", "PER", 1)]


def test_a_short_first_name_joins_the_longer_one_it_begins_with_the_same_surname():
    mentions = [mention("Matthew Upson", "PER", 0), mention("Matt Upson", "PER", 30),
                mention("Upson", "PER", 50), mention("Upson", "ORG", 70)]
    groups = group_mentions(mentions, ["text"], genitive_s=False)
    assert [(g["name"], g["label"], g["count"]) for g in groups] == [("Matthew Upson", "PER", 4)]


def test_a_first_name_spelt_once_with_a_letter_doubled_is_one_name():
    mentions = [mention("Liana Barrientos", "PER", 0), mention("Lianna Barrientos", "PER", 30),
                mention("Barrientos", "PER", 60), mention("Post, Barrientos", "ORG", 80),
                mention("Mark Hansen", "PER", 100), mention("Mary Hansen", "PER", 120)]
    groups = group_mentions(mentions, ["text"], genitive_s=False)
    # Another letter is another name ("Mark", "Mary"); of two spellings used once each, the one
    # written first names the group.
    assert sorted((g["name"], g["count"]) for g in groups) == [
        ("Liana Barrientos", 3), ("Mark Hansen", 1), ("Mary Hansen", 1), ("Post, Barrientos", 1)]
    mentions.append(mention("Lianna Barrientos", "PER", 140))
    assert "Lianna Barrientos" in {g["name"] for g in group_mentions(mentions, ["text"], genitive_s=False)}


def test_a_short_first_name_that_begins_two_longer_ones_joins_neither():
    mentions = [mention("Christopher Evans", "PER", 0), mention("Christine Evans", "PER", 30),
                mention("Chris Evans", "PER", 60), mention("Jo Evans", "PER", 80), mention("Joanna Evans", "PER", 100)]
    groups = group_mentions(mentions, ["text"], genitive_s=False)
    assert sorted(g["name"] for g in groups) == ["Chris Evans", "Christine Evans", "Christopher Evans",
                                                 "Jo Evans", "Joanna Evans"]


def test_a_surname_that_is_also_a_half_of_a_double_one_goes_with_the_name_it_ends():
    mentions = [mention("Johanne Schmidt-Nielsen", "PER", 0), mention("Helmut Schmidt", "PER", 30),
                mention("Schmidt", "PER", 50)]
    groups = group_mentions(mentions, ["text"], genitive_s=True)
    assert sorted((g["name"], g["count"]) for g in groups) == [("Helmut Schmidt", 2), ("Johanne Schmidt-Nielsen", 1)]


def test_the_genitive_of_a_name_made_of_a_danish_word_is_known_from_the_lexicon():
    # "Venstres formand": the article never says "Venstre", and the group was named "Venstres".
    known = E.name_cues(E.load_ner("da")).known_genitive
    genitives = ["venstres", "socialdemokratiets", "ritzaus", "kvicklys", "miljøstyrelsens", "klimarådets",
                 "lagkagehusets", "helle thorning-schmidts", "skagens",
                 # A compound ending in a definite noun, whose -s form the lexicon knows as often as the base.
                 "forsvarsministeriets", "justitsministeriets", "filmskolens", "færdselssikkerhedskommissionens"]
    names = ["reuters", "paris", "mars", "hans", "jens", "siemens", "rangers", "giants", "hearts", "lloyds",
             "stevens", "owens", "lakers", "mertens", "thomas", "serena williams", "new york times", "aarhus",
             "ludogorets", "queens", "citizens", "gardens", "athens", "stephens"]
    assert [key for key in genitives if not known(key)] == []
    assert [key for key in names if known(key)] == []
    # Names somewhere in the world, but Danish's most frequent words: "Vis mig ..." named "Vi".
    assert [key for key in ["vis", "mans", "haves", "sigs", "kans", "ses"] if known(key)] == []
    cues = E.name_cues(E.load_ner("da"))
    groups = group_mentions([mention("Venstres", "ORG"), mention("Klimarådets", "ORG", 20),
                             mention("Reuters", "ORG", 40)], ["text"], True, cues)
    assert [g["name"] for g in groups] == ["Venstre", "Klimarådet", "Reuters"]


def test_two_names_joined_by_a_conjunction_take_in_neither():
    # "SNP and Labour" took in the article's fourteen "SNP" and was named so.
    mentions = [mention("SNP", "ORG", 0), mention("SNP and Labour", "ORG", 10), mention("SNP", "ORG", 30),
                mention("Facebook og Twitter", "ORG", 40), mention("Facebook", "ORG", 70),
                mention("Marks & Spencer", "ORG", 80), mention("Marks", "ORG", 100),
                mention("Enhedslisten eller Alternativet", "ORG", 120), mention("Alternativet", "ORG", 160),
                mention("Labour or Tories", "ORG", 180), mention("Tories", "ORG", 200)]
    groups = group_mentions(mentions, ["text"], genitive_s=True)
    assert sorted((g["name"], g["count"]) for g in groups) == [
        ("Alternativet", 1), ("Enhedslisten eller Alternativet", 1), ("Facebook", 1), ("Facebook og Twitter", 1),
        ("Labour or Tories", 1), ("Marks & Spencer", 2), ("SNP", 2), ("SNP and Labour", 1), ("Tories", 1)]


def test_a_name_with_and_in_it_still_takes_in_its_other_parts():
    mentions = [mention("Rock and Roll Hall of Fame", "ORG", 0), mention("Hall of Fame", "ORG", 40)]
    assert [(g["name"], g["count"]) for g in group_mentions(mentions, ["text"], True)] == [
        ("Rock and Roll Hall of Fame", 2)]


def test_an_acronym_spelled_like_a_title_is_no_title():
    # "DR" is the broadcaster: "DR Output" is no "Dr Output", and "DR" still joins it.
    mentions = [mention("DR Output", "ORG", 0), mention("DR", "ORG", 20), mention("Dr Felton", "PER", 30),
                mention("Mark Felton", "PER", 50)]
    groups = group_mentions(mentions, ["text"], genitive_s=True)
    assert sorted((g["name"], g["count"]) for g in groups) == [("DR Output", 2), ("Mark Felton", 2)]


def test_a_common_word_named_once_at_a_sentence_start_is_no_name():
    # "Solen står op i øst": the model types a capitalised common word opening a sentence as a name.
    nlp = ruler_nlp("da", [("Solen", "ORG"), ("Basta", "LOC"), ("Rusland", "LOC")])
    text = "Verden står fast. Solen står op i øst. Basta.\n\nRusland svarer."
    groups = tagged_groups(nlp, text, genitive_s=True, cues=E.NameCues(lower_case_word={"solen", "basta"}.__contains__))
    assert [g["name"] for g in groups] == ["Rusland"]


def test_a_common_word_the_article_uses_as_a_name_stays():
    # Twice at sentence starts, once mid-sentence, in capitals, or written as a name by the article.
    nlp = ruler_nlp("da", [("Venstre", "ORG"), ("Politiken", "ORG"), ("EU", "ORG"), ("Netværket", "ORG"),
                           ("Ritzaus", "ORG")])
    text = ("Venstre vil have en aftale. Politiken skriver det. Venstre siger nej. EU er enig. "
            "Det skriver også Politiken. Kaffeklubben Netværket mødes. Ritzaus rundspørge viser det.")
    common = {"venstre", "politiken", "eu", "netværket", "ritzau"}.__contains__
    groups = tagged_groups(nlp, text, genitive_s=True, cues=E.NameCues(common_word=common, lower_case_word=common))
    assert sorted((g["name"], g["count"]) for g in groups) == [
        ("EU", 1), ("Netværket", 1), ("Politiken", 2), ("Ritzaus", 1), ("Venstre", 2)]


def test_a_listed_name_opening_a_sentence_once_stays_unless_it_is_a_common_word():
    nlp = ruler_nlp("da", [("Bibelen", "MISC"), ("Koranen", "MISC"), ("Venstres", "ORG"), ("Skat", "ORG")])
    text = "Tre skrifter. Bibelen for de kristne. Koranen for muslimerne. Venstres leder er enig. Skat lukker."
    common = {"bibelen", "koranen", "venstres", "skat"}.__contains__
    groups = tagged_groups(nlp, text, genitive_s=True, cues=E.NameCues(lower_case_word=common))
    # "Skat" is also the common word for tax; "Venstres" can only be the party's.
    assert sorted(g["name"] for g in groups) == ["Bibelen", "Koranen", "Venstres"]


@pytest.mark.parametrize("fields, name", [
    ({"text": "Socialdemokratiet vinder valget."}, "Socialdemokratiet"),
    ({"text": "Nordea melder om fremgang"}, "Nordea"),
    ({"text": "Socialdemokratiet: Vi vinder valget"}, "Socialdemokratiet"),
    ({"title": "Nordea melder om fremgang"}, "Nordea"),
])
def test_a_text_of_one_sentence_keeps_its_name(fields, name):
    # A headline or one-line text sent alone: that the word is never capitalised elsewhere says
    # nothing where there is nothing else, and the names opening headlines are real ones.
    nlp = ruler_nlp("da", [("Socialdemokratiet", "ORG"), ("Nordea", "ORG")])
    groups = E.entities_from_docs({field: nlp(text) for field, text in fields.items()}, fields, genitive_s=True,
                                  cues=E.NameCues(lower_case_word={"socialdemokratiet", "nordea"}.__contains__))
    assert [g["name"] for g in groups] == [name]


@pytest.mark.parametrize("fields", [
    {"text": "Forsvaret køber nye fly. Det blev dyrt."},
    {"title": "Flyene er købt", "text": "Forsvaret køber nye fly."},
])
def test_a_common_word_opening_one_of_two_sentences_still_goes(fields):
    # "Forsvaret" (the defence) is listed, but as a common word too (known_names.COMMON_WORDS).
    nlp = ruler_nlp("da", [("Forsvaret", "ORG")])
    groups = E.entities_from_docs({field: nlp(text) for field, text in fields.items()}, fields, genitive_s=True,
                                  cues=E.NameCues(lower_case_word={"forsvaret"}.__contains__))
    assert groups == []


def test_a_place_the_lexicon_knows_stays_where_it_is_typed_a_place():
    # The lexicon counts "randers" (a city, and as frequent as a common word) as common: typed a
    # place, it is one; "Kampen" (also a city) typed an organisation still goes.
    nlp = ruler_nlp("da", [("Randers", "LOC"), ("Kampen", "ORG")])
    text = "Randers: Hest ramt af bil. Dyret døde. Kampen endte uafgjort."
    cities = {"randers", "kampen"}.__contains__
    groups = tagged_groups(nlp, text, genitive_s=True, cues=E.NameCues(lower_case_word=cities, place_name=cities))
    assert [g["name"] for g in groups] == ["Randers"]


def test_a_person_named_once_at_a_sentence_start_stays_whatever_the_lexicon_says():
    # DaN+ train opens sentences with "Napoleon", "Hemingway" and "Stauning", which the lexicon
    # counts as common words; no common word dropped in 360 sampled articles was typed PER.
    nlp = ruler_nlp("da", [("Hemingway", "PER"), ("Solen", "ORG")])
    text = "Hemingway skrev om havet. Solen står op i øst."
    groups = tagged_groups(nlp, text, genitive_s=True,
                           cues=E.NameCues(lower_case_word={"hemingway", "solen"}.__contains__))
    assert [g["name"] for g in groups] == ["Hemingway"]


def test_only_danish_drops_capitalised_common_words():
    # English capitalises words the lexicon knows as common ("Scottish"), and CoNLL annotates them.
    da, en = E.name_cues(E.load_ner("da")), E.name_cues(E.load_ner("en"))
    assert [da.lower_case_word(w) for w in ("solen", "forbuddet", "stationen")] == [True, True, True]
    assert [da.lower_case_word(w) for w in ("indien", "amerikanske", "ritzaus")] == [False, False, False]
    assert not en.lower_case_word("scottish") and en.common_word("scottish")
    text = "Scottish voters went to the polls on Thursday."
    groups = extract_entities(E.load_ner("en"), {"text": text})
    assert [(g["name"], g["label"]) for g in groups] == [("Scottish", "MISC")]


def test_a_mention_run_on_into_the_next_sentence_loses_its_first_word():
    # The full stop was lost with a paragraph break: "Ronald Reagan The document".
    nlp = ruler_nlp("en", [("Ronald Reagan The", "PER"), ("Chloe If", "PER"), ("Reagan", "PER")])
    text = ("It was strong under Margaret Thatcher and Ronald Reagan The document was leaked. The report "
            "says Reagan knew the plan. If so, the shop sold Chloe If that was not enough, if ever, it sold more.")
    groups = extract_entities(nlp, {"text": text})
    assert_offsets({"text": text}, groups)
    assert sorted((g["name"], [m["text"] for m in g["mentions"]]) for g in groups) == [
        ("Chloe", ["Chloe"]), ("Ronald Reagan", ["Ronald Reagan", "Reagan"])]


def test_a_sentence_adverb_run_on_to_a_name_is_cut_without_more_evidence():
    # Neither "Meanwhile" nor "Also" is in lower case or opens a sentence elsewhere in the article.
    nlp = ruler_nlp("en", [("Swansea Meanwhile", "ORG"), ("Swansea", "ORG"), ("Malaga Also", "ORG"),
                           ("USA Today", "ORG")])
    text = ("Newcastle lost to Swansea. De Jong is on the bench against Swansea Meanwhile, Newcastle will "
            "play. Real face Malaga Also on Saturday, Bilbao play, USA Today reported.")
    groups = extract_entities(nlp, {"text": text})
    assert_offsets({"text": text}, groups)
    assert names_labels_counts(groups) == [
        ("Malaga", "ORG", 1), ("Swansea", "ORG", 2), ("USA Today", "ORG", 1)]


def test_a_job_title_run_on_to_a_name_before_a_persons_name_is_cut():
    # Left whole, "West Brom Boss" named the group of all thirteen "West Brom".
    nlp = ruler_nlp("en", [("West Brom Boss", "ORG"), ("West Brom", "ORG"), ("Nigel Pearson", "PER"),
                           ("Hugo Boss", "ORG"), ("Mark Langer", "PER")])
    text = ("Dawson is back for West Brom. Leicester could face West Brom Boss Nigel Pearson has no worries. "
            "At the show of Hugo Boss Mark Langer spoke.")
    groups = extract_entities(nlp, {"text": text})
    assert_offsets({"text": text}, groups)
    assert sorted((g["name"], g["count"]) for g in groups) == [
        ("Hugo Boss", 1), ("Mark Langer", 1), ("Nigel Pearson", 1), ("West Brom", 2)]


def test_a_name_cut_from_a_run_on_is_typed_as_the_article_types_it():
    # "D.C. The" was typed PER, and won the group's type from "D.C." (LOC) on a tied vote.
    nlp = ruler_nlp("en", [("D.C. The", "PER"), ("D.C.", "LOC")])
    text = "The gala was held in Washington, D.C. The annual event sold out. The mayor of the city, D.C., came."
    groups = extract_entities(nlp, {"text": text})
    assert [(g["name"], g["label"], g["count"]) for g in groups] == [("D.C.", "LOC", 2)]


def test_a_name_qualified_by_a_nationality_does_not_take_in_the_name():
    # Cut from "Labour And", the eight "Labour" joined "Scottish Labour", the party in Scotland.
    nlp = ruler_nlp("en", [("Labour And", "ORG"), ("Labour", "ORG"), ("Scottish Labour", "ORG"),
                           ("Scottish", "MISC")])
    text = ("He urged Scots to vote Labour And he warned the SNP. The Scottish voters back Scottish Labour "
            "and Labour. And Labour lost.")
    groups = extract_entities(nlp, {"text": text})
    assert sorted((g["name"], g["count"]) for g in groups) == [("Labour", 3), ("Scottish", 1),
                                                               ("Scottish Labour", 1)]
    # A longer qualifier is no nationality: "Times" is still The New York Times.
    mentions = [mention("New York", "LOC", 0), mention("New York Times", "ORG", 20), mention("Times", "ORG", 40)]
    assert [(g["name"], g["count"]) for g in group_mentions(mentions, ["text"], False)] == [
        ("New York Times", 2), ("New York", 1)]


@pytest.mark.parametrize("name, text", [
    ("Serie A", "Han gjorde Serie A til verdens bedste liga. A er et bogstav, og a også."),
    ("World War Two", "In World War Two the bombs fell. Two of them hit the two towers."),
    ("The Who", "Fans of The Who were loud. Who knows why? They saw who came."),
    ("Kongens Have", "Vi gik i Kongens Have i går. Vi vil have sol. Det var dejligt."),
    ("Where Are We Now", "He sang Where Are We Now? Now we know. Where are we now, asked the man."),
])
def test_a_name_that_ends_in_a_stop_word_keeps_it(name, text):
    nlp = ruler_nlp("da" if "Vi " in text or "Han " in text else "en", [(name, "MISC")])
    groups = extract_entities(nlp, {"text": text})
    assert [g["name"] for g in groups] == [name]


def test_a_name_tagged_more_than_once_keeps_its_last_word():
    nlp = ruler_nlp("en", [("Take That", "ORG")])
    text = "Fans of Take That are loyal. That is clear: Take That were the biggest band, and that is that."
    groups = extract_entities(nlp, {"text": text})
    assert [m["text"] for g in groups for m in g["mentions"] if m["text"].startswith("Take")] == ["Take That"] * 2


def test_a_danish_title_at_a_sentence_start_is_no_part_of_the_name():
    nlp = ruler_nlp("da", [("Skatteminister Anna Berg Holm", "PER"), ("Anna Berg Holm", "PER"),
                           ("Fiskehandleren Ole Bo Dam", "PER")])
    text = ("Anna Berg Holm holdt tale i går.\n\nSkatteminister Anna Berg Holm siger ja. "
            "Fiskehandleren Ole Bo Dam siger nej.")
    common = {"minister", "handleren"}.__contains__
    groups = tagged_groups(nlp, text, genitive_s=True,
                           cues=E.NameCues(common_word=common, common_compound=E.common_compounds(common)))
    assert [(g["name"], [m["text"] for m in g["mentions"]]) for g in groups] == [
        ("Anna Berg Holm", ["Anna Berg Holm", "Anna Berg Holm"]), ("Ole Bo Dam", ["Ole Bo Dam"])]


def test_danish_compounds_of_common_words_come_from_the_lexicon():
    compound = E.name_cues(E.load_ner("da")).common_compound
    assert [compound(w) for w in ("klimaminister", "erhvervsmanden")] == [True, True]
    assert [compound(w) for w in ("mette", "nordkorea", "ole")] == [False, False, False]
    assert E.name_cues(E.load_ner("en")).common_compound("klimaminister") is False


def test_an_english_job_title_before_a_persons_name_is_no_part_of_it():
    # The model typed the whole a place; "Mr Rigby" says whose name it is.
    nlp = ruler_nlp("en", [("Fusilier John Rigby", "LOC"), ("Mr Rigby", "PER"), ("Prime Minister Jane Doe", "PER"),
                           ("Doe", "PER"), ("General Motors", "ORG"), ("Major League Baseball", "ORG"),
                           ("Prince Andrew", "PER")])
    text = ("The killers of Fusilier John Rigby were jailed. Mr Rigby was 25. Prime Minister Jane Doe "
            "spoke, and Doe met General Motors and Major League Baseball. Prince Andrew came too.")
    groups = extract_entities(nlp, {"text": text})
    assert_offsets({"text": text}, groups)
    assert {g["name"]: (g["label"], [m["text"] for m in g["mentions"]]) for g in groups} == {
        "John Rigby": ("PER", ["John Rigby", "Mr Rigby"]), "Jane Doe": ("PER", ["Jane Doe", "Doe"]),
        "General Motors": ("ORG", ["General Motors"]), "Major League Baseball": ("ORG", ["Major League Baseball"]),
        "Prince Andrew": ("PER", ["Prince Andrew"])}


def test_a_danish_job_title_capitalised_before_a_persons_name_is_no_part_of_it():
    # A translated quotation keeps English's capital ("Governor Romney").
    nlp = ruler_nlp("da", [("Mitt Romney", "PER"), ("Guvernør Romney", "PER"), ("Romney", "PER")])
    text = "Mitt Romney talte. - Guvernør Romney har ingen plan, og den politik, som Guvernør Romney står for, siger Romney."
    groups = tagged_groups(nlp, text, genitive_s=True)
    assert [(g["name"], [m["text"] for m in g["mentions"]]) for g in groups] == [
        ("Mitt Romney", ["Mitt Romney", "Romney", "Romney", "Romney"])]


def test_a_danish_royal_title_capitalised_before_a_name_is_no_part_of_it():
    # DaN+ leaves the title out however it is written. Not a ship's name (MISC), a street's, nor
    # a name of more words ("Dronning Louises Bro").
    names = [("Kronprins Frederik", "ORG"), ("Dronning Margrethe II", "PER"), ("Dronning Ingrid", "MISC"),
             ("Prins Christiansgade", "ORG"), ("Dronning Louises Bro", "LOC")]
    nlp = ruler_nlp("da", names)
    text = ("Det sagde Kronprins Frederik og Dronning Margrethe II om færgen Dronning Ingrid, "
            "der ikke sejler til Prins Christiansgade eller Dronning Louises Bro.")
    cues = E.NameCues(kind_of={"christiansgade": "LOC"}.get)
    groups = tagged_groups(nlp, text, genitive_s=True, cues=cues)
    assert [(g["name"], g["label"]) for g in groups] == [
        ("Frederik", "PER"), ("Margrethe II", "PER"), ("Dronning Ingrid", "MISC"), ("Prins Christiansgade", "ORG"),
        ("Dronning Louises Bro", "LOC")]


def test_a_greeting_before_a_name_is_no_part_of_it():
    nlp = ruler_nlp("da", [("Hej Jesper", "PER"), ("Hej Smukfest", "ORG"), ("Smukfest", "ORG"),
                           ("Hej Matematik", "MISC"), ("Kære Lise Berg", "PER")])
    text = ("Hej Jesper. Tak for dit opslag. - Hej Smukfest, virker betalingen? Vi skal til Smukfest. "
            "Han så Hej Matematik. Kære Lise Berg, tak.")
    groups = tagged_groups(nlp, text, genitive_s=True,
                           cues=E.NameCues(person_name={"jesper", "lise berg"}.__contains__))
    # A person's name, or a name the article uses on its own; "Matematik" is neither, so the title stays.
    assert {g["name"]: (g["label"], g["count"]) for g in groups} == {
        "Jesper": ("PER", 1), "Smukfest": ("ORG", 2), "Hej Matematik": ("MISC", 1), "Lise Berg": ("PER", 1)}


def test_a_greeting_alone_opening_a_sentence_is_no_name():
    nlp = ruler_nlp("da", [("Hej", "PER"), ("Tak", "LOC"), ("Sorry", "MISC")])
    text = "- Hej nationen! Kan I hjælpe? ’Tak til alle’, stod der. Hun sang Sorry."
    groups = tagged_groups(nlp, text, genitive_s=True)
    # Mid-sentence it may be a title.
    assert [g["name"] for g in groups] == ["Sorry"]


def test_a_danish_kind_noun_before_a_name_is_no_part_of_it_where_the_name_is_known_so():
    nlp = ruler_nlp("da", [("Supermarkedskæden Coop", "ORG"), ("Storbanken Nordea", "MISC"), ("Nordea", "ORG"),
                           ("Institut for Statskundskab", "ORG"), ("Lokalavisen Fredericia", "ORG"),
                           ("Fredericia", "ORG"), ("Region Sjælland", "ORG"), ("Sjælland", "LOC")])
    text = ("Supermarkedskæden Coop sænker priser. Storbanken Nordea og Nordea Liv. Institut for Statskundskab "
            "svarer. Lokalavisen Fredericia skriver om Fredericia. Region Sjælland dækker Sjælland.")
    groups = tagged_groups(nlp, text, genitive_s=True,
                           cues=E.NameCues(kind_of=lambda word: kind_cues.cue_label(word, kind_cues.CUES["da"]),
                                           place_name={"fredericia"}.__contains__))
    # A listed name ("Coop"), one the article types as the noun says ("Nordea"); not a place the
    # lexicon knows, nor after a noun of places. The bare "Fredericia" then joins the newspaper.
    assert names_labels_counts(groups) == [
        ("Coop", "ORG", 1), ("Institut for Statskundskab", "ORG", 1), ("Lokalavisen Fredericia", "ORG", 2),
        ("Nordea", "ORG", 2), ("Region Sjælland", "ORG", 1), ("Sjælland", "LOC", 1)]


def test_an_abbreviated_rank_with_or_without_its_full_stop_is_no_part_of_the_name():
    nlp = ruler_nlp("en", [("Spc. Caleb Barnes", "PER"), ("Barnes", "ORG"), ("Sgt Rob Best", "PER")])
    text = "Army Spc. Caleb Barnes was held. Barnes and Sgt Rob Best spoke."
    groups = extract_entities(nlp, {"text": text})
    assert_offsets({"text": text}, groups)
    assert {g["name"]: (g["label"], g["count"]) for g in groups} == {"Caleb Barnes": ("PER", 2), "Rob Best": ("PER", 1)}


def test_a_bare_name_joins_its_one_person_over_a_name_run_together_with_it():
    mentions = [mention("Karim Benzema", "PER", 0), mention("Malaga Benzema", "ORG", 20), mention("Benzema", "ORG", 40),
                mention("Benzema", "ORG", 60), mention("Ruud Gullit", "PER", 80), mention("Sorry Ruud", "PER", 100),
                mention("Ruud", "PER", 120), mention("Pat Ingles", "PER", 140), mention("Menorca While Pat", "LOC", 160),
                mention("Pat", "PER", 180)]
    groups = group_mentions(mentions, ["text"], False)
    # "Ruud" begins one of its persons' names and ends the other: two persons it may name, left alone.
    assert {g["name"]: (g["label"], g["count"]) for g in groups} == {
        "Karim Benzema": ("PER", 3), "Malaga Benzema": ("ORG", 1), "Ruud Gullit": ("PER", 1),
        "Sorry Ruud": ("PER", 1), "Ruud": ("PER", 1), "Pat Ingles": ("PER", 2), "Menorca While Pat": ("LOC", 1)}


def test_a_surname_of_two_persons_is_a_persons_name_unless_it_is_a_place_seldom_typed_one():
    mentions = [mention("Jamie Silvonek", "PER", 0), mention("Cheryl Silvonek", "PER", 20), mention("Silvonek", "LOC", 40),
                mention("Silvonek", "LOC", 60), mention("Frank Jordan", "PER", 80), mention("Louis Jordan", "PER", 100),
                mention("Jordan", "LOC", 120)]
    cues = E.NameCues(place_name={"jordan"}.__contains__)
    groups = group_mentions(mentions, ["text"], False, cues)
    assert {g["name"]: (g["label"], g["count"]) for g in groups} == {
        "Jamie Silvonek": ("PER", 1), "Cheryl Silvonek": ("PER", 1), "Silvonek": ("PER", 2),
        "Frank Jordan": ("PER", 1), "Louis Jordan": ("PER", 1), "Jordan": ("LOC", 1)}
    # Unless the model typed it a person a quarter of the time or more: "Jordan said" is the son.
    said = [mention("Jordan", "LOC", 140 + 10 * i) for i in range(2)] + [mention("Jordan", "PER", 170)]
    groups = group_mentions(mentions + said, ["text"], False, cues)
    assert {g["name"]: (g["label"], g["count"]) for g in groups}["Jordan"] == ("PER", 4)


def test_a_nationality_before_a_name_is_not_a_part_of_it():
    mentions = [mention("Freedonian Christians", "MISC", 0), mention("Freedonian", "MISC", 40),
                mention("Grand Prix", "MISC", 60), mention("Grand Prix Festival", "MISC", 80)]
    groups = group_mentions(mentions, ["text"], False)
    assert sorted((g["name"], g["count"]) for g in groups) == [
        ("Freedonian", 1), ("Freedonian Christians", 1), ("Grand Prix Festival", 2)]


def test_a_place_before_the_name_of_something_else_is_not_a_part_of_it():
    cues = E.NameCues(place_name={"ruritania", "leeds"}.__contains__)
    mentions = [mention("US", "LOC", 0), mention("US", "ORG", 10), mention("US Postal Service", "ORG", 20),
                mention("Ruritania", "LOC", 50), mention("Ruritania Airways", "ORG", 70),
                mention("Leeds", "ORG", 100), mention("Leeds", "LOC", 110), mention("Leeds", "ORG", 120),
                mention("Leeds Rhinos", "ORG", 130)]
    groups = group_mentions(mentions, ["text"], False, cues)
    # "Leeds", typed the club more often than the city, is the club.
    assert sorted((g["name"], g["count"]) for g in groups) == [
        ("Leeds Rhinos", 4), ("Ruritania", 1), ("Ruritania Airways", 1), ("US", 2), ("US Postal Service", 1)]
    # Typed a place only by the article, a name the lexicon does not know as one joins ("på Berlingske").
    mentions = [mention("Dagbladet", "LOC", 0), mention("Dagbladet", "ORG", 10), mention("Dagbladet Tidende", "ORG", 20)]
    assert [g["name"] for g in group_mentions(mentions, ["text"], True, cues)] == ["Dagbladet Tidende"]


def test_a_town_at_the_end_of_an_organisations_name_is_the_town_where_the_article_types_it_so():
    cues = E.NameCues(place_name={"ruritania", "leeds"}.__contains__)
    mentions = [mention("AC Ruritania", "ORG", 0), mention("Ruritania", "LOC", 20), mention("Ruritania", "ORG", 40),
                mention("Ruritania", "LOC", 60), mention("Leeds", "ORG", 100), mention("Leeds", "LOC", 110),
                mention("Leeds", "ORG", 120), mention("FC Leeds", "ORG", 130)]
    groups = group_mentions(mentions, ["text"], False, cues)
    # "Leeds", typed the club more often than the city, is the club.
    assert names_labels_counts(groups) == [
        ("AC Ruritania", "ORG", 1), ("FC Leeds", "ORG", 4), ("Ruritania", "LOC", 3)]


def test_a_place_after_words_that_make_another_place_of_it_is_not_a_part_of_it():
    cues = E.NameCues(place_name={"ruritania", "hawthorns"}.__contains__)
    for qualified, joins in [("East Ruritania", False), ("Republic of Ruritania", True), ("The Hawthorns", True)]:
        short = qualified.split()[-1]
        mentions = [mention(qualified, "LOC", 0), mention(short, "LOC", 30)]
        groups = group_mentions(mentions, ["text"], False, cues)
        assert sorted(g["name"] for g in groups) == ([qualified] if joins else sorted([qualified, short])), qualified
    # Without the lexicon's word for it, "Vegas" is Las Vegas.
    mentions = [mention("Las Vegas", "LOC", 0), mention("Vegas", "LOC", 30)]
    assert [g["name"] for g in group_mentions(mentions, ["text"], False, cues)] == ["Las Vegas"]


def test_place_names_come_from_the_lexicon():
    place = E.name_cues(E.load_ner("en")).place_name
    assert [place(w) for w in ("london", "york", "ireland", "danmark")] == [True, True, True, True]
    assert [place(w) for w in ("vegas", "postal", "labour")] == [False, False, False]


def test_a_name_cut_at_a_hyphen_before_og_covers_the_whole_coordination():
    # The model tags "Danmarks Medie-" and "Øst-" as names of their own; "Roger Buch" it runs on
    # into the school's name.
    nlp = ruler_nlp("da", [("Danmarks Medie-", "LOC"), ("Journalisthøjskole Roger Buch", "PER"),
                           ("Roger Buch", "PER"), ("Øst-", "LOC"), ("Vestdanmark", "LOC"), ("Social-", "ORG"),
                           ("Karen Ellemann", "PER"), ("Dansk Jagt-", "ORG"), ("Skovbrugsmuseum", "PER")])
    text = ("Forskningschef ved Danmarks Medie- og Journalisthøjskole Roger Buch tvivler. Roger Buch siger nej. "
            "Trafikken i Øst- og Vestdanmark vokser, også fra Øst- til Vestdanmark. Det mener Social- og "
            "indenrigsminister Karen Ellemann. Et besøg på Dansk Jagt- og Skovbrugsmuseum er gratis.")
    groups = tagged_groups(nlp, text, genitive_s=True, cues=E.name_cues(E.load_ner("da")))
    assert names_labels_counts(groups) == [
        ("Danmarks Medie- og Journalisthøjskole", "ORG", 1), ("Dansk Jagt- og Skovbrugsmuseum", "ORG", 1),
        ("Karen Ellemann", "PER", 1), ("Roger Buch", "PER", 2), ("Vestdanmark", "LOC", 1),
        ("Øst- og Vestdanmark", "LOC", 1)]


def test_a_coordinated_compound_takes_in_every_part_and_leaves_out_the_name_run_on_before_it():
    nlp = ruler_nlp("da", [("Folketingets Udlændinge-", "ORG"), ("Boligudvalg", "ORG"),
                           ("Allerød Orienteringsklub", "ORG"), ("Allerød Orienteringsklub Familie-", "ORG"),
                           ("Motionsorientering", "PER"), ("A-", "ORG"), ("FC Nordsjælland-", "ORG")])
    text = ("Formand for Folketingets Udlændinge-, Integrations- og Boligudvalg. Søndag holder Allerød "
            "Orienteringsklub Familie- og Motionsorientering, skriver Allerød Orienteringsklub. Her er A- og "
            "B-skoler. Den tidligere FC Nordsjælland- og FC Midtjylland-angriber scorede.")
    groups = tagged_groups(nlp, text, genitive_s=True, cues=E.name_cues(E.load_ner("da")))
    assert names_labels_counts(groups) == [
        ("Allerød Orienteringsklub", "ORG", 2), ("Familie- og Motionsorientering", "ORG", 1),
        ("Folketingets Udlændinge-, Integrations- og Boligudvalg", "ORG", 1)]


def test_a_name_set_aside_that_the_article_also_uses_still_votes_for_its_type():
    # "Liverpool" typed ORG in teasers and LOC twice in the text: the club, reported twice.
    kept = [mention("Liverpool", "LOC", 0), mention("Liverpool", "LOC", 50)]
    votes = [mention("Liverpool", "ORG", 10 * i) for i in (2, 3, 4)]
    assert [(g["name"], g["label"], g["count"]) for g in group_mentions(kept, ["text"], True, votes=votes)] == [
        ("Liverpool", "ORG", 2)]
    assert group_mentions(kept, ["text"], True)[0]["label"] == "LOC", "without the votes, the text's type"


def test_an_institutions_name_goes_on_over_the_fields_after_its_first():
    nlp = ruler_nlp("da", [("Ministeriet for Fødevarer", "ORG"), ("Landbrug", "ORG"),
                           ("Center for Kræft", "ORG"), ("Sundhed", "LOC"), ("Institut for Sociologi", "ORG"),
                           ("Institut for Idræt", "ORG"), ("Søren Hansen", "PER")])
    text = ("Ministeriet for Fødevarer, Landbrug og Fiskeri og Center for Kræft og Sundhed svarer. "
            "Institut for Sociologi og Socialt Arbejde Mette Hansen ved det. Institut for Idræt og Søren Hansen.")
    groups = tagged_groups(nlp, text, genitive_s=True, cues=E.name_cues(E.load_ner("da")))
    # The fields are common words; a person's name after "og" is no field ("Søren Hansen"), nor
    # is a second word after the field that is no common word ("Mette").
    assert sorted((g["name"], g["label"]) for g in groups) == [
        ("Center for Kræft og Sundhed", "ORG"), ("Institut for Idræt", "ORG"),
        ("Institut for Sociologi og Socialt Arbejde", "ORG"),
        ("Ministeriet for Fødevarer, Landbrug og Fiskeri", "ORG"), ("Søren Hansen", "PER")]


def test_two_names_joined_by_and_are_split_where_each_side_is_a_name():
    # Left whole, "SNP and Labour" was a group of its own beside "SNP" and "Labour".
    nlp = ruler_nlp("en", [("SNP and Labour", "ORG"), ("SNP", "ORG"), ("Labour", "ORG"),
                           ("Kvarzell and Asberg", "ORG"), ("Samuel Kvarzell", "PER"), ("Markus Asberg", "PER"),
                           ("Rock and Roll Hall of Fame", "ORG"), ("Rock", "MISC"), ("Wille and the Bandits", "ORG"),
                           ("Wille", "PER")])
    text = ("The SNP won and Labour lost: between the SNP and Labour there are more MPs. Samuel Kvarzell and "
            "Markus Asberg were there; Kvarzell and Asberg held him. Rock fans love the Rock and Roll Hall of "
            "Fame. Wille sings in Wille and the Bandits.")
    groups = tagged_groups(nlp, text, genitive_s=False)
    assert names_labels_counts(groups) == [
        ("Labour", "ORG", 2), ("Markus Asberg", "PER", 2), ("Rock", "MISC", 1),
        ("Rock and Roll Hall of Fame", "ORG", 1), ("SNP", "ORG", 2), ("Samuel Kvarzell", "PER", 2),
        ("Wille", "PER", 1), ("Wille and the Bandits", "ORG", 1)]


def test_two_listed_names_joined_by_og_are_split_and_typed_as_listed():
    # Neither "SpaceX" nor "Twitter" stands alone in the text, but both are listed.
    nlp = ruler_nlp("da", [("SpaceX og Blue Origin", "ORG"), ("Twitter og Google", "MISC"), ("SE og HØR", "ORG")])
    text = "Både SpaceX og Blue Origin bygger raketter. EU giver Twitter og Google mundkurv på i SE og HØR."
    groups = tagged_groups(nlp, text, genitive_s=True)
    assert names_labels_counts(groups) == [
        ("Blue Origin", "ORG", 1), ("Google", "ORG", 1), ("SE og HØR", "ORG", 1), ("SpaceX", "ORG", 1),
        ("Twitter", "ORG", 1)]


def test_two_names_of_a_list_run_together_over_a_comma_are_split_where_each_side_is_a_name():
    nlp = ruler_nlp("en", [("Chelsea, City", "ORG"), ("Chelsea", "ORG"), ("City", "ORG"), ("Aldi, a Co", "ORG")])
    text = "Chelsea won. City lost. Of the leaders, Chelsea, City and United play. Aldi, a Co-op rival, grew."
    groups = tagged_groups(nlp, text, genitive_s=False)
    # "a Co" is no name: the name ends before the comma (test_a_comma_and_a_lower_case_word_end_a_name...).
    assert names_labels_counts(groups) == [
        ("Aldi", "ORG", 1), ("Chelsea", "ORG", 2), ("City", "ORG", 2)]


def test_two_names_the_model_ran_together_over_a_verb_are_split_but_a_name_with_a_preposition_stays():
    nlp = ruler_nlp("da", [("Ekstra Bladet mødte Haarder", "ORG"), ("Bertel Haarder", "PER"), ("Ekstra Bladet", "ORG"),
                           ("Handelshøjskolen i København", "ORG"), ("Handelshøjskolen", "ORG"), ("København", "LOC"),
                           ("Det vilde Næsehorn", "ORG")])
    text = ("Bertel Haarder svarede. Da Ekstra Bladet mødte Haarder, smilede han. Ekstra Bladet skrev om "
            "Handelshøjskolen i København. Handelshøjskolen ligger i København. Han så Det vilde Næsehorn.")
    groups = tagged_groups(nlp, text, genitive_s=True)
    assert names_labels_counts(groups) == [
        ("Bertel Haarder", "PER", 2), ("Det vilde Næsehorn", "ORG", 1), ("Ekstra Bladet", "ORG", 2),
        ("Handelshøjskolen i København", "ORG", 2), ("København", "LOC", 1)]


def test_danish_names_joined_by_og_are_split_as_genitives_or_names_of_a_kind_but_not_in_quotes():
    nlp = ruler_nlp("da", [("Venstres og Konservatives", "ORG"), ("Region Hovedstaden og Region Sjælland", "LOC"),
                           ("Winnie og Carina", "MISC"), ("Winnie", "PER"), ("Carina", "PER"),
                           ("Kommunikation og Sprog", "ORG")])
    text = ("Det er Venstres og Konservatives krav. Værst er det i Region Hovedstaden og Region Sjælland. "
            "Programmet \"Winnie og Carina\" vender tilbage, siger Winnie, og Carina er enig. "
            "A-kassen for Kommunikation og Sprog svarer.")
    groups = tagged_groups(nlp, text, genitive_s=True, cues=E.name_cues(E.load_ner("da")))
    assert names_labels_counts(groups) == [
        ("Carina", "PER", 1), ("Kommunikation og Sprog", "ORG", 1), ("Konservative", "ORG", 1),
        ("Region Hovedstaden", "ORG", 1), ("Region Sjælland", "ORG", 1), ("Venstre", "ORG", 1),
        ("Winnie", "PER", 1), ("Winnie og Carina", "MISC", 1)]


def test_a_lower_case_stop_word_ends_no_name_but_a_title():
    # "hos Berlingske her, Børsen her": the run-on name had named the paper's whole group.
    # A title of a work may end so; a clitic is no word.
    nlp = ruler_nlp("da", [("Berlingske her", "ORG"), ("Berlingske", "ORG"), ("Lad os", "MISC")])
    text = "Det skriver Berlingske. Læs mere hos Berlingske her. Han sang Lad os i aftes."
    groups = tagged_groups(nlp, text, genitive_s=True)
    assert {g["name"]: (g["label"], g["count"]) for g in groups} == {"Berlingske": ("ORG", 2), "Lad os": ("MISC", 1)}
    english = ruler_nlp("en", [("McDonald's", "ORG")])
    text = "She ate at McDonald's."
    assert [g["name"] for g in E.entities_from_docs({"text": english(text)}, {"text": text}, genitive_s=False)] == ["McDonald's"]


def test_a_danish_kind_noun_before_a_mention_types_its_group():
    # The model types "i Dong" a place by habit; the kind noun before another mention says what
    # it is. Not a person's full name after an office, nor a name whose own last word gives its
    # kind ("bandet Roskilde Festival"), nor past a quotation mark ("bog »Knut Hamsun. ...«").
    names = [("Dong", "LOC"), ("Lars Lemche", "PER"), ("Roskilde Festival", "MISC"), ("Knut Hamsun", "PER")]
    nlp = ruler_nlp("da", names)
    text = ("Salget af aktier i det statslige energiselskab Dong. Han solgte aktier i Dong, og bud på Dong kom. "
            "Det siger medarbejder i lufthavnen Lars Lemche. Lars Lemche er glad. "
            "Så torpederede bandet Roskilde Festival. Roskilde Festival var glad. "
            "Hun læste Tore Rems bog »Knut Hamsun. Rejsen til Hitler«, der handler om Knut Hamsun.")
    kind_of = functools.partial(kind_cues.cue_label, table=kind_cues.CUES["da"])
    groups = tagged_groups(nlp, text, genitive_s=True, cues=E.NameCues(kind_of=kind_of))
    assert {g["name"]: (g["label"], g["count"]) for g in groups} == {
        "Dong": ("ORG", 3), "Lars Lemche": ("PER", 2), "Roskilde Festival": ("MISC", 2), "Knut Hamsun": ("PER", 2)}


def test_i_forvejen_is_no_kind_noun():
    assert kind_cues.cue_label("forvejen", kind_cues.CUES["da"]) is None
    assert kind_cues.cue_label("hovedvejen", kind_cues.CUES["da"]) == "LOC"


def test_a_comma_and_a_lower_case_word_end_a_name_but_a_title():
    nlp = ruler_nlp("en", [("Aldi, a Co", "ORG"), ("Aldi", "ORG"), ("Yes, we can", "MISC")])
    text = "Aldi is cheap. Didsbury boasts an Aldi, a Co-op and a Tesco. They sang Yes, we can loudly."
    groups = tagged_groups(nlp, text, genitive_s=False)
    assert {g["name"]: (g["label"], g["count"]) for g in groups} == {"Aldi": ("ORG", 2), "Yes, we can": ("MISC", 1)}


def test_a_full_stop_glued_to_a_names_last_word_ends_the_sentence_where_the_article_names_it_without():
    # The tokenizer keeps a stop after a capital (it reads an initial's): "og B&O. Nu er ...".
    # An abbreviation's stop stays: the article never writes "Jr" or "Bros" bare.
    nlp = ruler_nlp("en", [("B&O.", "ORG"), ("B&O", "ORG"), ("Robert Downey Jr.", "PER"), ("Warner Bros.", "ORG")])
    text = "B&O sells. He sold B&O. Then Robert Downey Jr. met Warner Bros. at last. We like B&O."
    doc = nlp(text)
    assert [e.text for e in doc.ents].count("B&O.") == 2
    groups = E.entities_from_docs({"text": doc}, {"text": text}, genitive_s=False)
    assert_offsets({"text": text}, groups)
    assert {g["name"]: g["count"] for g in groups} == {"B&O": 3, "Robert Downey Jr.": 1, "Warner Bros.": 1}
    assert {m["text"] for g in groups if g["name"] == "B&O" for m in g["mentions"]} == {"B&O"}


def test_a_firm_in_capitals_run_together_with_another_organisation_the_article_names_is_split():
    nlp = ruler_nlp("da", [("JYSK", "ORG"), ("Kirkens Korshærs", "ORG"), ("JYSK Kirkens Korshærs", "ORG"),
                           ("A-18", "ORG"), ("Super Hornet", "ORG"), ("A-18 Super Hornet", "ORG")])
    text = ("Det siger JYSK og Kirkens Korshærs chef. Derfor kommer JYSK Kirkens Korshærs brugere til undsætning. "
            "Flyet A-18 er en Super Hornet, og A-18 Super Hornet flyver.")
    groups = tagged_groups(nlp, text, genitive_s=True)
    # Not letters with a number, a model's ("A-18 Super Hornet" stays one name).
    assert {g["name"]: g["count"] for g in groups} == {"JYSK": 2, "Kirkens Korshærs": 2, "A-18 Super Hornet": 3}
