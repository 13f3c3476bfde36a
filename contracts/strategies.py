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

from mockserver.domain import custom_fields
from mockserver.domain.activities import SET_BY_RULE
from mockserver.domain.records import (READ_ONLY_FIELDS, RECORD_TYPES, REFERENCE_TARGETS,
                                       RecordKind, kind_of, reference_targets)
from mockserver.domain.stock import ASSEMBLY_ITEMS, BUILDS, TRANSFERS
from mockserver.domain.transactions import (LINE_LISTS, LINE_SET, SOURCED, TAKEN_FROM, TOTALS,
                                            cents, computed_fields)
from mockserver.domain.writes import SYSTEM_FIELDS
from mockserver.schema import registry
from mockserver.schema.model import ComplexType, EnumType, Field

RECORD_REF = "platformCore:RecordRef"
ADDRESS = "platformCommon:Address"
# What a strategy leaves out although a client may send it: references whose target must
# satisfy rules beyond existing (the order a record is created from, a record's own parent),
# names the server derives (entityId from companyName, script ids), statuses and approvals
# that follow workflows, and lists with rules of their own.
CONSTRAINED = frozenset({
    "createdFrom", "parent", "isPerson", "entityId", "scriptId", "nullFieldList",
    "customFieldList", "status", "orderStatus", "approvalStatus", "nextApprover", "payment",
    "amount", "cost", "fxRateUpdateTimezone", "purchaseOrderList",
})
# Values sourced from the entity, currency or terms when the client sends none (not references:
# those are generated, or sourced).
SOURCED_VALUES = frozenset(name for name in SOURCED if name not in REFERENCE_TARGETS)
# Line fields that link to another transaction's lines (a bill's order lines, a payment's
# invoices): left out, as are the lines of a record whose lines come from another
# (a receipt's are its order's).
LINE_LINKS = frozenset({"orderDoc", "orderLine", "doc", "apply", "isClosed"})
LINES_FROM_ANOTHER = tuple(TAKEN_FROM)   # receipts and fulfilments
# The CustomFieldRef types a strategy fills (selects need a custom list's values).
CUSTOM_VALUES = {"platformCore:StringCustomFieldRef": "text",
                 "platformCore:BooleanCustomFieldRef": "boolean",
                 "platformCore:DoubleCustomFieldRef": "double",
                 "platformCore:LongCustomFieldRef": "long",
                 "platformCore:DateCustomFieldRef": "date"}
MAX_LINES = 3


# The entity a record takes from the record it applies, which must then be the same one (a
# deposit application's customer is its deposit's): left out, per record type.
LINKED_ENTITY = {"depositApplication": frozenset({"customer"})}


def not_generated(kind: RecordKind) -> frozenset[str]:
    """Body fields a record of ``kind`` is never generated with: what NetSuite sets itself
    (``mockserver.domain``'s system, read-only, computed and sourced fields), ``CONSTRAINED``
    and ``LINKED_ENTITY``."""
    return SYSTEM_FIELDS | READ_ONLY_FIELDS | CONSTRAINED | SOURCED_VALUES | \
        computed_fields(kind.record_type) | frozenset(SET_BY_RULE.get(kind.record_type, ())) | \
        LINKED_ENTITY.get(kind.record_type, frozenset())


# Kept for callers of the first version: every kind's exclusions at once.
NOT_GENERATED = frozenset().union(*(not_generated(k) for k in RECORD_TYPES.values()))
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
def generated_fields(kind: RecordKind, existing: Mapping[str, Sequence[str]],
                     definitions: Mapping[str, Sequence[dict]] | None = None
                     ) -> dict[str, st.SearchStrategy]:
    """Each body field a record of ``kind`` may be generated with, and its strategy: simple
    values, references to records that exist, addresses, sublists with lines, and custom
    fields (``definitions``: custom field definitions by type, as the target holds them)."""
    out: dict[str, st.SearchStrategy] = {}
    excluded = not_generated(kind)
    for field in kind.schema.fields:
        if field.name in excluded or field.repeating:
            continue
        if field.name in LINE_LISTS:
            strategy = _sublist(kind, field, existing, definitions or {})
        else:
            strategy = _field_strategy(kind, field, existing)
        if strategy is not None:
            out[field.name] = strategy
    out.update(_inventory_rules(kind, out, existing))
    body_fields = _custom_field_list(kind, None, definitions or {})
    if body_fields is not None and _carries_custom_fields(kind.schema):
        out["customFieldList"] = body_fields
    return out


def _inventory_rules(kind: RecordKind, fields: dict, existing) -> dict[str, st.SearchStrategy]:
    """What the inventory family asks of a body (``mockserver.domain.stock``): a build's item
    is an assembly, a build's or work order's quantity is above zero."""
    out: dict[str, st.SearchStrategy] = {}
    if kind.record_type in BUILDS or kind.record_type == "workOrder":
        out["quantity"] = st.integers(1, 20).map(float)
    if kind.record_type in BUILDS and reference(ASSEMBLY_ITEMS, existing) is not None:
        out["item"] = reference(ASSEMBLY_ITEMS, existing)
    return {k: v for k, v in out.items() if k in fields}


def _other_location(record: dict, existing) -> dict:
    """A transfer's destination, moved off its source (the two must differ)."""
    source = (record.get("location") or {}).get("internalId")
    if source is None or (record.get("transferLocation") or {}).get("internalId") != source:
        return record
    other = next((i for i in existing.get("location", ()) if str(i) != source), None)
    if other is None:
        return {k: v for k, v in record.items() if k != "transferLocation"}
    return {**record, "transferLocation": {"internalId": str(other), "type": "location"}}


def _field_strategy(kind: RecordKind, field: Field, existing) -> st.SearchStrategy | None:
    if field.type_ref == RECORD_REF:
        return reference(reference_targets(kind, field.name), existing)
    if field.type_ref == ADDRESS:
        return addresses()
    book = _address_book(field.type_ref)
    if book is not None:
        return book
    return simple_value(field.type_ref)


def addresses() -> st.SearchStrategy[dict]:
    """An address: a country and some of its lines (``addrText`` is NetSuite's, read-only)."""
    fields = {f.name: simple_value(f.type_ref) for f in registry.complex(ADDRESS).fields
              if f.name not in READ_ONLY_FIELDS and f.name not in ("internalId", "override")
              and simple_value(f.type_ref) is not None}
    optional = {k: v for k, v in fields.items() if k not in ("country", "addr1")}
    return st.fixed_dictionaries({"country": fields["country"], "addr1": fields["addr1"]},
                                 optional=optional)


def _address_book(type_ref: str) -> st.SearchStrategy[dict] | None:
    """An entity's address book (``addressbookList``): one or two labelled addresses."""
    declared = registry.lookup(type_ref)
    repeating = [f for f in declared.fields if f.repeating] \
        if isinstance(declared, ComplexType) else []
    line = registry.lookup(repeating[0].type_ref) if len(repeating) == 1 else None
    if not isinstance(line, ComplexType) or not any(f.type_ref == ADDRESS for f in line.fields):
        return None
    address_field = next(f.name for f in line.fields if f.type_ref == ADDRESS)
    entry = st.fixed_dictionaries({address_field: addresses()},
                                  optional={"label": text()} if line.field("label") else {})
    return st.lists(entry, min_size=1, max_size=2).map(lambda e: {repeating[0].name: e})


def _sublist(kind: RecordKind, field: Field, existing, definitions) -> st.SearchStrategy | None:
    """Lines of an item, expense or journal sublist: what each needs (an item or account that
    exists; a quantity and rate, whose amount the server works out, or an amount; journal
    lines that balance), and some of the line's other fields."""
    if kind.record_type in LINES_FROM_ANOTHER:
        return None
    list_type = registry.complex(field.type_ref)
    repeating = next(f for f in list_type.fields if f.repeating)
    line_type = registry.complex(repeating.type_ref)
    names = {f.name for f in line_type.fields}
    target = next((n for n in ("item", "account", "category") if n in names
                   and reference(REFERENCE_TARGETS.get(n, ()) if n != "category" else
                                 reference_targets(kind, n), existing) is not None), None)
    if target is None:
        return None
    targets = reference_targets(kind, target) if target == "category" else \
        REFERENCE_TARGETS[target]
    required = {target: reference(targets, existing)}
    balanced = field.name == "lineList" and {"debit", "credit"} <= names
    if balanced:
        pass   # debit and credit, balanced: set below
    elif {"quantity", "rate"} <= names and target == "item":
        rate = st.integers(1, 10**6).map(lambda c: c / 100)
        if line_type.field("rate").type_ref == "xsd:string":   # a rate may be "10%"
            rate = rate.map(str)
        required.update(quantity=st.integers(1, 20).map(float), rate=rate)
    elif "foreignAmount" in names:
        required["foreignAmount"] = st.integers(1, 10**7).map(lambda c: c / 100)
    elif "amount" in names:
        required["amount"] = st.integers(1, 10**7).map(lambda c: c / 100)
    elif "quantity" in names:   # a work order's or bin worksheet's lines: no amounts
        required["quantity"] = st.integers(1, 20).map(float)
    excluded = READ_ONLY_FIELDS | SYSTEM_FIELDS | LINE_LINKS | frozenset(LINE_SET) | \
        {"amount", "quantity", "rate", "foreignAmount", "debit", "credit", "customFieldList"}
    optional = {}
    for line_field in line_type.fields:
        if line_field.name in excluded or line_field.name in required or line_field.repeating:
            continue
        strategy = reference(reference_targets(kind, line_field.name), existing) \
            if line_field.type_ref == RECORD_REF else simple_value(line_field.type_ref)
        if strategy is not None and line_field.type_ref not in ("xsd:double", "xsd:long",
                                                                "xsd:int"):
            optional[line_field.name] = strategy
    chosen = st.lists(st.sampled_from(sorted(optional)), unique=True, max_size=2) \
        if optional else st.just([])
    line = st.tuples(st.fixed_dictionaries(required), chosen).flatmap(
        lambda drawn: st.fixed_dictionaries({**{k: st.just(v) for k, v in drawn[0].items()},
                                             **{k: optional[k] for k in drawn[1]}}))
    columns = _custom_field_list(kind, field.name, definitions)
    if columns is not None and _carries_custom_fields(line_type):
        # drawn on its own, as on the body: one optional field among dozens would be rare
        line = st.tuples(line, st.booleans(), columns).map(
            lambda drawn: {**drawn[0], "customFieldList": drawn[2]} if drawn[1] else drawn[0])
    if balanced:
        return st.lists(line, min_size=1, max_size=MAX_LINES - 1).flatmap(_balanced).map(
            lambda lines_: {repeating.name: lines_})
    return st.lists(line, min_size=1, max_size=MAX_LINES).map(
        lambda lines_: {repeating.name: lines_})


def _balanced(lines_: list[dict]) -> st.SearchStrategy[list[dict]]:
    """Journal lines: each a debit, and one more line crediting their sum (or the reverse)."""
    return st.tuples(st.lists(st.integers(1, 10**7), min_size=len(lines_),
                              max_size=len(lines_)), st.booleans()).map(
        lambda drawn: _journal(lines_, [c / 100 for c in drawn[0]], drawn[1]))


def _journal(lines_: list[dict], amounts: list[float], debit_first: bool) -> list[dict]:
    side, other = ("debit", "credit") if debit_first else ("credit", "debit")
    out = [{**line, side: amount} for line, amount in zip(lines_, amounts)]
    closing = {k: v for k, v in lines_[0].items() if k != "customFieldList"}
    out.append({**closing, other: cents(sum(amounts))})
    return out


def _carries_custom_fields(ctype: ComplexType) -> bool:
    """Whether a type's customFieldList holds values (a custom record type's defines fields)."""
    field = ctype.field("customFieldList")
    return field is not None and field.type_ref == custom_fields.CUSTOM_FIELD_LIST


def _custom_field_list(kind: RecordKind, sublist: str | None,
                       definitions: Mapping[str, Sequence[dict]]) -> st.SearchStrategy | None:
    """customFieldList entries for the custom fields that apply here (body or a sublist's
    lines), named by scriptId, each with a value of its type (select fields left out)."""
    if kind.record_type == "customRecord":
        return None
    scope = custom_fields.scope_of(kind, None, {}, sublist)
    entries = []
    for definition in definitions.get(scope.definition_type, ()):
        ref_type = custom_fields.ref_type_of(definition.get("fieldType"))
        if not definition.get("scriptId") or ref_type not in CUSTOM_VALUES or \
                not custom_fields.applies(scope, scope.definition_type, definition):
            continue
        value = {"text": text(), "boolean": st.booleans(), "double": money(),
                 "long": st.integers(0, 10**6), "date": moments()}[CUSTOM_VALUES[ref_type]]
        entries.append(value.map(lambda v, d=definition, t=ref_type: {
            "_ns_type": ns_type(t), "scriptId": d["scriptId"], "value": v}))
    if not entries:
        return None
    return st.lists(st.sampled_from(range(len(entries))), min_size=1, max_size=2,
                    unique=True).flatmap(lambda picked: st.tuples(
                        *[entries[i] for i in sorted(picked)])).map(
        lambda chosen: {"customField": list(chosen)})


def required_fields(kind: RecordKind) -> list[str]:
    """What NetSuite requires of a company-style record (``isPerson`` is never generated)."""
    return [r.field for r in kind.required if not r.only_if]


@st.composite
def records(draw, record_type: str, existing: Mapping[str, Sequence[str]] | None = None, *,
            optional: bool = True, definitions: Mapping[str, Sequence[dict]] | None = None
            ) -> dict:
    """A record of ``record_type`` for ``add``: every required field, some optional ones
    (sublist lines, addresses, custom fields among them).

    Names are not made unique (Hypothesis replays and shrinks examples): give each record
    ``unique_names(record, suffix)`` before sending it where names must not collide."""
    kind = kind_of(record_type)
    if kind is None:
        raise ValueError(f"{record_type!r} is not a modelled record type")
    existing = existing or {}
    available = generated_fields(kind, existing, definitions)
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
        structured = sorted(n for n in set(available) - set(record) if _structured(kind, n))
        optional_names = sorted(set(available) - set(record) - set(structured))
        chosen = draw(st.lists(st.sampled_from(optional_names), unique=True,
                               max_size=min(MAX_OPTIONAL_FIELDS, len(optional_names)))
                      if optional_names else st.just([]))
        chosen += [name for name in structured if draw(st.booleans())]   # lines, addresses…
        order = [f.name for f in kind.schema.fields]
        for name in sorted(chosen, key=order.index):
            record[name] = draw(available[name])
    if kind.record_type in TRANSFERS:
        record = _other_location(record, existing)
    return record


def _structured(kind: RecordKind, name: str) -> bool:
    """Sublist lines, addresses and custom fields: each drawn on its own, so that a record has
    them often, not once in a hundred fields."""
    field = kind.schema.field(name)
    return name in LINE_LISTS or name == "customFieldList" or field.type_ref == ADDRESS or \
        _address_book(field.type_ref) is not None


def expected_amounts(record_type: str, record: dict) -> dict[str, float]:
    """What NetSuite works out from a generated record's lines: each total of ``TOTALS``
    (line amounts being quantity × rate where only those were sent)."""
    total, has_lines = 0.0, False
    for list_name in ("itemList", "expenseList"):
        for line in next(iter((record.get(list_name) or {}).values()), []):
            has_lines = True
            amount = line.get("amount", line.get("foreignAmount"))
            if amount is None and "rate" in line:
                amount = cents(float(line["quantity"]) * float(line["rate"]))
            total += amount or 0.0   # a line with a quantity only has no amount
    return {name: cents(total) for name in TOTALS.get(record_type, ())} if has_lines else {}


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
                         if k not in _name_fields(kind) and kind.schema.field(k) is not None
                         and simple_value(kind.schema.field(k).type_ref) is not None}
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
