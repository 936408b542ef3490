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
