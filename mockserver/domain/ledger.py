"""The general ledger: the lines each posting transaction posts, and what is read off them
(trial balances, customer and vendor balances, ``getPostingTransactionSummary``).

Postings are derived from the stored transactions, never stored themselves: ``ledger_of`` builds
them the first time a ledger fact is asked for, then brings them up to the store's version
from its change log (``RecordIndex.changes_since``) whenever one is asked for after writes: it
reposts the transactions written and those that read a record whose ``Facts`` changed (what
postings read from an entity, item, expense category, subsidiary or order; a vendor's new
address reposts nothing), and builds afresh after a change to an account or a period (read for
every posting) or when the log no longer reaches back. What it holds is what a rebuild holds,
in the same order (tests/mockserver/domain/test_ledger_incremental.py). So every add, update,
upsert or delete posts, reposts or reverses by construction, and nothing can drift out of step.

Which lines post where is data: ``POSTING_RULES``, one ``PostingRule`` per record type, each a
tuple of ``Leg``s (which amounts, which account, debit or credit). A type without a rule posts
nothing (orders, estimates, requisitions); a rule for a new type is one more entry. Amounts are
in the subsidiary's base currency: the transaction's amount times its exchange rate, unless the
transaction is in the base currency already. Each posting carries the transaction's period,
subsidiary and entity and the line's (else the body's) department, class and location. Debits
are positive, credits negative, and every rule's legs balance (a cent of rounding to base
currency goes to the transaction's last line), so every subsidiary's trial balance sums to zero in every
period. docs/fidelity.md ("General ledger") cites NetSuite's documentation for each rule.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from typing import Iterable, NamedTuple

from mockserver.domain.indexes import Change
from mockserver.domain.periods import base_periods, period_of
from mockserver.domain.records import ITEM_TYPES, RECORD_TYPES
from mockserver.domain.store import RecordStore
from mockserver.domain.transactions import ENTITY_FIELD, cents, lines

DEBIT, CREDIT = 1, -1


@dataclass(frozen=True)
class AccountOf:
    """Where a leg's account comes from: a body field of the transaction (``fields``, the
    first set), the entity's default (``entity_field``), the line (``line``: its ``account``,
    else its expense category's), or the line's item (``item_fields``, the first set); failing
    all, the account named ``acct_name`` (a system account such as Inventory Received Not
    Billed), else the first account of ``acct_type`` (NetSuite's preference default,
    INFERRED)."""

    acct_type: str
    fields: tuple[str, ...] = ()
    entity_field: str | None = None
    line: bool = False
    item_fields: tuple[str, ...] = ()
    acct_name: str | None = None


@dataclass(frozen=True)
class Leg:
    """One side of a posting rule. ``amounts`` names what posts: ``items`` and ``expenses``
    (each line's amount; ``items`` leaves out ``orderItems``, the inventory item lines a bill
    takes from a purchase order), ``total`` (their sum, one posting), ``payment`` (a payment's
    amount), ``journal`` (each journal line's debit minus credit), ``cost`` (an inventory
    item line's quantity times the item's cost), ``received`` (a receipt's inventory item
    line's quantity times the order line's rate)."""

    amounts: str
    account: AccountOf
    side: int


@dataclass(frozen=True)
class PostingRule:
    legs: tuple[Leg, ...]


PAYABLES = AccountOf("_accountsPayable", fields=("account",), entity_field="payablesAccount")
RECEIVABLES = AccountOf("_accountsReceivable", fields=("account",),
                        entity_field="receivablesAccount")
BANK = AccountOf("_bank", fields=("account",))
LINE_ACCOUNT = AccountOf("_expense", line=True)
PURCHASE = AccountOf("_expense", item_fields=("expenseAccount", "assetAccount", "cogsAccount"))
SALES = AccountOf("_income", item_fields=("incomeAccount",))
COGS = AccountOf("_costOfGoodsSold", item_fields=("cogsAccount",))
ASSET = AccountOf("_otherCurrentAsset", item_fields=("assetAccount",))
RECEIVED_NOT_BILLED = AccountOf("_otherCurrentLiability",
                                acct_name="Inventory Received Not Billed")

# record type -> how it posts (docs/fidelity.md, "General ledger", cites each).
POSTING_RULES: dict[str, PostingRule] = {
    "vendorBill": PostingRule((Leg("items", PURCHASE, DEBIT),
                               Leg("orderItems", RECEIVED_NOT_BILLED, DEBIT),
                               Leg("expenses", LINE_ACCOUNT, DEBIT),
                               Leg("total", PAYABLES, CREDIT))),
    "vendorCredit": PostingRule((Leg("items", PURCHASE, CREDIT),
                                 Leg("expenses", LINE_ACCOUNT, CREDIT),
                                 Leg("total", PAYABLES, DEBIT))),
    "vendorPayment": PostingRule((
        Leg("payment", AccountOf("_accountsPayable", fields=("apAcct",),
                                 entity_field="payablesAccount"), DEBIT),
        Leg("payment", BANK, CREDIT))),
    "invoice": PostingRule((Leg("total", RECEIVABLES, DEBIT), Leg("items", SALES, CREDIT))),
    "creditMemo": PostingRule((Leg("total", RECEIVABLES, CREDIT), Leg("items", SALES, DEBIT))),
    "customerPayment": PostingRule((
        Leg("payment", BANK, DEBIT),
        Leg("payment", AccountOf("_accountsReceivable", fields=("arAcct",),
                                 entity_field="receivablesAccount"), CREDIT))),
    "cashSale": PostingRule((Leg("total", BANK, DEBIT), Leg("items", SALES, CREDIT))),
    "expenseReport": PostingRule((Leg("expenses", LINE_ACCOUNT, DEBIT),
                                  Leg("total", PAYABLES, CREDIT))),
    "journalEntry": PostingRule((Leg("journal", LINE_ACCOUNT, DEBIT),)),
    "advInterCompanyJournalEntry": PostingRule((Leg("journal", LINE_ACCOUNT, DEBIT),)),
    "itemFulfillment": PostingRule((Leg("cost", COGS, DEBIT), Leg("cost", ASSET, CREDIT))),
    "itemReceipt": PostingRule((Leg("received", ASSET, DEBIT),
                                Leg("received", RECEIVED_NOT_BILLED, CREDIT))),
}
INVENTORY_ITEM_TYPES = ("inventoryItem",)
# PostingTransactionSummaryField's dimensions, in the schema's order (``book``: one book only).
DIMENSIONS = ("period", "account", "parentItem", "item", "entity", "department", "class",
              "location", "subsidiary", "book")


class Posting(NamedTuple):
    """One general-ledger line: ``amount`` in base currency, debit positive."""

    record_type: str
    transaction: str
    subsidiary: str | None
    period: str | None
    account: str | None
    amount: float
    entity: str | None
    item: str | None
    department: str | None
    class_: str | None
    location: str | None

    def dimension(self, name: str) -> str | None:
        if name == "class":
            return self.class_
        if name in ("parentItem", "book"):
            return None
        return getattr(self, name)


def _id(value) -> str | None:
    return value.get("internalId") if isinstance(value, dict) else None


def _number(value) -> float:
    try:
        return float(value or 0)
    except (TypeError, ValueError):
        return 0.0


# -- what postings read from other records ---------------------------------------------------
class Facts(NamedTuple):
    """What postings read from one record other than the transaction they post: its account
    references (``accounts``: (field, account id)), subsidiary, base currency, cost (an item's
    average cost, else its cost) and item line rates by line (an order's). The ledger keeps the
    facts it used and compares them on each write of that record: a vendor update that leaves
    them as they were reposts nothing."""

    record_type: str
    accounts: tuple[tuple[str, str | None], ...] = ()
    subsidiary: str | None = None
    currency: str | None = None
    cost: object = None
    rates: tuple[tuple[str, object], ...] = ()

    def account(self, field: str) -> str | None:
        return next((account for name, account in self.accounts if name == field), None)


def _references(record: dict, fields: Iterable[str]) -> tuple[tuple[str, str | None], ...]:
    return tuple((name, _id(record.get(name))) for name in fields)


# The account fields the rules read from an entity and from an item.
ENTITY_ACCOUNTS = tuple(sorted({leg.account.entity_field for rule in POSTING_RULES.values()
                                for leg in rule.legs if leg.account.entity_field}))
ITEM_ACCOUNTS = tuple(sorted({name for rule in POSTING_RULES.values() for leg in rule.legs
                              for name in leg.account.item_fields}))
ORDER_TYPES = ("salesOrder", "purchaseOrder")

# kind of source -> (the record types it is looked up in, in order; its Facts)
SOURCES = {
    "entity": (("vendor", "customer", "employee", "job", "partner"),
               lambda t, r: Facts(t, _references(r, ENTITY_ACCOUNTS),
                                  subsidiary=_id(r.get("subsidiary")))),
    "item": (ITEM_TYPES, lambda t, r: Facts(t, _references(r, ITEM_ACCOUNTS),
                                            cost=r.get("averageCost", r.get("cost")))),
    "expenseCategory": (("expenseCategory",),
                        lambda t, r: Facts(t, _references(r, ("expenseAcct",)))),
    "subsidiary": (("subsidiary",), lambda t, r: Facts(t, currency=_id(r.get("currency")))),
    **{order_type: ((order_type,), lambda t, r: Facts(
        t, subsidiary=_id(r.get("subsidiary")),
        rates=tuple((str(o.get("line")), o.get("rate")) for o in lines(r, "itemList"))))
       for order_type in ORDER_TYPES},
}
SOURCE_OF = {record_type: kind for kind, (types, _) in SOURCES.items() for record_type in types}
# Read for every posting (the accounts by name and type, the periods by date): a write of one
# of these rebuilds the whole ledger.
REBUILT_BY = frozenset({"account", "accountingPeriod"})


def read_facts(store: RecordStore, kind: str, internal_id: str) -> Facts | None:
    """The facts of the record of ``kind`` with ``internal_id``, None when there is none."""
    record_types, facts = SOURCES[kind]
    for record_type in record_types:
        found = store.get(record_type, internal_id)
        if found is not None:
            return facts(record_type, found)
    return None


class _Resolver:
    """Look-ups a build makes many times: the facts of other records (kept, by (kind, id),
    with the transactions that read them noted in ``reads``), the first account of each
    type."""

    def __init__(self, store: RecordStore):
        self.store = store
        self.accounts = {a["internalId"]: a for a in store.records("account")}
        self.periods = base_periods(store)
        self._first: dict[str, str | None] = {}
        self.known: dict[tuple[str, str], Facts | None] = {}
        self.reads: set[tuple[str, str]] | None = None

    def facts(self, kind: str, internal_id: str | None) -> Facts | None:
        if internal_id is None:
            return None
        source = (kind, internal_id)
        if self.reads is not None:
            self.reads.add(source)
        try:
            return self.known[source]
        except KeyError:
            found = self.known[source] = read_facts(self.store, kind, internal_id)
            return found

    def item(self, internal_id: str | None) -> Facts | None:
        return self.facts("item", internal_id)

    def named(self, name: str) -> str | None:
        if name not in self._first:
            ids = [i for i, a in self.accounts.items()
                   if str(a.get("acctName", "")).casefold() == name.casefold()]
            self._first[name] = min(ids, key=lambda i: (len(i), i)) if ids else None
        return self._first[name]

    def first_of_type(self, acct_type: str) -> str | None:
        if acct_type not in self._first:
            ids = [i for i, a in self.accounts.items() if a.get("acctType") == acct_type]
            self._first[acct_type] = min(ids, key=lambda i: (len(i), i)) if ids else None
        return self._first[acct_type]

    def entity(self, transaction: dict) -> Facts | None:
        return self.facts("entity", _id(transaction.get("entity") or transaction.get("customer")))

    def account(self, source: AccountOf, transaction: dict, line: dict | None,
                entity: Facts | None) -> str | None:
        if source.line and line is not None:
            if _id(line.get("account")):
                return _id(line["account"])
            category = self.facts("expenseCategory", _id(line.get("category")))
            if category is not None and category.account("expenseAcct"):
                return category.account("expenseAcct")
        if source.item_fields and line is not None:
            item = self.item(_id(line.get("item")))
            for name in source.item_fields:
                if item is not None and item.account(name):
                    return item.account(name)
        for name in source.fields:
            if _id(transaction.get(name)):
                return _id(transaction[name])
        if source.entity_field and entity is not None and entity.account(source.entity_field):
            return entity.account(source.entity_field)
        if source.acct_name is not None:
            return self.named(source.acct_name)
        return self.first_of_type(source.acct_type)


def _amounts(resolver: _Resolver, record_type: str, transaction: dict,
             what: str) -> list[tuple[dict | None, float]]:
    """The (line, amount in the transaction's currency) pairs a leg posts."""
    if what in ("items", "orderItems"):
        return [(line, _number(line.get("amount"))) for line in lines(transaction, "itemList")
                if line.get("amount") is not None
                and _order_item(resolver, line) == (what == "orderItems")]
    if what == "expenses":
        return [(line, _number(line.get("amount")))
                for line in lines(transaction, "expenseList") if line.get("amount") is not None]
    if what == "total":
        total = sum(_number(line.get("amount")) for name in ("itemList", "expenseList")
                    for line in lines(transaction, name))
        return [(None, total)]
    if what == "payment":
        field = "payment" if record_type == "customerPayment" else "total"
        return [(None, _number(transaction.get(field)))]
    if what == "journal":
        return [(line, _number(line.get("debit")) - _number(line.get("credit")))
                for line in lines(transaction, "lineList")]
    if what == "received":
        out = []
        for line in lines(transaction, "itemList"):
            if _item_type(resolver, line) not in INVENTORY_ITEM_TYPES \
                    or line.get("itemReceive") is False:
                continue
            rate = line.get("rate")
            if rate is None:
                order = resolver.facts("purchaseOrder", _id(transaction.get("createdFrom")))
                if order is not None:
                    rate = next((r for number, r in order.rates
                                 if number == str(line.get("orderLine"))), None)
            out.append((line, _number(line.get("quantity")) * _number(rate)))
        return out
    if what == "cost":
        out = []
        for line in lines(transaction, "itemList"):
            item = resolver.item(_id(line.get("item")))
            if item is not None and item.record_type in INVENTORY_ITEM_TYPES \
                    and line.get("itemReceive") is not False:
                out.append((line, _number(line.get("quantity")) * _number(item.cost)))
        return out
    raise ValueError(f"unknown posting amounts {what!r}")


def _order_item(resolver: _Resolver, line: dict) -> bool:
    """An inventory item line billed from a purchase order: with Advanced Receiving, its
    receipt put it in inventory, so the bill clears Inventory Received Not Billed."""
    return line.get("orderDoc") is not None \
        and _item_type(resolver, line) in INVENTORY_ITEM_TYPES


def _item_type(resolver: _Resolver, line: dict) -> str | None:
    item = resolver.item(_id(line.get("item")))
    return None if item is None else item.record_type


def _subsidiary(resolver: _Resolver, transaction: dict, entity: Facts | None) -> str | None:
    if _id(transaction.get("subsidiary")):
        return _id(transaction["subsidiary"])
    if entity is not None and entity.subsidiary:
        return entity.subsidiary
    source_id = _id(transaction.get("createdFrom"))
    for order_type in ORDER_TYPES:
        order = resolver.facts(order_type, source_id)
        if order is not None:
            return order.subsidiary
    return None


def _rate(resolver: _Resolver, transaction: dict, subsidiary: str | None) -> float:
    """What one unit of the transaction's currency is in the subsidiary's base currency."""
    currency = _id(transaction.get("currency"))
    if currency is None or transaction.get("exchangeRate") is None:
        return 1.0
    base = resolver.facts("subsidiary", subsidiary)
    if base is not None and currency == base.currency:
        return 1.0
    return _number(transaction["exchangeRate"]) or 1.0


def postings(store: RecordStore, record_type: str, transaction: dict,
             resolver: _Resolver | None = None) -> tuple[Posting, ...]:
    """The general-ledger lines ``transaction`` posts, by its type's rule; () for types
    that do not post. Other records are read only as ``Facts``, through the resolver, and
    accounts and periods from what it holds: the ledger's updates rely on that."""
    rule = POSTING_RULES.get(record_type)
    if rule is None:
        return ()
    resolver = resolver or _Resolver(store)
    entity = resolver.entity(transaction)
    subsidiary = _subsidiary(resolver, transaction, entity)
    period = _id(period_of(store, transaction, resolver.periods))
    rate = _rate(resolver, transaction, subsidiary)
    body_entity = _id(transaction.get(ENTITY_FIELD.get(record_type, "entity")))
    out: list[Posting] = []
    unrounded = 0.0
    for leg in rule.legs:
        for line, amount in _amounts(resolver, record_type, transaction, leg.amounts):
            if not amount:
                continue
            where = line or {}
            unrounded += leg.side * amount * rate
            out.append(Posting(
                record_type, transaction["internalId"], subsidiary, period,
                resolver.account(leg.account, transaction, line, entity),
                cents(leg.side * amount * rate),
                _id(where.get("entity")) or body_entity, _id(where.get("item")),
                *(_id(where.get(name)) or _id(transaction.get(name))
                  for name in ("department", "class", "location"))))
    rounding = cents(sum(p.amount for p in out))
    if rounding and abs(unrounded) < 1e-6:     # balanced but for rounding to cents
        out[-1] = out[-1]._replace(amount=cents(out[-1].amount - rounding))
    return tuple(out)


# -- the ledger of a store -----------------------------------------------------------------------
BALANCE_ACCOUNTS = ("_accountsReceivable", "_accountsPayable")
Key = tuple[str, str]   # (record type, internal id)


class Ledger:
    """Every posting of one store version, with the sums read off them most.

    ``update`` brings it to a later version from the store's change log, reposting only the
    transactions written since and those that read a record whose facts changed; what it holds
    is then what a new ``Ledger`` would hold, in the same order. Updates run under the store's
    lock (``ledger_of``); readers may hold the ledger across one, so what they read is taken
    under the ledger's own lock."""

    def __init__(self, store: RecordStore):
        self.version = store.index.version
        self._resolver = _Resolver(store)
        self.accounts = self._resolver.accounts
        self._lock = threading.Lock()
        # record type -> internal id -> postings, in the store's order: every transaction of a
        # posting type, those that post nothing too, so a repost keeps its place
        self._posted: dict[str, dict[str, tuple[Posting, ...]]] = {
            record_type: {} for record_type in POSTING_RULES if record_type in RECORD_TYPES}
        self._read: dict[Key, tuple[Key, ...]] = {}      # transaction -> the sources it read
        self._readers: dict[Key, set[Key]] = {}          # source -> the transactions that read it
        self._shared_reads: dict[tuple[Key, ...], tuple[Key, ...]] = {}
        # (A/R or A/P, entity) -> (net debit in cents, postings): whole cents add up exactly
        # in any order, so an update sums what a rebuild sums
        self._balances: dict[tuple[str, str], tuple[int, int]] = {}
        for record_type in self._posted:
            for transaction in store.records(record_type):
                self._post(record_type, transaction)

    def update(self, store: RecordStore, changes: list[Change]) -> bool:
        """Bring the ledger up to the store's version; False (and nothing changed) when a
        change reaches every posting (``REBUILT_BY``): build a new one instead."""
        if any(change.record_type in REBUILT_BY for change in changes):
            return False
        resolver = self._resolver
        repost: set[Key] = set()
        added: dict[Key, None] = {}     # (re)added to the store, so at its end: by last addition
        sources: set[Key] = set()
        for change in changes:
            key = (change.record_type, change.internal_id)
            if change.record_type in self._posted:
                repost.add(key)
                if change.added:
                    added.pop(key, None)
                    added[key] = None
            kind = SOURCE_OF.get(change.record_type)
            if kind is not None:
                sources.add((kind, change.internal_id))
        for source in sources:
            if source in resolver.known:
                facts = read_facts(store, *source)
                if facts != resolver.known[source]:
                    resolver.known[source] = facts
                    repost.update(self._readers.get(source, ()))
        with self._lock:
            for key in added:
                self._unpost(key)
            for key in repost.difference(added):
                transaction = store.get(*key)
                if transaction is None:
                    self._unpost(key)
                else:
                    self._post(key[0], transaction)
            for key in added:
                transaction = store.get(*key)
                if transaction is not None:
                    self._post(key[0], transaction)
            self.version = store.index.version
        return True

    def _post(self, record_type: str, transaction: dict) -> None:
        key = (record_type, transaction["internalId"])
        self._forget(key)
        reads = self._resolver.reads = set()
        try:
            found = postings(self._resolver.store, record_type, transaction, self._resolver)
        finally:
            self._resolver.reads = None
        self._posted[record_type][key[1]] = found
        if reads:
            # transactions mostly read what others read (the same vendor and item): one tuple
            read = tuple(sorted(reads))
            self._read[key] = self._shared_reads.setdefault(read, read)
            for source in reads:
                self._readers.setdefault(source, set()).add(key)
        self._count(found, 1)

    def _unpost(self, key: Key) -> None:
        self._forget(key)
        self._posted[key[0]].pop(key[1], None)

    def _forget(self, key: Key) -> None:
        """Take the transaction's postings out of the balances and its reads out of the
        sources' readers (its facts too, once nothing else read them)."""
        self._count(self._posted[key[0]].get(key[1], ()), -1)
        for source in self._read.pop(key, ()):
            readers = self._readers.get(source)
            if readers is not None:
                readers.discard(key)
                if not readers:
                    del self._readers[source]
                    self._resolver.known.pop(source, None)

    def _count(self, found: tuple[Posting, ...], sign: int) -> None:
        for posting in found:
            if posting.entity is None:
                continue
            acct_type = (self.accounts.get(posting.account or "") or {}).get("acctType")
            if acct_type in BALANCE_ACCOUNTS:
                key = (acct_type, posting.entity)
                net, count = self._balances.get(key, (0, 0))
                net, count = net + sign * round(posting.amount * 100), count + sign
                if count:
                    self._balances[key] = (net, count)
                else:
                    del self._balances[key]

    def all(self) -> Iterable[Posting]:
        with self._lock:
            found = [p for table in self._posted.values() for posted in table.values()
                     for p in posted]
        return iter(found)

    def of(self, record_type: str, internal_id: str) -> tuple[Posting, ...]:
        return self._posted.get(record_type, {}).get(internal_id, ())

    @property
    def entity_balances(self) -> dict[tuple[str, str], float]:
        """(A/R or A/P, entity) -> net debit of its postings there, in base currency."""
        with self._lock:
            return {key: net / 100 for key, (net, _) in self._balances.items()}

    def trial_balance(self) -> dict[tuple[str | None, str | None], dict[str | None, float]]:
        """(subsidiary, period) -> account -> net debit, in the subsidiary's base currency."""
        out: dict[tuple[str | None, str | None], dict[str | None, float]] = {}
        for posting in self.all():
            accounts = out.setdefault((posting.subsidiary, posting.period), {})
            accounts[posting.account] = accounts.get(posting.account, 0.0) + posting.amount
        return {key: {a: cents(v) for a, v in accounts.items()} for key, accounts in out.items()}

    def summary(self, fields: tuple[str, ...], filters: dict[str, frozenset[str | None]]
                ) -> list[tuple[tuple[str | None, ...], float]]:
        """getPostingTransactionSummary's rows: the postings the filters admit (a dimension's
        set of ids; None stands for "no value", NetSuite's -1), summed by ``fields``."""
        sums: dict[tuple[str | None, ...], float] = {}
        for posting in self.all():
            if any(posting.dimension(name) not in wanted for name, wanted in filters.items()):
                continue
            key = tuple(posting.dimension(name) for name in fields)
            sums[key] = sums.get(key, 0.0) + posting.amount
        return sorted(((k, cents(v)) for k, v in sums.items()),
                      key=lambda row: tuple(_order(v) for v in row[0]))

    def entity_balance(self, record_type: str, internal_id: str) -> float | None:
        """A customer's open receivables or a vendor's open payables (credit positive), in
        base currency, from the postings to A/R or A/P that name it; None for one without
        any (its read then carries no balance, as the recordings of new entities show)."""
        side = {"customer": ("_accountsReceivable", 1), "vendor": ("_accountsPayable", -1)}
        if record_type not in side:
            return None
        acct_type, sign = side[record_type]
        with self._lock:
            found = self._balances.get((acct_type, internal_id))
        return None if found is None else sign * found[0] / 100


def _order(value: str | None) -> tuple:
    if value is None:
        return (0, 0, "")
    return (1, len(value), value) if value.isdigit() else (2, 0, value)


_LEDGERS: "weakref.WeakKeyDictionary[RecordStore, Ledger]" = weakref.WeakKeyDictionary()
_BUILDING = threading.Lock()


def ledger_of(store: RecordStore) -> Ledger:
    """The ledger of the store as it is now: built once, then updated from the store's change
    log (``RecordIndex.changes_since``) after writes; built afresh when the log no longer
    reaches back to its version or a change reaches every posting."""
    with store.lock:
        version = store.index.version
        ledger = _LEDGERS.get(store)
        if ledger is not None and ledger.version == version:
            return ledger
        if ledger is not None:
            changes = store.index.changes_since(ledger.version)
            if changes is not None and ledger.update(store, changes):
                return ledger
        ledger = Ledger(store)
        with _BUILDING:
            _LEDGERS[store] = ledger
        return ledger


BALANCE_TYPES = ("customer", "vendor")


def with_balance(store: RecordStore, record_type: str, record: dict) -> float | None:
    """The ``balance`` a read shows for a customer or vendor, derived from the ledger."""
    if record_type not in BALANCE_TYPES or "internalId" not in record:
        return None
    return ledger_of(store).entity_balance(record_type, record["internalId"])


def trial_balances(store: RecordStore) -> list[dict]:
    """Each subsidiary's trial balance per period, as the admin API shows it: the accounts'
    debit or credit balance in the subsidiary's base currency, and the (zero) difference."""
    ledger = ledger_of(store)
    out = []
    for (subsidiary, period), accounts in sorted(ledger.trial_balance().items(),
                                                  key=lambda kv: tuple(map(_order, kv[0]))):
        rows = []
        for account_id, net in sorted(accounts.items(), key=lambda kv: _order(kv[0])):
            account = ledger.accounts.get(account_id or "") or {}
            rows.append({"account": account_id, "number": account.get("acctNumber"),
                         "name": account.get("acctName"), "type": account.get("acctType"),
                         "debit": net if net > 0 else 0.0, "credit": -net if net < 0 else 0.0})
        period_record = store.get("accountingPeriod", period or "") or {}
        out.append({"subsidiary": subsidiary,
                    "subsidiaryName": (store.get("subsidiary", subsidiary or "") or {}).get("name"),
                    "period": period, "periodName": period_record.get("periodName"),
                    "accounts": rows,
                    "difference": cents(sum(accounts.values()))})
    return out


def postings_listed(store: RecordStore) -> list[dict]:
    """Every posting, as the admin API shows it."""
    return [{name: value for name, value in zip(
        ("recordType", "transaction", "subsidiary", "period", "account", "amount", "entity",
         "item", "department", "class", "location"), posting)}
        for posting in ledger_of(store).all()]
