"""getItemAvailability over HTTP with zeep: stock per location from the demo's receipts and
orders, moving as orders and receipts are added, the lastQtyAvailableChange filter, and
refusals (an item that is not an inventory item, more than 10,000 items)."""

from __future__ import annotations

import pytest
from zeep.exceptions import Fault

from tests.conftest import checked_call
from tests.mockserver.domain.test_list_operations import fault_of
from tests.zeep_values import build

pytestmark = pytest.mark.server


def availability(ns, schema, *item_ids, since=None) -> dict:
    """(item, location) -> (on hand, on order, available, last change) for the items asked."""
    refs = ns.type("ns0:RecordRefList")(recordRef=[ns.ref(internal_id=i) for i in item_ids])
    result = checked_call(ns, schema, "getItemAvailability",
                          itemAvailabilityFilter=ns.type("ns0:ItemAvailabilityFilter")(
                              item=refs, lastQtyAvailableChange=since)).getItemAvailabilityResult
    assert result.status.isSuccess
    found = result.itemAvailabilityList.itemAvailability if result.itemAvailabilityList else []
    return {(a.item.internalId, a.locationId.internalId):
            (a.quantityOnHand, a.quantityOnOrder, a.quantityAvailable, a.lastQtyAvailableChange)
            for a in found}


def test_stock_of_the_demo_items_per_location(ns, response_schema):
    stock = availability(ns, response_schema, "201", "204")
    # PO-1001 (301) was received in full at the main warehouse (10 widgets), of which SO-1001's
    # fulfilment shipped 4 and cash sale CS-1001 sold 1; PO 303 ordered 40 widgets for Hamburg,
    # of which its receipt took none; the gadgets (204) came in at both, and SO-1001 still has
    # 2 of them to ship from the main warehouse (committed)
    assert {k: v[:3] for k, v in stock.items()} == {
        ("201", "1"): (5.0, 0.0, 5.0), ("201", "2"): (0.0, 40.0, 0.0),
        ("204", "1"): (20.0, 0.0, 18.0), ("204", "2"): (10.0, 0.0, 10.0)}
    assert stock[("201", "1")][3] is not None


def test_orders_and_receipts_move_the_stock(ns, response_schema):
    before = ns.call("getServerTime").body.getServerTimeResult.serverTime
    order = build(ns.client, "tranPurch:PurchaseOrder", {
        "entity": {"internalId": "101"}, "location": {"internalId": "3"},
        "itemList": {"item": [{"item": {"internalId": "201"}, "quantity": 5, "rate": 12.5}]}})
    order_id = ns.call("add", record=order).body.writeResponse.baseRef.internalId
    assert availability(ns, response_schema, "201")[("201", "3")][:3] == (0.0, 5.0, 0.0)
    receipt = build(ns.client, "tranPurch:ItemReceipt", {
        "createdFrom": {"internalId": order_id}, "itemList": {"item": [
            {"item": {"internalId": "201"}, "orderLine": 1, "quantity": 3,
             "location": {"internalId": "3"}}]}})
    assert ns.call("add", record=receipt).body.writeResponse.status.isSuccess
    stock = availability(ns, response_schema, "201")
    assert stock[("201", "3")][:3] == (3.0, 2.0, 3.0)
    assert stock[("201", "3")][3] >= before
    # only what changed since then
    assert list(availability(ns, response_schema, "201", since=before)) == [("201", "3")]


def test_an_item_that_is_not_an_inventory_item_is_refused(ns, response_schema):
    refs = ns.type("ns0:RecordRefList")(recordRef=[ns.ref(internal_id="202")])
    result = checked_call(ns, response_schema, "getItemAvailability",
                          itemAvailabilityFilter=ns.type("ns0:ItemAvailabilityFilter")(
                              item=refs)).getItemAvailabilityResult
    assert not result.status.isSuccess and result.itemAvailabilityList is None
    assert (result.status.statusDetail[0].code, result.status.statusDetail[0].message) == (
        "INVALID_KEY_OR_REF", "Invalid item reference key 202.")


def test_more_than_10000_items_is_refused_as_a_whole(ns):
    refs = ns.type("ns0:RecordRefList")(recordRef=[ns.ref(internal_id="201")] * 10001)
    with pytest.raises(Fault):
        ns.call("getItemAvailability",
                itemAvailabilityFilter=ns.type("ns0:ItemAvailabilityFilter")(item=refs))
    assert fault_of(ns)[:2] == ("exceededRecordCountFault", "MAX_RCRDS_EXCEEDED")


def test_sales_orders_commit_what_is_on_hand_and_back_order_the_rest(ns, response_schema):
    order = build(ns.client, "tranSales:SalesOrder", {
        "entity": {"internalId": "152"}, "location": {"internalId": "2"},
        "itemList": {"item": [{"item": {"internalId": "204"}, "quantity": 25, "rate": 40.0}]}})
    assert ns.call("add", record=order).body.writeResponse.status.isSuccess
    refs = ns.type("ns0:RecordRefList")(recordRef=[ns.ref(internal_id="204")])
    result = checked_call(ns, response_schema, "getItemAvailability",
                          itemAvailabilityFilter=ns.type("ns0:ItemAvailabilityFilter")(
                              item=refs)).getItemAvailabilityResult
    hamburg = next(a for a in result.itemAvailabilityList.itemAvailability
                   if a.locationId.internalId == "2")
    assert (hamburg.quantityOnHand, hamburg.quantityCommitted, hamburg.quantityBackOrdered,
            hamburg.quantityAvailable) == (10.0, 10.0, 15.0, 0.0)
