"""NetSuite's account concurrency governance: a request over the limit is rejected, not queued.

The gate counts requests in flight per account. ``enter`` either takes a slot or raises the
``WS_REQUEST_BLOCKED`` fault at once; the slot is given back in ``finally`` whatever happens to
the request (fault, exception, client gone), so the count stays exact.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator

from mockserver.domain.errors import SoapFault

DEFAULT_LIMIT = 5  # NetSuite's lowest tier (and every development account)


class ConcurrencyGate:
    def __init__(self, limit: int = DEFAULT_LIMIT):
        if limit < 1:
            raise ValueError("concurrency limit must be at least 1")
        self.limit = limit
        self._in_flight = 0
        self.peak = 0
        self.admitted = 0
        self.rejected = 0
        self._lock = threading.Lock()

    @property
    def in_flight(self) -> int:
        return self._in_flight

    @contextmanager
    def slot(self) -> Iterator[None]:
        with self._lock:
            if self._in_flight >= self.limit:
                self.rejected += 1
                raise SoapFault.of("concurrent_requests")
            self._in_flight += 1
            self.admitted += 1
            self.peak = max(self.peak, self._in_flight)
        try:
            yield
        finally:
            with self._lock:
                self._in_flight -= 1

    def snapshot(self) -> dict:
        with self._lock:
            return {"limit": self.limit, "inFlight": self._in_flight, "peak": self.peak,
                    "admitted": self.admitted, "rejected": self.rejected}

    def reset_counters(self) -> None:
        with self._lock:
            self.peak = self._in_flight
            self.admitted = self.rejected = 0
