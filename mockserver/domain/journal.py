"""The request journal: what the mock received and what it answered, secrets removed.

Each SOAP exchange becomes one entry: time, account, integration, operation, record types,
outcome (success, error, fault, or what a fault rule did), HTTP status, status-detail or fault
codes, duration, and both bodies. Whatever is read from an entry has the TokenPassport's
account-specific values (consumer key, token, nonce, timestamp, signature), any password and
every configured credential replaced (``redaction``), so the journal can be shown, exported or
attached to a bug report.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Iterable

from mockserver.domain.redaction import SecretValues, redact_elements
from suitetalk.safe_xml import xml_text

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
    """One journal entry. The bodies are kept as received (cut to ``MAX_BODY_CHARS``) and
    decoded and redacted when first read: most entries are never read, and redacting every
    request as it is served cost more than the rest of the bookkeeping together."""

    __slots__ = ("id", "_time", "account", "integration", "operation", "record_types", "outcome",
                 "_codes", "rule", "http_status", "duration_ms", "_request", "_response",
                 "_secrets")
    FIELDS = ("id", "time", "account", "integration", "operation", "record_types", "outcome",
              "codes", "rule", "http_status", "duration_ms")

    def __init__(self, *, id: int, time: "str | datetime", account: str | None,
                 integration: str | None,
                 operation: str | None, record_types: list[str], outcome: str | None,
                 codes: list[str], rule: str | None, http_status: int | None,
                 duration_ms: float | None, request: bytes | str, response: bytes | str,
                 secrets: SecretValues | None = None):
        self.id, self._time, self.account, self.integration = id, time, account, integration
        self.operation, self.record_types, self.outcome = operation, record_types, outcome
        self._codes, self.rule, self.http_status = tuple(codes), rule, http_status
        self.duration_ms = duration_ms
        self._request = _cut(request)
        self._response = _cut(response)
        self._secrets = secrets if secrets is not None else SecretValues()

    @property
    def time(self) -> str:
        """When the exchange ended, ISO 8601 with milliseconds (formatted when first read)."""
        if not isinstance(self._time, str):
            self._time = self._time.isoformat(timespec="milliseconds")
        return self._time

    @property
    def codes(self) -> list[str]:
        """Status-detail or fault codes; a faultstring may quote the request, so redacted."""
        if isinstance(self._codes, tuple):
            self._codes = [self._secrets.redact(c) if isinstance(c, str) else c
                           for c in self._codes]
        return self._codes

    @property
    def request(self) -> str:
        if not isinstance(self._request, str):
            self._request = _text(self._request, self._secrets)
        return self._request

    @property
    def response(self) -> str:
        if not isinstance(self._response, str):
            self._response = _text(self._response, self._secrets)
        return self._response

    def summary(self) -> dict:
        return {name: getattr(self, name) for name in self.FIELDS}

    def full(self) -> dict:
        return {**self.summary(), "request": self.request, "response": self.response}


def _cut(body: bytes | str) -> bytes | str | tuple:
    """A body as the journal keeps it until read: at most MAX_BODY_CHARS bytes (and how many
    more there were), so a 100 MB request costs no more than a small one."""
    if isinstance(body, str) or len(body) <= MAX_BODY_CHARS:
        return body
    return (body[:MAX_BODY_CHARS], len(body))


def _text(kept: bytes | tuple, secrets: SecretValues) -> str:
    """A kept body as text for the journal (with how much was cut), redacted."""
    body, size = kept if isinstance(kept, tuple) else (kept, len(kept))
    text = secrets.redact(redact_elements(xml_text(body)), cut=size > MAX_BODY_CHARS)
    if size > MAX_BODY_CHARS:
        text += f"\n… [{size - MAX_BODY_CHARS} more bytes]"
    return text


class Journal:
    """The most recent exchanges (a bounded ring), newest last."""

    def __init__(self, capacity: int = 2000,
                 credentials: Callable[[], Iterable[str]] = tuple):
        """``credentials``: the configured credential values, redacted wherever they appear."""
        self.secrets = SecretValues(credentials)
        self._entries: deque[JournalEntry] = deque(maxlen=capacity)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(self, exchange: Exchange, at: "str | datetime") -> JournalEntry:
        entry = JournalEntry(
            id=0, time=at, account=exchange.account, integration=exchange.integration,
            operation=exchange.operation, record_types=sorted(set(exchange.record_types)),
            outcome=exchange.outcome, codes=exchange.codes, rule=exchange.rule,
            http_status=exchange.http_status, duration_ms=exchange.duration_ms,
            request=exchange.request, response=exchange.response, secrets=self.secrets)
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
