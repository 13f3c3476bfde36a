"""``getPostingTransactionSummary``: the general ledger (``mockserver.domain.ledger``) summed by
the dimensions a request asks for, filtered by the ones it names, a page at a time; and
``getBudgetExchangeRate``, the rates that consolidate a subsidiary into its parent.

As NetSuite documents it: the role needs the Financial Statements permission; amounts are in
each subsidiary's own base currency (no consolidation); a filter value of -1 stands for "none"
and a dimension without a value is left out of its row; the first call (page 1) works the
summary out and answers with its first page, its size and an ``operationId``, and later pages
come from that result (kept per account until the next page-1 call). At most 10,000 filter
values. The page size (1,000) is INFERRED.
"""

from __future__ import annotations

import itertools
import threading
import weakref

from mockserver.domain.accounts import FINANCIAL_STATEMENTS, Level
from mockserver.domain.dispatch import Call, operation
from mockserver.domain.errors import RecordError, invalid_reference, success_status
from mockserver.domain.handlers.platform import rates_in_force
from mockserver.domain.ledger import DIMENSIONS, ledger_of
from mockserver.domain.records import (ENTITY_TYPES, ITEM_TYPES, RECORD_TYPES, id_order, kind_of,
                                       record_name)

PAGE_SIZE = 1000          # INFERRED: NetSuite's guide does not state it
MAX_EXPRESSIONS = 10_000  # NetSuite's guide: "A maximum of 10,000 expressions is supported"
NO_VALUE = "-1"
# Which records a dimension's ids name, for the names rows carry.
DIMENSION_TYPES = {"period": ("accountingPeriod",), "account": ("account",),
                   "parentItem": ITEM_TYPES, "item": ITEM_TYPES, "entity": ENTITY_TYPES,
                   "department": ("department",), "class": ("classification",),
                   "location": ("location",), "subsidiary": ("subsidiary",), "book": ()}

_RESULTS: "weakref.WeakKeyDictionary[object, dict[str, list]]" = weakref.WeakKeyDictionary()
_IDS = itertools.count(1)
_LOCK = threading.Lock()


def _filters(spec: dict) -> dict[str, frozenset[str | None]]:
    filters = {}
    count = 0
    for name in DIMENSIONS:
        refs = (spec.get(name) or {}).get("recordRef") or []
        if not refs:
            continue
        count += len(refs)
        filters[name] = frozenset(None if str(ref.get("internalId")) == NO_VALUE
                                  else str(ref.get("internalId")) for ref in refs)
    if count > MAX_EXPRESSIONS:
        raise RecordError.of("posting_summary_expressions", limit=MAX_EXPRESSIONS)
    return filters


def _ref(store, dimension: str, internal_id: str) -> dict:
    ref = {"internalId": internal_id}
    for record_type in DIMENSION_TYPES[dimension]:
        found = store.get(record_type, internal_id)
        if found is not None:
            name = record_name(RECORD_TYPES[record_type], found)
            if name:
                ref["name"] = name
            break
    return ref


def _rows(call: Call, body: dict) -> list[dict]:
    store = call.account.store
    fields = tuple(name for name in DIMENSIONS if (body.get("fields") or {}).get(name) is True)
    filters = _filters(body.get("filters") or {})
    rows = []
    for key, amount in ledger_of(store).summary(fields, filters):
        row = {name: _ref(store, name, value) for name, value in zip(fields, key)
               if value is not None}
        row["amount"] = amount
        rows.append(row)
    return rows


@operation("getPostingTransactionSummary")
def get_posting_transaction_summary(call: Call, body: dict) -> dict:
    page = body.get("pageIndex") or 1
    try:
        call.role.require(FINANCIAL_STATEMENTS, Level.VIEW)
        with _LOCK:
            kept = _RESULTS.setdefault(call.account, {})
            operation_id = body.get("operationId")
            if page == 1 or operation_id not in kept and not kept:
                rows = _rows(call, body)
                operation_id = str(next(_IDS))
                kept.clear()
                kept[operation_id] = rows
            else:
                operation_id = operation_id if operation_id in kept else next(iter(kept))
                rows = kept[operation_id]
        pages = -(-len(rows) // PAGE_SIZE)
        if page < 1 or page > max(pages, 1):
            raise RecordError.of("posting_summary_page", page=page, pages=pages)
    except RecordError as error:
        return {"getPostingTransactionSummaryResult": {"status": error.as_status()}}
    result = {"status": success_status(), "totalRecords": len(rows), "pageSize": PAGE_SIZE,
              "totalPages": pages, "pageIndex": page, "operationId": operation_id}
    shown = rows[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    if shown:
        result["postingTransactionSummaryList"] = {"postingTransactionSummary": shown}
    return {"getPostingTransactionSummaryResult": result}


# -- getBudgetExchangeRate ---------------------------------------------------------------------
def _conversion(store, from_currency: str | None, to_currency: str | None, on) -> float | None:
    """What one unit of ``from_currency`` is in ``to_currency`` on ``on``: 1 for the same
    currency, else the currency rate in force (or its inverse), else the ratio of the two
    currencies' rates against the root's base currency."""
    if from_currency is None or to_currency is None:
        return None
    if from_currency == to_currency:
        return 1.0
    in_force = rates_in_force(store, on)
    if (to_currency, from_currency) in in_force:
        return float(in_force[(to_currency, from_currency)]["exchangeRate"])
    if (from_currency, to_currency) in in_force:
        return 1 / float(in_force[(from_currency, to_currency)]["exchangeRate"])
    rates = [(store.get("currency", c) or {}).get("exchangeRate")
             for c in (from_currency, to_currency)]
    if None in rates or not rates[1]:
        return None
    return float(rates[0]) / float(rates[1])


def _found(store, record_type: str, ref: dict | None) -> dict | None:
    if not ref or (ref.get("internalId") is None and ref.get("externalId") is None):
        return None
    record = store.find(record_type, ref.get("internalId"), ref.get("externalId"))
    if record is None:
        raise invalid_reference(record_type, ref.get("internalId") or ref.get("externalId"))
    return record


@operation("getBudgetExchangeRate")
def get_budget_exchange_rate(call: Call, body: dict) -> dict:
    """For each subsidiary and its parent the filter admits, in the period asked for: the
    current rate (in force at the period's end), the average (of its start and end: INFERRED)
    and the historical rate (at its start: INFERRED), from the currency rates."""
    spec = body.get("budgetExchangeRateFilter") or {}
    store = call.account.store
    try:
        call.require(kind_of("currencyRate"), Level.VIEW)
        period = _found(store, "accountingPeriod", spec.get("period"))
        if period is None:
            raise RecordError.of("data_required", field="period")
        wanted = [_found(store, "subsidiary", spec.get(name))
                  for name in ("fromSubsidiary", "toSubsidiary")]
    except RecordError as error:
        return {"getBudgetExchangeRateResult": {"status": error.as_status()}}
    rates = []
    for child in sorted(store.records("subsidiary"), key=lambda r: id_order(r["internalId"])):
        parent = store.get("subsidiary", (child.get("parent") or {}).get("internalId") or "")
        if parent is None or any(want is not None and want["internalId"] != have["internalId"]
                                 for want, have in zip(wanted, (child, parent))):
            continue
        currencies = [(s.get("currency") or {}).get("internalId") for s in (child, parent)]
        start, end = (_conversion(store, *currencies, period[name])
                      for name in ("startDate", "endDate"))
        rate = {"period": _ref(store, "period", period["internalId"]),
                "fromSubsidiary": _ref(store, "subsidiary", child["internalId"]),
                "toSubsidiary": _ref(store, "subsidiary", parent["internalId"])}
        if end is not None:
            rate["currentRate"] = round(end, 6)
        if start is not None and end is not None:
            rate["averageRate"] = round((start + end) / 2, 6)
        if start is not None:
            rate["historicalRate"] = round(start, 6)
        rates.append(rate)
    result = {"status": success_status()}
    if rates:
        result["budgetExchangeRateList"] = {"budgetExchangeRate": rates}
    return {"getBudgetExchangeRateResult": result}
