"""The subcommands that hand their arguments on name themselves in their usage, as typed."""

from __future__ import annotations

import pytest

from newsdesk import cli


@pytest.mark.parametrize("command", [["eval", "entities"], ["eval", "summaries"], ["train", "ner"]])
def test_usage_names_the_command_as_typed(capsys, command):
    with pytest.raises(SystemExit) as exited:
        cli.main([*command, "--help"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: newsdesk {' '.join(command)} ")


@pytest.mark.parametrize("argv, message", [
    (["serve", "--workers", "-1"], "--workers: must be 0 or more, got -1"),
    (["serve", "--api-workers", "0"], "--api-workers: must be 1 or more, got 0"),
    (["serve", "--port", "70000"], "--port: must be 1-65535, got 70000"),
    (["serve", "--port", "http"], "--port: not a whole number: 'http'"),
    (["worker", "--concurrency", "0"], "--concurrency: must be 1 or more, got 0"),
])
def test_counts_and_ports_out_of_range_are_usage_errors(capsys, argv, message):
    # They were taken as given: `serve --workers -1` served "with -1 worker(s)", `--api-workers 0`
    # never answered, `--port 70000` ended in an OverflowError traceback.
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


def test_serve_may_run_the_api_without_workers():
    args = cli.build_parser().parse_args(["serve", "--workers", "0"])
    assert args.workers == 0 and args.port == 8000 and args.api_workers == 2


@pytest.mark.parametrize("command", [["analyze"], ["submit", "--no-wait"]])
def test_a_file_that_cannot_be_read_is_named_as_the_other_errors_are(capsys, tmp_path, command):
    missing = tmp_path / "missing.json"
    missing.with_suffix(".txt").write_bytes(b"\xff\xfe not UTF-8")
    path = missing if command == ["analyze"] else missing.with_suffix(".txt")
    assert cli.main([*command, str(path)]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"newsdesk: {path}: ")
