"""The mock's notion of "now", which tests can move.

TokenPassport timestamps, search-id expiry and record dates all read this clock, so a test can
expire a search id or age a nonce without sleeping.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

# NetSuite writes dates in the account's time zone, and date searches ("on", "today") count days
# there; the mock's accounts are in Pacific time.
ACCOUNT_TIME_ZONE = ZoneInfo("America/Los_Angeles")


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
        with self._lock:
            self._offset += seconds

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._offset = moment.timestamp() - time.time()

    def reset(self) -> None:
        with self._lock:
            self._offset = 0.0

    @property
    def offset(self) -> timedelta:
        return timedelta(seconds=self._offset)
