"""Every record type the mock serves, through zeep built from the mock's WSDL and from NetSuite's
real one: add, then get returns what was sent plus what NetSuite computes; update, upsert (where
the type has an externalId) and delete. Every response validates against the real XSDs."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import zeep

from mockserver.domain.records import DERIVED_TYPES, RECORD_TYPES
from tests.conftest import REAL_WSDL_DIR, RecordingTransport, SoapClient
from tests.conftest import checked_call as call
from tests.zeep_values import assert_has, build

DAY = datetime(2024, 3, 1, 8, 0, tzinfo=timezone.utc)   # midnight in the account's time zone


def ref(internal_id) -> dict:
    return {"internalId": str(internal_id)}


def string_field(script_id: str, value: str) -> dict:
    return {"_type": "platformCore:StringCustomFieldRef", "scriptId": script_id, "value": value}


# record type -> (fields to add, fields to update)
SAMPLES: dict[str, tuple[dict, dict]] = {
    "vendor": ({"companyName": "Round Trip Vendor", "subsidiary": ref(1), "email": "rt@v.example",
                "customFieldList": {"customField": [
                    {"_type": "platformCore:LongCustomFieldRef",
                     "scriptId": "custentity_vendor_rating", "value": 3}]}},
               {"phone": "555-0199"}),
    "customer": ({"companyName": "Round Trip Customer", "subsidiary": ref(1), "currency": ref(1)},
                 {"email": "rt@c.example"}),
    "employee": ({"firstName": "Round", "lastName": "Trip", "subsidiary": ref(1)},
                 {"email": "rt@e.example"}),
    "contact": ({"firstName": "Rita", "lastName": "Tripp", "subsidiary": ref(1),
                 "company": ref(101)}, {"title": "Controller"}),
    "job": ({"companyName": "Round Trip Project", "parent": ref(150)}, {"comments": "phase 2"}),
    "billingAccount": ({"name": "Round Trip Billing", "customer": ref(150), "currency": ref(1)},
                       {"memo": "monthly"}),
    "vendorBill": ({"entity": ref(102), "tranId": "RT-BILL", "tranDate": DAY,
                    "itemList": {"item": [{"item": ref(206), "quantity": 4, "rate": "2.5"}]},
                    "expenseList": {"expense": [{"account": ref(58), "amount": 12.0}]},
                    "customFieldList": {"customField": [
                        string_field("custbody_scan_reference", "SCAN-RT")]}},
                   {"memo": "checked"}),
    "vendorCredit": ({"entity": ref(102), "tranDate": DAY,
                      "expenseList": {"expense": [{"account": ref(56), "amount": 20.0}]}},
                     {"memo": "returned"}),
    "vendorPayment": ({"entity": ref(106), "account": ref(55), "tranDate": DAY,
                       "applyList": {"apply": [{"doc": 504, "apply": True, "amount": 310.0}]}},
                      {"memo": "wire"}),
    "purchaseOrder": ({"entity": ref(102), "tranDate": DAY, "location": ref(1),
                       "itemList": {"item": [{"item": ref(205), "quantity": 30,
                                              "rate": "3.10"}]}},
                      {"memo": "urgent"}),
    "itemReceipt": ({"createdFrom": ref(303), "tranDate": DAY,
                     "itemList": {"item": [{"item": ref(201), "orderLine": 2, "quantity": 5,
                                            "location": ref(2)}]}},
                    {"memo": "dock 2"}),
    "salesOrder": ({"entity": ref(152), "tranDate": DAY, "location": ref(1),
                    "itemList": {"item": [{"item": ref(204), "quantity": 3, "rate": "40.00"}]}},
                   {"memo": "rush"}),
    "itemFulfillment": ({"createdFrom": ref(761), "tranDate": DAY,
                         "itemList": {"item": [{"item": ref(204), "orderLine": 2, "quantity": 1,
                                                "location": ref(1)}]}},
                        {"memo": "box 2"}),
    "cashSale": ({"entity": ref(153), "tranDate": DAY, "undepFunds": True,
                  "itemList": {"item": [{"item": ref(208), "quantity": 1, "rate": "80.00"}]}},
                 {"memo": "paid at the counter"}),
    "invoice": ({"entity": ref(152), "tranDate": DAY,
                 "itemList": {"item": [{"item": ref(209), "quantity": 2, "rate": "99.00"}]}},
                {"memo": "thanks"}),
    "creditMemo": ({"entity": ref(151), "tranDate": DAY,
                    "itemList": {"item": [{"item": ref(210), "quantity": 1, "rate": "45.00"}]}},
                   {"memo": "goodwill"}),
    "customerPayment": ({"customer": ref(152), "payment": 99.0, "tranDate": DAY,
                         "applyList": {"apply": [{"doc": 803, "apply": True, "amount": 99.0}]}},
                        {"memo": "cheque"}),
    "journalEntry": ({"subsidiary": ref(1), "tranDate": DAY, "lineList": {"line": [
                        {"account": ref(56), "debit": 40.0}, {"account": ref(55), "credit": 40.0}]}},
                     {"memo": "accrual"}),
    "advInterCompanyJournalEntry": (
        {"subsidiary": ref(1), "tranDate": DAY, "lineList": {"line": [
            {"lineSubsidiary": ref(1), "account": ref(56), "debit": 10.0},
            {"lineSubsidiary": ref(2), "account": ref(55), "credit": 10.0}]}},
        {"memo": "intercompany"}),
    "expenseReport": ({"entity": ref(171), "tranDate": DAY, "expenseList": {"expense": [
                          {"category": ref(1), "amount": 120.0, "expenseDate": DAY}]}},
                      {"memo": "conference"}),
    "usage": ({"customer": ref(150), "item": ref(209), "usageQuantity": 3.0, "usageDate": DAY},
              {"memo": "March"}),
    "depositApplication": ({"deposit": ref(6020), "tranDate": DAY,
                            "applyList": {"apply": [{"doc": 6010, "apply": True,
                                                     "amount": 100.0}]}},
                           {"memo": "March deposit"}),
    "charge": ({"billTo": ref(150), "stage": "_ready", "chargeType": ref(-19),
                "chargeDate": DAY, "billingItem": ref(209), "rate": "99.00", "quantity": 2.0},
               {"description": "support, two months"}),
    "inventoryItem": ({"itemId": "RT-INV", "displayName": "Round trip", "cost": 1.5},
                      {"purchaseDescription": "boxed"}),
    "nonInventoryPurchaseItem": ({"itemId": "RT-NIP"}, {"purchaseDescription": "paper"}),
    "nonInventorySaleItem": ({"itemId": "RT-NIS"}, {"salesDescription": "mug"}),
    "servicePurchaseItem": ({"itemId": "RT-SP"}, {"purchaseDescription": "per hour"}),
    "serviceSaleItem": ({"itemId": "RT-SS"}, {"salesDescription": "per month"}),
    "salesTaxItem": ({"itemId": "RT TAX", "rate": "5.0%"}, {"description": "city tax"}),
    "taxGroup": ({"itemId": "RT GROUP", "rate": 5.0}, {"description": "combined"}),
    "currency": ({"name": "Swiss Franc", "symbol": "CHF", "exchangeRate": 1.13},
                 {"displaySymbol": "Fr."}),
    "subsidiary": ({"name": "Round Trip AG", "parent": ref(1), "country": "_switzerland",
                    "currency": ref(1)}, {"email": "ap@rt.example"}),
    "account": ({"acctName": "Round Trip Expense", "acctType": "_expense", "acctNumber": "6999"},
                {"description": "misc"}),
    "accountingPeriod": ({"periodName": "Apr 2024", "parent": ref(1), "startDate": DAY},
                         {"closed": True}),
    "classification": ({"name": "Round Trip Class"}, {"isInactive": True}),
    "department": ({"name": "Round Trip Dept"}, {"isInactive": True}),
    "location": ({"name": "Round Trip Depot"}, {"isInactive": True}),
    "currencyRate": ({"baseCurrency": ref(1), "transactionCurrency": ref(3),
                      "exchangeRate": 1.3, "effectiveDate": DAY}, {"exchangeRate": 1.31}),
    "term": ({"name": "Net 45", "daysUntilNetDue": 45}, {"discountPercent": 2.0}),
    "expenseCategory": ({"name": "Round Trip Category", "expenseAcct": ref(65)},
                        {"description": "trips"}),
    "vendorCategory": ({"name": "Round Trip Vendors"}, {"isInactive": True}),
    "priceLevel": ({"name": "Round Trip Price", "discountpct": -5.0}, {"isOnline": True}),
    "folder": ({"name": "Round Trip Folder"}, {"description": "scans"}),
    "file": ({"name": "rt.txt", "folder": ref(1), "content": b"hello netsuite"},
             {"description": "a text"}),
    "customRecordType": ({"recordName": "Round Trip Type"}, {"description": "custom"}),
    "customRecord": ({"recType": ref(1), "name": "Round trip scorecard"}, {"altName": "rt"}),
    "customList": ({"name": "Round Trip List", "customValueList": {"customValue": [
                        {"value": "One"}, {"value": "Two"}]}}, {"description": "values"}),
    "transactionBodyCustomField": ({"label": "RT Body", "fieldType": "_freeFormText",
                                    "scriptId": "custbody_rt", "bodyPurchase": True},
                                   {"description": "body"}),
    "transactionColumnCustomField": ({"label": "RT Column", "fieldType": "_checkBox",
                                      "scriptId": "custcol_rt", "colPurchase": True},
                                     {"description": "column"}),
    "entityCustomField": ({"label": "RT Entity", "fieldType": "_integerNumber",
                           "scriptId": "custentity_rt", "appliesToVendor": True},
                          {"description": "entity"}),
    "itemCustomField": ({"label": "RT Item", "fieldType": "_date", "scriptId": "custitem_rt",
                         "appliesToInventory": True}, {"description": "item"}),
    "otherCustomField": ({"label": "RT Other", "fieldType": "_decimalNumber",
                          "scriptId": "custrecord_rt"}, {"description": "other"}),
    "crmCustomField": ({"label": "RT CRM", "fieldType": "_freeFormText",
                        "scriptId": "custevent_rt", "appliesToTask": True},
                       {"description": "crm"}),
    "state": ({"country": "_unitedStates", "fullName": "Oregon", "shortname": "OR"},
              {"fullName": "State of Oregon"}),
    "budgetCategory": ({"name": "Round Trip Budget"}, {"isInactive": True}),
    "taxAcct": ({"name": "Round Trip Tax Account", "taxAcctType": "_purchase"},
                {"description": "purchases"}),
    "leadSource": ({"name": "Round Trip Source"}, {"description": "ads"}),
    **{t: ({"name": f"Round trip {t}"}, {"description": "updated"}) for t in (
        "campaignAudience", "campaignCategory", "campaignChannel", "campaignFamily",
        "campaignOffer", "campaignSearchEngine", "campaignSubscription", "campaignVertical",
        "supportCaseIssue", "supportCaseOrigin", "supportCasePriority", "supportCaseStatus",
        "supportCaseType")},
}

# What NetSuite computes on add, per record type (checked on the record read back).
COMPUTED: dict[str, dict] = {
    "vendor": {"entityId": "Round Trip Vendor", "isInactive": False,
               "subsidiary": {"name": "Honeycomb Holdings Inc."},
               "customFieldList": {"customField": [{"internalId": "521", "value": 3}]}},
    "vendorBill": {"userTotal": 22.0, "subsidiary": {"internalId": "1"},
                   "currency": {"internalId": "1"}, "terms": {"internalId": "1"},
                   "dueDate": datetime(2024, 3, 31, 7, 0, tzinfo=timezone.utc),
                   "status": "Open",
                   "itemList": {"item": [{"line": 1, "amount": 10.0,
                                          "item": {"name": "OFFICE-SUPPLIES"}}]},
                   "customFieldList": {"customField": [{"internalId": "504"}]}},
    "vendorCredit": {"userTotal": 20.0, "total": 20.0},
    "vendorPayment": {"total": 310.0},
    "purchaseOrder": {"subTotal": 93.0, "total": 93.0, "status": "Pending Receipt",
                      "itemList": {"item": [{"line": 1, "amount": 93.0, "quantityBilled": 0.0,
                                             "quantityReceived": 0.0}]}},
    "itemReceipt": {"entity": {"internalId": "109"},
                    "itemList": {"item": [{"line": 1, "itemReceive": True}]}},
    "salesOrder": {"subTotal": 120.0, "total": 120.0, "status": "Pending Fulfillment",
                   "itemList": {"item": [{"line": 1, "amount": 120.0, "quantityBilled": 0.0,
                                          "quantityFulfilled": 0.0}]}},
    "itemFulfillment": {"entity": {"internalId": "150"},
                        "itemList": {"item": [{"itemReceive": True}]}},
    "cashSale": {"subTotal": 80.0, "total": 80.0},
    "invoice": {"subTotal": 198.0, "total": 198.0, "amountRemaining": 198.0, "amountPaid": 0.0},
    "creditMemo": {"subTotal": 45.0, "total": 45.0, "applied": 0.0, "unapplied": 45.0},
    "customerPayment": {"applied": 99.0, "unapplied": 0.0, "total": 99.0},
    "depositApplication": {"total": 300.0, "applied": 100.0, "unapplied": 200.0,
                           "customer": {"internalId": "151"}, "subsidiary": {"internalId": "1"}},
    "charge": {"amount": 198.0},
    "journalEntry": {"lineList": {"line": [{"line": 1}, {"line": 2}]}},
    "expenseReport": {"total": 120.0, "amount": 120.0},
    "transactionBodyCustomField": {"scriptId": "custbody_rt"},
    "customList": {"customValueList": {"customValue": [{"valueId": 1}, {"valueId": 2}]}},
}

UNIQUE_NAMES = {"vendor": "companyName", "customer": "companyName", "job": "companyName"}


def has_external_id(record_type: str) -> bool:
    return any(a.name == "externalId" for a in RECORD_TYPES[record_type].schema.attributes)


def test_every_hand_written_record_type_has_a_sample():
    """(The types derived from the schema are covered by test_every_record_type.)"""
    assert set(SAMPLES) == set(RECORD_TYPES) - DERIVED_TYPES


@pytest.fixture(scope="module")
def real_wsdl_client(mock_server):
    return zeep.Client(str(REAL_WSDL_DIR / "netsuite.wsdl"), transport=RecordingTransport())


@pytest.fixture(params=["mock WSDL", pytest.param("real WSDL", marks=pytest.mark.shared)])
def client(request, mock, zeep_client) -> SoapClient:
    if request.param == "mock WSDL":
        return SoapClient(zeep_client, mock)
    return SoapClient(request.getfixturevalue("real_wsdl_client"), mock)


@pytest.mark.parametrize("record_type", sorted(SAMPLES))
def test_round_trip(client, response_schema, record_type):
    kind = RECORD_TYPES[record_type]
    fields, changes = SAMPLES[record_type]
    if has_external_id(record_type):
        fields = {**fields, "externalId": f"RT-{record_type}"}
    zc = client.client
    record = build(zc, kind.qname, fields)

    write = call(client, response_schema, "add", record=record).writeResponse
    assert write.status.isSuccess is True, write.status
    assert write.baseRef.type == record_type
    internal_id = write.baseRef.internalId
    got = call(client, response_schema, "get",
               baseRef=client.ref(record_type, internal_id)).readResponse.record
    assert type(got).__name__ == kind.schema.name
    assert got.internalId == internal_id
    assert_has(got, fields)
    assert_has(got, COMPUTED.get(record_type, {}))
    for name in ("createdDate", "dateCreated", "lastModifiedDate"):
        if kind.schema.field(name) is not None:
            assert getattr(got, name) is not None, name

    update = build(zc, kind.qname, {"internalId": internal_id, **changes})
    write = call(client, response_schema, "update", record=update).writeResponse
    assert write.status.isSuccess is True, write.status
    got = call(client, response_schema, "get",
               baseRef=client.ref(record_type, internal_id)).readResponse.record
    assert_has(got, {**fields, **changes})

    if has_external_id(record_type):
        again = {**fields, **changes}
        write = call(client, response_schema, "upsert", record=build(zc, kind.qname, again)
                     ).writeResponse
        assert write.status.isSuccess is True, write.status
        assert write.baseRef.internalId == internal_id

    write = call(client, response_schema, "delete",
                 baseRef=client.ref(record_type, internal_id)).writeResponse
    assert write.status.isSuccess is True, write.status
    read = call(client, response_schema, "get", baseRef=client.ref(record_type, internal_id)
                ).readResponse
    assert read.status.statusDetail[0].code == (
        "MEDIA_NOT_FOUND" if record_type == "file" else "RCRD_DSNT_EXIST")


def test_upsert_needs_an_external_id_even_where_the_type_has_none(ns, response_schema):
    """Types without an externalId attribute (custom fields, states…) cannot be upserted."""
    state = build(ns.client, "listAcct:State", SAMPLES["state"][0])
    write = call(ns, response_schema, "upsert", record=state).writeResponse
    assert write.status.isSuccess is False
    assert write.status.statusDetail[0].code == "USER_ERROR"
