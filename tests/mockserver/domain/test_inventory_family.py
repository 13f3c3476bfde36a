"""The inventory and manufacturing family over HTTP with zeep: inventory adjustments, transfers,
assembly builds and unbuilds, work orders and transfer orders move getItemAvailability's stock;
kits answer with what their members make; NetSuite's checks refuse what it refuses.

The demo (ids 5001-5103): an adjustment added 50 sprockets (205) and 20 bearings (5001) at the
main warehouse (1), a transfer moved 10 sprockets to Hamburg (2), and a build of 3 gearboxes
(assembly 5002: 4 sprockets and 2 bearings each) used 12 sprockets and 6 bearings; the starter
kit (5003) is a gearbox and two bearings.
"""

from __future__ import annotations

import pytest

from tests.conftest import checked_call
from tests.zeep_values import build

pytestmark = pytest.mark.server

SPROCKET, BEARING, GEARBOX, KIT = "205", "5001", "5002", "5003"


def stock(ns, schema, *item_ids) -> dict:
    """(item, location) -> (on hand, on order, committed, available)."""
    refs = ns.type("ns0:RecordRefList")(recordRef=[ns.ref(internal_id=i) for i in item_ids])
    result = checked_call(ns, schema, "getItemAvailability",
                          itemAvailabilityFilter=ns.type("ns0:ItemAvailabilityFilter")(
                              item=refs)).getItemAvailabilityResult
    assert result.status.isSuccess, result.status
    found = result.itemAvailabilityList.itemAvailability if result.itemAvailabilityList else []
    return {(a.item.internalId, a.locationId.internalId):
            (a.quantityOnHand, a.quantityOnOrder, a.quantityCommitted, a.quantityAvailable)
            for a in found}


def add(ns, schema, qname: str, fields: dict):
    return checked_call(ns, schema, "add", record=build(ns.client, qname, fields)).writeResponse


def added(ns, schema, qname: str, fields: dict) -> str:
    write = add(ns, schema, qname, fields)
    assert write.status.isSuccess is True, write.status
    return write.baseRef.internalId


def refused(ns, schema, qname: str, fields: dict) -> tuple[str, str]:
    write = add(ns, schema, qname, fields)
    assert write.status.isSuccess is False
    return write.status.statusDetail[0].code, write.status.statusDetail[0].message


def get(ns, record_type: str, internal_id: str):
    read = ns.call("get", baseRef=ns.ref(record_type, internal_id)).body.readResponse
    assert read.status.isSuccess is True, read.status
    return read.record


def ref(internal_id: str) -> dict:
    return {"internalId": internal_id}


def test_the_demo_adjustment_transfer_and_build_make_the_stock(ns, response_schema):
    found = stock(ns, response_schema, SPROCKET, BEARING, GEARBOX)
    # sprockets: 100 received before, +50 adjusted, -10 transferred, -12 built into gearboxes
    assert found[(SPROCKET, "1")] == (128.0, 0.0, 0.0, 128.0)
    assert found[(SPROCKET, "2")] == (10.0, 0.0, 0.0, 10.0)
    assert found[(BEARING, "1")] == (14.0, 0.0, 0.0, 14.0)
    assert found[(GEARBOX, "1")] == (3.0, 0.0, 0.0, 3.0)
    build_record = get(ns, "assemblyBuild", "5103")
    # the components come from the assembly's members, times the quantity built
    assert [(c.item.internalId, c.quantity) for c in build_record.componentList.component] == [
        (SPROCKET, 12.0), (BEARING, 6.0)]


def test_an_adjustment_moves_each_line_at_its_location(ns, response_schema):
    before = stock(ns, response_schema, BEARING)
    added(ns, response_schema, "tranInvt:InventoryAdjustment", {
        "account": ref("5010"), "adjLocation": ref("1"), "inventoryList": {"inventory": [
            {"item": ref(BEARING), "adjustQtyBy": -4},                      # the body's location
            {"item": ref(BEARING), "location": ref("3"), "adjustQtyBy": 7}]}})
    after = stock(ns, response_schema, BEARING)
    assert after[(BEARING, "1")][0] == before[(BEARING, "1")][0] - 4
    assert after[(BEARING, "3")][0] == 7.0


def test_an_adjustment_needs_an_account_and_a_location_per_line(ns, response_schema):
    line = {"item": ref(BEARING), "adjustQtyBy": 1}
    assert refused(ns, response_schema, "tranInvt:InventoryAdjustment",
                   {"inventoryList": {"inventory": [{**line, "location": ref("1")}]}}) == (
        "USER_ERROR", "Please enter value(s) for: Adjustment Account")
    assert refused(ns, response_schema, "tranInvt:InventoryAdjustment",
                   {"account": ref("5010"), "inventoryList": {"inventory": [line]}}) == (
        "USER_ERROR", "Please enter value(s) for: Location")


def test_a_transfer_moves_stock_between_two_different_locations(ns, response_schema):
    added(ns, response_schema, "tranInvt:InventoryTransfer", {
        "location": ref("2"), "transferLocation": ref("3"),
        "inventoryList": {"inventory": [{"item": ref(SPROCKET), "adjustQtyBy": 4}]}})
    found = stock(ns, response_schema, SPROCKET)
    assert (found[(SPROCKET, "2")][0], found[(SPROCKET, "3")][0]) == (6.0, 4.0)
    assert refused(ns, response_schema, "tranInvt:InventoryTransfer", {
        "location": ref("1"), "transferLocation": ref("1"),
        "inventoryList": {"inventory": [{"item": ref(SPROCKET), "adjustQtyBy": 1}]}})[0] == \
        "USER_ERROR"
    assert refused(ns, response_schema, "tranInvt:InventoryTransfer", {
        "location": ref("1"), "inventoryList": {"inventory": [
            {"item": ref(SPROCKET), "adjustQtyBy": 1}]}}) == (
        "USER_ERROR", "Please enter value(s) for: To Location")


def test_a_build_and_an_unbuild_move_the_assembly_and_its_components(ns, response_schema):
    added(ns, response_schema, "tranInvt:AssemblyBuild",
          {"item": ref(GEARBOX), "quantity": 2, "location": ref("1")})
    found = stock(ns, response_schema, SPROCKET, BEARING, GEARBOX)
    assert (found[(GEARBOX, "1")][0], found[(SPROCKET, "1")][0], found[(BEARING, "1")][0]) == (
        5.0, 120.0, 10.0)
    added(ns, response_schema, "tranInvt:AssemblyUnbuild",
          {"item": ref(GEARBOX), "quantity": 1, "location": ref("1")})
    found = stock(ns, response_schema, SPROCKET, BEARING, GEARBOX)
    assert (found[(GEARBOX, "1")][0], found[(SPROCKET, "1")][0], found[(BEARING, "1")][0]) == (
        4.0, 124.0, 12.0)


def test_a_build_needs_an_assembly_and_a_quantity_above_zero(ns, response_schema):
    assert refused(ns, response_schema, "tranInvt:AssemblyBuild",
                   {"item": ref(GEARBOX), "quantity": 0, "location": ref("1")}) == (
        "INVALID_FLD_VALUE",
        "You have entered an Invalid Field Value 0.0 for the following field: quantity")
    assert refused(ns, response_schema, "tranInvt:AssemblyBuild",
                   {"item": ref(SPROCKET), "quantity": 1, "location": ref("1")}) == (
        "INVALID_KEY_OR_REF", f"Invalid item reference key {SPROCKET}.")
    assert refused(ns, response_schema, "tranInvt:AssemblyBuild",
                   {"item": ref(GEARBOX), "location": ref("1")}) == (
        "USER_ERROR", "Please enter value(s) for: Quantity")


def test_a_work_order_commits_its_components_until_built(ns, response_schema):
    order_id = added(ns, response_schema, "tranInvt:WorkOrder",
                     {"assemblyItem": ref(GEARBOX), "quantity": 4, "location": ref("1")})
    order = get(ns, "workOrder", order_id)
    assert [(i.item.internalId, i.quantity) for i in order.itemList.item] == [
        (SPROCKET, 16.0), (BEARING, 8.0)]
    assert order.status == "Pending Build"
    found = stock(ns, response_schema, SPROCKET, BEARING, GEARBOX)
    # 16 sprockets committed of 128; 8 bearings of 14; 4 gearboxes on order
    assert found[(SPROCKET, "1")] == (128.0, 0.0, 16.0, 112.0)
    assert found[(BEARING, "1")] == (14.0, 0.0, 8.0, 6.0)
    assert found[(GEARBOX, "1")][1] == 4.0
    added(ns, response_schema, "tranInvt:AssemblyBuild", {
        "createdFrom": ref(order_id), "item": ref(GEARBOX), "quantity": 1,
        "location": ref("1")})
    order = get(ns, "workOrder", order_id)
    assert (order.status, order.built) == ("Partially Built", 1.0)
    found = stock(ns, response_schema, SPROCKET, GEARBOX)
    assert found[(SPROCKET, "1")] == (124.0, 0.0, 12.0, 112.0)
    assert (found[(GEARBOX, "1")][0], found[(GEARBOX, "1")][1]) == (4.0, 3.0)
    added(ns, response_schema, "tranInvt:AssemblyBuild", {
        "createdFrom": ref(order_id), "item": ref(GEARBOX), "quantity": 3,
        "location": ref("1")})
    assert get(ns, "workOrder", order_id).status == "Built"
    assert stock(ns, response_schema, SPROCKET)[(SPROCKET, "1")][2] == 0.0


def test_a_transfer_order_commits_at_the_source_then_fulfilment_and_receipt_move_it(
        ns, response_schema):
    order_id = added(ns, response_schema, "tranInvt:TransferOrder", {
        "location": ref("1"), "transferLocation": ref("2"),
        "itemList": {"item": [{"item": ref(SPROCKET), "quantity": 20}]}})
    assert get(ns, "transferOrder", order_id).status == "Pending Fulfillment"
    found = stock(ns, response_schema, SPROCKET)
    assert found[(SPROCKET, "1")] == (128.0, 0.0, 20.0, 108.0)
    assert found[(SPROCKET, "2")] == (10.0, 20.0, 0.0, 10.0)
    added(ns, response_schema, "tranSales:ItemFulfillment", {
        "createdFrom": ref(order_id),
        "itemList": {"item": [{"item": ref(SPROCKET), "orderLine": 1, "quantity": 15}]}})
    order = get(ns, "transferOrder", order_id)
    assert order.status == "Pending Receipt/Partially Fulfilled"
    assert (order.itemList.item[0].quantityFulfilled,
            order.itemList.item[0].quantityReceived) == (15.0, 0.0)
    found = stock(ns, response_schema, SPROCKET)
    # shipped from the source (in transit): not yet on hand at the destination
    assert found[(SPROCKET, "1")] == (113.0, 0.0, 5.0, 108.0)
    assert found[(SPROCKET, "2")] == (10.0, 20.0, 0.0, 10.0)
    added(ns, response_schema, "tranPurch:ItemReceipt", {
        "createdFrom": ref(order_id),
        "itemList": {"item": [{"item": ref(SPROCKET), "orderLine": 1, "quantity": 15}]}})
    assert get(ns, "transferOrder", order_id).status == "Partially Fulfilled"
    found = stock(ns, response_schema, SPROCKET)
    assert found[(SPROCKET, "2")] == (25.0, 5.0, 0.0, 25.0)
    # a fulfilment's lines are the order's lines
    assert refused(ns, response_schema, "tranSales:ItemFulfillment", {
        "createdFrom": ref(order_id),
        "itemList": {"item": [{"item": ref(BEARING), "orderLine": 1, "quantity": 1}]}})[0] == \
        "LINKED_ITEMS_DONT_MATCH"


def test_a_kit_has_what_its_members_make_and_selling_one_commits_them(ns, response_schema):
    # 3 gearboxes and 14 bearings at the main warehouse: 3 kits (a gearbox, two bearings)
    assert stock(ns, response_schema, KIT)[(KIT, "1")][::3] == (3.0, 3.0)
    added(ns, response_schema, "tranSales:SalesOrder", {
        "entity": ref("152"), "location": ref("1"),
        "itemList": {"item": [{"item": ref(KIT), "quantity": 2, "rate": 99.0}]}})
    found = stock(ns, response_schema, GEARBOX, BEARING, KIT)
    assert found[(GEARBOX, "1")][2:] == (2.0, 1.0)
    assert found[(BEARING, "1")][2:] == (4.0, 10.0)
    assert found[(KIT, "1")][::3] == (3.0, 1.0)


def test_a_lot_numbered_item_s_inventory_detail_assigns_the_whole_quantity(ns, response_schema):
    lot_item = added(ns, response_schema, "listAcct:LotNumberedInventoryItem",
                     {"itemId": "INV-LOT-TEST"})
    def adjustment(*quantities):
        return {"account": ref("5010"), "inventoryList": {"inventory": [{
            "item": ref(lot_item), "location": ref("1"), "adjustQtyBy": 5,
            "inventoryDetail": {"inventoryAssignmentList": {"inventoryAssignment": [
                {"receiptInventoryNumber": f"LOT-{n}", "quantity": q}
                for n, q in enumerate(quantities)]}}}]}}
    assert refused(ns, response_schema, "tranInvt:InventoryAdjustment", adjustment(2, 2)) == (
        "USER_ERROR", "The total inventory detail quantity must be 5.")
    added(ns, response_schema, "tranInvt:InventoryAdjustment", adjustment(2, 3))
    assert stock(ns, response_schema, lot_item)[(lot_item, "1")][0] == 5.0


def test_a_bin_needs_its_number_and_location(ns, response_schema):
    assert get(ns, "bin", "5020").location.internalId == "1"
    assert refused(ns, response_schema, "listAcct:Bin", {"location": ref("1")}) == (
        "USER_ERROR", "Please enter value(s) for: Bin Number")
