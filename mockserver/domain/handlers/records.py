"""get/add/update/upsert/delete, one record each (``read_record``, ``add_record``, …, which the
list and asynchronous operations run over each input), with NetSuite's semantics.

Each handler takes the parsed request body (a dict shaped like ``platformMsgs:{op}``) and
returns the response body (shaped like ``platformMsgs:{op}Response``). Business errors are
returned as failed statuses, never raised as faults, as NetSuite does.
"""

from __future__ import annotations

from mockserver.domain.accounts import Level
from mockserver.domain.dispatch import Call, operation
from mockserver.domain.errors import (RecordError, missing_record,
                                      success_status, write_success_status)
from mockserver.domain.ledger import POSTING_RULES
from mockserver.domain.periods import check_open
from mockserver.domain.records import (RecordKind, kind_for_qname,
                                       kind_of, record_name)
from mockserver.domain.views import readable
from mockserver.domain.writes import read_only_fields, without_read_only
from mockserver.schema import registry

RECORD_REF = "platformCore:RecordRef"
RECORD_TYPE_VALUES = frozenset(registry.lookup("platformCoreTyp:RecordType").values)


def _write_response(status: dict, ref: dict | None = None) -> dict:
    """A writeResponse; a failed write echoes the keys it was sent, so a reference without
    internalId or externalId is left out (captures: docs/fidelity.md)."""
    response = {"status": status}
    if ref is not None and ("internalId" in ref or "externalId" in ref):
        response["baseRef"] = ref
    return response


def _written(kind: RecordKind, stored: dict) -> dict:
    """The writeResponse of a successful add, update or upsert of ``stored``."""
    return {"status": write_success_status(),
            "baseRef": base_ref(kind, None, stored["internalId"], stored.get("externalId"))}


def base_ref(kind: RecordKind | None, record_type: str | None, internal_id: str | None,
             external_id: str | None) -> dict:
    ref = {"_type": RECORD_REF}
    if internal_id is not None:
        ref["internalId"] = internal_id
    if external_id is not None:
        ref["externalId"] = external_id
    if kind is not None or record_type:
        ref["type"] = kind.record_type if kind else record_type
    return ref


def kind_of_ref(ref: dict) -> RecordKind:
    """The record kind a get/delete reference names, or the record error NetSuite gives."""
    if ref.get("_type") == "platformCore:BaseRef":
        raise RecordError.of("abstract_ref")
    if ref.get("_type") not in (None, RECORD_REF):
        raise RecordError.of("invalid_record_type", type=ref.get("_type"))
    record_type = ref.get("type")
    if not record_type:
        raise RecordError.of("record_type_required")
    kind = kind_of(record_type)
    if kind is None:
        raise RecordError.of("invalid_record_type", type=record_type)
    if ref.get("internalId") is None and ref.get("externalId") is None:
        raise RecordError.of("key_required")
    return kind


def _kind_of_record(record: dict) -> RecordKind:
    kind = kind_for_qname(record.get("_type", ""))
    if kind is None:
        raise RecordError.of("invalid_record_type", type=record.get("_type"))
    return kind


# -- get / add / update / upsert / delete ---------------------------------------------------
def read_record(call: Call, ref: dict) -> dict:
    """One get, as ``get`` and ``getList`` perform it: a readResponse body."""
    try:
        kind = kind_of_ref(ref)
        call.require(kind, Level.VIEW)
        store = call.account.store
        record = store.find(kind.record_type, ref.get("internalId"), ref.get("externalId"))
        if record is None:
            raise missing_record(kind.record_type, ref.get("internalId") or ref.get("externalId"))
    except RecordError as error:
        return {"status": error.as_status()}
    return {"status": success_status(), "record": readable(kind, record, store)}


@operation("get")
def get(call: Call, body: dict) -> dict:
    return {"readResponse": read_record(call, body.get("baseRef") or {})}


def _read_only_sent(record: dict) -> list[str]:
    """The read-only fields a client sent, anywhere in the record tree."""
    return list(read_only_fields(registry.lookup(record["_type"]), record))


def _writable(call: Call, record: dict) -> dict:
    """The record as NetSuite takes it from a client: a read-only field is refused with
    INSUFFICIENT_PERMISSION naming its internal id, or left out when the request's
    preferences say ``ignoreReadOnlyFields``. (Seeds are account state, not client writes:
    they are not checked.)"""
    sent = _read_only_sent(record)
    if not sent:
        return record
    if (call.headers.get("preferences") or {}).get("ignoreReadOnlyFields") is not True:
        raise RecordError.of("read_only_field", field=sent[0].lower())
    return without_read_only(registry.lookup(record["_type"]), record)


def _write_options(call: Call) -> dict:
    """What the request's ``preferences`` header changes about a write."""
    prefs = call.headers.get("preferences") or {}
    return {"mandatory_custom_fields":
            prefs.get("disableMandatoryCustomFieldValidation") is not True}


def add_record(call: Call, record: dict) -> dict:
    """One add, as ``add`` and ``addList`` perform it: a writeResponse body. A failed add
    echoes the externalId it was sent (it has no internalId yet)."""
    try:
        kind = _kind_of_record(record)
        call.require(kind, Level.CREATE)
        record = _writable(call, record)
        store = call.account.store
        with store.lock:
            stored = call.account.writer.for_add(kind, record, call.now, **_write_options(call))
            _check_period(store, kind, None, stored)
            store.put(kind.record_type, stored)
    except RecordError as error:
        return _write_response(error.as_status(), base_ref(
            kind_for_qname(record.get("_type", "")), None, None, record.get("externalId")))
    return _written(kind, stored)


def update_record(call: Call, record: dict) -> dict:
    kind = kind_for_qname(record.get("_type", ""))
    ref = base_ref(kind, None, record.get("internalId"), record.get("externalId"))
    try:
        kind = _kind_of_record(record)
        if record.get("internalId") is None and record.get("externalId") is None:
            raise RecordError.of("key_required")
        call.require(kind, Level.EDIT)
        record = _writable(call, record)
        store = call.account.store
        with store.lock:
            existing = store.find(kind.record_type, record.get("internalId"),
                                  record.get("externalId"))
            if existing is None:
                raise missing_record(kind.record_type,
                                     record.get("internalId") or record.get("externalId"))
            stored = call.account.writer.for_update(kind, existing, record, call.now,
                                                    **_write_options(call))
            _check_period(store, kind, existing, stored)
            store.put(kind.record_type, stored)
    except RecordError as error:
        return _write_response(error.as_status(), ref)
    return _written(kind, stored)


def upsert_record(call: Call, record: dict) -> dict:
    """Add or update keyed by externalId within the record type."""
    kind = kind_for_qname(record.get("_type", ""))
    ref = base_ref(kind, None, None, record.get("externalId"))
    try:
        kind = _kind_of_record(record)
        external_id = record.get("externalId")
        if not external_id:
            raise RecordError.of("external_id_required")
        store = call.account.store
        with store.lock:
            existing = store.get_by_external_id(kind.record_type, external_id)
            call.require(kind, Level.CREATE if existing is None else Level.EDIT)
            record = _writable(call, record)
            writer = call.account.writer
            if existing is None:
                stored = writer.for_add(kind, record, call.now, **_write_options(call))
            else:
                stored = writer.for_update(kind, existing, record, call.now,
                                           **_write_options(call))
            _check_period(store, kind, existing, stored)
            store.put(kind.record_type, stored)
    except RecordError as error:
        return _write_response(error.as_status(), ref)
    return _written(kind, stored)


def delete_record(call: Call, ref: dict) -> dict:
    echoed_type = ref.get("type") if ref.get("type") in RECORD_TYPE_VALUES else None
    reply_ref = base_ref(None, echoed_type, ref.get("internalId"), ref.get("externalId"))
    try:
        kind = kind_of_ref(ref)
        call.require(kind, Level.FULL)
        store = call.account.store
        with store.lock:
            existing = store.find(kind.record_type, ref.get("internalId"), ref.get("externalId"))
            if existing is None:
                raise missing_record(kind.record_type,
                                     ref.get("internalId") or ref.get("externalId"))
            _check_period(store, kind, existing, None)
            store.remove(kind.record_type, existing["internalId"],
                         name=record_name(kind, existing), at=call.now)
    except RecordError as error:
        return _write_response(error.as_status(), reply_ref)
    return {"status": success_status(),
            "baseRef": base_ref(kind, None, existing["internalId"], existing.get("externalId"))}


def _check_period(store, kind: RecordKind, before: dict | None, after: dict | None) -> None:
    """A posting transaction may not be added to, changed in or deleted from a closed
    period (client writes only: a seed is account state)."""
    if kind.record_type in POSTING_RULES:
        check_open(store, kind.record_type, before, after)


@operation("add")
def add(call: Call, body: dict) -> dict:
    return {"writeResponse": add_record(call, body.get("record") or {})}


@operation("update")
def update(call: Call, body: dict) -> dict:
    return {"writeResponse": update_record(call, body.get("record") or {})}


@operation("upsert")
def upsert(call: Call, body: dict) -> dict:
    return {"writeResponse": upsert_record(call, body.get("record") or {})}


@operation("delete")
def delete(call: Call, body: dict) -> dict:
    return {"writeResponse": delete_record(call, body.get("baseRef") or {})}
