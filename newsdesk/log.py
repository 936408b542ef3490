"""Structured logs: one JSON object per line, with the event's fields (job id, key id, sizes,
durations) as keys. Article text is never logged."""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone

# Attributes every LogRecord has; anything else on a record came in through `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


# One encoder for every line: json.dumps with options builds a new one each time.
_encode = json.JSONEncoder(default=str, ensure_ascii=False).encode


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return _encode(entry)


def configure(level: str = "INFO") -> None:
    """Send every logger's records to stderr as JSON lines (replacing earlier handlers)."""
    # Our lines never show the caller's file and line, thread or process name, so records need
    # not find them (the logging HOWTO's "Optimization"): half the cost of a line, 40 µs here.
    # The process id stays: gunicorn's own lines in the same process print it (%(process)d).
    logging._srcfile = None
    logging.logThreads = logging.logMultiprocessing = False
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.captureWarnings(True)  # a warning is a line of its own too, not several of text
