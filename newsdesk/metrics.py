"""Prometheus metrics kept in Redis, so every API and worker process adds to the same numbers.

Counters and histogram buckets are Redis hash fields incremented with HINCRBY(FLOAT); `/metrics`
renders them in the Prometheus text format together with live gauges (queue depth, workers).
"""

from __future__ import annotations

import bisect
import os
import socket
import time
from typing import Mapping, Sequence

import redis

COUNTERS = "newsdesk:metrics:counters"
HISTOGRAMS = "newsdesk:metrics:histograms"
WORKERS = "newsdesk:workers:"
# Seconds; covers a 10 ms tiny article up to a 2-minute time limit.
BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120)

HELP = {
    "newsdesk_jobs_submitted_total": ("counter", "Jobs accepted by the API, by requested language."),
    "newsdesk_jobs_succeeded_total": ("counter", "Jobs that succeeded, by language."),
    "newsdesk_jobs_failed_total": ("counter", "Jobs that failed, by error code."),
    "newsdesk_job_duration_seconds": ("histogram", "Time from submission to the end of a job."),
    "newsdesk_stage_duration_seconds": ("histogram", "Time per pipeline stage, by stage."),
    "newsdesk_queue_depth": ("gauge", "Messages waiting in each queue."),
    "newsdesk_workers": ("gauge", "Worker processes that reported in the last 30 seconds."),
}


def series(name: str, **labels: str) -> str:
    """A sample's name with its labels, as it is stored and rendered."""
    return _series(name, labels)


def _series(name: str, labels: dict[str, str]) -> str:
    inner = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    return f"{name}{{{inner}}}" if inner else name


# Additions to the metric hashes, as (hash, field, amount): what the helpers below produce, so a
# caller can add them with other writes in one round trip (JobStore.succeed and fail do).
Increments = Sequence[tuple[str, str, float]]


def counted(name: str, **labels: str) -> Increments:
    return [(COUNTERS, _series(name, labels), 1)]


def observed(name: str, seconds: float, **labels: str) -> Increments:
    """One histogram observation: its bucket, the count and the sum (cumulated at render time)."""
    index = bisect.bisect_left(BUCKETS, seconds)
    bucket = str(BUCKETS[index]) if index < len(BUCKETS) else "+Inf"
    return [(HISTOGRAMS, _series(name + "_bucket", labels | {"le": bucket}), 1),
            (HISTOGRAMS, _series(name + "_count", labels), 1),
            (HISTOGRAMS, _series(name + "_sum", labels), seconds)]


def heartbeat(client: redis.Redis, ttl: int = 30) -> None:
    """A worker process says it is alive; readiness and the workers gauge count these."""
    client.set(_heartbeat_key(), int(time.time()), ex=ttl)


def forget_heartbeat(client: redis.Redis) -> None:
    """A worker process that stops is no longer counted, rather than until its heartbeat expires."""
    client.delete(_heartbeat_key())


def _heartbeat_key() -> str:
    return f"{WORKERS}{socket.gethostname()}:{os.getpid()}"


def live_workers(client: redis.Redis) -> int:
    return sum(1 for _ in client.scan_iter(WORKERS + "*", count=1000))


def _family(series: str) -> str:
    name = series.partition("{")[0]
    for suffix in ("_bucket", "_count", "_sum"):
        if name.endswith(suffix) and name[: -len(suffix)] in HELP:
            return name[: -len(suffix)]
    return name


def _number(value: float) -> str:
    """A sample value in full (`:g` keeps six digits: a counter past a million would stop moving)."""
    return str(int(value)) if value.is_integer() else repr(value)


def _histogram_lines(histograms: dict[str, float]) -> list[str]:
    """Prometheus buckets are cumulative: each `le` counts everything at or below it."""
    lines, groups = [], {}
    for series, value in sorted(histograms.items()):
        if "_bucket{" not in series:
            lines.append(f"{series} {_number(value)}")
            continue
        head, _, rest = series.partition("{")
        labels = dict(part.split("=", 1) for part in rest.rstrip("}").split(","))
        le = labels.pop("le").strip('"')
        groups.setdefault((head, tuple(sorted(labels.items()))), {})[le] = value
    for (head, labels), buckets in sorted(groups.items()):
        running = 0.0
        for le in [str(b) for b in BUCKETS] + ["+Inf"]:
            running += buckets.get(le, 0)
            inner = "".join(f"{k}={v}," for k, v in labels) + f'le="{le}"'
            lines.append(f"{head}{{{inner}}} {_number(running)}")
    return lines


def render(client: redis.Redis, queue_depths: Mapping[str, int]) -> str:
    """The Prometheus text format: each family's HELP and TYPE, then its samples. The queue
    depths are the broker's to tell (it may not be this Redis); none given, none shown."""
    counters = {k.decode(): float(v) for k, v in client.hgetall(COUNTERS).items()}
    histograms = {k.decode(): float(v) for k, v in client.hgetall(HISTOGRAMS).items()}
    samples: dict[str, list[str]] = {name: [] for name in HELP}
    # A family this version does not know (another version's, in a mixed fleet) is left out: it
    # has no HELP or TYPE here, and failing on it would cost every family.
    for series, value in sorted(counters.items()):
        samples.get(_family(series), []).append(f"{series} {_number(value)}")
    for line in _histogram_lines(histograms):
        samples.get(_family(line.split(" ")[0]), []).append(line)
    samples["newsdesk_queue_depth"] = [f'newsdesk_queue_depth{{queue="{q}"}} {n}' for q, n in queue_depths.items()]
    samples["newsdesk_workers"] = [f"newsdesk_workers {live_workers(client)}"]
    out = []
    for name, (kind, text) in HELP.items():
        out += [f"# HELP {name} {text}", f"# TYPE {name} {kind}", *samples[name]]
    return "\n".join(out) + "\n"
