"""What NetSuite does to a record on its way into the database.

``RecordWriter.for_add`` and ``for_update`` take the record a client sent (a dict shaped by the
schema) and return the record to store, or raise ``RecordError`` with NetSuite's code and
message: enumerated values are checked, references are checked against the store and given
their display names, custom fields are checked against their definitions, values NetSuite sources
from the entity are filled in, required fields and duplicates are checked, sublist lines are
numbered, merged and linked, the inventory family's rules applied (``stock``), amounts and
totals computed, and the system fields (internalId, created and modified dates) are set.
"""

from __future__ import annotations

from datetime import datetime
from typing import Iterator

from mockserver.domain import activities, custom_fields
from mockserver.domain.custom_fields import CUSTOM_FIELD_LIST, CustomFields, scope_of
from mockserver.domain.errors import RecordError, invalid_reference
from mockserver.domain.indexes import KEY_FIELDS
from mockserver.domain.records import (READ_ONLY_FIELDS, RECORD_TYPES, RecordKind, kind_of,
                                       record_name, reference_targets)
from mockserver.domain.stock import check_inventory
from mockserver.domain.store import RecordStore
from mockserver.domain.transactions import (APPLY_LISTS, LINE_LISTS, check_balance, check_links,
                                            compute_amounts, lines, source_from_entity)
from mockserver.schema import registry
from mockserver.schema.model import ComplexType, EnumType

RECORD_REF = "platformCore:RecordRef"
CREATED_FIELDS = ("createdDate", "dateCreated")
MODIFIED_FIELD = "lastModifiedDate"
# Fields a client may send but NetSuite sets itself, and write-only ones it never returns
# (an entity's password), which the mock therefore does not keep.
SYSTEM_FIELDS = frozenset(CREATED_FIELDS + (MODIFIED_FIELD, "_type", "password", "password2"))
# Line values NetSuite recomputes when a merged line changes what they depend on.
_LINE_AMOUNT_INPUTS = ("quantity", "rate", "foreignAmount")


class RecordWriter:
    def __init__(self, store: RecordStore):
        self.store = store
        self.custom_fields = CustomFields(store)

    # -- entry points ----------------------------------------------------------------------
    def for_add(self, kind: RecordKind, incoming: dict, now: datetime, *,
                internal_id: str | None = None, mandatory_custom_fields: bool = True) -> dict:
        record = _without_system_fields(incoming)
        schema = kind.schema
        _check_values(schema, record)
        self._resolve_references(kind, schema, record)
        self._prepare_definition(kind, record)
        self._resolve_custom_fields(kind, record, record)
        self._apply_defaults(kind, record)
        source_from_entity(self.store, kind, record)
        self._check_required(kind, record, mandatory_custom_fields)
        self._check_duplicates(kind, record, None)
        self._number_lines(record)
        check_links(self.store, kind, record)
        check_inventory(self.store, kind, record)
        compute_amounts(kind, record)
        check_balance(kind, record)
        if internal_id is None:
            internal_id = self.store.next_id(kind.family)
        else:
            self.store.reserve_id(kind.family, internal_id)
        record["internalId"] = internal_id
        activities.derive(self.store, kind.record_type, record, now, adding=True)
        if kind.record_type in custom_fields.DEFINITION_TYPES and not record.get("scriptId"):
            record["scriptId"] = custom_fields.SCRIPT_ID_PREFIX[kind.record_type] + internal_id
        for name in CREATED_FIELDS:
            if schema.field(name):
                record[name] = now
        if schema.field(MODIFIED_FIELD):
            record[MODIFIED_FIELD] = now
        return record

    def for_update(self, kind: RecordKind, existing: dict, incoming: dict,
                   now: datetime, *, mandatory_custom_fields: bool = True) -> dict:
        changes = _without_system_fields(incoming)
        schema = kind.schema
        _check_values(schema, changes)
        self._resolve_references(kind, schema, changes)
        self._prepare_definition(kind, changes)
        self._resolve_custom_fields(kind, changes, {**existing, **changes})
        record = dict(existing)
        for name, value in changes.items():
            field = schema.field(name)
            if field is not None and field.type_ref == CUSTOM_FIELD_LIST:
                record[name] = custom_fields.merge(record.get(name), value)
            elif field is not None and _is_sublist(field.type_ref) and isinstance(value, dict):
                record[name] = self._merge_sublist(name, field.type_ref, record.get(name), value)
            else:
                record[name] = value
        self._apply_nulls(kind, record, incoming.get("nullFieldList"))
        self._check_required(kind, record, mandatory_custom_fields)
        self._check_duplicates(kind, record, existing["internalId"])
        self._number_lines(record)
        check_links(self.store, kind, record)
        check_inventory(self.store, kind, record)
        compute_amounts(kind, record)
        check_balance(kind, record)
        activities.derive(self.store, kind.record_type, record, now, adding=False)
        if schema.field(MODIFIED_FIELD):
            record[MODIFIED_FIELD] = now
        return record

    # -- references ------------------------------------------------------------------------
    def _resolve_references(self, kind: RecordKind, ctype: ComplexType, value: dict) -> None:
        """Check every RecordRef against the store, in place, and give it its name.

        An empty reference (``<subsidiary/>``, which some clients send for every field they
        know) sets nothing and is dropped (INFERRED: NetSuite ignores it). A ``type`` attribute
        must be one the field can point at.
        """
        _drop_empty_refs(ctype, value)
        for field_name, ref in record_refs(ctype, value):
            targets = reference_targets(kind, field_name)
            wanted = ref.get("type")
            if wanted and kind_of(wanted) is not None:
                if targets and wanted not in targets:
                    raise RecordError.of("record_type_mismatch")
                targets = (wanted,)
            elif wanted or not targets:
                continue  # a record type the mock does not model, or a field it does not check
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
                # NetSuite names the record type pointed at (a file's folder: "folder"); a
                # field that may point at several types (entity, item) by its own name
                raise invalid_reference(targets[0] if len(targets) == 1 else field_name,
                                        internal_id if internal_id is not None else external_id)
            ref.clear()
            ref["internalId"] = found["internalId"]
            name = record_name(target_kind, found)
            if name is not None:
                ref["name"] = name

    # -- custom fields ---------------------------------------------------------------------
    def _resolve_custom_fields(self, kind: RecordKind, value: dict, whole: dict) -> None:
        """The record's customFieldList and its lines' (``whole`` decides a custom record's
        type when an update does not resend it)."""
        if _has_custom_fields(kind) and value.get("customFieldList"):
            self.custom_fields.resolve(scope_of(kind, self.store, whole), value["customFieldList"])
        for list_name in LINE_LISTS:
            for line in lines(value, list_name):
                if line.get("customFieldList"):
                    self.custom_fields.resolve(scope_of(kind, self.store, whole, list_name),
                                               line["customFieldList"])

    def _prepare_definition(self, kind: RecordKind, record: dict) -> None:
        """What NetSuite completes on customization records: scriptId prefixes, the internal
        ids of a custom record type's fields, the value ids of a custom list."""
        if kind.record_type in custom_fields.DEFINITION_TYPES and record.get("scriptId"):
            record["scriptId"] = custom_fields.prefixed_script_id(kind.record_type,
                                                                  record["scriptId"])
        elif kind.record_type == "customRecordType":
            for field in (record.get("customFieldList") or {}).get("customField") or []:
                if field.get("internalId") is None:
                    field["internalId"] = self.store.next_id("customField")
                if field.get("scriptId"):
                    field["scriptId"] = custom_fields.prefixed_script_id("otherCustomField",
                                                                         field["scriptId"])
        elif kind.record_type == "customList":
            values = (record.get("customValueList") or {}).get("customValue") or []
            next_id = max((int(v["valueId"]) for v in values if v.get("valueId") is not None),
                          default=0) + 1
            for value in values:
                if value.get("valueId") is None:
                    value["valueId"] = next_id
                    next_id += 1

    def _apply_nulls(self, kind: RecordKind, record: dict, null_list: dict | None) -> None:
        """``nullFieldList``: each name is a field of the record or a custom field's scriptId."""
        custom: set[str] = set()
        for name in (null_list or {}).get("name") or []:
            if name != "nullFieldList" and kind.schema.field(name) is not None:
                record.pop(name, None)
            elif _has_custom_fields(kind) and any(
                    d.get("scriptId") == name for d in
                    self.custom_fields.in_scope(scope_of(kind, self.store, record))):
                custom.add(name)
            else:
                raise RecordError.of("invalid_null_field", name=name)
        if custom:
            kept = custom_fields.clear(record.get("customFieldList"), custom)
            if kept is None:
                record.pop("customFieldList", None)
            else:
                record["customFieldList"] = kept

    # -- defaults, required, duplicates ----------------------------------------------------
    def _apply_defaults(self, kind: RecordKind, record: dict) -> None:
        schema = kind.schema
        if schema.field("isInactive") and "isInactive" not in record:
            record["isInactive"] = False
        if schema.field("isPerson") and "isPerson" not in record:
            record["isPerson"] = False
        if kind.family == "entity" and kind.unique_name and not record.get(kind.unique_name):
            if record.get("companyName"):
                record[kind.unique_name] = record["companyName"]
            elif record.get("firstName") or record.get("lastName"):
                record[kind.unique_name] = " ".join(
                    p for p in (record.get("firstName"), record.get("lastName")) if p)

    def _check_required(self, kind: RecordKind, record: dict,
                        mandatory_custom_fields: bool = True) -> None:
        """Required fields, and mandatory custom fields unless the client's preferences
        turned that validation off (``disableMandatoryCustomFieldValidation``)."""
        missing = []
        for req in kind.required:
            if req.unless and record.get(req.unless):
                continue
            if req.only_if and not record.get(req.only_if):
                continue
            if record.get(req.field) in (None, "", [], {}):
                missing.append(req.label)
        if mandatory_custom_fields and _has_custom_fields(kind):
            missing += self.custom_fields.check_mandatory(scope_of(kind, self.store, record),
                                                          record.get("customFieldList"))
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
            types = [kind.record_type]
            if kind.unique_in_family:
                types = [k.record_type for k in RECORD_TYPES.values() if k.family == kind.family]
            for record_type in types:
                for other in self._named(record_type, kind.unique_name, name):
                    if other.get(kind.unique_name) == name and not (
                            record_type == kind.record_type and other["internalId"] == own_id):
                        raise RecordError.of(kind.duplicate)

    def _named(self, record_type: str, field: str, name: str) -> list[dict]:
        """The records that may have ``name`` in ``field``: from the key index where it has
        the field (a seed of 100,000 vendors is not checked against every vendor each time),
        else every record of the type."""
        index = self.store.index.of(record_type)
        if field not in KEY_FIELDS or not index.numeric:
            return self.store.records(record_type)
        found = (self.store.get(record_type, str(n)) for n in index.with_key(field, name))
        return [record for record in found if record is not None]

    # -- sublists --------------------------------------------------------------------------
    def _merge_sublist(self, list_name: str, list_type: str, current: dict | None,
                       incoming: dict) -> dict:
        """``replaceAll`` true (the default) replaces the lines; false merges them by key
        (``line`` for item, expense and journal lines, ``doc`` for apply lines)."""
        item_field = _sublist_item_field(list_type)
        if current is None or incoming.get("replaceAll", True) is not False or item_field is None:
            return incoming
        merged_lines = [dict(line) for line in current.get(item_field, [])]
        by_key = {_line_key(list_name, line): line for line in merged_lines
                  if _line_key(list_name, line) is not None}
        for line in incoming.get(item_field, []):
            key = _line_key(list_name, line)
            if key is None or key not in by_key:
                merged_lines.append(dict(line))
                continue
            target = by_key[key]
            if "amount" not in line and any(k in line for k in _LINE_AMOUNT_INPUTS):
                target.pop("amount", None)   # NetSuite recomputes it from the new inputs
            for name, value in line.items():
                if name == "customFieldList":
                    target[name] = custom_fields.merge(target.get(name), value)
                else:
                    target[name] = value
        merged = dict(current)
        merged[item_field] = merged_lines
        return merged

    def _number_lines(self, record: dict) -> None:
        """Item, expense and journal lines without a ``line`` get the next number, from 1."""
        for list_name in LINE_LISTS:
            numbered = lines(record, list_name)
            used = [int(line["line"]) for line in numbered if line.get("line") is not None]
            next_line = max(used, default=0) + 1
            for line in numbered:
                if line.get("line") is None:
                    line["line"] = next_line
                    next_line += 1


def _has_custom_fields(kind: RecordKind) -> bool:
    """Whether the record carries custom field values (a custom record type's
    ``customFieldList`` defines fields instead)."""
    field = kind.schema.field("customFieldList")
    return field is not None and field.type_ref == CUSTOM_FIELD_LIST


def _without_system_fields(incoming: dict) -> dict:
    return {k: v for k, v in incoming.items()
            if k not in SYSTEM_FIELDS and k not in ("internalId", "nullFieldList")}


def _line_key(list_name: str, line: dict):
    if list_name in LINE_LISTS:
        key = line.get("line")
    elif list_name in APPLY_LISTS:
        key = line.get("doc")
    else:
        key = line.get("internalId")
    return None if key is None else str(key)


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


def _check_values(ctype: ComplexType, value: dict) -> None:
    """Enumerated values must be the schema's (``INVALID_FLD_VALUE``), and a RecordRef's
    ``type`` a NetSuite record type (``INVALID_RCRD_TYPE``). An empty enumerated element is
    dropped, like an empty reference (INFERRED)."""
    actual = registry.lookup(value.get("_type", ctype.qname))
    if not isinstance(actual, ComplexType):
        return
    for attribute in actual.attributes:
        declared = registry.lookup(attribute.type_ref)
        given = value.get(attribute.name)
        if isinstance(declared, EnumType) and given is not None and given not in declared.values:
            if attribute.name == "type" and actual.is_a("platformCore:BaseRef"):
                raise RecordError.of("invalid_record_type", type=given)
            raise RecordError.of("invalid_field_value", value=given, field=attribute.name)
    for f in actual.fields:
        item = value.get(f.name)
        if item is None:
            continue
        declared = registry.lookup(f.type_ref)
        if isinstance(declared, EnumType) and item == "":
            del value[f.name]  # an empty element sets nothing (netsuitesdk sends some)
            continue
        for element in item if isinstance(item, list) else (item,):
            if isinstance(declared, EnumType):
                if element not in declared.values:
                    raise RecordError.of("invalid_field_value", value=element, field=f.name)
            elif isinstance(declared, ComplexType) and isinstance(element, dict):
                _check_values(declared, element)


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


def record_refs(ctype: ComplexType, value: dict) -> Iterator[tuple[str, dict]]:
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
                yield from record_refs(nested, element)


def _nested_values(ctype: ComplexType,
                   value: dict) -> Iterator[tuple[str, object, ComplexType | None]]:
    """Each field a value sets, in schema order, with the complex type of its elements (None
    for a simple one); the value's own ``xsi:type`` says which fields it has."""
    actual = registry.lookup(value["_type"]) if "_type" in value else ctype
    if not isinstance(actual, ComplexType):
        return
    for f in actual.fields:
        if f.name in value:
            nested = registry.lookup(f.type_ref)
            yield f.name, value[f.name], nested if isinstance(nested, ComplexType) else None


def read_only_fields(ctype: ComplexType, value: dict) -> Iterator[str]:
    """The read-only fields a client sent anywhere in a record: on it, inside a nested value
    (an address's ``addrText``) or on a sublist line, at any depth."""
    for name, item, nested in _nested_values(ctype, value):
        if name in READ_ONLY_FIELDS:
            yield name
        elif nested is not None:
            for element in item if isinstance(item, list) else (item,):
                if isinstance(element, dict):
                    yield from read_only_fields(nested, element)


def without_read_only(ctype: ComplexType, value: dict) -> dict:
    """A copy of a record without its read-only fields, at any depth (``ignoreReadOnlyFields``);
    what the schema does not describe (attributes, ``_type``) is kept as sent."""
    kept = {k: v for k, v in value.items() if k not in READ_ONLY_FIELDS}
    for name, item, nested in _nested_values(ctype, value):
        if nested is None or name in READ_ONLY_FIELDS:
            continue
        if isinstance(item, list):
            kept[name] = [without_read_only(nested, e) if isinstance(e, dict) else e
                          for e in item]
        elif isinstance(item, dict):
            kept[name] = without_read_only(nested, item)
    return kept
