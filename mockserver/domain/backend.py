"""The mock NetSuite itself: accounts, authentication, governance and operation dispatch.

``Backend.handle`` is what every SOAP request comes down to once the wire layer has parsed it:
verify the TokenPassport, take a concurrency slot (or fault), wait out the configured latency,
run the operation and return its response body as a dict shaped by the schema. Operation
handlers register themselves with ``@operation(name)``; an operation NetSuite has and no module
registers answers with a fault that says the mock does not implement it.
"""

from __future__ import annotations

import logging
import random
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from mockserver.domain.auth import (AccessToken, Identity, Integration, LoginAuditTrail,
                                    TokenPassportVerifier)
from mockserver.domain.clock import Clock
from mockserver.domain.errors import SoapFault
from mockserver.domain.governance import ConcurrencyGate
from mockserver.domain.search.sessions import SearchSessions
from mockserver.domain.store import RecordStore
from mockserver.domain.writes import RecordWriter

log = logging.getLogger("netsuite_mock")


@dataclass
class AccountState:
    """One NetSuite account: its records and its concurrency gate."""

    account_id: str
    gate: ConcurrencyGate
    store: RecordStore = field(default_factory=RecordStore)
    searches: SearchSessions = field(default_factory=SearchSessions)  # open search ids

    def __post_init__(self) -> None:
        self.writer = RecordWriter(self.store)


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


def new_ns_id(account: str, now: datetime) -> str:
    """A documentInfo nsId in NetSuite's shape (INFERRED from captures, see the reference §3.1)."""
    digits = "".join(random.choices("0123456789", k=19))
    return f"WEBSERVICES_{account.upper()}_{now:%m%d%Y}{digits}_{secrets.token_hex(5)}"


class Backend:
    def __init__(self, *, clock: Clock | None = None, latency_ms: float = 0.0):
        # Register the operation handlers (they live in their own modules).
        from mockserver.domain import operations  # noqa: F401
        from mockserver.domain.search import operations as search_operations  # noqa: F401

        self.clock = clock or Clock()
        self.audit = LoginAuditTrail()
        self.verifier = TokenPassportVerifier(self.clock, self.audit)
        self.accounts: dict[str, AccountState] = {}
        self.latency_ms = latency_ms

    # -- configuration ---------------------------------------------------------------------
    def add_account(self, account_id: str, concurrency_limit: int) -> AccountState:
        state = AccountState(account_id, ConcurrencyGate(concurrency_limit))
        self.accounts[account_id] = state
        self.verifier.add_account(account_id)
        return state

    def add_integration(self, integration: Integration) -> None:
        self.verifier.add_integration(integration)

    def add_token(self, token: AccessToken) -> None:
        self.verifier.add_token(token)

    # -- requests --------------------------------------------------------------------------
    def handle(self, operation_name: str, headers: dict, body: dict, *, base_url: str,
               remote_addr: str | None = None) -> Reply:
        other = tuple(h for h in ("passport", "ssoPassport", "applicationInfo")
                      if headers.get(h) is not None)
        identity = self.verifier.verify(headers.get("tokenPassport") or [],
                                        other_credentials=other, operation=operation_name,
                                        remote_addr=remote_addr)
        account = self.accounts[identity.account]
        with account.gate.slot():
            if self.latency_ms:
                time.sleep(self.latency_ms / 1000.0)
            handler = OPERATIONS.get(operation_name)
            if handler is None:
                raise SoapFault.of("not_implemented", operation=operation_name)
            now = self.clock.now()
            call = Call(self, account, identity, operation_name, headers,
                        new_ns_id(account.account_id, now), now, base_url)
            return Reply(handler(call, body), call.ns_id)
