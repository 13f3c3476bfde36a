"""initialize answers every target/reference pair NetSuite documents (``initialize_pairs``) with
a record, or with NetSuite's status when the source has nothing left to take: never the mock's
"does not implement" fault. Pairs without a rule of their own copy what NetSuite copies: the
entity from a customer, vendor or employee; the entity, header, item lines and a link from a
transaction. Sources the demo data lacks are added first (their kind's required fields only).
One reset for the module: each test reads, or adds its own sources."""

from __future__ import annotations

import pytest

from mockserver.domain.initialize_pairs import INITIALIZE_PAIRS
from tests.conftest import SoapClient, checked_call
from tests.mockserver.domain.test_every_record_type import added, seeded  # noqa: F401

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def client(mock_server, zeep_client, seeded) -> SoapClient:  # noqa: F811
    return SoapClient(zeep_client, mock_server)


def initialize(client: SoapClient, schema, target: str, reference: str, internal_id: str):
    return checked_call(client, schema, "initialize", initializeRecord=client.type(
        "ns0:InitializeRecord")(type=target, reference=client.type("ns0:InitializeRef")(
            type=reference, internalId=internal_id))).readResponse


def source_id(client: SoapClient, record_type: str, seeded: dict) -> str:  # noqa: F811
    if seeded.get(record_type):
        return seeded[record_type][0]
    seeded[record_type] = [added(client, record_type, seeded, "initialize")]
    return seeded[record_type][0]


@pytest.mark.parametrize("pair", INITIALIZE_PAIRS, ids=lambda p: f"{p.target}-from-{p.reference}")
def test_every_documented_pair_answers(client, response_schema, seeded, pair):  # noqa: F811
    internal_id = source_id(client, pair.reference, seeded)
    read = initialize(client, response_schema, pair.target, pair.reference, internal_id)
    if read.status.isSuccess:
        assert type(read.record).__name__[0].lower() + type(read.record).__name__[1:] \
            == pair.target
    else:  # an order with nothing left to bill, receive or fulfil
        assert [d.code for d in read.status.statusDetail] == ["INVALID_INITIALIZE_REF"]


@pytest.mark.parametrize("target", ["invoice", "cashSale", "creditMemo", "customerPayment",
                                    "customerRefund"])
def test_a_sale_or_payment_from_a_customer_names_it_and_takes_its_terms(
        client, response_schema, target):
    record = initialize(client, response_schema, target, "customer", "150").record
    party = record.entity if hasattr(record, "entity") else record.customer
    assert (party.internalId, party.name) == ("150", "Northwind Traders")
    assert (record.currency.internalId, record.subsidiary.internalId) == ("1", "1")
    assert record.tranDate is not None


def test_a_vendor_payment_from_a_bill_applies_to_what_is_left_of_it(client, response_schema):
    bill = client.call("get", baseRef=client.ref("vendorBill", "503")).body.readResponse.record
    payment = initialize(client, response_schema, "vendorPayment", "vendorBill", "503").record
    assert payment.entity.internalId == bill.entity.internalId == "107"
    assert payment.currency.internalId == bill.currency.internalId
    [line] = payment.applyList.apply
    assert (line.doc, line.apply, line.amount) == (503, True, bill.userTotal)
    assert payment.total == bill.userTotal


def test_a_vendor_credit_from_a_bill_copies_its_lines_and_applies_to_it(client, response_schema):
    bill = client.call("get", baseRef=client.ref("vendorBill", "502")).body.readResponse.record
    credit = initialize(client, response_schema, "vendorCredit", "vendorBill", "502").record
    assert (credit.entity.internalId, credit.currency.internalId) == ("109", "2")
    assert [(i.item.internalId, i.quantity, i.rate, i.amount, i.line)
            for i in credit.itemList.item] == [("204", 10.0, "41.00", 410.0, 1)]
    assert credit.createdFrom.internalId == "502"
    assert [(a.doc, a.apply, a.amount) for a in credit.applyList.apply] == [
        (502, True, bill.userTotal)]


def test_the_copy_can_be_added(client, response_schema):
    payment = initialize(client, response_schema, "customerPayment", "customer", "151").record
    payment.payment = 10.0
    written = checked_call(client, response_schema, "add", record=payment).writeResponse
    assert written.status.isSuccess is True, written.status
    got = client.call("get", baseRef=client.ref("customerPayment", written.baseRef.internalId))
    assert got.body.readResponse.record.customer.internalId == "151"


def test_a_pair_netsuite_does_not_document_gets_its_status(client, response_schema):
    read = initialize(client, response_schema, "invoice", "vendor", "101")
    assert [d.code for d in read.status.statusDetail] == ["INVALID_INITIALIZE_ARG"]
    assert read.record is None
