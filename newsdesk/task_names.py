"""The contract between the API and the workers: task and queue names.

The API sends tasks by these names and never imports the worker package, so that it starts fast
and stays small; a test asserts both sides agree.
"""

ANALYZE_TASK = "newsdesk.analyze"
DELIVER_WEBHOOK_TASK = "newsdesk.deliver_webhook"
