"""The Danish step that joins a person's name over the particles of foreign surnames ("Ursula von
der Leyen", "Osama bin Laden")."""

from __future__ import annotations

from tests.tagged_docs import labels, tagged
from worker.pipeline import crf_ner, name_particles, run_on_names
from worker.pipeline.entities import extract_entities, load_ner
from worker.pipeline.name_particles import join_particles


def test_a_persons_name_goes_on_over_particles_and_takes_in_the_name_after_them():
    text = "Ursula von der Leyen mødte Osama bin Laden og Hans ten Feld fra Soraya Sáenz de Santamarias parti."
    names = {"Ursula": "PER", "Osama": "PER", "Hans": "PER", "Feld": "LOC", "Soraya Sáenz": "PER",
             "Santamarias": "PER"}
    assert labels(join_particles(tagged(text, names))) == [
        ("Ursula von der Leyen", "PER"), ("Osama bin Laden", "PER"), ("Hans ten Feld", "PER"),
        ("Soraya Sáenz de Santamarias", "PER")]


def test_von_and_van_open_a_name_alone_but_danish_words_do_not():
    text = "Siden sagde von Neurath og van Dijk, at de Konservative og da Peter kom, var alt godt."
    names = {"Neurath": "ORG", "Konservative": "ORG", "Peter": "PER"}
    assert labels(join_particles(tagged(text, names))) == [
        ("von Neurath", "PER"), ("van Dijk", "PER"), ("Konservative", "ORG"), ("Peter", "PER")]


def test_a_particle_before_a_lower_case_word_or_after_another_type_changes_nothing():
    text = "Peter de andre kaldte Boulevard de Clichy og Lars, de Gaulle."
    names = {"Peter": "PER", "Boulevard": "LOC", "Lars": "PER"}
    assert labels(join_particles(tagged(text, names))) == list(names.items())


def test_a_name_typed_otherwise_goes_on_over_particles_to_a_persons_name():
    # The title before it made the tagger type "Kronprins Mohammed" an organisation; not before a
    # name typed otherwise ("Banco de Santander").
    text = "Kronprins Mohammed bin Salman talte med Banco de Santander."
    names = {"Kronprins Mohammed": "ORG", "Salman": "PER", "Banco": "ORG", "Santander": "ORG"}
    assert labels(join_particles(tagged(text, names))) == [
        ("Kronprins Mohammed bin Salman", "PER"), ("Banco", "ORG"), ("Santander", "ORG")]


def test_two_names_joined_in_a_row_make_one():
    text = "Det var Peter de Neef de Vries."
    doc = join_particles(tagged(text, {"Peter": "PER", "Neef": "PER"}))
    assert labels(doc) == [("Peter de Neef de Vries", "PER")]
    doc = join_particles(tagged("Så kom von Neurath de Vries.", {"Neurath": "PER"}))
    assert labels(doc) == [("von Neurath de Vries", "PER")]


def test_only_the_danish_pipeline_runs_the_step_after_the_tagger_and_the_service_reports_the_name():
    assert load_ner("da").pipe_names[:3] == [crf_ner.FACTORY, run_on_names.FACTORY, name_particles.FACTORY]
    assert name_particles.FACTORY not in load_ner("en").pipe_names
    text = "EU-Kommissionens formand, Ursula von der Leyen, sagde i går, at hun vil lytte."
    entities = {(e["name"], e["label"]) for e in extract_entities(load_ner("da"), {"text": text})}
    assert ("Ursula von der Leyen", "PER") in entities
