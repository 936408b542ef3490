"""The pipeline as a plain function and as `newsdesk analyze` (no Redis, no Celery)."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from newsdesk.cli import main
from tests.conftest import DANISH_SEED, SEEDS, load_seed
from tests.result_checks import check_danish_seed, check_result
from worker.pipeline.analyze import analyze_article


@pytest.mark.parametrize("path", SEEDS, ids=[p.stem for p in SEEDS])
def test_seed_results_keep_their_invariants(path):
    article = load_seed(path)
    check_result(article, analyze_article(article))


def test_danish_seed_entities_and_summary():
    check_danish_seed(analyze_article(load_seed(DANISH_SEED)))


def test_english_seed_is_detected_and_has_entities():
    article = load_seed(next(p for p in SEEDS if p.name == "en-lunar-lander.json"))
    assert article["language"] == "auto"
    result = analyze_article(article)
    assert result["language"] == "en" and result["language_source"] == "detected"
    assert any(g["label"] == "LOC" and "India" in g["name"] for g in result["entities"])
    assert result["models"]["ner"]


def test_an_article_in_a_language_without_a_model_gets_no_entities_from_another_language_model():
    # Vietnamese was detected as Danish, and the Danish model found "Việt Nam hôm thứ Hai đã công".
    article = {"text": "Chính phủ Việt Nam hôm thứ Hai đã công bố kế hoạch phát triển năng lượng tái tạo. "
                       "Bộ trưởng Bộ Công Thương cho biết điện gió sẽ được ưu tiên."}
    result = analyze_article(article)
    assert result["language"] == "vi" and result["language_source"] == "detected"
    assert result["entities"] == [] and result["models"] == {"ner": None}
    assert [w["code"] for w in result["warnings"]] == ["entities_unsupported_language"]


def test_salience_rewards_mentions_an_early_start_the_title_and_the_summary():
    article = {"title": "Mette Frederiksen i Aarhus",
               "text": "Mette Frederiksen talte i Aarhus. Frederiksen sagde ja. Senere kom Lars Løkke Rasmussen til.",
               "language": "da", "options": {"summary_sentences": 1}}
    groups = {g["name"]: g for g in analyze_article(article)["entities"]}
    frederiksen, rasmussen = groups["Mette Frederiksen"], groups["Lars Løkke Rasmussen"]
    # Most mentions, first in the text, in the title and in the one-sentence summary: the maximum.
    assert frederiksen["salience"] == 1.0
    assert 0 < rasmussen["salience"] < groups["Aarhus"]["salience"] < frederiksen["salience"]


def test_names_in_a_teaser_or_a_photo_credit_are_not_the_articles():
    # The text read in NFC ("Zoe\u0301"), so that the ranges set aside are found in the text as read.
    article = {"title": "Zoe\u0301 Larsen i Aarhus", "language": "da",
               "text": "Zoe\u0301 Larsen talte i Aarhus tirsdag.\n\nLÆS OGSÅ: Gallup: Ny måling til Søvndal\n\n"
                       "Larsen vil bygge en ny skole.\n\nFoto: Mads Nissen/Ritzau Scanpix\n"}
    result = analyze_article(article)
    check_result(article, result)
    assert {g["name"] for g in result["entities"]} == {"Zoé Larsen", "Aarhus"}


@pytest.mark.parametrize("opening", ["Publiceret 12. marts 2019 kl. 14.05 | Opdateret 13. marts 2019 kl. 09.12\n\n",
                                     "Af Jens Peter Hansen, jph@avisen.dk\n\n", "Foto: Mads Nissen/Ritzau Scanpix\n",
                                     "Tirsdag 12. marts 2019 kl. 14.05\n\n"])
@pytest.mark.parametrize("lead", [
    "Puha. Det må træneren Aurelius Skarbalius have tænkt, da første halvleg blev fløjtet af på Brøndby Stadion.",
    "TOKYO - Så sent som den 12. juni stod Kinas aktiemarked på den højeste tinde siden 1990.",
])
def test_a_timestamp_byline_or_credit_before_the_lead_changes_none_of_its_names(opening, lead):
    # Read as words, such lines had made "Puha" a person and "TOKYO" an organisation.
    article = {"text": opening + lead, "language": "da"}
    result = analyze_article(article)
    check_result(article, result)
    alone = analyze_article({"text": lead, "language": "da"})
    assert {(g["label"], g["name"]) for g in result["entities"]} == {(g["label"], g["name"]) for g in alone["entities"]}


def test_an_english_stamp_before_the_lead_names_no_time_zone():
    lead = "The Severn Bridge reopened on Monday after the storm, National Highways said."
    article = {"text": f"Published 12 March 2019, 14:05 GMT | Updated 13 March 2019\n\n{lead}", "language": "en"}
    result = analyze_article(article)
    check_result(article, result)
    alone = analyze_article({"text": lead, "language": "en"})
    assert {(g["label"], g["name"]) for g in result["entities"]} == {(g["label"], g["name"]) for g in alone["entities"]}


@pytest.mark.parametrize("site", [" | Sport | Avisen.dk", " | SE og HØR"])
def test_the_sites_name_after_a_pages_title_is_none_of_the_articles_names(site):
    # Read as words, "Brøndby | Sport" had been named, and "SE og HØR".
    text = "Brøndby vandt søndag over FC Midtjylland i Superligaen. Det skriver Ritzau."
    titled = {"title": "FCM tabte til Brøndby" + site, "text": text, "language": "da"}
    result = analyze_article(titled)
    check_result(titled, result)
    alone = analyze_article({"title": "FCM tabte til Brøndby", "text": text, "language": "da"})
    assert {(g["label"], g["name"], g["count"]) for g in result["entities"]} == {
        (g["label"], g["name"], g["count"]) for g in alone["entities"]}


@pytest.mark.parametrize("apostrophe", ["´", "`"])
def test_a_genitive_typed_with_an_accent_for_its_apostrophe_names_what_the_apostrophe_does(apostrophe):
    text = "Danmark er blevet kritiseret af FN{}s Torturkomité for brugen af isolation, skriver Ritzau."
    article = {"text": text.format(apostrophe), "language": "da"}
    result = analyze_article(article)
    check_result(article, result)
    typed = analyze_article({"text": text.format("'"), "language": "da"})
    assert {(g["label"], g["name"]) for g in result["entities"]} == {(g["label"], g["name"]) for g in typed["entities"]}


def test_title_mentions_point_into_the_title():
    article = {"title": "Putin mødes med Kim Jong-un", "text": "Vladimir Putin tog imod Kim Jong-un i Vladivostok.",
               "language": "da"}
    result = analyze_article(article)
    fields = {m["field"] for g in result["entities"] for m in g["mentions"]}
    assert "title" in fields
    check_result(article, result)


def test_summary_max_chars_is_respected():
    article = load_seed(DANISH_SEED) | {"options": {"summary_sentences": 5, "summary_max_chars": 300}}
    summary = analyze_article(article)["summary"]
    assert 1 <= len(summary["sentences"]) < 5
    assert len(summary["text"]) <= 300



@pytest.mark.parametrize("text", ["东京是日本的首都。北京是中国的首都，有两千多万人口。上海是中国最大的城市。",
                                  "東京は日本の首都です。大阪は商業の街です。"])
def test_languages_written_without_spaces_get_a_summary(text):
    result = analyze_article({"text": text})
    assert result["summary"]["sentences"]
    assert "summary_empty" not in {w["code"] for w in result["warnings"]}
    check_result({"text": text}, result)


@pytest.mark.parametrize("text", ["Hej", "  Hej!  ", "東"])
def test_a_single_word_gets_no_summary_but_a_warning(text):
    result = analyze_article({"text": text, "language": "da"})
    assert result["summary"]["sentences"] == []
    assert result["warnings"][0]["code"] == "summary_empty"

def run_cli(args, stdin: str = "") -> tuple[int, str]:
    out, old_in, old_out = io.StringIO(), sys.stdin, sys.stdout
    # As a terminal's or a pipe's stdin: bytes underneath, read with universal newlines.
    sys.stdin, sys.stdout = io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8"), out
    try:
        status = main(args)
    finally:
        sys.stdin, sys.stdout = old_in, old_out
    return status, out.getvalue()


def test_cli_analyze_prints_what_the_pipeline_returns():
    status, out = run_cli(["analyze", str(DANISH_SEED)])
    assert status == 0
    assert json.loads(out) == analyze_article(load_seed(DANISH_SEED) | {"options": {"summary_sentences": 3}})


def test_cli_analyze_json_lines_in_order_and_plain_text_from_stdin():
    lines = [json.dumps({"text": f"Artikel nummer {i}. Den handler om Danmark og Sverige.", "language": "da"})
             for i in range(3)]
    status, out = run_cli(["analyze", "-"], stdin="\n".join(lines) + "\n")
    results = [json.loads(line) for line in out.splitlines()]
    assert status == 0 and len(results) == 3
    assert [r["summary"]["sentences"][0]["text"][:17] for r in results] == [f"Artikel nummer {i}." for i in range(3)]

    status, out = run_cli(["analyze", "-"], stdin="The Prime Minister visited Berlin on Monday. He met the Chancellor.")
    assert status == 0 and json.loads(out)["language"] == "en"


@pytest.mark.parametrize("line_end", ["\r\n", "\r"])
@pytest.mark.parametrize("source", ["file", "stdin"])
def test_cli_analyze_offsets_index_the_text_as_it_is_with_its_line_ends(tmp_path, source, line_end):
    text = ("Kim Jong-un mod Rusland\n\n" + load_seed(DANISH_SEED)["text"]).replace("\n", line_end)
    path = tmp_path / "article.txt"
    path.write_bytes(text.encode("utf-8"))
    status, out = run_cli(["analyze", str(path)]) if source == "file" else run_cli(["analyze", "-"], stdin=text)
    assert status == 0
    result = json.loads(out)
    assert result["entities"]
    check_result({"text": text}, result)


@pytest.mark.parametrize("character", ["\u2028", "\u2029", "\x85"])
@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
def test_cli_analyze_json_lines_keep_line_separators_inside_their_strings(character, line_end):
    # JSON may carry these unescaped; only "\n" ends a line of JSON Lines.
    articles = [{"text": f"Mette Frederiksen talte i Aarhus.{character}Hun mødte Jakob Ellemann-Jensen.", "language": "da"},
                {"text": "Lars Løkke Rasmussen besøgte Odense i går.", "language": "da"}]
    lines = line_end.join(json.dumps(article, ensure_ascii=False) for article in articles) + line_end
    status, out = run_cli(["analyze", "-"], stdin=lines)
    assert status == 0
    results = [json.loads(line) for line in out.split("\n") if line]
    assert len(results) == 2
    for article, result in zip(articles, results):
        check_result(article, result)


def test_cli_analyze_refuses_an_invalid_article():
    status, out = run_cli(["analyze", "-"], stdin=json.dumps({"text": ""}))
    assert status == 2 and out == ""


ARTICLE = {"title": "Mette Frederiksen i Aarhus", "text": "Mette Frederiksen talte i Aarhus i dag.", "language": "da"}


def test_cli_analyze_reads_a_json_file_with_a_byte_order_mark(tmp_path):
    path = tmp_path / "bom.json"
    path.write_text(json.dumps(ARTICLE), encoding="utf-8-sig")
    status, out = run_cli(["analyze", str(path)])
    assert status == 0 and json.loads(out) == analyze_article(dict(ARTICLE))


def test_cli_analyze_treats_text_starting_with_a_brace_as_plain_text():
    status, out = run_cli(["analyze", "-"], stdin="{Breaking} news from Berlin. The Chancellor met the press.")
    assert status == 0 and json.loads(out)["language"] == "en"


def unreadable_files(folder):
    (folder / "lines.jsonl").write_text('{"text": "Hej"}\n{"text": \n', encoding="utf-8")
    (folder / "latin1.txt").write_bytes("Århus".encode("latin-1"))
    return {"lines.jsonl": "line 2", "latin1.txt": "UTF-8", "missing.json": "No such file"}


@pytest.mark.parametrize("name", ["lines.jsonl", "latin1.txt", "missing.json"])
def test_cli_analyze_reports_an_unreadable_file_without_a_traceback(tmp_path, capsys, name):
    reason = unreadable_files(tmp_path)[name]
    status, out = run_cli(["analyze", str(tmp_path / name)])
    err = capsys.readouterr().err
    assert status == 2 and out == ""
    assert err.startswith(f"newsdesk: {tmp_path / name}: ") and reason in err and "Traceback" not in err


def test_cli_analyze_into_a_reader_that_stops_early_ends_without_a_traceback(tmp_path):
    # `newsdesk analyze many.jsonl | head -1` printed a BrokenPipeError traceback once head exited.
    articles = tmp_path / "many.jsonl"
    articles.write_text((json.dumps(load_seed(DANISH_SEED)) + "\n") * 60, encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "newsdesk", "analyze", str(articles)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert json.loads(process.stdout.readline())["language"] == "da"
    process.stdout.close()  # as head does; the results left fill more than a pipe holds
    err = process.stderr.read().decode()
    assert process.wait(60) == 1
    assert "Traceback" not in err and "Exception ignored" not in err, err
