"""The record store of one account: thread-safe, in memory, with NetSuite-like internal ids.

Stored records are never mutated in place: a write builds a new dict and swaps it in under the
lock, so a reader holding a record (a response being rendered) always sees one consistent
version. Compound operations (upsert's look-up-then-write) hold ``lock`` across both steps.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Iterator

from mockserver.domain.indexes import RecordIndex
from mockserver.domain.records import RECORD_TYPES

# Where each id sequence starts, so ids look like a small real account's (vendors in the 100s,
# transactions in the 1000s) and never collide within a family, as in NetSuite.
SEQUENCE_START = {"entity": 100, "item": 200, "transaction": 1000, "account": 50}


@dataclass(frozen=True)
class DeletedRecord:
    record_type: str
    internal_id: str
    external_id: str | None
    name: str | None
    deleted_at: datetime


class RecordStore:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._records: dict[str, dict[str, dict]] = {}
        self._external: dict[tuple[str, str], str] = {}
        self._last_id: dict[str, int] = {}
        self._deleted: list[DeletedRecord] = []
        # Search indexes, maintained under the lock by put/remove/clear.
        self.index = RecordIndex(k.record_type for k in RECORD_TYPES.values()
                                 if k.family == "transaction")

    # -- reads ---------------------------------------------------------------------------
    def get(self, record_type: str, internal_id: str) -> dict | None:
        return self._records.get(record_type, {}).get(internal_id)

    def get_by_external_id(self, record_type: str, external_id: str) -> dict | None:
        internal_id = self._external.get((record_type, external_id))
        return None if internal_id is None else self.get(record_type, internal_id)

    def find(self, record_type: str, internal_id: str | None = None,
             external_id: str | None = None) -> dict | None:
        """By internalId when given, else by externalId (NetSuite's precedence)."""
        if internal_id is not None:
            return self.get(record_type, internal_id)
        if external_id is not None:
            return self.get_by_external_id(record_type, external_id)
        return None

    def records(self, record_type: str) -> list[dict]:
        with self.lock:
            return list(self._records.get(record_type, {}).values())

    def record_types(self) -> list[str]:
        return [t for t, recs in self._records.items() if recs]

    def count(self, record_type: str | None = None) -> int:
        if record_type is not None:
            return len(self._records.get(record_type, {}))
        return sum(len(r) for r in self._records.values())

    def deleted(self) -> list[DeletedRecord]:
        with self.lock:
            return list(self._deleted)

    def __iter__(self) -> Iterator[tuple[str, dict]]:
        with self.lock:
            items = [(t, r) for t, recs in self._records.items() for r in recs.values()]
        return iter(items)

    # -- writes --------------------------------------------------------------------------
    def next_id(self, family: str) -> str:
        with self.lock:
            last = self._last_id.get(family, SEQUENCE_START.get(family, 1) - 1)
            self._last_id[family] = last + 1
            return str(last + 1)

    def reserve_id(self, family: str, internal_id: str) -> None:
        """Note an explicitly chosen id (seed data) so the sequence continues after it."""
        if internal_id.isdigit():
            with self.lock:
                last = self._last_id.get(family, SEQUENCE_START.get(family, 1) - 1)
                self._last_id[family] = max(last, int(internal_id))

    def put(self, record_type: str, record: dict) -> None:
        """Insert or replace the record with ``record["internalId"]``."""
        internal_id = record["internalId"]
        with self.lock:
            table = self._records.setdefault(record_type, {})
            previous = table.get(internal_id)
            if previous is not None and previous.get("externalId") != record.get("externalId"):
                self._external.pop((record_type, previous.get("externalId")), None)
            table[internal_id] = record
            self.index.put(record_type, previous, record)
            if record.get("externalId") is not None:
                self._external[(record_type, record["externalId"])] = internal_id

    def remove(self, record_type: str, internal_id: str, *, name: str | None,
               at: datetime) -> dict | None:
        with self.lock:
            record = self._records.get(record_type, {}).pop(internal_id, None)
            if record is None:
                return None
            if record.get("externalId") is not None:
                self._external.pop((record_type, record["externalId"]), None)
            self.index.remove(record_type, record)
            self._deleted.append(DeletedRecord(record_type, internal_id,
                                               record.get("externalId"), name, at))
            return record

    def clear(self) -> None:
        with self.lock:
            self._records.clear()
            self._external.clear()
            self._last_id.clear()
            self._deleted.clear()
            self.index.clear()

    # -- whole-store state (snapshots) ---------------------------------------------------------
    def state(self) -> dict:
        with self.lock:
            return {"records": {t: list(recs.values()) for t, recs in self._records.items()
                                if recs},
                    "deleted": [d.__dict__ for d in self._deleted],
                    "sequences": dict(self._last_id)}

    def restore(self, state: dict) -> None:
        """Replace everything with ``state`` (as ``state()`` returns it)."""
        with self.lock:
            records = {t: {r["internalId"]: r for r in recs}
                       for t, recs in state["records"].items()}
            deleted = [DeletedRecord(**d) for d in state["deleted"]]
            sequences = {f: int(n) for f, n in state["sequences"].items()}
            self._records = records
            self._external = {(t, r["externalId"]): i for t, recs in records.items()
                              for i, r in recs.items() if r.get("externalId") is not None}
            self._deleted = deleted
            self._last_id = sequences
            self.index.clear()
            for record_type, table in records.items():
                for record in table.values():
                    self.index.put(record_type, None, record)
