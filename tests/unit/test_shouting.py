"""Runs of words written in capitals, read in the case the article writes them
(worker.pipeline.shouting)."""

from __future__ import annotations

from tests.unit.test_offsets import SEED_ARTICLES, entity_groups
from worker.pipeline.analyze import analyze_article
from worker.pipeline.entities import case_cues
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
    # However short: all in capitals, a title names nothing by its capitals.
    assert unshouted("PUTIN AFLYSER", BODY) == "Putin aflyser"
    assert unshouted("NATO", BODY) == "NATO" and unshouted("PUTIN AFLYSER\nI DAG", BODY) == "PUTIN AFLYSER\nI DAG"


def test_a_lead_in_capitals_leaves_the_seeds_entities_as_they_are():
    # Read in capitals, the English lead had a group "EURO" (MISC), the Danish one "VLADIMIR PUTIN".
    for seed in sorted(SEED_ARTICLES):
        article = SEED_ARTICLES[seed]
        lead, rest = article["text"].split("\n\n", 1)
        shouted = article | {"text": lead.upper() + "\n\n" + rest}
        assert entity_groups(analyze_article(shouted)) == entity_groups(analyze_article(article))


def test_the_lexicon_reads_a_word_written_nowhere_else_as_a_place_or_a_common_word():
    cues = {"italien": "name", "usa": "name", "garanterer": "word"}.get
    text = "REGERINGEN GARANTERER KRIEGERS FLAK OG SENDER PENGE TIL ITALIEN OG USA" + BODY
    # Without the lexicon a word of four letters or more before a name took a capital, and a
    # place named only here was read in lower case.
    assert unshouted(text, "Kriegers Flak").startswith(
        "Regeringen Garanterer Kriegers Flak og sender penge til italien og usa")
    assert unshouted(text, "Kriegers Flak", cues).startswith(
        "Regeringen garanterer Kriegers Flak og sender penge til Italien og USA")


def test_the_models_lexicon_knows_countries_regions_and_common_words():
    case = case_cues()
    assert [case(word) for word in ("italien", "usa", "nordsjælland", "garanterer", "government")] == [
        "name", "name", "name", "word", "word"]
    # Names the name lists lack, and places named like frequent words, are left to the article.
    assert [case(word) for word in ("barack", "wiggins", "man", "verden", "world")] == [None] * 5


def test_a_lead_in_capitals_names_its_places_and_no_verb_before_a_name():
    article = {"text": "REGERINGEN GARANTERER KRIEGERS FLAK OG SENDER PENGE TIL ITALIEN\n\nKriegers Flak er en "
                       "havvindmøllepark i Østersøen. Den blev bygget af Vattenfall.", "language": "da"}
    names = {group["name"]: group["count"] for group in analyze_article(article)["entities"]}
    assert names == {"Kriegers Flak": 2, "Italien": 1, "Østersøen": 1, "Vattenfall": 1}
