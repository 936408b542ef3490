"""Webhook safety and signing, shared by the API (checks at submit) and the workers (delivery).

SSRF guard: a callback may only reach public addresses. The host is resolved and every address
it resolves to must be global unicast, unless NEWSDESK_WEBHOOK_ALLOW names the host, address or
network. It is checked at submit and again just before each delivery, after a fresh DNS lookup,
because a name can be re-pointed in between.

Signing: each API key has its own secret, derived from a server secret (NEWSDESK_WEBHOOK_SECRET,
or one generated once and kept in Redis so every API and worker process shares it). The
signature covers a timestamp and the exact body bytes, as `Newsdesk-Signature: t=...,v1=...`.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import socket
import time
from urllib.parse import urlsplit

import redis

SIGNATURE_HEADER = "Newsdesk-Signature"
_SECRET_KEY = "newsdesk:webhook:secret"


class UnsafeCallback(ValueError):
    """The callback URL may not be called: the message says why."""


class UnresolvedCallback(UnsafeCallback):
    """The callback's host name does not resolve (now)."""


def parse_allow_list(raw: str) -> tuple[frozenset[str], tuple]:
    hosts, networks = set(), []
    for item in filter(None, (part.strip() for part in raw.split(","))):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            hosts.add(item.lower())
    return frozenset(hosts), tuple(networks)


def _blocked(address: ipaddress._BaseAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    # Not global covers loopback, private, link-local (incl. 169.254.169.254 metadata),
    # shared and reserved ranges; multicast can be "global" and is refused too.
    return not address.is_global or address.is_multicast


def check_callback(url: str, allow: str = "") -> list[str]:
    """The addresses `url` may be called at; raises UnsafeCallback when it must not be."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeCallback("Only http and https callback URLs with a host are allowed.")
    hosts, networks = parse_allow_list(allow)
    host = parts.hostname.lower()
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise UnresolvedCallback(f"The callback host {host!r} cannot be resolved.") from exc
    addresses = sorted({info[4][0] for info in infos})
    if host in hosts:
        return addresses
    for text in addresses:
        address = ipaddress.ip_address(text.split("%")[0])
        if _blocked(address) and not any(address in network for network in networks):
            raise UnsafeCallback(
                f"The callback host {host!r} resolves to {text}, a loopback, private, "
                f"link-local, multicast or reserved address; calls there are refused "
                f"(an operator can allow it with NEWSDESK_WEBHOOK_ALLOW)."
            )
    return addresses


def server_secret(client: redis.Redis, configured: str = "") -> bytes:
    if configured:
        return configured.encode()
    # Read before writing: a full Redis refuses even a SET NX that would change nothing.
    secret = client.get(_SECRET_KEY)
    if secret is None:
        client.set(_SECRET_KEY, secrets.token_hex(32), nx=True)
        secret = client.get(_SECRET_KEY)
    return secret


def key_secret(server: bytes, owner: str) -> str:
    """The signing secret of one API key (`owner` is its key id)."""
    return "whsec_" + hmac.new(server, owner.encode(), hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, body: bytes, header: str, tolerance: int = 300) -> bool:
    """What a receiver does: check the signature and refuse replays older than `tolerance`."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    expected = sign(secret, body, timestamp).split("v1=", 1)[1]
    return abs(time.time() - timestamp) <= tolerance and hmac.compare_digest(expected, fields.get("v1", ""))
