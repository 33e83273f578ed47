"""The two kinds of failure every stage distinguishes, and the retry schedule of the transient one.

A PermanentError is about the data (empty, binary, undecodable, malformed, too large): retrying
cannot help, so the message goes to `dlq.<subject>` at once and the file to `failed/`. A
TransientError is about a dependency (Elasticsearch down/429/5xx, Object Store or JetStream
unavailable, a lost NATS connection): the stage keeps the message and retries it with capped backoff
for as long as the outage lasts; an outage never dead-letters.
"""

from __future__ import annotations

import nats.errors
import nats.js.errors


class PipelineError(Exception):
    """Base of failures a stage raises on purpose; `reason` is shown to users verbatim."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PermanentError(PipelineError):
    """Bad input: never retried."""


class TransientError(PipelineError):
    """A dependency failed: the stage waits and retries until it is back.

    `dependency` names what the stage is waiting for (health status and the "waiting" log line).
    """

    def __init__(self, reason: str, dependency: str = "dependency") -> None:
        super().__init__(reason)
        self.dependency = dependency


_TRANSIENT_TYPES: tuple[type[BaseException], ...] = (
    TransientError,
    ConnectionError,
    TimeoutError,
    # The NATS client while the server is away, restarting or slow: all clear up on reconnect.
    nats.errors.TimeoutError,
    nats.errors.NoRespondersError,  # JetStream not (yet) answering, e.g. right after a restart
    nats.errors.ConnectionClosedError,
    nats.errors.ConnectionDrainingError,
    nats.errors.ConnectionReconnectingError,
    nats.errors.FlushTimeoutError,
    nats.errors.NoServersError,
    nats.errors.OutboundBufferLimitError,
    nats.errors.StaleConnectionError,
    nats.errors.UnexpectedEOF,
    nats.js.errors.FetchTimeoutError,
    nats.js.errors.NoStreamResponseError,
)


def is_transient(exc: BaseException) -> bool:
    """True when `exc` says a dependency is unavailable, so the same input can succeed later."""
    if isinstance(exc, _TRANSIENT_TYPES):
        return True
    # JetStream API answers: 503 (no quorum, starting up) and any 5xx are the server's, not the data's.
    return isinstance(exc, nats.js.errors.APIError) and (exc.code or 0) >= 500


def dependency_of(exc: BaseException) -> str:
    """What a transient failure is waiting for: the name a TransientError carries, else NATS."""
    if isinstance(exc, TransientError):
        return exc.dependency
    if isinstance(exc, nats.errors.Error):
        return "nats"
    return type(exc).__name__


def backoff_delay(attempt: int, first: float, cap: float) -> float:
    """Seconds before retry `attempt` (1-based): `first`, doubling, never above `cap`."""
    if attempt <= 1:
        return min(first, cap)
    # The exponent is bounded so a long outage (attempt in the thousands) cannot overflow a float.
    return min(first * 2 ** min(attempt - 1, 64), cap)
