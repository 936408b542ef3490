"""Newsdesk: shared code of the API and the workers, the CLI, and a Python client."""

from .client import Client, ClientError

__all__ = ["Client", "ClientError"]
