"""The contract between the API and the workers: task and queue names.

The API sends tasks by these names and never imports the worker package, so that it starts fast
and stays small; a test asserts both sides agree.
"""

ANALYZE_TASK = "newsdesk.analyze"
DELIVER_WEBHOOK_TASK = "newsdesk.deliver_webhook"
ANALYZE_BATCH_TASK = "newsdesk.analyze_batch"


def batch_queue(queue: str) -> str:
    """Batch chunks go to a queue of their own, so single articles never wait behind 1,000."""
    return f"{queue}.batch"


# The value of a job's `lane` field when its message went to the bulk queue (no field: the queue).
BULK_LANE = "bulk"


def bulk_queue(queue: str) -> str:
    """A key's single articles beyond its first few queued go to a queue of their own, which
    workers take from in turn with the others: one key's backlog never holds up another key's."""
    return f"{queue}.bulk"


def single_queue(queue: str, lane: str | None) -> str:
    """The queue a single article's message goes to, by the job's `lane` (see JobStore.create)."""
    return bulk_queue(queue) if lane == BULK_LANE else queue
