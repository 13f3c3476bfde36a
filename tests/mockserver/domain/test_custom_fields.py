"""customFieldList: every CustomFieldRef kind round-trips, named by scriptId or by internalId,
and comes back with both; an update changes only the fields it sends; nullFieldList clears
standard and custom fields. Uses the demo's custom field definitions (custbody_*, custcol_*,
custentity_*, the Vendor Scorecard custom record type)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tests.conftest import checked_call
from tests.zeep_values import assert_has, build, plain

DAY = datetime(2024, 3, 1, 8, 0, tzinfo=timezone.utc)

# scriptId, internalId (demo), kind, value sent, value read back
KINDS = [
    ("custbody_scan_reference", "504", "StringCustomFieldRef", "SCAN-42", "SCAN-42"),
    ("custbody_ap_reviewed", "502", "BooleanCustomFieldRef", True, True),
    ("custbody_invoice_received", "503", "DateCustomFieldRef", DAY, DAY),
    ("custbody_freight_share", "505", "DoubleCustomFieldRef", 12.5, 12.5),
    ("custbody_page_count", "506", "LongCustomFieldRef", 7, 7),
    ("custbody_approval_status", "501", "SelectCustomFieldRef", {"internalId": "3"},
     {"internalId": "3", "name": "Rejected", "typeId": "1"}),
    ("custbody_cost_centers", "507", "MultiSelectCustomFieldRef",
     [{"internalId": "1"}, {"internalId": "3"}],
     [{"internalId": "1", "name": "CC-100 Operations"}, {"internalId": "3", "name": "CC-300 Sales"}]),
]


def field(kind: str, value, **key) -> dict:
    return {"_type": f"platformCore:{kind}", **key, "value": value}


def fields_of(record) -> dict:
    """scriptId -> plain entry of a record's customFieldList."""
    entries = (plain(record.customFieldList) or {}).get("customField") or []
    return {e["scriptId"]: e for e in entries}


@pytest.fixture
def bills(ns, response_schema):
    """add a vendor bill with the given fields and read it back."""
    def add_and_get(**fields):
        record = {"entity": {"internalId": "102"}, "tranDate": DAY,
                  "expenseList": {"expense": [{"account": {"internalId": "56"}, "amount": 5.0}]},
                  **fields}
        write = checked_call(ns, response_schema, "add",
                             record=build(ns.client, "tranPurch:VendorBill", record)).writeResponse
        assert write.status.isSuccess is True, write.status
        return checked_call(ns, response_schema, "get", baseRef=ns.ref(
            "vendorBill", write.baseRef.internalId)).readResponse.record
    return add_and_get


@pytest.mark.parametrize("key", ["scriptId", "internalId"])
@pytest.mark.parametrize("script_id, internal_id, kind, sent, expected", KINDS,
                         ids=[k[2] for k in KINDS])
def test_every_kind_round_trips(bills, key, script_id, internal_id, kind, sent, expected):
    named = {"scriptId": script_id} if key == "scriptId" else {"internalId": internal_id}
    got = bills(customFieldList={"customField": [field(kind, sent, **named)]})
    entry = got.customFieldList.customField[0]
    assert type(entry).__name__ == kind
    assert (entry.scriptId, entry.internalId) == (script_id, internal_id)
    assert_has(entry.value, expected)


def test_all_kinds_together_keep_their_order(bills):
    got = bills(customFieldList={"customField": [
        field(kind, sent, scriptId=script_id) for script_id, _, kind, sent, _ in KINDS]})
    assert list(fields_of(got)) == [k[0] for k in KINDS]


def test_update_changes_only_the_custom_fields_sent(ns, bills, response_schema):
    got = bills(customFieldList={"customField": [
        field("StringCustomFieldRef", "SCAN-1", scriptId="custbody_scan_reference"),
        field("BooleanCustomFieldRef", False, scriptId="custbody_ap_reviewed")]})
    update = build(ns.client, "tranPurch:VendorBill", {
        "internalId": got.internalId, "customFieldList": {"customField": [
            field("BooleanCustomFieldRef", True, internalId="502"),
            field("LongCustomFieldRef", 3, scriptId="custbody_page_count")]}})
    assert checked_call(ns, response_schema, "update", record=update
                        ).writeResponse.status.isSuccess is True
    again = checked_call(ns, response_schema, "get", baseRef=ns.ref(
        "vendorBill", got.internalId)).readResponse.record
    assert {k: v["value"] for k, v in fields_of(again).items()} == {
        "custbody_scan_reference": "SCAN-1", "custbody_ap_reviewed": True,
        "custbody_page_count": 3}


def test_null_field_list_clears_custom_and_standard_fields(ns, response_schema):
    """Demo bill 501 carries every kind of body field and a memo."""
    update = build(ns.client, "tranPurch:VendorBill", {"internalId": "501", "nullFieldList": {
        "name": ["custbody_scan_reference", "custbody_cost_centers", "memo"]}})
    assert checked_call(ns, response_schema, "update", record=update
                        ).writeResponse.status.isSuccess is True
    bill = checked_call(ns, response_schema, "get", baseRef=ns.ref("vendorBill", "501")
                        ).readResponse.record
    assert bill.memo is None
    assert set(fields_of(bill)) == {"custbody_approval_status", "custbody_ap_reviewed",
                                    "custbody_invoice_received", "custbody_freight_share",
                                    "custbody_page_count"}


def test_column_fields_on_lines_and_a_line_merge_keeps_them(ns, bills, response_schema):
    got = bills(itemList={"item": [
        {"item": {"internalId": "206"}, "quantity": 2, "rate": "3",
         "customFieldList": {"customField": [
             field("StringCustomFieldRef", "PRJ-1", scriptId="custcol_project_code")]}}]})
    line = got.itemList.item[0]
    assert (line.customFieldList.customField[0].internalId, line.amount) == ("511", 6.0)
    update = build(ns.client, "tranPurch:VendorBill", {"internalId": got.internalId, "itemList": {
        "replaceAll": False, "item": [{"line": 1, "quantity": 5}]}})
    checked_call(ns, response_schema, "update", record=update)
    again = checked_call(ns, response_schema, "get", baseRef=ns.ref(
        "vendorBill", got.internalId)).readResponse.record.itemList.item[0]
    assert again.quantity == 5.0 and again.amount == 15.0     # NetSuite recomputes the amount
    assert again.customFieldList.customField[0].value == "PRJ-1"


def test_entity_and_other_record_fields(ns, response_schema):
    vendor = checked_call(ns, response_schema, "get", baseRef=ns.ref("vendor", "101")
                          ).readResponse.record
    assert {k: v["value"] for k, v in fields_of(vendor).items()} == {
        "custentity_vendor_rating": 4, "custentity_portal_enabled": True}
    department = checked_call(ns, response_schema, "get", baseRef=ns.ref("department", "2")
                              ).readResponse.record
    assert fields_of(department)["custrecord_budget_owner"]["value"] == "Mock Administrator"


def test_custom_record_fields_come_from_its_type(ns, response_schema):
    record = build(ns.client, "setupCustom:CustomRecord", {
        "recType": {"internalId": "1"}, "name": "Globex, Q1 2024",
        "customFieldList": {"customField": [field("LongCustomFieldRef", 6, internalId="551")]}})
    write = checked_call(ns, response_schema, "add", record=record).writeResponse
    assert write.status.isSuccess is True, write.status
    got = checked_call(ns, response_schema, "get", baseRef=ns.ref(
        "customRecord", write.baseRef.internalId)).readResponse.record
    assert fields_of(got)["custrecord_score"]["value"] == 6
    wrong = build(ns.client, "setupCustom:CustomRecord", {
        "recType": {"internalId": "1"}, "name": "Wrong field",
        "customFieldList": {"customField": [
            field("StringCustomFieldRef", "x", scriptId="custbody_scan_reference")]}})
    status = checked_call(ns, response_schema, "add", record=wrong).writeResponse.status
    assert status.statusDetail[0].code == "INVALID_CSTM_FIELD_RCRD_TYP"


def test_a_new_definition_is_usable_at_once(ns, bills, response_schema):
    definition = build(ns.client, "setupCustom:TransactionColumnCustomField", {
        "label": "Cost Code", "fieldType": "_integerNumber", "colExpense": True})
    write = checked_call(ns, response_schema, "add", record=definition).writeResponse
    internal_id = write.baseRef.internalId
    created = checked_call(ns, response_schema, "get", baseRef=ns.ref(
        "transactionColumnCustomField", internal_id)).readResponse.record
    assert created.scriptId == f"custcol{internal_id}"      # NetSuite names it when not told
    got = bills(expenseList={"expense": [{"account": {"internalId": "56"}, "amount": 1.0,
                                          "customFieldList": {"customField": [
                                              field("LongCustomFieldRef", 77,
                                                    internalId=internal_id)]}}]})
    entry = got.expenseList.expense[0].customFieldList.customField[0]
    assert (entry.scriptId, entry.value) == (f"custcol{internal_id}", 77)


@pytest.mark.parametrize("definition_type, flag, record_type, fields, elsewhere", [
    ("setupCustom:CrmCustomField", "appliesToTask", "actSched:Task", {"title": "Call back"},
     ("actSched:PhoneCall", {"title": "Called"})),
    ("setupCustom:ItemCustomField", "appliesToKit", "listAcct:KitItem", {"itemId": "Kit A"},
     ("listAcct:LotNumberedInventoryItem", {"itemId": "Lot A"})),
    ("setupCustom:EntityCustomField", "appliesToPartner", "listRel:Partner",
     {"companyName": "Partner A", "subsidiary": {"internalId": "1"}},
     ("listRel:Vendor", {"companyName": "Vendor A", "subsidiary": {"internalId": "1"}})),
])
def test_applies_to_flags_of_the_derived_record_types(ns, response_schema, definition_type, flag,
                                                      record_type, fields, elsewhere):
    """A definition appears where its flag says, on the record types derived from the schema
    too (a CRM field on a task, an item field on a kit), and is refused elsewhere."""
    write = checked_call(ns, response_schema, "add", record=build(ns.client, definition_type, {
        "label": "Flagged", "fieldType": "_freeFormText", flag: True})).writeResponse
    assert write.status.isSuccess is True, write.status
    entry = {"customFieldList": {"customField": [
        field("StringCustomFieldRef", "x", internalId=write.baseRef.internalId)]}}
    status = checked_call(ns, response_schema, "add", record=build(
        ns.client, record_type, {**fields, **entry})).writeResponse.status
    assert status.isSuccess is True, status
    other_type, other_fields = elsewhere
    status = checked_call(ns, response_schema, "add", record=build(
        ns.client, other_type, {**other_fields, **entry})).writeResponse.status
    assert status.isSuccess is False
    assert status.statusDetail[0].code == "INVALID_CSTM_FIELD_RCRD_TYP"
