"""The JSON log lines, and what configuring them leaves to other loggers in the process."""

from __future__ import annotations

import json
import logging

import pytest

from newsdesk import log


@pytest.fixture(autouse=True)
def restored_logging():
    """configure() sets process-wide state: put it back for the tests that follow."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level, logging._srcfile, logging.logThreads, logging.logMultiprocessing
    yield
    root.handlers[:], level, logging._srcfile, logging.logThreads, logging.logMultiprocessing = saved
    root.setLevel(level)


def test_lines_are_json_with_the_events_fields(capsys):
    log.configure("INFO")
    logging.getLogger("newsdesk.test").info("job submitted", extra={"job_id": "J1", "chars": 12})
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert (line["event"], line["job_id"], line["chars"], line["level"]) == ("job submitted", "J1", 12, "info")


def test_other_formats_in_the_process_can_still_print_the_process_id():
    # gunicorn's own lines ("[%(process)d] ...") are formatted in the API's worker processes.
    log.configure("INFO")
    record = logging.getLogger("gunicorn.error").makeRecord("gunicorn.error", logging.INFO, __file__, 1,
                                                              "Worker exiting", (), None)
    assert logging.Formatter("[%(process)d] %(message)s").format(record).startswith("[")


def test_a_line_is_what_json_dumps_made_of_its_fields():
    """The formatter keeps one encoder for every line: the same text as json.dumps with its options."""
    from datetime import datetime
    from pathlib import Path

    fields = {"key_id": "key_ø", "path": "/v1/jobs/\u2028\ud83d\ude00", "when": datetime(2026, 1, 2),
              "where": Path("/tmp/x"), "nested": {"a": [1, 2.5, None, True]}, "quote": 'say "hi"\\'}
    record = logging.LogRecord("newsdesk.test", logging.INFO, "", 0, "http request", (), None)
    record.__dict__.update(fields)
    entry = json.loads(log.JsonFormatter().format(record))
    assert log.JsonFormatter().format(record) == json.dumps(entry | {k: v for k, v in fields.items()},
                                                             default=str, ensure_ascii=False)
