"""What NetSuite does to a record on its way into the database.

``RecordWriter.for_add`` and ``for_update`` take the record a client sent (a dict shaped by the
schema) and return the record to store, or raise ``RecordError`` with NetSuite's code and
message: references are checked against the store and given their display names, required
fields and duplicates are checked, sublist lines are numbered and amounts computed, and the
system fields (internalId, created and modified dates) are set.
"""

from __future__ import annotations

from datetime import datetime
from typing import Iterator

from mockserver.domain.errors import RecordError
from mockserver.domain.records import (RecordKind, kind_of, record_name, reference_targets)
from mockserver.domain.store import RecordStore
from mockserver.schema import registry
from mockserver.schema.model import ComplexType

RECORD_REF = "platformCore:RecordRef"
CREATED_FIELDS = ("createdDate", "dateCreated")
MODIFIED_FIELD = "lastModifiedDate"
# Fields a client may send but NetSuite sets itself, and write-only ones it never returns
# (an entity's password), which the mock therefore does not keep.
SYSTEM_FIELDS = frozenset(CREATED_FIELDS + (MODIFIED_FIELD, "_type", "password", "password2"))


class RecordWriter:
    def __init__(self, store: RecordStore):
        self.store = store

    # -- entry points ----------------------------------------------------------------------
    def for_add(self, kind: RecordKind, incoming: dict, now: datetime, *,
                internal_id: str | None = None) -> dict:
        record = {k: v for k, v in incoming.items()
                  if k not in SYSTEM_FIELDS and k not in ("internalId", "nullFieldList")}
        self._resolve_references(kind, kind.schema, record)
        self._apply_defaults(kind, record)
        self._check_required(kind, record)
        self._check_duplicates(kind, record, None)
        self._number_lines(kind.schema, record, None)
        self._compute_amounts(kind.schema, record)
        if internal_id is None:
            internal_id = self.store.next_id(kind.family)
        else:
            self.store.reserve_id(kind.family, internal_id)
        record["internalId"] = internal_id
        schema = kind.schema
        for name in CREATED_FIELDS:
            if schema.field(name):
                record[name] = now
        if schema.field(MODIFIED_FIELD):
            record[MODIFIED_FIELD] = now
        return record

    def for_update(self, kind: RecordKind, existing: dict, incoming: dict,
                   now: datetime) -> dict:
        changes = {k: v for k, v in incoming.items()
                   if k not in SYSTEM_FIELDS and k not in ("internalId", "nullFieldList")}
        self._resolve_references(kind, kind.schema, changes)
        record = dict(existing)
        schema = kind.schema
        for name, value in changes.items():
            field = schema.field(name)
            if field is not None and _is_sublist(field.type_ref) and isinstance(value, dict):
                record[name] = self._merge_sublist(field.type_ref, record.get(name), value)
            else:
                record[name] = value
        for name in (incoming.get("nullFieldList") or {}).get("name", []):
            record.pop(name, None)
        self._check_required(kind, record)
        self._check_duplicates(kind, record, existing["internalId"])
        self._number_lines(schema, record, existing)
        self._compute_amounts(schema, record)
        if schema.field(MODIFIED_FIELD):
            record[MODIFIED_FIELD] = now
        return record

    # -- references ------------------------------------------------------------------------
    def _resolve_references(self, kind: RecordKind, ctype: ComplexType, value: dict) -> None:
        """Check every RecordRef against the store, in place, and give it its name.

        An empty reference (``<subsidiary/>``, which some clients send for every field they
        know) sets nothing and is dropped (INFERRED: NetSuite ignores it).
        """
        _drop_empty_refs(ctype, value)
        for field_name, ref in _record_refs(ctype, value):
            targets = reference_targets(kind, field_name)
            wanted = ref.get("type")
            if wanted and kind_of(wanted) is not None:
                targets = (wanted,)
            elif not targets:
                continue
            internal_id, external_id = ref.get("internalId"), ref.get("externalId")
            if internal_id is None and external_id is None:
                raise RecordError.of("key_required")
            found = None
            for target in targets:
                found = self.store.find(target, internal_id, external_id)
                if found is not None:
                    target_kind = kind_of(target)
                    break
            if found is None:
                raise RecordError.of("invalid_reference", field=field_name,
                                     key=internal_id if internal_id is not None else external_id)
            ref.clear()
            ref["internalId"] = found["internalId"]
            name = record_name(target_kind, found)
            if name is not None:
                ref["name"] = name

    # -- defaults, required, duplicates ----------------------------------------------------
    def _apply_defaults(self, kind: RecordKind, record: dict) -> None:
        schema = kind.schema
        if schema.field("isInactive") and "isInactive" not in record:
            record["isInactive"] = False
        if schema.field("isPerson") and "isPerson" not in record:
            record["isPerson"] = False
        if kind.unique_name and not record.get(kind.unique_name):
            if record.get("companyName"):
                record[kind.unique_name] = record["companyName"]
            elif record.get("firstName") or record.get("lastName"):
                record[kind.unique_name] = " ".join(
                    p for p in (record.get("firstName"), record.get("lastName")) if p)

    def _check_required(self, kind: RecordKind, record: dict) -> None:
        missing = []
        for req in kind.required:
            if req.unless and record.get(req.unless):
                continue
            if req.only_if and not record.get(req.only_if):
                continue
            if record.get(req.field) in (None, "", [], {}):
                missing.append(req.label)
        if missing:
            raise RecordError.of("required_fields", fields=", ".join(missing))

    def _check_duplicates(self, kind: RecordKind, record: dict, own_id: str | None) -> None:
        external_id = record.get("externalId")
        if external_id is not None:
            other = self.store.get_by_external_id(kind.record_type, external_id)
            if other is not None and other["internalId"] != own_id:
                raise RecordError.of("duplicate_record")
        if kind.unique_name and record.get(kind.unique_name):
            name = record[kind.unique_name]
            for other in self.store.records(kind.record_type):
                if other.get(kind.unique_name) == name and other["internalId"] != own_id:
                    raise RecordError.of("duplicate_entity")

    # -- sublists --------------------------------------------------------------------------
    def _merge_sublist(self, list_type: str, current: dict | None, incoming: dict) -> dict:
        """``replaceAll`` true (the default) replaces the lines; false merges them by ``line``."""
        item_field = _sublist_item_field(list_type)
        if current is None or incoming.get("replaceAll", True) is not False or item_field is None:
            return incoming
        lines = [dict(line) for line in current.get(item_field, [])]
        by_line = {line.get("line"): line for line in lines if line.get("line") is not None}
        for line in incoming.get(item_field, []):
            key = line.get("line")
            if key is not None and key in by_line:
                by_line[key].update(line)
            else:
                lines.append(dict(line))
        merged = dict(current)
        merged[item_field] = lines
        return merged

    def _number_lines(self, ctype: ComplexType, record: dict, previous: dict | None) -> None:
        """Lines without a ``line`` get the next number, as NetSuite numbers them from 1."""
        for f in ctype.fields:
            value = record.get(f.name)
            if not isinstance(value, dict) or not _is_sublist(f.type_ref):
                continue
            item_field = _sublist_item_field(f.type_ref)
            line_type = registry.complex(registry.complex(f.type_ref).field(item_field).type_ref)
            if line_type.field("line") is None:
                continue
            lines = value.get(item_field) or []
            used = [int(line["line"]) for line in lines if line.get("line") is not None]
            next_line = max(used, default=0) + 1
            for line in lines:
                if line.get("line") is None:
                    line["line"] = next_line
                    next_line += 1

    def _compute_amounts(self, schema: ComplexType, record: dict) -> None:
        """Line ``amount`` = quantity × rate where the client left it out; ``userTotal`` sums."""
        total = 0.0
        has_lines = False
        for list_field, item_field in (("itemList", "item"), ("expenseList", "expense")):
            for line in (record.get(list_field) or {}).get(item_field, []) or []:
                has_lines = True
                if line.get("amount") is None and line.get("quantity") is not None \
                        and line.get("rate") not in (None, ""):
                    try:
                        line["amount"] = round(float(line["quantity"]) * float(line["rate"]), 2)
                    except ValueError:
                        raise RecordError.of("invalid_field_value", value=line["rate"],
                                             field="rate") from None
                total += float(line.get("amount") or 0.0)
        if has_lines and schema.field("userTotal"):
            record["userTotal"] = round(total, 2)


def _is_sublist(type_ref: str) -> bool:
    return _sublist_item_field(type_ref) is not None


def _sublist_item_field(type_ref: str) -> str | None:
    """The repeating field of a ``…List`` type with ``replaceAll`` (e.g. ``item``)."""
    ctype = registry.lookup(type_ref)
    if not isinstance(ctype, ComplexType) or not any(
            a.name == "replaceAll" for a in ctype.attributes):
        return None
    repeating = [f for f in ctype.fields if f.repeating]
    return repeating[0].name if len(repeating) == 1 else None


def _drop_empty_refs(ctype: ComplexType, value: dict) -> None:
    for f in ctype.fields:
        item = value.get(f.name)
        if isinstance(item, dict):
            type_ref = item.get("_type", f.type_ref)
            if type_ref == RECORD_REF and not any(v not in (None, "") for k, v in item.items()
                                                  if k != "_type"):
                del value[f.name]
                continue
            nested = registry.lookup(type_ref)
            if isinstance(nested, ComplexType) and nested.fields:
                _drop_empty_refs(nested, item)
        elif isinstance(item, list):
            nested = registry.lookup(f.type_ref)
            if isinstance(nested, ComplexType) and nested.fields:
                for element in item:
                    if isinstance(element, dict):
                        _drop_empty_refs(registry.lookup(element.get("_type", f.type_ref)),
                                         element)


def _record_refs(ctype: ComplexType, value: dict) -> Iterator[tuple[str, dict]]:
    """Every RecordRef inside a record, with the name of the field holding it."""
    for f in ctype.fields:
        item = value.get(f.name)
        if item is None:
            continue
        for element in item if isinstance(item, list) else (item,):
            if not isinstance(element, dict):
                continue
            type_ref = element.get("_type", f.type_ref)
            if type_ref == RECORD_REF:
                yield f.name, element
                continue
            nested = registry.lookup(type_ref)
            if isinstance(nested, ComplexType) and nested.fields:
                yield from _record_refs(nested, element)
