"""The list operations (getList, addList, updateList, upsertList, deleteList), getAll,
initialize and initializeList.

A list operation runs the single-record operation on each input, in request order, and answers
with a list-level status (success: the request was processed) and one response per input, each
succeeding or failing on its own, as NetSuite does. More inputs than NetSuite's per-request limit
is refused as a whole with ``ExceededRecordCountFault``.
"""

from __future__ import annotations

from functools import partial

from mockserver.domain.accounts import Level
from mockserver.domain.governance import RECORDS_PER_REQUEST
from mockserver.domain.dispatch import Call, operation
from mockserver.domain.errors import ClientFault, RecordError, SoapFault, success_status
from mockserver.domain.handlers.initialize import initialize_one
from mockserver.domain.handlers.records import (add_record, delete_record, read_record,
                                                update_record, upsert_record)
from mockserver.domain.records import id_order, kind_of, record_name
from mockserver.domain.views import readable
from mockserver.schema import registry


def list_inputs(call: Call, body: dict, element: str) -> list:
    """The request's records (or references), within NetSuite's per-request limit."""
    items = body.get(element) or []
    limit = RECORDS_PER_REQUEST.get(call.operation)
    if limit is not None and len(items) > limit:
        raise SoapFault.of("record_count", limit=limit, operation=call.operation)
    if not items:  # the schema wants at least one; only a hand-written request sends none
        raise ClientFault(f"org.xml.sax.SAXException: {call.operation} needs at least one "
                          f"{element} element")
    return items


# -- getAll --------------------------------------------------------------------------------------
GET_ALL_TYPES = registry.lookup("platformCoreTyp:GetAllRecordType").values


@operation("getAll")
def get_all(call: Call, body: dict) -> dict:
    """Every record of a list type, in internalId order, without paging; the result always
    carries a recordList, empty when there is nothing to list."""
    record_type = (body.get("record") or {}).get("recordType")
    kind = kind_of(record_type) if record_type in GET_ALL_TYPES else None
    records = []
    try:
        if not record_type:
            raise RecordError.of("getall_type_required")
        if kind is None:
            raise RecordError.of("invalid_record_type", type=record_type)
        call.require(kind, Level.VIEW)
        store = call.account.store
        records = [readable(kind, r, store) for r in
                   sorted(store.records(kind.record_type), key=_id_order)]
        status = success_status()
    except RecordError as error:  # a refused getAll answers with its status only (capture)
        return {"getAllResult": {"status": error.as_status()}}
    return {"getAllResult": {"status": status, "totalRecords": len(records),
                             "recordList": {"record": records}}}


# -- getCustomizationId --------------------------------------------------------------------------
CUSTOMIZATION_TYPES = registry.lookup("platformCoreTyp:GetCustomizationType").values


@operation("getCustomizationId")
def get_customization_id(call: Call, body: dict) -> dict:
    """The script ids and internal ids of the account's custom fields, custom record types or
    custom lists of one kind, in internalId order; inactive ones only if asked for."""
    wanted = ((body.get("customizationType") or {}).get("getCustomizationType") or "").strip()
    refs = []
    try:
        if not wanted:
            raise RecordError.of("data_required", field="getCustomizationType")
        if wanted not in CUSTOMIZATION_TYPES:
            raise RecordError.of("invalid_field_value", value=wanted,
                                 field="getCustomizationType")
        kind = kind_of(wanted)
        if kind is None:
            raise SoapFault.of("customization_not_implemented", type=wanted)
        call.require(kind, Level.VIEW)
        for record in sorted(call.account.store.records(wanted), key=_id_order):
            if record.get("isInactive") and body.get("includeInactives") is not True:
                continue
            ref = {"internalId": record["internalId"], "type": wanted}
            if record.get("scriptId"):
                ref["scriptId"] = record["scriptId"]
            name = record_name(kind, record)
            if name is not None:
                ref["name"] = name
            refs.append(ref)
        status = success_status()
    except RecordError as error:  # its status only, as a refused getAll (INFERRED)
        return {"getCustomizationIdResult": {"status": error.as_status()}}
    return {"getCustomizationIdResult": {"status": status, "totalRecords": len(refs),
                                         "customizationRefList": {"customizationRef": refs}}}


def _id_order(record: dict) -> tuple:
    return id_order(record["internalId"])


# -- the list operations -------------------------------------------------------------------------
# What each list operation does to one input: (the request element of its inputs, the
# single-record operation, the response list). The async operations run the same.
EACH = {
    "getList": ("baseRef", read_record, "readResponseList"),
    "addList": ("record", add_record, "writeResponseList"),
    "updateList": ("record", update_record, "writeResponseList"),
    "upsertList": ("record", upsert_record, "writeResponseList"),
    "deleteList": ("baseRef", delete_record, "writeResponseList"),
    "initializeList": ("initializeRecord", initialize_one, "readResponseList"),
}


def run_list(call: Call, body: dict, list_operation: str) -> dict:
    """``{readResponseList|writeResponseList: ...}``: each input done on its own, in order."""
    element, one, response_list = EACH[list_operation]
    each = "readResponse" if response_list == "readResponseList" else "writeResponse"
    return {response_list: {"status": success_status(), each: [
        one(call, item) for item in list_inputs(call, body, element)]}}


for _name in EACH:
    operation(_name)(partial(run_list, list_operation=_name))
