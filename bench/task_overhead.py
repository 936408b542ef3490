"""What a task costs beyond the pipeline it runs: its job's reads and writes, lease, metrics, log.

    .venv/bin/python bench/task_overhead.py [--data ../shared/data] [--jobs 400]

For each article of the corpus, in turn: the pipeline alone (`analyze_article`), then the
`newsdesk.analyze` task's body on a job holding the same article (start, lease, pipeline,
result and metrics, log line), both in this process against an embedded Redis, without Celery's
tracer or pool. Interleaving the two per article puts any drift of the machine's speed on both
alike; the difference of their CPU times is the task's own cost. Prints medians and means.
"""

from __future__ import annotations

import argparse
import itertools
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from corpus import load_corpus

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsdesk import log  # noqa: E402
from newsdesk.embedded_redis import EmbeddedRedis  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="the shared data folder (../shared/data); seeds only without it")
    parser.add_argument("--jobs", type=int, default=400)
    args = parser.parse_args()
    articles = list(itertools.islice(itertools.cycle(load_corpus(args.data)), args.jobs))
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-") as tmp, \
            EmbeddedRedis(Path(tmp), Path(tmp) / "r.sock") as server:
        os.environ.update(REDIS_URL=server.url, NEWSDESK_DATA_DIR=tmp)
        import worker.celery_app  # noqa: F401  (the app the task reads its settings from)
        from worker.context import job_store
        from worker.pipeline.analyze import analyze_article, warm_up
        from worker.tasks import analyze

        warm_up()
        # The task logs one JSON line per job, as in a worker; written where it costs the same.
        log.configure("INFO")
        logging.getLogger().handlers[0].setStream(open(os.devnull, "w"))
        store = job_store()
        pipeline, task = [], []
        for article in articles:
            job_id = store.create(article)
            began = time.process_time()
            analyze_article(article, {})
            between = time.process_time()
            analyze.run(job_id)
            pipeline.append(between - began)
            task.append(time.process_time() - between)
    overhead = [t - p for p, t in zip(pipeline, task)]
    print(f"{len(articles)} jobs, pipeline then task body per article, CPU ms")
    print(f"{'':>20} {'median':>8} {'mean':>8}")
    for name, values in (("pipeline", pipeline), ("task body", task), ("task - pipeline", overhead)):
        print(f"{name:>20} {statistics.median(values) * 1000:>8.2f} {statistics.fmean(values) * 1000:>8.2f}")


if __name__ == "__main__":
    main()
