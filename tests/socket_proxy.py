"""A proxy in front of a Redis unix socket, as the network between a client and Redis: tests
make it fail the way a network does (closing connections, losing a reply)."""

from __future__ import annotations

import socket
import threading
from pathlib import Path


class SocketProxy:
    """Listens at `path` and joins each connection to a new one to `target`; a subclass says
    which connections it takes (`_admit`) and how bytes go between the two (`_join`)."""

    def __init__(self, target: str | Path, path: str | Path):
        self.target = str(target)
        self.listener = socket.socket(socket.AF_UNIX)
        self.listener.bind(str(path))
        self.listener.listen()
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self.listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self._admit():
                client.close()
                continue
            server = socket.socket(socket.AF_UNIX)
            server.connect(self.target)
            self._join(client, server)

    def _admit(self) -> bool:
        return True

    def _join(self, client: socket.socket, server: socket.socket) -> None:
        raise NotImplementedError


def recv(sock: socket.socket) -> bytes:
    """What the socket has, or b"" once it is closed (from either side)."""
    try:
        return sock.recv(65536)
    except OSError:
        return b""
