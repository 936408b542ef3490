"""Handing the memory a process freed back to the system: workers after every task
(worker/memory.py), the API after a large request body (service/body.py).

glibc's malloc keeps the pages of the blocks it frees, for its next allocations, in an arena per
thread; malloc_trim(0) hands those of every arena back. Python's own small-object arenas are not
malloc's and are not concerned: they go back only once empty. Where the C library is not glibc
(musl, macOS) there is nothing to call, and nothing is done.
"""

from __future__ import annotations

import ctypes
import ctypes.util


def _malloc_trim():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


malloc_trim = _malloc_trim()


def give_back() -> bool:
    """Return malloc's free pages to the system; False where there is no malloc_trim."""
    if malloc_trim is None:
        return False
    malloc_trim(0)
    return True
