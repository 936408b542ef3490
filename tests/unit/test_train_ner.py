"""The training command's checks that come before any training (no data needed)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT
from worker.training import lexicon, train_ner


def test_out_folder_that_is_not_a_model_is_left_alone(tmp_path, capsys):
    # `--out worker/models` (one level too high) or `--out .` must not delete what is there.
    out = tmp_path / "models"
    (out / "ner-da").mkdir(parents=True)
    (out / "ner-da" / "meta.json").write_text("{}", encoding="utf-8")
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    argv = ["--lang", "da", "--data", str(tmp_path / "data"), "--out", str(out)]
    assert train_ner.main(argv) == 2
    assert "--out" in capsys.readouterr().err
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert (out / "ner-da" / "meta.json").is_file()


def test_out_may_be_new_empty_or_a_model(tmp_path):
    assert train_ner.replaceable_out(tmp_path / "new")
    assert train_ner.replaceable_out(tmp_path)  # empty
    (tmp_path / "meta.json").write_text("{}", encoding="utf-8")
    (tmp_path / "config.cfg").write_text("", encoding="utf-8")
    assert train_ner.replaceable_out(tmp_path)
    (tmp_path / "file.txt").write_text("", encoding="utf-8")
    assert not train_ner.replaceable_out(tmp_path / "file.txt")


def test_missing_data_is_a_clear_error(tmp_path, capsys):
    argv = ["--lang", "da", "--data", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")]
    assert train_ner.main(argv) == 2
    err = capsys.readouterr().err
    assert "da_news_train.tsv" in err and "--data" in err
    assert not (tmp_path / "out").exists()


def test_without_the_train_extra_the_command_says_how_to_install_it(tmp_path, capsys, monkeypatch):
    # `scripts/run` installs no extras: training then stopped with a traceback (No module named
    # 'wordfreq') after reading the data, rather than saying what to install.
    monkeypatch.setattr(train_ner, "find_spec", lambda name: None if name == "wordfreq" else object())
    argv = ["--lang", "da", "--data", str(tmp_path / "data"), "--out", str(tmp_path / "out")]
    assert train_ner.main(argv) == 2
    err = capsys.readouterr().err
    assert "wordfreq" in err and "scripts/install train" in err
    assert not (tmp_path / "out").exists()


def test_the_train_extra_lists_the_modules_the_check_looks_for():
    import tomllib
    from pathlib import Path

    pyproject = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    extra = {spec.split("=")[0].split(">")[0].lower() for spec in pyproject["project"]["optional-dependencies"]["train"]}
    assert set(train_ner.TRAIN_MODULES.values()) == extra


def test_both_pipelines_get_the_kind_cue_step_after_the_tagger_and_danish_the_quoted_titles():
    from worker.pipeline.crf_ner import FACTORY
    from worker.pipeline.entities import load_ner

    built = {}
    for language in ("da", "en"):
        tagger = load_ner(language).get_pipe(FACTORY)
        built[language] = train_ner.build_pipeline(language, tagger.model_bytes, tagger.lexicon, tagger.feature_copy)
    assert built["da"].pipe_names == [FACTORY, "newsdesk_run_on_names", "newsdesk_name_particles", "newsdesk_kind_cues",
                                      "newsdesk_listed_names", "newsdesk_compound_events", "newsdesk_quoted_titles"]
    assert built["en"].pipe_names == [FACTORY, "newsdesk_kind_cues", "newsdesk_listed_names"]
    # What the model card scores is what the service runs: the taggers alone call these persons.
    doc = built["da"]("Det oplyser konsulentfirmaet Kragh Nielsen.")
    assert [(e.text, e.label_) for e in doc.ents] == [("Kragh Nielsen", "ORG")]
    doc = built["en"]("Facebook said on Monday that Instagram would change.")
    assert [(e.text, e.label_) for e in doc.ents] == [("Facebook", "ORG"), ("Instagram", "ORG")]


def test_training_defaults_are_per_language_and_an_option_overrides_them():
    base = ["--data", "data", "--out", "out"]
    danish = train_ner.parse_args(["--lang", "da", *base])
    english = train_ner.parse_args(["--lang", "en", *base])
    assert (danish.c1, danish.c2, danish.oversample, danish.add_english) == (0.01, 0.05, 2, False)
    assert (english.c1, english.c2, english.oversample, english.add_english) == (0.05, 0.05, 1, False)
    given = train_ner.parse_args(["--lang", "da", *base, "--c1", "0.05", "--oversample", "1", "--add-english"])
    assert (given.c1, given.c2, given.oversample, given.add_english) == (0.05, 0.05, 1, True)


def test_an_oversample_below_one_is_refused(capsys):
    with pytest.raises(SystemExit):
        train_ner.parse_args(["--lang", "da", "--data", "d", "--out", "o", "--oversample", "0"])
    assert "--oversample" in capsys.readouterr().err


def test_sentences_with_an_org_or_misc_name_are_read_as_many_times_as_asked_in_place():
    person = (["Kim", "rejser"], ["B-PER", "O"])
    org = (["Interfax", "melder"], ["B-ORG", "O"])
    misc = (["Jagten", "vandt"], ["B-MISC", "O"])
    plain = (["Det", "regner"], ["O", "O"])
    train = [person, org, plain, misc]
    assert train_ner.oversampled(train, 2) == [person, org, org, plain, misc, misc]
    assert train_ner.oversampled(train, 1) == train


def test_a_danish_sentence_naming_arhus_is_read_once_more_as_the_city_is_spelled_today():
    city = (["i", "Århus", "og", "Århus'", "havn"], ["O", "B-LOC", "O", "B-LOC", "O"])
    university = (["Århus", "Universitet"], ["B-ORG", "I-ORG"])
    plain = (["Det", "regner"], ["O", "O"])
    assert train_ner.with_modern_spellings([city, plain, university], "da") == [
        city, plain, university, (["i", "Aarhus", "og", "Aarhus'", "havn"], city[1]),
        (["Aarhus", "Universitet"], university[1])]
    assert train_ner.with_modern_spellings([city, plain], "en") == [city, plain]


def test_english_sentences_read_beside_danish_have_their_own_feature_copies_and_no_misc(monkeypatch):
    appended = []
    monkeypatch.setattr(train_ner.pycrfsuite.Trainer, "append", lambda self, xseq, yseq: appended.append((xseq, yseq)))
    monkeypatch.setattr(train_ner.pycrfsuite.Trainer, "train", lambda self, path: open(path, "wb").close())
    danish = [(["Kim", "rejser"], ["B-PER", "O"])]
    english = [(["German", "Kim", "travels"], ["B-MISC", "B-PER", "O"])]
    train_ner.train_crf(danish, train_ner.Lexicon({}), 0.01, 0.05, 1, english=english)
    (da_features, da_tags), (en_features, en_tags) = appended
    assert "w=kim" in da_features[0] and "d:w=kim" in da_features[0] and "e:w=kim" not in da_features[0]
    assert "w=kim" in en_features[1] and "e:w=kim" in en_features[1] and "d:w=kim" not in en_features[1]
    assert (da_tags, en_tags) == (["B-PER", "O"], ["O", "B-PER", "O"])
    train_ner.train_crf(danish, train_ner.Lexicon({}), 0.01, 0.05, 1)  # Danish alone: no copies
    assert not any(x.startswith("d:") for x in appended[-1][0][0])


def test_a_model_trained_with_feature_copies_is_saved_and_loaded_reading_them(tmp_path):
    import spacy

    from worker.pipeline.crf_ner import FACTORY

    danish = [(["Kim", "rejser", "til", "Aarhus"], ["B-PER", "O", "O", "B-LOC"])] * 3
    english = [(["Kim", "travels", "to", "London"], ["B-PER", "O", "O", "B-LOC"])] * 3
    model = train_ner.train_crf(danish, train_ner.Lexicon({}), 0.0, 0.01, 20, english=english)
    train_ner.build_pipeline("da", model, train_ner.Lexicon({}), "d:").to_disk(tmp_path / "model")
    tagger = spacy.load(tmp_path / "model").get_pipe(FACTORY)
    assert tagger.feature_copy == "d:" and "d:w=kim" in tagger.featurizer.known
    assert tagger.tagger.tag(tagger.featurizer.sentence(["Kim", "rejser"], [True, False]))[0] == "B-PER"


@pytest.mark.parametrize("language", ["da", "en"])
def test_each_committed_model_names_the_lexicon_sources_its_training_builds_from(language):
    # A source added to the lexicon reaches a model only by retraining it: a card that names
    # other sources than the training code is stale.
    model = ROOT / "worker" / "models" / f"ner-{language}"
    meta = json.loads((model / "meta.json").read_text(encoding="utf-8"))
    assert meta["lexicon_sources"] == list(lexicon.sources(language))
    card = (model / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert all(f"- {source}\n" in card for source in lexicon.sources(language))
