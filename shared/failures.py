"""The two kinds of failure every stage distinguishes.

A PermanentError is about the data (empty, binary, undecodable, malformed, too large): retrying
cannot help, so the message goes to `dlq.<subject>` at once and the file to `failed/`. A
TransientError is about a dependency (Elasticsearch 429/5xx, Object Store unavailable): the message
is nak'ed with backoff and dead-lettered only after the last allowed delivery.
"""

from __future__ import annotations


class PipelineError(Exception):
    """Base of failures a stage raises on purpose; `reason` is shown to users verbatim."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PermanentError(PipelineError):
    """Bad input: never retried."""


class TransientError(PipelineError):
    """A dependency failed: retried with backoff, dead-lettered after max deliveries."""
