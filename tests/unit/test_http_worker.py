"""The API's gunicorn worker's connection (service/http_worker.py), over a real socket pair."""

from __future__ import annotations

import errno
import socket
import time

import pytest

from service.http_worker import ClientSocket, RequestTimeout


@pytest.fixture
def pair():
    ours, theirs = socket.socketpair()
    conn = ClientSocket.adopt(ours, client_timeout=0.2)
    yield conn, theirs
    conn.close()
    theirs.close()


def test_a_head_is_ready_only_once_complete_and_is_read_back_first(pair):
    conn, client = pair
    assert conn.gather(b"") == "wait"  # nothing yet
    client.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
    assert conn.gather(b"") == "wait"
    client.sendall(b"\r\n{body")
    assert conn.gather(b"") == "ready"
    conn.setblocking(True)
    assert conn.recv(1 << 16) == b"GET / HTTP/1.1\r\nHost: x\r\n\r\n{body"


def test_a_head_already_buffered_by_the_parser_counts(pair):
    conn, _ = pair
    assert conn.gather(b"GET / HTTP/1.1\r\n\r\n") == "ready"  # pipelined: read ahead earlier


def test_a_head_not_complete_in_time_is_late(pair):
    conn, client = pair
    client.sendall(b"GET / HTTP/1.1\r\n")
    assert conn.gather(b"") == "wait"
    time.sleep(0.3)
    assert conn.gather(b"") == "late"


def test_a_blocking_read_of_a_head_ends_in_request_timeout(pair):
    conn, client = pair
    client.sendall(b"GET / HTTP/1.1\r\n")
    conn.gather(b"")
    conn.setblocking(True)
    assert conn.recv(100) == b"GET / HTTP/1.1\r\n"
    with pytest.raises(RequestTimeout):
        conn.recv(100)


def test_a_stalled_body_read_times_out(pair):
    conn, _ = pair
    conn.body_started()
    conn.setblocking(True)
    with pytest.raises(TimeoutError):
        conn.recv(100)


def test_an_answer_the_client_does_not_read_is_given_up_as_a_broken_pipe(pair):
    conn, _ = pair  # the other end never reads
    conn.setblocking(True)
    with pytest.raises(BrokenPipeError) as raised:
        conn.sendall(b"x" * (64 << 20))
    assert raised.value.errno == errno.EPIPE


def test_an_answer_read_as_it_comes_is_sent_whole(pair):
    conn, client = pair
    conn.setblocking(True)
    conn.sendall(b"answer")
    assert client.recv(100) == b"answer"
