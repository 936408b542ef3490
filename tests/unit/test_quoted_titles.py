"""The Danish step that makes a title in quotation marks one MISC name ("filmen »Gensyn med vennerne«")."""

from __future__ import annotations

import spacy

from tests.tagged_docs import labels, tagged
from worker.pipeline import quoted_titles
from worker.pipeline.entities import extract_entities, load_ner
from worker.pipeline.quoted_titles import mark_titles, title_spans


def test_a_quoted_title_becomes_one_misc_name_and_names_inside_it_give_way():
    text = 'Hun spillede i filmen »Gensyn med vennerne« og i "Mens vi lever" med Ghita Nørby.'
    doc = mark_titles(tagged(text, {"Mens": "PER", "Ghita Nørby": "PER"}))
    assert labels(doc) == [("Gensyn med vennerne", "MISC"), ("Mens vi lever", "MISC"), ("Ghita Nørby", "PER")]


def test_speech_one_word_lower_case_and_long_quotations_are_no_titles():
    texts = [
        "»Det er fantastisk, helt vildt«, siger hun.",  # punctuation inside: speech
        "»Tag en dyb indånding«, siger hun.",  # a speech verb after it
        "Han siger »Tag en dyb indånding« til alle.",  # and before it
        "Tomatavlere jubler over rekordhøst: »Det er ekstremt«.",  # a sentence of its own after a colon
        "Han kaldte det »Vanvid« og gik.",  # one word: left to the tagger
        "Det var »ren og skær« tilfældighed.",  # lower case
        "Han sang »Der er et yndigt land som står med brede bøge« igen.",  # longer than a title
    ]
    assert [title_spans(spacy.blank("da")(text)) for text in texts] == [[]] * len(texts)


def test_a_genitive_apostrophe_opens_and_closes_nothing():
    # The tokenizer keeps the apostrophe after a final s with its word ("Kiss'", as in "Paris'"),
    # so the quotation closes nowhere: no title runs on into the next one ("Kiss Kiss' og").
    doc = spacy.blank("da")("Han sang 'Kiss Kiss' og 'Forever' i Paris' natklubber.")
    assert title_spans(doc) == []
    doc = spacy.blank("da")("Han sang 'Run it' i Paris' natklubber og Jens ' Store Ord ' om det.")
    assert [doc[s:e].text for s, e in title_spans(doc)] == ["Run it"]


def test_a_name_reaching_out_of_the_quotation_keeps_it_from_being_a_title():
    text = "Det var Peter »Store Mand« Hansen der vandt."
    doc = mark_titles(tagged(text, {"Peter »Store Mand« Hansen": "PER"}))
    assert labels(doc) == [("Peter »Store Mand« Hansen", "PER")]


def test_only_the_danish_pipeline_runs_the_step_and_the_service_reports_the_title():
    assert load_ner("da").pipe_names[-1] == quoted_titles.FACTORY
    assert quoted_titles.FACTORY not in load_ner("en").pipe_names
    text = "Sebastian spiller numre fra albummet »Fra Stjerner til Støv« i Tivoli."
    entities = {(e["name"], e["label"]) for e in extract_entities(load_ner("da"), {"text": text})}
    assert ("Fra Stjerner til Støv", "MISC") in entities
