"""Runs of words written in capitals, read in the case the article writes them
(worker.pipeline.shouting)."""

from __future__ import annotations

from tests.unit.test_offsets import SEED_ARTICLES, entity_groups
from worker.pipeline.analyze import analyze_article
from worker.pipeline.shouting import unshouted

BODY = ("\n\nKuwait Airways har aflyst flyet, siger EU og Vladimir Putin. Det er et fly fra Kuwait Airways, "
        "siger Putin. John Mayer er syg.")


def test_a_run_in_capitals_is_read_as_the_article_writes_its_words():
    text = "KUWAIT AIRWAYS AFLYSER FLY TIL EU. DET SIGER PAPVIN-FABRIKKEN OG PUTIN." + BODY
    read = unshouted(text)
    assert len(read) == len(text) and read.endswith(BODY)
    # Words the article writes nowhere else in lower case; a sentence's first word with a capital.
    assert read.startswith("Kuwait Airways aflyser fly til EU. Det siger papvin-fabrikken og Putin.")


def test_a_word_written_nowhere_else_takes_a_capital_before_a_name_or_where_the_article_opens_with_it():
    text = "SYG JOHN MAYER AFLYSER SIN KONCERT, SIGER VLADIMIR PUTIN MOD RUSLAND" + BODY
    # "John" opens a sentence of the article only, and read in lower case it had been taken for a
    # common word; "Vladimir" stands right before "Putin"; "mod" is too short to be a name.
    assert unshouted(text).startswith("Syg John Mayer aflyser sin koncert, siger Vladimir Putin mod rusland")


def test_short_runs_and_words_glued_to_the_run_are_left_as_they_are():
    # Names written in capitals ("RIO DE JANEIRO", "SE OG HØR"); a heading glued to the text after it.
    text = "Han bor i RIO DE JANEIRO og læser SE OG HØR hver uge.\nHVAD SKAL THORNING GØRE NU? DELTAG HERUNDERLige nu"
    assert unshouted(text, "Thorning siger, at han skal gøre det.") == (
        "Han bor i RIO DE JANEIRO og læser SE OG HØR hver uge.\nHvad skal Thorning gøre nu? Deltag HERUNDERLige nu")


def test_a_title_in_capitals_learns_the_case_from_the_text():
    assert unshouted("KUWAIT AIRWAYS AFLYSER ALLE FLY I DAG", BODY) == "Kuwait Airways aflyser alle fly i dag"


def test_a_lead_in_capitals_leaves_the_seeds_entities_as_they_are():
    # Read in capitals, the English lead had a group "EURO" (MISC), the Danish one "VLADIMIR PUTIN".
    for seed in sorted(SEED_ARTICLES):
        article = SEED_ARTICLES[seed]
        lead, rest = article["text"].split("\n\n", 1)
        shouted = article | {"text": lead.upper() + "\n\n" + rest}
        assert entity_groups(analyze_article(shouted)) == entity_groups(analyze_article(article))
