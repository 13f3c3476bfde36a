"""What ``attach`` and ``detach`` keep: a contact attached to an entity (with its role), a file
or another record attached to a record.

NetSuite shows attachments on a record's subtabs, which its SOAP records do not carry; the mock
keeps them per account, in memory, and lists them at ``GET /__admin/attachments``. It checks
what NetSuite would have to: both records exist, a contact goes to an entity. Attaching what is
attached already changes nothing, and detaching what is not attached is no error (both
INFERRED); an attachment whose record has been deleted is gone.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Attachment:
    to_type: str
    to_id: str
    record_type: str
    record_id: str
    role: str | None = None       # a contact's role (its internalId), as sent


class Attachments:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._links: dict[tuple, Attachment] = {}

    def attach(self, link: Attachment) -> None:
        with self._lock:
            self._links[link.to_type, link.to_id, link.record_type, link.record_id] = link

    def detach(self, to_type: str, to_id: str, record_type: str, record_id: str) -> None:
        with self._lock:
            self._links.pop((to_type, to_id, record_type, record_id), None)

    def listed(self, store) -> list[dict]:
        """Every attachment whose two records still exist."""
        with self._lock:
            links = list(self._links.values())
        return [asdict(link) for link in links
                if store.get(link.to_type, link.to_id) is not None
                and store.get(link.record_type, link.record_id) is not None]

    def clear(self) -> None:
        with self._lock:
            self._links.clear()
