"""Differential testing: one generated sequence of operations, two endpoints, same outcomes?

``run(endpoint, steps)`` executes a sequence from ``contracts.strategies.operations`` through
the client and returns one normalised outcome per step: success or the error's code and
message, the fields of a read record that the sequence itself wrote, and which of the
sequence's records a search found. Internal ids never appear: each endpoint assigns its own,
so records are named by the sequence's handles (``#2``). ``differential(a, b, steps)`` runs
both and lists the steps whose outcomes differ.

    from hypothesis import given
    @given(operations(existing))
    def test_same(steps):
        assert differential(mock, sandbox, steps) == []
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

from client.errors import NetSuiteError, RecordError
from client.objects import to_json
from contracts.endpoints import Endpoint
from contracts.strategies import ns_type, unique_names
from mockserver.domain.records import kind_of
from mockserver.schema import registry


@dataclass
class Divergence:
    step: int
    operation: str
    a: dict
    b: dict

    def __str__(self) -> str:
        return (f"step {self.step} ({self.operation}):\n"
                f"  a: {json.dumps(self.a, sort_keys=True, default=str)}\n"
                f"  b: {json.dumps(self.b, sort_keys=True, default=str)}")


class _Run:
    def __init__(self, client, tag: str):
        self.client = client
        self.tag = tag
        self.ids: dict[str, str] = {}        # handle -> internalId
        self.written: dict[str, dict] = {}   # handle -> fields the sequence wrote

    def step(self, step: dict) -> dict:
        operation, handle = step["op"], step["handle"]
        try:
            if operation in ("add", "upsert", "update"):
                return self._write(operation, handle, step["type"], dict(step["record"]))
            if operation == "get":
                return self._get(handle, step["type"])
            if operation == "delete":
                return self._delete(handle, step["type"])
            if operation == "search":
                return self._search(handle, step["type"])
        except RecordError as error:
            return {"ok": False, "code": error.code, "message": error.message}
        except NetSuiteError as error:
            return {"fault": error.code, "message": error.message}
        raise ValueError(f"unknown operation {operation!r}")

    def _ref(self, handle: str, record_type: str) -> dict:
        return {"_ns_type": "RecordRef", "type": record_type,
                "internalId": self.ids.get(handle, "0")}

    def _write(self, operation: str, handle: str, record_type: str, record: dict) -> dict:
        if operation == "update":
            record["internalId"] = self.ids.get(handle, "0")
        else:  # names unique per handle, and per run when a tag is given
            record = unique_names(record, f"{handle}{self.tag}")
        written = self.client.call(operation, record, as_json=True)
        internal_id = (written.get("baseRef") or {}).get("internalId")
        if internal_id:
            self.ids[handle] = internal_id
        self.written.setdefault(handle, {}).update(
            {k: v for k, v in record.items() if not k.startswith("_") and k != "internalId"})
        return {"ok": True}

    def _get(self, handle: str, record_type: str) -> dict:
        read = self.client.call("get", self._ref(handle, record_type), as_json=True)
        record = read.get("record") or {}
        sent = self.written.get(handle, {})
        return {"ok": True, "fields": {k: comparable(record.get(k)) for k in sorted(sent)}}

    def _delete(self, handle: str, record_type: str) -> dict:
        self.client.call("delete", self._ref(handle, record_type), as_json=True)
        return {"ok": True}

    def _search(self, handle: str, record_type: str) -> dict:
        name = kind_of(record_type).qname.partition(":")[2]
        search_type = f"platformCommon:{name}SearchBasic"
        if search_type not in registry.types:
            return self._get(handle, record_type)
        ids = [i for i in self.ids.values()]
        criteria = {"_ns_type": ns_type(search_type),
                    "internalId": {"operator": "anyOf",
                                   "searchValue": [{"internalId": i} for i in ids]}}
        result = self.client.call("search", criteria, as_json=True)
        found = [r.get("internalId") for r in (result.get("recordList") or {}).get("record", [])]
        by_id = {v: k for k, v in self.ids.items()}
        return {"ok": True, "totalRecords": result.get("totalRecords"),
                "found": sorted(by_id.get(i, "?") for i in found)}


def comparable(value):
    """A JSON value with references named by id only and date-times as UTC instants."""
    if isinstance(value, dict):
        if "internalId" in value and set(value) <= {"internalId", "externalId", "type", "name",
                                                    "_ns_type"}:
            return {"internalId": value["internalId"]}
        return {k: comparable(v) for k, v in value.items() if k != "_ns_type"}
    if isinstance(value, list):
        return [comparable(v) for v in value]
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        try:
            return datetime.fromisoformat(value).astimezone(timezone.utc).isoformat()
        except ValueError:
            return value
    if isinstance(value, bytes):
        return to_json(value)
    return value


def run(client_or_endpoint, steps: list[dict], *, tag: str = "") -> list[dict]:
    """The normalised outcome of each step, run in order. ``tag`` is added to names and
    externalIds, for endpoints that keep what earlier runs wrote (a sandbox)."""
    client = client_or_endpoint.client() if isinstance(client_or_endpoint, Endpoint) \
        else client_or_endpoint
    state = _Run(client, tag)
    return [state.step(step) for step in steps]


def differential(a, b, steps: list[dict], *, tag: str = "") -> list[Divergence]:
    """The steps whose outcomes differ between ``a`` and ``b`` (clients or endpoints)."""
    first, second = run(a, steps, tag=tag), run(b, steps, tag=tag)
    return [Divergence(i, step["op"], x, y)
            for i, (step, x, y) in enumerate(zip(steps, first, second), start=1) if x != y]
