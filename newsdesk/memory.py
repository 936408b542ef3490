"""Handing the memory a process freed back to the system: workers after every task
(worker/memory.py), the API after a large request body (service/body.py), and as it frees a
large block (map_large_blocks, the API).

glibc's malloc keeps the pages of the blocks it frees, for its next allocations, in an arena per
thread; malloc_trim(0) hands those of every arena back. Python's own small-object arenas are not
malloc's and are not concerned: they go back only once empty. Where the C library is not glibc
(musl, macOS) there is nothing to call, and nothing is done.
"""

from __future__ import annotations

import ctypes
import ctypes.util


# mallopt's parameter for the mmap threshold (malloc.h), and the threshold the API sets: above a
# batch's reading pieces (up to 1 MB of text at a time, service/json_stream.py), which mapped and
# unmapped each time took a 50 MB batch 1.0 -> 1.8 s of CPU at glibc's starting 128 KiB (1.1-1.2
# at this one); below the text of a large article (2 bytes a character beyond U+00FF).
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 1024 * 1024


def _libc_function(name: str, argtypes: list):
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        function = getattr(libc, name)
    except (OSError, AttributeError):
        return None
    function.argtypes, function.restype = argtypes, ctypes.c_int
    return function


malloc_trim = _libc_function("malloc_trim", [ctypes.c_size_t])
mallopt = _libc_function("mallopt", [ctypes.c_int, ctypes.c_int])


def give_back() -> bool:
    """Return malloc's free pages to the system; False where there is no malloc_trim."""
    if malloc_trim is None:
        return False
    malloc_trim(0)
    return True


def map_large_blocks() -> bool:
    """Have malloc map each block of MMAP_THRESHOLD bytes or more for itself, and unmap it as it
    is freed; False where there is no mallopt. glibc maps blocks from 128 KiB on at first, but
    raises that threshold to the size of each mapped block freed (up to 32 MB), and then takes
    large blocks from its arenas, one per thread, whose pages stay with the process: an API
    process whose 16 threads had each parsed a 1 MB article (two at a time) peaked 5-10 MB
    higher for it, and stayed 25 MB higher after (bench/api_memory.py)."""
    if mallopt is None:
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))
