"""The real third-party client ``netsuitesdk==3.3.0``, unmodified, pointed at the mock through
its two URL templates: get, upsert (its ``post``), delete and getAll, for vendors, vendor bills,
vendor credits, journal entries, customers, invoices and currencies."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

netsuitesdk = pytest.importorskip("netsuitesdk")
from netsuitesdk import NetSuiteConnection  # noqa: E402
from netsuitesdk.internal.client import NetSuiteClient  # noqa: E402
from netsuitesdk.internal.exceptions import NetSuiteLoginError, NetSuiteRequestError  # noqa: E402


def connect(mock, monkeypatch, **changes) -> NetSuiteConnection:
    """A connection whose two URL templates point at the mock (the only change users make)."""
    monkeypatch.setattr(NetSuiteClient, "WSDL_URL_TEMPLATE",
                        mock.url + "/wsdl/{wsdl_version}/netsuite.wsdl")
    monkeypatch.setattr(NetSuiteClient, "DATACENTER_URL_TEMPLATE",
                        mock.url + "/services/{netsuite_port_version}")
    s = mock.settings
    credentials = dict(account=s.account, consumer_key=s.consumer_key,
                       consumer_secret=s.consumer_secret, token_key=s.token_id,
                       token_secret=s.token_secret)
    credentials.update(changes)
    return NetSuiteConnection(**credentials, caching=False, wsdl_version="2024_1")


@pytest.fixture(scope="module")
def shared_connection(mock_server):
    """One connection for the module: netsuitesdk parses the whole WSDL when it connects."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        return connect(mock_server, monkeypatch)


@pytest.fixture
def connection(mock, shared_connection):
    return shared_connection


def test_netsuitesdk_gets_a_vendor(connection):
    vendor = connection.vendors.get(internalId="101")
    assert vendor["companyName"] == "Acme Supplies Inc."
    assert vendor["subsidiary"]["internalId"] == "1"
    assert connection.currencies.get(internalId="2")["symbol"] == "EUR"


def test_netsuitesdk_upserts_updates_and_deletes_a_vendor(connection):
    data = {"externalId": "SDK-1", "companyName": "SDK Vendor", "email": "sdk@vendor.example",
            "subsidiary": {"internalId": "1"}, "currency": {"internalId": "1"},
            "terms": {"internalId": "1"},
            # netsuitesdk's post() insists on these two and sends them empty when blank
            "representingSubsidiary": {}, "workCalendar": {}}
    first = connection.vendors.post(data)
    assert first["externalId"] == "SDK-1" and first["type"] == "vendor"
    again = connection.vendors.post(dict(data, email="changed@vendor.example"))
    assert again["internalId"] == first["internalId"]
    assert connection.vendors.get(externalId="SDK-1")["email"] == "changed@vendor.example"
    deleted = connection.vendors.delete(internalId=first["internalId"])
    assert deleted["internalId"] == first["internalId"]
    with pytest.raises(NetSuiteRequestError) as raised:
        connection.vendors.get(internalId=first["internalId"])
    assert raised.value.code == "RCRD_DSNT_EXIST"


def test_netsuitesdk_sees_invalid_login(mock, monkeypatch):
    conn = connect(mock, monkeypatch, consumer_secret="wrong")
    with pytest.raises(NetSuiteLoginError):
        conn.vendors.get(internalId="101")


# -- accounts payable, ledger and receivables through netsuitesdk's post() and get() -------------
DAY = datetime(2024, 3, 1, 8, 0, tzinfo=timezone.utc)


def test_netsuitesdk_posts_and_gets_a_vendor_bill_linked_to_an_order(connection):
    ns_client = connection.vendor_bills.ns_client
    posted = connection.vendor_bills.post({
        "externalId": "SDK-BILL-1", "tranId": "ACME-2024-77", "tranDate": DAY,
        "memo": "Widgets and freight", "entity": {"internalId": "101"},
        "currency": {"internalId": "1"}, "account": {"internalId": "54"},
        "class": {"internalId": "1"}, "location": {"internalId": "1"},
        "department": {"internalId": "1"},
        "itemList": [{"item": {"internalId": "201"}, "quantity": 3, "rate": "12.5",
                      "orderDoc": 301, "orderLine": 1}],
        "expenseList": [{"account": {"internalId": "58"}, "amount": 40.0, "memo": "Freight",
                         "customFieldList": [{"type": "String", "scriptId": "custcol_project_code",
                                              "value": "PRJ-9"}]}],
        "customFieldList": ns_client.CustomFieldList([
            ns_client.StringCustomFieldRef(scriptId="custbody_scan_reference", value="SDK-SCAN"),
            ns_client.SelectCustomFieldRef(scriptId="custbody_approval_status",
                                           value=ns_client.ListOrRecordRef(internalId="1"))])})
    assert posted["type"] == "vendorBill" and posted["externalId"] == "SDK-BILL-1"
    bill = connection.vendor_bills.get(externalId="SDK-BILL-1")
    assert bill["internalId"] == posted["internalId"]
    assert bill["userTotal"] == 77.5 and bill["subsidiary"]["internalId"] == "1"
    assert bill["itemList"]["item"][0]["orderDoc"] == 301
    assert bill["expenseList"]["expense"][0]["customFieldList"]["customField"][0]["value"] == "PRJ-9"
    assert {f["scriptId"]: f["internalId"] for f in bill["customFieldList"]["customField"]} == {
        "custbody_scan_reference": "504", "custbody_approval_status": "501"}
    assert bill["customFieldList"]["customField"][1]["value"]["name"] == "Pending Approval"


def test_netsuitesdk_vendor_bill_errors_carry_netsuites_code(connection):
    with pytest.raises(NetSuiteRequestError) as raised:
        connection.vendor_bills.post({"externalId": "SDK-BILL-2", "entity": {"internalId": "101"},
                                      "itemList": [{"item": {"internalId": "202"}, "quantity": 1,
                                                    "orderDoc": 301, "orderLine": 1}]})
    assert raised.value.code == "LINKED_ITEMS_DONT_MATCH"


def test_netsuitesdk_posts_and_gets_a_vendor_credit(connection):
    posted = connection.vendor_credits.post({
        "externalId": "SDK-VC-1", "entity": {"internalId": "105"}, "tranDate": DAY,
        "itemList": {"item": [{"item": {"internalId": "205"}, "quantity": 2, "rate": "3.20"}]},
        "applyList": {"apply": [{"doc": 501, "apply": True, "amount": 6.4}]}})
    credit = connection.vendor_credits.get(internalId=posted["internalId"])
    assert (credit["userTotal"], credit["applied"]) == (6.4, 6.4)
    assert credit["entity"]["name"] == "Stark Components"
    assert credit["itemList"]["item"][0]["line"] == 1


def test_netsuitesdk_posts_and_gets_a_journal_entry(connection):
    posted = connection.journal_entries.post({
        "externalId": "SDK-JE-1", "tranDate": DAY, "memo": "Reclass",
        "subsidiary": {"internalId": "1"}, "currency": {"internalId": "1"},
        "lineList": [{"account": {"internalId": "56"}, "debit": 25.0, "memo": "to supplies",
                      "customFieldList": [{"type": "String", "scriptId": "custcol_project_code",
                                           "value": "PRJ-1"}]},
                     {"account": {"internalId": "57"}, "credit": 25.0, "memo": "from software"}]})
    entry = connection.journal_entries.get(externalId="SDK-JE-1")
    assert entry["internalId"] == posted["internalId"]
    assert [(line["line"], line["debit"], line["credit"])
            for line in entry["lineList"]["line"]] == [(1, 25.0, None), (2, None, 25.0)]
    with pytest.raises(NetSuiteRequestError) as raised:
        connection.journal_entries.post({
            "externalId": "SDK-JE-2", "subsidiary": {"internalId": "1"},
            "lineList": [{"account": {"internalId": "56"}, "debit": 25.0},
                         {"account": {"internalId": "57"}, "credit": 20.0}]})
    assert raised.value.code == "JE_AMOUNTS_MUST_BALANCE"


def test_netsuitesdk_posts_and_gets_a_customer(connection):
    posted = connection.customers.post({
        "externalId": "SDK-CUST-1", "companyName": "SDK Customer Inc.",
        "email": "ap@sdk.example", "currency": {"internalId": "1"},
        "subsidiary": {"internalId": "1"},
        # netsuitesdk's post() insists on these two and sends them empty when blank
        "representingSubsidiary": {}, "monthlyClosing": {}})
    customer = connection.customers.get(internalId=posted["internalId"])
    assert (customer["entityId"], customer["email"]) == ("SDK Customer Inc.", "ap@sdk.example")
    again = connection.customers.post({
        "externalId": "SDK-CUST-1", "companyName": "SDK Customer Inc.", "phone": "555-0150",
        "currency": {"internalId": "1"}, "subsidiary": {"internalId": "1"},
        "representingSubsidiary": {}, "monthlyClosing": {}})
    assert again["internalId"] == posted["internalId"]
    assert connection.customers.get(externalId="SDK-CUST-1")["phone"] == "555-0150"


def test_netsuitesdk_posts_and_gets_an_invoice(connection):
    posted = connection.invoices.post({
        "externalId": "SDK-INV-1", "entity": {"internalId": "151"}, "tranDate": DAY,
        "itemList": {"item": [{"item": {"internalId": "209"}, "quantity": 2, "rate": "99.00"}]}})
    invoice = connection.invoices.get(internalId=posted["internalId"])
    assert (invoice["subTotal"], invoice["total"], invoice["amountRemaining"]) == (
        198.0, 198.0, 198.0)
    assert invoice["dueDate"] == datetime(2024, 3, 16, 7, 0, tzinfo=timezone.utc)  # Net 15


def test_netsuitesdk_gets_all_currencies(connection):
    assert [c["symbol"] for c in connection.currencies.get_all()] == ["USD", "EUR", "GBP"]
