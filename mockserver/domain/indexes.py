"""Secondary indexes over one account's records, kept up to date by the store on every write.

Searches use them to find candidates without scanning: the records of a type in internal-id order,
by last-modified time (a sorted array, so "modified on or after X" is a bisect and a slice), by
``tranId``/``entityId``/``itemId`` (case-insensitive, as NetSuite compares), the inactive ones,
and which transactions apply to which (``createdFrom``, a bill line's ``orderDoc``, a payment's
applied documents) for the applying/applied-to transaction joins. ``RecordIndex`` also keeps
the store's version and a bounded log of its latest changes, which caches derived from the
store (the general ledger) catch up from instead of starting again.

Memory matters (a store may hold a million records): ids and times are packed C integers and
doubles (16 bytes a record for order and modification time), and a key maps to a single id
until a second record shares it.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right, insort
from collections import deque
from datetime import datetime
from typing import Iterable, Iterator, NamedTuple

KEY_FIELDS = ("tranId", "entityId", "itemId")
MODIFIED = "lastModifiedDate"


def id_key(internal_id: str) -> tuple:
    """Numeric order for NetSuite's numeric ids; anything else after them, alphabetically."""
    if internal_id.isdigit():
        return (0, len(internal_id), internal_id)
    return (1, 0, internal_id)


def fold(value: str) -> str:
    """The case-insensitive key of a string, sharing the object when it is already folded."""
    folded = value.casefold()
    return value if folded == value else folded


class TypeIndex:
    """The indexes of one record type.

    NetSuite's internal ids are numbers, and the indexes hold them as C integers in arrays
    (8 bytes an entry) or as ints in sets. A record with a non-numeric id (possible in a
    hand-written seed) is kept aside in ``odd_ids``; while there is one, searches of that type
    scan instead of using the indexes.
    """

    __slots__ = ("order", "odd_ids", "mod_times", "mod_nums", "mod_sorted", "keys", "inactive")

    def __init__(self) -> None:
        self.order = array("q")                         # numeric internal ids, ascending
        self.odd_ids: list[str] = []                    # non-numeric ids, in id_key order
        self.mod_times = array("d")                     # lastModifiedDate timestamps, sorted
        self.mod_nums = array("q")                      # the id at each position of mod_times
        # True while mod_nums is also ascending (records written in id order, as a bulk load
        # is): a range of modification times is then already in id order.
        self.mod_sorted = True
        self.keys: dict[str, dict[str, int | set[int]]] = {f: {} for f in KEY_FIELDS}
        self.inactive: set[int] = set()

    @property
    def numeric(self) -> bool:
        return not self.odd_ids

    def __len__(self) -> int:
        return len(self.order) + len(self.odd_ids)

    def all_ids(self) -> list[str]:
        """Every internal id of the type, in id order."""
        return [str(n) for n in self.order] + self.odd_ids

    # -- maintenance ---------------------------------------------------------------------
    def add(self, record: dict) -> None:
        internal_id = record["internalId"]
        if not internal_id.isdigit():
            insort(self.odd_ids, internal_id, key=id_key)
            return
        number = int(internal_id)
        if not self.order or number > self.order[-1]:
            self.order.append(number)
        else:
            self.order.insert(bisect_left(self.order, number), number)
        self._add_fields(number, record)

    def replace(self, previous: dict, record: dict) -> None:
        if record["internalId"].isdigit():
            number = int(record["internalId"])
            self._remove_fields(number, previous)
            self._add_fields(number, record)

    def discard(self, record: dict) -> None:
        internal_id = record["internalId"]
        if not internal_id.isdigit():
            self.odd_ids.remove(internal_id)
            return
        number = int(internal_id)
        position = bisect_left(self.order, number)
        if position < len(self.order) and self.order[position] == number:
            del self.order[position]
        self._remove_fields(number, record)

    def _add_fields(self, number: int, record: dict) -> None:
        modified = record.get(MODIFIED)
        if isinstance(modified, datetime):
            stamp = modified.timestamp()
            if not self.mod_times:
                self.mod_sorted = True
            if not self.mod_times or stamp >= self.mod_times[-1]:
                if self.mod_nums and number < self.mod_nums[-1]:
                    self.mod_sorted = False
                self.mod_times.append(stamp)
                self.mod_nums.append(number)
            else:
                position = bisect_right(self.mod_times, stamp)
                self.mod_times.insert(position, stamp)
                self.mod_nums.insert(position, number)
                self.mod_sorted = False
        for table, key in self._keys_of(record):
            current = table.get(key)
            if current is None:
                table[key] = number
            elif isinstance(current, set):
                current.add(number)
            elif current != number:
                table[key] = {current, number}
        if record.get("isInactive") is True:
            self.inactive.add(number)

    def _keys_of(self, record: dict):
        """(key table, folded key) for each indexed key field the record has."""
        for name in KEY_FIELDS:
            value = record.get(name)
            if isinstance(value, str) and value:
                yield self.keys[name], fold(value)

    def _remove_fields(self, number: int, record: dict) -> None:
        modified = record.get(MODIFIED)
        if isinstance(modified, datetime):
            stamp = modified.timestamp()
            position = bisect_left(self.mod_times, stamp)
            while position < len(self.mod_times) and self.mod_times[position] == stamp:
                if self.mod_nums[position] == number:
                    del self.mod_times[position]
                    del self.mod_nums[position]
                    break
                position += 1
        for table, key in self._keys_of(record):
            current = table.get(key)
            if isinstance(current, set):
                current.discard(number)
                if len(current) == 1:
                    table[key] = next(iter(current))
            elif current == number:
                del table[key]
        self.inactive.discard(number)

    # -- look-ups ------------------------------------------------------------------------
    def modified_between(self, low: float | None, high: float | None) -> array:
        """Ids modified at ``low <= t < high`` (either end open when None), oldest first."""
        start = 0 if low is None else bisect_left(self.mod_times, low)
        end = len(self.mod_times) if high is None else bisect_left(self.mod_times, high)
        return self.mod_nums[start:end]

    def with_key(self, name: str, value: str) -> set[int]:
        found = self.keys[name].get(fold(value))
        if found is None:
            return set()
        return set(found) if isinstance(found, set) else {found}


# Sublists whose lines apply a transaction to others, keyed by ``doc`` (a payment's invoices,
# credits and deposits, a refund's credit memos and deposits). Their lines are named per record
# type (``apply``, ``customerRefundDeposit``): a sublist holds one list, whatever its name.
APPLY_LISTS = ("applyList", "creditList", "depositList")
# Body references that name the transaction a transaction was made from or settles: the order
# or estimate it was created from, an estimate's or order's opportunity, the customer deposit a
# deposit application applies.
LINK_FIELDS = ("createdFrom", "opportunity", "deposit")


def transaction_links(record: dict) -> set[str]:
    """Internal ids of the transactions a transaction applies to (its "applied-to" side)."""
    links: set[str] = set()
    for name in LINK_FIELDS:
        ref = record.get(name)
        if isinstance(ref, dict) and ref.get("internalId"):
            links.add(ref["internalId"])
    for list_field, item_field in (("itemList", "item"), ("expenseList", "expense")):
        for line in (record.get(list_field) or {}).get(item_field) or ():
            if line.get("orderDoc") is not None:
                links.add(str(line["orderDoc"]))
    for list_field in APPLY_LISTS:
        sublist = record.get(list_field) or {}
        for applied in next((v for v in sublist.values() if isinstance(v, list)), ()):
            # applied unless it says otherwise, as the payment's own totals count it
            if applied.get("apply") is not False and applied.get("doc") is not None:
                links.add(str(applied["doc"]))
    return links


class Change(NamedTuple):
    """One write to the store: the version it made, what it wrote, and whether the record was
    new (``added``; a replaced one is not), replaced, or taken out (``removed``)."""

    version: int
    record_type: str
    internal_id: str
    added: bool
    removed: bool


# How many changes the log keeps: a cache further behind than that rebuilds from scratch.
CHANGE_LOG_SIZE = 4096


class RecordIndex:
    """Every index of one store, by record type, plus the transaction links, and the log of
    the latest changes (``changes_since``) that caches derived from the store (the ledger)
    bring themselves up to date from."""

    def __init__(self, link_types: Iterable[str] = ()) -> None:
        self.types: dict[str, TypeIndex] = {}
        self.link_types = frozenset(link_types)
        self.applied_by: dict[str, set[tuple[str, str]]] = {}  # target id -> applying records
        self.version = 0  # bumped on every change: cached search results compare it
        self._changes: deque[Change] = deque(maxlen=CHANGE_LOG_SIZE)
        self._logged_after = 0  # the log holds every change that made a version above this

    def _log(self, record_type: str, internal_id: str, *, added: bool, removed: bool) -> None:
        self.version += 1
        if len(self._changes) == self._changes.maxlen:
            self._logged_after = self._changes[0].version
        self._changes.append(Change(self.version, record_type, internal_id, added, removed))

    def changes_since(self, version: int) -> list[Change] | None:
        """The changes made after ``version``, oldest first; None when the log no longer
        holds them all (too many since, or the store was cleared)."""
        if version < self._logged_after or version > self.version:
            return None
        out = []
        for change in reversed(self._changes):
            if change.version <= version:
                break
            out.append(change)
        out.reverse()
        return out

    def of(self, record_type: str) -> TypeIndex:
        index = self.types.get(record_type)
        if index is None:
            index = self.types[record_type] = TypeIndex()
        return index

    def put(self, record_type: str, previous: dict | None, record: dict) -> None:
        self._log(record_type, record["internalId"], added=previous is None, removed=False)
        index = self.of(record_type)
        if previous is None:
            index.add(record)
        else:
            index.replace(previous, record)
        if record_type in self.link_types:
            self._relink(record_type, previous, record)

    def remove(self, record_type: str, record: dict) -> None:
        self._log(record_type, record["internalId"], added=False, removed=True)
        self.of(record_type).discard(record)
        if record_type in self.link_types:
            self._relink(record_type, record, None)

    def clear(self) -> None:
        self.version += 1
        self._changes.clear()
        self._logged_after = self.version
        self.types.clear()
        self.applied_by.clear()

    def _relink(self, record_type: str, previous: dict | None, record: dict | None) -> None:
        before = transaction_links(previous) if previous is not None else set()
        after = transaction_links(record) if record is not None else set()
        source = (record_type, (record or previous)["internalId"])
        for target in before - after:
            sources = self.applied_by.get(target)
            if sources is not None:
                sources.discard(source)
                if not sources:
                    del self.applied_by[target]
        for target in after - before:
            self.applied_by.setdefault(target, set()).add(source)

    def applying(self, internal_id: str) -> Iterator[tuple[str, str]]:
        """(record type, id) of the transactions that apply to transaction ``internal_id``."""
        return iter(sorted(self.applied_by.get(internal_id, ()), key=lambda s: id_key(s[1])))
