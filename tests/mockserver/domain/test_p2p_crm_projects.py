"""Procure to pay, CRM and projects over HTTP with zeep: checks and deposits total their lines,
a requisition is ordered through initialize and shows it, a vendor return authorization is
credited, a customer's stage follows its status (and searches find it), activities take their
default statuses, and time sheets and allocations work out their hours (demo ids 7001–7043)."""

from __future__ import annotations

import pytest

from tests.conftest import checked_call
from tests.search_helpers import field, records, refs, search
from tests.zeep_values import build

pytestmark = pytest.mark.server

DAY = "2024-03-11T00:00:00-07:00"


def get(ns, record_type: str, internal_id: str):
    return ns.call("get", baseRef=ns.ref(record_type, internal_id)).body.readResponse.record


def add(ns, schema, qname: str | None, fields, **preferences):
    """Add a record given as fields of ``qname``, or as a zeep record (``qname`` None)."""
    headers = {"preferences": ns.type("ns4:Preferences")(**preferences)} if preferences else None
    record = fields if qname is None else build(ns.client, qname, fields)
    return checked_call(ns, schema, "add", record=record, headers=headers).writeResponse


def initialize(ns, schema, target: str, reference_type: str, reference_id: str):
    return checked_call(ns, schema, "initialize", initializeRecord=ns.type("ns0:InitializeRecord")(
        type=target, reference=ns.type("ns0:InitializeRef")(
            type=reference_type, internalId=reference_id))).readResponse


def ref(internal_id) -> dict:
    return {"internalId": str(internal_id)}


# -- procure to pay ------------------------------------------------------------------------------
def test_a_check_totals_its_expense_lines(ns, response_schema):
    assert get(ns, "check", "7030").userTotal == 124.5
    write = add(ns, response_schema, "tranBank:Check", {
        "entity": ref(102), "account": ref(55), "tranDate": DAY,
        "expenseList": {"expense": [{"account": ref(56), "amount": 10.25},
                                    {"account": ref(57), "amount": 5.0}]}})
    assert write.status.isSuccess is True, write.status
    check = get(ns, "check", write.baseRef.internalId)
    assert check.userTotal == 15.25
    assert check.subsidiary.internalId == "1"   # sourced from the payee, a vendor


def test_a_deposit_is_its_payments_and_other_deposits_less_cash_back(ns, response_schema):
    deposit = get(ns, "deposit", "7031")
    assert deposit.total == 775.0   # payment 881 (600) + other 200 - cash back 25
    payment = deposit.paymentList.depositPayment[0]
    assert (payment.paymentAmount, payment.entity.internalId) == (600.0, "151")


def test_a_deposit_that_nets_below_zero_or_names_no_payment_is_refused(ns, response_schema):
    negative = add(ns, response_schema, "tranBank:Deposit", {
        "account": ref(55), "otherList": {"depositOther": [{"account": ref(63), "amount": 10.0}]},
        "cashBackList": {"depositCashBack": [{"account": ref(65), "amount": 30.0}]}})
    assert negative.status.statusDetail[0].code == "INVALID_TRANS_AMT"
    unknown = add(ns, response_schema, "tranBank:Deposit", {
        "account": ref(55), "paymentList": {"depositPayment": [{"deposit": True, "id": 99999}]}})
    assert unknown.status.statusDetail[0].code == "INVALID_KEY_OR_REF"
    no_account = add(ns, response_schema, "tranBank:Deposit", {
        "otherList": {"depositOther": [{"account": ref(63), "amount": 10.0}]}})
    assert no_account.status.statusDetail[0].code == "USER_ERROR"
    assert "Account" in no_account.status.statusDetail[0].message


def test_a_requisition_is_ordered_through_initialize(ns, response_schema):
    requisition = get(ns, "purchaseRequisition", "7032")
    assert (requisition.status, requisition.estimatedTotal) == ("Pending Order", 40.0)
    assert [i.estimatedAmount for i in requisition.itemList.purchaseRequisitionItem] == [30.0, 10.0]

    order = initialize(ns, response_schema, "purchaseOrder", "purchaseRequisition", "7032").record
    assert order.entity.internalId == "102"     # the lines' vendor
    assert order.createdFrom.internalId == "7032"
    assert [(i.item.internalId, i.quantity, i.amount)
            for i in order.itemList.item] == [("205", 10.0, 30.0), ("206", 4.0, 10.0)]
    order.itemList.item = order.itemList.item[:1]   # order the first line only
    write = add(ns, response_schema, None, order, ignoreReadOnlyFields=True)
    assert write.status.isSuccess is True, write.status
    requisition = get(ns, "purchaseRequisition", "7032")
    assert requisition.status == "Partially Ordered"
    lines = requisition.itemList.purchaseRequisitionItem
    assert [r.internalId for r in lines[0].linkedOrderList.recordRef] == [write.baseRef.internalId]
    assert lines[1].linkedOrderList is None

    rest = initialize(ns, response_schema, "purchaseOrder", "purchaseRequisition", "7032").record
    assert [(i.item.internalId, i.quantity) for i in rest.itemList.item] == [("206", 4.0)]
    assert add(ns, response_schema, None, rest, ignoreReadOnlyFields=True).status.isSuccess
    assert get(ns, "purchaseRequisition", "7032").status == "Fully Ordered"
    done = initialize(ns, response_schema, "purchaseOrder", "purchaseRequisition", "7032")
    assert done.status.statusDetail[0].code == "INVALID_INITIALIZE_REF"


def test_a_requisition_names_its_requester_not_a_vendor(ns, response_schema):
    write = add(ns, response_schema, "tranPurch:PurchaseRequisition", {"entity": ref(102)})
    assert write.status.statusDetail[0].code == "INVALID_KEY_OR_REF"
    missing = add(ns, response_schema, "tranPurch:PurchaseRequisition", {"memo": "no one"})
    assert "Requestor" in missing.status.statusDetail[0].message


def test_a_vendor_return_is_credited_through_initialize(ns, response_schema):
    authorization = get(ns, "vendorReturnAuthorization", "7033")
    assert (authorization.userTotal, authorization.orderStatus) == (5.0, None)
    credit = initialize(ns, response_schema, "vendorCredit", "vendorReturnAuthorization",
                        "7033").record
    assert (credit.entity.internalId, credit.createdFrom.internalId) == ("102", "7033")
    assert [(i.item.internalId, i.quantity, i.amount) for i in credit.itemList.item] == [
        ("206", 2.0, 5.0)]
    assert add(ns, response_schema, None, credit, ignoreReadOnlyFields=True).status.isSuccess
    assert get(ns, "vendorReturnAuthorization", "7033").orderStatus == "_credited"


# -- CRM -----------------------------------------------------------------------------------------
def test_a_customers_stage_is_its_statuss_stage(ns, response_schema):
    assert get(ns, "customer", "7010").stage == "_lead"
    assert get(ns, "customer", "7011").stage == "_prospect"
    write = checked_call(ns, response_schema, "update", record=build(ns.client, "listRel:Customer", {
        "internalId": "7010", "entityStatus": ref(7003)})).writeResponse
    assert write.status.isSuccess is True, write.status
    customer = get(ns, "customer", "7010")
    assert (customer.stage, customer.entityStatus.name) == ("_customer", "CUSTOMER-Closed Won")


def test_customers_are_searched_by_stage_and_status(ns, response_schema):
    found = search(ns, "CustomerSearchBasic",
                   stage=field(ns, "EnumMultiSelect", "_lead", "_prospect", operator="anyOf"))
    assert sorted(r.internalId for r in records(found)) == ["7010", "7011"]
    by_status = search(ns, "CustomerSearchBasic", entityStatus=field(
        ns, "MultiSelect", *refs(ns, "7002"), operator="anyOf"))
    assert [r.internalId for r in records(by_status)] == ["7011"]


def test_a_customer_status_needs_its_name_and_probability(ns, response_schema):
    write = add(ns, response_schema, "listRel:CustomerStatus", {"name": "LEAD-Cold",
                                                               "stage": "_lead"})
    assert write.status.statusDetail[0].code == "USER_ERROR"
    assert "Probability" in write.status.statusDetail[0].message


@pytest.mark.parametrize("qname, record_type, status", [
    ("actSched:Task", "task", "_notStarted"),
    ("actSched:PhoneCall", "phoneCall", "_scheduled"),
    ("actSched:CalendarEvent", "calendarEvent", "_confirmed"),
])
def test_activities_take_their_forms_default_status(ns, response_schema, qname, record_type,
                                                   status):
    write = add(ns, response_schema, qname, {"title": f"New {record_type}"})
    assert write.status.isSuccess is True, write.status
    assert get(ns, record_type, write.baseRef.internalId).status == status
    untitled = add(ns, response_schema, qname, {"message": "no title"})
    assert untitled.status.statusDetail[0].code == "USER_ERROR"


def test_completing_a_task_dates_it(ns, response_schema):
    assert get(ns, "task", "7020").completedDate is None
    write = checked_call(ns, response_schema, "update", record=build(ns.client, "actSched:Task", {
        "internalId": "7020", "status": "_completed"})).writeResponse
    assert write.status.isSuccess is True, write.status
    task = get(ns, "task", "7020")
    assert task.status == "_completed" and task.completedDate is not None


def test_an_invitee_who_has_not_answered_then_answers(ns, response_schema):
    event = get(ns, "calendarEvent", "7022")
    assert [(a.attendee.internalId, a.response) for a in event.attendeeList.attendee] == [
        ("170", "_accepted"), ("171", "_noResponse")]
    reference = ns.type("ns0:UpdateInviteeStatusReference")(
        eventId=ns.ref("calendarEvent", "7022"), responseCode="_tentative")
    write = checked_call(ns, response_schema, "updateInviteeStatus",
                         updateInviteeStatusReference=reference).writeResponse
    assert write.status.isSuccess is True, write.status
    event = get(ns, "calendarEvent", "7022")
    assert [a.response for a in event.attendeeList.attendee] == ["_tentative", "_noResponse"]


def test_a_support_case_is_numbered(ns, response_schema):
    assert get(ns, "supportCase", "7023").caseNumber == "7023"
    write = add(ns, response_schema, "listSupport:SupportCase", {
        "title": "Portal login fails", "company": ref(150), "priority": ref(1)})
    assert write.status.isSuccess is True, write.status
    case = get(ns, "supportCase", write.baseRef.internalId)
    assert case.caseNumber == write.baseRef.internalId and case.priority.name == "High"


def test_partner_campaign_and_entity_group_from_the_demo(ns, response_schema):
    assert get(ns, "partner", "7012").partnerCode == "LAT"
    assert get(ns, "campaign", "7014").campaignId == "SPRING24"
    group = get(ns, "entityGroup", "7013")
    assert (group.groupName, group.groupType, group.groupOwner.internalId) == (
        "Key Accounts", "_customer", "170")
    untyped = add(ns, response_schema, "listRel:EntityGroup", {"groupName": "No type"})
    assert "Type" in untyped.status.statusDetail[0].message


# -- projects and time ---------------------------------------------------------------------------
def test_a_project_task_belongs_to_a_project(ns, response_schema):
    task = get(ns, "projectTask", "7040")
    assert (task.company.internalId, task.estimatedWork, task.status) == ("160", 16.0,
                                                                          "_notStarted")
    on_customer = add(ns, response_schema, "actSched:ProjectTask", {
        "title": "Kick-off", "company": ref(150)})
    assert on_customer.status.statusDetail[0].code == "INVALID_KEY_OR_REF"
    child = add(ns, response_schema, "actSched:ProjectTask", {
        "title": "Workshop notes", "company": ref(160), "parent": ref(7040),
        "estimatedWork": 4.0})
    assert child.status.isSuccess is True, child.status
    assert get(ns, "projectTask", child.baseRef.internalId).parent.internalId == "7040"


def test_a_time_bill_takes_the_employees_subsidiary(ns, response_schema):
    bill = get(ns, "timeBill", "7041")
    assert (bill.hours.timeSpan, bill.isBillable, bill.customer.internalId) == (6.5, True, "160")
    assert bill.subsidiary.internalId == "1"
    missing = add(ns, response_schema, "tranEmp:TimeBill", {"customer": ref(160)})
    assert "Employee" in missing.status.statusDetail[0].message


def test_a_time_sheet_is_a_week_of_hours(ns, response_schema):
    sheet = get(ns, "timeSheet", "7042")
    assert sheet.totalHours.timeSpan == 13.5
    assert (sheet.endDate - sheet.startDate).days == 6


def test_a_resource_allocation_in_hours_or_percent(ns, response_schema):
    assert get(ns, "resourceAllocation", "7043").percentOfTime == 50.0
    write = add(ns, response_schema, "actSched:ResourceAllocation", {
        "allocationResource": ref(170), "project": ref(160), "startDate": DAY,
        "endDate": "2024-03-15T00:00:00-07:00", "allocationAmount": 20.0})
    assert write.status.isSuccess is True, write.status
    allocation = get(ns, "resourceAllocation", write.baseRef.internalId)
    assert (allocation.allocationUnit, allocation.numberHours, allocation.percentOfTime) == (
        "_hours", 20.0, None)
