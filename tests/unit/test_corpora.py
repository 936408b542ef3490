"""The corpus readers on tiny inline samples (never the shared data)."""

from __future__ import annotations

import pytest

from worker.training.corpora import CorpusFormatError, read_conll, read_danplus, read_uner, repair_iob

DANPLUS = (
    "På\tO\tO\nfredag\tO\tO\nhar\tO\tO\nSID\tB-ORG\tO\ninviteret\tO\tO\ntil\tO\tO\n"
    "SID-huset\tB-ORGpart\tO\nog\tO\tO\nKjeld\tB-PER\tO\nChristensen\tI-PER\tO\n.\tO\tO\n"
    "\n"
    "De\tO\tO\ndanske\tB-LOCderiv\tO\nNew\tB-MISCpart\tO\nYork-aviser\tI-MISCpart\tO\n"
    "Danmarks\tB-LOC\tO\nRadio\tI-LOC\tB-ORG\n"  # last sentence has no trailing blank line
)

CONLL = (
    "-DOCSTART- -X- -X- O\n\n"
    "EU NNP B-NP B-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP B-MISC\ncall NN I-NP O\n\n"
    "Peter NNP B-NP B-PER\nBlackburn NNP I-NP I-PER\n\n"
    "-DOCSTART- -X- -X- O\n\n"
    "BRUSSELS NNP B-NP B-LOC\n"
)

UNER = (
    "# newdoc id = n01001\n# sent_id = n01001-0001\n# text = Obama met the United States team.\n"
    "1\tObama\tB-PER\t-\tx\n2\tmet\tO\t-\t-\n3\tthe\tO\t-\t-\n4\tUnited\tB-LOC\t-\tx\n"
    "5\tStates\tI-LOC\t-\tx\n6\tteam\tO\t-\t-\n7\t.\tO\t-\t-\n\n"
    "# sent_id = w01001-0001\n# text = Google is big.\n"
    "1\tGoogle\tB-ORG\t-\tx\n2\tis\tO\t-\t-\n3\tbig\tO\t-\t-\n4\t.\tO\t-\t-\n"
)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_read_danplus_layer1_and_subtypes_as_o(tmp_path):
    sentences = read_danplus(write(tmp_path, "da.tsv", DANPLUS))
    assert len(sentences) == 2
    words, tags = sentences[0]
    assert words[3] == "SID" and tags[3] == "B-ORG"
    assert tags[6] == "O"  # B-ORGpart
    assert tags[8:10] == ["B-PER", "I-PER"]
    words, tags = sentences[1]
    assert words == ["De", "danske", "New", "York-aviser", "Danmarks", "Radio"]
    assert tags == ["O", "O", "O", "O", "B-LOC", "I-LOC"]  # layer 2 (B-ORG) ignored


def test_read_conll_skips_docstart(tmp_path):
    sentences = read_conll(write(tmp_path, "en.txt", CONLL))
    assert [words for words, _ in sentences] == [["EU", "rejects", "German", "call"], ["Peter", "Blackburn"], ["BRUSSELS"]]
    assert sentences[0][1] == ["B-ORG", "O", "B-MISC", "O"]
    assert sentences[2][1] == ["B-LOC"]


def test_read_uner_and_news_only(tmp_path):
    path = write(tmp_path, "en.iob2", UNER)
    sentences = read_uner(path)
    assert len(sentences) == 2
    assert sentences[0] == (["Obama", "met", "the", "United", "States", "team", "."],
                            ["B-PER", "O", "O", "B-LOC", "I-LOC", "O", "O"])
    assert read_uner(path, news_only=True) == sentences[:1]


def test_repair_iob_turns_orphan_i_into_b():
    assert repair_iob(["O", "I-PER", "I-PER", "I-LOC", "O"]) == ["O", "B-PER", "I-PER", "B-LOC", "O"]


def test_readers_ignore_a_byte_order_mark(tmp_path):
    # Files saved by Windows editors start with a UTF-8 BOM (and often use CRLF line endings).
    def with_bom(name, text):
        path = tmp_path / name
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
        return path

    assert read_danplus(with_bom("da.tsv", DANPLUS)) == read_danplus(write(tmp_path, "da2.tsv", DANPLUS))
    assert read_conll(with_bom("en.txt", CONLL)) == read_conll(write(tmp_path, "en2.txt", CONLL))
    path = with_bom("en.iob2", UNER)
    assert read_uner(path) == read_uner(write(tmp_path, "en2.iob2", UNER))
    assert len(read_uner(path, news_only=True)) == 1  # the first sentence keeps its sent_id


@pytest.mark.parametrize("reader, others", [
    (read_danplus, {"en.txt": CONLL, "en.iob2": UNER}),
    (read_conll, {"da.tsv": DANPLUS, "en.iob2": UNER}),
    (read_uner, {"da.tsv": DANPLUS, "en.txt": CONLL}),
])
def test_a_file_of_another_format_is_an_error_not_all_o(tmp_path, reader, others):
    # Read as DaN+, a CoNLL line is one word tagged O; read as CoNLL, a DaN+ line gives layer 2.
    for name, text in others.items():
        path = write(tmp_path, name, text)
        with pytest.raises(CorpusFormatError, match=rf"{name}, line \d+"):
            reader(path)
