"""NetSuite's relative dates (``predefinedSearchValue``: today, lastMonth, …) as time ranges.

A relative date is a range of whole days ``[start, end)`` in the account's time zone, computed
from the mock's clock (so a test that moves the clock moves "today"). Weeks start on Sunday and
the fiscal year is the calendar year, NetSuite's defaults for a US account. Values the mock does
not compute (rolling and same-period-last-year variants) are refused by name, never guessed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from mockserver.domain.clock import ACCOUNT_TIME_ZONE, account_midnight

NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "ten": 10, "thirty": 30, "sixty": 60,
           "ninety": 90}
UNITS = {"Day": "day", "Week": "week", "BusinessWeek": "businessWeek", "Month": "month",
         "Quarter": "quarter", "FiscalQuarter": "quarter", "Half": "half", "FiscalHalf": "half",
         "Year": "year", "FiscalYear": "year"}
STEPS = {"This": 0, "this": 0, "Last": -1, "last": -1, "Next": 1, "next": 1, "BeforeLast": -2,
         "AfterNext": 2}
_UNIT = "|".join(sorted(UNITS, key=len, reverse=True))


def day_start(day: date) -> datetime:
    """Midnight of a calendar day in the account's time zone."""
    return account_midnight(day)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period(unit: str, today: date, step: int = 0) -> tuple[date, date]:
    """The ``[first day, day after last)`` of the unit containing ``today``, moved ``step`` units."""
    if unit == "day":
        start = today + timedelta(days=step)
        return start, start + timedelta(days=1)
    if unit in ("week", "businessWeek"):
        sunday = today - timedelta(days=(today.weekday() + 1) % 7) + timedelta(weeks=step)
        if unit == "businessWeek":
            return sunday + timedelta(days=1), sunday + timedelta(days=6)
        return sunday, sunday + timedelta(days=7)
    months = {"month": 1, "quarter": 3, "half": 6, "year": 12}[unit]
    first = date(today.year, (today.month - 1) // months * months + 1, 1)
    start = _add_months(first, step * months)
    return start, _add_months(start, months)


def _days(name: str, today: date) -> tuple[date, date] | None:
    if name == "today":
        return period("day", today)
    if name == "yesterday":
        return period("day", today, -1)
    if name == "tomorrow":
        return period("day", today, 1)
    match = re.fullmatch(r"(two|three|four|five|ten|thirty|sixty|ninety)Days(Ago|FromNow)", name)
    if match:
        n = NUMBERS[match.group(1)]
        return period("day", today, -n if match.group(2) == "Ago" else n)
    return None


def _periods(name: str, today: date) -> tuple[date, date] | None:
    # thisMonth, lastFiscalQuarter, nextWeek, weekBeforeLast, fiscalYearBeforeLast, …ToDate
    match = re.fullmatch(rf"(this|last|next)({_UNIT})(ToDate)?", name)
    if match:
        step, unit, to_date = STEPS[match.group(1)], UNITS[match.group(2)], match.group(3)
    else:
        match = re.fullmatch(r"(week|month|fiscalQuarter|fiscalHalf|fiscalYear|oneYear)"
                             r"(BeforeLast|AfterNext)(ToDate)?", name)
        if not match:
            return None
        unit = "year" if match.group(1) == "oneYear" else UNITS[match.group(1)[0].upper()
                                                                 + match.group(1)[1:]]
        step, to_date = STEPS[match.group(2)], match.group(3)
    start, end = period(unit, today, step)
    if to_date:  # from the period's start to the same point of it that today is of this one
        elapsed = today - period(unit, today)[0]
        end = min(end, start + elapsed + timedelta(days=1))
    return start, end


def _starts(name: str, today: date) -> tuple[date, date] | None:
    # startOfThisMonth, startOfLastFiscalYear, startOfWeekBeforeLast, startOfNextBusinessWeek
    match = (re.fullmatch(rf"startOf(This|Last|Next)({_UNIT})", name)
             or re.fullmatch(r"startOf(Week|Month)(BeforeLast)", name))
    if not match:
        return None
    if match.group(1) in ("This", "Last", "Next"):
        step, unit = STEPS[match.group(1)], UNITS[match.group(2)]
    else:
        step, unit = STEPS[match.group(2)], UNITS[match.group(1)]
    start = period(unit, today, step)[0]
    return start, start + timedelta(days=1)


def _windows(name: str, today: date) -> tuple[date, date] | None:
    # previousOneWeek: the unit that ended yesterday; nextOneMonth: the unit from tomorrow
    match = re.fullmatch(r"(previous|next)One(Day|Week|Month|Quarter|Half|Year)", name)
    if match:
        unit = UNITS[match.group(2)]
        if unit == "day":
            return period("day", today, -1 if match.group(1) == "previous" else 1)
        months = {"month": 1, "quarter": 3, "half": 6, "year": 12}.get(unit)
        if match.group(1) == "previous":
            end = today
            start = (end - timedelta(weeks=1) if unit == "week"
                     else _shift_day(end, -months))
            return start, end
        start = today + timedelta(days=1)
        return start, (start + timedelta(weeks=1) if unit == "week" else _shift_day(start, months))
    if name == "nextFourWeeks":
        start = period("week", today, 1)[0]
        return start, start + timedelta(weeks=4)
    if name == "fourWeeksStartingThisWeek":
        start = period("week", today)[0]
        return start, start + timedelta(weeks=4)
    return None


def _shift_day(day: date, months: int) -> date:
    first = _add_months(date(day.year, day.month, 1), months)
    last_day = (_add_months(first, 1) - timedelta(days=1)).day
    return first.replace(day=min(day.day, last_day))


def predefined_range(name: str, now: datetime) -> tuple[datetime, datetime] | None:
    """``[start, end)`` of a SearchDate value at ``now``, or None if the mock does not compute it."""
    today = now.astimezone(ACCOUNT_TIME_ZONE).date()
    for rule in (_days, _periods, _starts, _windows):
        days = rule(name, today)
        if days is not None:
            return day_start(days[0]), day_start(days[1])
    return None


def day_range(moment: datetime) -> tuple[datetime, datetime]:
    """The account-time-zone day holding ``moment``."""
    day = moment.astimezone(ACCOUNT_TIME_ZONE).date()
    return day_start(day), day_start(day + timedelta(days=1))
