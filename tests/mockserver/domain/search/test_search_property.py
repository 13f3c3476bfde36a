"""Property check: on random data, after random updates and deletes (so the indexes have to keep
up), every search returns exactly what a brute-force filter over the same records returns, in
internal-id order. The brute force is written here, independently of the mock's operators."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.domain.records import kind_of
from mockserver.domain.search.query import compile_search
from mockserver.domain.store import RecordStore
from mockserver.domain.writes import RecordWriter
from tests.conftest import SoapClient
from tests.search_helpers import field, ids, records, reset, search

START = datetime(2024, 1, 1, tzinfo=timezone.utc)
WORDS = ["acme", "Acme", "beta", "gamma", "ACME beta", "delta co", "gam"]


def build(vendors, bills, updates, deletes) -> RecordStore:
    store = RecordStore()
    writer = RecordWriter(store)
    store.put("subsidiary", writer.for_add(kind_of("subsidiary"), {"name": "Parent"}, START,
                                           internal_id="1"))
    for index, (name, inactive, minutes) in enumerate(vendors):
        record = {"companyName": f"{name} {index}", "isInactive": inactive,
                  "subsidiary": {"internalId": "1"}}
        store.put("vendor", writer.for_add(kind_of("vendor"), record, START + timedelta(
            minutes=minutes)))
    vendor_ids = [r["internalId"] for r in store.records("vendor")]
    for index, (tran_id, amount, vendor, minutes) in enumerate(bills):
        record = {"tranId": tran_id, "entity": {"internalId": vendor_ids[vendor % len(vendor_ids)]},
                  "expenseList": {"expense": [{"amount": amount}]}}
        store.put("vendorBill", writer.for_add(kind_of("vendorBill"), record,
                                               START + timedelta(minutes=minutes)))
    for position, minutes, inactive in updates:
        existing = store.records("vendor")[position % len(vendor_ids)]
        store.put("vendor", writer.for_update(kind_of("vendor"), existing,
                                              {"isInactive": inactive},
                                              START + timedelta(minutes=minutes)))
    for position in deletes:
        remaining = store.records("vendor")
        if remaining:
            victim = remaining[position % len(remaining)]
            store.remove("vendor", victim["internalId"], name=None, at=START)
    return store


def ordered(records_) -> list[str]:
    return [r["internalId"] for r in sorted(records_, key=lambda r: int(r["internalId"]))]


STRING_CHECKS = {
    "is": lambda v, w: v.lower() == w.lower(),
    "isNot": lambda v, w: v.lower() != w.lower(),
    "contains": lambda v, w: w.lower() in v.lower(),
    "doesNotContain": lambda v, w: w.lower() not in v.lower(),
    "startsWith": lambda v, w: v.lower().startswith(w.lower()),
    "doesNotStartWith": lambda v, w: not v.lower().startswith(w.lower()),
}
vendor_rows = st.lists(st.tuples(st.sampled_from(WORDS), st.booleans(),
                                 st.integers(0, 60 * 24 * 40)), min_size=1, max_size=25)
bill_rows = st.lists(st.tuples(st.sampled_from(["B-1", "b-1", "B-2", "X"]),
                               st.floats(0, 500, allow_nan=False).map(lambda f: round(f, 2)),
                               st.integers(0, 30), st.integers(0, 60 * 24 * 40)), max_size=25)
updates = st.lists(st.tuples(st.integers(0, 30), st.integers(0, 60 * 24 * 60), st.booleans()),
                   max_size=10)
deletes = st.lists(st.integers(0, 30), max_size=5)


@settings(max_examples=150, deadline=None)
@given(vendor_rows, bill_rows, updates, deletes, st.sampled_from(sorted(STRING_CHECKS)),
       st.sampled_from(WORDS), st.sampled_from([None, True, False]),
       st.one_of(st.none(), st.tuples(st.sampled_from(["onOrAfter", "before", "within"]),
                                      st.integers(0, 60 * 24 * 60), st.integers(0, 60 * 24 * 5))),
       st.booleans())
def test_vendor_searches_match_brute_force(vendors, bills, updates_, deletes_, operator, word,
                                           inactive, modified, in_order):
    if in_order:  # created in id order, as a bulk load is: the date index is then in id order
        vendors = sorted(vendors, key=lambda v: v[2])
    store = build(vendors, bills, updates_, deletes_)
    criteria = {"_type": "platformCommon:VendorSearchBasic",
                "entityId": {"operator": operator, "searchValue": word}}
    checks = [lambda r: STRING_CHECKS[operator](r["entityId"], word)]
    if inactive is not None:
        criteria["isInactive"] = {"searchValue": inactive}
        checks.append(lambda r: r["isInactive"] is inactive)
    if modified is not None:
        op, minutes, span = modified
        low = START + timedelta(minutes=minutes)
        high = low + timedelta(minutes=span)
        spec = {"operator": op, "searchValue": low}
        if op == "within":
            spec["searchValue2"] = high
        criteria["lastModifiedDate"] = spec
        checks.append({"onOrAfter": lambda r: r["lastModifiedDate"] >= low,
                       "before": lambda r: r["lastModifiedDate"] < low,
                       "within": lambda r: low <= r["lastModifiedDate"] <= high}[op])
    expected = ordered(r for r in store.records("vendor") if all(c(r) for c in checks))
    found = compile_search(criteria, store, START).run(store)
    assert [internal_id for _, internal_id in found.page(0, len(found))] == expected


@settings(max_examples=100, deadline=None)
@given(vendor_rows, bill_rows, st.sampled_from(["B-1", "b-1", "X", "none"]),
       st.one_of(st.none(), st.tuples(st.floats(0, 500, allow_nan=False),
                                      st.floats(0, 500, allow_nan=False))),
       st.lists(st.integers(0, 30), max_size=3))
def test_transaction_searches_match_brute_force(vendors, bills, tran_id, amounts, entities):
    store = build(vendors, bills, [], [])
    vendor_ids = [r["internalId"] for r in store.records("vendor")]
    criteria = {"_type": "platformCommon:TransactionSearchBasic",
                "type": {"operator": "anyOf", "searchValue": ["_vendorBill"]},
                "tranId": {"operator": "is", "searchValue": tran_id},
                "mainLine": {"searchValue": True}}
    checks = [lambda r: r["tranId"].lower() == tran_id.lower()]
    if amounts is not None:
        low, high = sorted(amounts)
        criteria["amount"] = {"operator": "between", "searchValue": low, "searchValue2": high}
        checks.append(lambda r: low <= r["userTotal"] <= high)
    if entities:
        wanted = {vendor_ids[e % len(vendor_ids)] for e in entities}
        criteria["entity"] = {"operator": "anyOf",
                              "searchValue": [{"internalId": i} for i in sorted(wanted)]}
        checks.append(lambda r: r["entity"]["internalId"] in wanted)
    expected = ordered(r for r in store.records("vendorBill") if all(c(r) for c in checks))
    found = compile_search(criteria, store, START).run(store)
    assert [internal_id for _, internal_id in found.page(0, len(found))] == expected


def test_over_http_results_match_brute_force_on_the_served_records(mock_server, zeep_client):
    """The same check end to end: the mock's own records (admin API) filtered here."""
    reset(mock_server)
    sns = SoapClient(zeep_client, mock_server)
    served = requests.get(mock_server.url + "/__admin/records/vendor", timeout=10).json()
    try:
        for operator, word in [("contains", "in"), ("startsWith", "b"), ("doesNotContain", "o"),
                               ("is", "INITECH LLC"), ("isNot", "initech llc")]:
            result = search(sns, "VendorSearchBasic", dict(pageSize=5),
                            entityId=field(sns, "String", word, operator=operator))
            expected = ordered(r for r in served
                               if STRING_CHECKS[operator](r["entityId"], word))
            got = ids(result)
            for page in range(2, (result.totalPages or 0) + 1):
                got += ids(sns.call("searchMoreWithId", searchId=result.searchId,
                                    pageIndex=page).body.searchResult)
            assert got == expected, (operator, word)
            assert [r.entityId for r in records(result)] == \
                [r["entityId"] for r in served if r["internalId"] in got[:5]]
    finally:
        requests.post(mock_server.url + "/__admin/clock", json={"reset": True}, timeout=10)
