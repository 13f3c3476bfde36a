"""Hypothesis strategies for NetSuite records and operation sequences, from the schema models.

``records(record_type, existing)`` draws a record of any modelled record type as the client
takes it (a dict with ``_ns_type``), read off ``mockserver.schema`` and
``mockserver.domain.records``: each body field of a simple type gets a value of that type
(strings, booleans, longs, doubles, date-times, Base64), each enumerated field one of the
enumeration's values, each reference a record that exists (``existing`` maps a record type to
internal ids the target holds), and every field NetSuite requires is always there. System
fields the server sets, and fields whose value the server works out itself (totals, statuses,
balances), are not generated.

``operations(existing)`` draws a sequence of operations (add, get, update, upsert, delete,
search) over records it adds itself, named by handles (``"#2"``), so the same sequence can run
against any endpoint (see ``contracts.differential``).

    from hypothesis import given
    from contracts.strategies import records
    @given(records("vendor", {"subsidiary": ["1"]}))
    def test_vendor(record): ...
"""

from __future__ import annotations

import string
from datetime import datetime, timezone
from typing import Mapping, Sequence

from hypothesis import strategies as st

from mockserver.domain.records import RECORD_TYPES, RecordKind, kind_of, reference_targets
from mockserver.domain.writes import SYSTEM_FIELDS
from mockserver.schema import registry
from mockserver.schema.model import EnumType, Field

RECORD_REF = "platformCore:RecordRef"
# Values the server works out (or ignores) whatever a client sends, and references whose target
# must satisfy rules beyond existing (an order's lines, a record's own parent).
NOT_GENERATED = frozenset({
    "total", "subTotal", "userTotal", "taxTotal", "discountTotal", "amountPaid",
    "amountRemaining", "applied", "unapplied", "balance", "unbilledOrders", "overdueBalance",
    "depositBalance", "consolBalance", "consolDepositBalance", "consolOverdueBalance",
    "consolUnbilledOrders", "status", "statusRef", "exchangeRate", "createdFrom", "parent",
    "isPerson", "entityId", "scriptId", "lastModified", "dateCreated", "nullFieldList",
    "customFieldList", "orderStatus", "approvalStatus", "nextApprover", "lastSalesDate",
    "fxRateUpdateTimezone", "quantityAvailable", "quantityOnHand", "quantityOnOrder",
    "quantityCommitted", "quantityBackOrdered", "averageCost", "lastPurchasePrice", "cost",
    "totalValue", "onHandValueMli", "currentCount", "payment", "amount", "dueDate",
    "formatSample", "isBaseCurrency",
}) | SYSTEM_FIELDS
SAFE_TEXT = string.ascii_letters + string.digits + " -_.,&'"
MAX_OPTIONAL_FIELDS = 6


def record_types() -> list[str]:
    """Every record type the mock models."""
    return sorted(RECORD_TYPES)


def upsertable_record_types() -> list[str]:
    """Record types with an externalId (``upsert`` keys on it)."""
    return [t for t in record_types()
            if any(a.name == "externalId" for a in kind_of(t).schema.attributes)]


def ns_type(qname: str) -> str:
    """A schema type as the client names it unambiguously: ``{urn:…}Vendor``."""
    prefix, _, local = qname.partition(":")
    return f"{{{registry.uri(prefix)}}}{local}"


# -- values ----------------------------------------------------------------------------------------
def text(max_size: int = 24) -> st.SearchStrategy[str]:
    return st.text(alphabet=SAFE_TEXT, min_size=1, max_size=max_size).map(str.strip).filter(bool)


def money() -> st.SearchStrategy[float]:
    return st.integers(-10**7, 10**7).map(lambda cents: cents / 100)


def moments() -> st.SearchStrategy[datetime]:
    """Whole seconds, UTC (NetSuite keeps milliseconds at most)."""
    return st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2035, 12, 31),
                        timezones=st.just(timezone.utc)).map(lambda d: d.replace(microsecond=0))


def simple_value(type_ref: str) -> st.SearchStrategy | None:
    """A strategy for an XSD simple type or a NetSuite enumeration (None for anything else)."""
    declared = registry.lookup(type_ref)
    if isinstance(declared, EnumType):
        return st.sampled_from(declared.values)
    return {"xsd:string": text(), "xsd:boolean": st.booleans(),
            "xsd:long": st.integers(0, 10**6), "xsd:int": st.integers(0, 10**6),
            "xsd:double": money(), "xsd:dateTime": moments(),
            "xsd:base64Binary": st.binary(min_size=1, max_size=48)}.get(type_ref)


def reference(targets: Sequence[str], existing: Mapping[str, Sequence[str]]
              ) -> st.SearchStrategy[dict] | None:
    """A RecordRef to a record that exists, of one of ``targets``' types."""
    choices = [(t, i) for t in targets for i in existing.get(t, ())]
    if not choices:
        return None
    return st.sampled_from(choices).map(lambda c: {"internalId": str(c[1]), "type": c[0]})


# -- records ---------------------------------------------------------------------------------------
def generated_fields(kind: RecordKind, existing: Mapping[str, Sequence[str]]
                     ) -> dict[str, st.SearchStrategy]:
    """Each body field a record of ``kind`` may be generated with, and its strategy."""
    out: dict[str, st.SearchStrategy] = {}
    for field in kind.schema.fields:
        if field.name in NOT_GENERATED or field.repeating:
            continue
        strategy = _field_strategy(kind, field, existing)
        if strategy is not None:
            out[field.name] = strategy
    return out


def _field_strategy(kind: RecordKind, field: Field, existing) -> st.SearchStrategy | None:
    if field.type_ref == RECORD_REF:
        return reference(reference_targets(kind, field.name), existing)
    return simple_value(field.type_ref)


def required_fields(kind: RecordKind) -> list[str]:
    """What NetSuite requires of a company-style record (``isPerson`` is never generated)."""
    return [r.field for r in kind.required if not r.only_if]


@st.composite
def records(draw, record_type: str, existing: Mapping[str, Sequence[str]] | None = None, *,
            optional: bool = True) -> dict:
    """A record of ``record_type`` for ``add``: every required field, some optional ones.

    Names are not made unique (Hypothesis replays and shrinks examples): give each record
    ``unique_names(record, suffix)`` before sending it where names must not collide."""
    kind = kind_of(record_type)
    if kind is None:
        raise ValueError(f"{record_type!r} is not a modelled record type")
    existing = existing or {}
    available = generated_fields(kind, existing)
    record: dict = {"_ns_type": ns_type(kind.qname)}
    for name in required_fields(kind):
        if name not in available:
            field = kind.schema.field(name)
            strategy = _field_strategy(kind, field, existing) if field else None
            if strategy is None:
                raise ValueError(f"a {record_type} needs {name}, and there is nothing to "
                                 f"generate it from (existing: {sorted(existing)})")
            available[name] = strategy
        record[name] = draw(available[name])
    if optional:
        optional_names = sorted(set(available) - set(record))
        chosen = draw(st.lists(st.sampled_from(optional_names), unique=True,
                               max_size=min(MAX_OPTIONAL_FIELDS, len(optional_names)))
                      if optional_names else st.just([]))
        for name in sorted(chosen, key=[f.name for f in kind.schema.fields].index):
            record[name] = draw(available[name])
    return record


def unique_names(record: dict, suffix: str) -> dict:
    """A copy of ``record`` whose name fields (and externalId) end with ``suffix``, so that it
    does not collide with NetSuite's unique names (entity ids, item names, script ids)."""
    kind = kind_for_ns_type(record.get("_ns_type", ""))
    out = dict(record)
    for name in (_name_fields(kind) if kind else []) + ["externalId"]:
        if isinstance(out.get(name), str):
            out[name] = f"{out[name]} {suffix}".strip() if name != "externalId" \
                else f"{out[name]}-{suffix}"
    return out


def kind_for_ns_type(name: str) -> RecordKind | None:
    """The record kind of a ``{uri}Name`` (or ``prefix:Name``) type name."""
    if name.startswith("{"):
        uri, _, local = name[1:].partition("}")
        namespace = registry.by_uri.get(uri)
        name = f"{namespace.prefix}:{local}" if namespace else name
    return next((k for k in RECORD_TYPES.values() if k.qname == name), None)


def _name_fields(kind: RecordKind) -> list[str]:
    names = [r.field for r in kind.required if kind.schema.field(r.field) is not None
             and kind.schema.field(r.field).type_ref == "xsd:string"]
    if kind.unique_name and kind.unique_name not in names:
        names.append(kind.unique_name)
    return names


# -- operation sequences ---------------------------------------------------------------------------
OPERATIONS = ("add", "get", "update", "upsert", "delete", "search")


@st.composite
def operations(draw, existing: Mapping[str, Sequence[str]], *,
               record_types: Sequence[str] = ("vendor", "customer", "department"),
               max_size: int = 12) -> list[dict]:
    """A sequence of steps; each names the record it works on by handle (``#n``: the n-th
    record the sequence added), or by its externalId for upserts."""
    steps: list[dict] = []
    live: dict[str, str] = {}            # handle -> record type
    upserted: set[str] = set()           # handles with an externalId
    added = 0
    for _ in range(draw(st.integers(1, max_size))):
        choices = ["add", "upsert"] + (["get", "update", "delete", "search"] if live else [])
        operation = draw(st.sampled_from(choices))
        if operation in ("add", "upsert"):
            record_type = draw(st.sampled_from(record_types))
            if record_type not in upsertable_record_types():
                operation = "add"
            record = draw(records(record_type, existing, optional=False))
            added += 1
            handle = f"#{added}"
            if operation == "upsert":
                reused = [h for h in upserted if live.get(h) == record_type]
                if reused and draw(st.booleans()):   # upsert an existing one again
                    handle = draw(st.sampled_from(reused))
                record["externalId"] = f"ext{handle[1:]}"
                upserted.add(handle)
            steps.append({"op": operation, "type": record_type, "handle": handle,
                          "record": record})
            live[handle] = record_type
            continue
        handle = draw(st.sampled_from(sorted(live)))
        record_type = live[handle]
        if operation == "update":
            kind = kind_of(record_type)
            available = {k: v for k, v in generated_fields(kind, existing).items()
                         if k not in _name_fields(kind) and kind.schema.field(k).type_ref
                         != RECORD_REF}
            if not available:
                operation = "get"
            else:
                name = draw(st.sampled_from(sorted(available)))
                steps.append({"op": "update", "type": record_type, "handle": handle,
                              "record": {"_ns_type": ns_type(kind.qname),
                                         name: draw(available[name])}})
                continue
        if operation == "delete":
            del live[handle]
        steps.append({"op": operation, "type": record_type, "handle": handle})
    return steps
