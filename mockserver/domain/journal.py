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
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, NamedTuple

from mockserver.domain.errors import ConfigurationError
from mockserver.domain.values import parse_datetime

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


class Exchange(NamedTuple):
    """One request and what became of it, made once the answer is decided (by the wire
    layer, from the request and the backend's ``Reply``)."""

    request: bytes = b""
    operation: str | None = None
    account: str | None = None
    integration: str | None = None
    record_types: tuple[str, ...] = ()
    rule: str | None = None
    outcome: str | None = None      # success, error, fault, dropped, truncated, …
    codes: tuple[str, ...] = ()
    http_status: int | None = None
    response: bytes = b""
    duration_ms: float | None = None   # from the first byte read to the answer decided
    slot_ms: float | None = None       # of which holding a concurrency slot (None: never had one)


class JournalEntry:
    """One journal entry. Formatting the time and decoding and redacting the bodies wait until
    an entry is read: most entries never are, and doing it as each request was served cost more
    than the rest of the bookkeeping together."""

    __slots__ = ("id", "_time", "_time_text", "account", "integration", "operation", "record_types", "outcome",
                 "codes", "rule", "http_status", "duration_ms", "slot_ms", "request",
                 "request_size",
                 "response", "response_size")
    FIELDS = ("id", "time", "account", "integration", "operation", "record_types", "outcome",
              "codes", "rule", "http_status", "duration_ms", "slot_ms")

    def __init__(self, *, id: int, time: "str | datetime", account: str | None,
                 integration: str | None,
                 operation: str | None, record_types: list[str], outcome: str | None,
                 codes: list[str], rule: str | None, http_status: int | None,
                 duration_ms: float | None, request: bytes, response: bytes,
                 slot_ms: float | None = None):
        self.id, self._time, self.account, self.integration = id, time, account, integration
        self._time_text: str | None = None
        self.operation, self.record_types, self.outcome = operation, record_types, outcome
        self.codes, self.rule, self.http_status = list(codes), rule, http_status
        self.duration_ms, self.slot_ms = duration_ms, slot_ms
        # at most MAX_BODY_CHARS bytes of each body, and its whole size: a 100 MB request
        # costs no more than a small one
        self.request, self.request_size = request[:MAX_BODY_CHARS], len(request)
        self.response, self.response_size = response[:MAX_BODY_CHARS], len(response)

    @property
    def time(self) -> str:
        """When the exchange ended, ISO 8601 with milliseconds (formatted when first read)."""
        if self._time_text is None:
            self._time_text = self._time if isinstance(self._time, str) else \
                self._time.isoformat(timespec="milliseconds")
        return self._time_text

    @property
    def at(self) -> datetime:
        """When the exchange ended, on the mock's clock."""
        return self._time if isinstance(self._time, datetime) else parse_datetime(self._time)

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
            slot_ms=exchange.slot_ms, request=exchange.request, response=exchange.response)
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


# -- verification: which entries a pattern finds, and how near the others come ------------------
BodyMatcher = Callable[[bytes, str], bool]   # (request body, XPath) -> found; the wire's
PATTERN_KEYS = ("operation", "record_type", "account", "integration", "outcome", "code",
                "since", "until", "xpath")


@dataclass(frozen=True)
class RequestPattern:
    """What a verification looks for in the journal, as WireMock's request patterns do: every
    criterion given must hold; a list of values is any one of them. ``since``/``until`` are
    times on the mock's clock (the journal's); ``xpath`` is tried on the request's operation
    element, with NetSuite's prefixes, as a fault rule's is."""

    operations: frozenset[str] = frozenset()
    record_types: frozenset[str] = frozenset()
    accounts: frozenset[str] = frozenset()
    integrations: frozenset[str] = frozenset()
    outcomes: frozenset[str] = frozenset()
    codes: frozenset[str] = frozenset()
    since: datetime | None = None
    until: datetime | None = None
    xpath: str | None = None

    @classmethod
    def parse(cls, spec: dict) -> "RequestPattern":
        unknown = sorted(set(spec) - set(PATTERN_KEYS))
        if unknown:
            raise ConfigurationError(f"unknown request pattern key(s) {', '.join(unknown)} "
                                     f"(known: {', '.join(PATTERN_KEYS)})")
        times = {}
        for key in ("since", "until"):
            if spec.get(key) is not None:
                try:
                    times[key] = parse_datetime(spec[key])
                except (TypeError, ValueError):
                    raise ConfigurationError(f"{key} must be an ISO date-time, not "
                                             f"{spec[key]!r}") from None
        xpath = spec.get("xpath")
        if xpath is not None and not (isinstance(xpath, str) and xpath.strip()):
            raise ConfigurationError(f"xpath is an XPath expression, not {xpath!r}")
        return cls(operations=_values(spec, "operation"), record_types=_values(spec, "record_type"),
                   accounts=_values(spec, "account"), integrations=_values(spec, "integration"),
                   outcomes=_values(spec, "outcome"), codes=_values(spec, "code"), xpath=xpath,
                   **times)

    def differences(self, entry: JournalEntry, body_matches: BodyMatcher) -> list[str]:
        """What about ``entry`` the pattern does not allow, one phrase each (none: a match)."""
        found: list[str] = []
        for values, actual, name in ((self.operations, entry.operation, "operation"),
                                     (self.accounts, entry.account, "account"),
                                     (self.integrations, entry.integration, "integration"),
                                     (self.outcomes, entry.outcome, "outcome")):
            if values and actual not in values:
                found.append(f"{name} {actual!r}, not {_either(values)}")
        if self.record_types and not self.record_types & set(entry.record_types):
            found.append(f"record types {entry.record_types}, not {_either(self.record_types)}")
        if self.codes and not self.codes & set(entry.codes):
            found.append(f"codes {entry.codes}, not {_either(self.codes)}")
        if self.since is not None and entry.at < self.since:
            found.append(f"at {entry.time}, before {self.since.isoformat()}")
        if self.until is not None and entry.at > self.until:
            found.append(f"at {entry.time}, after {self.until.isoformat()}")
        if self.xpath is not None and not body_matches(entry.request, self.xpath):
            found.append(f"the request body has nothing at XPath {self.xpath!r}")
        return found

    def describe(self) -> dict:
        out: dict = {}
        for key, values in (("operation", self.operations), ("record_type", self.record_types),
                            ("account", self.accounts), ("integration", self.integrations),
                            ("outcome", self.outcomes), ("code", self.codes)):
            if values:
                out[key] = sorted(values)
        for key in ("since", "until"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key).isoformat()
        if self.xpath is not None:
            out["xpath"] = self.xpath
        return out


def find(entries: list[JournalEntry], pattern: RequestPattern,
         body_matches: BodyMatcher) -> list[JournalEntry]:
    """The entries the pattern matches, oldest first."""
    return [e for e in entries if not pattern.differences(e, body_matches)]


def near_misses(entries: list[JournalEntry], pattern: RequestPattern,
                body_matches: BodyMatcher, limit: int = 3
                ) -> list[tuple[JournalEntry, list[str]]]:
    """The entries the pattern does not match that come closest (fewest differences, then the
    newest), each with what differed: what a failed verification shows."""
    missed = [(e, d) for e in entries if (d := pattern.differences(e, body_matches))]
    missed.sort(key=lambda pair: (len(pair[1]), -pair[0].id))
    return missed[:limit]


def _values(spec: dict, key: str) -> frozenset[str]:
    value = spec.get(key)
    if value is None:
        return frozenset()
    items = value if isinstance(value, (list, tuple)) else [value]
    if not items or not all(isinstance(v, str) and v for v in items):
        raise ConfigurationError(f"{key} is a name or a list of names, not {value!r}")
    return frozenset(items)


def _either(values: frozenset[str]) -> str:
    names = sorted(values)
    return repr(names[0]) if len(names) == 1 else "any of " + ", ".join(map(repr, names))
