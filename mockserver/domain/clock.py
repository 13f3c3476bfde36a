"""The mock's notion of "now", which tests can move.

TokenPassport timestamps, search-id expiry and record dates all read this clock, so a test can
expire a search id or age a nonce without sleeping.
"""

from __future__ import annotations

import threading
import time
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

# NetSuite keeps a date as midnight in the account's time zone and writes every date-time in it;
# date searches ("on", "today") count days there. The mock's accounts are in Pacific time.
ACCOUNT_TIME_ZONE = ZoneInfo("America/Los_Angeles")


def account_midnight(day: date) -> datetime:
    """Midnight of a calendar day in the account's time zone."""
    return datetime(day.year, day.month, day.day, tzinfo=ACCOUNT_TIME_ZONE)


def account_day(moment: datetime, plus_days: int = 0) -> datetime:
    """Midnight of ``moment``'s day in the account's time zone, ``plus_days`` later (calendar
    days, so a due date stays at midnight across a daylight-saving change)."""
    return account_midnight(moment.astimezone(ACCOUNT_TIME_ZONE).date() + timedelta(days=plus_days))


class Clock:
    """Wall-clock time plus an adjustable offset (seconds)."""

    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def time(self) -> float:
        return time.time() + self._offset

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.time(), tz=timezone.utc)

    def advance(self, seconds: float) -> None:
        """Move the clock; ValueError (and no move) if it would leave what a date-time can
        hold: every request reads the clock, so such a clock would fail them all."""
        with self._lock:
            offset = self._offset + seconds
            try:
                datetime.fromtimestamp(time.time() + offset, tz=timezone.utc)
            except (OverflowError, OSError, ValueError):
                raise ValueError(f"the clock cannot move {seconds!r} seconds: that is past "
                                 f"the dates it can show") from None
            self._offset = offset

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._offset = moment.timestamp() - time.time()

    def reset(self) -> None:
        with self._lock:
            self._offset = 0.0

    @property
    def offset(self) -> timedelta:
        return timedelta(seconds=self._offset)
