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
