"""NetSuite's account concurrency governance: a request over the limit is rejected, not queued.

The gate counts requests in flight per account. An integration with a limit of its own may have
that many in flight; all other integrations share what is left unallocated (NetSuite keeps at
least one slot unallocated). ``slot`` either takes a slot or raises the ``WS_REQUEST_BLOCKED``
fault at once; the slot is given back in ``finally`` whatever happens to the request (fault,
exception, client gone), so the counts stay exact.
"""

from __future__ import annotations

import threading

from mockserver.domain.errors import ConfigurationError, SoapFault

DEFAULT_LIMIT = 5  # NetSuite's lowest tier (and every development account)
# Records per request NetSuite accepts, by operation (reference §3.7).
RECORDS_PER_REQUEST = {"addList": 200, "deleteList": 200, "getList": 1000, "updateList": 100,
                       "upsertList": 100, "getItemAvailability": 10000, "asyncAddList": 400,
                       "asyncGetList": 2000, "asyncUpdateList": 200, "asyncUpsertList": 200,
                       "asyncDeleteList": 400, "asyncInitializeList": 400}
MAX_REQUEST_BYTES = 100 * 1024 * 1024  # larger requests get ExceededRequestSizeFault (§3.7)
SHARED = None      # the pool of integrations without a limit of their own


def size_text(size: int) -> str:
    """A request size limit as the fault states it: ``100 MB``, or bytes when not whole MB."""
    megabytes, rest = divmod(size, 1024 * 1024)
    return f"{megabytes} MB" if megabytes and not rest else f"{size} bytes"


class _Slot:
    """One request's slot: taken on entering (or the concurrency fault), given back on leaving
    whatever happened (a class, not a generator: this runs on every request)."""

    __slots__ = ("gate", "pool", "integration")

    def __init__(self, gate: "ConcurrencyGate", pool: str | None, integration: str | None):
        self.gate, self.pool, self.integration = gate, pool, integration

    def __enter__(self) -> None:
        self.gate._take(self.pool, self.integration)

    def __exit__(self, *exc) -> None:
        self.gate._give_back(self.pool, self.integration)


class ConcurrencyGate:
    def __init__(self, limit: int = DEFAULT_LIMIT):
        if limit < 1:
            raise ConfigurationError("concurrency limit must be at least 1")
        self.limit = limit
        self._allocations: dict[str, int] = {}
        self._in_flight: dict[str | None, int] = {SHARED: 0}   # by pool
        self._held: dict[str | None, int] = {}   # by integration, whichever pool it draws on
        self.peak = 0
        self.admitted = 0
        self.rejected = 0
        self._lock = threading.Lock()

    def allocate(self, integration: str, limit: int | None) -> None:
        """Give an integration a limit of its own (None: it shares the unallocated slots)."""
        with self._lock:
            if limit is None:
                self._allocations.pop(integration, None)
                return
            if limit < 1:
                raise ConfigurationError(f"an integration's concurrency limit must be at least 1, "
                                      f"not {limit}")
            allocated = sum(v for k, v in self._allocations.items() if k != integration) + limit
            if allocated > self.limit - 1:
                raise ConfigurationError(
                    f"integration limits would allocate {allocated} of the account's "
                    f"{self.limit} slots; NetSuite keeps at least 1 unallocated")
            self._allocations[integration] = limit
            self._in_flight.setdefault(integration, 0)

    @property
    def unallocated(self) -> int:
        return self.limit - sum(self._allocations.values())

    def limit_of(self, integration: str | None) -> tuple[int, bool]:
        """(the limit that applies to an integration, whether it is its own)."""
        own = self._allocations.get(integration) if integration is not None else None
        return (own, True) if own is not None else (self.unallocated, False)

    def limit_type(self, integration: str | None) -> str:
        """NetSuite's ``limitType`` for the limit of an integration: its own, or the account's
        (the unallocated slots it shares)."""
        return "_integrationSpecific" if self.limit_of(integration)[1] else "_account"

    @property
    def in_flight(self) -> int:
        return sum(self._in_flight.values())

    def slot(self, integration: str | None = None) -> "_Slot":
        """A context manager holding one of the integration's slots (or raising the fault)."""
        return _Slot(self, integration if integration in self._allocations else SHARED,
                     integration)

    def _take(self, pool: str | None, integration: str | None) -> None:
        with self._lock:
            cap = self._allocations.get(pool) if pool is not SHARED else self.unallocated
            if self._in_flight[pool] >= cap:
                self.rejected += 1
                raise SoapFault.of("concurrent_requests")
            self._in_flight[pool] += 1
            self._held[integration] = self._held.get(integration, 0) + 1
            self.admitted += 1
            self.peak = max(self.peak, sum(self._in_flight.values()))

    def _give_back(self, pool: str | None, integration: str | None) -> None:
        with self._lock:
            self._in_flight[pool] -= 1
            self._held[integration] -= 1

    def in_flight_of(self, integration: str | None) -> int:
        """Requests of one integration in flight now (in its own pool or the shared one)."""
        with self._lock:
            return self._held.get(integration, 0)

    def snapshot(self) -> dict:
        """The account's counts; per integration, see ``limit_of`` and ``in_flight_of``."""
        with self._lock:
            return {"limit": self.limit, "inFlight": sum(self._in_flight.values()),
                    "peak": self.peak, "admitted": self.admitted, "rejected": self.rejected,
                    "unallocated": self.unallocated,
                    "unallocatedInFlight": self._in_flight[SHARED]}

    def reset_counters(self) -> None:
        with self._lock:
            self.peak = sum(self._in_flight.values())
            self.admitted = self.rejected = 0
