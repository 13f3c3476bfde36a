"""NetSuite's validation rules, each answered with NetSuite's code and message: references,
required fields, enumerated values, duplicates, record types, custom fields, nullFieldList,
journal balance and the links between bills and orders. Every response validates against the
real XSDs."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tests.conftest import checked_call
from tests.zeep_values import build

DAY = datetime(2024, 3, 1, 8, 0, tzinfo=timezone.utc)


def ref(internal_id, **extra) -> dict:
    return {"internalId": str(internal_id), **extra}


@pytest.fixture
def write(ns, response_schema):
    """Send one record with add (or update/upsert) and return its status details as
    (code, message) pairs; [] when it succeeded."""
    def send(qname: str, fields: dict, operation: str = "add"):
        body = checked_call(ns, response_schema, operation,
                            record=build(ns.client, qname, fields))
        status = body.writeResponse.status
        errors = [(d.code, d.message) for d in status.statusDetail if d.code is not None]
        assert status.isSuccess is (not errors)
        return errors
    return send


def vendor(**fields) -> dict:
    return {"companyName": "Validation Vendor", "subsidiary": ref(1), **fields}


def bill(*lines, entity=105, **fields) -> dict:
    return {"entity": ref(entity), "tranDate": DAY, "itemList": {"item": list(lines)}, **fields}


# -- references ----------------------------------------------------------------------------------
@pytest.mark.parametrize("field, value, message", [
    ("subsidiary", ref(9), "Invalid subsidiary reference key 9."),
    ("currency", {"externalId": "CUR-XYZ"}, "Invalid currency reference key CUR-XYZ."),
    ("terms", ref(77), "Invalid term reference key 77."),
    ("payablesAccount", ref(4242), "Invalid account reference key 4242."),
])
def test_every_reference_is_checked(write, field, value, message):
    assert write("listRel:Vendor", vendor(**{field: value})) == [("INVALID_KEY_OR_REF", message)]


def test_references_inside_sublists_are_checked(write):
    assert write("tranPurch:VendorBill", bill({"item": ref(204), "quantity": 1, "rate": "1",
                                                "location": ref(99)})) == [
        ("INVALID_KEY_OR_REF", "Invalid location reference key 99.")]


@pytest.mark.parametrize("qname, fields, message", [
    ("tranSales:Invoice", {"entity": ref(150), "tranDate": DAY, "shippingTaxCode": ref(31337),
                           "itemList": {"item": [{"item": ref(204), "quantity": 1,
                                                  "rate": "5"}]}},
     "Invalid shippingtaxcode reference key 31337."),
    ("tranGeneral:JournalEntry", {"subsidiary": ref(1), "tranDate": DAY, "lineList": {"line": [
        {"account": ref(58), "debit": 5.0, "lineTaxCode": ref(31337)},
        {"account": ref(58), "credit": 5.0}]}}, "Invalid linetaxcode reference key 31337."),
    ("listRel:Customer", {"companyName": "Refs Inc.", "subsidiary": ref(1),
                          "contactRolesList": {"contactRoles": [{"contact": ref(31337)}]}},
     "Invalid contact reference key 31337."),
    ("listAcct:InventoryItem", {"itemId": "REF-ITEM", "preferredLocation": ref(31337)},
     "Invalid location reference key 31337."),
    ("listAcct:InventoryItem", {"itemId": "REF-ITEM-2", "itemVendorList": {"itemVendor": [
        {"vendor": ref(101), "vendorCurrency": ref(31337)}]}},
     "Invalid currency reference key 31337."),
])
def test_references_of_other_records_and_their_sublists_are_checked(write, qname, fields,
                                                                    message):
    assert write(qname, fields) == [("INVALID_KEY_OR_REF", message)]


def test_a_reference_of_the_wrong_record_type_is_refused(write):
    """``type`` names a record the field cannot point at."""
    assert write("listRel:Vendor", vendor(subsidiary=ref(1, type="vendor"))) == [
        ("INVALID_RCRD_TYPE", "Invalid Record Type")]


def test_a_reference_type_netsuite_does_not_have(write):
    assert write("listRel:Vendor", vendor(subsidiary=ref(1, type="spaceship"))) == [
        ("INVALID_RCRD_TYPE", "The record type [spaceship] is invalid.")]


def test_a_typed_reference_looks_only_in_that_type(write):
    """Customer 150 exists, but not as a vendor."""
    assert write("tranPurch:PurchaseOrder", {"entity": ref(150, type="vendor")}) == [
        ("INVALID_KEY_OR_REF", "Invalid vendor reference key 150.")]


# -- required fields -------------------------------------------------------------------------------
@pytest.mark.parametrize("qname, fields, labels", [
    ("listRel:Vendor", {"email": "x@y.example"}, "Company Name, Subsidiary"),
    ("listRel:Vendor", {"isPerson": True, "subsidiary": ref(1)}, "First Name, Last Name"),
    ("listEmp:Employee", {"firstName": "A"}, "Last Name, Subsidiary"),
    ("tranPurch:VendorBill", {"memo": "no vendor"}, "Vendor"),
    ("tranPurch:ItemReceipt", {"memo": "no order"}, "Created From"),
    ("tranCust:CustomerPayment", {"payment": 1.0}, "Customer"),
    ("listAcct:InventoryItem", {"displayName": "nameless"}, "Item Name/Number"),
    ("listAcct:Account", {"acctName": "Typeless"}, "Type"),
    ("listAcct:CurrencyRate", {"baseCurrency": ref(1)},
     "Transaction Currency, Exchange Rate"),
    ("setupCustom:TransactionBodyCustomField", {"scriptId": "custbody_x"}, "Label, Type"),
    ("listAcct:State", {"fullName": "Oregon"}, "Country, Short Name"),
])
def test_required_fields_per_record_type(write, qname, fields, labels):
    assert write(qname, fields) == [("USER_ERROR", f"Please enter value(s) for: {labels}")]


def test_update_that_empties_a_required_field(ns, write):
    assert write("listRel:Vendor", {"internalId": "103", "nullFieldList": {"name": [
        "companyName"]}}, "update") == [("USER_ERROR", "Please enter value(s) for: Company Name")]


# -- enumerated values -------------------------------------------------------------------------------
def test_an_enum_value_netsuite_does_not_have(write):
    assert write("listAcct:Account", {"acctName": "Odd", "acctType": "_piggyBank"}) == [
        ("INVALID_FLD_VALUE", "You have entered an Invalid Field Value _piggyBank for the "
                              "following field: acctType")]


def test_enum_values_inside_addresses_are_checked(write):
    address = {"addressbookAddress": {"country": "_atlantis", "city": "Nowhere"}}
    assert write("listRel:Vendor", vendor(addressbookList={"addressbook": [address]})) == [
        ("INVALID_FLD_VALUE", "You have entered an Invalid Field Value _atlantis for the "
                              "following field: country")]


# -- duplicates ---------------------------------------------------------------------------------------
def test_duplicate_entity(write):
    assert write("listRel:Vendor", vendor(companyName="Globex Corporation")) == [
        ("DUP_ENTITY", "This entity already exists.")]


def test_duplicate_item_name_across_item_types(write):
    """Items share one name space: a service item cannot take an inventory item's name."""
    assert write("listAcct:ServicePurchaseItem", {"itemId": "WIDGET-001"}) == [
        ("DUP_ITEM", "Uniqueness error - there is already an item with that name or "
                     "name/parent combination.")]


def test_duplicate_custom_field_script_id(write):
    """NetSuite prefixes ``_ap_reviewed`` to ``custbody_ap_reviewed``, which exists."""
    assert write("setupCustom:TransactionBodyCustomField", {
        "label": "Copy", "fieldType": "_checkBox", "scriptId": "_ap_reviewed"}) == [
        ("DUP_CSTM_FIELD", "This custom field already exists")]


def test_duplicate_external_id(write):
    assert write("tranPurch:VendorBill", bill(externalId="BILL-STARK-7781")) == [
        ("DUP_RCRD", "This record already exists")]


# -- custom fields ------------------------------------------------------------------------------------
def custom(kind: str, **fields) -> dict:
    return {"customFieldList": {"customField": [{"_type": f"platformCore:{kind}", **fields}]}}


@pytest.mark.parametrize("entry, expected", [
    (dict(kind="StringCustomFieldRef", value="x"),
     ("CSTM_FIELD_KEY_REQD", "The specified custom field key is missing.")),
    (dict(kind="StringCustomFieldRef", scriptId="custbody_nope", value="x"),
     ("INVALID_CSTM_FIELD_REF", "The specified custom field reference custbody_nope is invalid.")),
    (dict(kind="StringCustomFieldRef", internalId="9999", value="x"),
     ("INVALID_CSTM_FIELD_REF", "The specified custom field reference 9999 is invalid.")),
    (dict(kind="StringCustomFieldRef", scriptId="custbody_ap_reviewed", value="yes"),
     ("INVALID_CSTM_FIELD_DATA_TYP", "The customfield [custbody_ap_reviewed] reference object "
                                     "does not match its data type.")),
    (dict(kind="StringCustomFieldRef", scriptId="custentity_vendor_rating", value="5"),
     ("INVALID_CSTM_FIELD_RCRD_TYP", "Invalid custom field record type")),
    (dict(kind="SelectCustomFieldRef", scriptId="custbody_approval_status",
          value={"internalId": "42"}),
     ("INVALID_KEY_OR_REF", "Invalid custbody_approval_status reference key 42.")),
])
def test_custom_field_errors(write, entry, expected):
    kind = entry.pop("kind")
    assert write("tranPurch:VendorBill", bill(**custom(kind, **entry))) == [expected]


def test_a_body_field_cannot_sit_on_a_line(write):
    line = {"item": ref(204), "quantity": 1, "rate": "1",
            **custom("StringCustomFieldRef", scriptId="custbody_scan_reference", value="x")}
    assert write("tranPurch:VendorBill", bill(line)) == [
        ("INVALID_CSTM_FIELD_RCRD_TYP", "Invalid custom field record type")]


def test_a_mandatory_custom_field(write):
    assert write("setupCustom:TransactionBodyCustomField", {
        "label": "Cost Center Code", "fieldType": "_freeFormText", "scriptId": "_cc_code",
        "bodyPurchase": True, "isMandatory": True}) == []
    assert write("tranPurch:VendorBill", bill()) == [
        ("USER_ERROR", "Please enter value(s) for: Cost Center Code")]
    assert write("tranPurch:VendorBill", bill(**custom(
        "StringCustomFieldRef", scriptId="custbody_cc_code", value="CC-1"))) == []



def test_mandatory_custom_fields_are_not_checked_when_the_client_turns_that_off(ns, write,
                                                                                 response_schema):
    assert write("setupCustom:TransactionBodyCustomField", {
        "label": "Cost Center Code", "fieldType": "_freeFormText", "scriptId": "_cc_code",
        "bodyPurchase": True, "isMandatory": True}) == []
    skipping = {"preferences": ns.type("ns4:Preferences")(
        disableMandatoryCustomFieldValidation=True)}
    added = checked_call(ns, response_schema, "add", headers=skipping,
                         record=build(ns.client, "tranPurch:VendorBill", bill())).writeResponse
    assert added.status.isSuccess, added.status
    # an update of that bill without the preference is checked again
    again = checked_call(ns, response_schema, "update", record=build(
        ns.client, "tranPurch:VendorBill", {"internalId": added.baseRef.internalId,
                                            "memo": "touched"})).writeResponse
    assert [(d.code, d.message) for d in again.status.statusDetail] == [
        ("USER_ERROR", "Please enter value(s) for: Cost Center Code")]


# -- nullFieldList ---------------------------------------------------------------------------------------
def test_null_field_list_names_must_be_fields(write):
    assert write("listRel:Vendor", {"internalId": "101", "nullFieldList": {"name": [
        "faxNumber"]}}, "update") == [
        ("INVALID_FIELD_NAME_FOR_NULL", "The specified name [faxNumber] must exactly match an "
                                        "existing field name.")]


# -- journals and linked lines -------------------------------------------------------------------------
def test_journal_entry_must_balance(write):
    assert write("tranGeneral:JournalEntry", {"subsidiary": ref(1), "lineList": {"line": [
        {"account": ref(56), "debit": 100.0}, {"account": ref(55), "credit": 99.99}]}}) == [
        ("JE_AMOUNTS_MUST_BALANCE", "The amounts in the journal entry must balance.")]


def order_line(order: int, line: int, item: int, quantity: float = 1, rate: str = "1") -> dict:
    return {"item": ref(item), "orderDoc": order, "orderLine": line, "quantity": quantity,
            "rate": rate}


@pytest.mark.parametrize("entity, lines, expected", [
    (101, [order_line(9999, 1, 201)], ("INVALID_KEY_OR_REF", "Invalid purchaseorder reference key 9999.")),
    (101, [order_line(501, 1, 204)], ("INVALID_KEY_OR_REF", "Invalid purchaseorder reference key 501.")),
    (101, [order_line(301, 7, 201)], ("INVALID_LINE_ID", "No line items match the entered id(s) 7.")),
    (102, [order_line(301, 1, 201)], ("LINKED_ENTITIES_DONT_MATCH",
                                      "You are attempting to link transactions, but the entities "
                                      "on the transactions do not match.")),
    (101, [order_line(301, 1, 202)], ("LINKED_ITEMS_DONT_MATCH", "Linked items don't match")),
    (101, [order_line(301, 1, 201), order_line(301, 1, 201)],
     ("DUPLICATE_KEYS", "This record contains duplicated key or keys. Please correct it before "
                        "next update.")),
])
def test_bill_lines_are_checked_against_the_order(write, entity, lines, expected):
    assert write("tranPurch:VendorBill", bill(*lines, entity=entity)) == [expected]


def test_receipt_lines_are_checked_against_the_order(write):
    receipt = {"createdFrom": ref(303), "itemList": {"item": [
        {"item": ref(201), "orderLine": 3, "quantity": 1}]}}
    assert write("tranPurch:ItemReceipt", receipt) == [
        ("INVALID_LINE_ID", "No line items match the entered id(s) 3.")]


def test_apply_lines_must_name_a_transaction(write):
    payment = {"entity": ref(104), "account": ref(55),
               "applyList": {"apply": [{"doc": 123456, "apply": True, "amount": 1.0}]}}
    assert write("tranPurch:VendorPayment", payment) == [
        ("INVALID_KEY_OR_REF", "Invalid doc reference key 123456.")]


# -- read-only fields ------------------------------------------------------------------------------
READ_ONLY_MESSAGE = ("You do not have permissions to set a value for element {} due to one of "
                     "the following reasons: 1) The field is read-only; 2) An associated feature "
                     "is disabled; 3) The field is available either when a record is created or "
                     "updated, but not in both cases.")


def test_a_read_only_field_is_refused_unless_the_client_asks_to_ignore_it(ns, response_schema):
    customer = ns.type("ns13:Customer")(internalId="150", balance=999.0, comments="sent back")
    refused = checked_call(ns, response_schema, "update", record=customer).writeResponse
    detail = refused.status.statusDetail[0]
    assert (detail.code, detail.message) == ("INSUFFICIENT_PERMISSION",
                                             READ_ONLY_MESSAGE.format("balance"))
    ignoring = {"preferences": ns.type("ns4:Preferences")(ignoreReadOnlyFields=True)}
    written = checked_call(ns, response_schema, "update", record=customer,
                           headers=ignoring).writeResponse
    assert written.status.isSuccess
    stored = ns.call("get", baseRef=ns.ref("customer", "150")).body.readResponse.record
    assert stored.comments == "sent back" and stored.balance != 999.0


def test_read_only_fields_on_lines_and_in_every_write(ns, response_schema):
    order = build(ns.client, "tranPurch:PurchaseOrder", {
        "entity": {"internalId": "101"}, "externalId": "RO-PO-1",
        "itemList": {"item": [{"item": {"internalId": "201"}, "quantity": 5, "rate": 2.0,
                               "quantityReceived": 5}]}})
    for operation, arguments in (("add", {"record": order}), ("upsert", {"record": order}),
                                 ("addList", {"record": [order]})):
        body = checked_call(ns, response_schema, operation, **arguments)
        written = body.writeResponseList.writeResponse[0] if operation == "addList" \
            else body.writeResponse
        assert written.status.statusDetail[0].message == READ_ONLY_MESSAGE.format(
            "quantityreceived"), operation
