"""get, add, update, upsert, delete and the platform operations, through zeep built from the
mock's own WSDL: success paths, and NetSuite's status details for business errors."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import requests
from lxml import etree
from zeep.exceptions import Fault

from tests.conftest import LIST_REL, MSGS, SOAP_ENV, checked_call


def detail(status):
    return [(d.code, d.message) for d in status.statusDetail]


# -- get -----------------------------------------------------------------------------------------
def test_get_returns_the_record_with_its_type_and_names(ns):
    response = ns.call("get", baseRef=ns.ref("vendor", "101"))
    read = response.body.readResponse
    assert read.status.isSuccess is True
    vendor = read.record
    assert type(vendor).__name__ == "Vendor"
    assert vendor.internalId == "101" and vendor.externalId == "V-ACME"
    assert vendor.companyName == "Acme Supplies Inc."
    assert vendor.subsidiary.internalId == "1"
    assert vendor.subsidiary.name == "Honeycomb Holdings Inc."
    assert vendor.addressbookList.addressbook[0].addressbookAddress.city == "Springfield"
    assert response.header.documentInfo.nsId.startswith("WEBSERVICES_1234567_SB1_")


def test_get_record_carries_xsi_type_and_fields_in_schema_order(ns):
    ns.call("get", baseRef=ns.ref("vendor", "101"))
    root = etree.fromstring(ns.last_response)
    record = root.find(f".//{{{MSGS}}}record")
    xsi_type = record.get("{http://www.w3.org/2001/XMLSchema-instance}type")
    prefix, local = xsi_type.split(":")
    assert record.nsmap[prefix] == LIST_REL and local == "Vendor"
    from mockserver.schema import registry
    order = [f.name for f in registry.complex("listRel:Vendor").fields]
    names = [etree.QName(child).localname for child in record]
    assert names == sorted(names, key=order.index)


def test_get_by_external_id(ns):
    vendor = ns.call("get", baseRef=ns.ref("vendor", external_id="V-GLOBEX")).body.readResponse
    assert vendor.record.internalId == "102"


def test_get_missing_record_is_rcrd_dsnt_exist(ns):
    read = ns.call("get", baseRef=ns.ref("vendor", "99999")).body.readResponse
    assert read.status.isSuccess is False
    assert detail(read.status) == [("RCRD_DSNT_EXIST", "That record does not exist.")]
    assert read.record is None


def test_get_without_type_is_a_record_error(ns):
    read = ns.call("get", baseRef=ns.ref(None, "101")).body.readResponse
    assert detail(read.status) == [("RCRD_TYPE_REQD", "The record type is required.")]


def test_get_of_the_wrong_type_does_not_find_the_record(ns):
    read = ns.call("get", baseRef=ns.ref("customer", "101")).body.readResponse
    assert detail(read.status)[0][0] == "RCRD_DSNT_EXIST"


# -- add -----------------------------------------------------------------------------------------
def new_vendor(ns, **fields):
    defaults = dict(companyName="Fresh Vendor LLC", subsidiary=ns.ref(internal_id="1"))
    defaults.update(fields)
    return ns.type("ns13:Vendor")(**defaults)


def test_add_assigns_ids_and_dates_and_get_returns_it(ns):
    before = datetime.now(timezone.utc) - timedelta(seconds=2)
    write = ns.call("add", record=new_vendor(ns, externalId="NEW-1", email="a@b.example")
                    ).body.writeResponse
    assert write.status.isSuccess is True
    assert write.baseRef.type == "vendor" and write.baseRef.externalId == "NEW-1"
    internal_id = write.baseRef.internalId
    assert int(internal_id) > 112
    vendor = ns.call("get", baseRef=ns.ref("vendor", internal_id)).body.readResponse.record
    assert vendor.companyName == "Fresh Vendor LLC" and vendor.email == "a@b.example"
    assert vendor.entityId == "Fresh Vendor LLC"        # NetSuite names the entity after it
    assert vendor.isInactive is False
    assert vendor.dateCreated >= before and vendor.lastModifiedDate == vendor.dateCreated
    assert vendor.subsidiary.name == "Honeycomb Holdings Inc."


def test_entities_share_one_id_sequence(ns):
    vendor = ns.call("add", record=new_vendor(ns)).body.writeResponse.baseRef.internalId
    customer = ns.call("add", record=ns.type("ns13:Customer")(
        companyName="New Customer", subsidiary=ns.ref(internal_id="1"))).body.writeResponse
    assert int(customer.baseRef.internalId) == int(vendor) + 1


def test_add_with_missing_required_fields(ns):
    write = ns.call("add", record=ns.type("ns13:Vendor")(email="x@y.example")).body.writeResponse
    assert write.status.isSuccess is False
    assert detail(write.status) == [("USER_ERROR",
                                     "Please enter value(s) for: Company Name, Subsidiary")]
    assert write.baseRef is None


def test_add_with_reference_to_missing_record(ns):
    write = ns.call("add", record=new_vendor(ns, currency=ns.ref(internal_id="77"))
                    ).body.writeResponse
    assert detail(write.status) == [("INVALID_KEY_OR_REF", "Invalid currency reference key 77.")]


def test_add_resolves_references_by_external_id(ns):
    write = ns.call("add", record=new_vendor(ns, subsidiary=ns.ref(external_id="SUB-DE"))
                    ).body.writeResponse
    vendor = ns.call("get", baseRef=ns.ref("vendor", write.baseRef.internalId)
                     ).body.readResponse.record
    assert vendor.subsidiary.internalId == "2"


def test_add_duplicate_entity_name(ns):
    write = ns.call("add", record=new_vendor(ns, companyName="Acme Supplies Inc.")
                    ).body.writeResponse
    assert detail(write.status) == [("DUP_ENTITY", "This entity already exists.")]


def test_add_duplicate_external_id(ns):
    write = ns.call("add", record=new_vendor(ns, externalId="V-ACME")).body.writeResponse
    assert detail(write.status) == [("DUP_RCRD", "This record already exists")]


def test_add_vendor_bill_numbers_lines_and_computes_totals(ns):
    T = ns.type
    bill = T("ns21:VendorBill")(
        entity=ns.ref(internal_id="101"), externalId="BILL-1", tranId="INV-1",
        tranDate=datetime(2024, 3, 1, tzinfo=timezone.utc),
        itemList=T("ns21:VendorBillItemList")(item=[
            T("ns21:VendorBillItem")(item=ns.ref(internal_id="201"), quantity=3, rate="12.5"),
            T("ns21:VendorBillItem")(item=ns.ref(internal_id="202"), quantity=10, rate="0.8")]),
        expenseList=T("ns21:VendorBillExpenseList")(expense=[
            T("ns21:VendorBillExpense")(account=ns.ref(internal_id="58"), amount=40.0)]))
    write = ns.call("add", record=bill).body.writeResponse
    assert write.status.isSuccess is True, write.status
    got = ns.call("get", baseRef=ns.ref("vendorBill", write.baseRef.internalId)
                  ).body.readResponse.record
    items = got.itemList.item
    assert [(i.line, i.amount) for i in items] == [(1, 37.5), (2, 8.0)]
    assert items[0].item.name == "WIDGET-001"
    assert got.expenseList.expense[0].line == 1
    assert got.userTotal == 85.5
    assert got.createdDate is not None


def test_add_vendor_bill_with_unknown_item(ns):
    T = ns.type
    bill = T("ns21:VendorBill")(entity=ns.ref(internal_id="101"), itemList=T(
        "ns21:VendorBillItemList")(item=[T("ns21:VendorBillItem")(item=ns.ref(internal_id="999"),
                                                                   quantity=1, rate="1")]))
    write = ns.call("add", record=bill).body.writeResponse
    assert detail(write.status) == [("INVALID_KEY_OR_REF", "Invalid item reference key 999.")]


# -- update ----------------------------------------------------------------------------------------
def test_update_changes_only_the_fields_sent(ns):
    V = ns.type("ns13:Vendor")
    write = ns.call("update", record=V(internalId="103", phone="555-9999")).body.writeResponse
    assert write.status.isSuccess is True
    vendor = ns.call("get", baseRef=ns.ref("vendor", "103")).body.readResponse.record
    assert vendor.phone == "555-9999" and vendor.companyName == "Initech LLC"
    assert vendor.lastModifiedDate > vendor.dateCreated


def test_update_null_field_list_clears_fields(ns):
    V, Null = ns.type("ns13:Vendor"), ns.type("ns0:NullField")
    ns.call("update", record=V(internalId="103", nullFieldList=Null(name=["email", "phone"])))
    vendor = ns.call("get", baseRef=ns.ref("vendor", "103")).body.readResponse.record
    assert vendor.email is None and vendor.phone is None and vendor.companyName == "Initech LLC"


def test_update_missing_record(ns):
    write = ns.call("update", record=ns.type("ns13:Vendor")(internalId="5555", phone="1")
                    ).body.writeResponse
    assert detail(write.status) == [("RCRD_DSNT_EXIST", "That record does not exist.")]
    assert write.baseRef.internalId == "5555" and write.baseRef.type == "vendor"


def test_update_without_any_key(ns):
    write = ns.call("update", record=ns.type("ns13:Vendor")(phone="1")).body.writeResponse
    assert detail(write.status) == [("USER_ERROR", "Either internalId or externalId is required.")]


def test_update_sublist_replace_all_false_merges_by_line(ns):
    T = ns.type
    item = T("ns21:VendorBillItem")
    bill = T("ns21:VendorBill")(entity=ns.ref(internal_id="101"), itemList=T(
        "ns21:VendorBillItemList")(item=[item(item=ns.ref(internal_id="201"), quantity=1, rate="2"),
                                         item(item=ns.ref(internal_id="202"), quantity=1, rate="3")]))
    bill_id = ns.call("add", record=bill).body.writeResponse.baseRef.internalId
    ns.call("update", record=T("ns21:VendorBill")(internalId=bill_id, itemList=T(
        "ns21:VendorBillItemList")(replaceAll=False, item=[item(line=2, quantity=5)])))
    got = ns.call("get", baseRef=ns.ref("vendorBill", bill_id)).body.readResponse.record
    assert [(i.line, i.quantity) for i in got.itemList.item] == [(1, 1.0), (2, 5.0)]
    ns.call("update", record=T("ns21:VendorBill")(internalId=bill_id, itemList=T(
        "ns21:VendorBillItemList")(item=[item(item=ns.ref(internal_id="203"), quantity=2,
                                              rate="100")])))
    got = ns.call("get", baseRef=ns.ref("vendorBill", bill_id)).body.readResponse.record
    assert [(i.line, i.item.internalId, i.amount) for i in got.itemList.item] == [(1, "203", 200.0)]


# -- upsert ----------------------------------------------------------------------------------------
def test_upsert_adds_then_updates_by_external_id(ns):
    first = ns.call("upsert", record=new_vendor(ns, externalId="UP-1", phone="1")
                    ).body.writeResponse
    second = ns.call("upsert", record=new_vendor(ns, externalId="UP-1", phone="2")
                     ).body.writeResponse
    assert first.status.isSuccess and second.status.isSuccess
    assert first.baseRef.internalId == second.baseRef.internalId
    vendor = ns.call("get", baseRef=ns.ref("vendor", external_id="UP-1")).body.readResponse.record
    assert vendor.phone == "2"


def test_upsert_is_keyed_within_the_record_type(ns):
    customer = ns.type("ns13:Customer")(companyName="Acme Customer", externalId="V-ACME",
                                        subsidiary=ns.ref(internal_id="1"))
    write = ns.call("upsert", record=customer).body.writeResponse
    assert write.status.isSuccess is True
    assert write.baseRef.type == "customer" and write.baseRef.internalId != "101"


def test_upsert_without_external_id(ns):
    write = ns.call("upsert", record=new_vendor(ns)).body.writeResponse
    assert write.status.isSuccess is False
    assert detail(write.status)[0][0] == "USER_ERROR"


# -- delete ----------------------------------------------------------------------------------------
def test_delete_then_get_is_missing(ns):
    write = ns.call("delete", baseRef=ns.ref("vendor", "104")).body.writeResponse
    assert write.status.isSuccess is True
    assert (write.baseRef.internalId, write.baseRef.type) == ("104", "vendor")
    read = ns.call("get", baseRef=ns.ref("vendor", "104")).body.readResponse
    assert detail(read.status)[0][0] == "RCRD_DSNT_EXIST"


def test_delete_by_external_id(ns):
    write = ns.call("delete", baseRef=ns.ref("vendor", external_id="V-WAYNE")).body.writeResponse
    assert write.status.isSuccess is True and write.baseRef.internalId == "106"


def test_delete_missing_record(ns):
    write = ns.call("delete", baseRef=ns.ref("vendor", "424242")).body.writeResponse
    assert detail(write.status) == [("RCRD_DSNT_EXIST", "That record does not exist.")]


# -- platform operations ---------------------------------------------------------------------------
def test_get_server_time(ns):
    result = ns.call("getServerTime").body.getServerTimeResult
    assert result.status.isSuccess is True
    assert abs((result.serverTime - datetime.now(timezone.utc)).total_seconds()) < 5


def test_get_server_time_follows_the_mock_clock(ns):
    requests.post(ns.server.url + "/__admin/clock", json={"advance": 3600}, timeout=10)
    try:
        # passports are still signed with the real time: the mock checks them against it
        result = ns.call("getServerTime").body.getServerTimeResult
    finally:
        requests.post(ns.server.url + "/__admin/clock", json={"reset": True}, timeout=10)
    expected = datetime.now(timezone.utc) + timedelta(hours=1)
    assert abs((result.serverTime - expected).total_seconds()) < 5


def test_get_data_center_urls_points_at_the_mock(ns):
    result = ns.call("getDataCenterUrls", account="1234567_SB1").body.getDataCenterUrlsResult
    assert result.status.isSuccess is True
    assert result.dataCenterUrls.webservicesDomain == ns.server.url
    assert result.dataCenterUrls.systemDomain == ns.server.url


def test_get_account_governance_info(ns):
    result = ns.call("getAccountGovernanceInfo").body.getAccountGovernanceInfoResult
    assert (result.accountConcurrencyLimit, result.unallocatedConcurrencyLimit) == (5, 5)


def test_get_integration_governance_info(ns):
    result = ns.call("getIntegrationGovernanceInfo").body.getIntegrationGovernanceInfoResult
    assert (result.integrationConcurrencyLimit, result.limitType) == (5, "_account")


def test_unimplemented_operation_answers_with_a_fault_that_says_so(ns, unimplemented_operation):
    with pytest.raises(Fault) as raised:
        ns.call(unimplemented_operation)
    assert f"does not implement the {unimplemented_operation} operation" in raised.value.message
    root = etree.fromstring(ns.last_response)
    assert root.find(f"{{{SOAP_ENV}}}Body/{{{SOAP_ENV}}}Fault") is not None


# -- getCurrencyRate ------------------------------------------------------------------------------
def currency_rates(ns, schema, **filter_fields):
    result = checked_call(ns, schema, "getCurrencyRate",
                          currencyRateFilter=ns.type("ns0:CurrencyRateFilter")(**filter_fields)
                          ).getCurrencyRateResult
    assert result.status.isSuccess
    return [(r.baseCurrency.internalId, r.fromCurrency.internalId, r.exchangeRate)
            for r in (result.currencyRateList.currencyRate if result.currencyRateList else [])]


def test_get_currency_rate_gives_the_rates_in_force(ns, response_schema):
    stored = requests.get(f"{ns.server.url}/__admin/records/currencyRate", timeout=10).json()
    usd_eur = [r for r in stored if (r["baseCurrency"]["internalId"],
                                     r["transactionCurrency"]["internalId"]) == ("1", "2")]
    first, latest = sorted(usd_eur, key=lambda r: datetime.fromisoformat(r["effectiveDate"]))
    assert currency_rates(ns, response_schema, baseCurrency=ns.ref(internal_id="1"),
                          fromCurrency=ns.ref(internal_id="2")) == [
        ("1", "2", latest["exchangeRate"])]
    assert currency_rates(ns, response_schema, baseCurrency=ns.ref(internal_id="1"),
                          fromCurrency=ns.ref(internal_id="2"),
                          effectiveDate=datetime.fromisoformat(latest["effectiveDate"]) -
                          timedelta(seconds=1)) == [("1", "2", first["exchangeRate"])]
    everything = currency_rates(ns, response_schema)
    assert len(everything) == len({(r["baseCurrency"]["internalId"],
                                    r["transactionCurrency"]["internalId"]) for r in stored})
    # a newer rate takes over from its effective date on, not before
    newer = ns.type("ns17:CurrencyRate")(
        baseCurrency=ns.ref(internal_id="1"), transactionCurrency=ns.ref(internal_id="2"),
        exchangeRate=1.2, effectiveDate=datetime(2030, 1, 1, tzinfo=timezone.utc))
    assert ns.call("add", record=newer).body.writeResponse.status.isSuccess
    usd, eur = ns.ref(internal_id="1"), ns.ref(internal_id="2")
    assert currency_rates(ns, response_schema, baseCurrency=usd, fromCurrency=eur) == [
        ("1", "2", latest["exchangeRate"])]
    assert currency_rates(ns, response_schema, baseCurrency=usd, fromCurrency=eur,
                          effectiveDate=datetime(2030, 6, 1, tzinfo=timezone.utc)) == [
        ("1", "2", 1.2)]
    assert currency_rates(ns, response_schema, baseCurrency=usd, fromCurrency=eur,
                          effectiveDate=datetime(2000, 1, 1, tzinfo=timezone.utc)) == []


def test_get_currency_rate_with_an_unknown_currency_is_refused(ns, response_schema):
    result = checked_call(ns, response_schema, "getCurrencyRate",
                          currencyRateFilter=ns.type("ns0:CurrencyRateFilter")(
                              baseCurrency=ns.ref(internal_id="999"))).getCurrencyRateResult
    assert not result.status.isSuccess
    assert (result.status.statusDetail[0].code, result.status.statusDetail[0].message) == (
        "INVALID_KEY_OR_REF", "Invalid currency reference key 999.")
