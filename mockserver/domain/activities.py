"""What NetSuite works out on CRM and project records as they are written: a customer's stage
from its status, activities' statuses and completion dates, an attendee's answer, a case's
number, a time bill's subsidiary, a time sheet's week and hours, a resource allocation's hours
or share of time.

Sources: the Records Browser pages of each record (customer status: "What you enter here
appears in the Status field of lead, prospect or customer records, depending on the stage you
select"; time sheet: one week of time; resource allocation: "Allocate" in hours or percent of
time). Defaults a client does not send are the forms' defaults, INFERRED (docs/record-types.md,
"CRM, activities and projects").
"""

from __future__ import annotations

from datetime import datetime, timedelta

from mockserver.domain.store import RecordStore
from mockserver.domain.transactions import lines

# Activity record type -> the status a new one takes when the client sends none (the form's
# default: a task is not started, a call scheduled, an event confirmed).
DEFAULT_STATUS = {"task": "_notStarted", "phoneCall": "_scheduled",
                  "calendarEvent": "_confirmed", "projectTask": "_notStarted"}
# Activities whose completion NetSuite dates when their status becomes completed.
COMPLETED_DATED = ("task", "phoneCall")
# Fields a rule here sets whatever the client sent (contract tests do not generate them).
SET_BY_RULE = {"customer": ("stage",), "timeSheet": ("endDate", "totalHours"),
               "resourceAllocation": ("numberHours", "percentOfTime")}
WEEKDAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")


def derive(store: RecordStore, record_type: str, record: dict, now: datetime,
           adding: bool) -> None:
    """Apply the record type's rule to ``record`` (a fresh dict the writer owns; its nested
    values may be the stored record's, so they are replaced, never changed)."""
    if adding and record_type in DEFAULT_STATUS and record.get("status") is None:
        record["status"] = DEFAULT_STATUS[record_type]
    if record_type in COMPLETED_DATED:
        if record.get("status") == "_completed" and record.get("completedDate") is None:
            record["completedDate"] = now
    rule = _RULES.get(record_type)
    if rule is not None:
        rule(store, record)


def _customer(store: RecordStore, record: dict) -> None:
    """A lead, prospect and customer are one record type: its stage is its status's stage."""
    status = store.get("customerStatus", (record.get("entityStatus") or {}).get("internalId")
                       or "")
    if status is not None and status.get("stage"):
        record["stage"] = status["stage"]


def _calendar_event(store: RecordStore, record: dict) -> None:
    """An invitee who has not answered is ``_noResponse`` (updateInviteeStatus changes it)."""
    attendees = (record.get("attendeeList") or {}).get("attendee") or []
    if any(line.get("response") is None for line in attendees):
        record["attendeeList"] = {**record["attendeeList"], "attendee": [
            {**line, "response": line.get("response") or "_noResponse"} for line in attendees]}


def _support_case(store: RecordStore, record: dict) -> None:
    """A case is numbered by NetSuite's auto-numbering: its internal id unless a number is
    sent (INFERRED: with no prefix set up)."""
    if not record.get("caseNumber") and record.get("internalId"):
        record["caseNumber"] = str(record["internalId"])


def _time_bill(store: RecordStore, record: dict) -> None:
    """The employee's subsidiary, as on the form."""
    employee = store.get("employee", (record.get("employee") or {}).get("internalId") or "")
    if record.get("subsidiary") is None and employee and employee.get("subsidiary"):
        record["subsidiary"] = {k: v for k, v in employee["subsidiary"].items()
                                if k in ("internalId", "name")}


def hours(duration: dict | None) -> float:
    """A ``platformCore:Duration`` in hours (NetSuite's only ``DurationUnit`` is ``hour``)."""
    return float((duration or {}).get("timeSpan") or 0.0)


def _time_sheet(store: RecordStore, record: dict) -> None:
    """A time sheet is one week from its start date; its total the hours of its grid."""
    if isinstance(record.get("startDate"), datetime):
        record["endDate"] = record["startDate"] + timedelta(days=6)
    grid = lines(record, "timeGridList")
    total = sum(hours(row[day].get("hours")) for row in grid for day in WEEKDAYS
                if isinstance(row.get(day), dict))
    record["totalHours"] = {"timeSpan": round(total, 2), "unit": "hour"}


def _resource_allocation(store: RecordStore, record: dict) -> None:
    """``allocationAmount`` is in ``allocationUnit``: hours (the default) or percent of time;
    the other measure is not worked out (the resource's work calendar is not modelled)."""
    amount = record.get("allocationAmount")
    if amount is None:
        return
    if record.get("allocationUnit") is None:
        record["allocationUnit"] = "_hours"
    if record["allocationUnit"] == "_hours":
        record["numberHours"] = float(amount)
        record.pop("percentOfTime", None)
    else:
        record["percentOfTime"] = float(amount)
        record.pop("numberHours", None)


_RULES = {"customer": _customer, "calendarEvent": _calendar_event,
          "supportCase": _support_case, "timeBill": _time_bill, "timeSheet": _time_sheet,
          "resourceAllocation": _resource_allocation}
