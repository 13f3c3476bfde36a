"""Living within NetSuite's concurrency governance: a per-client gate and a retry policy.

NetSuite rejects (never queues) a request that arrives while the account's limit is in use, with
``WS_REQUEST_BLOCKED``, and Oracle's advice is to retry after a delay with increasing backoff.
A client therefore keeps at most ``concurrency_limit`` requests in flight (its share of the
account), and lowers that share for a while when NetSuite blocks it, because then something
else is using the account; it climbs back one request at a time as calls succeed (additive
increase, multiplicative-ish decrease, as TCP does).

What is retried: concurrency faults, for every operation (NetSuite turned the request away
before doing anything). Lost connections and timeouts, for reads only: a write whose request
went out may have been applied, and sending it again could create a second record. A write is
retried after a connection error only when the connection was never made, so the request
cannot have reached NetSuite.
"""

from __future__ import annotations

import random
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

# Operations that change nothing in NetSuite: safe to send again after a lost connection.
READ_OPERATIONS = frozenset({
    "get", "getList", "getAll", "search", "searchMore", "searchNext", "searchMoreWithId",
    "getSavedSearch", "getDeleted", "getSelectValue", "getItemAvailability",
    "getBudgetExchangeRate", "getCurrencyRate", "getCustomizationId", "getDataCenterUrls",
    "getPostingTransactionSummary", "getServerTime", "getAccountGovernanceInfo",
    "getIntegrationGovernanceInfo", "checkAsyncStatus", "getAsyncResult",
    "initialize", "initializeList",  # build an unsaved record from another one
    "asyncGetList", "asyncSearch", "asyncInitializeList",  # a second job reads the same again
})


def is_read(operation: str) -> bool:
    return operation in READ_OPERATIONS


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter: attempt n waits between d/2 and d, where
    d = min(max_delay, base_delay * 2**(n-1)); at most ``max_attempts`` tries in all."""

    max_attempts: int = 8
    base_delay: float = 0.5
    max_delay: float = 30.0

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return ceiling / 2 + (rng or random).uniform(0, ceiling / 2)


NO_RETRIES = RetryPolicy(max_attempts=1)


@dataclass
class ClientStats:
    """What one client has done: calls, attempts, retries by reason, how busy it got."""

    calls: int = 0
    attempts: int = 0
    succeeded: int = 0
    failed: int = 0
    blocked: int = 0                 # concurrency faults received (each one retried or raised)
    retries: dict[str, int] = field(default_factory=dict)
    peak_in_flight: int = 0

    def retried(self, reason: str) -> None:
        self.retries[reason] = self.retries.get(reason, 0) + 1

    @property
    def total_retries(self) -> int:
        return sum(self.retries.values())

    def as_dict(self) -> dict:
        return {"calls": self.calls, "attempts": self.attempts, "succeeded": self.succeeded,
                "failed": self.failed, "blocked": self.blocked, "retries": dict(self.retries),
                "peak_in_flight": self.peak_in_flight}


class ConcurrencyGate:
    """At most ``limit`` requests in flight from one client; fewer while NetSuite blocks us."""

    def __init__(self, limit: int):
        if limit < 1:
            raise ValueError("concurrency limit must be at least 1")
        self.limit = limit
        self.allowed = limit
        self.in_flight = 0
        self.peak = 0
        self._successes = 0
        self._cond = threading.Condition()

    @contextmanager
    def slot(self) -> Iterator[None]:
        with self._cond:
            while self.in_flight >= self.allowed:
                self._cond.wait()
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        try:
            yield
        finally:
            with self._cond:
                self.in_flight -= 1
                self._cond.notify()

    def blocked(self) -> None:
        """NetSuite turned one of our requests away: the account has less room than we use."""
        with self._cond:
            self.allowed = max(1, min(self.allowed, self.in_flight) - 1)
            self._successes = 0

    def succeeded(self) -> None:
        with self._cond:
            if self.allowed >= self.limit:
                return
            self._successes += 1
            if self._successes >= self.allowed:
                self.allowed += 1
                self._successes = 0
                self._cond.notify_all()
