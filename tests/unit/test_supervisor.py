"""`newsdesk serve`'s start-up checks and the command lines it runs, without starting anything."""

from __future__ import annotations

import socket

import pytest

from newsdesk.supervisor import api_argv, check_port_free, host_port


def test_ipv6_hosts_are_bracketed_in_the_bind_address_and_url():
    assert host_port("::1", 8000) == "[::1]:8000"
    assert host_port("127.0.0.1", 8000) == "127.0.0.1:8000"
    argv = api_argv("::1", 8000, 2)
    assert argv[argv.index("--bind") + 1] == "[::1]:8000"


def test_a_port_someone_listens_on_is_refused_with_a_message():
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        with pytest.raises(SystemExit, match=f"Cannot listen on 127.0.0.1:{port}"):
            check_port_free("127.0.0.1", port)
    check_port_free("127.0.0.1", port)  # free again: no error
