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


class SharedValue(dict):
    """A small all-scalar dict (a reference such as ``{"internalId": "1", "name": "Parent"}``)
    that the store keeps once for all the records holding an equal one: a million bills that
    name the same subsidiary, currency and vendors hold the same few dicts, not a million
    each. Shared, so it refuses changes; copy it (``dict(value)``) to change it."""

    __slots__ = ()

    def _refuse(self, *args, **kwargs):
        raise TypeError("a stored reference is shared between records: copy it to change it")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse
    __ior__ = _refuse

    def __reduce__(self):
        return dict, (dict(self),)

    def __copy__(self):
        return dict(self)

    def __deepcopy__(self, memo):
        return dict(self)


_SCALARS = (str, int, float, bool, type(None))
_MAX_SHARED_KEYS = 4


class _Sharing:
    """The table of shared values; ``share`` swaps equal small dicts in a record for one copy."""

    def __init__(self) -> None:
        self._values: dict[tuple, SharedValue] = {}

    def share(self, value):
        if type(value) is dict:
            if len(value) <= _MAX_SHARED_KEYS and all(
                    type(v) in _SCALARS for v in value.values()):
                key = tuple(value.items())
                try:
                    return self._values.setdefault(key, SharedValue(value))
                except TypeError:  # an unhashable scalar subclass: keep the dict as it is
                    return value
            for name, item in value.items():
                if type(item) in (dict, list):
                    shared = self.share(item)
                    if shared is not item:
                        value[name] = shared
            return value
        if type(value) is list:
            for index, item in enumerate(value):
                if type(item) in (dict, list):
                    shared = self.share(item)
                    if shared is not item:
                        value[index] = shared
        return value

    def clear(self) -> None:
        self._values.clear()


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
        # externalId -> internalId, per record type (a key tuple per record would cost 56 bytes)
        self._external: dict[str, dict[str, str]] = {}
        self._last_id: dict[str, int] = {}
        self._deleted: list[DeletedRecord] = []
        self._sharing = _Sharing()
        # Search indexes, maintained under the lock by put/remove/clear.
        self.index = RecordIndex(k.record_type for k in RECORD_TYPES.values()
                                 if k.family == "transaction")

    # -- reads ---------------------------------------------------------------------------
    def get(self, record_type: str, internal_id: str) -> dict | None:
        return self._records.get(record_type, {}).get(internal_id)

    def get_by_external_id(self, record_type: str, external_id: str) -> dict | None:
        internal_id = self._external.get(record_type, {}).get(external_id)
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

    def applying(self, internal_id: str, *record_types: str) -> list[dict]:
        """The records of ``record_types`` that apply to transaction ``internal_id`` (by their
        ``createdFrom``, a line's ``orderDoc`` or an applied ``doc``), in id order, from the
        link index: reading an order or a bill does not walk every receipt, bill and payment
        (and costs one dict look-up when nothing applies to it, as for most)."""
        if internal_id not in self.index.applied_by:
            return []
        with self.lock:
            return [record for source_type, source_id in self.index.applying(internal_id)
                    if source_type in record_types
                    and (record := self._records.get(source_type, {}).get(source_id))
                    is not None]

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
        """Insert or replace the record with ``record["internalId"]``.

        The record is the store's from now on: its small references are swapped for shared
        equal ones (``SharedValue``), which is why stored records are never changed in place."""
        internal_id = record["internalId"]
        with self.lock:
            self._share_fields(record)
            table = self._records.setdefault(record_type, {})
            previous = table.get(internal_id)
            if previous is not None and previous.get("externalId") != record.get("externalId"):
                self._external.get(record_type, {}).pop(previous.get("externalId"), None)
            table[internal_id] = record
            self.index.put(record_type, previous, record)
            if record.get("externalId") is not None:
                self._external.setdefault(record_type, {})[record["externalId"]] = internal_id

    def _share_fields(self, record: dict) -> None:
        for name, value in record.items():
            if type(value) in (dict, list):
                shared = self._sharing.share(value)
                if shared is not value:
                    record[name] = shared

    def remove(self, record_type: str, internal_id: str, *, name: str | None,
               at: datetime) -> dict | None:
        with self.lock:
            record = self._records.get(record_type, {}).pop(internal_id, None)
            if record is None:
                return None
            if record.get("externalId") is not None:
                self._external.get(record_type, {}).pop(record["externalId"], None)
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
            self._external = {t: {r["externalId"]: i for i, r in recs.items()
                                  if r.get("externalId") is not None}
                              for t, recs in records.items()}
            self._deleted = deleted
            self._last_id = sequences
            self.index.clear()
            for record_type, table in records.items():
                for record in table.values():
                    self._share_fields(record)
                    self.index.put(record_type, None, record)
