"""getList, addList, updateList, upsertList, deleteList and getAll: a list-level status, one
result per input in request order (some may fail while others succeed), NetSuite's per-request
limits answered with ExceededRecordCountFault, and getAll for every GetAllRecordType value."""

from __future__ import annotations

import pytest
import requests
from lxml import etree
from zeep.exceptions import Fault

from mockserver.schema import registry
from tests.conftest import (CORE, FAULTS, SOAP_ENV, checked_call, envelope, parse_fault,
                            passport_xml, post_soap)
from tests.zeep_values import build


def ref(internal_id) -> dict:
    return {"internalId": str(internal_id)}


def vendor(ns, name: str, **fields):
    return build(ns.client, "listRel:Vendor", {"companyName": name, "subsidiary": ref(1),
                                               **fields})


def results(body, list_name: str = "writeResponseList", item: str = "writeResponse"):
    """(list-level success, [(success, first code or None)] per input)."""
    listed = getattr(body, list_name)
    return listed.status.isSuccess, [
        (r.status.isSuccess, r.status.statusDetail[0].code if r.status.statusDetail else None)
        for r in getattr(listed, item)]


def count(ns, record_type: str) -> int:
    return len(requests.get(f"{ns.server.url}/__admin/records/{record_type}", timeout=10).json())


# -- mixed results, in request order --------------------------------------------------------------
def test_get_list_answers_each_ref_in_order(ns, response_schema):
    body = checked_call(ns, response_schema, "getList", baseRef=[
        ns.ref("vendor", "102"), ns.ref("vendor", "99999"), ns.ref("customer", "150"),
        ns.ref("purchaseOrder", external_id="PO-1001"), ns.ref(None, "101")])
    assert results(body, "readResponseList", "readResponse") == (True, [
        (True, None), (False, "RCRD_DSNT_EXIST"), (True, None), (True, None),
        (False, "RCRD_TYPE_REQD")])
    records = [r.record for r in body.readResponseList.readResponse]
    assert records[0].companyName == "Globex Corporation"
    assert records[1] is None
    assert type(records[3]).__name__ == "PurchaseOrder" and records[3].tranId == "PO-1001"


def test_add_list_adds_what_it_can(ns, response_schema):
    body = checked_call(ns, response_schema, "addList", record=[
        vendor(ns, "List Vendor A", externalId="LV-A"),
        build(ns.client, "listRel:Vendor", {"companyName": "No Subsidiary"}),
        vendor(ns, "List Vendor B", externalId="LV-B"),
        vendor(ns, "List Vendor A")])
    assert results(body) == (True, [(True, None), (False, "USER_ERROR"), (True, None),
                                    (False, "DUP_ENTITY")])
    written = body.writeResponseList.writeResponse
    assert [w.baseRef.externalId if w.baseRef else None for w in written] == [
        "LV-A", None, "LV-B", None]
    assert int(written[2].baseRef.internalId) == int(written[0].baseRef.internalId) + 1


def test_update_list(ns, response_schema):
    V = ns.type("ns13:Vendor")
    body = checked_call(ns, response_schema, "updateList", record=[
        V(internalId="102", phone="555-2222"), V(internalId="424242", phone="1"),
        V(externalId="V-INITECH", phone="555-3333")])
    assert results(body) == (True, [(True, None), (False, "RCRD_DSNT_EXIST"), (True, None)])
    got = checked_call(ns, response_schema, "getList", baseRef=[
        ns.ref("vendor", "102"), ns.ref("vendor", "103")]).readResponseList.readResponse
    assert [r.record.phone for r in got] == ["555-2222", "555-3333"]


def test_upsert_list(ns, response_schema):
    body = checked_call(ns, response_schema, "upsertList", record=[
        vendor(ns, "Upserted Vendor", externalId="UPL-1"),
        vendor(ns, "Acme Supplies Renamed", externalId="V-ACME"),
        vendor(ns, "No External Id")])
    assert results(body) == (True, [(True, None), (True, None), (False, "USER_ERROR")])
    assert body.writeResponseList.writeResponse[1].baseRef.internalId == "101"


def test_delete_list(ns, response_schema):
    body = checked_call(ns, response_schema, "deleteList", baseRef=[
        ns.ref("vendor", "108"), ns.ref("vendor", "108"), ns.ref("term", external_id="TERM-DUE"),
        ns.ref("spaceship", "1")])
    assert results(body) == (True, [(True, None), (False, "RCRD_DSNT_EXIST"), (True, None),
                                    (False, "INVALID_RCRD_TYPE")])
    assert [w.baseRef.internalId for w in body.writeResponseList.writeResponse] == [
        "108", "108", "4", "1"]


# -- limits ---------------------------------------------------------------------------------------
def fault_of(ns) -> tuple[str, str, str]:
    root = etree.fromstring(ns.last_response)
    fault = root.find(f"{{{SOAP_ENV}}}Body/{{{SOAP_ENV}}}Fault")
    detail = next(iter(fault.find("detail")))
    assert etree.QName(detail).namespace == FAULTS
    return (etree.QName(detail).localname, detail.findtext(f"{{{FAULTS}}}code"),
            detail.findtext(f"{{{FAULTS}}}message"))


@pytest.mark.parametrize("operation, limit", [
    ("addList", 200), ("updateList", 100), ("upsertList", 100), ("deleteList", 200),
    ("getList", 1000)])
def test_one_record_over_the_limit_is_refused_as_a_whole(ns, operation, limit):
    before = count(ns, "vendor")
    if operation in ("deleteList", "getList"):
        kwargs = {"baseRef": [ns.ref("vendor", "101")] * (limit + 1)}
    else:
        kwargs = {"record": [vendor(ns, f"Over {i}", externalId=f"OVER-{i}")
                             for i in range(limit + 1)]}
    with pytest.raises(Fault) as raised:
        ns.call(operation, **kwargs)
    message = (f"The maximum number ( {limit} ) of records allowed for a {operation} operation "
               f"has been exceeded.")
    assert raised.value.message == message
    assert fault_of(ns) == ("exceededRecordCountFault", "MAX_RCRDS_EXCEEDED", message)
    assert count(ns, "vendor") == before          # nothing was written


@pytest.mark.parametrize("operation, limit", [("addList", 200), ("upsertList", 100),
                                              ("getList", 1000)])
def test_exactly_the_limit_is_served(ns, response_schema, operation, limit):
    if operation == "getList":
        body = checked_call(ns, response_schema, operation,
                            baseRef=[ns.ref("vendor", str(100 + i % 20)) for i in range(limit)])
        ok, answers = results(body, "readResponseList", "readResponse")
    else:
        body = checked_call(ns, response_schema, operation, record=[
            vendor(ns, f"Bulk {i}", externalId=f"BULK-{i}") for i in range(limit)])
        ok, answers = results(body)
        assert all(success for success, _ in answers)
    assert ok is True and len(answers) == limit


# -- getAll ---------------------------------------------------------------------------------------
GET_ALL_TYPES = registry.lookup("platformCoreTyp:GetAllRecordType").values
DEMO_COUNTS = {"currency": 3, "state": 4, "budgetCategory": 2, "leadSource": 2, "taxAcct": 1,
               "supportCaseStatus": 3, "supportCasePriority": 3, "supportCaseType": 1,
               "supportCaseOrigin": 1, "campaignCategory": 1, "campaignChannel": 1}


@pytest.mark.parametrize("record_type", GET_ALL_TYPES)
def test_get_all_serves_every_get_all_record_type(ns, response_schema, record_type):
    result = checked_call(ns, response_schema, "getAll", record=ns.type("ns0:GetAllRecord")(
        recordType=record_type)).getAllResult
    assert result.status.isSuccess is True
    expected = DEMO_COUNTS.get(record_type, 0)
    assert result.totalRecords == expected
    listed = etree.fromstring(ns.last_response).find(f".//{{{CORE}}}recordList")
    assert listed is not None and len(listed) == expected      # present even when empty
    # zeep reads an empty <recordList/> as None
    ids = [int(r.internalId) for r in (result.recordList.record if expected else [])]
    assert ids == sorted(ids) and len(ids) == expected


def test_get_all_currencies_are_whole_records(ns, response_schema):
    result = checked_call(ns, response_schema, "getAll", record=ns.type("ns0:GetAllRecord")(
        recordType="currency")).getAllResult
    assert [(c.internalId, c.symbol) for c in result.recordList.record] == [
        ("1", "USD"), ("2", "EUR"), ("3", "GBP")]


def test_get_all_without_a_record_type(ns, response_schema):
    result = checked_call(ns, response_schema, "getAll",
                          record=ns.type("ns0:GetAllRecord")()).getAllResult
    assert [(d.code, d.message) for d in result.status.statusDetail] == [
        ("GETALL_RCRD_TYPE_REQD", "The getAll record type is required.")]
    # a refused getAll holds its status only (NetSweet issue #249, a real 2015_1 answer)
    assert result.totalRecords is None
    assert etree.fromstring(ns.last_response).find(f".//{{{CORE}}}recordList") is None


def test_an_empty_list_is_refused_like_any_request_the_schema_refuses(mock):
    response = post_soap(mock, envelope("<m:addList/>", passport_xml(mock.settings)), "addList")
    fault = parse_fault(response)
    assert (fault["http_status"], fault["element"]) == (500, None)
    assert fault["faultstring"] == ("org.xml.sax.SAXException: addList needs at least one "
                                    "record element")


# -- getCustomizationId ---------------------------------------------------------------------------
def customization_ids(ns, schema, kind: str, include_inactives: bool = False):
    body = checked_call(ns, schema, "getCustomizationId",
                        customizationType=ns.type("ns0:CustomizationType")(
                            getCustomizationType=kind),
                        includeInactives=include_inactives)
    return body.getCustomizationIdResult


@pytest.mark.parametrize("kind", ["transactionBodyCustomField", "entityCustomField",
                                  "customRecordType", "customList"])
def test_get_customization_id_lists_what_the_account_defines(ns, response_schema, kind):
    defined = sorted(requests.get(f"{ns.server.url}/__admin/records/{kind}", timeout=10).json(),
                     key=lambda r: int(r["internalId"]))
    result = customization_ids(ns, response_schema, kind, include_inactives=True)
    assert result.status.isSuccess and result.totalRecords == len(defined) > 0
    refs = result.customizationRefList.customizationRef
    assert [(r.internalId, r.scriptId, r.type) for r in refs] == [
        (d["internalId"], d.get("scriptId"), kind) for d in defined]
    assert all(r.name for r in refs)


def test_get_customization_id_leaves_inactive_ones_out_unless_asked(ns, response_schema):
    retired = build(ns.client, "setupCustom:CustomList", {
        "name": "Retired Codes", "scriptId": "customlist_retired", "isInactive": True})
    assert ns.call("add", record=retired).body.writeResponse.status.isSuccess
    active = customization_ids(ns, response_schema, "customList")
    every = customization_ids(ns, response_schema, "customList", include_inactives=True)
    assert "customlist_retired" not in {r.scriptId for r in
                                        active.customizationRefList.customizationRef}
    assert "customlist_retired" in {r.scriptId for r in every.customizationRefList.customizationRef}
    assert every.totalRecords == active.totalRecords + 1


def test_get_customization_id_of_a_kind_the_mock_does_not_model_says_so(ns):
    with pytest.raises(Fault) as raised:
        ns.call("getCustomizationId", customizationType=ns.type("ns0:CustomizationType")(
            getCustomizationType="customTransactionType"), includeInactives=False)
    assert raised.value.message == ("netsuite-mock does not model customTransactionType "
                                    "customizations yet.")


def test_get_customization_id_without_a_type_is_refused(ns, response_schema):
    result = checked_call(ns, response_schema, "getCustomizationId",
                          customizationType=ns.type("ns0:CustomizationType")(),
                          includeInactives=False).getCustomizationIdResult
    assert not result.status.isSuccess and result.totalRecords is None
    assert result.status.statusDetail[0].code == "DATA_REQD"
