"""The Danish step that makes a name joined to the noun of a case, a treaty or a contest one MISC
name ("Maastricht-traktaten", "Tvind-sagen", "DM-finalen")."""

from __future__ import annotations

from tests.tagged_docs import labels, tagged
from worker.pipeline import compound_events
from worker.pipeline.compound_events import mark_events
from worker.pipeline.entities import extract_entities, load_ner


def test_compounds_of_cases_treaties_and_contests_become_misc_names_the_genitive_too():
    text = "Efter Thule-sagen stemte de om Maastricht-traktatens ord før DM-finalen i Europa-Cup-turneringen."
    doc = mark_events(tagged(text, {}))
    assert labels(doc) == [("Thule-sagen", "MISC"), ("Maastricht-traktatens", "MISC"),
                           ("DM-finalen", "MISC"), ("Europa-Cup-turneringen", "MISC")]


def test_a_name_tagged_right_before_or_over_the_compound_is_part_of_it():
    text = "Politiet åbner Madeleine McCann-sagen igen, og Pussy Riot-sagen er lukket."
    doc = mark_events(tagged(text, {"Madeleine": "PER", "Pussy Riot-sagen": "ORG"}))
    assert labels(doc) == [("Madeleine McCann-sagen", "MISC"), ("Pussy Riot-sagen", "MISC")]


def test_other_heads_lower_case_compounds_and_longer_names_are_left_alone():
    texts = {
        "Han så Netflix-serien og EM-semifinale i går.": {},  # serien, indefinite forms: both ways in DaN+
        "Golf-krigen og skilsmisse-sagen fyldte meget.": {},  # krigen: no name in DaN+; lower case
        "Han talte om Tvind-sagen Kammeret i går.": {"Tvind-sagen Kammeret": "ORG"},  # inside a longer name
    }
    for text, names in texts.items():
        assert labels(mark_events(tagged(text, names))) == labels(tagged(text, names))


def test_only_the_danish_pipeline_runs_the_step_and_the_service_reports_the_case():
    assert compound_events.FACTORY in load_ner("da").pipe_names
    assert compound_events.FACTORY not in load_ner("en").pipe_names
    text = "Ministeren måtte gå af efter Tjernobyl-sagen, skriver avisen."
    entities = {(e["name"], e["label"]) for e in extract_entities(load_ner("da"), {"text": text})}
    assert ("Tjernobyl-sagen", "MISC") in entities
