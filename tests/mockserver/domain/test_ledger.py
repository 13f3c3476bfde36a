"""The general ledger over HTTP: what each posting transaction posts (and reposts on update,
reverses on delete), closed and locked periods, customer and vendor balances,
getPostingTransactionSummary, the admin trial balance, and a property over random writes."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockserver.admin_client import MockAdmin
from tests.conftest import SoapClient, checked_call
from tests.search_helpers import field, ids, search
from tests.zeep_values import build

MARCH = datetime(2024, 3, 12, 20, 0, tzinfo=timezone.utc)      # period 5, Mar 2024 (open)
FEBRUARY = datetime(2024, 2, 12, 20, 0, tzinfo=timezone.utc)   # period 4, Feb 2024 (open)
JANUARY = datetime(2024, 1, 20, 20, 0, tzinfo=timezone.utc)    # period 3, Jan 2024 (closed)
AP, BANK, OFFICE, TRAVEL, AR, SERVICES = "54", "55", "56", "65", "62", "63"


def ref(internal_id) -> dict:
    return {"internalId": str(internal_id)}


def write(ns: SoapClient, operation: str, qname: str, fields: dict):
    return getattr(ns.call(operation, record=build(ns.client, qname, fields)).body,
                   "writeResponse")


def add(ns: SoapClient, qname: str, fields: dict) -> str:
    response = write(ns, "add", qname, fields)
    assert response.status.isSuccess is True, response.status
    return response.baseRef.internalId


def postings_of(admin: MockAdmin, transaction: str) -> list[tuple]:
    return sorted((p["account"], p["amount"], p["subsidiary"], p["period"], p["entity"],
                   p["department"]) for p in admin.ledger(postings=True)["postings"]
                  if p["transaction"] == transaction)


@pytest.fixture
def admin(mock) -> MockAdmin:
    return MockAdmin(mock.url)


def bill(amount, *, date=MARCH, account=OFFICE, vendor=101, **extra) -> dict:
    return {"entity": ref(vendor), "tranDate": date, **extra,
            "expenseList": {"expense": [{"account": ref(account), "amount": amount,
                                         "department": ref(2)}]}}


# -- postings --------------------------------------------------------------------------------
def test_vendor_bill_debits_expense_and_credits_payables_in_its_period(ns, admin):
    bill_id = add(ns, "tranPurch:VendorBill", bill(120.0))
    assert postings_of(admin, bill_id) == [
        (AP, -120.0, "1", "5", "101", None),       # the vendor's payables account, body dims
        (OFFICE, 120.0, "1", "5", "101", "2")]     # the line's account and department


def test_update_reposts_and_delete_reverses(ns, admin):
    bill_id = add(ns, "tranPurch:VendorBill", bill(120.0))
    response = write(ns, "update", "tranPurch:VendorBill", {
        "internalId": bill_id, "expenseList": {"replaceAll": True, "expense": [
            {"account": ref(TRAVEL), "amount": 80.5}]}})
    assert response.status.isSuccess is True
    assert [(p[0], p[1]) for p in postings_of(admin, bill_id)] == [(AP, -80.5), (TRAVEL, 80.5)]
    deleted = ns.call("delete", baseRef=ns.ref("vendorBill", bill_id)).body.writeResponse
    assert deleted.status.isSuccess is True
    assert postings_of(admin, bill_id) == []


def test_invoice_payment_and_credit_memo_post_receivables(ns, admin):
    invoice_id = add(ns, "tranSales:Invoice", {
        "entity": ref(152), "tranDate": MARCH,
        "itemList": {"item": [{"item": ref(209), "quantity": 2, "rate": "50.00"}]}})
    assert [(p[0], p[1]) for p in postings_of(admin, invoice_id)] == [
        (AR, 100.0), (SERVICES, -100.0)]     # the item's income account
    payment_id = add(ns, "tranCust:CustomerPayment", {
        "customer": ref(152), "tranDate": MARCH, "payment": 60.0,
        "applyList": {"apply": [{"doc": int(invoice_id), "apply": True, "amount": 60.0}]}})
    assert [(p[0], p[1]) for p in postings_of(admin, payment_id)] == [(BANK, 60.0), (AR, -60.0)]


def test_foreign_currency_posts_in_the_subsidiary_base_currency(ns, admin):
    bill_id = add(ns, "tranPurch:VendorBill", bill(100.0, currency=ref(2), exchangeRate=1.1))
    assert [(p[0], p[1]) for p in postings_of(admin, bill_id)] == [(AP, -110.0), (OFFICE, 110.0)]


def test_non_posting_transactions_post_nothing(ns, admin):
    order_id = add(ns, "tranPurch:PurchaseOrder", {
        "entity": ref(101), "tranDate": MARCH,
        "itemList": {"item": [{"item": ref(202), "quantity": 5, "rate": "1.00"}]}})
    assert postings_of(admin, order_id) == []


def test_unbalanced_journal_is_refused(ns):
    response = write(ns, "add", "tranGeneral:JournalEntry", {
        "subsidiary": ref(1), "tranDate": MARCH, "lineList": {"line": [
            {"account": ref(OFFICE), "debit": 10.0}, {"account": ref(BANK), "credit": 9.0}]}})
    assert response.status.isSuccess is False
    assert response.status.statusDetail[0].code == "JE_AMOUNTS_MUST_BALANCE"


# -- periods ---------------------------------------------------------------------------------
def test_closed_period_refuses_a_posting_transaction_but_not_an_order(ns):
    refused = write(ns, "add", "tranPurch:VendorBill", bill(10.0, date=JANUARY))
    assert refused.status.isSuccess is False
    assert refused.status.statusDetail[0].code == "TRAN_PERIOD_CLOSED"
    assert "Jan 2024" in refused.status.statusDetail[0].message
    add(ns, "tranPurch:PurchaseOrder", {"entity": ref(101), "tranDate": JANUARY, "itemList": {
        "item": [{"item": ref(202), "quantity": 1, "rate": "1.00"}]}})


def test_a_write_may_not_move_a_transaction_into_a_closed_period(ns):
    bill_id = add(ns, "tranPurch:VendorBill", bill(10.0))
    moved = write(ns, "update", "tranPurch:VendorBill", {"internalId": bill_id,
                                                         "tranDate": JANUARY})
    assert moved.status.statusDetail[0].code == "TRAN_PERIOD_CLOSED"


def test_ap_lock_stops_payables_not_receivables(ns):
    locked = write(ns, "update", "listAcct:AccountingPeriod", {"internalId": "4",
                                                               "apLocked": True})
    assert locked.status.isSuccess is True
    refused = write(ns, "add", "tranPurch:VendorBill", bill(10.0, date=FEBRUARY))
    assert refused.status.statusDetail[0].code == "TRAN_PERIOD_CLOSED"
    add(ns, "tranSales:Invoice", {"entity": ref(152), "tranDate": FEBRUARY, "itemList": {
        "item": [{"item": ref(209), "quantity": 1, "rate": "5.00"}]}})
    # a bill already in the locked period cannot be deleted either (the demo's 501 is in Feb)
    deleted = ns.call("delete", baseRef=ns.ref("vendorBill", "501")).body.writeResponse
    assert deleted.status.statusDetail[0].code == "TRAN_PERIOD_CLOSED"


# -- balances --------------------------------------------------------------------------------
def test_customer_and_vendor_balances_follow_the_ledger(ns):
    def balance(record_type, internal_id):
        return ns.call("get", baseRef=ns.ref(record_type, internal_id)).body \
            .readResponse.record.balance
    assert balance("vendor", "101") is None          # no postings yet: no balance shown
    add(ns, "tranPurch:VendorBill", bill(42.0))
    add(ns, "tranPurch:VendorBill", bill(8.0))
    assert balance("vendor", "101") == pytest.approx(50.0)
    # the demo's Stark bill 501 (1,295.00) less its vendor credit 601 (16.00)
    assert balance("vendor", "105") == pytest.approx(1279.0)
    # the demo's invoice 801 (1,638.00) less credit memo 851 (450.00)
    assert balance("customer", "150") == pytest.approx(1188.0)


# -- getPostingTransactionSummary ---------------------------------------------------------
def summary(ns: SoapClient, schema, page=1, operation_id=None, **options):
    fields = ns.type("ns0:PostingTransactionSummaryField")(
        **{name: True for name in options.get("fields", ())})
    filters = ns.type("ns0:PostingTransactionSummaryFilter")(**{
        name: ns.type("ns0:RecordRefList")(recordRef=[ns.ref(None, i) for i in ids])
        for name, ids in options.get("filters", {}).items()})
    return checked_call(ns, schema, "getPostingTransactionSummary", fields=fields,
                        filters=filters, pageIndex=page,
                        operationId=operation_id).getPostingTransactionSummaryResult


def rows(result) -> dict:
    listed = result.postingTransactionSummaryList
    return {} if listed is None else {
        tuple(getattr(row, name).internalId if getattr(row, name) is not None else None
              for name in ("subsidiary", "period", "account")): row.amount
        for row in listed.postingTransactionSummary}


def test_summary_by_subsidiary_period_and_account_is_the_trial_balance(ns, admin,
                                                                         response_schema):
    result = summary(ns, response_schema, fields=("subsidiary", "period", "account"))
    assert result.status.isSuccess is True
    expected = {(tb["subsidiary"], tb["period"], row["account"]): row["debit"] - row["credit"]
                for tb in admin.ledger()["trialBalances"] for row in tb["accounts"]}
    assert rows(result) == pytest.approx(expected)
    assert result.totalRecords == len(expected) and result.pageIndex == 1
    first = result.postingTransactionSummaryList.postingTransactionSummary[0]
    assert first.account.name and first.period.name


def test_summary_filters_and_the_none_value(ns, response_schema):
    result = summary(ns, response_schema, fields=("account", "department"),
                     filters={"subsidiary": ["1"], "period": ["5"], "department": ["-1"]})
    assert result.status.isSuccess is True
    listed = result.postingTransactionSummaryList.postingTransactionSummary
    assert listed and all(row.department is None for row in listed)
    again = summary(ns, response_schema, fields=("account", "department"),
                    filters={"subsidiary": ["1"], "period": ["5"], "department": ["1"]})
    office = {row.account.internalId: row.amount
              for row in again.postingTransactionSummaryList.postingTransactionSummary}
    assert office == {OFFICE: 500.0, "58": 310.0}   # the demo's journal 701 and bill 504 lines


def test_summary_pages_past_the_last_are_refused(ns, response_schema):
    first = summary(ns, response_schema, fields=("account",))
    result = summary(ns, response_schema, page=first.totalPages + 1,
                     operation_id=first.operationId)
    assert result.status.isSuccess is False
    assert result.status.statusDetail[0].code == "INVALID_PAGE_INDEX"


# -- the property ----------------------------------------------------------------------------
ACCOUNTS = (OFFICE, TRAVEL, "57", "58")
operations = st.lists(st.one_of(
    st.tuples(st.just("bill"), st.sampled_from(ACCOUNTS), st.integers(1, 99999),
              st.sampled_from([101, 109, 111]), st.sampled_from([MARCH, FEBRUARY, JANUARY])),
    st.tuples(st.just("journal"), st.sampled_from(ACCOUNTS), st.integers(1, 99999),
              st.sampled_from(["1", "2"]), st.integers(0, 1)),
    st.tuples(st.just("update"), st.integers(0, 9), st.integers(1, 99999)),
    st.tuples(st.just("delete"), st.integers(0, 9))), min_size=1, max_size=6)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations)
def test_property_ledger_balances_and_summary_agrees_with_the_transactions(
        mock_server, zeep_client, steps):
    requests.post(mock_server.url + "/__admin/reset", json={"seed": "demo"},
                  timeout=30).raise_for_status()
    ns, admin = SoapClient(zeep_client, mock_server), MockAdmin(mock_server.url)
    written: list[tuple[str, str]] = []
    for step in steps:
        if step[0] == "bill":
            _, account, cents_, vendor, date = step
            response = write(ns, "add", "tranPurch:VendorBill",
                             bill(cents_ / 100, account=account, vendor=vendor, date=date))
            if date is JANUARY:   # the demo's January is closed
                assert response.status.statusDetail[0].code == "TRAN_PERIOD_CLOSED"
            else:
                written.append(("vendorBill", response.baseRef.internalId))
        elif step[0] == "journal":
            _, account, cents_, subsidiary, unbalance = step
            response = write(ns, "add", "tranGeneral:JournalEntry", {
                "subsidiary": ref(subsidiary), "tranDate": MARCH, "lineList": {"line": [
                    {"account": ref(account), "debit": cents_ / 100},
                    {"account": ref(BANK), "credit": (cents_ + unbalance) / 100}]}})
            assert response.status.isSuccess is (unbalance == 0)
            if unbalance == 0:
                written.append(("journalEntry", response.baseRef.internalId))
        elif written and step[0] == "update":
            record_type, internal_id = written[step[1] % len(written)]
            if record_type == "vendorBill":
                response = write(ns, "update", "tranPurch:VendorBill", {
                    "internalId": internal_id, "expenseList": {"replaceAll": True, "expense": [
                        {"account": ref(OFFICE), "amount": step[2] / 100}]}})
                assert response.status.isSuccess is True
        elif written and step[0] == "delete":
            record_type, internal_id = written.pop(step[1] % len(written))
            response = ns.call("delete", baseRef=ns.ref(record_type, internal_id))
            assert response.body.writeResponse.status.isSuccess is True
    ledger = admin.ledger(postings=True)
    for trial in ledger["trialBalances"]:
        assert trial["difference"] == 0
        assert round(sum(r["debit"] - r["credit"] for r in trial["accounts"]), 2) == 0
    # the summary for subsidiary 1 agrees with the postings of the transactions a search
    # returns (transactions share one id sequence: an id names one)
    found = search(ns, "TransactionSearchBasic", tranDate=field(
        ns, "Date", datetime(2023, 12, 1, tzinfo=timezone.utc), operator="onOrAfter"))
    assert found.totalPages == 1
    hits = set(ids(found))
    expected: dict[str, float] = {}
    for posting in ledger["postings"]:
        if posting["transaction"] in hits and posting["subsidiary"] == "1":
            expected[posting["account"]] = expected.get(posting["account"], 0) \
                + posting["amount"]
    result = summary(ns, None, fields=("account",), filters={"subsidiary": ["1"]})
    got = {row.account.internalId: row.amount
           for row in result.postingTransactionSummaryList.postingTransactionSummary}
    assert got == pytest.approx({k: round(v, 2) for k, v in expected.items()
                                 if round(v, 2) != 0 or k in got})


def test_receipts_and_bills_clear_inventory_received_not_billed(ns, admin, response_schema):
    # the demo's receipt 402 and bill 501 (Feb, both for PO 302's gadgets and sprockets) clear
    # each other; receipt 401's widgets (Mar, PO 301) are received and not billed yet
    assert [(p[0], p[1]) for p in postings_of(admin, "402")] == [
        ("59", 320.0), ("59", 900.0), ("67", -900.0), ("67", -320.0)]
    result = summary(ns, response_schema, fields=("subsidiary", "period"),
                     filters={"account": ["67"]})
    assert rows(result) == {("1", "4", None): 0.0, ("1", "5", None): -125.0,
                            ("2", "5", None): 0.0}


# -- getBudgetExchangeRate ---------------------------------------------------------------------
def test_budget_exchange_rates_consolidate_each_subsidiary_into_its_parent(ns, response_schema):
    def rates(**filter_):
        spec = ns.type("ns0:BudgetExchangeRateFilter")(**{
            name: ns.ref(None, value) for name, value in filter_.items()})
        return checked_call(ns, response_schema, "getBudgetExchangeRate",
                            budgetExchangeRateFilter=spec).getBudgetExchangeRateResult
    march = rates(period="5")
    assert march.status.isSuccess is True
    found = {(r.fromSubsidiary.internalId, r.toSubsidiary.internalId):
             (r.currentRate, r.averageRate, r.historicalRate)
             for r in march.budgetExchangeRateList.budgetExchangeRate}
    # the demo's EUR rate changes on 1 March (1.0856 -> 1.0912); GBP has one rate
    assert found == {("2", "1"): (1.0912, pytest.approx(1.0912), 1.0912),
                     ("3", "1"): (1.2705, 1.2705, 1.2705)}
    february = rates(period="4", fromSubsidiary="2")
    (only,) = february.budgetExchangeRateList.budgetExchangeRate
    assert (only.currentRate, only.historicalRate) == (1.0856, 1.0856)
    unknown = rates(period="999")
    assert unknown.status.statusDetail[0].code == "INVALID_KEY_OR_REF"
    assert unknown.budgetExchangeRateList is None
