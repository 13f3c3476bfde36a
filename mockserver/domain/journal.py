"""The request journal: what the mock received and what it answered, as values.

Each SOAP exchange becomes one entry: time, account, integration, operation, record types,
outcome (success, error, fault, or what a fault rule did), HTTP status, status-detail or fault
codes, duration, and both bodies as received (bytes, cut to ``MAX_BODY_CHARS``). Entries hold
the credentials the request carried; what shows them to people (the admin API) reads them
through ``mockserver.wire.redaction.redacted_entry``, which decodes the bodies and removes the
secrets.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime

MAX_BODY_CHARS = 256 * 1024


# Keys whose values never hold an operation status: the status itself, and records (a search
# page holds a thousand; walking them was most of the journal's cost).
_NO_STATUS_INSIDE = frozenset({"status", "record", "recordList", "searchRowList"})


def outcome_of(body) -> tuple[str, list[str]]:
    """("success" or "error", the status-detail codes) of an operation's response body."""
    codes: list[str] = []
    failed = False

    def visit(value) -> None:
        nonlocal failed
        if isinstance(value, list):
            for item in value:
                visit(item)
        elif isinstance(value, dict):
            status = value.get("status")
            if isinstance(status, dict) and "isSuccess" in status:
                failed = failed or not status["isSuccess"]
                codes.extend(d.get("code") for d in status.get("statusDetail", [])
                             if d.get("code"))
            for key, item in value.items():
                if key not in _NO_STATUS_INSIDE:
                    visit(item)
    visit(body)
    return ("error" if failed else "success"), codes


@dataclass
class Exchange:
    """One request on its way through the mock; the wire layer and the backend fill it in."""

    request: bytes = b""
    started: float = field(default_factory=time.time)
    operation: str | None = None
    account: str | None = None
    integration: str | None = None
    record_types: list[str] = field(default_factory=list)
    rule: str | None = None
    wire_action: object = None      # a fault rule's action the HTTP layer carries out
    outcome: str | None = None      # success, error, fault, dropped, truncated, …
    codes: list[str] = field(default_factory=list)
    http_status: int | None = None
    response: bytes = b""
    duration_ms: float | None = None


class JournalEntry:
    """One journal entry. Formatting the time and decoding and redacting the bodies wait until
    an entry is read: most entries never are, and doing it as each request was served cost more
    than the rest of the bookkeeping together."""

    __slots__ = ("id", "_time", "account", "integration", "operation", "record_types", "outcome",
                 "codes", "rule", "http_status", "duration_ms", "request", "request_size",
                 "response", "response_size")
    FIELDS = ("id", "time", "account", "integration", "operation", "record_types", "outcome",
              "codes", "rule", "http_status", "duration_ms")

    def __init__(self, *, id: int, time: "str | datetime", account: str | None,
                 integration: str | None,
                 operation: str | None, record_types: list[str], outcome: str | None,
                 codes: list[str], rule: str | None, http_status: int | None,
                 duration_ms: float | None, request: bytes, response: bytes):
        self.id, self._time, self.account, self.integration = id, time, account, integration
        self.operation, self.record_types, self.outcome = operation, record_types, outcome
        self.codes, self.rule, self.http_status = list(codes), rule, http_status
        self.duration_ms = duration_ms
        # at most MAX_BODY_CHARS bytes of each body, and its whole size: a 100 MB request
        # costs no more than a small one
        self.request, self.request_size = request[:MAX_BODY_CHARS], len(request)
        self.response, self.response_size = response[:MAX_BODY_CHARS], len(response)

    @property
    def time(self) -> str:
        """When the exchange ended, ISO 8601 with milliseconds (formatted when first read)."""
        if not isinstance(self._time, str):
            self._time = self._time.isoformat(timespec="milliseconds")
        return self._time

    def summary(self) -> dict:
        return {name: getattr(self, name) for name in self.FIELDS}


class Journal:
    """The most recent exchanges (a bounded ring), newest last."""

    def __init__(self, capacity: int = 2000):
        self._entries: deque[JournalEntry] = deque(maxlen=capacity)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(self, exchange: Exchange, at: "str | datetime") -> JournalEntry:
        entry = JournalEntry(
            id=0, time=at, account=exchange.account, integration=exchange.integration,
            operation=exchange.operation, record_types=sorted(set(exchange.record_types)),
            outcome=exchange.outcome, codes=exchange.codes, rule=exchange.rule,
            http_status=exchange.http_status, duration_ms=exchange.duration_ms,
            request=exchange.request, response=exchange.response)
        with self._lock:
            entry.id = next(self._ids)
            self._entries.append(entry)
        return entry

    def entries(self, *, since: int = 0, limit: int | None = None) -> list[JournalEntry]:
        with self._lock:
            found = [e for e in self._entries if e.id > since]
        return found[-limit:] if limit else found

    def get(self, entry_id: int) -> JournalEntry | None:
        with self._lock:
            return next((e for e in self._entries if e.id == entry_id), None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
