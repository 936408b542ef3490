"""The entity evaluation's scoring, on sentences small enough to check by hand."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Span

from worker.evaluation.entities import evaluate_documents, evaluate_nlp, gold_spans, main, score
from worker.pipeline.entities import load_ner

SENTENCES = [
    (["Mette", "Frederiksen", "talte", "i", "Aarhus", "."], ["B-PER", "I-PER", "O", "O", "B-LOC", "O"]),
    (["Hun", "mødte", "Vladimir", "Putin", "."], ["O", "O", "B-PER", "I-PER", "O"]),
    (["Det", "regnede", "."], ["O", "O", "O"]),
]
LABELS = {"PER", "LOC", "ORG", "MISC"}


def test_gold_spans_read_iob2():
    assert gold_spans(["B-PER", "I-PER", "O", "I-LOC", "B-ORG", "B-ORG"]) == {
        (0, 2, "PER"), (3, 4, "LOC"), (4, 5, "ORG"), (5, 6, "ORG")}


def test_score_counts_exact_spans_with_their_label():
    predicted = [{(0, 2, "PER"), (4, 5, "ORG")}, {(2, 4, "PER")}, set()]
    result = score(predicted, SENTENCES, LABELS)
    assert result["overall"] == {"p": 66.67, "r": 66.67, "f": 66.67, "support": 3}
    assert result["untyped"]["f"] == 100.0  # the wrong label was on the right span
    assert result["per_type"]["LOC"]["r"] == 0.0


def test_documents_of_one_sentence_score_as_the_sentences_do():
    nlp = load_ner("da")
    alone = evaluate_nlp(nlp, SENTENCES, LABELS)
    documents = evaluate_documents(nlp, SENTENCES, LABELS, size=1)
    for mode in ("whole", "sentences"):
        assert documents[mode]["overall"] == alone["overall"]
    assert alone["overall"]["support"] == 3


def test_missing_data_file_is_a_clear_error(tmp_path, capsys):
    missing = tmp_path / "missing.tsv"
    assert main(["--data", str(missing), "--format", "danplus", "--lang", "da"]) == 2
    assert str(missing) in capsys.readouterr().err
    assert main(["--data", str(tmp_path), "--format", "danplus", "--lang", "da"]) == 2  # a folder
    assert str(tmp_path) in capsys.readouterr().err


def test_language_without_a_model_is_a_usage_error(tmp_path, capsys):
    path = tmp_path / "da.tsv"
    path.write_text("Aarhus\tB-LOC\tO\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["--data", str(path), "--format", "danplus", "--lang", "xx"])
    assert exit_info.value.code == 2
    assert "xx" in capsys.readouterr().err


def test_data_of_another_format_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "en.txt"
    path.write_text("-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n", encoding="utf-8")
    assert main(["--data", str(path), "--format", "danplus", "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "en.txt, line 1" in err and "DaN+" in err
    empty = tmp_path / "empty.tsv"
    empty.write_text("\n", encoding="utf-8")
    assert main(["--data", str(empty), "--format", "danplus", "--lang", "da"]) == 2
    assert "no sentences" in capsys.readouterr().err


@pytest.mark.parametrize("size", ["-1", "-4", "x"])
def test_documents_must_be_a_positive_count(tmp_path, capsys, size):
    # range(0, n, -1) is empty: a negative size used to score no sentence at all, as 0.00 everywhere.
    path = tmp_path / "da.tsv"
    path.write_text("Aarhus\tB-LOC\tO\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["--data", str(path), "--format", "danplus", "--lang", "da", "--documents", size])
    assert exit_info.value.code == 2
    assert "--documents" in capsys.readouterr().err


def test_documents_size_is_checked_by_the_function_too():
    with pytest.raises(ValueError):
        evaluate_documents(load_ner("da"), SENTENCES, LABELS, size=-2)


@Language.component("test_entity_across_sentences")
def _entity_across_sentences(doc):
    """Tags "Mette Frederiksen" right, and "Aarhus Hun", which runs into the next sentence."""
    words = [t.text for t in doc]
    aarhus = words.index("Aarhus")
    doc.ents = [Span(doc, 0, 2, label="PER"), Span(doc, aarhus, aarhus + 2, label="LOC")]
    return doc


def test_documents_count_an_entity_across_sentences_as_wrong():
    nlp = spacy.blank("da")
    nlp.add_pipe("test_entity_across_sentences")
    sentences = [(["Mette", "Frederiksen", "talte", "i", "Aarhus"], ["B-PER", "I-PER", "O", "O", "B-LOC"]),
                 (["Hun", "sov", "."], ["O", "O", "O"])]
    for mode, result in evaluate_documents(nlp, sentences, LABELS, size=2).items():
        # Two predictions, one right: the span that crosses the boundary is a false positive.
        assert result["overall"] == {"p": 50.0, "r": 50.0, "f": 50.0, "support": 2}, mode
        assert result["untyped"]["p"] == 50.0, mode
