"""A search request compiled against one store, and run: the ordered list of what it finds.

``compile_search`` turns the decoded ``searchRecord`` (a ``*SearchBasic``, a ``*Search`` with
joins, or a ``*SearchAdvanced`` with criteria and columns) into a ``Query``; ``Query.run`` returns
``Results`` in paging order: records, or for an advanced search with columns, rows (a record's
main line or one of its lines, with the joined records the columns ask for).

Running does not scan when it can avoid it: for each record type, the smallest candidate set an
index gives (internalId, externalId, tranId/entityId/itemId ``is``, a lastModifiedDate range,
isInactive) is filtered by the other indexed criteria, and only what is left is read and tested
against the rest. Results are ordered by internal id, which for records created through the mock
is the order they were created in.
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
                                               family, reads_lines, rows_of,
                                               unsearchable_statuses)
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
    line_level: bool   # the join follows a line field (itemJoin), so lines must be searched


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
    def run(self, store) -> "Results":
        with store.lock:
            parts = [(t, self._run_type(store, t)) for t in self.record_types]
        return Results(parts, rows=self.columns is not None)

    def _run_type(self, store, record_type: str):
        """Matches of one record type in id order: internal ids (as ints where numeric), or
        for rows ``(internal id, line index or -1, joined records)``."""
        kind = RECORD_TYPES[record_type]
        type_index = store.index.of(record_type)
        if type_index.numeric:
            ordered, tests = self._narrowed(store, type_index, record_type)
        else:  # a non-numeric id somewhere: no index can be trusted to be complete
            ordered, tests = type_index.all_ids(), self.tests
        if self.columns is None and not tests and not self.joins:
            return ordered  # a list, or an array of ids straight from an index
        get = store.get
        found: list = []
        for internal_id in ordered:
            key = str(internal_id)
            record = get(record_type, key)
            if record is None:
                continue
            if self.columns is None:
                for row in rows_of(kind, record, self.family, with_lines=self.needs_lines):
                    if self._matches(row, tests):
                        found.append(internal_id)
                        break
                continue
            for position, row in enumerate(rows_of(kind, record, self.family, with_lines=True)):
                if self._matches(row, tests):
                    for related in self._row_joins(row):
                        found.append((key, position - 1, related))
        return found

    def _narrowed(self, store, type_index, record_type: str) -> tuple[object, list[Test]]:
        """Candidate ids (ints, ascending) from the indexes, and the tests still to run.

        The smallest index answer is the starting set; every other criterion an index answers
        exactly filters it by membership; the rest are tested record by record.
        """
        answers = []
        for test in self.tests:
            answer = _index_answer(test[0], store, type_index, record_type)
            if answer is not None:
                answers.append((test, answer))
        if not answers:
            return type_index.order[:], self.tests  # a copy: the index changes with the store
        starts = [a for a in answers if a[1][0] == "in"]
        if starts:
            first = min(starts, key=lambda a: len(a[1][1]))
            members = first[1][1]
            already_ordered = (first[0][0].field == "lastModifiedDate" and type_index.mod_sorted)
            ordered = members if already_ordered else sorted(members)
        else:
            first, ordered = None, type_index.order[:]
        for test, (how, members) in answers:
            if first is not None and test is first[0]:
                continue
            members = members if isinstance(members, (set, frozenset)) else set(members)
            if how == "in":
                ordered = [i for i in ordered if i in members]
            else:
                ordered = [i for i in ordered if i not in members]
        answered = {id(test) for test, _ in answers}
        return ordered, [t for t in self.tests if id(t) not in answered]

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


class Results:
    """A search's matches in paging order, without a tuple per hit for whole records.

    ``parts`` holds each record type's matches in id order; with several types they are merged
    by internal id. ``page(start, end)`` gives (record type, internal id) or, for rows,
    (record type, internal id, line index, joined records).
    """

    def __init__(self, parts: list[tuple[str, list]], *, rows: bool):
        self.rows = rows
        parts = [(t, found) for t, found in parts if len(found)]
        if len(parts) <= 1:
            self._type = parts[0][0] if parts else None
            self._found = parts[0][1] if parts else []
            self._types = None
        else:
            merged = sorted(((id_key(str(e[0] if rows else e)), t, e)
                             for t, found in parts for e in found), key=lambda m: m[0])
            self._type = None
            self._types = [t for _, t, _ in merged]
            self._found = [e for _, _, e in merged]

    def __len__(self) -> int:
        return len(self._found)

    def page(self, start: int, end: int) -> list[tuple]:
        chunk = self._found[start:end]
        types = self._types[start:end] if self._types is not None else [self._type] * len(chunk)
        if self.rows:
            return [(t, *entry) for t, entry in zip(types, chunk)]
        return [(t, str(internal_id)) for t, internal_id in zip(types, chunk)]


def _index_answer(criterion: Criterion, store, type_index, record_type: str):
    """("in" | "not in", ids) when an index answers ``criterion`` exactly for this type."""
    name = criterion.field
    if name == "internalId" and criterion.ids is not None and NONE_ID not in criterion.ids:
        return "in", {int(i) for i in criterion.ids
                      if i.isdigit() and store.get(record_type, i) is not None}
    if name == "externalId" and criterion.ids is not None:
        records = (store.get_by_external_id(record_type, e) for e in criterion.ids)
        return "in", {int(r["internalId"]) for r in records if r is not None}
    if name in KEY_FIELDS and criterion.equals is not None:
        return "in", type_index.with_key(name, criterion.equals)
    if name == "lastModifiedDate" and criterion.time_range is not None:
        low, high = criterion.time_range
        return "in", type_index.modified_between(_stamp(low), _stamp(high))
    if name == "isInactive" and criterion.flag is not None:
        return ("in" if criterion.flag else "not in"), type_index.inactive
    return None


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
    if not fam.record_types:  # "nothing matches" would be the mock's answer, not NetSuite's
        raise SoapFault.of("search_not_implemented", what=f"{fam.name} records")
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
        if declared is not None and declared.type_ref == "platformCore:RecordRef":
            # a plain reference criterion (CustomRecordSearchBasic.recType, postingPeriod)
            kind, value = "multiSelect", {"operator": "anyOf", "searchValue": [value]}
        read = accessor(fam, name, store)
        if kind is None or read is None:
            raise SoapFault.of("search_not_implemented",
                               what=f"the {name} field of {fam.name} searches")
        if kind == "multiSelect":
            value = _resolved_refs(fam, name, value, store)
        if name == "status" and fam.has_lines:
            refused = unsearchable_statuses(value.get("searchValue") or ())
            if refused:
                raise SoapFault.of("search_not_implemented",
                                   what=f"the transaction status {refused[0]}")
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

