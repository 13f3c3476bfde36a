"""updateInviteeStatus / updateInviteeStatusList: the token's user (the demo's Mock Administrator,
employee 170) answers an invitation; other attendees' answers stay; a missing event is a record
error, each on its own in the list form."""

from __future__ import annotations

from tests.conftest import checked_call as call
from tests.zeep_values import build


def add_event(ns, response_schema) -> str:
    event = build(ns.client, "actSched:CalendarEvent", {
        "title": "Quarter close", "attendeeList": {"attendee": [
            {"attendee": {"internalId": "170"}, "response": "_noResponse"},
            {"attendee": {"internalId": "171"}, "response": "_tentative"}]}})
    write = call(ns, response_schema, "add", record=event).writeResponse
    assert write.status.isSuccess is True, write.status
    return write.baseRef.internalId


def answer(ns, event_id: str, code: str):
    return ns.type("ns0:UpdateInviteeStatusReference")(
        eventId=ns.ref("calendarEvent", event_id), responseCode=code)


def responses(ns, response_schema, event_id: str) -> dict:
    event = call(ns, response_schema, "get", baseRef=ns.ref("calendarEvent", event_id)
                 ).readResponse.record
    return {a.attendee.internalId: a.response for a in event.attendeeList.attendee}


def test_the_user_answers_an_invitation(ns, response_schema):
    event_id = add_event(ns, response_schema)
    write = call(ns, response_schema, "updateInviteeStatus",
                 updateInviteeStatusReference=answer(ns, event_id, "_accepted")).writeResponse
    assert write.status.isSuccess is True, write.status
    assert (write.baseRef.type, write.baseRef.internalId) == ("calendarEvent", event_id)
    assert responses(ns, response_schema, event_id) == {"170": "_accepted", "171": "_tentative"}


def test_each_answer_of_a_list_on_its_own(ns, response_schema):
    event_id = add_event(ns, response_schema)
    result = call(ns, response_schema, "updateInviteeStatusList",
                  updateInviteeStatusReference=[answer(ns, "99999", "_accepted"),
                                                answer(ns, event_id, "_declined")]
                  ).writeResponseList.writeResponse
    assert [r.status.isSuccess for r in result] == [False, True]
    assert result[0].status.statusDetail[0].code == "RCRD_DSNT_EXIST"
    assert responses(ns, response_schema, event_id)["170"] == "_declined"
