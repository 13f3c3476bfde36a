"""The operation table: which handler serves which SOAP operation, and what a handler is given.

Handlers (``mockserver.domain.handlers``) register with ``@operation(name)``; ``Backend``
imports that package and looks handlers up in ``OPERATIONS``. This module imports no handler
and, at run time, not the backend, so registering makes no import circle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Callable

from mockserver.domain.accounts import AccountState, Level, Role
from mockserver.domain.auth import Identity
from mockserver.domain.records import RecordKind

if TYPE_CHECKING:
    from mockserver.domain.backend import Backend


@dataclass
class Call:
    """What an operation handler knows about the request it serves."""

    backend: Backend
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
