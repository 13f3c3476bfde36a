"""Order to cash over HTTP with zeep: a sales order's fulfilments and invoices (or cash sales)
move its lines and its status, initialize builds a fulfilment, invoice or cash sale for what
is left, fulfilment lines are checked against the order, and searches find orders by status."""

from __future__ import annotations

import pytest

from tests.conftest import checked_call
from tests.search_helpers import field, records, search

pytestmark = pytest.mark.server


def get(ns, record_type: str, internal_id: str):
    return ns.call("get", baseRef=ns.ref(record_type, internal_id)).body.readResponse.record


def initialize(ns, schema, target: str, order_id: str = "761"):
    return checked_call(ns, schema, "initialize", initializeRecord=ns.type("ns0:InitializeRecord")(
        type=target, reference=ns.type("ns0:InitializeRef")(type="salesOrder",
                                                            internalId=order_id))).readResponse


def add(ns, schema, record, **preferences):
    headers = {"preferences": ns.type("ns4:Preferences")(**preferences)} if preferences else None
    return checked_call(ns, schema, "add", record=record, headers=headers).writeResponse


def test_the_demo_order_shows_what_was_fulfilled(ns, response_schema):
    order = get(ns, "salesOrder", "761")
    assert order.status == "Pending Billing/Partially Fulfilled"
    assert [(i.item.internalId, i.quantityFulfilled, i.quantityBilled)
            for i in order.itemList.item] == [("201", 4.0, 0.0), ("204", 0.0, 0.0)]
    assert (order.subTotal, order.total) == (180.0, 180.0)


def test_fulfil_the_rest_then_invoice_it_all(ns, response_schema):
    fulfilment = initialize(ns, response_schema, "itemFulfillment").record
    assert fulfilment.createdFrom.internalId == "761"
    assert [(i.item.internalId, i.quantity, i.orderLine, i.itemReceive, i.quantityRemaining)
            for i in fulfilment.itemList.item] == [("204", 2.0, 2, True, 2.0)]
    assert add(ns, response_schema, fulfilment, ignoreReadOnlyFields=True).status.isSuccess
    assert get(ns, "salesOrder", "761").status == "Pending Billing"

    invoice = initialize(ns, response_schema, "invoice").record
    assert invoice.createdFrom.internalId == "761" and invoice.entity.internalId == "150"
    assert [(i.item.internalId, i.quantity, i.orderLine, i.amount)
            for i in invoice.itemList.item] == [("201", 4.0, 1, 100.0), ("204", 2.0, 2, 80.0)]
    assert add(ns, response_schema, invoice, ignoreReadOnlyFields=True).status.isSuccess
    order = get(ns, "salesOrder", "761")
    assert order.status == "Billed"
    assert [i.quantityBilled for i in order.itemList.item] == [4.0, 2.0]
    left = initialize(ns, response_schema, "cashSale")
    assert left.status.statusDetail[0].code == "INVALID_INITIALIZE_REF"   # nothing left to bill


@pytest.mark.parametrize("line, code", [
    ({"item": {"internalId": "204"}, "orderLine": 7, "quantity": 1}, "INVALID_LINE_ID"),
    ({"item": {"internalId": "203"}, "orderLine": 2, "quantity": 1}, "LINKED_ITEMS_DONT_MATCH"),
])
def test_fulfilment_lines_are_checked_against_the_order(ns, response_schema, line, code):
    from tests.zeep_values import build
    fulfilment = build(ns.client, "tranSales:ItemFulfillment", {
        "createdFrom": {"internalId": "761"}, "itemList": {"item": [line]}})
    written = add(ns, response_schema, fulfilment)
    assert written.status.statusDetail[0].code == code


def test_sales_orders_by_status_and_type(ns, response_schema):
    def found(status):
        return [(r.tranId, r.status) for r in records(search(
            ns, "TransactionSearchBasic", status=field(ns, "EnumMultiSelect", status,
                                                      operator="anyOf")))]
    assert found("_salesOrderPendingBillingPartiallyFulfilled") == [
        ("SO-1001", "Pending Billing/Partially Fulfilled")]
    assert found("_salesOrderPendingFulfillment") == []
    sales = search(ns, "TransactionSearchBasic", type=field(
        ns, "EnumMultiSelect", "_salesOrder", "_itemFulfillment", "_cashSale", operator="anyOf"))
    assert sorted(r.tranId for r in records(sales)) == ["CS-1001", "IF-1001", "SO-1001"]
