"""Accounting periods: which period a transaction posts to, and whether it may post there.

A transaction posts to the period it names (``postingPeriod``), else to the base period (neither
a year nor a quarter) whose dates hold its ``tranDate``, compared as days in the account's time
zone. A period refuses a posting transaction when it is closed (``closed`` or ``allLocked``), and
refuses the accounts-payable or accounts-receivable ones when it is locked for A/P or A/R
(``apLocked``, ``arLocked``), as NetSuite's period close checklist locks them. Non-posting
transactions (orders, estimates) are not checked: NetSuite lets them into closed periods.
"""

from __future__ import annotations

from datetime import date, datetime

from mockserver.domain.clock import ACCOUNT_TIME_ZONE
from mockserver.domain.errors import RecordError
from mockserver.domain.store import RecordStore

# The transactions an A/P or an A/R lock stops (NetSuite's "Lock A/P" and "Lock A/R" tasks).
AP_TYPES = frozenset({"vendorBill", "vendorCredit", "vendorPayment", "expenseReport"})
AR_TYPES = frozenset({"invoice", "creditMemo", "customerPayment", "cashSale"})


def day_of(moment: datetime) -> date:
    return moment.astimezone(ACCOUNT_TIME_ZONE).date() if moment.tzinfo else moment.date()


def base_periods(store: RecordStore) -> list[tuple[date, date, dict]]:
    """(first day, last day, period) of every base period (not a year or a quarter)."""
    return [(day_of(p["startDate"]), day_of(p["endDate"]), p)
            for p in store.records("accountingPeriod")
            if not (p.get("isYear") or p.get("isQuarter"))
            and isinstance(p.get("startDate"), datetime)
            and isinstance(p.get("endDate"), datetime)]


def period_of(store: RecordStore, transaction: dict,
              periods: list[tuple[date, date, dict]] | None = None) -> dict | None:
    """The accounting period ``transaction`` posts to (``periods``: ``base_periods``, when
    the caller has them already)."""
    named = transaction.get("postingPeriod")
    if isinstance(named, dict) and named.get("internalId"):
        return store.get("accountingPeriod", named["internalId"])
    if isinstance(transaction.get("tranDate"), datetime):
        day = day_of(transaction["tranDate"])
        for first, last, period in base_periods(store) if periods is None else periods:
            if first <= day <= last:
                return period
    return None


def refusal(period: dict | None, record_type: str) -> str | None:
    """Why ``period`` refuses a posting transaction of ``record_type``, or None."""
    if period is None:
        return None
    if period.get("closed") or period.get("allLocked"):
        return "closed"
    if record_type in AP_TYPES and period.get("apLocked"):
        return "A/P locked"
    if record_type in AR_TYPES and period.get("arLocked"):
        return "A/R locked"
    return None


def check_open(store: RecordStore, record_type: str, *versions: dict | None) -> None:
    """NetSuite's error when any version of a posting transaction (the one stored, the one to
    store) falls in a period that refuses it: a write may neither add to a closed period nor
    take a posting out of one."""
    for version in versions:
        if version is None:
            continue
        period = period_of(store, version)
        why = refusal(period, record_type)
        if why is not None:
            raise RecordError.of("period_closed", period=period.get("periodName") or "",
                                 why=why)
