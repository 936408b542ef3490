"""API keys: read from configuration, kept and compared only as SHA-256 hashes.

Keys are long random secrets (not passwords), so an unsalted SHA-256 is the right tool: it lets
the process forget the keys themselves, and a leaked hash does not help to guess a key.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path
from typing import Iterable, Mapping

ANONYMOUS = "anonymous"
MIN_KEY_LENGTH = 16


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_id(key_hash: str) -> str:
    """A short, stable, non-secret name for a key: what jobs and logs record as their owner."""
    return "key_" + key_hash[:12]


def _keys_from(env: Mapping[str, str]) -> Iterable[str]:
    yield from env.get("NEWSDESK_API_KEYS", "").split(",")
    path = env.get("NEWSDESK_API_KEYS_FILE")
    if path:
        for line in _read_keys_file(path).splitlines():
            if not line.lstrip().startswith("#"):
                yield line


def _read_keys_file(path: str) -> str:
    # A ValueError is what the CLI reports as a setting's error, rather than a traceback.
    # utf-8-sig: an editor's byte order mark must not become part of the first key.
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ValueError(f"NEWSDESK_API_KEYS_FILE cannot be read: {path}: {exc.strerror}") from None


def load_key_hashes(env: Mapping[str, str]) -> frozenset[str]:
    keys = [key.strip() for key in _keys_from(env) if key.strip()]
    short = [key for key in keys if len(key) < MIN_KEY_LENGTH]
    if short:
        raise ValueError(f"API keys must be at least {MIN_KEY_LENGTH} characters; "
                         f"{len(short)} configured key(s) are shorter")
    return frozenset(hash_key(key) for key in keys)


def identify(presented: str, key_hashes: frozenset[str]) -> str | None:
    """The key id of a presented key, comparing against every hash in constant time."""
    candidate = hash_key(presented)
    found = None
    for known in key_hashes:
        if hmac.compare_digest(candidate, known):
            found = known
    return key_id(found) if found else None
