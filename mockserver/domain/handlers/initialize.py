"""initialize (and initializeList's one record): a new record pre-filled from another, per
the table of what each target type takes from each source (``transactions.INITIALIZERS``: every
pair NetSuite documents, ``initialize_pairs``; any other pair is refused with a status)."""

from __future__ import annotations

from mockserver.domain.accounts import Level
from mockserver.domain.dispatch import Call, operation
from mockserver.domain.errors import RecordError, success_status
from mockserver.domain.records import kind_of
from mockserver.domain.transactions import INITIALIZERS, initialize_from
from mockserver.domain.views import readable


@operation("initialize")
def initialize(call: Call, body: dict) -> dict:
    """A new record pre-filled from another (a vendor bill for what is left of an order), not
    saved: the client changes it and sends it with ``add``."""
    return {"readResponse": initialize_one(call, body.get("initializeRecord") or {})}


def initialize_one(call: Call, request: dict) -> dict:
    try:
        record = _initialized(call, request)
    except RecordError as error:
        return {"status": error.as_status()}
    return {"status": success_status(), "record": record}


def _initialized(call: Call, request: dict) -> dict:
    target_type = request.get("type")
    reference = request.get("reference") or {}
    if not target_type:
        raise RecordError.of("initialize_type_required")
    if not reference.get("type"):
        raise RecordError.of("initialize_ref_type_required")
    if reference.get("internalId") is None and reference.get("externalId") is None:
        raise RecordError.of("initialize_ref_id_required")
    if (target_type, reference["type"]) not in INITIALIZERS:
        # a pair NetSuite does not document (initialize_pairs): INFERRED code and text
        raise RecordError.of("initialize_mismatch", type=target_type,
                             reference=reference["type"])
    # Opening the new record's form from the other one: create on the one, view on the other.
    target = kind_of(target_type)
    call.require(target, Level.CREATE)
    call.require(kind_of(reference["type"]), Level.VIEW)
    store = call.account.store
    with store.lock:
        source = store.find(reference["type"], reference.get("internalId"),
                            reference.get("externalId"))
        record = None if source is None else initialize_from(
            store, target, source, reference["type"], call.now)
    if record is None:  # no such order, or nothing left on it to bill or receive
        raise RecordError.of("invalid_initialize_ref", type=target_type.lower(),
                             key=reference.get("internalId") or reference.get("externalId"))
    return readable(target, record)
