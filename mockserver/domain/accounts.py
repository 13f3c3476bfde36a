"""NetSuite accounts as an administrator sets them up: limits, integrations, roles and tokens.

An account has a concurrency limit (its service tier, plus 10 per SuiteCloud Plus licence),
integration records (consumer key and secret, enabled or blocked, optionally a concurrency limit
of their own, always leaving at least one slot unallocated), roles with permissions, and access
tokens tying an integration, a user and a role together. Facts: reference §1.3 and §2.4.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import IntEnum

from mockserver.domain.async_jobs import AsyncJobs
from mockserver.domain.attachments import Attachments
from mockserver.domain.errors import ConfigurationError, RecordError
from mockserver.domain.governance import DEFAULT_LIMIT, ConcurrencyGate
from mockserver.domain.search.saved import SavedSearches
from mockserver.domain.search.sessions import SearchSessions
from mockserver.domain.store import RecordStore
from mockserver.domain.writes import RecordWriter

# Concurrency limit by service tier (new contracts since June 2020, and the legacy tiers).
SERVICE_TIERS = {"standard": 5, "premium": 15, "enterprise": 20, "ultimate": 20,
                 "shared": 5, "tier-3": 5, "tier-2": 10, "tier-1": 15, "tier-0": 20,
                 "development": 5, "partner": 5}
PER_SUITECLOUD_PLUS_LICENCE = 10
# What stands for a credential in whatever the mock keeps or shows.
REDACTED = "[redacted]"
# Shorter values would redact ordinary text (the journal still redacts them in their elements).
MIN_SECRET_CHARS = 4


def without_credentials(text: str, credentials) -> str:
    """``text`` with every configured credential in it replaced by ``REDACTED``, longest
    first (for what the mock keeps or logs of a request: the journal's bodies go through
    ``wire/redaction.py``, which also knows their encodings)."""
    for value in sorted({v for v in credentials if v and len(v) >= MIN_SECRET_CHARS},
                        key=len, reverse=True):
        if value in text:
            text = text.replace(value, REDACTED)
    return text


NO_SCALING_TIERS = ("development", "partner")  # always 5, licences do not add

LOCKOUT_AFTER_FAILURES = 5
LOCKOUT_DURATION = timedelta(minutes=30)


def concurrency_limit_for(tier: str, licences: int = 0) -> int:
    if tier not in SERVICE_TIERS:
        raise ConfigurationError(f"unknown service tier {tier!r} "
                                 f"(known: {', '.join(SERVICE_TIERS)})")
    if tier in NO_SCALING_TIERS:
        return SERVICE_TIERS[tier]
    return SERVICE_TIERS[tier] + PER_SUITECLOUD_PLUS_LICENCE * licences


class Level(IntEnum):
    """A role's permission level on a record type, NetSuite's four plus none."""

    NONE = 0
    VIEW = 1
    CREATE = 2
    EDIT = 3
    FULL = 4

    @classmethod
    def parse(cls, text: str) -> "Level":
        try:
            return cls[str(text).upper()]
        except KeyError:
            raise ConfigurationError(f"unknown permission level {text!r} "
                                     f"(use none, view, create, edit or full)") from None


# The permission NetSuite names in its INSUFFICIENT_PERMISSION message, by record type.
# Labels follow NetSuite's permission list; where the mock had to guess, see docs/fidelity.md.
PERMISSION_LABELS = {
    "vendor": "Lists -> Vendors", "customer": "Lists -> Customers",
    "employee": "Lists -> Employees", "contact": "Lists -> Contacts",
    "job": "Lists -> Projects", "billingAccount": "Lists -> Billing Accounts",
    "vendorBill": "Transactions -> Bills", "vendorCredit": "Transactions -> Enter Vendor Credits",
    "vendorPayment": "Transactions -> Pay Bills", "purchaseOrder": "Transactions -> Purchase Order",
    "itemReceipt": "Transactions -> Item Receipt", "invoice": "Transactions -> Invoice",
    "creditMemo": "Transactions -> Credit Memo",
    "customerPayment": "Transactions -> Customer Payment",
    "journalEntry": "Transactions -> Make Journal Entry",
    "advInterCompanyJournalEntry": "Transactions -> Advanced Intercompany Journal Entry",
    "expenseReport": "Transactions -> Expense Report", "usage": "Transactions -> Usage",
    "account": "Lists -> Accounts", "currency": "Lists -> Currency",
    "currencyRate": "Lists -> Currency Exchange Rates", "subsidiary": "Lists -> Subsidiaries",
    "location": "Lists -> Locations", "department": "Lists -> Departments",
    "classification": "Lists -> Classes", "accountingPeriod": "Setup -> Manage Accounting Periods",
    "term": "Lists -> Accounting Lists", "expenseCategory": "Lists -> Expense Categories",
    "priceLevel": "Lists -> Accounting Lists", "vendorCategory": "Lists -> Accounting Lists",
    "taxGroup": "Lists -> Tax Records", "salesTaxItem": "Lists -> Tax Records",
    "folder": "Lists -> Documents and Files", "file": "Lists -> Documents and Files",
    "customRecordType": "Setup -> Custom Record Types",
    "customRecord": "Lists -> Custom Record Entries", "customList": "Setup -> Custom Lists",
    "deletedRecord": "Lists -> Deleted Records",
    "financialStatements": "Reports -> Financial Statements",
}
# The "Deleted Records" permission getDeleted needs, as a key of a role's ``records`` table.
DELETED_RECORDS = "deletedRecord"
# The "Financial Statements" permission getPostingTransactionSummary needs, the same way.
FINANCIAL_STATEMENTS = "financialStatements"
ITEM_PERMISSION = "Lists -> Items"


def permission_label(record_type: str) -> str:
    return PERMISSION_LABELS.get(record_type) or (
        ITEM_PERMISSION if record_type.endswith("Item") else f"Lists -> {record_type}")


@dataclass
class Role:
    name: str
    administrator: bool = False
    soap_web_services: bool = True
    log_in_using_access_tokens: bool = True
    records: dict[str, Level] = field(default_factory=dict)  # record type (or "*") -> level

    def level_for(self, record_type: str) -> Level:
        if self.administrator:
            return Level.FULL
        return self.records.get(record_type, self.records.get("*", Level.NONE))

    def require(self, record_type: str, level: Level) -> None:
        """Raise NetSuite's INSUFFICIENT_PERMISSION record error if the role falls short."""
        has = self.level_for(record_type)
        if has < level:
            raise RecordError.of("insufficient_permission" if has > Level.NONE
                                 else "no_permission", permission=permission_label(record_type))


ADMINISTRATOR = Role("Administrator", administrator=True)


@dataclass
class Integration:
    name: str
    consumer_key: str
    consumer_secret: str
    enabled: bool = True
    concurrency_limit: int | None = None


@dataclass
class AccessToken:
    token_id: str
    token_secret: str
    consumer_key: str
    user: str = "Mock Administrator"
    role: str = "Administrator"
    revoked: bool = False


class AccountState:
    """One NetSuite account: its set-up, its records and its concurrency gate."""

    def __init__(self, account_id: str, *, concurrency_limit: int = DEFAULT_LIMIT,
                 tba_enabled: bool = True, store: RecordStore | None = None):
        self.account_id = account_id
        self.tba_enabled = tba_enabled
        self.integrations: dict[str, Integration] = {}
        self.tokens: dict[str, AccessToken] = {}
        self.roles: dict[str, Role] = {ADMINISTRATOR.name: ADMINISTRATOR}
        self.gate = ConcurrencyGate(concurrency_limit)
        self.store = store if store is not None else RecordStore()
        self.writer = RecordWriter(self.store)
        self.lockouts = Lockouts()
        self.searches = SearchSessions()  # open search ids
        self.async_jobs = AsyncJobs()  # submitted asynchronous jobs and their results
        self.saved_searches = SavedSearches()  # from the seed
        self.attachments = Attachments()  # contacts and files attached to records
        self.seed = "none"  # what a reset reloads

    @property
    def concurrency_limit(self) -> int:
        return self.gate.limit

    def add_integration(self, integration: Integration) -> None:
        if integration.consumer_key in self.integrations:
            raise ConfigurationError(f"account {self.account_id}: two integrations share the "
                                     f"consumer key of {integration.name!r}")
        if any(i.name == integration.name for i in self.integrations.values()):
            raise ConfigurationError(f"account {self.account_id}: two integrations are named "
                                     f"{integration.name!r}")
        self.integrations[integration.consumer_key] = integration
        self.gate.allocate(integration.name, integration.concurrency_limit)

    def add_role(self, role: Role) -> None:
        self.roles[role.name] = role

    def add_token(self, token: AccessToken) -> None:
        if token.consumer_key not in self.integrations:
            raise ConfigurationError(f"account {self.account_id}: token {token.token_id[:4]}… "
                                     f"names an integration the account does not have")
        if token.role not in self.roles:
            raise ConfigurationError(f"account {self.account_id}: token {token.token_id[:4]}… "
                                     f"has role {token.role!r}, which is not defined")
        self.tokens[token.token_id] = token

    def credentials(self) -> list[str]:
        """The account's secret values: its integrations' keys and secrets, its tokens'."""
        return [value for i in self.integrations.values()
                for value in (i.consumer_key, i.consumer_secret)] + \
               [value for t in self.tokens.values() for value in (t.token_id, t.token_secret)]

    def role_of(self, token: AccessToken) -> Role:
        return self.roles[token.role]

    def unallocated(self) -> int:
        return self.gate.unallocated


class Lockouts:
    """Users locked after repeated failed logins (5 failures -> 30 minutes), per account."""

    def __init__(self) -> None:
        self._failures: dict[str, int] = {}
        self._locked_until: dict[str, datetime] = {}
        self._lock = threading.Lock()

    def is_locked(self, user: str, now: datetime) -> bool:
        with self._lock:
            until = self._locked_until.get(user)
            if until is None:
                return False
            if now >= until:
                del self._locked_until[user]
                self._failures.pop(user, None)
                return False
            return True

    def failed(self, user: str, now: datetime) -> None:
        with self._lock:
            count = self._failures.get(user, 0) + 1
            self._failures[user] = count
            if count >= LOCKOUT_AFTER_FAILURES:
                self._locked_until[user] = now + LOCKOUT_DURATION

    def succeeded(self, user: str) -> None:
        with self._lock:
            self._failures.pop(user, None)

    def clear(self) -> None:
        with self._lock:
            self._failures.clear()
            self._locked_until.clear()


# -- scenario files ----------------------------------------------------------------------------
def _table(spec, what: str) -> dict:
    if not isinstance(spec, dict):
        raise ConfigurationError(f"{what} must be a table, not {spec!r}")
    return dict(spec)


def _check_keys(spec: dict, known: set[str], what: str) -> None:
    unknown = set(spec) - known
    if unknown:
        raise ConfigurationError(f"{what}: unknown setting(s) {', '.join(sorted(unknown))} "
                                 f"(known: {', '.join(sorted(known))})")


def parse_role(spec: dict) -> Role:
    spec = _table(spec, "a role")
    _check_keys(spec, {"name", "administrator", "soap_web_services",
                       "log_in_using_access_tokens", "records"}, f"role {spec.get('name')!r}")
    if not spec.get("name"):
        raise ConfigurationError("every role needs a name")
    records = _table(spec.get("records", {}), f"role {spec['name']!r} records")
    return Role(name=str(spec["name"]), administrator=bool(spec.get("administrator", False)),
                soap_web_services=bool(spec.get("soap_web_services", True)),
                log_in_using_access_tokens=bool(spec.get("log_in_using_access_tokens", True)),
                records={str(k): Level.parse(v) for k, v in records.items()})


def account_limit(spec: dict) -> int:
    """The concurrency limit of an ``[[accounts]]`` table: its ``concurrency_limit`` or its
    service tier's, plus its SuiteCloud Plus licences. The one place that works it out, for the
    account's gate and for the number of server threads."""
    spec = _table(spec, "an account")
    account_id = spec.get("id")
    if "concurrency_limit" in spec and "service_tier" in spec:
        raise ConfigurationError(f"account {account_id}: give a concurrency_limit or a "
                                 f"service_tier, not both")
    licences = spec.get("suitecloud_plus_licences", 0)
    if isinstance(licences, bool) or not isinstance(licences, int) or licences < 0:
        raise ConfigurationError(f"account {account_id}: suitecloud_plus_licences must be a "
                                 f"whole number")
    if "concurrency_limit" in spec:
        limit = spec["concurrency_limit"]
        if isinstance(limit, bool) or not isinstance(limit, int):
            raise ConfigurationError(f"account {account_id}: concurrency_limit must be a number")
        return limit + PER_SUITECLOUD_PLUS_LICENCE * licences
    return concurrency_limit_for(spec.get("service_tier", "standard"), licences)


def parse_account(spec: dict, *, store: RecordStore | None = None) -> AccountState:
    """An account from a scenario file's ``[[accounts]]`` table."""
    spec = _table(spec, "an account")
    _check_keys(spec, {"id", "concurrency_limit", "service_tier", "suitecloud_plus_licences",
                       "tba_enabled", "seed", "roles", "integrations", "tokens"},
                f"account {spec.get('id')!r}")
    account_id = spec.get("id")
    if not account_id or not isinstance(account_id, str):
        raise ConfigurationError("every account needs an id (e.g. id = \"1234567_SB1\")")
    account = AccountState(account_id, concurrency_limit=account_limit(spec),
                           tba_enabled=bool(spec.get("tba_enabled", True)), store=store)
    for role_spec in spec.get("roles", []):
        account.add_role(parse_role(role_spec))
    by_name: dict[str, Integration] = {}
    for item in spec.get("integrations", []):
        item = _table(item, "an integration")
        _check_keys(item, {"name", "consumer_key", "consumer_secret", "state",
                           "concurrency_limit"}, f"integration {item.get('name')!r}")
        for key in ("name", "consumer_key", "consumer_secret"):
            if not item.get(key):
                raise ConfigurationError(f"account {account_id}: an integration needs {key}")
        state = item.get("state", "enabled")
        if state not in ("enabled", "blocked"):
            raise ConfigurationError(f"integration {item['name']!r}: state is enabled or blocked")
        integration = Integration(str(item["name"]), str(item["consumer_key"]),
                                  str(item["consumer_secret"]), enabled=state == "enabled",
                                  concurrency_limit=item.get("concurrency_limit"))
        account.add_integration(integration)
        by_name[integration.name] = integration
    for item in spec.get("tokens", []):
        item = _table(item, "a token")
        _check_keys(item, {"token_id", "token_secret", "integration", "user", "role", "revoked"},
                    "a token")
        for key in ("token_id", "token_secret", "integration"):
            if not item.get(key):
                raise ConfigurationError(f"account {account_id}: a token needs {key}")
        integration = by_name.get(item["integration"])
        if integration is None:
            raise ConfigurationError(f"account {account_id}: a token names integration "
                                     f"{item['integration']!r}, which is not defined")
        account.add_token(AccessToken(str(item["token_id"]), str(item["token_secret"]),
                                      integration.consumer_key,
                                      user=str(item.get("user", "Mock Administrator")),
                                      role=str(item.get("role", ADMINISTRATOR.name)),
                                      revoked=bool(item.get("revoked", False))))
    return account
