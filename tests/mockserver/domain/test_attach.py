"""attach and detach over HTTP with zeep: a contact to a vendor with a role, a file to a vendor
bill, what the admin API then lists, detaching, and NetSuite's record errors for what cannot be
attached."""

from __future__ import annotations

import pytest

from mockserver.admin_client import MockAdmin
from tests.conftest import checked_call

pytestmark = pytest.mark.server


def attach(ns, schema, reference):
    return checked_call(ns, schema, "attach", attachReference=reference).writeResponse


def contact_to(ns, to, contact_id="165", role=None):
    return ns.type("ns0:AttachContactReference")(
        attachTo=to, contact=ns.ref(internal_id=contact_id),
        contactRole=ns.ref(internal_id=role) if role else None)


def file_to(ns, to, file_id="1"):
    return ns.type("ns0:AttachBasicReference")(attachTo=to,
                                               attachedRecord=ns.ref("file", file_id))


def test_attach_a_contact_and_a_file_then_detach(ns, response_schema):
    admin = MockAdmin(ns.server.url)
    bill_id = admin.records("vendorBill")[0]["internalId"]
    written = attach(ns, response_schema, contact_to(ns, ns.ref("vendor", "102"), role="-10"))
    assert written.status.isSuccess
    assert (written.baseRef.type, written.baseRef.internalId) == ("vendor", "102")
    assert attach(ns, response_schema, file_to(ns, ns.ref("vendorBill", bill_id))).status.isSuccess
    assert attach(ns, response_schema, file_to(ns, ns.ref("vendorBill", bill_id))).status.isSuccess
    assert sorted((a["to_type"], a["to_id"], a["record_type"], a["record_id"], a["role"])
                  for a in admin.attachments()) == [
        ("vendor", "102", "contact", "165", "-10"),
        ("vendorBill", bill_id, "file", "1", None)]   # attached twice, kept once

    detached = checked_call(ns, response_schema, "detach",
                            detachReference=ns.type("ns0:DetachBasicReference")(
                                detachFrom=ns.ref("vendorBill", bill_id),
                                detachedRecord=ns.ref("file", "1"))).writeResponse
    assert detached.status.isSuccess and detached.baseRef.internalId == bill_id
    assert [a["to_type"] for a in admin.attachments()] == ["vendor"]
    # a deleted record takes its attachments with it
    assert ns.call("delete", baseRef=ns.ref("contact", "165")).body.writeResponse.status.isSuccess
    assert admin.attachments() == []


@pytest.mark.parametrize("reference, code, message", [
    (lambda ns: contact_to(ns, ns.ref("vendor", "99999")), "INVALID_KEY_OR_REF",
     "Invalid vendor reference key 99999."),
    (lambda ns: contact_to(ns, ns.ref("vendor", "101"), contact_id="99999"),
     "INVALID_KEY_OR_REF", "Invalid contact reference key 99999."),
    (lambda ns: contact_to(ns, ns.ref("account", "54")), "USER_ERROR",
     "Invalid Attachment record combination"),
    (lambda ns: file_to(ns, ns.ref("vendor", "101"), file_id="99999"), "INVALID_KEY_OR_REF",
     "Invalid file reference key 99999."),
    (lambda ns: file_to(ns, ns.ref(None, "101")), "RCRD_TYPE_REQD",
     "The record type is required."),
])
def test_what_cannot_be_attached_is_a_record_error(ns, response_schema, reference, code,
                                                   message):
    written = attach(ns, response_schema, reference(ns))
    assert not written.status.isSuccess
    detail = written.status.statusDetail[0]
    assert (detail.code, detail.message) == (code, message)
    assert MockAdmin(ns.server.url).attachments() == []
