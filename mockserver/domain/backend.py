"""The mock NetSuite itself: accounts, authentication, governance, fault rules and dispatch.

``Backend.handle`` is what every SOAP request comes down to once the wire layer has parsed it:
verify the TokenPassport, check the role may use SOAP web services, take a concurrency slot (or
fault), let a fault rule decide (or not), wait out the latency, run the operation and return its
response body as a dict shaped by the schema, in a ``Reply`` (with what a fault rule leaves for
the wire layer to do). Operation handlers live in ``mockserver.domain.handlers`` and register
with ``dispatch.operation``; an operation NetSuite has and no module registers answers with a
fault that says the mock does not implement it.
"""

from __future__ import annotations

import random
import time
from datetime import datetime
from functools import lru_cache
from typing import Callable, NamedTuple

from mockserver.domain import handlers  # noqa: F401  (registers every operation handler)
from mockserver.domain.accounts import AccountState
from mockserver.domain.auth import Identity, LoginAuditTrail, TokenPassportVerifier
from mockserver.domain.clock import Clock
from mockserver.domain.dispatch import OPERATIONS, Call, Handler
from mockserver.domain.errors import SoapFault
from mockserver.domain.faultrules import TIMED_OUT, Action, FaultRules, RequestFacts, WireAction
from mockserver.domain.journal import Journal
from mockserver.domain.latency import REQUEST_TIMEOUT_SECONDS, LatencyPlan
from mockserver.domain.records import kind_for_qname, kind_of
from mockserver.schema import registry
from mockserver.schema.model import ComplexType

# The types whose names say what a search searches: *Search, *SearchBasic, *SearchAdvanced
# and the rows they return.
SEARCH_BASES = ("platformCore:SearchRecord", "platformCore:SearchRow")


class Reply(NamedTuple):
    """A request's outcome, all of it: the response body (None when the client gets no answer
    at all: dropped before the work, timed out, or a fault), the fault if NetSuite answers with
    one, the wire action a fault rule left for the HTTP layer, and what the journal records
    about the request (whose it was, what it named, which rule fired, how long it held a
    concurrency slot)."""

    body: dict | None
    ns_id: str = ""
    wire_action: WireAction | None = None
    outcome: str | None = None      # the journal's word for a request without a body
    fault: SoapFault | None = None
    account: str | None = None
    integration: str | None = None
    record_types: tuple[str, ...] = ()
    rule: str | None = None
    slot_ms: float | None = None


def handler_of(operation_name: str) -> Handler:
    """The operation's handler, or the fault that says the mock does not implement it."""
    handler = OPERATIONS.get(operation_name)
    if handler is None:
        raise SoapFault.of("not_implemented", operation=operation_name)
    return handler


def new_ns_id(account: str, now: datetime) -> str:
    """A documentInfo nsId in NetSuite's shape (INFERRED from captures, see the reference §3.1)."""
    digits = random.getrandbits(64) % 10 ** 19
    return (f"WEBSERVICES_{account.upper()}_{now.month:02d}{now.day:02d}{now.year:04d}"
            f"{digits:019d}_{random.getrandbits(40):010x}")


@lru_cache(maxsize=1024)
def searched_family(qname: str) -> str | None:
    """What a search type searches, as fault rules name it (``listRel:VendorSearchAdvanced``,
    ``platformCommon:TransactionSearchBasic`` and its row types: vendor, transaction), or None
    for anything else a request may name with ``xsi:type`` (a search field such as
    ``platformCore:SearchStringField``, an abstract type, a type the schema does not have)."""
    ctype = registry.lookup(qname)
    if not isinstance(ctype, ComplexType) or ctype.abstract or \
            not any(ctype.is_a(base) for base in SEARCH_BASES):
        return None
    family = ctype.name.partition("Search")[0]
    return family[0].lower() + family[1:] if family else None


def request_facts(body: dict) -> tuple[frozenset[str], frozenset[str]]:
    """(record types, externalIds) a request body names: records, references, searches."""
    types: set[str] = set()
    external_ids: set[str] = set()

    def visit(value) -> None:
        if isinstance(value, list):
            for item in value:
                visit(item)
            return
        if not isinstance(value, dict):
            return
        qname = value.get("_type", "")
        kind = kind_for_qname(qname)
        named = value.get("type") if isinstance(value.get("type"), str) else None
        if kind is not None or (named and kind_of(named) is not None):
            types.add(kind.record_type if kind is not None else named)
            if isinstance(value.get("externalId"), str):
                external_ids.add(value["externalId"])
        if "Search" in qname:
            searched = searched_family(qname)
            if searched is not None:
                types.add(searched)
        for key, item in value.items():
            if key == "type" and isinstance(item, dict):  # e.g. TransactionSearchBasic.type
                values = item.get("searchValue") or []
                types.update(v.lstrip("_") for v in values if isinstance(v, str))
            else:
                visit(item)
    visit(body)
    return frozenset(types), frozenset(external_ids)


class Backend:
    def __init__(self, *, clock: Clock | None = None, latency: LatencyPlan | None = None,
                 request_timeout: float = REQUEST_TIMEOUT_SECONDS,
                 async_job_seconds: float = 0.0,
                 sleep: Callable[[float], None] = time.sleep):
        self.clock = clock or Clock()
        self.audit = LoginAuditTrail()
        self.accounts: dict[str, AccountState] = {}
        self.verifier = TokenPassportVerifier(self.clock, self.audit, self.accounts)
        self.latency = latency or LatencyPlan()
        self.request_timeout = request_timeout
        self.async_job_seconds = async_job_seconds  # how long an asynchronous job takes
        self.rules = FaultRules()
        self.journal = Journal()
        self.sleep = sleep

    def add_account(self, account: AccountState) -> AccountState:
        self.accounts[account.account_id] = account
        return account

    def credentials(self) -> list[str]:
        """Every configured secret value: consumer keys and secrets, token ids and secrets."""
        return [value for account in self.accounts.values()
                for value in account.credentials()]

    @property
    def default_account(self) -> AccountState:
        return next(iter(self.accounts.values()))

    # -- requests --------------------------------------------------------------------------
    def handle(self, operation_name: str, headers: dict, body: dict, *, base_url: str,
               remote_addr: str | None = None,
               xpath: Callable[[str], bool] | None = None) -> Reply:
        try:
            identity = self._authenticate(operation_name, headers, remote_addr)
        except SoapFault as fault:
            return Reply(None, fault=fault)
        account, integration = identity.account, identity.integration
        types, external_ids = request_facts(body)
        facts = RequestFacts(operation_name, account.account_id, integration.name, types,
                             external_ids, xpath)
        seen = {"account": account.account_id, "integration": integration.name,
                "record_types": tuple(sorted(types))}
        slot_started = None
        try:
            self._permit(identity)
            with account.gate.slot(integration.name):
                slot_started = time.perf_counter()
                rule = self.rules.decide(facts, self.clock.now())
                action = rule.action if rule is not None else None
                if rule is not None:
                    seen["rule"] = rule.name
                reply = self._run(operation_name, headers, body, base_url, identity, action)
        except SoapFault as fault:
            reply = Reply(None, fault=fault)
        if slot_started is not None:
            # The journal's ``duration_ms`` also counts reading, parsing and authenticating,
            # which happen before a slot is taken, so requests can seem to overlap beyond the
            # limit there; ``slot_ms`` cannot.
            seen["slot_ms"] = round((time.perf_counter() - slot_started) * 1000, 3)
        return reply._replace(**seen)

    def _run(self, operation_name: str, headers: dict, body: dict, base_url: str,
             identity: Identity, action: Action | None) -> Reply:
        """Inside the concurrency slot: wait out the latency, then run the operation (or let
        the rule's action decide what becomes of it)."""
        if not self._wait(operation_name, action):
            return Reply(None, "", TIMED_OUT.wire, TIMED_OUT.outcome)
        account = identity.account
        now = self.clock.now()
        if account.async_jobs.waiting:  # jobs whose time is up are done first
            account.async_jobs.run_due(now)
        call = Call(self, account, identity, operation_name, headers,
                    new_ns_id(account.account_id, now), now, base_url)
        if action is None:
            return Reply(handler_of(operation_name)(call, body), call.ns_id)
        acted = action.act(operation_name, lambda: handler_of(operation_name)(call, body))
        return Reply(acted.body, call.ns_id, acted.wire, acted.outcome)

    def _authenticate(self, operation_name: str, headers: dict,
                      remote_addr: str | None) -> Identity:
        """Verify the TokenPassport (a fault for any other credentials, or a bad one)."""
        other = tuple(h for h in ("passport", "ssoPassport", "applicationInfo")
                      if headers.get(h) is not None)
        return self.verifier.verify(headers.get("tokenPassport") or [],
                                    other_credentials=other, operation=operation_name,
                                    remote_addr=remote_addr)

    @staticmethod
    def _permit(identity: Identity) -> None:
        """The role must be allowed to use SOAP web services at all."""
        if not identity.role.soap_web_services:
            raise SoapFault.of("ws_permission")

    def _wait(self, operation_name: str, action: Action | None) -> bool:
        """Wait out the latency (and a delay rule's time); False when that passes the request
        timeout, after waiting that long."""
        delay = self.latency.sample_seconds(operation_name)
        if action is not None:
            delay += action.delay_ms / 1000.0
        if delay > self.request_timeout:
            self.sleep(self.request_timeout)
            return False
        if delay:
            self.sleep(delay)
        return True

    # -- state -----------------------------------------------------------------------------
    def reset_runtime(self) -> None:
        """Forget what requests left behind (audit, journal, nonces, lockouts, counters, search
        ids, asynchronous jobs)."""
        self.audit.clear()
        self.journal.clear()
        self.verifier.reset_nonces()
        for account in self.accounts.values():
            account.lockouts.clear()
            account.searches.clear()
            account.async_jobs.clear()
            account.gate.reset_counters()
