"""Responses written as text are the bytes lxml writes for the same response tree.

``envelope.response_bytes`` (the path every response takes) must equal
``to_bytes(response_document(...))`` (the lxml tree with each namespace declared where NetSuite
declares it, the reference) for every kind of response: each demo record, a search page, list operations, failed statuses, and text that
needs escaping. The XML kept for a stored record version must never outlive the version.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from mockserver.config import MockSettings
from mockserver.domain.views import readable
from mockserver.domain.records import kind_of
from mockserver.server import build_backend
from mockserver.wire import envelope
from mockserver.wire.encode import FRAGMENTS


def same_bytes(operation: str, body: dict, ns_id: str | None = "WEBSERVICES_X_1") -> bytes:
    reference = envelope.to_bytes(envelope.response_document(operation, body, ns_id))
    fast = envelope.response_bytes(operation, body, ns_id)
    assert fast == reference
    return fast


@pytest.fixture(scope="module")
def demo():
    backend = build_backend(MockSettings(seed="demo"))
    return backend.default_account.store


def test_every_demo_record_as_get_and_twice_from_the_kept_xml(demo):
    count = 0
    for record_type, record in demo:
        body = {"readResponse": {"status": {"isSuccess": True},
                                 "record": readable(kind_of(record_type), record, demo)}}
        first = same_bytes("get", body)
        assert same_bytes("get", body) == first  # the second time from FRAGMENTS
        count += 1
    assert count > 100


def test_a_search_page_and_a_list_response(demo):
    bills = [readable(kind_of("vendorBill"), r) for r in demo.records("vendorBill")]
    same_bytes("search", {"searchResult": {
        "status": {"isSuccess": True}, "totalRecords": len(bills), "pageSize": 1000,
        "totalPages": 1, "pageIndex": 1, "searchId": "WEBSERVICES_1",
        "recordList": {"record": bills}}})
    vendors = [readable(kind_of("vendor"), r) for r in demo.records("vendor")][:3]
    same_bytes("getList", {"readResponseList": {"status": {"isSuccess": True}, "readResponse": [
        {"status": {"isSuccess": True}, "record": v} for v in vendors] + [
        {"status": {"isSuccess": False, "statusDetail": [
            {"code": "RCRD_DSNT_EXIST", "message": "That record does not exist.",
             "type": "ERROR"}]}}]}})


def test_failed_status_and_no_document_info():
    same_bytes("get", {"readResponse": {"status": {"isSuccess": False, "statusDetail": [
        {"code": "INSUFFICIENT_PERMISSION", "message": "Permission <denied> & \"quoted\"",
         "type": "ERROR"}]}}}, ns_id=None)


@pytest.mark.parametrize("text", [
    "plain", "", "a & b < c > d", "quote \" and apostrophe '", "line\nbreak\ttab\rreturn",
    "Zürich — 東京 €", "]]> cdata end", "  spaces  "])
def test_text_and_attributes_escaped_as_lxml_escapes_them(text):
    record = {"_type": "listRel:Vendor", "internalId": text, "externalId": text,
              "companyName": text, "email": text,
              "subsidiary": {"internalId": "1", "name": text},
              "lastModifiedDate": datetime(2024, 3, 1, tzinfo=timezone.utc),
              "isInactive": False, "openingBalance": 12.5}
    same_bytes("get", {"readResponse": {"status": {"isSuccess": True}, "record": record}})


def test_text_lxml_refuses_is_refused_the_same_way():
    record = {"_type": "listRel:Vendor", "companyName": "bad \x01 control"}
    body = {"readResponse": {"status": {"isSuccess": True}, "record": record}}
    with pytest.raises(ValueError) as reference:
        envelope.response_document("get", body, "X")
    with pytest.raises(ValueError) as fast:
        envelope.response_bytes("get", body, "X")
    assert str(fast.value) == str(reference.value)


def test_kept_xml_follows_what_other_records_did(demo):
    """A bill's XML is kept per stored version *and* per what payments did to it: a payment
    changes the bill's status without a write to the bill."""
    kind = kind_of("vendorBill")
    bill = next(b for b in demo.records("vendorBill")
                if readable(kind, b, demo).get("status") == "Open")
    body = lambda: {"readResponse": {"status": {"isSuccess": True},  # noqa: E731
                                     "record": readable(kind, bill, demo)}}
    open_bytes = same_bytes("get", body())
    payment = {"internalId": "99001", "entity": bill["entity"], "applyList": {"apply": [
        {"doc": bill["internalId"], "apply": True, "amount": bill.get("userTotal") or 0.0}]}}
    demo.put("vendorPayment", payment)
    paid_bytes = same_bytes("get", body())
    assert b"<tranPurch:status>Open</tranPurch:status>" in open_bytes
    assert b"<tranPurch:status>Paid In Full</tranPurch:status>" in paid_bytes
    demo.remove("vendorPayment", "99001", name=None, at=datetime.now(timezone.utc))
    assert same_bytes("get", body()) == open_bytes


def test_kept_xml_follows_the_stored_version(demo):
    kind = kind_of("vendor")
    stored = demo.get("vendor", "101")
    view = readable(kind, stored, demo)
    before = same_bytes("get", {"readResponse": {"status": {"isSuccess": True},
                                                 "record": view}})
    assert FRAGMENTS.get(stored, view.variant, "record", "platformCore:Record",
                         envelope.ENVELOPE_SCOPE | {""}) is not None  # under getResponse
    demo.put("vendor", {**stored, "companyName": "Renamed & Co"})
    after = same_bytes("get", {"readResponse": {"status": {"isSuccess": True},
                                                "record": readable(kind, demo.get("vendor", "101"),
                                                                   demo)}})
    assert b"Renamed &amp; Co" in after and b"Renamed" not in before
