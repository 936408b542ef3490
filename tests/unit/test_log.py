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
