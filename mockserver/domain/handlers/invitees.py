"""updateInviteeStatus and updateInviteeStatusList: the user a request runs as answers an event
invitation (accepted, declined, tentative, no response).

NetSuite documents the request (``UpdateInviteeStatusReference``: the event, the response code)
and the answer (a ``writeResponse`` per event) but not the errors; the ones here are INFERRED
from the generic record rules: an event that does not exist is ``RCRD_DSNT_EXIST``, a reference
without a key ``USER_ERROR`` (as for ``get``), and a user who is not among the event's attendees
is added with the answer (NetSuite's UI lets an organiser invite anyone; the mock does not
refuse what it cannot confirm).
"""

from __future__ import annotations

from mockserver.domain.accounts import Level
from mockserver.domain.dispatch import Call, operation
from mockserver.domain.errors import RecordError, success_status
from mockserver.domain.handlers.lists import list_inputs
from mockserver.domain.records import ENTITY_TYPES, kind_of

EVENT = "calendarEvent"


def answer(call: Call, reference: dict) -> dict:
    """One invitation answered: a writeResponse body whose baseRef is the event."""
    event_ref = reference.get("eventId") or {}
    ref = {"_type": "platformCore:RecordRef", "type": EVENT}
    ref.update((k, event_ref[k]) for k in ("internalId", "externalId") if event_ref.get(k))
    try:
        kind = kind_of(EVENT)
        if event_ref.get("type") not in (None, EVENT):
            raise RecordError.of("record_type_mismatch")
        if event_ref.get("internalId") is None and event_ref.get("externalId") is None:
            raise RecordError.of("key_required")
        call.require(kind, Level.VIEW)
        store = call.account.store
        with store.lock:
            event = store.find(EVENT, event_ref.get("internalId"), event_ref.get("externalId"))
            if event is None:
                raise RecordError.of("record_missing")
            store.put(EVENT, with_answer(store, event, call.identity.token.user,
                                         reference.get("responseCode"), call.now))
    except RecordError as error:
        return {"status": error.as_status(), "baseRef": ref}
    return {"status": success_status(), "baseRef": {**ref, "internalId": event["internalId"]}}


def with_answer(store, event: dict, user: str, response: str | None, now) -> dict:
    """A copy of the event whose attendee line for ``user`` carries ``response``."""
    attendees = [dict(line) for line in (event.get("attendeeList") or {}).get("attendee") or []]
    mine = next((line for line in attendees
                 if _names(store, line.get("attendee") or {}) & {user}), None)
    if mine is None:
        mine = {"attendee": {"name": user}}
        attendees.append(mine)
    mine["response"] = response
    return {**event, "attendeeList": {**(event.get("attendeeList") or {}),
                                      "attendee": attendees}, "lastModifiedDate": now}


def _names(store, ref: dict) -> set[str]:
    """What an attendee reference may be called: its name, the entity's id, or a person's
    first and last name (the user a token runs as is known by name)."""
    names = {ref.get("name")}
    for record_type in ENTITY_TYPES:
        entity = store.get(record_type, ref.get("internalId") or "")
        if entity is not None:
            person = " ".join(p for p in (entity.get("firstName"), entity.get("lastName")) if p)
            names |= {entity.get("entityId"), person}
            break
    return names - {None, ""}


@operation("updateInviteeStatus")
def update_invitee_status(call: Call, body: dict) -> dict:
    return {"writeResponse": answer(call, body.get("updateInviteeStatusReference") or {})}


@operation("updateInviteeStatusList")
def update_invitee_status_list(call: Call, body: dict) -> dict:
    return {"writeResponseList": {"status": success_status(), "writeResponse": [
        answer(call, item) for item in list_inputs(call, body, "updateInviteeStatusReference")]}}
