"""Loading records from a seed file: the built-in demo data set or the user's own JSON.

A seed is ``{"records": [{"recordType": "vendor", "internalId": "101", "companyName": …}, …]}``.
Records go through the same checks as an ``add`` (references, required fields, duplicates), in
file order, so a record may refer to an earlier one by ``internalId`` or by ``externalId``
(``"subsidiary": {"externalId": "SUB-US"}``). ``internalId`` is optional; without it the record
gets the next id of its family.
"""

from __future__ import annotations

import json
from datetime import datetime
from importlib import resources
from pathlib import Path

from mockserver.domain.errors import RecordError
from mockserver.domain.records import kind_of
from mockserver.domain.store import RecordStore
from mockserver.domain.values import ValueProblem, from_json
from mockserver.domain.writes import RecordWriter

BUILTIN_SEEDS = ("demo",)


class SeedError(ValueError):
    """A seed file the user has to fix; the message names the record and the problem."""


def builtin_seed(name: str) -> dict:
    text = resources.files("mockserver.seeds").joinpath(f"{name}.json").read_text("utf-8")
    return json.loads(text)


def read_seed(source: str) -> dict | None:
    """``demo`` (built in), ``none``, or a path to a JSON file."""
    if not isinstance(source, str):
        raise SeedError(f"a seed is demo, none or the path of a JSON file, not {source!r}")
    if source == "none":
        return None
    if source in BUILTIN_SEEDS:
        return builtin_seed(source)
    path = Path(source)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SeedError(f"seed file {path} does not exist (use --seed demo, --seed none "
                        f"or a path to a JSON file)") from None
    except json.JSONDecodeError as error:
        raise SeedError(f"{path}: invalid JSON at line {error.lineno}, column {error.colno}: "
                        f"{error.msg}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise SeedError(f"{path}: cannot read ({error})") from None
    return data


def load_seed(store: RecordStore, data: dict, now: datetime, *, source: str = "seed") -> int:
    """Add every record of ``data`` to ``store``; returns how many were added."""
    if not isinstance(data, dict) or not isinstance(data.get("records"), list):
        raise SeedError(f"{source}: expected an object with a \"records\" list")
    writer = RecordWriter(store)
    for index, raw in enumerate(data["records"]):
        where = f"{source}: records[{index}]"
        if not isinstance(raw, dict):
            raise SeedError(f"{where}: expected an object, got {raw!r}")
        record_type = raw.get("recordType")
        kind = kind_of(record_type) if isinstance(record_type, str) else None
        if kind is None:
            raise SeedError(f"{where}: unknown or missing recordType {record_type!r}")
        fields = {k: v for k, v in raw.items() if k not in ("recordType", "internalId")}
        try:
            record = from_json(fields, kind.qname, record_type)
        except ValueProblem as problem:
            raise SeedError(f"{where}: {problem}") from None
        internal_id = raw.get("internalId")
        if internal_id is not None and store.get(kind.record_type, str(internal_id)):
            raise SeedError(f"{where}: internalId {internal_id} is already used by another "
                            f"{record_type}")
        try:
            with store.lock:
                stored = writer.for_add(kind, record, now, internal_id=None if internal_id is None
                                        else str(internal_id))
                store.put(kind.record_type, stored)
        except RecordError as error:
            raise SeedError(f"{where} ({record_type}): {error.code}: {error.message}") from None
    return len(data["records"])
