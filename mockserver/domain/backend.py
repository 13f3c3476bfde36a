"""The mock NetSuite itself: accounts, authentication, governance, fault rules and dispatch.

``Backend.handle`` is what every SOAP request comes down to once the wire layer has parsed it:
verify the TokenPassport, check the role may use SOAP web services, take a concurrency slot (or
fault), let a fault rule decide (or not), wait out the latency, run the operation and return its
response body as a dict shaped by the schema. Operation handlers register themselves with
``@operation(name)``; an operation NetSuite has and no module registers answers with a fault
that says the mock does not implement it.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Callable

from mockserver.domain.accounts import AccountState, Level, Role
from mockserver.domain.auth import Identity, LoginAuditTrail, TokenPassportVerifier
from mockserver.domain.clock import Clock
from mockserver.domain.errors import SoapFault
from mockserver.domain.faultrules import (WIRE_ACTIONS, Action, FaultRules, RequestFacts,
                                          WireActionRequired, failed_response)
from mockserver.domain.journal import Exchange, Journal
from mockserver.domain.latency import REQUEST_TIMEOUT_SECONDS, LatencyPlan
from mockserver.domain.records import RecordKind, kind_for_qname, kind_of
from mockserver.schema import registry
from mockserver.schema.model import ComplexType

log = logging.getLogger("netsuite_mock")

# The types whose names say what a search searches: *Search, *SearchBasic, *SearchAdvanced
# and the rows they return.
SEARCH_BASES = ("platformCore:SearchRecord", "platformCore:SearchRow")


@dataclass
class Call:
    """What an operation handler knows about the request it serves."""

    backend: "Backend"
    account: AccountState
    identity: Identity
    operation: str
    headers: dict
    ns_id: str
    now: datetime
    base_url: str

    @property
    def role(self) -> Role:
        return self.identity.role

    def require(self, kind: RecordKind, level: Level) -> None:
        """NetSuite's INSUFFICIENT_PERMISSION record error if the role may not do this."""
        self.identity.role.require(kind.record_type, level)


Handler = Callable[[Call, dict], dict]
OPERATIONS: dict[str, Handler] = {}


def operation(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        OPERATIONS[name] = handler
        return handler
    return register


@dataclass
class Reply:
    body: dict
    ns_id: str
    wire_action: Action | None = field(default=None)


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


def request_facts(body: dict) -> tuple[set[str], set[str]]:
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
    return types, external_ids


class Backend:
    def __init__(self, *, clock: Clock | None = None, latency: LatencyPlan | None = None,
                 request_timeout: float = REQUEST_TIMEOUT_SECONDS,
                 async_job_seconds: float = 0.0,
                 sleep: Callable[[float], None] = time.sleep):
        # Register the operation handlers (they live in their own modules).
        from mockserver.domain import (async_operations, attach_operations,  # noqa: F401
                                       inventory, list_operations, operations, select_values)
        from mockserver.domain.search import operations as search_operations  # noqa: F401

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
               remote_addr: str | None = None, exchange: Exchange | None = None,
               xpath: Callable[[str], bool] | None = None) -> Reply:
        exchange = exchange if exchange is not None else Exchange()
        exchange.operation = operation_name
        other = tuple(h for h in ("passport", "ssoPassport", "applicationInfo")
                      if headers.get(h) is not None)
        identity = self.verifier.verify(headers.get("tokenPassport") or [],
                                        other_credentials=other, operation=operation_name,
                                        remote_addr=remote_addr)
        account, integration = identity.account, identity.integration
        exchange.account, exchange.integration = account.account_id, integration.name
        types, external_ids = request_facts(body)
        exchange.record_types = sorted(types)
        if not identity.role.soap_web_services:
            raise SoapFault.of("ws_permission")
        facts = RequestFacts(operation_name, account.account_id, integration.name,
                             frozenset(types), frozenset(external_ids), xpath)
        with account.gate.slot(integration.name):
            now = self.clock.now()
            rule = self.rules.decide(facts, now)
            action = rule.action if rule is not None else None
            if rule is not None:
                exchange.rule = rule.name
            delay = self.latency.sample_seconds(operation_name)
            if action is not None and action.kind == "delay":
                delay += action.ms / 1000.0
                action = action.then
            if delay > self.request_timeout:
                # NetSuite cuts the request off; the client sees the connection close.
                self.sleep(self.request_timeout)
                raise WireActionRequired(Action("drop", phase="before"), "timed_out")
            if delay:
                self.sleep(delay)
            now = self.clock.now()
            if account.async_jobs.waiting:  # jobs whose time is up are done first
                account.async_jobs.run_due(now)
            ns_id = new_ns_id(account.account_id, now)
            if action is not None:
                if action.kind == "fault":
                    raise action.soap_fault(operation_name)
                if action.kind == "status":
                    failed = failed_response(operation_name, action.record_error())
                    if failed is None:   # a rule for any operation met one without a status
                        raise SoapFault.of("status_action_without_status",
                                           operation=operation_name)
                    return Reply(failed, ns_id)
                if action.kind == "drop" and action.phase == "before":
                    raise WireActionRequired(action, "dropped")
            handler = OPERATIONS.get(operation_name)
            if handler is None:
                raise SoapFault.of("not_implemented", operation=operation_name)
            call = Call(self, account, identity, operation_name, headers, ns_id, now, base_url)
            reply = Reply(handler(call, body), ns_id)
            if action is not None and action.kind in WIRE_ACTIONS:
                reply.wire_action = action
            return reply

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
