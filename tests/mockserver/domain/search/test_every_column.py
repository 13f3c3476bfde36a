"""Every simple column of every search type the mock serves answers: an advanced search asking
for all of a type's ``*SearchRowBasic`` columns at once returns its rows, in NetSuite's shape,
never the mock's "cannot search on" fault. Address columns and fields (``billCity``,
``shipZip``, ``city``…) read the default billing or shipping address; the columns no record holds
data for answer no value and are listed in ``docs/fidelity.md`` (class 7)."""

from __future__ import annotations

import re

import pytest
import requests

from mockserver.domain.records import RECORD_TYPES
from mockserver.domain.search.families import accessor, family_of_kind
from mockserver.admin_client import MockAdmin
from mockserver.domain.store import RecordStore
from mockserver.domain.values import resolve_type
from mockserver.schema import registry
from tests.conftest import ROOT, SoapClient, checked_call
from tests.search_helpers import field, zeep_type
from tests.zeep_values import build

pytestmark = pytest.mark.server
SIMPLE = re.compile(r"platformCore:SearchColumn(?!CustomFieldList)\w+Field")


def served() -> dict[str, tuple]:
    """Search name (``Customer``) -> (family, its ``*SearchRowBasic``)."""
    found = {}
    for kind in RECORD_TYPES.values():
        fam = family_of_kind(kind)
        row_basic = fam and registry.lookup(fam.basic.replace("SearchBasic", "SearchRowBasic"))
        if row_basic is not None:
            found[fam.name] = (fam, row_basic)
    return dict(sorted(found.items()))


SERVED = served()


def columns(row_basic) -> list:
    return [f for f in row_basic.fields if SIMPLE.fullmatch(f.type_ref)]


@pytest.fixture(scope="module")
def client(mock_server, zeep_client) -> SoapClient:
    requests.post(mock_server.url + "/__admin/reset", json={"seed": "demo"},
                  timeout=30).raise_for_status()
    return SoapClient(zeep_client, mock_server)


def rows(client: SoapClient, schema, name: str, criteria: dict, wanted: dict) -> list:
    required = {"recType": {"internalId": "1"}} if name == "CustomRecord" else {}
    advanced = build(client.client, resolve_type(f"{name}SearchAdvanced").qname, {
        "criteria": {"basic": {**required, **criteria}},
        "columns": {"basic": {**required, **wanted}}})
    result = checked_call(client, schema, "search", searchRecord=advanced).searchResult
    assert result.status.isSuccess is True, result.status
    return result.searchRowList.searchRow if result.searchRowList is not None else []


@pytest.mark.parametrize("name", SERVED)
def test_every_simple_column_answers(client, response_schema, name):
    fam, row_basic = SERVED[name]
    admin = MockAdmin(client.server.url)
    held = {r["internalId"] for t in fam.record_types for r in admin.records(t)}
    found = rows(client, response_schema, name, {},
                 {f.name: [{}] for f in columns(row_basic)})
    assert {r.basic.internalId[0].searchValue.internalId for r in found} == held


def test_a_customers_address_columns_and_fields_read_its_default_billing_address(
        client, response_schema):
    wanted = ["billAddressee", "billAddress1", "billCity", "billState", "billZipCode",
              "billCountry", "shipCity", "city", "addressLabel", "isDefaultBilling"]
    found = rows(client, response_schema, "Customer", {"internalId": {
        "operator": "anyOf", "searchValue": [{"internalId": "152"}, {"internalId": "153"}]}},
        {name: [{}] for name in ["internalId", *wanted]})
    values = {r.basic.internalId[0].searchValue.internalId:
              [getattr(r.basic, n)[0].searchValue if getattr(r.basic, n) else None
               for n in wanted] for r in found}
    assert values == {
        "152": ["Fabrikam Inc.", "500 Market St", "San Francisco", "CA", "94105",
                "_unitedStates", "San Francisco", "San Francisco", "HQ", True],
        "153": ["Tailspin Toys GmbH", "Spitalerstraße 10", "Hamburg", None, "20095", "_germany",
                "Hamburg", "Hamburg", "Hauptsitz", True]}
    hamburg = client.call("search", searchRecord=zeep_type(client, "CustomerSearchBasic")(
        city=field(client, "String", "Hamburg", operator="is"))).body.searchResult
    assert [r.internalId for r in hamburg.recordList.record] == ["153"]


def test_a_locations_address_columns_read_its_main_address(client, response_schema):
    found = rows(client, response_schema, "Location", {"internalId": {
        "operator": "anyOf", "searchValue": [{"internalId": "1"}]}},
        {"city": [{}], "zip": [{}], "address1": [{}]})
    assert [(r.basic.city[0].searchValue, r.basic.zip[0].searchValue,
             r.basic.address1[0].searchValue) for r in found] == [
        ("Oakland", "94607", "100 Harbor Way")]


def test_a_transactions_bill_columns_read_its_billing_address(client, response_schema):
    invoice = build(client.client, "tranSales:Invoice", {
        "entity": {"internalId": "152"}, "billingAddress": {"city": "Sausalito", "zip": "94965"},
        "itemList": {"item": [{"item": {"internalId": "201"}, "quantity": 1, "rate": "5.00"}]}})
    written = client.call("add", record=invoice).body.writeResponse
    assert written.status.isSuccess is True, written.status
    found = rows(client, response_schema, "Transaction", {
        "internalId": {"operator": "anyOf",
                       "searchValue": [{"internalId": written.baseRef.internalId}]},
        "mainLine": {"searchValue": True}}, {"billCity": [{}], "billZip": [{}], "shipCity": [{}]})
    assert [(r.basic.billCity[0].searchValue, r.basic.billZip[0].searchValue, r.basic.shipCity)
            for r in found] == [("Sausalito", "94965", [])]


def test_the_columns_answered_without_a_value_are_listed_in_the_fidelity_notes():
    notes = (ROOT / "docs" / "fidelity.md").read_text(encoding="utf-8")
    section = notes[notes.index("## Class 7"):]
    store = RecordStore()
    for name, (fam, row_basic) in SERVED.items():
        unread = [f.name for f in columns(row_basic) if accessor(fam, f.name, store) is None]
        if unread:
            line = next((ln for ln in section.splitlines() if ln.startswith(f"| {name} |")), "")
            listed = set(re.findall(r"`(\w+)`", line))
            assert set(unread) <= listed, (name, sorted(set(unread) - listed))
