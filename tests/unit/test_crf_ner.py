"""The CRF tagger's features, its lexicon file and the spaCy component around it."""

from __future__ import annotations

import spacy

from worker.pipeline import crf_ner
from worker.pipeline.crf_ner import Featurizer, Lexicon, mark_sentences, shape, starts_of
from worker.pipeline.entities import extract_entities, load_ner

LEXICON = Lexicon({"rusland": ("L:zipf_da=4", "L:country"), "ruslands": ("L:country", "L:genitive_of_known_name")})


def test_shape_collapses_long_runs():
    assert (shape("Putin"), shape("NATO"), shape("2023"), shape("Jong-un")) == ("Xxx", "XX", "dd", "Xxx-xx")


def test_sentence_starts_after_full_stops_openers_and_line_breaks():
    words = ["Han", "kom", ".", "Det", "sagde", '"', "Nej", "Ja", "Så"]
    assert starts_of(words, [False] * 8 + [True]) == [True, False, False, True, False, False, True, False, True]


def test_features_read_the_lexicon_for_the_word_its_genitive_and_its_neighbours():
    words = ["Ruslands", "præsident", "i", "Rusland"]
    features = Featurizer(LEXICON).sentence(words, starts_of(words))
    assert "L:country" in features[3] and "TL:country" in features[3]  # title-cased and known
    assert "GL:country" in features[0]  # "Ruslands" reads the features of "Rusland"
    assert "1L:country" in features[2] and "L:oov" in features[2]  # the neighbour's names, its own lookup
    assert "start" in features[0] and "start" not in features[1]


def test_a_copy_prefix_gives_every_feature_twice_and_a_known_set_keeps_either():
    words = ["Ruslands", "præsident", "i", "Rusland"]
    plain = Featurizer(LEXICON).sentence(words, starts_of(words))
    copied = Featurizer(LEXICON, copy="d:").sentence(words, starts_of(words))
    assert [sorted(f) for f in copied] == [sorted(f + ["d:" + x for x in f]) for f in plain]
    known = frozenset({"start", "d:start", "d:GL:country", "L:country", "d:-1w|w=i|rusland", "d:2pad"})
    kept = Featurizer(LEXICON, known, copy="d:").sentence(words, starts_of(words))
    assert [sorted(f) for f in kept] == [sorted(x for x in f if x in known) for f in copied]
    assert "d:-1w|w=i|rusland" in kept[3] and "d:2pad" in kept[3] and "d:GL:country" in kept[0]


def test_lexicon_file_round_trips_byte_for_byte(tmp_path):
    LEXICON.write(tmp_path / "a.tsv.gz")
    read = Lexicon.read(tmp_path / "a.tsv.gz")
    assert read.entries == LEXICON.entries
    read.write(tmp_path / "b.tsv.gz")
    assert (tmp_path / "a.tsv.gz").read_bytes() == (tmp_path / "b.tsv.gz").read_bytes()
    assert read.names("rusland") == ("L:country",)  # frequencies are not names


def test_component_skips_whitespace_tokens_and_keeps_offsets():
    nlp = load_ner("da")
    text = "Mødet fandt sted i\n\nVladivostok mandag.\n\nMette Frederiksen talte."
    doc = nlp(text)
    assert [(e.text, e.label_) for e in doc.ents] == [("Vladivostok", "LOC"), ("Mette Frederiksen", "PER")]
    assert all(not t.is_space for e in doc.ents for t in e)



def test_a_name_ends_at_a_line_break():
    # A paragraph with no full stop, then one that opens with the same name: the model alone
    # tags "Rune Stubager\n\nRune Stubager" as one person (a DaNewsroom article did).
    text = "Det tager tid, siger Rune Stubager\n\nRune Stubager giver her sit bud."
    doc = load_ner("da")(text)
    assert [(e.text, e.label_) for e in doc.ents] == [("Rune Stubager", "PER"), ("Rune Stubager", "PER")]


def test_marked_sentences_are_tagged_each_on_its_own():
    nlp = load_ner("da")
    sentences = ["Ifølge YTN vil et møde finde sted tirsdag.", "Det russiske nyhedsbureau Interfax skrev det.",
                 "Kim Jong-un rejser til Rusland."]
    text = " ".join(sentences)
    doc = nlp.make_doc(text)
    starts = {text.index(sentence) for sentence in sentences}
    mark_sentences(doc, starts)
    alone = [(start + e.start_char, e.text, e.label_)
             for start, sentence in zip(sorted(starts), sentences) for e in nlp(sentence).ents]
    assert [(e.start_char, e.text, e.label_) for e in nlp(doc).ents] == alone
    assert alone  # the sentences do have names

def test_saved_pipeline_loads_with_the_factory(tmp_path):
    nlp = load_ner("da")
    nlp.to_disk(tmp_path / "copy")
    again = spacy.load(tmp_path / "copy")
    assert again.pipe_names == nlp.pipe_names == [crf_ner.FACTORY, "newsdesk_run_on_names", "newsdesk_name_particles",
                                                "newsdesk_kind_cues", "newsdesk_listed_names",
                                                "newsdesk_compound_events", "newsdesk_quoted_titles"]
    text = "Kim Jong-un rejser til Rusland."
    assert [(e.text, e.label_) for e in again(text).ents] == [(e.text, e.label_) for e in nlp(text).ents]


def test_a_genitive_the_lexicon_knows_is_grouped_under_its_nominative():
    groups = extract_entities(load_ner("da"), {"text": "Sydkoreas regering svarede. Paris var stille."})
    names = {g["name"] for g in groups}
    assert "Sydkorea" in names and "Sydkoreas" not in names
    assert "Paris" in names  # a name in its own right, not a genitive of "Pari"


def test_the_city_spelled_as_today_is_a_place():
    # DaN+ writes the city "Århus" and "Aarhus" only in "Aarhus Universitet": model 0.23.0 typed
    # "Aarhus" ORG here (sentences of two DaNewsroom articles).
    text = ("De rejsende på kortere afstande som for eksempel Aarhus og Odense skal kun op med 94 kroner. "
            "Skibene kom ind fra søsiden via Norsminde op ad Odder Å syd for Aarhus. Hun læser på Aarhus Universitet.")
    groups = {(g["name"], g["label"]) for g in extract_entities(load_ner("da"), {"text": text})}
    assert {("Aarhus", "LOC"), ("Odense", "LOC"), ("Aarhus Universitet", "ORG")} <= groups
    assert not any(name == "Aarhus" and label != "LOC" for name, label in groups)


def test_a_countrys_genitive_the_lexicon_leaves_unmarked_is_grouped_under_the_country():
    # names-dataset lists "Danmarks" as a first name, so the lexicon does not mark it a genitive.
    groups = extract_entities(load_ner("da"), {"text": "Danmarks statsminister talte i Aarhus i går."})
    assert {(g["name"], g["label"]) for g in groups} == {("Danmark", "LOC"), ("Aarhus", "LOC")}


def test_features_are_the_same_from_a_cold_a_warm_and_a_full_word_cache(monkeypatch):
    words = ["Ruslands", "præsident", ",", "Vladimir", "Putin", ",", "besøgte", "Rusland", "."]
    cold = Featurizer(LEXICON).sentence(words, starts_of(words))
    warm = Featurizer(LEXICON)
    warm.sentence(list(reversed(words)), starts_of(words))
    assert warm.sentence(words, starts_of(words)) == cold
    monkeypatch.setattr(Featurizer, "WORD_CACHE_SIZE", 3)
    full = Featurizer(LEXICON)
    assert full.sentence(words, starts_of(words)) == cold
    assert len(full._words) == 3  # bounded: words beyond it are built each time, not kept


def test_a_model_gets_only_the_features_it_knows_and_tags_as_with_all_of_them():
    nlp = load_ner("da")
    component = nlp.get_pipe(crf_ner.FACTORY)
    words = "Den nordkoreanske leder , Kim Jong-un , rejser til Rusland for at møde Vladimir Putin .".split()
    every = Featurizer(component.lexicon, copy=component.feature_copy).sentence(words, starts_of(words))  # all
    known = component.featurizer.sentence(words, starts_of(words))
    assert all(set(k) <= component.featurizer.known and set(k) < set(e) for k, e in zip(known, every))
    assert all(set(e) - set(k) <= set(e) - component.featurizer.known for k, e in zip(known, every))
    assert component.tagger.tag(known) == component.tagger.tag(every)
