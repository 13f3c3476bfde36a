"""Fault rules: make the mock fail the way a customer's NetSuite failed.

A rule *matches* requests (operation, record type, externalId, an XPath over the request body,
account, integration, a time window on the mock's clock), *triggers* on some of them (the nth
match, every k-th, with a seeded probability, at most ``times`` times) and then *acts*:

  fault       a NetSuite SOAP fault (any platformFaults type, exact XML), e.g.
              {kind = "fault", fault = "UnexpectedErrorFault"}
  status      a failed status with any code and message; the operation does not run
  delay       wait ``ms`` before answering (inside the concurrency slot, so it holds the slot)
  http        an HTTP status with a body of your choice
  drop        close the connection without an answer (``phase`` after the work, or before)
  reset       reset the connection (a TCP RST: "connection reset by peer"), ``phase`` as drop
  truncate    send only the first ``bytes`` of the real answer
  invalid_xml send the real answer with its XML broken

Rules come from a scenario file (``[[rules]]`` tables) or the admin API at run time. The first
rule whose match and trigger both hold decides; a ``delay`` rule may carry ``then`` to act after
waiting. A rule that could never match (an unknown operation or record type, an XPath naming an
element or attribute no request of its operations can carry) is refused as it is added, with the
names it may have meant.
"""

from __future__ import annotations

import difflib
import itertools
import random
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Callable, ClassVar, Protocol

from mockserver.domain.errors import (STATUS_MESSAGES, ConfigurationError, RecordError,
                                      SoapFault, new_error_id)
from mockserver.domain.governance import MAX_REQUEST_BYTES, RECORDS_PER_REQUEST, size_text
from mockserver.domain.values import parse_datetime
from mockserver.schema import registry
from mockserver.schema.model import ComplexType
from mockserver.schema.platform import OPERATIONS

# Fault types, as users write them, with NetSuite's code and message where one is known.
FAULT_DEFAULTS: dict[str, str | None] = {
    "InvalidCredentialsFault": "invalid_login",
    "ExceededConcurrentRequestLimitFault": "concurrent_requests",
    "ExceededRequestLimitFault": "concurrent_session",
    "ExceededUsageLimitFault": "usage_limit",
    "ExceededRecordCountFault": "record_count",
    "ExceededRequestSizeFault": "request_size",
    "UnexpectedErrorFault": "unexpected",
    "InsufficientPermissionFault": "permission",
    "InvalidSessionFault": "session_timed_out",
    "InvalidAccountFault": "invalid_account",
    "InvalidVersionFault": "invalid_version",
    "AsyncFault": None,
}


@dataclass
class RequestFacts:
    """What a rule can look at: set by the backend, ``xpath`` supplied by the wire layer."""

    operation: str
    account: str
    integration: str
    record_types: frozenset[str] = frozenset()
    external_ids: frozenset[str] = frozenset()
    xpath: Callable[[str], bool] | None = None


class Action:
    """What a fired rule does. One class per kind; each parses its own settings, describes
    itself for the admin API, and acts on the request (``act``) once any delay is over."""

    kind: ClassVar[str]
    SETTINGS: ClassVar[tuple[str, ...]] = ()   # the settings a rule file gives, besides kind

    @classmethod
    def parse(cls, values: dict) -> "Action":
        return cls(**values)

    @property
    def delay_ms(self) -> float:
        """How long to wait before acting (on top of the latency)."""
        return 0.0

    def describe(self) -> dict:
        out: dict = {"kind": self.kind}
        out.update((name, getattr(self, name)) for name in self.SETTINGS
                   if getattr(self, name) is not None)
        return out

    def act(self, operation: str, run: Callable[[], dict]) -> Acted:
        """The response body (``run`` does the work) and the wire action that goes with it."""
        raise NotImplementedError


@dataclass(frozen=True)
class Acted:
    """What an action made of a request: the body (None: no answer at all) and what the wire
    layer must do to it."""

    body: dict | None
    wire: "WireAction | None" = None
    outcome: str | None = None      # the journal's word for a request that got no body


@dataclass(frozen=True)
class FaultAction(Action):
    """A NetSuite SOAP fault; the operation does not run."""

    kind: ClassVar[str] = "fault"
    SETTINGS: ClassVar[tuple[str, ...]] = ("fault", "code", "message", "faultstring")
    fault: str = ""
    code: str | None = None
    message: str | None = None
    faultstring: str | None = None

    @classmethod
    def parse(cls, values: dict) -> "FaultAction":
        fault = values.get("fault")
        if not fault:
            raise ConfigurationError("a fault action names its fault, e.g. "
                                     "fault = \"UnexpectedErrorFault\"")
        fault = fault[0].upper() + fault[1:]
        if fault not in FAULT_DEFAULTS:
            raise ConfigurationError(f"unknown fault {fault!r} "
                                     f"(known: {', '.join(FAULT_DEFAULTS)})")
        action = cls(**{**values, "fault": fault})
        if FAULT_DEFAULTS[fault] is None and not (action.code and action.message):
            raise ConfigurationError(f"{fault} needs a code and a message")
        return action

    def act(self, operation: str, run: Callable[[], dict]) -> Acted:
        raise self.soap_fault(operation)

    def soap_fault(self, operation: str) -> SoapFault:
        """The fault this action sends: NetSuite's code and message unless overridden."""
        element = self.fault[0].lower() + self.fault[1:]
        code, message, faultstring = None, None, None
        fault_id = FAULT_DEFAULTS.get(self.fault)
        if fault_id is not None:  # fills in a fresh Error ID, the operation and its limit
            known = SoapFault.of(fault_id, operation=operation,
                                 limit=RECORDS_PER_REQUEST.get(operation, 1),
                                 size=size_text(MAX_REQUEST_BYTES))
            code, message, faultstring = known.code, known.message, known.faultstring
        if self.message:  # the rule's own message is its faultstring too, unless it gives one
            message = faultstring = self.message
        return SoapFault(element, self.code or code, message,
                         faultstring=self.faultstring or faultstring)


@dataclass(frozen=True)
class StatusAction(Action):
    """A failed status with any code and message; the operation does not run."""

    kind: ClassVar[str] = "status"
    SETTINGS: ClassVar[tuple[str, ...]] = ("code", "message", "type")
    code: str = ""
    message: str | None = None
    type: str = "ERROR"

    @classmethod
    def parse(cls, values: dict) -> "StatusAction":
        action = cls(**values)
        if not action.code:
            raise ConfigurationError("a status action needs a code (and a message, unless the "
                                     "mock knows NetSuite's message for that code)")
        if action.message is None and _default_message_id(action.code) is None:
            raise ConfigurationError(f"a status action with code {action.code} needs a message")
        if action.type not in ("ERROR", "WARN", "INFO"):
            raise ConfigurationError("a status action's type is ERROR, WARN or INFO")
        return action

    def act(self, operation: str, run: Callable[[], dict]) -> Acted:
        failed = failed_response(operation, self.record_error())
        if failed is None:   # a rule for any operation met one without a status
            raise SoapFault.of("status_action_without_status", operation=operation)
        return Acted(failed)

    def record_error(self) -> RecordError:
        """The status detail this action sends; NetSuite's message for the code if none given."""
        message = self.message
        if message is None:
            message = RecordError.of(_default_message_id(self.code),
                                     error_id=new_error_id()).message
        return RecordError(self.code, message, detail_type=self.type)


@dataclass(frozen=True)
class DelayAction(Action):
    """Wait ``ms`` (inside the concurrency slot), then answer, or do what ``then`` says."""

    kind: ClassVar[str] = "delay"
    SETTINGS: ClassVar[tuple[str, ...]] = ("ms",)
    ms: float = 0.0
    then: Action | None = None

    @classmethod
    def parse(cls, values: dict) -> "DelayAction":
        then = values.pop("then", None)
        return cls(**values, then=parse_action(then) if then is not None else None)

    @property
    def delay_ms(self) -> float:
        return self.ms

    def describe(self) -> dict:
        out = super().describe()
        if self.then is not None:
            out["then"] = self.then.describe()
        return out

    def act(self, operation: str, run: Callable[[], dict]) -> Acted:
        return self.then.act(operation, run) if self.then is not None else Acted(run())


class Wire(Protocol):
    """What the HTTP layer can do with the answer the mock produced (``answer``), for a wire
    action to carry itself out with."""

    answer: bytes

    def replace(self, status: int, body: bytes, content_type: str) -> object: ...
    def drop(self) -> object: ...
    def reset(self) -> object: ...
    def send_part(self, part: bytes) -> object: ...
    def send_instead(self, body: bytes, outcome: str) -> object: ...


class WireAction(Action):
    """An action on the answer's way out: the operation runs (unless the action says before),
    and the HTTP layer breaks the answer as ``carry_out`` tells it."""

    def act(self, operation: str, run: Callable[[], dict]) -> Acted:
        return Acted(run(), self)

    def carry_out(self, wire: Wire) -> object:
        raise NotImplementedError


@dataclass(frozen=True)
class HttpAction(WireAction):
    """An HTTP status with a body of the rule's choice instead of the answer."""

    kind: ClassVar[str] = "http"
    SETTINGS: ClassVar[tuple[str, ...]] = ("status", "body", "content_type")
    status: int = 500
    body: str = ""
    content_type: str = "text/plain; charset=utf-8"

    @classmethod
    def parse(cls, values: dict) -> "HttpAction":
        action = cls(**values)
        if not (100 <= int(action.status) <= 599):
            raise ConfigurationError("an http action's status is an HTTP status code")
        return action

    def carry_out(self, wire: Wire) -> object:
        return wire.replace(int(self.status), self.body.encode(), self.content_type)


@dataclass(frozen=True)
class DropAction(WireAction):
    """The connection closed without an answer, after the work or before it."""

    kind: ClassVar[str] = "drop"
    SETTINGS: ClassVar[tuple[str, ...]] = ("phase",)
    phase: str = "after"

    @classmethod
    def parse(cls, values: dict) -> "DropAction":
        action = cls(**values)
        if action.phase not in ("before", "after"):
            raise ConfigurationError("a drop action's phase is before or after")
        return action

    def act(self, operation: str, run: Callable[[], dict]) -> Acted:
        if self.phase == "before":
            return Acted(None, self, "dropped")
        return super().act(operation, run)

    def carry_out(self, wire: Wire) -> object:
        return wire.drop()


@dataclass(frozen=True)
class ResetAction(DropAction):
    """The connection reset without an answer (a TCP RST, which clients report as "connection
    reset by peer"), after the work or before it."""

    kind: ClassVar[str] = "reset"

    def act(self, operation: str, run: Callable[[], dict]) -> Acted:
        if self.phase == "before":
            return Acted(None, self, "reset")
        return Acted(run(), self)

    def carry_out(self, wire: Wire) -> object:
        return wire.reset()


@dataclass(frozen=True)
class TruncateAction(WireAction):
    """Only the first ``bytes`` of the answer (half by default), then the connection closes."""

    kind: ClassVar[str] = "truncate"
    SETTINGS: ClassVar[tuple[str, ...]] = ("bytes",)
    bytes: int | None = None

    def carry_out(self, wire: Wire) -> object:
        answer = wire.answer
        cut = len(answer) // 2 if self.bytes is None else min(int(self.bytes), len(answer))
        return wire.send_part(answer[:cut])


@dataclass(frozen=True)
class InvalidXmlAction(WireAction):
    """The answer cut mid-tag and followed by bytes no XML parser accepts."""

    kind: ClassVar[str] = "invalid_xml"

    def carry_out(self, wire: Wire) -> object:
        answer = wire.answer
        return wire.send_instead(answer[: max(1, len(answer) * 2 // 3)] + b"<\x00\xff&;</",
                                 "invalid_xml")


ACTIONS: dict[str, type[Action]] = {cls.kind: cls for cls in (
    FaultAction, StatusAction, DelayAction, HttpAction, DropAction, ResetAction,
    TruncateAction, InvalidXmlAction)}
# What NetSuite does when a request runs past the timeout: the client sees the connection close.
TIMED_OUT = Acted(None, DropAction(phase="before"), "timed_out")


@dataclass
class Rule:
    action: Action
    name: str = ""
    id: str = ""
    operations: frozenset[str] = frozenset()
    record_types: frozenset[str] = frozenset()
    external_ids: frozenset[str] = frozenset()
    xpath: str | None = None
    accounts: frozenset[str] = frozenset()
    integrations: frozenset[str] = frozenset()
    nth: int | None = None
    every: int | None = None
    probability: float | None = None
    seed: int | None = None
    start: datetime | None = None
    end: datetime | None = None
    times: int | None = None
    enabled: bool = True
    matched: int = 0
    fired: int = 0
    _random: random.Random = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def matches(self, facts: RequestFacts, now: datetime) -> bool:
        if not self.enabled:
            return False
        if self.operations and facts.operation not in self.operations:
            return False
        if self.record_types and not self.record_types & facts.record_types:
            return False
        if self.external_ids and not self.external_ids & facts.external_ids:
            return False
        if self.accounts and facts.account not in self.accounts:
            return False
        if self.integrations and facts.integration not in self.integrations:
            return False
        if self.start is not None and now < self.start:
            return False
        if self.end is not None and now >= self.end:
            return False
        if self.xpath is not None and (facts.xpath is None or not facts.xpath(self.xpath)):
            return False
        return True

    def triggers(self) -> bool:
        """Count a match and say whether the rule fires on it (call with the lock held)."""
        if self.times is not None and self.fired >= self.times:
            return False
        self.matched += 1
        if self.nth is not None and self.matched != self.nth:
            return False
        if self.every is not None and self.matched % self.every:
            return False
        if self.probability is not None and self._random.random() >= self.probability:
            return False
        self.fired += 1
        return True

    def describe(self) -> dict:
        out: dict = {"id": self.id, "name": self.name}
        for key, values in (("operation", self.operations), ("record_type", self.record_types),
                            ("external_id", self.external_ids), ("account", self.accounts),
                            ("integration", self.integrations)):
            if values:
                out[key] = sorted(values)
        for key in ("xpath", "nth", "every", "probability", "seed", "times"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.start:
            out["start"] = self.start.isoformat()
        if self.end:
            out["end"] = self.end.isoformat()
        out["action"] = self.action.describe()
        out["enabled"] = self.enabled
        out["matched"], out["fired"] = self.matched, self.fired
        return out


class FaultRules:
    """The active rules of a mock, in the order they were added."""

    def __init__(self, xpath_validator: Callable[[str], frozenset[str]] | None = None):
        self._rules: list[Rule] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.xpath_validator = xpath_validator

    def add(self, spec: dict) -> Rule:
        return self.add_all([spec])[0]

    def add_all(self, specs: list, *, numbered: bool = False) -> list[Rule]:
        """Add rules, all or none: each is parsed and its XPath checked before any is added.
        The validator (the wire layer's) compiles an XPath and gives the names it tests.
        ``numbered``: an error names the rule as a scenario file's ``[[rules]] number n``."""
        parsed = []
        for number, spec in enumerate(specs, 1):
            try:
                parsed.append((self._checked(spec), spec))
            except ConfigurationError as error:
                if not numbered:
                    raise
                name = f" ({spec['name']!r})" if isinstance(spec, dict) and spec.get("name") \
                    else ""
                raise ConfigurationError(f"[[rules]] number {number}{name}: {error}") from None
        with self._lock:
            taken = {r.id for r in self._rules}
            for rule, spec in parsed:
                rule.id = str(spec.get("id") or "")
                if rule.id and rule.id in taken:
                    raise ConfigurationError(f"a rule with id {rule.id!r} already exists")
                taken.add(rule.id)
            for rule, _ in parsed:
                rule.id = rule.id or f"rule-{next(self._ids)}"
                rule.name = rule.name or rule.id
                self._rules.append(rule)
        return [rule for rule, _ in parsed]

    def _checked(self, spec: dict) -> Rule:
        rule = parse_rule(spec)
        if rule.xpath is not None and self.xpath_validator is not None:
            check_xpath_names(rule.xpath, self.xpath_validator(rule.xpath), rule.operations)
        return rule

    def remove(self, rule_id: str) -> bool:
        with self._lock:
            before = len(self._rules)
            self._rules = [r for r in self._rules if r.id != rule_id]
            return len(self._rules) != before

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def enable(self, rule_id: str, enabled: bool) -> Rule | None:
        """Turn a rule on or off (it keeps its counts); None if there is no such rule."""
        with self._lock:
            rule = next((r for r in self._rules if r.id == rule_id), None)
            if rule is not None:
                rule.enabled = enabled
            return rule

    def rules(self) -> list[Rule]:
        with self._lock:
            return list(self._rules)

    def decide(self, facts: RequestFacts, now: datetime) -> Rule | None:
        """The first rule that matches and fires on this request, if any."""
        for rule in self.rules():
            if rule.matches(facts, now):
                with self._lock:
                    if rule.triggers():
                        return rule
        return None


def _default_message_id(code: str) -> str | None:
    """NetSuite's message for a status code, if the mock knows one that needs no parameters."""
    return next((m for m, (c, template) in STATUS_MESSAGES.items()
                 if c == code and "{" not in template.replace("{error_id}", "")), None)


def _did_you_mean(word: str, known) -> str:
    close = difflib.get_close_matches(word, list(known), n=3, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(word.lower(), {k.lower(): k for k in known}, n=1)
        close = [next(k for k in known if k.lower() == c) for c in close]
    return f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""


def _known(names: frozenset[str], known: frozenset[str], what: str) -> frozenset[str]:
    """``names``, each one a rule may match on; ConfigurationError naming the closest if not."""
    unknown = sorted(names - known)
    if unknown:
        raise ConfigurationError(f"unknown {what} {unknown[0]!r}"
                                 f"{_did_you_mean(unknown[0], known)}: the rule could never match")
    return names


OPERATION_NAMES = frozenset(op.name for op in OPERATIONS)
# What a rule's record_type is matched against: records and references name a RecordType, a
# search its SearchRecordType (``transaction``, ``vendor``).
RECORD_TYPE_NAMES = frozenset(registry.types["platformCoreTyp:RecordType"].values) | \
    frozenset(registry.types["platformCoreTyp:SearchRecordType"].values)
# The SOAP headers a request may carry, which an XPath over the envelope also sees.
HEADER_ELEMENTS = ("platformMsgs:tokenPassport", "platformMsgs:preferences",
                   "platformMsgs:searchPreferences", "platformMsgs:applicationInfo",
                   "platformMsgs:partnerInfo")


@lru_cache(maxsize=1)
def _extensions() -> dict[str, list[ComplexType]]:
    """Each complex type's direct extensions (what an ``xsi:type`` may put in its place)."""
    children: dict[str, list[ComplexType]] = defaultdict(list)
    for ctype in registry.types.values():
        if isinstance(ctype, ComplexType) and ctype.base_ref:
            children[ctype.base_ref].append(ctype)
    return children


@lru_cache(maxsize=None)
def carried_names(operation: str | None) -> frozenset[str]:
    """The element names (``prefix:name``) and attribute names (``@name``) a request of the
    operation (of any, for None) can carry, headers and every ``xsi:type`` included."""
    if operation is None:
        return frozenset().union(*(carried_names(op) for op in sorted(OPERATION_NAMES)))
    names: set[str] = {"@xsi:type", "@xsi:nil"}
    todo: list[str] = []
    for qname in (f"platformMsgs:{operation}", *HEADER_ELEMENTS):
        element = registry.elements.get(qname)
        if element is not None:
            names.add(qname)
            todo.append(element.type_ref)
    seen: set[str] = set()
    while todo:
        qname = todo.pop()
        ctype = registry.lookup(qname)
        if qname in seen or not isinstance(ctype, ComplexType):
            continue
        seen.add(qname)
        todo.extend(t.qname for t in _extensions().get(qname, ()))
        names.update(f"@{a.name}" for a in ctype.attributes)
        for f in ctype.fields:
            names.add(f"{f.prefix}:{f.name}")
            todo.append(f.type_ref)
    return frozenset(names)


def check_xpath_names(xpath: str, names: frozenset[str], operations: frozenset[str]) -> None:
    """Refuse an XPath that names an element or attribute no request of the rule's operations
    (of any operation, if it names none) can carry: it would select nothing, ever."""
    carried = frozenset().union(*(carried_names(op) for op in sorted(operations))) \
        if operations else carried_names(None)
    which = f"no {' or '.join(sorted(operations))} request" if operations else "no request"
    unknown = sorted(names - carried)
    if unknown:
        name = unknown[0]
        local = name.rpartition(":")[2]
        if ":" not in name and not name.startswith("@"):   # no prefix: no namespace
            same = sorted(n for n in carried if n.rpartition(":")[2] == local
                          and not n.startswith("@"))
            hint = f" (did you mean {' or '.join(repr(n) for n in same[:3])}?)" if same else \
                _did_you_mean(name, carried)
            raise ConfigurationError(f"XPath {xpath!r} names {name!r} without a prefix, so it "
                                     f"matches no element of a NetSuite request{hint}")
        raise ConfigurationError(f"XPath {xpath!r} names {name!r}, which {which} carries"
                                 f"{_did_you_mean(name, carried)}: the rule could never match")


def _names(value) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        return frozenset([value])
    if isinstance(value, (list, tuple, set, frozenset)) and all(isinstance(v, str) for v in value):
        return frozenset(value)
    raise ConfigurationError(f"expected a name or a list of names, not {value!r}")


def _positive(spec: dict, key: str) -> int | None:
    value = spec.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigurationError(f"rule {key} must be a whole number of at least 1, not {value!r}")
    return value


def parse_action(spec: dict) -> Action:
    if not isinstance(spec, dict):
        raise ConfigurationError(f"a rule's action is a table, not {spec!r}")
    spec = dict(spec)
    kind = spec.pop("kind", None)
    cls = ACTIONS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ConfigurationError(f"rule action kind must be one of {', '.join(ACTIONS)}, "
                                 f"not {kind!r}")
    if "then" in spec and cls is not DelayAction:
        raise ConfigurationError("only a delay action takes a 'then' action")
    unknown = set(spec) - set(cls.SETTINGS) - {"then"}
    if unknown:
        raise ConfigurationError(f"unknown action setting(s) {', '.join(sorted(unknown))} "
                                 f"for a {kind} action")
    for name in ("fault", "code", "message", "faultstring", "body", "content_type", "type"):
        if spec.get(name) is not None and not isinstance(spec[name], str):
            raise ConfigurationError(f"a {kind} action's {name} is text, not {spec[name]!r}")
    for name in ("status", "ms", "bytes"):
        value = spec.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))
                                  or value < 0 or (name != "ms" and value != int(value))):
            raise ConfigurationError(f"a {kind} action's {name} is a number of at least 0, "
                                     f"{'' if name == 'ms' else 'whole, '}not {value!r}")
    return cls.parse(spec)


STATUS = "platformCore:Status"


def _status_path(operation: str) -> tuple[str, ...] | None:
    """The fields from an operation's response element down to its ``Status`` (``writeResponse,
    status``); None when the response has none (an asynchronous job's status, getAsyncResult's
    result, a status word that is not a ``Status``)."""
    element = registry.elements.get(f"platformMsgs:{operation}Response")
    ctype = registry.lookup(element.type_ref) if element is not None else None
    path: list[str] = []
    while isinstance(ctype, ComplexType) and ctype.fields:
        status = ctype.field("status")
        if status is not None and status.type_ref == STATUS:
            return (*path, "status")
        first = ctype.fields[0]
        path.append(first.name)
        ctype = registry.lookup(first.type_ref)
    return None


def failed_response(operation: str, error: RecordError) -> dict | None:
    """The operation's response holding only a failed status, where its schema puts it; None
    for an operation whose response has no status to fail."""
    path = _status_path(operation)
    if path is None:
        return None
    body: dict = {path[-1]: error.as_status()}
    for name in reversed(path[:-1]):
        body = {name: body}
    return body


def _final(action: Action) -> Action:
    while isinstance(action, DelayAction) and action.then is not None:
        action = action.then
    return action


def parse_rule(spec: dict) -> Rule:
    if not isinstance(spec, dict):
        raise ConfigurationError(f"a rule is a table, not {spec!r}")
    known = {"id", "name", "operation", "record_type", "external_id", "xpath", "account",
             "integration", "nth", "every", "probability", "seed", "start", "end", "times",
             "enabled", "action"}
    unknown = set(spec) - known
    if unknown:
        raise ConfigurationError(f"unknown rule setting(s) {', '.join(sorted(unknown))} "
                                 f"(known: {', '.join(sorted(known))})")
    if "action" not in spec:
        raise ConfigurationError("a rule needs an action")
    probability = spec.get("probability")
    if probability is not None and not (isinstance(probability, (int, float))
                                        and 0 <= probability <= 1):
        raise ConfigurationError("rule probability is a number from 0 to 1")
    try:
        start = parse_datetime(spec["start"]) if spec.get("start") else None
        end = parse_datetime(spec["end"]) if spec.get("end") else None
    except (TypeError, ValueError):
        raise ConfigurationError("rule start and end are ISO date-times") from None
    if spec.get("seed") is not None and (isinstance(spec["seed"], bool)
                                         or not isinstance(spec["seed"], int)):
        raise ConfigurationError(f"rule seed is a whole number, not {spec['seed']!r}")
    xpath = spec.get("xpath")
    if xpath is not None and not (isinstance(xpath, str) and xpath.strip()):
        raise ConfigurationError(f"rule xpath is an XPath expression, not {xpath!r}")
    if spec.get("nth") is not None and spec.get("every") is not None:
        raise ConfigurationError("a rule fires on the nth call or on every k-th, not both")
    if not isinstance(spec.get("enabled", True), bool):
        raise ConfigurationError(f"rule enabled is true or false, not {spec['enabled']!r}")
    action = parse_action(spec["action"])
    operations = _known(_names(spec.get("operation")), OPERATION_NAMES, "operation")
    if isinstance(_final(action), StatusAction):
        without = sorted(op for op in operations if _status_path(op) is None)
        if without:
            raise ConfigurationError(f"{without[0]} answers without a status that could fail "
                                     f"(a job status, a job's result): give it a fault action")
    return Rule(action=action, name=str(spec.get("name") or ""),
                operations=operations,
                record_types=_known(_names(spec.get("record_type")), RECORD_TYPE_NAMES,
                                    "record type"),
                external_ids=_names(spec.get("external_id")), xpath=xpath,
                accounts=_names(spec.get("account")),
                integrations=_names(spec.get("integration")), nth=_positive(spec, "nth"),
                every=_positive(spec, "every"),
                probability=float(probability) if probability is not None else None,
                seed=spec.get("seed"), start=start, end=end, times=_positive(spec, "times"),
                enabled=spec.get("enabled", True))
