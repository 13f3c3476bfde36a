"""Transactions as NetSuite treats them: sublists (replaceAll, line numbers), amounts and totals
per type, values sourced from the vendor, order links and what they do to the order, payments
on invoices and bills, initialize, and the demo's accounts-payable flow."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from lxml import etree

from tests.conftest import CORE, checked_call, envelope, passport_xml, post_soap
from tests.zeep_values import assert_has, build

DAY = datetime(2024, 3, 1, 8, 0, tzinfo=timezone.utc)


def ref(internal_id) -> dict:
    return {"internalId": str(internal_id)}


@pytest.fixture
def api(ns, response_schema):
    """Small helpers over the mock: add/update/get records described as dicts."""
    class Api:
        def add(self, qname: str, fields: dict):
            write = checked_call(ns, response_schema, "add",
                                 record=build(ns.client, qname, fields)).writeResponse
            assert write.status.isSuccess is True, write.status
            return write.baseRef.internalId

        def update(self, qname: str, fields: dict):
            write = checked_call(ns, response_schema, "update",
                                 record=build(ns.client, qname, fields)).writeResponse
            assert write.status.isSuccess is True, write.status

        def get(self, record_type: str, internal_id: str):
            read = checked_call(ns, response_schema, "get",
                                baseRef=ns.ref(record_type, internal_id)).readResponse
            assert read.status.isSuccess is True, read.status
            return read.record

        def initialize(self, target: str, source: str, internal_id: str):
            return checked_call(ns, response_schema, "initialize",
                                initializeRecord=ns.type("ns0:InitializeRecord")(
                                    type=target, reference=ns.type("ns0:InitializeRef")(
                                        type=source, internalId=internal_id))).readResponse
    return Api()


def items(record) -> list[tuple]:
    return [(line.line, line.item.internalId, line.quantity, line.amount)
            for line in record.itemList.item]


# -- sublists ------------------------------------------------------------------------------------
def test_replace_all_replaces_and_merge_appends_numbered_lines(api):
    bill_id = api.add("tranPurch:VendorBill", {"entity": ref(102), "itemList": {"item": [
        {"item": ref(206), "quantity": 1, "rate": "2"}, {"item": ref(205), "quantity": 2,
                                                         "rate": "3"}]}})
    api.update("tranPurch:VendorBill", {"internalId": bill_id, "itemList": {
        "replaceAll": False, "item": [{"item": ref(208), "quantity": 1, "rate": "80"},
                                      {"line": 1, "rate": "2.5"}]}})
    assert items(api.get("vendorBill", bill_id)) == [
        (1, "206", 1.0, 2.5), (2, "205", 2.0, 6.0), (3, "208", 1.0, 80.0)]
    assert api.get("vendorBill", bill_id).userTotal == 88.5
    api.update("tranPurch:VendorBill", {"internalId": bill_id, "itemList": {"item": [
        {"item": ref(205), "quantity": 10, "rate": "3"}]}})
    got = api.get("vendorBill", bill_id)
    assert items(got) == [(1, "205", 10.0, 30.0)] and got.userTotal == 30.0


def test_apply_lines_merge_by_document(api):
    payment = api.add("tranPurch:VendorPayment", {"entity": ref(106), "account": ref(55),
                                                  "applyList": {"apply": [
                                                      {"doc": 504, "apply": True,
                                                       "amount": 100.0}]}})
    api.update("tranPurch:VendorPayment", {"internalId": payment, "applyList": {
        "replaceAll": False, "apply": [{"doc": 504, "amount": 310.0}]}})
    got = api.get("vendorPayment", payment)
    assert [(a.doc, a.amount) for a in got.applyList.apply] == [(504, 310.0)]
    assert got.total == 310.0
    assert api.get("vendorBill", "504").status == "Paid In Full"


# -- totals --------------------------------------------------------------------------------------
def test_invoice_total_adds_shipping_and_handling_and_tracks_payments(api):
    invoice = api.add("tranSales:Invoice", {"entity": ref(152), "shippingCost": 15.0,
                                            "handlingCost": 5.0, "itemList": {"item": [
                                                {"item": ref(209), "quantity": 3,
                                                 "rate": "99.00"}]}})
    got = api.get("invoice", invoice)
    assert (got.subTotal, got.total, got.amountRemaining, got.status) == (297.0, 317.0, 317.0,
                                                                          "Open")
    api.add("tranCust:CustomerPayment", {"customer": ref(152), "payment": 400.0, "applyList": {
        "apply": [{"doc": int(invoice), "apply": True, "amount": 317.0}]}})
    got = api.get("invoice", invoice)
    assert (got.amountPaid, got.amountRemaining, got.status) == (317.0, 0.0, "Paid In Full")


def test_customer_payment_and_credit_memo_totals(api):
    payment = api.get("customerPayment", api.add("tranCust:CustomerPayment", {
        "customer": ref(150), "payment": 1000.0, "applyList": {"apply": [
            {"doc": 801, "apply": True, "amount": 700.0}, {"doc": 803, "apply": False,
                                                          "amount": 99.0}]}}))
    assert (payment.total, payment.applied, payment.unapplied) == (1000.0, 700.0, 300.0)
    memo = api.get("creditMemo", "851")
    assert (memo.total, memo.applied, memo.unapplied) == (450.0, 450.0, 0.0)


def test_expense_report_amount_is_its_total_less_the_advance(api):
    report = api.get("expenseReport", api.add("tranEmp:ExpenseReport", {
        "entity": ref(171), "advance": 100.0, "expenseList": {"expense": [
            {"category": ref(1), "quantity": 2, "rate": 40.0},
            {"category": ref(2), "foreignAmount": 25.5}]}}))
    assert [e.amount for e in report.expenseList.expense] == [80.0, 25.5]
    assert (report.total, report.amount) == (105.5, 5.5)


# -- sourcing ---------------------------------------------------------------------------------------
def test_a_bill_takes_subsidiary_currency_terms_and_due_date_from_its_vendor(api):
    bill = api.get("vendorBill", api.add("tranPurch:VendorBill", {
        "entity": ref(109), "tranDate": DAY,
        "expenseList": {"expense": [{"account": ref(56), "amount": 10.0}]}}))
    assert (bill.subsidiary.internalId, bill.currency.name, bill.terms.name) == (
        "2", "Euro", "Net 30")
    assert bill.exchangeRate == 1.08
    assert bill.dueDate == datetime(2024, 3, 31, 7, 0, tzinfo=timezone.utc)   # midnight PDT


# -- orders, receipts and bills ---------------------------------------------------------------------
def test_demo_orders_show_what_was_received_and_billed(api):
    expected = {
        "301": ("Pending Bill", [(10.0, 10.0, 0.0), (200.0, 200.0, 0.0)]),
        "302": ("Fully Billed", [(20.0, 20.0, 20.0), (100.0, 100.0, 100.0)]),
        "303": ("Partially Received", [(10.0, 10.0, 10.0), (40.0, 0.0, 0.0)]),
        "304": ("Pending Receipt", [(40.0, 0.0, 16.0)]),
    }
    for order_id, (status, lines) in expected.items():
        order = api.get("purchaseOrder", order_id)
        assert order.status == status, order_id
        assert [(i.quantity, i.quantityReceived, i.quantityBilled)
                for i in order.itemList.item] == lines, order_id
    bill = api.get("vendorBill", "501")
    assert [r.name for r in bill.purchaseOrderList.recordRef] == ["PO-1002"]


def test_billing_an_order_line_updates_the_order(api):
    """The export configuration's example bill (orderDoc 301, orderLine 1) against the demo."""
    bill = api.add("tranPurch:VendorBill", {
        "externalId": "rossum-0001", "tranId": "INV-2024-0001", "tranDate": DAY,
        "entity": {"internalId": "101", "type": "vendor"},
        "subsidiary": {"internalId": "1", "type": "subsidiary"},
        "currency": {"internalId": "1", "type": "currency"},
        "itemList": {"item": [{"item": {"internalId": "201", "type": "inventoryItem"},
                               "quantity": 3, "rate": "12.5", "description": "Widgets",
                               "orderDoc": 301, "orderLine": 1}]},
        "expenseList": {"expense": [{"account": {"internalId": "58", "type": "account"},
                                     "amount": 40.0, "memo": "Freight"}]}})
    got = api.get("vendorBill", bill)
    assert got.userTotal == 77.5 and got.purchaseOrderList.recordRef[0].internalId == "301"
    order = api.get("purchaseOrder", "301")
    assert [i.quantityBilled for i in order.itemList.item] == [3.0, 0.0]


def test_initialize_a_bill_from_what_is_left_of_an_order(ns, api, response_schema):
    read = api.initialize("vendorBill", "purchaseOrder", "303")
    assert read.status.isSuccess is True
    bill = read.record
    assert bill.internalId is None                      # not saved
    assert (bill.entity.internalId, bill.subsidiary.internalId, bill.currency.internalId) == (
        "109", "2", "2")
    assert_has(bill.itemList.item, [{"line": 1, "item": {"internalId": "201"}, "quantity": 40.0,
                                     "rate": "11.50", "amount": 460.0, "orderDoc": 303,
                                     "orderLine": 2}])
    assert bill.userTotal == 460.0
    assert [r.internalId for r in bill.purchaseOrderList.recordRef] == ["303"]
    bill.tranId = "MUL-2024-131"
    write = checked_call(ns, response_schema, "add", record=bill).writeResponse
    assert write.status.isSuccess is True, write.status
    assert api.get("purchaseOrder", "303").itemList.item[1].quantityBilled == 40.0
    assert api.get("purchaseOrder", "303").status == "Partially Received"
    assert api.get("vendorBill", write.baseRef.internalId).tranId == "MUL-2024-131"
    again = api.initialize("vendorBill", "purchaseOrder", "303")
    assert [(d.code, d.message) for d in again.status.statusDetail] == [
        ("INVALID_INITIALIZE_REF", "You can not initialize vendorbill: invalid reference 303.")]


def test_an_initialized_bill_can_be_added_as_it_is(ns, api, response_schema):
    bill = api.initialize("vendorBill", "purchaseOrder", "304").record
    assert [(i.quantity, i.orderLine) for i in bill.itemList.item] == [(24.0, 1)]
    assert bill.expenseList is None                 # the licence line is billed already
    write = checked_call(ns, response_schema, "add", record=bill).writeResponse
    assert write.status.isSuccess is True, write.status
    assert api.get("purchaseOrder", "304").itemList.item[0].quantityBilled == 40.0


def test_initialize_an_item_receipt(ns, api, response_schema):
    receipt = api.initialize("itemReceipt", "purchaseOrder", "303").record
    assert receipt.createdFrom.internalId == "303"
    assert [(i.item.internalId, i.quantity, i.orderLine, i.itemReceive)
            for i in receipt.itemList.item] == [("201", 40.0, 2, True)]
    receipt.itemList.item[0].quantity = 20.0          # half of it arrived
    # the initialized lines carry quantityRemaining, which NetSuite sets itself: sent back as
    # it is, the add is refused unless the client asks NetSuite to ignore read-only fields
    refused = checked_call(ns, response_schema, "add", record=receipt).writeResponse
    assert refused.status.statusDetail[0].code == "INSUFFICIENT_PERMISSION"
    assert "set a value for element quantityremaining" in refused.status.statusDetail[0].message
    ignoring = {"preferences": ns.type("ns4:Preferences")(ignoreReadOnlyFields=True)}
    write = checked_call(ns, response_schema, "add", record=receipt,
                         headers=ignoring).writeResponse
    assert write.status.isSuccess is True, write.status
    order = api.get("purchaseOrder", "303")
    assert order.itemList.item[1].quantityReceived == 20.0
    assert order.status == "Pending Billing/Partially Received"


@pytest.mark.parametrize("target, source, internal_id, expected", [
    ("vendorBill", "purchaseOrder", "9999",
     ("INVALID_INITIALIZE_REF", "You can not initialize vendorbill: invalid reference 9999.")),
    ("vendorBill", "purchaseOrder", "302",
     ("INVALID_INITIALIZE_REF", "You can not initialize vendorbill: invalid reference 302.")),
    ("vendorBill", None, "301",
     ("INITIALIZE_ARG_REQD", "The initialize reference type is required.")),
    ("vendorBill", "purchaseOrder", None,
     ("INITIALIZE_ARG_REQD", "The initialize reference id is required.")),
])
def test_initialize_errors(api, target, source, internal_id, expected):
    read = api.initialize(target, source, internal_id)
    assert [(d.code, d.message) for d in read.status.statusDetail] == [expected]
    assert read.record is None


def test_initialize_without_a_type(mock):
    """zeep will not send this; a hand-written request can."""
    body = (f'<m:initialize><m:initializeRecord><c:reference type="purchaseOrder" '
            f'internalId="301"/></m:initializeRecord></m:initialize>')
    response = post_soap(mock, envelope(body, passport_xml(mock.settings)), "initialize")
    root = etree.fromstring(response.content)
    assert [(d.findtext(f"{{{CORE}}}code"), d.findtext(f"{{{CORE}}}message"))
            for d in root.iter(f"{{{CORE}}}statusDetail")] == [
        ("INITIALIZE_ARG_REQD", "The initialize type is required.")]


def test_initialize_of_a_pair_netsuite_does_not_document_is_refused(api):
    read = api.initialize("vendorCredit", "purchaseOrder", "301")
    assert [(d.code, d.message) for d in read.status.statusDetail] == [
        ("INVALID_INITIALIZE_ARG", "The reference type purchaseOrder and initialize type "
                                   "vendorCredit are not matched.")]
    assert read.record is None
