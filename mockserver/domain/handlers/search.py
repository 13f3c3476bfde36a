"""The ``search``, ``searchMoreWithId``, ``getSavedSearch`` and ``getDeleted`` operations, and
the search an ``asyncSearch`` job runs (``search_snapshot``).

``search`` validates the SearchPreferences header (``pageSize`` 5-1000, default 1000;
``returnSearchColumns`` against the columns sent), runs the search, opens a search id (the
response's ``nsId``) and answers with page 1. ``searchMoreWithId`` re-runs the search of that id
with its original page size and preferences (clients send none with it) and answers with the
page asked for. Failures are statuses, never faults: INVALID_SEARCH_PAGE_SIZE,
INVALID_SEARCH_PREF, INVALID_JOB_ID (unknown or unused for 15 minutes),
INVALID_SEARCH_PAGE_INDEX, INVALID_SAVED_SRCH; an enum value the field does not have gives 0
results and a WARN.
"""

from __future__ import annotations

from dataclasses import dataclass

from mockserver.domain.accounts import DELETED_RECORDS, Level
from mockserver.domain.dispatch import Call, operation
from mockserver.domain.errors import RecordError, success_status, warning_status
from mockserver.domain.records import RECORD_TYPES, id_order
from mockserver.domain.search.criteria import InvalidEnumValue, compile_criterion
from mockserver.domain.search.query import Query, Results, compile_search
from mockserver.domain.search.results import render_record, render_row
from mockserver.domain.search.saved import with_saved_search
from mockserver.domain.search.sessions import SearchSession, SearchSessions
from mockserver.schema import registry
from mockserver.schema.model import ComplexType

MIN_PAGE_SIZE, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE = 5, 1000, 1000
MAX_ASYNC_PAGE_SIZE = 2000  # asyncSearch pages (the reference, §3.7)


def sessions_of(call: Call) -> SearchSessions:
    return call.account.searches


def _page_size(prefs: dict, maximum: int = MAX_PAGE_SIZE) -> int:
    size = prefs.get("pageSize")
    if size is None:
        return DEFAULT_PAGE_SIZE
    if not MIN_PAGE_SIZE <= size <= maximum:
        raise RecordError.of("invalid_page_size")
    return size


def _is_advanced(search_record: dict) -> bool:
    ctype = registry.lookup(search_record.get("_type", ""))
    return isinstance(ctype, ComplexType) and ctype.field("columns") is not None


def _check_return_columns(prefs: dict, search_record: dict, query: Query) -> None:
    """``returnSearchColumns`` false with columns, or set true without them, is refused."""
    flag = prefs.get("returnSearchColumns")
    if query.columns is None:
        if flag is True and _is_advanced(search_record):
            raise RecordError.of("return_without_columns")
    elif flag is False:
        raise RecordError.of("columns_without_return")


def _result(status: dict, total: int, page_size: int, page_index: int, search_id: str,
            page: list, rows: bool) -> dict:
    result: dict = {"status": status, "totalRecords": total}
    if total:
        result["pageSize"] = page_size
    result["totalPages"] = -(-total // page_size)
    if total:
        result["pageIndex"] = page_index
    result["searchId"] = search_id
    if rows:
        result["searchRowList"] = {"searchRow": page}
    else:
        result["recordList"] = {"record": page}
    return result


def _restrict_to_role(call: Call, query: Query) -> None:
    """Search only the record types the role may view; none at all is NetSuite's permission
    violation for the first of them."""
    allowed = tuple(t for t in query.record_types if call.role.level_for(t) >= Level.VIEW)
    if query.record_types and not allowed:
        call.role.require(query.record_types[0], Level.VIEW)
    if allowed != query.record_types:
        query.record_types = allowed
        query.cache_key = query.cache_key + (allowed,)


def _run(call: Call, session: SearchSession, query: Query) -> Results:
    key = query.cache_key
    if session.cached is not None and session.cached[0] == key:
        return session.cached[1]
    found = query.run(call.account.store)
    sessions_of(call).remember(session, key, found)
    return found


def _page(call: Call, session: SearchSession, query: Query, page_index: int) -> dict:
    return _render_page(call, session, query, _run(call, session, query), page_index)


def _render_page(call: Call, session: SearchSession, query: Query, found: Results,
                 page_index: int) -> dict:
    size = session.page_size
    total_pages = -(-len(found) // size)
    if not 1 <= page_index <= max(total_pages, 1):
        raise RecordError.of("invalid_page_index")
    chunk = found.page((page_index - 1) * size, page_index * size)
    store = call.account.store
    if query.columns is not None:
        page = [row for row in (render_row(query, store, entry) for entry in chunk)
                if row is not None]
    else:
        page = []
        for record_type, internal_id in chunk:
            record = store.get(record_type, internal_id)
            if record is not None:
                page.append(render_record(RECORD_TYPES[record_type], record,
                                          session.body_fields_only, store))
    return _result(success_status(), len(found), size, page_index,
                   session.search_id, page, query.columns is not None)


def _no_match_warning(invalid: InvalidEnumValue, session: SearchSession) -> dict:
    """NetSuite's answer to an enum value the field lacks: no records, one WARN detail."""
    status = warning_status("invalid_enum_value", field=invalid.field_name, value=invalid.value)
    search_record = session.search_record
    rows = _is_advanced(search_record) and search_record.get("columns") is not None
    return _result(status, 0, session.page_size, 1, session.search_id, [], rows)


def _compiled(call: Call, search_record: dict, search_id: str,
              max_page_size: int) -> tuple[SearchSession, Query | None, dict | None]:
    """The search (a saved search it names filled in) checked against its preferences and
    compiled: (session, query, None), or (session, None, the no-match answer) for an enum
    value the field lacks."""
    prefs = call.headers.get("searchPreferences") or {}
    page_size = _page_size(prefs, max_page_size)
    search_record = with_saved_search(search_record, call.account.saved_searches,
                                      return_columns=prefs.get("returnSearchColumns") is not False)
    session = SearchSession(search_id, search_record, page_size,
                            prefs.get("bodyFieldsOnly") is not False, call.now.timestamp())
    try:
        query = compile_search(search_record, call.account.store, call.now)
    except InvalidEnumValue as invalid:
        return session, None, _no_match_warning(invalid, session)
    _check_return_columns(prefs, search_record, query)
    _restrict_to_role(call, query)
    return session, query, None


@operation("search")
def search(call: Call, body: dict) -> dict:
    try:
        session, query, no_match = _compiled(call, body.get("searchRecord") or {}, call.ns_id,
                                             MAX_PAGE_SIZE)
        sessions_of(call).open(session)
        if query is None:
            return {"searchResult": no_match}
        return {"searchResult": _page(call, session, query, 1)}
    except RecordError as error:
        return {"searchResult": {"status": error.as_status()}}


@dataclass
class SearchSnapshot:
    """A search run once whose pages are read later: an asyncSearch job's result. Its pages
    come from the records found when it ran (rendered as they are when read); it has no
    search id that searchMoreWithId knows, as NetSuite's async searches have none."""

    session: SearchSession | None = None
    query: Query | None = None
    found: Results | None = None
    answer: dict | None = None  # instead of pages: a failed status, or the no-match warning

    @property
    def succeeded(self) -> bool:
        return self.answer is None or self.answer["status"]["isSuccess"]

    def page(self, call: Call, page_index: int) -> dict:
        """The ``searchResult`` of page ``page_index``."""
        try:
            if self.answer is not None:
                if page_index != 1 and self.answer["status"]["isSuccess"]:
                    raise RecordError.of("invalid_page_index")
                return self.answer
            return _render_page(call, self.session, self.query, self.found, page_index)
        except RecordError as error:
            return {"status": error.as_status()}


def search_snapshot(call: Call, search_record: dict, job_id: str) -> SearchSnapshot:
    """Run a search as an asyncSearch job does (pages of up to 2000)."""
    try:
        session, query, no_match = _compiled(call, search_record, job_id, MAX_ASYNC_PAGE_SIZE)
    except RecordError as error:
        return SearchSnapshot(answer={"status": error.as_status()})
    if query is None:
        return SearchSnapshot(answer=no_match)
    return SearchSnapshot(session, query, query.run(call.account.store))


@operation("searchMoreWithId")
def search_more_with_id(call: Call, body: dict) -> dict:
    try:
        session = sessions_of(call).use(body.get("searchId") or "", call.now.timestamp())
        if session is None:
            raise RecordError.of("invalid_job_id")
        try:
            query = compile_search(session.search_record, call.account.store, call.now)
        except InvalidEnumValue as invalid:  # page 1 again, as for any empty search; no other
            if (body.get("pageIndex") or 0) != 1:
                raise RecordError.of("invalid_page_index") from None
            return {"searchResult": _no_match_warning(invalid, session)}
        _restrict_to_role(call, query)
        return {"searchResult": _page(call, session, query, body.get("pageIndex") or 0)}
    except RecordError as error:
        return {"searchResult": {"status": error.as_status()}}


# -- getSavedSearch ------------------------------------------------------------------------------
@operation("getSavedSearch")
def get_saved_search(call: Call, body: dict) -> dict:
    """The account's saved searches of one search type, by internal id."""
    search_type = (body.get("record") or {}).get("searchType")
    if not search_type:
        return {"getSavedSearchResult": {
            "status": RecordError.of("data_required", field="searchType").as_status()}}
    found = sorted(call.account.saved_searches.of_type(search_type),
                   key=lambda s: id_order(s.internal_id))
    return {"getSavedSearchResult": {
        "status": success_status(), "totalRecords": len(found),
        # CustomizationRefs with their script ids, typed (NetSuite's getSavedSearch sample)
        "recordRefList": {"recordRef": [
            {"_type": "platformCore:CustomizationRef", "internalId": s.internal_id,
             **({"scriptId": s.script_id} if s.script_id else {}), "name": s.title}
            for s in found]}}}


# -- getDeleted ---------------------------------------------------------------------------------
@operation("getDeleted")
def get_deleted(call: Call, body: dict) -> dict:
    """Deleted records matching the filter (type, deletedDate, scriptId), oldest first.

    The role needs the Deleted Records permission; with it, it sees the deletions of every
    record type, even types it may not view (NetSuite's getDeleted documentation)."""
    spec = body.get("getDeletedFilter")
    page_index = body.get("pageIndex") or 0
    try:
        call.role.require(DELETED_RECORDS, Level.VIEW)
        if spec is None:  # the schema requires it; an empty one asks for every deletion
            raise RecordError.of("data_required", field="getDeletedFilter")
        page_size = _page_size(call.headers.get("searchPreferences") or {})
        tests = []
        for name, kind, enums in (
                ("type", "enumMultiSelect",
                 frozenset(registry.lookup("platformCoreTyp:DeletedRecordType").values)),
                ("deletedDate", "date", None), ("scriptId", "string", None)):
            if spec.get(name) is not None:
                tests.append((name, compile_criterion(name, kind, spec[name], call.now, enums)))
        deleted = [entry for entry in call.account.store.deleted()
                   if all(criterion.test(_deleted_value(entry, name))
                          for name, criterion in tests)]
    except InvalidEnumValue as invalid:
        return {"getDeletedResult": {
            "status": warning_status("invalid_enum_value", field=invalid.field_name,
                                     value=invalid.value),
            "totalRecords": 0, "totalPages": 0, "deletedRecordList": {"deletedRecord": []}}}
    except RecordError as error:
        return {"getDeletedResult": {"status": error.as_status()}}
    total_pages = -(-len(deleted) // page_size)
    if not 1 <= page_index <= max(total_pages, 1):
        return {"getDeletedResult": {"status": RecordError.of("invalid_page_index").as_status()}}
    chunk = deleted[(page_index - 1) * page_size:page_index * page_size]
    return {"getDeletedResult": {
        "status": success_status(), "totalRecords": len(deleted), "pageSize": page_size,
        "totalPages": total_pages, "pageIndex": page_index,
        "deletedRecordList": {"deletedRecord": [_deleted_record(entry) for entry in chunk]}}}


def _deleted_value(entry, name: str):
    if name == "type":
        return entry.record_type
    if name == "deletedDate":
        return entry.deleted_at
    return None  # scriptId: the mock keeps no script ids of deleted custom records


def _deleted_record(entry) -> dict:
    ref = {"_type": "platformCore:RecordRef", "internalId": entry.internal_id,
           "type": entry.record_type}
    if entry.external_id is not None:
        ref["externalId"] = entry.external_id
    if entry.name is not None:
        ref["name"] = entry.name
    return {"deletedDate": entry.deleted_at, "record": ref}

