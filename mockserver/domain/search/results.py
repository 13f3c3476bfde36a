"""What a page of search results holds: whole records, or the rows of an advanced search.

Records come back as ``get`` returns them, without their sublists (``itemList``,
``addressbookList``…) while ``bodyFieldsOnly`` is true, NetSuite's default. A row of an advanced
search holds the columns the request named, each with its ``searchValue`` (and the request's
``customLabel``), from the row's record and from the joined records; a column with no value is
left out, as NetSuite leaves it out; so is a column the mock holds no data for (class 7 of
``docs/fidelity.md``).
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from mockserver.domain.views import readable
from mockserver.domain.records import RECORD_TYPES, RecordKind
from mockserver.domain.search.criteria import as_number, as_text, ref_ids
from mockserver.domain.search.families import Family, Row, accessor, family, lines
from mockserver.domain.search.query import Query
from mockserver.domain.writes import _is_sublist as is_sublist
from mockserver.schema import registry


@lru_cache(maxsize=None)
def _sublists(qname: str) -> frozenset[str]:
    return frozenset(f.name for f in registry.complex(qname).fields if is_sublist(f.type_ref))


def render_record(kind: RecordKind, record: dict, body_fields_only: bool, store) -> dict:
    """A search result record as a get would show it; with ``bodyFieldsOnly``, no sublists."""
    return readable(kind, record, store,
                    leave_out=_sublists(kind.qname) if body_fields_only else frozenset())


def render_row(query: Query, store, entry: tuple) -> dict | None:
    """``entry`` = (record type, internal id, line index or -1, joined records)."""
    record_type, internal_id, line_index, related = entry
    record = store.get(record_type, internal_id)
    if record is None:
        return None
    kind = RECORD_TYPES[record_type]
    line = lines(record)[line_index] if line_index >= 0 else None
    row = Row(kind, record, line)
    columns = query.columns or {}
    out: dict = {"_type": query.row_type}
    row_schema = registry.complex(query.row_type)
    chosen = {name: (t, i) for name, t, i in related}
    for name, requested in columns.items():
        if not isinstance(requested, dict):
            continue
        row_basic = row_schema.field(name).type_ref
        if name == "basic":
            out[name] = _columns(query.family, row_basic, requested, row, store)
            continue
        target = family(row_basic.replace("SearchRowBasic", "SearchBasic"))
        if name in chosen:
            t, i = chosen[name]
            joined = [(RECORD_TYPES[t], store.get(t, i))] if t is not None else []
        else:
            joined = query.join_resolver(name)(row)[:1]
        if joined and joined[0][1] is not None:
            other_kind, other = joined[0]
            out[name] = _columns(target, row_basic, requested, Row(other_kind, other), store)
    return out


def _columns(fam: Family | None, row_basic: str, requested: dict, row: Row, store) -> dict:
    schema = registry.complex(row_basic)
    out: dict = {}
    for name, asks in requested.items():
        if name in ("_type", "customFieldList"):
            continue
        read = accessor(fam, name, store) if fam is not None else None
        if isinstance(asks, dict) and schema.field(name).type_ref == "platformCore:RecordRef":
            # a reference the row must carry (CustomRecordSearchRowBasic.recType): the record's
            ref = read(row) if read is not None else None
            out[name] = {"internalId": str(ref["internalId"])} if isinstance(ref, dict) \
                and ref.get("internalId") is not None else dict(asks)
            continue
        if not isinstance(asks, list):
            continue
        if read is None:  # no record holds it (system data, figures the mock does not work
            continue      # out): no value, as for a column empty on a row; docs/fidelity.md
        column_type = schema.field(name).type_ref
        if name == "externalId" and column_type.endswith("SelectField"):
            external_id = read(row)
            value = {"externalId": external_id} if external_id else None
        else:
            value = _column_value(column_type, read(row))
        if value is None:
            continue
        out[name] = [{"customLabel": ask.get("customLabel"), "searchValue": value}
                     if ask.get("customLabel") else {"searchValue": value} for ask in asks]
    return out


def _column_value(column_type: str, value):
    kind = column_type.partition(":")[2]
    if value is None or value == "" or value == []:
        return None
    if kind == "SearchColumnSelectField":
        ids = ref_ids(value)
        if not ids:
            return None
        first = value[0] if isinstance(value, list) else value
        ref = {"internalId": sorted(ids)[0] if not isinstance(first, dict) else
               str(first.get("internalId"))}
        if isinstance(first, dict) and first.get("name"):
            ref["name"] = first["name"]
        return ref
    if kind == "SearchColumnDateField":
        return value if isinstance(value, datetime) else None
    if kind == "SearchColumnBooleanField":
        return bool(value)
    if kind == "SearchColumnLongField":
        number = as_number(value)
        return None if number is None else int(number)
    if kind == "SearchColumnDoubleField":
        number = as_number(value)
        return None if number is None else float(number)
    if kind in ("SearchColumnStringField", "SearchColumnTextNumberField",
                "SearchColumnEnumSelectField"):
        return as_text(value)
    return None  # custom-field and multi-value columns: not modelled
