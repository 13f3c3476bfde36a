"""Search ids: what ``searchMoreWithId`` needs to re-run a search for another page.

A search id is the ``nsId`` of the search's response. NetSuite forgets one that has not been
used for 15 minutes (``INVALID_JOB_ID`` after that); the mock measures from the last use, by its
own clock, so a test can expire an id by moving the clock. Each page re-runs the search, as
NetSuite does; the result list of the last run is kept with the store version it was computed
at, and reused only while nothing in the store has changed (which gives the same answer).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

EXPIRY_SECONDS = 15 * 60
MAX_CACHED_RESULTS = 8  # sessions that keep their last result list (the most recently used)


@dataclass
class SearchSession:
    search_id: str
    search_record: dict        # the searchRecord as the client sent it (decoded)
    page_size: int
    body_fields_only: bool
    last_used: float
    cached: tuple[tuple, list] | None = field(default=None, repr=False)


class SearchSessions:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sessions: dict[str, SearchSession] = {}

    def open(self, session: SearchSession) -> None:
        with self._lock:
            self._forget_expired(session.last_used)
            self._sessions[session.search_id] = session

    def use(self, search_id: str, now: float) -> SearchSession | None:
        """The live session for ``search_id`` (its clock restarted), or None."""
        with self._lock:
            self._forget_expired(now)
            session = self._sessions.get(search_id)
            if session is not None:
                session.last_used = now
            return session

    def remember(self, session: SearchSession, key: tuple, results: list) -> None:
        with self._lock:
            session.cached = (key, results)
            cached = sorted((s for s in self._sessions.values() if s.cached is not None),
                            key=lambda s: s.last_used, reverse=True)
            for old in cached[MAX_CACHED_RESULTS:]:
                old.cached = None

    def clear(self) -> None:
        with self._lock:
            self._sessions.clear()

    def _forget_expired(self, now: float) -> None:
        expired = [k for k, s in self._sessions.items() if now - s.last_used > EXPIRY_SECONDS]
        for key in expired:
            del self._sessions[key]

    def __len__(self) -> int:
        return len(self._sessions)
