"""The real third-party client ``netsuitesdk==3.3.0``, unmodified, pointed at the mock through
its two URL templates: get, upsert (its ``post``) and delete."""

from __future__ import annotations

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


@pytest.fixture
def connection(mock, monkeypatch):
    return connect(mock, monkeypatch)


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
