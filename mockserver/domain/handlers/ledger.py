"""``getPostingTransactionSummary``: the general ledger (``mockserver.domain.ledger``) summed by
the dimensions a request asks for, filtered by the ones it names, a page at a time.

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
from mockserver.domain.errors import RecordError, success_status
from mockserver.domain.ledger import DIMENSIONS, ledger_of
from mockserver.domain.records import ENTITY_TYPES, ITEM_TYPES, record_name, RECORD_TYPES

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
