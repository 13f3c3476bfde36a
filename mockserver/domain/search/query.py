"""A search request compiled against one store, and run: the ordered list of what it finds.

``compile_search`` turns the decoded ``searchRecord`` (a ``*SearchBasic``, a ``*Search`` with
joins, or a ``*SearchAdvanced`` with criteria and columns) into a ``Query``; ``Query.run`` returns
result keys in NetSuite's paging order: ``(record type, internal id)`` per record, or with a line
number and joined records per row for an advanced search with columns.

Running does not scan when it can avoid it: for each record type the most selective indexed
criterion (internalId, externalId, tranId/entityId/itemId ``is``, a lastModifiedDate range,
isInactive true) gives the candidates, and only those are tested against the other criteria.
Results are ordered by internal id, which for records created through the mock is the order they
were created in.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from mockserver.domain.errors import RecordError, SoapFault
from mockserver.domain.indexes import KEY_FIELDS, id_key
from mockserver.domain.records import RECORD_TYPES, reference_targets
from mockserver.domain.search.criteria import (NONE_ID, Criterion, compile_criterion,
                                               kind_of_field)
from mockserver.domain.search.families import (Family, Joins, Row, accessor, enum_values,
                                               family, reads_lines, rows_of)
from mockserver.schema import registry
from mockserver.schema.model import ComplexType

NO_MATCH = "@NO_MATCH@"
TO_MANY_JOINS = {"applyingTransactionJoin", "appliedToTransactionJoin", "transactionJoin"}

Test = tuple[Criterion, Callable[[Row], object]]


@dataclass
class Join:
    name: str
    target: Family
    related: Callable[[Row], list]
    tests: list[Test]
    reads_lines: bool


@dataclass
class Query:
    family: Family
    record_types: tuple[str, ...]
    tests: list[Test]
    joins: list[Join]
    columns: dict | None = None       # the decoded *SearchRow, for an advanced search
    row_type: str | None = None       # e.g. tranSales:TransactionSearchRow
    needs_lines: bool = False
    cache_key: tuple = ()
    resolver: Joins | None = field(default=None, repr=False)

    # -- running -------------------------------------------------------------------------
    def run(self, store) -> list[tuple]:
        with store.lock:
            found: list[tuple] = []
            for record_type in self.record_types:
                found.extend(self._run_type(store, record_type))
        if len(self.record_types) > 1:
            found.sort(key=lambda entry: id_key(entry[1]))  # stable: lines keep their order
        return found

    def _run_type(self, store, record_type: str) -> list[tuple]:
        kind = RECORD_TYPES[record_type]
        type_index = store.index.of(record_type)
        candidates, exact = self._candidates(store, record_type)
        if candidates is None:
            ordered = type_index.order
        elif len(candidates) > len(type_index.order) // 4:
            members = candidates if isinstance(candidates, set) else set(candidates)
            ordered = [i for i in type_index.order if i in members]
        else:
            ordered = sorted(candidates, key=id_key)
        tests = [t for t in self.tests if t[0] is not exact]
        if self.columns is None and not tests and not self.joins:
            return [(record_type, i) for i in ordered]  # the index answered exactly
        get = store.get
        results: list[tuple] = []
        for internal_id in ordered:
            record = get(record_type, internal_id)
            if record is None:
                continue
            if self.columns is None:
                for row in rows_of(kind, record, self.family, with_lines=self.needs_lines):
                    if self._matches(row, tests):
                        results.append((record_type, internal_id))
                        break
                continue
            for position, row in enumerate(rows_of(kind, record, self.family, with_lines=True)):
                if self._matches(row, tests):
                    for related in self._row_joins(row):
                        results.append((record_type, internal_id, position - 1, related))
        return results

    def _matches(self, row: Row, tests: list[Test]) -> bool:
        for criterion, read in tests:
            if not criterion.test(read(row)):
                return False
        for join in self.joins:
            if not any(_all(join.tests, Row(kind, record)) for kind, record in join.related(row)):
                return False
        return True

    def _row_joins(self, row: Row) -> list[tuple]:
        """One entry per combination of records of the to-many joins the columns ask for."""
        names = [n for n in (self.columns or {}) if n in TO_MANY_JOINS]
        if not names:
            return [()]
        choices = []
        for name in names:
            join = next((j for j in self.joins if j.name == name), None)
            related = (join.related(row) if join is not None
                       else self.join_resolver(name)(row))
            if join is not None:
                related = [(k, r) for k, r in related if _all(join.tests, Row(k, r))]
            choices.append([(name, k.record_type, r["internalId"]) for k, r in related]
                           or [(name, None, None)])
        return [tuple(combination) for combination in itertools.product(*choices)]

    def join_resolver(self, name: str) -> Callable[[Row], list]:
        target = family(registry.complex(self.row_type).field(name).type_ref
                        .replace("SearchRowBasic", "SearchBasic"))
        found = self.resolver.resolver(self.family, name, target) if target else None
        if found is None:
            raise SoapFault.of("search_not_implemented",
                               what=f"the {name} of {self.family.name} searches")
        return found

    def _candidates(self, store, record_type: str) -> tuple[object, Criterion | None]:
        """The smallest candidate set an index gives, and the criterion it answers exactly."""
        type_index = store.index.of(record_type)
        best, exact = None, None
        for criterion, _ in self.tests:
            name, found, is_exact = criterion.field, None, False
            if name == "internalId" and criterion.ids is not None:
                found = {i for i in criterion.ids if store.get(record_type, i) is not None}
                is_exact = NONE_ID not in criterion.ids
            elif name == "externalId" and criterion.ids is not None:
                records = (store.get_by_external_id(record_type, e) for e in criterion.ids)
                found = {r["internalId"] for r in records if r is not None}
                is_exact = True
            elif name in KEY_FIELDS and criterion.equals is not None:
                found = type_index.with_key(name, criterion.equals)
                is_exact = True
            elif name == "lastModifiedDate" and criterion.time_range is not None:
                low, high = criterion.time_range
                found = type_index.modified_between(_stamp(low), _stamp(high))
                is_exact = True
            elif name == "isInactive" and criterion.flag is True:
                found = type_index.inactive
            if found is not None and (best is None or len(found) < len(best)):
                best, exact = found, (criterion if is_exact else None)
        return best, exact  # (exact criteria read the body, the same on every row)


def _all(tests: list[Test], row: Row) -> bool:
    return all(criterion.test(read(row)) for criterion, read in tests)


def _stamp(moment: datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()


# -- compiling ----------------------------------------------------------------------------------
def compile_search(search_record: dict, store, now: datetime) -> Query:
    """The ``Query`` for a decoded ``searchRecord``; raises RecordError, SoapFault, or
    InvalidEnumValue (0 results and NetSuite's no-match warning)."""
    qname = search_record.get("_type", "")
    ctype = registry.lookup(qname)
    if not isinstance(ctype, ComplexType) or ctype.abstract:
        raise RecordError.of("invalid_search_type", type=qname)
    joins = Joins(store)
    if ctype.field("criteria") is not None and ctype.field("columns") is not None:
        saved = search_record.get("savedSearchId") or search_record.get("savedSearchScriptId")
        if saved:
            raise RecordError.of("invalid_saved_search", id=saved)
        criteria_type = ctype.field("criteria").type_ref
        criteria = dict(search_record.get("criteria") or {}, _type=criteria_type)
        query = compile_search(criteria, store, now)
        columns = search_record.get("columns")
        if columns is not None:
            query.columns = {k: v for k, v in columns.items() if k != "_type" and v is not None}
            query.row_type = columns.get("_type") or ctype.field("columns").type_ref
            for name in query.columns:
                if name in TO_MANY_JOINS:
                    query.join_resolver(name)  # refuse an unsupported join up front
        return query
    if ctype.field("basic") is not None:  # *Search: basic criteria and joins
        fam = family(ctype.field("basic").type_ref)
        basic = search_record.get("basic") or {}
        join_specs = {k: v for k, v in search_record.items()
                      if k.endswith("Join") and isinstance(v, dict)}
        if search_record.get("customSearchJoin"):
            raise SoapFault.of("search_not_implemented", what="customSearchJoin")
    else:
        fam = family(qname)
        basic, join_specs = search_record, {}
    if fam is None:
        raise RecordError.of("invalid_search_type", type=qname)
    tests, record_types, range_keys = _compile_part(fam, basic, store, now)
    query = Query(fam, record_types, tests, [], resolver=joins)
    query.needs_lines = any(reads_lines(fam, c.field) for c, _ in tests)
    for name, spec in join_specs.items():
        target = family(ctype.field(name).type_ref)
        related = joins.resolver(fam, name, target) if target is not None else None
        if related is None:
            raise SoapFault.of("search_not_implemented", what=f"the {name} of {fam.name} searches")
        join_tests, _, join_keys = _compile_part(target, spec, store, now, narrow=False)
        range_keys += join_keys
        line_join = reads_lines(fam, name[:-len("Join")])
        query.joins.append(Join(name, target, related, join_tests, line_join))
        query.needs_lines = query.needs_lines or line_join
    query.cache_key = (store.index.version, tuple(range_keys))
    return query


def _compile_part(fam: Family, spec: dict, store, now: datetime, *, narrow: bool = True
                  ) -> tuple[list[Test], tuple[str, ...], list]:
    """Criteria of one ``*SearchBasic``: the tests, the record types left, relative-date keys."""
    schema = fam.schema
    tests: list[Test] = []
    record_types = fam.record_types
    range_keys: list = []
    for name, value in spec.items():
        if name == "_type" or value is None:
            continue
        if name == "customFieldList":
            for custom in value.get("customField") or ():
                tests.append(_custom_field_test(custom, now))
            continue
        declared = schema.field(name)
        kind = kind_of_field(declared.type_ref) if declared is not None else None
        read = accessor(fam, name, store)
        if kind is None or read is None:
            raise SoapFault.of("search_not_implemented",
                               what=f"the {name} field of {fam.name} searches")
        if kind == "multiSelect":
            value = _resolved_refs(fam, name, value, store)
        criterion = compile_criterion(name, kind, value, now,
                                      enum_values(fam, name) if kind == "enumMultiSelect" else None)
        range_keys.append(criterion.range_key)
        if narrow and name == "type" and fam.type_values:
            record_types = tuple(t for t in record_types
                                 if criterion.test(fam.type_values[t]))
            continue  # answered by choosing the record types
        tests.append((criterion, read))
    return tests, record_types, range_keys


def _resolved_refs(fam: Family, name: str, value: dict, store) -> dict:
    """RecordRefs as internal ids: ``externalId`` criteria compare external ids themselves;
    elsewhere a ref given by externalId is looked up in the record types the field points at."""
    refs = []
    for ref in value.get("searchValue") or ():
        if not isinstance(ref, dict):
            continue
        if name == "externalId":
            refs.append({"internalId": ref.get("externalId", ref.get("internalId"))})
        elif ref.get("internalId") is None and ref.get("externalId") is not None:
            refs.append({"internalId": _by_external_id(fam, name, ref["externalId"], store)})
        else:
            refs.append(ref)
    return dict(value, searchValue=refs)


def _by_external_id(fam: Family, name: str, external_id: str, store) -> str:
    for kind in fam.kinds:
        targets = fam.record_types if name == "internalId" else reference_targets(kind, name)
        for target in targets:
            record = store.get_by_external_id(target, external_id)
            if record is not None:
                return record["internalId"]
    return NO_MATCH


def _custom_field_test(custom: dict, now: datetime) -> Test:
    """A ``Search*CustomField``: matched against the record's custom field of that script id."""
    kind = kind_of_field(custom.get("_type", ""))
    if kind is None:
        raise RecordError.of("invalid_search_value")
    key = custom.get("scriptId") or custom.get("internalId")
    criterion = compile_criterion(key or "customField", kind, custom, now)

    def read(row: Row):
        for field_value in (row.record.get("customFieldList") or {}).get("customField") or ():
            if key in (field_value.get("scriptId"), field_value.get("internalId")):
                return field_value.get("value")
        return None
    return criterion, read

