"""The demo seed: the ids docs and tests rely on stay put, the accounts-payable flow is linked
as described, and a user's own seed may refer between records by externalId."""

from __future__ import annotations

import json

import requests

from mockserver.domain.records import RECORD_TYPES
from mockserver.domain.seed import builtin_seed
from tests.conftest import checked_call


def demo_ids(record_type: str) -> list[str]:
    return [r["internalId"] for r in builtin_seed("demo")["records"]
            if r["recordType"] == record_type]


def test_documented_ids_are_stable():
    assert demo_ids("subsidiary") == ["1", "2", "3"]
    assert demo_ids("currency") == ["1", "2", "3"]
    assert set(map(str, range(54, 62))) <= set(demo_ids("account"))
    assert demo_ids("vendor") == [str(i) for i in range(101, 113)]
    assert {"201", "202", "203"} <= set(demo_ids("inventoryItem") + demo_ids(
        "nonInventoryPurchaseItem") + demo_ids("servicePurchaseItem"))
    assert {"150", "151"} <= set(demo_ids("customer"))


def test_the_demo_covers_the_accounts_payable_flow():
    have = {r["recordType"] for r in builtin_seed("demo")["records"]}
    for record_type in ("currencyRate", "term", "salesTaxItem", "taxGroup", "location",
                        "department", "classification", "purchaseOrder", "itemReceipt",
                        "vendorBill", "vendorCredit", "vendorPayment", "journalEntry",
                        "invoice", "creditMemo", "customerPayment", "transactionBodyCustomField",
                        "inventoryItem", "nonInventoryPurchaseItem", "nonInventorySaleItem",
                        "servicePurchaseItem", "serviceSaleItem"):
        assert record_type in have, record_type
    assert have <= set(RECORD_TYPES)


def test_po_1001_and_what_follows_it(ns, response_schema):
    order = checked_call(ns, response_schema, "get", baseRef=ns.ref(
        "purchaseOrder", external_id="PO-1001")).readResponse.record
    assert (order.internalId, order.tranId, order.entity.name) == ("301", "PO-1001",
                                                                   "Acme Supplies Inc.")
    receipt = checked_call(ns, response_schema, "get", baseRef=ns.ref(
        "itemReceipt", "401")).readResponse.record
    assert receipt.createdFrom.internalId == "301"
    bill = checked_call(ns, response_schema, "get", baseRef=ns.ref(
        "vendorBill", "501")).readResponse.record
    assert {line.orderDoc for line in bill.itemList.item} == {302}


def test_a_users_seed_refers_between_records_by_external_id(mock, ns, tmp_path):
    seed = {"records": [
        {"recordType": "currency", "externalId": "USD", "name": "US Dollar", "symbol": "USD"},
        {"recordType": "subsidiary", "externalId": "SUB-1", "name": "Parent Co",
         "currency": {"externalId": "USD"}},
        {"recordType": "vendor", "externalId": "V-1", "companyName": "Seeded Vendor",
         "subsidiary": {"externalId": "SUB-1"}},
        {"recordType": "inventoryItem", "externalId": "I-1", "itemId": "SEEDED-ITEM"},
        {"recordType": "purchaseOrder", "externalId": "PO-1", "tranId": "PO-1",
         "entity": {"externalId": "V-1"},
         "itemList": [{"item": {"externalId": "I-1"}, "quantity": 2, "rate": "5"}]},
    ]}
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed))
    reset = requests.post(f"{mock.url}/__admin/reset", json={"seed": str(path)}, timeout=30)
    assert reset.status_code == 200, reset.text
    try:
        order = ns.call("get", baseRef=ns.ref("purchaseOrder", external_id="PO-1")
                        ).body.readResponse.record
        assert order.entity.name == "Seeded Vendor"
        assert order.subsidiary.name == "Parent Co"            # sourced from the vendor
        assert (order.itemList.item[0].item.name, order.total) == ("SEEDED-ITEM", 10.0)
    finally:
        requests.post(f"{mock.url}/__admin/reset", json={"seed": "demo"}, timeout=30)
