"""Saved searches: an account's stored advanced searches, run by ``savedSearchId`` or
``savedSearchScriptId`` and listed by ``getSavedSearch``.

NetSuite's saved searches are made in its UI; the mock's come from the seed file
(``"savedSearches"``, beside ``"records"``), each an advanced search written as JSON the way seed
records are (``{"_type": "TransactionSearchAdvanced", "criteria": …, "columns": …}``). A search
that names one runs the saved criteria and the request's together (a field given in both: the
request's), with the request's columns if it sends any, else the saved ones.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from mockserver.domain.errors import RecordError
from mockserver.domain.seed import SeedError
from mockserver.domain.values import ValueProblem, from_json
from mockserver.schema import registry
from mockserver.schema.model import ComplexType

SAVED_KEYS = ("savedSearchId", "savedSearchScriptId")


@dataclass(frozen=True)
class SavedSearch:
    internal_id: str
    script_id: str | None
    title: str
    search: dict          # the decoded *SearchAdvanced: _type, criteria, columns

    @property
    def search_type(self) -> str:
        """The SearchRecordType it searches: ``transaction`` for a TransactionSearchAdvanced."""
        name = self.search["_type"].partition(":")[2].partition("Search")[0]
        return name[0].lower() + name[1:]


class SavedSearches:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_id: dict[str, SavedSearch] = {}

    def replace(self, searches: list[SavedSearch]) -> None:
        with self._lock:
            self._by_id = {s.internal_id: s for s in searches}

    def check_new(self, searches: list[SavedSearch]) -> None:
        """SeedError if one of ``searches`` has the id or script id of one already here."""
        with self._lock:
            taken = {s.script_id for s in self._by_id.values() if s.script_id}
            for search in searches:
                if search.internal_id in self._by_id or search.script_id in taken:
                    raise SeedError(f"saved search {search.internal_id} "
                                    f"({search.script_id or 'no scriptId'}) is already defined")

    def add(self, searches: list[SavedSearch]) -> None:
        self.check_new(searches)
        with self._lock:
            self._by_id.update((s.internal_id, s) for s in searches)

    def of_type(self, search_type: str) -> list[SavedSearch]:
        with self._lock:
            return [s for s in self._by_id.values() if s.search_type == search_type]

    def find(self, internal_id: str | None, script_id: str | None) -> SavedSearch | None:
        with self._lock:
            if internal_id:
                return self._by_id.get(internal_id)
            return next((s for s in self._by_id.values() if s.script_id == script_id), None)

    def __len__(self) -> int:
        return len(self._by_id)


def saved_searches_of(data: dict, source: str) -> list[SavedSearch]:
    """The seed's ``savedSearches`` (none when it has no such list)."""
    if not isinstance(data, dict):  # the records' loader says what is wrong with it
        return []
    entries = data.get("savedSearches", [])
    if not isinstance(entries, list):
        raise SeedError(f"{source}: \"savedSearches\" must be a list")
    found: list[SavedSearch] = []
    for index, entry in enumerate(entries):
        where = f"{source}: savedSearches[{index}]"
        if not isinstance(entry, dict):
            raise SeedError(f"{where}: expected an object, got {entry!r}")
        internal_id, script_id = entry.get("internalId"), entry.get("scriptId")
        if internal_id is None or not str(internal_id).strip():
            raise SeedError(f"{where}: needs an internalId")
        if script_id is not None and not str(script_id).startswith("customsearch"):
            raise SeedError(f"{where}: a saved search's scriptId starts with "
                                     f"customsearch, not {script_id!r}")
        try:
            search = from_json(entry.get("search"), "platformCore:SearchRecord",
                               f"{where}.search")
        except ValueProblem as problem:
            raise SeedError(str(problem)) from None
        ctype = registry.lookup(search.get("_type", ""))
        if not (isinstance(ctype, ComplexType) and ctype.field("criteria") is not None
                and ctype.field("columns") is not None):
            raise SeedError(f"{where}.search: a saved search is an advanced search "
                                     f"(a *SearchAdvanced type with criteria and columns)")
        if any(search.get(key) for key in SAVED_KEYS):
            raise SeedError(f"{where}.search: a saved search cannot name another")
        found.append(SavedSearch(str(internal_id), None if script_id is None else str(script_id),
                                 str(entry.get("title") or script_id or internal_id), search))
    ids = [s.internal_id for s in found]
    scripts = [s.script_id for s in found if s.script_id]
    for kind, values in (("internalId", ids), ("scriptId", scripts)):
        repeated = sorted({v for v in values if values.count(v) > 1})
        if repeated:
            raise SeedError(f"{source}: savedSearches use the {kind} "
                                     f"{repeated[0]} twice")
    return found


def with_saved_search(search_record: dict, saved: SavedSearches, *,
                      return_columns: bool = True) -> dict:
    """``search_record`` as the search it names: the saved criteria with the request's on top,
    the request's columns or else the saved ones (none when the client asked for records with
    ``returnSearchColumns`` false). Unchanged when it names none."""
    internal_id, script_id = (search_record.get(key) for key in SAVED_KEYS)
    if not internal_id and not script_id:
        return search_record
    found = saved.find(internal_id, script_id)
    if found is None or found.search["_type"] != search_record.get("_type"):
        raise RecordError.of("invalid_saved_search", id=internal_id or script_id)
    merged = {k: v for k, v in search_record.items() if k not in SAVED_KEYS}
    merged["criteria"] = _on_top(found.search.get("criteria") or {},
                                 search_record.get("criteria") or {})
    if return_columns and search_record.get("columns") is None \
            and found.search.get("columns") is not None:
        merged["columns"] = found.search["columns"]
    return merged


def _on_top(saved: dict, asked: dict) -> dict:
    """Criteria of both (a *Search: basic and joins, each a *SearchBasic of fields)."""
    merged = dict(saved)
    for part, fields in asked.items():
        if isinstance(fields, dict) and isinstance(merged.get(part), dict):
            merged[part] = {**merged[part], **fields}
        else:
            merged[part] = fields
    return merged
