"""What NetSuite works out on transactions: line amounts and totals, values sourced from the
entity, order links, and the progress of purchase orders and invoices.

Totals are per transaction type (``TOTALS``); taxes, discounts and foreign-currency amounts are
not modelled, so a total is the sum of its lines (plus shipping and handling on invoices). Links
between transactions are checked where a client makes them: a vendor bill's ``orderDoc`` /
``orderLine`` must name a line of a purchase order of the same vendor, with the same item, once
per bill; an item receipt's lines must be lines of the order it is ``createdFrom``. How far an
order has been received and billed, and how much of an invoice is paid, are read-time facts
(``derivation``, ``with_derivation``): they follow every later write without any record being
rewritten.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from mockserver.domain.clock import account_day
from mockserver.domain.errors import RecordError, invalid_reference
from mockserver.domain.initialize_pairs import INITIALIZE_PAIRS
from mockserver.domain.indexes import APPLY_LISTS
from mockserver.domain.records import RECORD_TYPES, RecordKind, record_name
from mockserver.domain.store import RecordStore
from mockserver.schema import registry
from mockserver.schema.model import ComplexType

# Sublists whose lines NetSuite numbers (``line``) and merges by number on replaceAll="false".
LINE_LISTS = ("itemList", "expenseList", "lineList")

# record type -> fields NetSuite sets to the sum of the item and expense lines.
TOTALS = {
    "vendorBill": ("userTotal",),
    "vendorCredit": ("userTotal", "total"),
    "purchaseOrder": ("subTotal", "total"),
    "check": ("userTotal",),
    "vendorReturnAuthorization": ("userTotal",),
    "salesOrder": ("subTotal", "total"),
    "cashSale": ("subTotal", "total"),
    "invoice": ("subTotal",),
    "creditMemo": ("subTotal", "total"),
    "expenseReport": ("total",),
    "estimate": ("subTotal", "total"),
    "returnAuthorization": ("subTotal", "total"),
    "cashRefund": ("subTotal", "total"),
    "opportunity": ("projectedTotal",),
}
# Every other transaction names its entity "entity".
ENTITY_FIELD = {t: "customer" for t in ("customerPayment", "customerDeposit", "customerRefund",
                                        "depositApplication")}
# What this module sets on a transaction whatever the client sent (``compute_amounts``,
# ``_apply_totals``, ``with_derivation``, ``check_links``), beyond ``TOTALS``; a line's
# ``amount`` is quantity × rate unless sent, and ``LINE_SET`` is set on lines.
SET_ON = {
    "invoice": ("total", "amountPaid", "amountRemaining", "status"),
    "vendorBill": ("status", "purchaseOrderList"),
    "purchaseOrder": ("status",),
    "salesOrder": ("status",),
    "transferOrder": ("status",),
    "workOrder": ("status", "built"),
    "creditMemo": ("applied", "unapplied", "amountRemaining", "status"),
    "customerDeposit": ("status",),
    "depositApplication": ("total", "applied", "unapplied"),
    "customerRefund": ("total",),
    "estimate": ("status",),
    "opportunity": ("status",),
    "returnAuthorization": ("status",),
    "customerPayment": ("payment", "total", "applied", "unapplied"),
    "vendorPayment": ("total",),
    "vendorCredit": ("applied",),
    "expenseReport": ("amount",),
    "deposit": ("total",),
    "purchaseRequisition": ("estimatedTotal", "status"),
}
LINE_SET = ("line", "quantityReceived", "quantityFulfilled", "quantityBilled", "estimatedAmount",
            "linkedOrderList")
# An order, what takes its lines out (receipts, fulfilments), the field that says how much,
# and its status texts by stage: nothing taken, some taken, some taken and billed, all taken,
# all taken and billed (NetSuite's texts).
ORDERS = {
    "purchaseOrder": ("itemReceipt", "quantityReceived",
                      ("Pending Receipt", "Partially Received",
                       "Pending Billing/Partially Received", "Pending Bill", "Fully Billed")),
    "salesOrder": ("itemFulfillment", "quantityFulfilled",
                   ("Pending Fulfillment", "Partially Fulfilled",
                    "Pending Billing/Partially Fulfilled", "Pending Billing", "Billed")),
    # a transfer order's second stage is its receipt at the destination, not a bill
    # (Help Center "Inventory Transfer Orders", section_N2308766)
    "transferOrder": ("itemFulfillment", "quantityFulfilled",
                      ("Pending Fulfillment", "Partially Fulfilled",
                       "Pending Receipt/Partially Fulfilled", "Pending Receipt", "Received")),
    # items come back on receipts, and credit memos or cash refunds pay them back
    "returnAuthorization": ("itemReceipt", "quantityReceived",
                            ("Pending Receipt", "Partially Received",
                             "Pending Refund/Partially Received", "Pending Refund", "Refunded")),
}
# order type -> what its second stage is and the line field that says how much
SECOND_STAGE = {"transferOrder": ("itemReceipt", "quantityReceived")}
# A work order's status by what assembly builds made of it (NetSuite's texts).
WORK_ORDER_STATUS = ("Pending Build", "Partially Built", "Built")
# What bills an order's lines (a purchase order's bills name it line by line, by ``orderDoc``;
# the others are ``createdFrom`` it).
BILLED_BY = {"purchaseOrder": ("vendorBill",), "salesOrder": ("invoice", "cashSale"),
             "returnAuthorization": ("creditMemo", "cashRefund")}
# receipt or fulfilment -> the orders it may take lines out of (first or second stage)
TAKEN_FROM: dict[str, tuple[str, ...]] = {}
for _order, _taken in [(o, stages[0]) for o, stages in ORDERS.items()] + \
        [(o, stage[0]) for o, stage in SECOND_STAGE.items()]:
    TAKEN_FROM[_taken] = TAKEN_FROM.get(_taken, ()) + (_order,)
# A transaction that others settle, and the (type, sublist) of the lines that do: payments,
# credit memos and deposit applications pay an invoice; refunds, and payments' credit and deposit
# lines, use up a credit memo or a customer deposit; a deposit application takes what it applies
# (sublist None) from the deposit its ``deposit`` names.
APPLIED_BY: dict[str, tuple[tuple[str, str | None], ...]] = {
    "invoice": (("customerPayment", "applyList"), ("creditMemo", "applyList"),
                ("depositApplication", "applyList")),
    "vendorBill": (("vendorPayment", "applyList"), ("vendorCredit", "applyList")),
    "creditMemo": (("customerRefund", "applyList"), ("customerPayment", "creditList")),
    "customerDeposit": (("depositApplication", None), ("customerRefund", "depositList"),
                        ("customerPayment", "depositList")),
}
# Status texts of a settled transaction: (while open, once settled). A customer deposit is
# open "Not Deposited" in undeposited funds, else "Deposited".
SETTLED_STATUS = {"invoice": ("Open", "Paid In Full"), "vendorBill": ("Open", "Paid In Full"),
                  "creditMemo": ("Open", "Fully Applied"),
                  "customerDeposit": ("Not Deposited", "Fully Applied")}
# What moves an estimate or opportunity on: the transactions made from it (``createdFrom`` or
# ``opportunity`` names it), and the status each kind of them gives, strongest first; no such
# transaction leaves the first status.
CONVERTED_BY = {
    "estimate": ("Open", (("Processed", ("salesOrder", "invoice", "cashSale")),)),
    "opportunity": ("In Progress", (("Closed Won", ("salesOrder", "invoice", "cashSale")),
                                    ("Issued Estimate", ("estimate",)))),
}
# Sourced from the entity, the currency and the terms when the client sends none.
SOURCED = ("subsidiary", "currency", "terms", "exchangeRate", "dueDate")


def computed_fields(record_type: str) -> frozenset[str]:
    """The body fields of a transaction NetSuite works out itself (totals, what payments and
    receipts did to it)."""
    return frozenset(TOTALS.get(record_type, ()) + SET_ON.get(record_type, ()))


def cents(value: float) -> float:
    return round(value + 0.0, 2)


def _number(value, field: str) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise RecordError.of("invalid_field_value", value=value, field=field) from None


def lines(record: dict, list_name: str) -> list[dict]:
    """The lines of a sublist (``itemList`` holds ``item`` lines, ``lineList`` ``line`` lines)."""
    sublist = record.get(list_name) or {}
    return next((v for k, v in sublist.items() if isinstance(v, list)), [])


# -- amounts and totals ------------------------------------------------------------------------
def compute_amounts(kind: RecordKind, record: dict) -> None:
    """Line ``amount`` = quantity × rate where the client sent none; then the type's totals.
    A charge is one such line itself."""
    if kind.record_type == "charge":
        if record.get("amount") is None and record.get("quantity") is not None \
                and record.get("rate") not in (None, ""):
            record["amount"] = cents(_number(record["quantity"], "quantity")
                                     * _number(record["rate"], "rate"))
        return
    line_total = 0.0
    has_lines = False
    for list_name in ("itemList", "expenseList"):
        for line in lines(record, list_name):
            has_lines = True
            if line.get("amount") is None:
                if line.get("foreignAmount") is not None:       # expense reports
                    line["amount"] = cents(_number(line["foreignAmount"], "foreignAmount"))
                elif line.get("quantity") is not None and line.get("rate") not in (None, ""):
                    line["amount"] = cents(_number(line["quantity"], "quantity")
                                           * _number(line["rate"], "rate"))
            line_total += _number(line.get("amount") or 0.0, "amount")
    line_total = cents(line_total)
    if has_lines:
        for name in TOTALS.get(kind.record_type, ()):
            record[name] = line_total
    if kind.record_type == "invoice" and has_lines:
        extras = sum(_number(record.get(name) or 0, name)
                     for name in ("shippingCost", "handlingCost"))
        record["total"] = cents(line_total + extras)
    if kind.record_type == "expenseReport" and has_lines:
        record["amount"] = cents(line_total - _number(record.get("advance") or 0, "advance"))
    if kind.record_type == "purchaseRequisition":
        _estimate_requisition(record)
    _apply_totals(kind, record)


def _applied(record: dict, list_name: str = "applyList") -> float:
    return cents(sum(_number(line.get("amount") or 0, "amount")
                     for line in lines(record, list_name) if line.get("apply") is not False))


def _apply_totals(kind: RecordKind, record: dict) -> None:
    if kind.record_type in ("creditMemo", "depositApplication") \
            and record.get("total") is not None:
        record["applied"] = _applied(record)
        record["unapplied"] = cents(record["total"] - record["applied"])
    elif kind.record_type == "customerPayment":
        applied = _applied(record)
        # credit memos and deposits the payment uses pay invoices with the money received
        credits = _applied(record, "creditList") + _applied(record, "depositList")
        payment = _number(record["payment"], "payment") if record.get("payment") is not None \
            else cents(applied - credits)
        record.update(payment=payment, total=payment, applied=applied,
                      unapplied=cents(payment + credits - applied))
    elif kind.record_type == "vendorPayment" and lines(record, "applyList"):
        record["total"] = _applied(record)
    elif kind.record_type == "customerRefund" and (lines(record, "applyList")
                                                   or lines(record, "depositList")):
        record["total"] = cents(_applied(record) + _applied(record, "depositList"))
    elif kind.record_type == "vendorCredit" and lines(record, "applyList"):
        record["applied"] = _applied(record)
    elif kind.record_type == "deposit":
        _deposit_total(record)


def _estimate_requisition(record: dict) -> None:
    """A requisition is priced by estimate: a line's ``estimatedAmount`` is quantity × estimated
    rate unless sent, and ``estimatedTotal`` their sum with the expense lines' (NetSuite's
    Records Browser: "Estimated Rate", "Estimated Amount", "Estimated Total")."""
    total, priced = 0.0, False
    for list_name in ("itemList", "expenseList"):
        for line in lines(record, list_name):
            if line.get("estimatedAmount") is None and line.get("quantity") is not None \
                    and line.get("estimatedRate") is not None:
                line["estimatedAmount"] = cents(_number(line["quantity"], "quantity")
                                                * _number(line["estimatedRate"], "estimatedRate"))
            if line.get("estimatedAmount") is not None:
                priced = True
                total += _number(line["estimatedAmount"], "estimatedAmount")
    if priced:
        record["estimatedTotal"] = cents(total)


def _deposit_total(record: dict) -> None:
    """A deposit's total: the payments it deposits plus its other deposits, less its cash back;
    NetSuite refuses a deposit whose lines net to less than zero (Help Center,
    "Adding a Record With Other Deposit, Cash Back Lines", section_3947199795)."""
    payments = sum(_number(line.get("paymentAmount") or 0, "paymentAmount")
                   for line in lines(record, "paymentList") if line.get("deposit") is not False)
    others = sum(_number(line.get("amount") or 0, "amount") for line in lines(record, "otherList"))
    cash_back = sum(_number(line.get("amount") or 0, "amount")
                    for line in lines(record, "cashBackList"))
    total = cents(payments + others - cash_back)
    if total < 0:
        raise RecordError.of("deposit_negative")
    record["total"] = total


def check_balance(kind: RecordKind, record: dict) -> None:
    """A journal entry's debits must equal its credits."""
    if kind.record_type not in ("journalEntry", "advInterCompanyJournalEntry"):
        return
    journal = lines(record, "lineList")
    debit = sum(_number(line.get("debit") or 0, "debit") for line in journal)
    credit = sum(_number(line.get("credit") or 0, "credit") for line in journal)
    if cents(debit) != cents(credit):
        raise RecordError.of("journal_unbalanced")


# -- sourcing from the entity --------------------------------------------------------------------
def source_from_entity(store: RecordStore, kind: RecordKind, record: dict) -> None:
    """Subsidiary, currency and terms come from the vendor or customer when the client sends
    none; the due date follows from the terms and the transaction date."""
    if kind.family != "transaction":
        return
    schema = kind.schema
    ref = record.get(party_field(kind) or "entity") or {}
    entity = _find_entity(store, ref.get("internalId"))
    if entity is not None:
        for name in ("subsidiary", "currency", "terms"):
            if schema.field(name) and record.get(name) is None and entity.get(name):
                record[name] = _ref_copy(entity[name])
    if schema.field("exchangeRate") and record.get("exchangeRate") is None \
            and record.get("currency"):
        currency = store.get("currency", record["currency"].get("internalId") or "")
        if currency and currency.get("exchangeRate") is not None:
            record["exchangeRate"] = currency["exchangeRate"]
    if schema.field("dueDate") and record.get("dueDate") is None and record.get("terms") \
            and isinstance(record.get("tranDate"), datetime):
        term = store.get("term", record["terms"].get("internalId") or "")
        if term and term.get("daysUntilNetDue") is not None:
            record["dueDate"] = account_day(record["tranDate"], int(term["daysUntilNetDue"]))


def party_field(kind: RecordKind) -> str | None:
    """The field that names a transaction's customer, vendor or employee: ``entity``, or
    ``customer`` on customer payments, deposits, refunds and deposit applications."""
    return next((name for name in ("entity", "customer") if kind.schema.field(name)), None)


def _find_entity(store: RecordStore, internal_id: str | None) -> dict | None:
    if internal_id is None:
        return None
    for record_type in ("vendor", "customer", "employee", "job", "contact"):
        found = store.get(record_type, internal_id)
        if found is not None:
            return found
    return None


def _ref_copy(ref: dict) -> dict:
    return {k: v for k, v in ref.items() if k in ("internalId", "externalId", "name")}


# -- links between transactions ----------------------------------------------------------------
def check_links(store: RecordStore, kind: RecordKind, record: dict) -> None:
    if kind.record_type == "vendorBill":
        _check_bill_links(store, record)
    elif kind.record_type in TAKEN_FROM:
        _check_receipt_links(store, record, TAKEN_FROM[kind.record_type])
    elif kind.record_type == "deposit":
        _check_deposited_payments(store, record)
    elif kind.record_type == "depositApplication":
        _check_deposit_application(store, record)
    for list_name in APPLY_LISTS:
        for line in lines(record, list_name):
            if line.get("doc") is not None and _find_transaction(store, str(line["doc"])) is None:
                raise invalid_reference("doc", key=line["doc"])


# What a deposit's payment line may deposit (Help Center, Deposit: "payments received", cash
# sales and customer deposits waiting in Undeposited Funds).
DEPOSITED = ("customerPayment", "cashSale", "customerDeposit")


def _check_deposited_payments(store: RecordStore, deposit: dict) -> None:
    """Each payment line's ``id`` names a payment, whose amount and customer the line takes
    when the client sends none."""
    for line in lines(deposit, "paymentList"):
        if line.get("id") is None:
            raise RecordError.of("required_fields", fields="id")
        payment = next((found for kind in DEPOSITED
                        if (found := store.get(kind, str(line["id"]))) is not None), None)
        if payment is None:
            raise invalid_reference("id", key=line["id"])
        amount = payment.get("payment", payment.get("total"))
        if line.get("paymentAmount") is None and amount is not None:
            line["paymentAmount"] = amount
        entity = payment.get("customer") or payment.get("entity")
        if line.get("entity") is None and entity:
            line["entity"] = _ref_copy(entity)


def _order_line(order: dict, list_name: str, number) -> dict | None:
    return next((line for line in lines(order, list_name)
                 if str(line.get("line")) == str(number)), None)


def _check_bill_links(store: RecordStore, bill: dict) -> None:
    seen: set[tuple[str, str, str]] = set()
    orders: dict[str, dict] = {}
    for list_name in ("itemList", "expenseList"):
        for line in lines(bill, list_name):
            if line.get("orderDoc") is None:
                if line.get("orderLine") is not None:
                    raise RecordError.of("required_fields", fields="orderDoc")
                continue
            order_id = str(line["orderDoc"])
            order = store.get("purchaseOrder", order_id)
            if order is None:
                raise invalid_reference("purchaseOrder", order_id)
            if (order.get("entity") or {}).get("internalId") != \
                    (bill.get("entity") or {}).get("internalId"):
                raise RecordError.of("linked_entities")
            if line.get("orderLine") is None:
                raise RecordError.of("required_fields", fields="orderLine")
            ordered = _order_line(order, list_name, line["orderLine"])
            if ordered is None:
                raise RecordError.of("invalid_line", line=line["orderLine"])
            if list_name == "itemList" and (ordered.get("item") or {}).get("internalId") != \
                    (line.get("item") or {}).get("internalId"):
                raise RecordError.of("linked_items")
            key = (list_name, order_id, str(line["orderLine"]))
            if key in seen:
                raise RecordError.of("order_line_twice")
            seen.add(key)
            orders[order_id] = order
    if orders:
        bill["purchaseOrderList"] = {"recordRef": [
            {"internalId": order_id, **({"name": order["tranId"]} if order.get("tranId") else {})}
            for order_id, order in orders.items()]}


def _check_receipt_links(store: RecordStore, receipt: dict, order_types: tuple[str, ...]
                         ) -> None:
    """An item receipt's lines against its purchase or transfer order, an item fulfilment's
    against its sales or transfer order: each order line once, with the same item."""
    ref = receipt.get("createdFrom") or {}
    order = next((found for order_type in order_types
                  if (found := store.get(order_type, ref.get("internalId") or "")) is not None),
                 None)
    if order is None:
        return  # created from another kind of order: lines are not checked
    if receipt.get("entity") is None and order.get("entity"):
        receipt["entity"] = _ref_copy(order["entity"])
    seen: set[tuple[str, str]] = set()
    for list_name in ("itemList", "expenseList"):
        for line in lines(receipt, list_name):
            if line.get("orderLine") is None:
                continue
            ordered = _order_line(order, list_name, line["orderLine"])
            if ordered is None:
                raise RecordError.of("invalid_line", line=line["orderLine"])
            ordered_item = (ordered.get("item") or {}).get("internalId")
            if list_name == "itemList" and line.get("item") and \
                    ordered_item != line["item"].get("internalId"):
                raise RecordError.of("linked_items")
            if (list_name, str(line["orderLine"])) in seen:
                raise RecordError.of("order_line_twice")
            seen.add((list_name, str(line["orderLine"])))
            if list_name == "itemList" and line.get("itemReceive") is None:
                line["itemReceive"] = True


def _check_deposit_application(store: RecordStore, application: dict) -> None:
    """A deposit application applies a deposit of its own customer (the deposit's, when it
    names none: NetSuite's form opens with it filled in), and its total is what is left of that
    deposit (NetSuite sets it; the lines then say how much of it is applied)."""
    ref = application.get("deposit")
    if ref is None:
        return  # required: the add's required-field check names it
    deposit = store.get("customerDeposit", ref.get("internalId") or "")
    if deposit is None:
        raise invalid_reference("deposit", ref.get("internalId"))
    customer = (deposit.get("customer") or {}).get("internalId")
    if application.get("customer") is None:
        application.update({k: _ref_copy(deposit[k]) for k in ("customer", "subsidiary",
                                                                "currency")
                            if deposit.get(k) and application.get(k) is None})
    elif application["customer"].get("internalId") != customer:
        raise RecordError.of("linked_entities")
    used = _settled(store, deposit["internalId"], "customerDeposit",
                    besides=application.get("internalId"))
    application["total"] = cents(_number(deposit.get("payment") or 0, "payment") - used)


def _find_transaction(store: RecordStore, internal_id: str) -> dict | None:
    for kind in RECORD_TYPES.values():
        if kind.family == "transaction":
            found = store.get(kind.record_type, internal_id)
            if found is not None:
                return found
    return None


# -- progress of orders and invoices (read time) -------------------------------------------------
def order_progress(store: RecordStore, order_id: str, order_type: str = "purchaseOrder"
                   ) -> dict[str, tuple[float, float]]:
    """Order line number -> (quantity taken, quantity billed): for a purchase order, over every
    receipt and bill (its lines name the order by ``orderDoc``); for a sales order, over every
    fulfilment and every invoice or cash sale created from it; for a transfer order, over
    every fulfilment and receipt created from it (the receipts in the second place); for a
    return authorization, over its item receipts and the credit memos and cash refunds created
    from it."""
    taken_by = ORDERS[order_type][0]
    received: dict[str, float] = {}
    billed: dict[str, float] = {}
    for receipt in store.applying(order_id, taken_by):
        if (receipt.get("createdFrom") or {}).get("internalId") != order_id:
            continue
        for line in lines(receipt, "itemList"):
            if line.get("orderLine") is not None and line.get("itemReceive") is not False:
                key = str(line["orderLine"])
                received[key] = received.get(key, 0.0) + float(line.get("quantity") or 0)
    if order_type in SECOND_STAGE:
        second = SECOND_STAGE[order_type][0]
        billing = [(receipt, line) for receipt in store.applying(order_id, second)
                   if (receipt.get("createdFrom") or {}).get("internalId") == order_id
                   for line in lines(receipt, "itemList") if line.get("itemReceive") is not False]
    elif order_type == "purchaseOrder":
        billing = [(bill, line) for bill in store.applying(order_id, *BILLED_BY[order_type])
                   for line in lines(bill, "itemList") if str(line.get("orderDoc")) == order_id]
    else:
        billing = [(sale, line) for sale in store.applying(order_id, *BILLED_BY[order_type])
                   if (sale.get("createdFrom") or {}).get("internalId") == order_id
                   for line in lines(sale, "itemList")]
    for _, line in billing:
        if line.get("orderLine") is not None:
            key = str(line["orderLine"])
            billed[key] = billed.get(key, 0.0) + float(line.get("quantity") or 0)
    keys = set(received) | set(billed)
    return {k: (received.get(k, 0.0), billed.get(k, 0.0)) for k in keys}


def work_order_built(store: RecordStore, order_id: str) -> float:
    """How many assemblies the builds created from a work order made."""
    return sum(float(build.get("quantity") or 0)
               for build in store.applying(order_id, "assemblyBuild")
               if (build.get("createdFrom") or {}).get("internalId") == order_id)


def billed_expense_lines(store: RecordStore, order_id: str) -> set[str]:
    return {str(line["orderLine"]) for bill in store.applying(order_id, "vendorBill")
            for line in lines(bill, "expenseList")
            if str(line.get("orderDoc")) == order_id and line.get("orderLine") is not None}


def _order_status(order: dict, progress: dict[str, tuple[float, float]],
                  order_type: str = "purchaseOrder") -> str:
    """NetSuite's order status text, from what has been received (or fulfilled) and billed."""
    nothing, some, some_billable, all_taken, all_billed = ORDERS[order_type][2]
    ordered = [(str(line.get("line")), float(line.get("quantity") or 0))
               for line in lines(order, "itemList") if not line.get("isClosed")]
    if not ordered:
        return all_taken
    received = [progress.get(n, (0.0, 0.0))[0] for n, _ in ordered]
    billed = [progress.get(n, (0.0, 0.0))[1] for n, _ in ordered]
    if all(r >= q for r, (_, q) in zip(received, ordered)):
        return all_billed if all(b >= q for b, (_, q) in zip(billed, ordered)) else all_taken
    if any(received):
        waiting = any(r > b for r, b in zip(received, billed))   # received, not yet billed
        return some_billable if waiting else some
    return nothing


def _settled(store: RecordStore, doc_id: str, record_type: str,
             besides: str | None = None) -> float:
    """How much of transaction ``doc_id`` the transactions of ``APPLIED_BY`` settle (but the
    one ``besides``, a record being rewritten)."""
    total = 0.0
    for source_type, list_name in APPLIED_BY[record_type]:
        for source in store.applying(doc_id, source_type):
            if source["internalId"] == besides:
                continue
            if list_name is None:
                if (source.get("deposit") or {}).get("internalId") == doc_id:
                    total += _applied(source)
                continue
            for line in lines(source, list_name):
                if str(line.get("doc")) == doc_id and line.get("apply") is not False:
                    total += float(line.get("amount") or 0)
    return cents(total)


def _made_from(store: RecordStore, source_id: str, record_type: str) -> tuple[str, ...]:
    """The types of the transactions made from an estimate or opportunity."""
    made = {t for _, types in CONVERTED_BY[record_type][1] for t in types}
    return tuple(sorted({r_type for r_type in made if any(
        source_id in ((r.get("createdFrom") or {}).get("internalId"),
                      (r.get("opportunity") or {}).get("internalId"))
        for r in store.applying(source_id, r_type))}))


def derivation(store: RecordStore, kind: RecordKind, record: dict) -> tuple | None:
    """What other transactions did to ``record`` (receipts and bills to an order, payments,
    credits and refunds to a bill, invoice, credit memo or deposit, the orders made from an
    estimate), as a hashable value; None for records nothing changes."""
    if kind.record_type in ORDERS:
        return ("order", tuple(sorted(order_progress(store, record["internalId"],
                                                     kind.record_type).items())))
    if kind.record_type == "workOrder":
        return ("built", work_order_built(store, record["internalId"]))
    if kind.record_type in CARRIED_OUT:
        target = CARRIED_OUT[kind.record_type]
        return ("carried", tuple(sorted(carried_out(store, record, target).items())),
                tuple(found["internalId"] for found in store.applying(record["internalId"], target)
                      if (found.get("createdFrom") or {}).get("internalId")
                      == record["internalId"]))
    if kind.record_type in APPLIED_BY:
        return ("paid", _settled(store, record["internalId"], kind.record_type))
    if kind.record_type in CONVERTED_BY:
        return ("made", _made_from(store, record["internalId"], kind.record_type))
    return None


# The transactions whose status the mock works out, as ``derivation`` does: orders (from what
# took and billed their lines), work orders (from their builds), what payments, credits and
# refunds settle, and estimates and opportunities (from what was made of them).
STATUS_COMPUTED = (*ORDERS, "workOrder", *APPLIED_BY, *CONVERTED_BY)


def status_search_value(store: RecordStore, kind: RecordKind, record: dict) -> str | None:
    """A transaction's status as searches name it: ``_vendorBillOpen`` for a vendor bill whose
    status is "Open", ``_purchaseOrderPendingBillingPartiallyReceived`` for "Pending
    Billing/Partially Received"; None where the mock does not work the status out."""
    if kind.record_type not in STATUS_COMPUTED:
        return None
    text = with_derivation(kind, record, derivation(store, kind, record)).get("status")
    if not text:
        return None
    words = re.split(r"[^A-Za-z0-9]+", text)
    return "_" + kind.record_type + "".join(w[:1].upper() + w[1:] for w in words if w)


def with_derivation(kind: RecordKind, record: dict, found: tuple | None) -> dict:
    """The record as a read returns it, given its ``derivation``: the same for the same
    stored record and derivation, which is what lets its written XML be reused."""
    if found is None:
        return record
    if found[0] == "carried":
        return _with_carried(kind, record, dict(found[1]), found[2])
    what, value = found
    out = dict(record)
    if what == "made":
        status, steps = CONVERTED_BY[kind.record_type]
        out["status"] = next((text for text, types in steps if set(types) & set(value)), status)
        return out
    if what == "order":
        progress = dict(value)
        taken_field = ORDERS[kind.record_type][1]
        billed_field = SECOND_STAGE.get(kind.record_type, ("", "quantityBilled"))[1]
        items = []
        for line in lines(record, "itemList"):
            received, billed = progress.get(str(line.get("line")), (0.0, 0.0))
            items.append({**line, taken_field: received, billed_field: billed})
        if items:
            out["itemList"] = {**record["itemList"], "item": items}
        out["status"] = "Pending Approval" if record.get("orderStatus") == "_pendingApproval" \
            else _order_status(record, progress, kind.record_type)
        return out
    if what == "built":
        ordered = float(record.get("quantity") or 0)
        stage = 0 if not value else 2 if ordered and value >= ordered else 1
        out.update(built=value, status=WORK_ORDER_STATUS[stage])
        return out
    paid = value
    open_text, settled_text = SETTLED_STATUS[kind.record_type]
    if kind.record_type == "creditMemo":   # what it applies itself, and what others use of it
        paid = cents(paid + (record.get("applied") or 0.0))
        total = record.get("total") or 0.0
        out.update(applied=paid, unapplied=cents(total - paid),
                   amountRemaining=cents(total - paid))
    elif kind.record_type == "customerDeposit":
        total = record.get("payment") or 0.0
        if record.get("undepFunds") is False:
            open_text = "Deposited"
    else:
        total = record.get("total", record.get("userTotal")) or 0.0
    if kind.record_type == "invoice":
        out.update(amountPaid=paid, amountRemaining=cents(total - paid))
    out["status"] = settled_text if total and paid >= total else open_text
    return out


# -- requisitions and vendor returns: what the orders and credits made from them took ---------
# A record type -> the type made from it whose lines carry its line numbers (``orderLine``):
# purchase orders from a requisition, vendor credits from a vendor return authorization.
CARRIED_OUT = {"purchaseRequisition": "purchaseOrder", "vendorReturnAuthorization": "vendorCredit"}
# A requisition's status by how much of it is ordered (TransactionStatus values
# ``_requisitionPendingOrder``, ``_requisitionPartiallyOrdered``, ``_requisitionFullyOrdered``;
# approval routing is not modelled, so none is "Pending Approval").
REQUISITION_STATUS = ("Pending Order", "Partially Ordered", "Fully Ordered")


def carried_out(store: RecordStore, source: dict, target_type: str) -> dict[str, float]:
    """Source line number -> the quantity the records of ``target_type`` created from it took.
    A line names its source line by ``orderLine`` where its type has one (a vendor credit's);
    a purchase order line has none, so it takes the first source line of its item that is not
    taken yet (INFERRED)."""
    source_id = source["internalId"]
    taken: dict[str, float] = {}
    for made in store.applying(source_id, target_type):
        if (made.get("createdFrom") or {}).get("internalId") != source_id:
            continue
        for line in lines(made, "itemList"):
            key = line.get("orderLine")
            if key is None:
                key = _line_of_item(source, (line.get("item") or {}).get("internalId"), taken)
            if key is not None:
                key = str(key)
                taken[key] = taken.get(key, 0.0) + float(line.get("quantity") or 0)
    return taken


def _line_of_item(source: dict, item_id: str | None, taken: dict[str, float]):
    same = [line for line in lines(source, "itemList")
            if (line.get("item") or {}).get("internalId") == item_id and line.get("line")]
    left = [line for line in same
            if taken.get(str(line["line"]), 0.0) < float(line.get("quantity") or 0)]
    return (left or same or [{}])[0].get("line")


def _with_carried(kind: RecordKind, record: dict, taken: dict[str, float],
                  made: tuple[str, ...]) -> dict:
    """A requisition with its status and each line's linked orders; a vendor return
    authorization ``_credited`` once its credits take every line (else as stored)."""
    out = dict(record)
    open_lines = [line for line in lines(record, "itemList") if not line.get("isClosed")]
    done = [taken.get(str(line.get("line")), 0.0) for line in open_lines]
    complete = bool(open_lines) and all(
        d >= float(line.get("quantity") or 0) for d, line in zip(done, open_lines))
    if kind.record_type == "vendorReturnAuthorization":
        if complete:
            out["orderStatus"] = "_credited"
        return out
    pending, partial, full = REQUISITION_STATUS
    out["status"] = full if complete else partial if any(done) else pending
    if made and open_lines:
        refs = [{"internalId": i, "type": "purchaseOrder"} for i in made]
        key = next(k for k, v in record["itemList"].items() if isinstance(v, list))
        out["itemList"] = {**record["itemList"], key: [
            {**line, "linkedOrderList": {"recordRef": refs}}
            if taken.get(str(line.get("line"))) else line for line in lines(record, "itemList")]}
    return out


def _from_carried(store: RecordStore, target: RecordKind, source: dict, source_type: str,
                  now: datetime) -> dict | None:
    """A purchase order for what a requisition has not ordered yet (its vendor the first open
    line's ``poVendor``, the rate its estimate), or a vendor credit for what a return
    authorization has not credited; None when nothing is left."""
    taken = carried_out(store, source, target.record_type)
    record: dict = {k: source[k] for k in _HEADER if k in source and target.schema.field(k)}
    if source_type == "purchaseRequisition":
        record.pop("entity", None)   # the requisition's entity is its requester
    record["tranDate"] = account_day(now)
    items = []
    for line in lines(source, "itemList"):
        left = float(line.get("quantity") or 0) - taken.get(str(line.get("line")), 0.0)
        if line.get("isClosed") or left <= 0:
            continue
        new = {k: line[k] for k in _LINE + ("location",) if k in line}
        new.update(quantity=left, line=len(items) + 1)
        if target.record_type == "vendorCredit":   # a purchase order line has no orderLine
            new["orderLine"] = line.get("line")
        rate = line.get("estimatedRate") if source_type == "purchaseRequisition" \
            else line.get("rate")
        if rate is not None:
            new["rate"] = rate
        if record.get("entity") is None and line.get("poVendor"):
            record["entity"] = _ref_copy(line["poVendor"])
        items.append(new)
    if not items:
        return None
    record["itemList"] = {"item": items}
    record["createdFrom"] = {k: v for k, v in {
        "internalId": source["internalId"],
        "name": record_name(RECORD_TYPES[source_type], source)}.items() if v is not None}
    compute_amounts(target, record)
    source_from_entity(store, target, record)
    return record


# -- initialize ----------------------------------------------------------------------------------
_HEADER = ("entity", "subsidiary", "currency", "exchangeRate", "terms", "department", "class",
           "location", "opportunity")
_LINE = ("item", "description", "department", "class", "location", "customer", "isBillable")
_EXPENSE_LINE = ("category", "account", "amount", "memo", "department", "class", "location",
                 "customer", "isBillable")


def _created_from(source_ref: dict) -> dict:
    return {"createdFrom": source_ref}


def _of_opportunity(source_ref: dict) -> dict:
    return {"opportunity": source_ref}


def _purchase_orders(source_ref: dict) -> dict:
    return {"purchaseOrderList": {"recordRef": [source_ref]}}


@dataclass(frozen=True)
class Initializer:
    """What ``initialize`` makes of a source record for one target type."""

    billing: bool                    # bills what is not billed, or takes what is not taken
    line_fields: tuple[str, ...]     # the item line fields copied from the source
    link: Callable[[dict], dict]     # the fields that name the source
    order_doc: bool = False          # lines name the source by ``orderDoc``
    expenses: bool = False           # the source's unbilled expense lines come too
    copies: bool = False             # the generic rule (``_copied``): no order progress
    whole: bool = False              # every line as it is, whatever was done with it since
    applies_source: bool = False     # the new record applies to its source (credits it)
    # a record made by its own rule instead of from the source's lines (a refund of a credit,
    # an order of what a requisition still asks for): (store, target, source, type, now)
    make: Callable | None = None


def _source_ref(source: dict, source_type: str) -> dict:
    ref = {"internalId": source["internalId"],
           "name": record_name(RECORD_TYPES[source_type], source)}
    return {k: v for k, v in ref.items() if v is not None}


def _settlement(source: dict, customer_field: str, now: datetime) -> dict:
    """The header of a refund or deposit application for what is left of ``source``."""
    record = {"customer": _ref_copy(source[customer_field])} if source.get(customer_field) \
        else {}
    record.update({k: source[k] for k in ("subsidiary", "currency") if k in source})
    record["tranDate"] = account_day(now)
    return record


def _refund_of_credit(store: RecordStore, target: RecordKind, memo: dict,
                      source_type: str, now: datetime) -> dict | None:
    """A customer refund of what is left of a credit memo, applied to it."""
    left = cents((memo.get("total") or 0.0) - (memo.get("applied") or 0.0)
                 - _settled(store, memo["internalId"], "creditMemo"))
    if left <= 0:
        return None
    record = _settlement(memo, "entity", now)
    record["applyList"] = {"apply": [{"doc": int(memo["internalId"]), "apply": True,
                                      "type": "Credit Memo", "amount": left}]}
    record["total"] = left
    return record


def _application_of_deposit(store: RecordStore, target: RecordKind, deposit: dict,
                            source_type: str, now: datetime) -> dict | None:
    """A deposit application for what is left of a customer deposit, listing the customer's
    open invoices (none applied yet: the client picks them)."""
    left = cents(_number(deposit.get("payment") or 0, "payment")
                 - _settled(store, deposit["internalId"], "customerDeposit"))
    if left <= 0:
        return None
    record = _settlement(deposit, "customer", now)
    record["deposit"] = _source_ref(deposit, source_type)
    record.update(total=left, applied=0.0, unapplied=left)
    customer = (deposit.get("customer") or {}).get("internalId")
    open_invoices = []
    for invoice in store.records("invoice"):
        if (invoice.get("entity") or {}).get("internalId") != customer:
            continue
        due = cents((invoice.get("total") or 0.0)
                    - _settled(store, invoice["internalId"], "invoice"))
        if due > 0:
            open_invoices.append({"doc": int(invoice["internalId"]), "apply": False,
                                  "type": "Invoice", "refNum": invoice.get("tranId"),
                                  "total": invoice.get("total"), "due": due})
    if open_invoices:
        record["applyList"] = {"apply": [{k: v for k, v in line.items() if v is not None}
                                         for line in open_invoices]}
    return record


_TAKEN_LINE = tuple(k for k in _LINE if k not in ("customer", "isBillable"))
_BILL_FROM_ORDER = Initializer(billing=True, line_fields=_TAKEN_LINE, link=_created_from)
_TAKE_FROM_ORDER = Initializer(billing=False, line_fields=_TAKEN_LINE, link=_created_from)
# An order from an estimate, a return or refund of a sale: the source's lines as they are.
_COPY = Initializer(billing=True, line_fields=_TAKEN_LINE, link=_created_from, whole=True)
_FROM_OPPORTUNITY = Initializer(billing=True, line_fields=_TAKEN_LINE, link=_of_opportunity,
                                whole=True)

# (target record type, source record type) -> how initialize makes the one from the other; each
# pair is one NetSuite documents (``initialize_pairs``).
INITIALIZERS: dict[tuple[str, str], Initializer] = {
    ("vendorBill", "purchaseOrder"): Initializer(billing=True, line_fields=_LINE,
                                                 link=_purchase_orders, order_doc=True,
                                                 expenses=True),
    ("itemReceipt", "purchaseOrder"): _TAKE_FROM_ORDER,
    ("invoice", "salesOrder"): _BILL_FROM_ORDER,
    ("cashSale", "salesOrder"): _BILL_FROM_ORDER,
    ("itemFulfillment", "salesOrder"): _TAKE_FROM_ORDER,
    ("purchaseOrder", "purchaseRequisition"): Initializer(
        billing=False, line_fields=_LINE, link=_created_from, make=_from_carried),
    ("vendorCredit", "vendorReturnAuthorization"): Initializer(
        billing=True, line_fields=_LINE, link=_created_from, make=_from_carried),
    # order to cash: estimates and opportunities, returns, credits, refunds, deposits
    ("salesOrder", "estimate"): _COPY,
    ("invoice", "estimate"): _COPY,
    ("cashSale", "estimate"): _COPY,
    ("estimate", "opportunity"): _FROM_OPPORTUNITY,
    ("salesOrder", "opportunity"): _FROM_OPPORTUNITY,
    ("invoice", "opportunity"): _FROM_OPPORTUNITY,
    ("cashSale", "opportunity"): _FROM_OPPORTUNITY,
    ("returnAuthorization", "salesOrder"): _COPY,
    ("returnAuthorization", "invoice"): _COPY,
    ("returnAuthorization", "cashSale"): _COPY,
    ("itemReceipt", "returnAuthorization"): _TAKE_FROM_ORDER,
    ("creditMemo", "returnAuthorization"): _BILL_FROM_ORDER,
    ("cashRefund", "returnAuthorization"): _BILL_FROM_ORDER,
    ("cashRefund", "cashSale"): _COPY,
    ("creditMemo", "invoice"): Initializer(billing=True, line_fields=_TAKEN_LINE,
                                           link=_created_from, whole=True, applies_source=True),
    ("customerRefund", "creditMemo"): Initializer(billing=False, line_fields=(),
                                                  link=_created_from, make=_refund_of_credit),
    ("depositApplication", "customerDeposit"): Initializer(
        billing=False, line_fields=(), link=_created_from, make=_application_of_deposit),
}


def initialize_from(store: RecordStore, target: RecordKind, order: dict, order_type: str,
                    now: datetime) -> dict | None:
    """A bill, invoice or cash sale for what is not billed of an order, or a receipt or
    fulfilment for what is not received or fulfilled; an order, invoice, return or refund
    with the lines of an estimate, opportunity or sale; a refund or deposit application for
    what is left of a credit or deposit. None when nothing is left.

    The result is what NetSuite's ``initialize`` returns: a record that is not saved yet, whose
    lines carry the order links an ``add`` checks.
    """
    rule = INITIALIZERS[(target.record_type, order_type)]
    if rule.copies:
        return _copied(store, target, order, RECORD_TYPES[order_type], now)
    if rule.make is not None:
        return rule.make(store, target, order, order_type, now)
    billing = rule.billing
    from_order = order_type in ORDERS and not rule.whole
    progress = order_progress(store, order["internalId"], order_type) if from_order else {}
    schema = target.schema
    record: dict = {k: order[k] for k in _HEADER if k in order and schema.field(k)}
    record["tranDate"] = account_day(now)
    order_ref = _source_ref(order, order_type)
    items = []
    for line in lines(order, "itemList"):
        if line.get("isClosed"):
            continue
        received, billed = progress.get(str(line.get("line")), (0.0, 0.0))
        left = float(line.get("quantity") or 0) - (billed if billing else received)
        if left <= 0:
            continue
        new = {k: line[k] for k in rule.line_fields if k in line}
        new["quantity"] = left
        if from_order:
            new["orderLine"] = line.get("line")
        if rule.order_doc:
            new["orderDoc"] = int(order["internalId"])
        if billing:
            if line.get("rate") is not None:
                new["rate"] = line["rate"]
            elif rule.whole and line.get("amount") is not None:
                new["amount"] = line["amount"]
        else:
            new["itemReceive"] = True
            new["quantityRemaining"] = left
        items.append(new)
    expenses = []
    if rule.expenses:
        billed_lines = billed_expense_lines(store, order["internalId"])
        for line in lines(order, "expenseList"):
            if line.get("isClosed") or str(line.get("line")) in billed_lines:
                continue
            new = {k: line[k] for k in _EXPENSE_LINE if k in line}
            new.update(orderDoc=int(order["internalId"]), orderLine=line.get("line"))
            expenses.append(new)
    if not items and not expenses:
        return None
    for sublist in (items, expenses):
        for number, line in enumerate(sublist, start=1):
            line["line"] = number
    if items:
        record["itemList"] = {"item": items}
    if expenses:
        record["expenseList"] = {"expense": expenses}
    record.update(rule.link(order_ref))
    if billing:
        compute_amounts(target, record)
        source_from_entity(store, target, record)
    if rule.applies_source:
        due = cents((order.get("total") or 0.0)
                    - _settled(store, order["internalId"], order_type))
        amount = min(due, record.get("total") or 0.0)
        if amount > 0:
            record["applyList"] = {"apply": [{"doc": int(order["internalId"]), "apply": True,
                                              "amount": amount}]}
            _apply_totals(target, record)
    return record


# -- initialize: the generic rule ----------------------------------------------------------------
# What initialize copies from any source NetSuite documents for a target (Help Center,
# "initialize / initializeList", initialize_pairs.SOURCE): from a customer, vendor or employee,
# the entity (and what a transaction sources from it: subsidiary, currency, terms); from a
# transaction, its entity, header (subsidiary, currency, department, class, location…), item
# lines and a link to it (``createdFrom``; an ``applyList`` line for the invoice, bill or credit
# memo a payment, credit or refund is made from). INFERRED: which fields; the page names the
# pairs, not the fields.
_GENERIC = Initializer(billing=True, line_fields=_LINE + ("quantity", "rate", "amount"),
                    link=_created_from, copies=True)
# Header fields of a one-item transaction (assembly build, work order) that its follow-ups take.
_ONE_ITEM = ("item", "quantity")

for _pair in INITIALIZE_PAIRS:   # the specific rules above win; every other pair is copied
    INITIALIZERS.setdefault((_pair.target, _pair.reference), _GENERIC)


def _line_type(kind: RecordKind, list_name: str) -> ComplexType | None:
    declared = kind.schema.field(list_name)
    if declared is None:
        return None
    return registry.complex(registry.complex(declared.type_ref).fields[-1].type_ref)


def _copied(store: RecordStore, target: RecordKind, source: dict, source_kind: RecordKind,
            now: datetime) -> dict:
    """The generic rule (``_GENERIC``): a new ``target`` holding what NetSuite copies from any
    source, limited to the fields the target declares."""
    schema = target.schema
    record: dict = {}
    party = party_field(target)
    source_ref = {k: v for k, v in (("internalId", source["internalId"]),
                                    ("name", record_name(source_kind, source))) if v is not None}
    if source_kind.family != "transaction":
        if party is not None:
            record[party] = source_ref
    else:
        source_party = party_field(source_kind)
        if party is not None and source_party is not None and source.get(source_party):
            record[party] = source[source_party]
        record.update({k: source[k] for k in (*_HEADER, *_ONE_ITEM)
                       if k != "entity" and k in source and schema.field(k)})
        _copy_item_lines(target, source, record)
        if schema.field("createdFrom"):
            record["createdFrom"] = source_ref
        if source_kind.record_type in APPLIED_BY and _line_type(target, "applyList"):
            record["applyList"] = {"apply": [{"doc": int(source["internalId"]), "apply": True,
                                              "amount": _due(store, source_kind, source)}]}
    if schema.field("tranDate"):
        record["tranDate"] = account_day(now)
    compute_amounts(target, record)
    source_from_entity(store, target, record)
    return record


def _copy_item_lines(target: RecordKind, source: dict, record: dict) -> None:
    line_type = _line_type(target, "itemList")
    if line_type is None:
        return
    items = []
    for line in lines(source, "itemList"):
        if line.get("isClosed"):
            continue
        new = {k: line[k] for k in _GENERIC.line_fields if k in line and line_type.field(k)}
        if line_type.field("orderLine") and line.get("line") is not None:
            new["orderLine"] = line["line"]
        if line_type.field("itemReceive"):
            new["itemReceive"] = True
        items.append(new)
    for number, line in enumerate(items, start=1):
        line["line"] = number
    if items:
        record["itemList"] = {"item": items}


def _due(store: RecordStore, kind: RecordKind, source: dict) -> float:
    """What is left to pay or apply of a transaction others settle (``APPLIED_BY``)."""
    total = source.get("total", source.get("userTotal", source.get("payment"))) or 0.0
    if kind.record_type == "creditMemo":
        return cents(source.get("unapplied", total))
    return cents(total - _settled(store, source["internalId"], kind.record_type))
