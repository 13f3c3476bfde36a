"""A zeep client built from NetSuite's real 2024_1 WSDL, with only the service URL pointed at
the mock, works; and every response the mock sends validates against NetSuite's real XSDs."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import zeep

from tests.conftest import (REAL_WSDL_DIR, RecordingTransport, SoapClient, assert_valid_response,
                            requires_shared)

pytestmark = [requires_shared, pytest.mark.shared]


@pytest.fixture(scope="module")
def real_wsdl_client(mock_server):
    return zeep.Client(str(REAL_WSDL_DIR / "netsuite.wsdl"), transport=RecordingTransport())


@pytest.fixture
def real(mock, real_wsdl_client):
    return SoapClient(real_wsdl_client, mock)


def test_real_wsdl_client_gets_adds_upserts_and_deletes(real, real_schema):
    got = real.call("get", baseRef=real.ref("vendor", "101")).body.readResponse
    assert got.record.companyName == "Acme Supplies Inc."
    assert_valid_response(real_schema, real.last_response)

    vendor = real.type("ns13:Vendor")(companyName="Real WSDL Vendor", externalId="RW-1",
                                      subsidiary=real.ref(internal_id="1"))
    added = real.call("add", record=vendor).body.writeResponse
    assert added.status.isSuccess is True
    assert_valid_response(real_schema, real.last_response)

    vendor.phone = "555-1234"
    upserted = real.call("upsert", record=vendor).body.writeResponse
    assert upserted.baseRef.internalId == added.baseRef.internalId
    assert_valid_response(real_schema, real.last_response)

    deleted = real.call("delete", baseRef=real.ref("vendor", added.baseRef.internalId))
    assert deleted.body.writeResponse.status.isSuccess is True
    assert_valid_response(real_schema, real.last_response)


def test_every_response_kind_validates(ns, real_schema):
    T = ns.type
    calls = [
        ("get", dict(baseRef=ns.ref("vendor", "101"))),
        ("get", dict(baseRef=ns.ref("customer", "150"))),
        ("get", dict(baseRef=ns.ref("currency", "2"))),
        ("get", dict(baseRef=ns.ref("subsidiary", "2"))),
        ("get", dict(baseRef=ns.ref("account", "58"))),
        ("get", dict(baseRef=ns.ref("inventoryItem", "201"))),
        ("get", dict(baseRef=ns.ref("vendor", "999"))),
        ("add", dict(record=T("ns21:VendorBill")(
            entity=ns.ref(internal_id="101"), tranDate=datetime(2024, 3, 1, tzinfo=timezone.utc),
            itemList=T("ns21:VendorBillItemList")(item=[T("ns21:VendorBillItem")(
                item=ns.ref(internal_id="201"), quantity=2, rate="3.5")]),
            expenseList=T("ns21:VendorBillExpenseList")(expense=[T("ns21:VendorBillExpense")(
                account=ns.ref(internal_id="58"), amount=10.0, memo="Freight")])))),
        ("add", dict(record=T("ns13:Vendor")(email="missing@fields.example"))),
        ("update", dict(record=T("ns13:Vendor")(internalId="999", phone="1"))),
        ("delete", dict(baseRef=ns.ref("vendor", "999"))),
        ("getServerTime", {}),
        ("getDataCenterUrls", dict(account="1234567_SB1")),
        ("getAccountGovernanceInfo", {}),
        ("getIntegrationGovernanceInfo", {}),
    ]
    for operation, kwargs in calls:
        ns.call(operation, **kwargs)
        assert_valid_response(real_schema, ns.last_response)
    bill_id = ns.call("add", **calls[7][1]).body.writeResponse.baseRef.internalId
    ns.call("get", baseRef=ns.ref("vendorBill", bill_id))
    assert_valid_response(real_schema, ns.last_response)


def test_validation_catches_a_broken_response(real_schema):
    broken = (b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
              b'<soapenv:Body><getResponse xmlns="urn:messages_2024_1.platform.webservices.'
              b'netsuite.com"><readResponse><record/></readResponse></getResponse>'
              b'</soapenv:Body></soapenv:Envelope>')
    with pytest.raises(AssertionError):
        assert_valid_response(real_schema, broken)
