"""Order to cash over HTTP with zeep: credit memos, deposit applications and refunds settle
invoices, credit memos and customer deposits as payments do; estimates, opportunities and
return authorizations move through their statuses as transactions are made from them; initialize
makes orders from estimates, credits and refunds from returns, refunds from credits and deposit
applications from deposits."""

from __future__ import annotations

import pytest

from mockserver.domain.initialize_pairs import documented
from mockserver.domain.transactions import INITIALIZERS
from tests.conftest import checked_call
from tests.mockserver.domain.test_transactions import api  # noqa: F401  (a fixture)
from tests.search_helpers import field, records, search
from tests.zeep_values import build

pytestmark = pytest.mark.server


def ref(internal_id) -> dict:
    return {"internalId": str(internal_id)}


@pytest.fixture
def o2c(api, ns, response_schema):
    """The transaction tests' ``api`` (get, initialize), plus writes of records initialize made
    (their read-only fields ignored, as NetSuite's preference does), statuses and successful
    initializes."""
    class OrderToCash:
        get = staticmethod(api.get)
        initialize = staticmethod(api.initialize)

        def write(self, qname: str, fields_or_record):
            record = build(ns.client, qname, fields_or_record) \
                if isinstance(fields_or_record, dict) else fields_or_record
            preferences = ns.type("ns4:Preferences")(ignoreReadOnlyFields=True)
            return checked_call(ns, response_schema, "add", record=record,
                                headers={"preferences": preferences}).writeResponse

        def added(self, qname: str, fields_or_record) -> str:
            write = self.write(qname, fields_or_record)
            assert write.status.isSuccess is True, write.status
            return write.baseRef.internalId

        def initialized(self, target: str, source: str, internal_id: str):
            read = api.initialize(target, source, internal_id)
            assert read.status.isSuccess is True, read.status
            return read.record

        def status(self, record_type: str, internal_id: str) -> str:
            return api.get(record_type, internal_id).status
    return OrderToCash()


def applied(record, list_name: str = "applyList", line: str = "apply") -> list[tuple]:
    return [(a.doc, a.apply, a.amount) for a in getattr(getattr(record, list_name), line)]


# -- settling invoices, credits and deposits ------------------------------------------------------
def test_the_demo_invoice_is_paid_by_a_credit_memo_and_a_deposit_application(o2c):
    invoice = o2c.get("invoice", "6010")
    assert (invoice.total, invoice.amountPaid, invoice.amountRemaining, invoice.status) == (
        990.0, 698.0, 292.0, "Open")
    memo = o2c.get("creditMemo", "6011")
    assert (memo.total, memo.applied, memo.unapplied, memo.amountRemaining, memo.status) == (
        198.0, 198.0, 0.0, 0.0, "Fully Applied")
    application = o2c.get("depositApplication", "6021")
    assert (application.total, application.applied, application.unapplied) == (800.0, 500.0,
                                                                               300.0)
    assert application.deposit.internalId == "6020"
    assert o2c.status("customerDeposit", "6020") == "Not Deposited"


def test_a_deposit_application_from_the_deposit_pays_the_invoice_off(o2c):
    application = o2c.initialized("depositApplication", "customerDeposit", "6020")
    assert (application.customer.internalId, application.deposit.internalId,
            application.total) == ("151", "6020", 300.0)
    assert [(a.doc, a.apply, a.due) for a in application.applyList.apply] == [
        (6010, False, 292.0)]      # the customer's open invoices, none applied yet
    application.applyList.apply[0].apply = True
    application.applyList.apply[0].amount = 292.0
    written = o2c.get("depositApplication",
                      o2c.added("tranCust:DepositApplication", application))
    assert (written.total, written.applied, written.unapplied) == (300.0, 292.0, 8.0)
    invoice = o2c.get("invoice", "6010")
    assert (invoice.amountRemaining, invoice.status) == (0.0, "Paid In Full")
    assert o2c.status("customerDeposit", "6020") == "Not Deposited"   # 8.00 left on it
    refund = o2c.get("customerRefund", o2c.added("tranCust:CustomerRefund", {
        "customer": ref(151), "account": ref(55),
        "depositList": {"customerRefundDeposit": [{"doc": 6020, "apply": True,
                                                   "amount": 8.0}]}}))
    assert refund.total == 8.0
    assert o2c.status("customerDeposit", "6020") == "Fully Applied"
    left = o2c.initialize("depositApplication", "customerDeposit", "6020")
    assert left.status.statusDetail[0].code == "INVALID_INITIALIZE_REF"   # nothing left


def test_a_deposit_applies_only_for_its_own_customer(o2c):
    write = o2c.write("tranCust:DepositApplication", {"customer": ref(150), "deposit": ref(6020)})
    assert write.status.statusDetail[0].code == "LINKED_ENTITIES_DONT_MATCH"
    write = o2c.write("tranCust:DepositApplication", {"customer": ref(151), "deposit": ref(6010)})
    assert write.status.statusDetail[0].code == "INVALID_KEY_OR_REF"


def test_a_deposit_in_the_bank_reads_deposited(o2c):
    deposit = o2c.added("tranCust:CustomerDeposit", {
        "customer": ref(150), "payment": 120.0, "undepFunds": False, "account": ref(55)})
    assert o2c.status("customerDeposit", deposit) == "Deposited"


def test_a_credit_memo_from_an_invoice_credits_it_and_a_refund_uses_up_another(o2c):
    memo = o2c.initialized("creditMemo", "invoice", "803")
    assert (memo.createdFrom.internalId, memo.entity.internalId) == ("803", "152")
    assert [(i.item.internalId, i.quantity, i.amount) for i in memo.itemList.item] == [
        ("209", 1.0, 99.0)]
    assert applied(memo) == [(803, True, 99.0)]
    written = o2c.get("creditMemo", o2c.added("tranCust:CreditMemo", memo))
    assert (written.total, written.applied, written.unapplied, written.status) == (
        99.0, 99.0, 0.0, "Fully Applied")
    assert o2c.status("invoice", "803") == "Paid In Full"

    credit = o2c.added("tranCust:CreditMemo", {"entity": ref(152), "itemList": {"item": [
        {"item": ref(210), "quantity": 1, "rate": "60.00"}]}})
    assert o2c.status("creditMemo", credit) == "Open"
    refund = o2c.initialized("customerRefund", "creditMemo", credit)
    assert (refund.customer.internalId, refund.total) == ("152", 60.0)
    assert applied(refund) == [(int(credit), True, 60.0)]
    o2c.added("tranCust:CustomerRefund", refund)
    got = o2c.get("creditMemo", credit)
    assert (got.applied, got.unapplied, got.amountRemaining, got.status) == (
        60.0, 0.0, 0.0, "Fully Applied")


def test_a_payment_applies_a_credit_memo_by_its_credit_lines(o2c):
    credit = o2c.added("tranCust:CreditMemo", {"entity": ref(152), "itemList": {"item": [
        {"item": ref(210), "quantity": 1, "rate": "40.00"}]}})
    o2c.added("tranCust:CustomerPayment", {"customer": ref(152), "payment": 59.0,
                                           "applyList": {"apply": [
                                               {"doc": 803, "apply": True, "amount": 99.0}]},
                                           "creditList": {"credit": [
                                               {"doc": int(credit), "apply": True,
                                                "amount": 40.0}]}})
    assert o2c.status("creditMemo", credit) == "Fully Applied"
    assert o2c.status("invoice", "803") == "Paid In Full"
    payment = o2c.get("customerPayment", o2c.added("tranCust:CustomerPayment", {
        "customer": ref(151), "payment": 0.0,
        "depositList": {"deposit": [{"doc": 6020, "apply": True, "amount": 300.0}]},
        "applyList": {"apply": [{"doc": 6010, "apply": True, "amount": 292.0}]}}))
    assert (payment.applied, payment.unapplied) == (292.0, 8.0)   # the deposit's 300 less 292
    assert o2c.status("customerDeposit", "6020") == "Fully Applied"


# -- estimates and opportunities ----------------------------------------------------------------
def test_an_opportunity_issues_an_estimate_which_becomes_an_order(o2c):
    opportunity = o2c.get("opportunity", "6000")
    assert (opportunity.projectedTotal, opportunity.status) == (1188.0, "Issued Estimate")
    estimate = o2c.get("estimate", "6001")
    assert (estimate.subTotal, estimate.total, estimate.status) == (1590.0, 1590.0, "Open")

    order = o2c.initialized("salesOrder", "estimate", "6001")
    assert (order.createdFrom.internalId, order.opportunity.internalId,
            order.entity.internalId) == ("6001", "6000", "152")
    assert [(i.item.internalId, i.quantity, i.rate, i.amount) for i in order.itemList.item] == [
        ("209", 12.0, "95.00", 1140.0), ("210", 1.0, "450.00", 450.0)]
    order_id = o2c.added("tranSales:SalesOrder", order)
    assert o2c.get("salesOrder", order_id).total == 1590.0
    assert o2c.status("estimate", "6001") == "Processed"
    assert o2c.status("opportunity", "6000") == "Closed Won"


def test_an_estimate_from_an_opportunity(o2c):
    opportunity = o2c.added("tranSales:Opportunity", {"entity": ref(150), "itemList": {"item": [
        {"item": ref(207), "quantity": 5, "rate": "12.00"}]}})
    assert o2c.get("opportunity", opportunity).projectedTotal == 60.0
    assert o2c.status("opportunity", opportunity) == "In Progress"
    estimate = o2c.initialized("estimate", "opportunity", opportunity)
    assert estimate.opportunity.internalId == opportunity
    assert [(i.item.internalId, i.quantity, i.amount) for i in estimate.itemList.item] == [
        ("207", 5.0, 60.0)]
    o2c.added("tranSales:Estimate", estimate)
    assert o2c.status("opportunity", opportunity) == "Issued Estimate"
    invoice = o2c.initialized("invoice", "opportunity", opportunity)
    assert (invoice.opportunity.internalId, invoice.total) == (opportunity, 60.0)
    o2c.added("tranSales:Invoice", invoice)
    assert o2c.status("opportunity", opportunity) == "Closed Won"


# -- returns and refunds ---------------------------------------------------------------------------
def test_a_return_is_received_then_credited(o2c):
    assert o2c.status("returnAuthorization", "6030") == "Pending Receipt"
    receipt = o2c.initialized("itemReceipt", "returnAuthorization", "6030")
    assert receipt.createdFrom.internalId == "6030"
    assert [(i.item.internalId, i.quantity, i.orderLine, i.itemReceive)
            for i in receipt.itemList.item] == [("201", 1.0, 1, True)]
    o2c.added("tranPurch:ItemReceipt", receipt)
    authorization = o2c.get("returnAuthorization", "6030")
    assert authorization.status == "Pending Refund"
    assert [(i.quantityReceived, i.quantityBilled) for i in authorization.itemList.item] == [
        (1.0, 0.0)]
    memo = o2c.initialized("creditMemo", "returnAuthorization", "6030")
    assert (memo.createdFrom.internalId, memo.entity.internalId, memo.total) == (
        "6030", "151", 25.0)
    o2c.added("tranCust:CreditMemo", memo)
    assert o2c.status("returnAuthorization", "6030") == "Refunded"
    left = o2c.initialize("cashRefund", "returnAuthorization", "6030")
    assert left.status.statusDetail[0].code == "INVALID_INITIALIZE_REF"


def test_a_return_of_a_cash_sale_and_its_cash_refund(o2c):
    authorization = o2c.initialized("returnAuthorization", "cashSale", "781")
    assert authorization.createdFrom.internalId == "781"
    assert [(i.item.internalId, i.quantity, i.amount) for i in authorization.itemList.item] == [
        ("203", 2.0, 120.0), ("201", 1.0, 25.0)]
    assert authorization.total == 145.0
    authorization.orderStatus = "_pendingApproval"
    pending = o2c.added("tranCust:ReturnAuthorization", authorization)
    assert o2c.status("returnAuthorization", pending) == "Pending Approval"
    refund = o2c.initialized("cashRefund", "cashSale", "781")
    assert (refund.createdFrom.internalId, refund.subTotal, refund.total) == ("781", 145.0,
                                                                              145.0)
    written = o2c.get("cashRefund", o2c.added("tranCust:CashRefund", refund))
    assert (written.subTotal, written.total) == (145.0, 145.0)


# -- searches, and the initialize table ----------------------------------------------------------
@pytest.mark.parametrize("status, found", [
    ("_estimateOpen", ["EST-1001"]),
    ("_opportunityIssuedEstimate", ["OPP-1001"]),
    ("_creditMemoFullyApplied", ["CM-1001", "CM-1002"]),
    ("_customerDepositNotDeposited", ["DEP-1001"]),
    ("_returnAuthorizationPendingReceipt", ["RMA-1001"]),
    ("_invoiceOpen", ["INV-1001", "INV-1003", "INV-1004"]),
])
def test_order_to_cash_transactions_by_status(ns, status, found):
    result = search(ns, "TransactionSearchBasic", status=field(ns, "EnumMultiSelect", status,
                                                               operator="anyOf"))
    assert sorted(r.tranId for r in records(result)) == found


def test_every_initialize_pair_served_is_one_netsuite_documents():
    assert [pair for pair in INITIALIZERS if documented(*pair) is None] == []


# -- charges and billing schedules ---------------------------------------------------------------
def test_a_charge_needs_whom_to_bill_and_its_stage_and_amounts_itself(o2c):
    charge = o2c.get("charge", o2c.added("tranCust:Charge", {
        "billTo": ref(152), "stage": "_ready", "chargeType": ref(-19), "billingItem": ref(209),
        "rate": "99.00", "quantity": 3.0}))
    assert (charge.billTo.internalId, charge.stage, charge.amount) == ("152", "_ready", 297.0)
    write = o2c.write("tranCust:Charge", {"billTo": ref(152), "rate": "1.00", "quantity": 1.0})
    detail = write.status.statusDetail[0]
    assert (detail.code, "Stage" in detail.message) == ("USER_ERROR", True)


def test_a_billing_schedule_needs_a_name(o2c):
    schedule = o2c.get("billingSchedule", o2c.added("listAcct:BillingSchedule", {
        "name": "Monthly, 12 payments", "frequency": "_monthly", "recurrenceTerms": 12}))
    assert (schedule.name, schedule.frequency) == ("Monthly, 12 payments", "_monthly")
    write = o2c.write("listAcct:BillingSchedule", {"frequency": "_monthly"})
    assert write.status.statusDetail[0].code == "USER_ERROR"
