"""Every record of a search: ``search`` for page 1, then ``searchMoreWithId`` for the rest.

    pages = ns.search_all({"_ns_type": "VendorSearchBasic"}, page_size=100)
    for vendor in pages:
        ...
    pages.total_records, pages.total_pages, pages.pages_read, pages.records_read

NetSuite re-runs the search for each page, so a record changed between pages can move: it may
appear twice (the iterator yields a record once, by type and internalId, and counts the
duplicates) or be missed (nothing a client can do; a re-run finds it). ``totalPages`` is re-read
from every page for the same reason. Search rows (advanced searches) are yielded as they come:
one record can rightly have many rows.
"""

from __future__ import annotations

from typing import Iterator

from zeep.xsd import CompoundValue

from client.progress import Progress, ProgressTask

SEARCH_PREFERENCES = "searchPreferences"


def page_items(result) -> list:
    """The records or search rows of one page (or of a getAll result)."""
    records = getattr(result, "recordList", None)
    if records is not None and getattr(records, "record", None):
        return list(records.record)
    rows = getattr(result, "searchRowList", None)
    if rows is not None and getattr(rows, "searchRow", None):
        return list(rows.searchRow)
    return []


def _with_page_size(headers: dict | None, page_size: int | None) -> dict | None:
    if page_size is None:
        return headers
    headers = dict(headers or {})
    preferences = headers.get(SEARCH_PREFERENCES) or {}
    if isinstance(preferences, CompoundValue):
        preferences.pageSize = page_size
    else:
        preferences = {**preferences, "pageSize": page_size}
    headers[SEARCH_PREFERENCES] = preferences
    return headers


class SearchPages:
    """An iterable over all records (or rows) of a search, with the totals NetSuite reports."""

    def __init__(self, client, search_record, *, headers: dict | None = None,
                 page_size: int | None = None, progress: Progress | None = None,
                 label: str = "search", dedupe: bool = True):
        self.client = client
        self.search_record = search_record
        self.headers = _with_page_size(headers, page_size)
        self.progress = progress
        self.label = label
        self.dedupe = dedupe
        self.total_records: int | None = None
        self.total_pages: int | None = None
        self.page_size: int | None = None
        self.search_id: str | None = None
        self.pages_read = 0
        self.records_read = 0
        self.duplicates = 0
        self._task: ProgressTask | None = None

    def pages(self) -> Iterator:
        """Each page's ``searchResult`` in order (page 1 from ``search``)."""
        if self.progress is not None:
            self._task = self.progress.task(self.label)
        try:
            result = self.client.call("search", self.search_record, headers=self.headers)
            self._read(result)
            yield result
            index = 2
            while self.total_pages is not None and index <= self.total_pages:
                result = self.client.call("searchMoreWithId", searchId=self.search_id,
                                          pageIndex=index, headers=self.headers)
                self._read(result)
                yield result
                index += 1
        finally:
            if self._task is not None:
                self._task.finish()
                self._task = None

    def __iter__(self) -> Iterator:
        seen: set[tuple[str, str]] = set()
        for page in self.pages():
            for item in page_items(page):
                key = _record_key(item) if self.dedupe else None
                if key is not None:
                    if key in seen:
                        self.duplicates += 1
                        continue
                    seen.add(key)
                self.records_read += 1
                yield item
            if self._task is not None:
                self._task.update(done=self.records_read)

    def _read(self, result) -> None:
        self.pages_read += 1
        self.total_records = getattr(result, "totalRecords", None)
        self.total_pages = getattr(result, "totalPages", None) or 0
        self.page_size = getattr(result, "pageSize", None) or self.page_size
        self.search_id = getattr(result, "searchId", None) or self.search_id
        if self._task is not None:
            self._task.update(total=self.total_records,
                              detail=f"page {self.pages_read}/{self.total_pages}")

    def summary(self) -> dict:
        return {"total_records": self.total_records, "total_pages": self.total_pages,
                "page_size": self.page_size, "pages_read": self.pages_read,
                "records_read": self.records_read, "duplicates_skipped": self.duplicates}


def _record_key(item) -> tuple[str, str] | None:
    """(type, internalId) for a record; None for search rows, which may repeat a record."""
    internal_id = getattr(item, "internalId", None) if isinstance(item, CompoundValue) else None
    if internal_id is None:
        return None
    return type(item).__name__, str(internal_id)
