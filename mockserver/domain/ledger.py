"""The general ledger: the lines each posting transaction posts, and what is read off them
(trial balances, customer and vendor balances, ``getPostingTransactionSummary``).

Postings are derived from the stored transactions, never stored themselves: ``ledger_of`` builds
them for the store's current version (``RecordIndex.version``) the first time a ledger fact is
asked for after a write, and keeps them until the next write. So every add, update, upsert or
delete posts, reposts or reverses by construction, and nothing can drift out of step.

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


class _Resolver:
    """Look-ups a build makes many times: items, the first account of each type."""

    def __init__(self, store: RecordStore):
        self.store = store
        self.accounts = {a["internalId"]: a for a in store.records("account")}
        self.periods = base_periods(store)
        self._first: dict[str, str | None] = {}

    def item(self, internal_id: str | None) -> tuple[str | None, dict | None]:
        if internal_id is None:
            return None, None
        for record_type in ITEM_TYPES:
            found = self.store.get(record_type, internal_id)
            if found is not None:
                return record_type, found
        return None, None

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

    def entity(self, transaction: dict) -> dict | None:
        internal_id = _id(transaction.get("entity") or transaction.get("customer"))
        if internal_id is None:
            return None
        for record_type in ("vendor", "customer", "employee", "job", "partner"):
            found = self.store.get(record_type, internal_id)
            if found is not None:
                return found
        return None

    def account(self, source: AccountOf, transaction: dict, line: dict | None,
                entity: dict | None) -> str | None:
        if source.line and line is not None:
            if _id(line.get("account")):
                return _id(line["account"])
            category = self.store.get("expenseCategory", _id(line.get("category")) or "")
            if category is not None and _id(category.get("expenseAcct")):
                return _id(category["expenseAcct"])
        if source.item_fields and line is not None:
            _, item = self.item(_id(line.get("item")))
            for name in source.item_fields:
                if item is not None and _id(item.get(name)):
                    return _id(item[name])
        for name in source.fields:
            if _id(transaction.get(name)):
                return _id(transaction[name])
        if source.entity_field and entity is not None and _id(entity.get(source.entity_field)):
            return _id(entity[source.entity_field])
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
        order = resolver.store.get("purchaseOrder", _id(transaction.get("createdFrom")) or "")
        out = []
        for line in lines(transaction, "itemList"):
            item_type, _ = resolver.item(_id(line.get("item")))
            if item_type not in INVENTORY_ITEM_TYPES or line.get("itemReceive") is False:
                continue
            rate = line.get("rate")
            if rate is None and order is not None:
                ordered = next((o for o in lines(order, "itemList")
                                if str(o.get("line")) == str(line.get("orderLine"))), {})
                rate = ordered.get("rate")
            out.append((line, _number(line.get("quantity")) * _number(rate)))
        return out
    if what == "cost":
        out = []
        for line in lines(transaction, "itemList"):
            item_type, item = resolver.item(_id(line.get("item")))
            if item_type in INVENTORY_ITEM_TYPES and line.get("itemReceive") is not False:
                cost = item.get("averageCost", item.get("cost"))
                out.append((line, _number(line.get("quantity")) * _number(cost)))
        return out
    raise ValueError(f"unknown posting amounts {what!r}")


def _order_item(resolver: _Resolver, line: dict) -> bool:
    """An inventory item line billed from a purchase order: with Advanced Receiving, its
    receipt put it in inventory, so the bill clears Inventory Received Not Billed."""
    return line.get("orderDoc") is not None \
        and resolver.item(_id(line.get("item")))[0] in INVENTORY_ITEM_TYPES


def _subsidiary(store: RecordStore, transaction: dict, entity: dict | None) -> str | None:
    if _id(transaction.get("subsidiary")):
        return _id(transaction["subsidiary"])
    if entity is not None and _id(entity.get("subsidiary")):
        return _id(entity["subsidiary"])
    source_id = _id(transaction.get("createdFrom"))
    for order_type in ("salesOrder", "purchaseOrder"):
        order = store.get(order_type, source_id or "")
        if order is not None:
            return _id(order.get("subsidiary"))
    return None


def _rate(store: RecordStore, transaction: dict, subsidiary: str | None) -> float:
    """What one unit of the transaction's currency is in the subsidiary's base currency."""
    currency = _id(transaction.get("currency"))
    base = _id((store.get("subsidiary", subsidiary or "") or {}).get("currency"))
    if currency is None or currency == base or transaction.get("exchangeRate") is None:
        return 1.0
    return _number(transaction["exchangeRate"]) or 1.0


def postings(store: RecordStore, record_type: str, transaction: dict,
             resolver: _Resolver | None = None) -> tuple[Posting, ...]:
    """The general-ledger lines ``transaction`` posts, by its type's rule; () for types
    that do not post."""
    rule = POSTING_RULES.get(record_type)
    if rule is None:
        return ()
    resolver = resolver or _Resolver(store)
    entity = resolver.entity(transaction)
    subsidiary = _subsidiary(store, transaction, entity)
    period = _id(period_of(store, transaction, resolver.periods))
    rate = _rate(store, transaction, subsidiary)
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
class Ledger:
    """Every posting of one store version, with the sums read off them most."""

    def __init__(self, store: RecordStore):
        resolver = _Resolver(store)
        self.accounts = resolver.accounts
        self.by_transaction: dict[tuple[str, str], tuple[Posting, ...]] = {}
        for record_type in POSTING_RULES:
            if record_type not in RECORD_TYPES:
                continue
            for transaction in store.records(record_type):
                found = postings(store, record_type, transaction, resolver)
                if found:
                    self.by_transaction[(record_type, transaction["internalId"])] = found
        self.entity_balances: dict[tuple[str, str], float] = {}
        for posting in self.all():
            acct_type = (self.accounts.get(posting.account or "") or {}).get("acctType")
            if posting.entity is not None and acct_type in (
                    "_accountsReceivable", "_accountsPayable"):
                key = (acct_type, posting.entity)
                self.entity_balances[key] = self.entity_balances.get(key, 0.0) + posting.amount

    def all(self) -> Iterable[Posting]:
        for found in self.by_transaction.values():
            yield from found

    def of(self, record_type: str, internal_id: str) -> tuple[Posting, ...]:
        return self.by_transaction.get((record_type, internal_id), ())

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
        if record_type == "customer":
            found = self.entity_balances.get(("_accountsReceivable", internal_id))
            return None if found is None else cents(found)
        if record_type == "vendor":
            found = self.entity_balances.get(("_accountsPayable", internal_id))
            return None if found is None else cents(-found)
        return None


def _order(value: str | None) -> tuple:
    if value is None:
        return (0, 0, "")
    return (1, len(value), value) if value.isdigit() else (2, 0, value)


_LEDGERS: "weakref.WeakKeyDictionary[RecordStore, tuple[int, Ledger]]" = \
    weakref.WeakKeyDictionary()
_BUILDING = threading.Lock()


def ledger_of(store: RecordStore) -> Ledger:
    """The ledger of the store as it is now, built once per store version."""
    with store.lock:
        version = store.index.version
        cached = _LEDGERS.get(store)
        if cached is not None and cached[0] == version:
            return cached[1]
        ledger = Ledger(store)
        with _BUILDING:
            _LEDGERS[store] = (version, ledger)
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
