"""The `newsdesk` command: serve, worker, analyze, submit, eval, train.

Heavy imports (the NLP stack, Celery, Flask) happen inside the subcommand that needs them, so
`newsdesk --help` and the API's start-up stay fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .articles_io import ArticleFileError, article_files, read_articles


class SettingsError(Exception):
    """An invalid NEWSDESK_* setting: reported as "newsdesk: <message>", exit code 2."""


def _settings():
    from .settings import Settings

    try:
        return Settings.from_env()
    except ValueError as exc:
        raise SettingsError(f"newsdesk: {exc}") from None


def _serve(args) -> int:
    from .supervisor import serve

    from . import log

    settings = _settings()
    # JSON lines at NEWSDESK_LOG_LEVEL, as the API and the workers it starts write theirs into
    # the same stream (README, Logs): a log shipper reads one format.
    log.configure(settings.log_level)
    return serve(settings, args.host, args.port, args.workers, args.api_workers)


def _worker(args) -> int:
    from dataclasses import replace

    from .settings import LOG_LEVELS

    settings = _settings()  # importing the Celery app reads them too, and would raise a bare ValueError
    from worker.celery_app import app

    # The worker's JSON logs take their level from the settings: --loglevel goes there.
    settings = replace(settings, log_level=(args.loglevel or settings.log_level).upper())
    if settings.log_level not in LOG_LEVELS:
        raise SettingsError(f"newsdesk: --loglevel must be one of {', '.join(LOG_LEVELS)}")
    app.conf["newsdesk_settings"] = settings
    if args.concurrency > 1:  # the solo pool runs one task at a time: more need pool processes
        app.conf.worker_pool = "prefork"
    argv = ["worker", "--concurrency", str(args.concurrency), "--loglevel", settings.log_level,
            *args.celery_args]
    app.worker_main(argv)
    return 0


def _analyze(args) -> int:
    from marshmallow import ValidationError

    from service.schemas import ArticleSchema
    from worker.pipeline.analyze import analyze_article

    try:
        articles = read_articles(args.file)
    except ArticleFileError as exc:
        print(f"newsdesk: {exc}", file=sys.stderr)
        return 2
    schema = ArticleSchema()
    for number, article in enumerate(articles, start=1):
        try:
            valid = schema.load(article)
        except ValidationError as exc:
            print(f"article {number}: {json.dumps(exc.normalized_messages())}", file=sys.stderr)
            return 2
        print(json.dumps(analyze_article(valid), ensure_ascii=False), flush=True)
    return 0


def _submit(args) -> int:
    from .client import Client
    from .submit_view import print_jobs

    files = list(article_files(args.paths))
    if not files:
        print(f"newsdesk: no article files (*.json, *.jsonl, *.txt) in {' '.join(args.paths)}", file=sys.stderr)
        return 2
    articles, unreadable = _read_all(files)
    client = Client(args.url, api_key=args.api_key, timeout=args.timeout)
    jobs, failures = _post_all(client, articles, args) if articles else ([], 0)
    print_jobs(jobs, as_json=args.json)
    if unreadable:
        return 2
    return 1 if failures or any(job.status == "failed" for _, job in jobs) else 0


def _read_all(files: list[Path]) -> tuple[list[tuple[Path, dict]], int]:
    """(path, article) pairs from all readable files, and how many files could not be read."""
    articles, unreadable = [], 0
    for path in files:
        try:
            articles += [(path, article) for article in read_articles(path)]
        except ArticleFileError as exc:
            print(f"newsdesk: {exc}", file=sys.stderr)
            unreadable += 1
    return articles, unreadable


def _post_all(client, articles: list[tuple[Path, dict]], args) -> tuple[list, int]:
    """Post each article (and wait for it unless --no-wait): the jobs, and how many posts failed."""
    from .client import ClientError
    from .submit_view import progress

    jobs, failures = [], 0
    with progress(len(articles), quiet=args.json) as advance:
        for path, article in articles:
            try:
                job = client.submit(article)
                jobs.append((path, client.wait(job.job_id) if not args.no_wait else job))
            except ClientError as exc:
                print(f"{path}: {exc}", file=sys.stderr)
                failures += 1
            advance()
    return jobs, failures


def _eval(args) -> int:
    if args.what == "summaries":
        from worker.evaluation.summaries import main as evaluate
    else:
        from worker.evaluation.entities import main as evaluate
    return evaluate(args.rest)


def _train(args) -> int:
    from worker.training.train_ner import main as train_ner

    return train_ner(args.rest)


def _whole_number(low: int, high: int | None = None):
    """An argparse type: an integer from `low` (to `high`), else a usage error naming the range
    (`--workers -1` served "with -1 worker(s)", `--port 70000` ended in a traceback)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(
                f"must be {low} or more, got {value}" if high is None else f"must be {low}-{high}, got {value}")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsdesk", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="run the API, workers and (without REDIS_URL) an embedded Redis")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=_whole_number(1, 65535), default=8000)
    # 0: the API alone, for workers started elsewhere (`newsdesk worker` against REDIS_URL)
    p.add_argument("--workers", type=_whole_number(0), default=2, help="worker processes (default 2)")
    p.add_argument("--api-workers", type=_whole_number(1), default=2, help="gunicorn processes (default 2)")
    p.set_defaults(run=_serve)

    p = sub.add_parser("worker", help="run one Celery worker against REDIS_URL (add more machines freely)")
    p.add_argument("--concurrency", type=_whole_number(1), default=1)
    p.add_argument("--loglevel", help="DEBUG, INFO, WARNING, ERROR or CRITICAL (default: $NEWSDESK_LOG_LEVEL, else INFO)")
    p.add_argument("celery_args", nargs=argparse.REMAINDER, help="further `celery worker` options")
    p.set_defaults(run=_worker)

    p = sub.add_parser("analyze", help="analyze articles locally (no Redis, no Celery) and print results")
    p.add_argument("file", help="article JSON, JSON Lines or plain text file; - reads stdin")
    p.set_defaults(run=_analyze)

    p = sub.add_parser("submit", help="post articles to a running service and wait for their results")
    p.add_argument("paths", nargs="+", help="files (JSON, JSON Lines, text) or folders of them")
    p.add_argument("--url", default="http://127.0.0.1:8000")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for each job")
    p.add_argument("--no-wait", action="store_true", help="print the queued jobs without waiting")
    p.add_argument("--json", action="store_true", help="print each job document as a JSON line")
    p.add_argument("--api-key", default=os.environ.get("NEWSDESK_API_KEY"),
                   help="API key (default: $NEWSDESK_API_KEY)")
    p.set_defaults(run=_submit)

    p = sub.add_parser("eval", help="evaluate against labelled data: `newsdesk eval entities|summaries --help`")
    p.add_argument("what", choices=["entities", "summaries"])
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(run=_eval)

    p = sub.add_parser("train", help="train a model from ../shared/data: `newsdesk train ner --help`")
    p.add_argument("what", choices=["ner"])
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(run=_train)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader of our output went away (`newsdesk analyze many.jsonl | head -1`): stop
        # quietly. What is still buffered goes to /dev/null, or its flush at exit fails again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
