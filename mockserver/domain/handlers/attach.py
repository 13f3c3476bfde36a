"""The ``attach`` and ``detach`` handlers (see ``attachments`` for what they keep)."""

from __future__ import annotations

from mockserver.domain.accounts import Level
from mockserver.domain.attachments import Attachment
from mockserver.domain.dispatch import Call, operation
from mockserver.domain.errors import RecordError, invalid_reference, success_status
from mockserver.domain.handlers.records import base_ref, kind_of_ref
from mockserver.domain.records import ENTITY_TYPES

# What NetSuite lets a contact be attached to: any entity but a contact (or a group), and the
# transactions its attach/detach table (NSDOCS section_N3481947) marks as accepting contacts.
CONTACT_HOLDERS = tuple(t for t in ENTITY_TYPES if t != "contact") + (
    "purchaseOrder", "vendorBill", "vendorCredit", "salesOrder", "itemFulfillment", "invoice",
    "cashSale", "creditMemo", "customerPayment")


def _existing(call: Call, ref: dict, field: str, level: Level, *,
              record_type: str | None = None) -> tuple[str, str]:
    """(type, internalId) of the record ``ref`` names, or NetSuite's record error."""
    if record_type is not None:
        ref = {**ref, "type": ref.get("type") or record_type}
    kind = kind_of_ref(ref)
    if record_type is not None and kind.record_type != record_type:
        raise RecordError.of("invalid_record_type", type=kind.record_type)
    call.require(kind, level)
    record = call.account.store.find(kind.record_type, ref.get("internalId"),
                                     ref.get("externalId"))
    if record is None:
        raise invalid_reference(kind.record_type, ref.get("internalId") or ref.get("externalId"))
    return kind.record_type, record["internalId"]


def _written(to: tuple[str, str]) -> dict:
    return {"status": success_status(), "baseRef": base_ref(None, to[0], to[1], None)}


@operation("attach")
def attach(call: Call, body: dict) -> dict:
    reference = body.get("attachReference") or {}
    try:
        to = _existing(call, reference.get("attachTo") or {}, "attachTo", Level.EDIT)
        if reference.get("_type") == "platformCore:AttachContactReference":
            if to[0] not in CONTACT_HOLDERS:
                raise RecordError.of("attachment_combination")
            attached = _existing(call, reference.get("contact") or {}, "contact", Level.VIEW,
                                 record_type="contact")
            role = (reference.get("contactRole") or {}).get("internalId")
        else:
            attached = _existing(call, reference.get("attachedRecord") or {}, "attachedRecord",
                                 Level.VIEW)
            if attached[0] == "file" and to[0] == "customRecord":  # files: not to custom records
                raise RecordError.of("attachment_combination")
            role = None
    except RecordError as error:
        return {"writeResponse": {"status": error.as_status()}}
    call.account.attachments.attach(Attachment(*to, *attached, role))
    return {"writeResponse": _written(to)}


@operation("detach")
def detach(call: Call, body: dict) -> dict:
    reference = body.get("detachReference") or {}
    try:
        source = _existing(call, reference.get("detachFrom") or {}, "detachFrom", Level.EDIT)
        detached = _existing(call, reference.get("detachedRecord") or {}, "detachedRecord",
                             Level.VIEW)
    except RecordError as error:
        return {"writeResponse": {"status": error.as_status()}}
    call.account.attachments.detach(*source, *detached)
    return {"writeResponse": _written(source)}
