"""Saved searches from the seed over HTTP with zeep: run by savedSearchId or
savedSearchScriptId (rows with their custom labels, the request's criteria added, its columns
instead, records with returnSearchColumns false), paged with searchMoreWithId, listed with
getSavedSearch; unknown ones and bad seed definitions refused clearly."""

from __future__ import annotations

import json

import pytest
import requests

from mockserver.admin_client import MockAdmin
from tests.client_helpers import admin_records
from tests.conftest import checked_call
from tests.search_helpers import field, prefs, zeep_type

pytestmark = pytest.mark.server


def stored(ns, record_type: str) -> list[dict]:
    return admin_records(ns.server, record_type)


def run(ns, schema, type_name: str, preferences: dict | None = None, **arguments):
    record = zeep_type(ns, type_name)(**arguments)
    headers = prefs(ns, **preferences) if preferences is not None else None
    return checked_call(ns, schema, "search", searchRecord=record,
                        headers=headers).searchResult


def row_values(result, *names: str) -> list[tuple]:
    def value(basic, name):
        column = getattr(basic, name)
        if not column:
            return None
        found = column[0].searchValue
        return found.internalId if hasattr(found, "internalId") else found
    return [tuple(value(row.basic, n) for n in names) for row in result.searchRowList.searchRow]


def test_a_saved_search_runs_by_id_and_by_script_id(ns, response_schema):
    bills = sorted((b for b in stored(ns, "vendorBill")), key=lambda b: int(b["internalId"]))
    by_id = run(ns, response_schema, "TransactionSearchAdvanced", savedSearchId="501")
    by_script = run(ns, response_schema, "TransactionSearchAdvanced",
                    savedSearchScriptId="customsearch_vendor_bills")
    assert by_id.status.isSuccess and by_id.totalRecords == len(bills) > 1
    assert row_values(by_id, "internalId", "tranId", "entity") == [
        (b["internalId"], b.get("tranId"), b["entity"]["internalId"]) for b in bills]
    assert row_values(by_script, "internalId") == row_values(by_id, "internalId")
    first = by_id.searchRowList.searchRow[0].basic
    assert first.tranId[0].customLabel == "Bill Number" and first.entity[0].customLabel == "Vendor"
    assert first.amount[0].customLabel is None


def test_the_requests_criteria_are_added_and_its_columns_replace_the_saved_ones(
        ns, response_schema):
    vendor_of_first = sorted(stored(ns, "vendorBill"),
                             key=lambda b: int(b["internalId"]))[0]["entity"]["internalId"]
    TS = zeep_type(ns, "TransactionSearch")
    criteria = TS(basic=zeep_type(ns, "TransactionSearchBasic")(
        entity=field(ns, "MultiSelect", ns.ref(internal_id=vendor_of_first), operator="anyOf")))
    narrowed = run(ns, response_schema, "TransactionSearchAdvanced", savedSearchId="501",
                   criteria=criteria)
    expected = [b["internalId"] for b in stored(ns, "vendorBill")
                if b["entity"]["internalId"] == vendor_of_first]
    assert sorted(v for v, in row_values(narrowed, "internalId")) == sorted(expected)
    columns = zeep_type(ns, "TransactionSearchRow")(
        basic=zeep_type(ns, "TransactionSearchRowBasic")(
            memo=[ns.type("ns0:SearchColumnStringField")()]))
    own_columns = run(ns, response_schema, "TransactionSearchAdvanced", savedSearchId="501",
                      columns=columns)
    row = own_columns.searchRowList.searchRow[0].basic
    assert not row.tranId and not row.entity


def test_return_search_columns_false_gives_the_records(ns, response_schema):
    result = run(ns, response_schema, "VendorSearchAdvanced",
                 dict(returnSearchColumns=False), savedSearchScriptId="customsearch_active_vendors")
    active = [v for v in stored(ns, "vendor") if not v.get("isInactive")]
    assert result.totalRecords == len(active) and result.searchRowList is None
    assert {r.internalId for r in result.recordList.record} == {v["internalId"] for v in active}
    assert type(result.recordList.record[0]).__name__ == "Vendor"


def test_a_saved_search_pages_with_search_more_with_id(ns, response_schema):
    first = run(ns, response_schema, "VendorSearchAdvanced", dict(pageSize=5),
                savedSearchId="502")
    pages = [first] + [checked_call(ns, response_schema, "searchMoreWithId",
                                    searchId=first.searchId, pageIndex=page).searchResult
                       for page in range(2, first.totalPages + 1)]
    ids = [i for page in pages for i, in row_values(page, "internalId")]
    assert len(ids) == len(set(ids)) == first.totalRecords > 5
    assert pages[-1].searchRowList.searchRow[0].basic.entityId[0].customLabel == "Vendor ID"


@pytest.mark.parametrize("arguments", [
    {"savedSearchId": "999"}, {"savedSearchScriptId": "customsearch_nothing"},
    {"savedSearchId": "502"}])   # a vendor search run as a transaction search
def test_an_unknown_saved_search_is_invalid_saved_srch(ns, response_schema, arguments):
    result = run(ns, response_schema, "TransactionSearchAdvanced", **arguments)
    assert not result.status.isSuccess
    assert result.status.statusDetail[0].code == "INVALID_SAVED_SRCH"


def test_get_saved_search_lists_those_of_a_type(ns, response_schema):
    def listed(search_type: str):
        result = checked_call(ns, response_schema, "getSavedSearch",
                              record=ns.type("ns0:GetSavedSearchRecord")(
                                  searchType=search_type)).getSavedSearchResult
        assert result.status.isSuccess
        refs = result.recordRefList.recordRef if result.recordRefList else []
        return result.totalRecords, [(r.internalId, r.name) for r in refs]
    assert listed("transaction") == (1, [("501", "Vendor bills")])
    assert listed("vendor") == (1, [("502", "Active vendors")])
    assert listed("customer") == (0, [])


def saved(internal_id="900", script_id="customsearch_mine", **search) -> dict:
    return {"internalId": internal_id, "scriptId": script_id, "title": "Mine",
            "search": search or {"_type": "VendorSearchAdvanced",
                                 "criteria": {"basic": {"entityId": {
                                     "operator": "startsWith", "searchValue": "Acme"}}},
                                 "columns": {"basic": {"companyName": {}}}}}


def test_saved_searches_come_with_a_seed_loaded_through_the_admin_api(ns, response_schema):
    MockAdmin(ns.server.url).load_seed({"records": [], "savedSearches": [saved()]})
    result = run(ns, response_schema, "VendorSearchAdvanced", savedSearchId="900")
    assert [name for name, in row_values(result, "companyName")] == ["Acme Supplies Inc."]


@pytest.mark.parametrize("entry, message", [
    (saved(internal_id=None), "savedSearches[0]: needs an internalId"),
    (saved(script_id="mine"), "starts with customsearch"),
    (saved(_type="VendorSearchBasic"), "a saved search is an advanced search"),
    (saved(_type="VendorSearchAdvanced", criteria={"basic": {"nickname": {}}}),
     "VendorSearchBasic has no field 'nickname'"),
    (saved(internal_id="501"), "saved search 501 (customsearch_mine) is already defined"),
])
def test_a_bad_saved_search_is_refused_with_a_message(ns, entry, message):
    response = requests.post(f"{ns.server.url}/__admin/seed", timeout=10,
                             json={"records": [], "savedSearches": [entry]})
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_a_bad_saved_search_in_a_seed_file_stops_the_mock_with_a_message(tmp_path):
    import subprocess
    import sys
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({"records": [], "savedSearches": [saved(script_id="x")]}))
    done = subprocess.run([sys.executable, "-m", "mockserver", "serve", "--port", "0",
                           "--seed", str(seed)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "savedSearches[0]: a saved search's scriptId starts with customsearch" in done.stderr
