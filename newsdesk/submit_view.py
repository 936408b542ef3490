"""What `newsdesk submit` shows: a progress bar while jobs run, then a table or JSON lines."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from typing import Callable, Iterator

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text


@contextmanager
def progress(total: int, quiet: bool) -> Iterator[Callable[[], None]]:
    """A progress bar on stderr (so stdout stays clean for --json); `advance()` counts a job."""
    if quiet:
        yield lambda: None
        return
    bar = Progress(TextColumn("analysing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=Console(stderr=True))
    with bar:
        task = bar.add_task("jobs", total=total)
        yield lambda: bar.advance(task)


def print_jobs(jobs: list, as_json: bool) -> None:
    if as_json:
        for path, job in jobs:
            print(json.dumps({"file": str(path), **job.document}, ensure_ascii=False), flush=True)
        return
    table = Table("file", "job", "status", "lang", "entities", "summary")
    for path, job in jobs:
        table.add_row(*(Text(cell) for cell in _row(path, job)))
    Console(file=sys.stdout, width=200).print(table)


def _row(path, job) -> list[str]:
    """A table row as plain strings: article-derived text must never be read as Rich markup."""
    result = job.result
    if result is None:
        return [path.name, job.job_id, job.status, "", "", str(job.error or "")]
    entities = ", ".join(f"{g.name} ({g.label})" for g in result.entities[:5])
    summary = result.summary[:120] + "..." if len(result.summary) > 120 else result.summary
    return [path.name, job.job_id, job.status, result.language, entities, summary]
