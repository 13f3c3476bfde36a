"""What NetSuite puts in its answers, as real captured traffic shows it (docs/fidelity.md
names each capture): the status of a successful write, what a failed write or list item still
carries, NetSuite's own codes and texts, which elements a refused answer leaves out, typed
references, and read-only fields anywhere in a record. Over HTTP with zeep; answers validated
against NetSuite's 2024_1 XSDs."""

from __future__ import annotations

import pytest
from lxml import etree

from tests.conftest import CORE, checked_call
from tests.zeep_values import build

pytestmark = pytest.mark.server

AFTER_SUBMIT_OK = [(None, None, False)]   # (code, message, afterSubmitFailed) of the one detail


def details(status) -> list[tuple]:
    return [(d.code, d.message, d.afterSubmitFailed) for d in status.statusDetail]


def errors(status) -> list[tuple[str, str]]:
    return [(d.code, d.message) for d in status.statusDetail]


def ref_keys(ref) -> tuple | None:
    return None if ref is None else (ref.internalId, ref.externalId, ref.type)


def vendor(ns, **fields):
    return build(ns.client, "listRel:Vendor", {"subsidiary": {"internalId": "1"}, **fields})


def a_file(ns, **fields):
    return build(ns.client, "docFileCab:File", {"content": b"scan", **fields})


# -- class 2: a successful write's status ------------------------------------------------------
def test_successful_writes_say_after_submit_did_not_fail(ns, response_schema):
    """add (NetSuite's 2018_2/2019_1 doc samples, NetSweet add_file.xml 2020_2), addList and
    updateList items (Salto 2020_2), upsert (NetSweet issue #444)."""
    added = checked_call(ns, response_schema, "add",
                         record=vendor(ns, companyName="Elm Audit", externalId="V-ELM")
                         ).writeResponse
    assert added.status.isSuccess and details(added.status) == AFTER_SUBMIT_OK
    vendor_id = added.baseRef.internalId
    for operation, record in (
            ("update", vendor(ns, internalId=vendor_id, phone="555-0101")),
            ("upsert", vendor(ns, externalId="V-ELM", phone="555-0102"))):
        written = checked_call(ns, response_schema, operation, record=record).writeResponse
        assert written.status.isSuccess and details(written.status) == AFTER_SUBMIT_OK, operation
    for operation, record in (
            ("addList", vendor(ns, companyName="Fir Freight")),
            ("updateList", vendor(ns, internalId=vendor_id, phone="555-0103")),
            ("upsertList", vendor(ns, externalId="V-ELM", phone="555-0104"))):
        listed = checked_call(ns, response_schema, operation, record=[record]).writeResponseList
        assert details(listed.status) == []                 # the list's own status: none
        assert details(listed.writeResponse[0].status) == AFTER_SUBMIT_OK, operation


def test_the_detail_has_no_type_and_says_false(ns, response_schema):
    checked_call(ns, response_schema, "add", record=vendor(ns, companyName="Gum Garden"))
    detail = etree.fromstring(ns.last_response).find(f".//{{{CORE}}}statusDetail")
    assert detail.get("type") is None
    assert [(etree.QName(c).localname, c.text) for c in detail] == [("afterSubmitFailed",
                                                                     "false")]


def test_reads_deletes_and_attachments_carry_no_detail(ns, response_schema):
    """No capture shows one there (INFERRED)."""
    read = checked_call(ns, response_schema, "get", baseRef=ns.ref("vendor", "101")
                        ).readResponse
    deleted = checked_call(ns, response_schema, "delete", baseRef=ns.ref("contact", "165")
                           ).writeResponse
    assert read.status.isSuccess and deleted.status.isSuccess
    assert details(read.status) == details(deleted.status) == []


# -- class 3: what a failed write still carries --------------------------------------------------
def test_a_failed_add_echoes_its_external_id_or_has_no_base_ref(ns, response_schema):
    """Salto addList 2020_2 and NetSweet add_invoice_error.xml: no baseRef; NetSweet
    add_list_with_errors.xml 2017_2: externalId and type only."""
    listed = checked_call(ns, response_schema, "addList", record=[
        vendor(ns, companyName="Hazel Hauling", subsidiary={"internalId": "99"}),
        vendor(ns, companyName="Ivy Imports", externalId="V-IVY",
               subsidiary={"internalId": "99"})]).writeResponseList
    without, with_external_id = listed.writeResponse
    assert not without.status.isSuccess and without.baseRef is None
    assert not with_external_id.status.isSuccess
    assert ref_keys(with_external_id.baseRef) == (None, "V-IVY", "vendor")


def test_failed_updates_upserts_and_deletes_echo_the_keys_they_were_sent(ns, response_schema):
    """NetSweet update_customer_error.xml (internalId, externalId, type), upsert_invoice_error
    .xml (externalId, type), delete_customer_error.xml (internalId, type)."""
    updated = checked_call(ns, response_schema, "update",
                           record=vendor(ns, internalId="101", externalId="V-ACME",
                                         subsidiary={"internalId": "99"})).writeResponse
    assert ref_keys(updated.baseRef) == ("101", "V-ACME", "vendor")
    upserted = checked_call(ns, response_schema, "upsert",
                            record=vendor(ns, externalId="V-NEW", companyName="Jade Joinery",
                                          subsidiary={"internalId": "99"})).writeResponse
    assert ref_keys(upserted.baseRef) == (None, "V-NEW", "vendor")
    deleted = checked_call(ns, response_schema, "deleteList", baseRef=[
        ns.ref("vendor", "99999")]).writeResponseList.writeResponse[0]
    assert ref_keys(deleted.baseRef) == ("99999", None, "vendor")
    assert not (updated.status.isSuccess or upserted.status.isSuccess
                or deleted.status.isSuccess)


def test_a_write_without_any_key_echoes_no_base_ref(ns, response_schema):
    updated = checked_call(ns, response_schema, "update", record=vendor(ns, phone="555-0199")
                           ).writeResponse
    assert errors(updated.status) == [("USER_ERROR",
                                       "Either internalId or externalId is required.")]
    assert updated.baseRef is None


# -- class 4: codes and texts --------------------------------------------------------------------
def test_a_missing_file_is_media_not_found(ns, response_schema):
    """Salto updateList 2020_2 "Media item not found 62330" (with the baseRef) and deleteList
    "Media item not found 99999"."""
    updated = checked_call(ns, response_schema, "updateList", record=[
        a_file(ns, internalId="62330", description="gone")]).writeResponseList
    item = updated.writeResponse[0]
    assert errors(item.status) == [("MEDIA_NOT_FOUND", "Media item not found 62330")]
    assert ref_keys(item.baseRef) == ("62330", None, "file")
    deleted = checked_call(ns, response_schema, "deleteList", baseRef=[ns.ref("file", "99999")]
                           ).writeResponseList.writeResponse[0]
    assert errors(deleted.status) == [("MEDIA_NOT_FOUND", "Media item not found 99999")]
    read = checked_call(ns, response_schema, "get", baseRef=ns.ref("file", "99999")
                        ).readResponse
    assert errors(read.status) == [("MEDIA_NOT_FOUND", "Media item not found 99999")]
    # other records keep NetSuite's general text
    assert errors(checked_call(ns, response_schema, "get", baseRef=ns.ref("vendor", "99999")
                               ).readResponse.status) == [("RCRD_DSNT_EXIST",
                                                           "That record does not exist.")]


def test_a_reference_key_names_the_record_type_it_points_at(ns, response_schema):
    """Salto addList 2020_2: a file in a folder that does not exist."""
    listed = checked_call(ns, response_schema, "addList", record=[
        a_file(ns, name="ok.txt", folder={"internalId": "1"}),
        a_file(ns, name="lost.txt", folder={"internalId": "-600"})]).writeResponseList
    added, refused = listed.writeResponse
    assert details(added.status) == AFTER_SUBMIT_OK and added.baseRef.type == "file"
    assert errors(refused.status) == [("INVALID_KEY_OR_REF", "Invalid folder reference key -600.")]
    assert refused.baseRef is None
    # a folder's parent is a folder too; a vendor's terms are a term record
    folder = build(ns.client, "docFileCab:Folder", {"name": "Sub", "parent": {"internalId": "77"}})
    assert errors(checked_call(ns, response_schema, "add", record=folder).writeResponse.status
                  ) == [("INVALID_KEY_OR_REF", "Invalid folder reference key 77.")]
    assert errors(checked_call(ns, response_schema, "add", record=vendor(
        ns, companyName="Kelp Kitchens", terms={"internalId": "77"})).writeResponse.status
                  ) == [("INVALID_KEY_OR_REF", "Invalid term reference key 77.")]


def test_records_that_cannot_be_attached(ns, response_schema):
    """NetSweet attach_file_to_bill_error.xml (2016_2): USER_ERROR and no baseRef."""
    reference = ns.type("ns0:AttachContactReference")(
        attachTo=ns.ref("account", "54"), contact=ns.ref("contact", "165"))
    written = checked_call(ns, response_schema, "attach", attachReference=reference
                           ).writeResponse
    assert errors(written.status) == [("USER_ERROR", "Invalid Attachment record combination")]
    assert written.baseRef is None


@pytest.mark.parametrize("make, attachable", [
    (lambda ns: ns.type("ns0:AttachContactReference")(attachTo=ns.ref("vendorBill", "501"),
                                                      contact=ns.ref("contact", "165")), True),
    (lambda ns: ns.type("ns0:AttachContactReference")(attachTo=ns.ref("journalEntry", "701"),
                                                      contact=ns.ref("contact", "165")), False),
    (lambda ns: ns.type("ns0:AttachBasicReference")(attachTo=ns.ref("customRecord", "1"),
                                                    attachedRecord=ns.ref("file", "1")), False),
])
def test_what_netsuite_lets_be_attached(ns, response_schema, make, attachable):
    """NetSuite's attach/detach table: contacts go to entities and to most transactions (a
    bill, not a journal entry); files to any record but a custom record."""
    written = checked_call(ns, response_schema, "attach", attachReference=make(ns)
                           ).writeResponse
    assert written.status.isSuccess is attachable
    if not attachable:
        assert errors(written.status) == [("USER_ERROR",
                                           "Invalid Attachment record combination")]


# -- class 5: elements present or absent ------------------------------------------------------
def test_a_refused_get_all_holds_its_status_only(ns, response_schema):
    """NetSweet issue #249 (2015_1): a failed getAllResult has no totalRecords, no list."""
    result = checked_call(ns, response_schema, "getAll", record=ns.type("ns0:GetAllRecord")(
        recordType="spaceship")).getAllResult
    assert not result.status.isSuccess
    children = [etree.QName(c).localname for c in
                etree.fromstring(ns.last_response).find(f".//{{{CORE}}}getAllResult")]
    assert children == ["status"]


def test_item_availability_references_are_typed(ns, response_schema):
    """NetSweet get_item_availability.xml (2016_2): item type="inventoryItem", locationId
    type="location"."""
    checked_call(ns, response_schema, "getItemAvailability",
                 itemAvailabilityFilter=ns.type("ns0:ItemAvailabilityFilter")(
                     item=ns.type("ns0:RecordRefList")(recordRef=[ns.ref(internal_id="201")])))
    found = etree.fromstring(ns.last_response).find(f".//{{{CORE}}}itemAvailability")
    assert found.find(f"{{{CORE}}}item").get("type") == "inventoryItem"
    assert found.find(f"{{{CORE}}}locationId").get("type") == "location"


def test_an_empty_select_value_result_has_no_base_ref_list(ns, response_schema):
    """NetSweet get_select_value/empty_result.xml (2016_2): totals 0 and no baseRefList."""
    description = ns.type("ns0:GetSelectValueFieldDescription")(
        recordType="vendorBill", field="terms", filter=ns.type("ns0:GetSelectValueFilter")(
            filterValue="no such terms", operator="contains"))
    result = checked_call(ns, response_schema, "getSelectValue", fieldDescription=description,
                          pageIndex=1).getSelectValueResult
    assert (result.totalRecords, result.totalPages) == (0, 0)
    assert etree.fromstring(ns.last_response).find(f".//{{{CORE}}}baseRefList") is None


def test_deleted_records_carry_their_name_and_type(ns, response_schema):
    """NetSweet get_deleted_invoices.xml (2016_1)."""
    checked_call(ns, response_schema, "delete", baseRef=ns.ref("contact", "165"))
    result = checked_call(ns, response_schema, "getDeleted",
                          getDeletedFilter=ns.type("ns0:GetDeletedFilter")(), pageIndex=1
                          ).getDeletedResult
    record = result.deletedRecordList.deletedRecord[0].record
    assert (record.internalId, record.type) == ("165", "contact") and record.name


# -- class 6: read-only fields anywhere ----------------------------------------------------------
def test_a_read_only_field_in_a_nested_address_is_refused(ns, response_schema):
    """NetSweet update_customer_error.xml: the address text is read-only ("addrtext")."""
    customer = build(ns.client, "listRel:Customer", {
        "internalId": "150", "addressbookList": {"addressbook": [{"addressbookAddress": {
            "city": "Portland", "addrText": "typed by hand"}}]}})
    refused = checked_call(ns, response_schema, "update", record=customer).writeResponse
    assert errors(refused.status)[0][0] == "INSUFFICIENT_PERMISSION"
    assert "set a value for element addrtext due to" in errors(refused.status)[0][1]
    ignoring = {"preferences": ns.type("ns4:Preferences")(ignoreReadOnlyFields=True)}
    written = checked_call(ns, response_schema, "update", record=customer, headers=ignoring
                           ).writeResponse
    assert written.status.isSuccess
    stored = ns.call("get", baseRef=ns.ref("customer", "150")).body.readResponse.record
    address = stored.addressbookList.addressbook[0].addressbookAddress
    assert address.city == "Portland" and address.addrText != "typed by hand"


def test_saved_searches_are_listed_as_customization_refs(ns, response_schema):
    """NetSuite's getSavedSearch sample (2017_1): xsi:type CustomizationRef, scriptId, name."""
    result = checked_call(ns, response_schema, "getSavedSearch",
                          record=ns.type("ns0:GetSavedSearchRecord")(searchType="vendor")
                          ).getSavedSearchResult
    listed = result.recordRefList.recordRef[0]
    assert type(listed).__name__ == "CustomizationRef"
    assert (listed.internalId, listed.name) == ("502", "Active vendors")
    assert listed.scriptId.startswith("customsearch") and listed.type is None
