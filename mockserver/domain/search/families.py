"""Which records each search type finds, and how a search field reads a record.

A *family* is what one ``*SearchBasic`` searches: ``TransactionSearchBasic`` every transaction
type (told apart by its ``type`` field, ``_vendorBill``…), ``ItemSearchBasic`` the item types,
``VendorSearchBasic`` vendors. Everything is derived from the schema: ``VendorSearch`` wraps
``VendorSearchBasic`` plus joins, ``VendorSearchAdvanced`` has ``criteria``/``columns``, rows are
``VendorSearchRow`` with ``VendorSearchRowBasic`` columns.

Transactions are searched line by line, as NetSuite does: a transaction is a main line (the body)
plus one row per item, expense or journal line. Line fields (``item``, ``quantity``, ``amount``,
``memo``, ``account``…) read the line on line rows and the body on the main line; ``mainLine``
says which row is which. A search field reads the record field of the same name unless an
accessor below says otherwise (``internalIdNumber``, ``type``, ``dateCreated``…; address fields
such as ``billCity`` read the default billing address, ``ADDRESS_PARTS``). A search field that no
record of the family has is refused (the mock would otherwise answer "nothing matches" for a
reason NetSuite would not have); such a column answers no value (``results``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable

from mockserver.domain.indexes import transaction_links
from mockserver.domain.records import (ITEM_TYPE_ENUM, RECORD_TYPES, RecordKind, item_type_value,
                                       kind_of, reference_targets)
from mockserver.domain.search.criteria import ref_ids
from mockserver.domain.transactions import STATUS_COMPUTED, status_search_value
from mockserver.schema import registry
from mockserver.schema.model import ComplexType, EnumType

SEARCH_RECORD_BASIC = "platformCore:SearchRecordBasic"
TRANSACTION_TYPE_ENUM = "tranSalesTyp:TransactionType"
# A transaction's ``TransactionType`` value where it is not ``_`` + its record type (the journal
# variants are INFERRED to search as journals, an intercompany transfer order as a transfer order).
TRANSACTION_TYPE_VALUES = {"journalEntry": "_journal", "advInterCompanyJournalEntry": "_journal",
                           "interCompanyJournalEntry": "_journal",
                           "statisticalJournalEntry": "_journal",
                           "interCompanyTransferOrder": "_transferOrder",
                           "purchaseRequisition": "_requisition", "customTransaction": "_custom"}
LINE_SUBLISTS = (("itemList", "item"), ("expenseList", "expense"), ("lineList", "line"))
# Fields a transaction line carries (NetSuite's line-level search fields).
LINE_ONLY = frozenset({"item", "quantity", "rate", "line", "description"})
LINE_OR_BODY = frozenset({"amount", "memo", "account", "location", "department", "class",
                          "customer", "isBillable"})
TOTAL_FIELDS = ("total", "userTotal", "amount", "payment")
# Search field name -> record field name, where NetSuite names them differently.
ALIASES = {
    "Account": {"type": "acctType", "name": "acctName", "number": "acctNumber"},
    "AccountingPeriod": {"name": "periodName"},
    "CustomRecordType": {"name": "recordName"},
}
# Address search fields and columns (``billCity``, ``shipZip``, ``city``…): the part of the
# address (``platformCommon:Address``) each reads; ``bill``/``ship`` name the default billing or
# shipping address, no prefix an entity's default billing address (else its first, INFERRED:
# NetSuite's entity searches match any address; a column shows one) or a location's or
# subsidiary's ``mainAddress``.
ADDRESS_PARTS = {"address1": "addr1", "address2": "addr2", "address3": "addr3",
                 "addressee": "addressee", "attention": "attention", "city": "city",
                 "state": "state", "zipCode": "zip", "zip": "zip", "country": "country",
                 "phone": "addrPhone", "addressPhone": "addrPhone", "address": "addrText"}
# Unprefixed fields that read the address book entry itself rather than its address.
ADDRESS_ENTRY_PARTS = {"addressLabel": "label", "isDefaultBilling": "defaultBilling",
                       "isDefaultShipping": "defaultShipping", "addressInternalId": "internalId"}
# Where a transaction, location or subsidiary holds each address (entities: ``addressbookList``).
ADDRESS_FIELDS = {"bill": "billingAddress", "ship": "shippingAddress", "": "mainAddress"}


class Row:
    """One search row: a record's body (``line`` None) or one of its lines."""

    __slots__ = ("kind", "record", "line")

    def __init__(self, kind: RecordKind, record: dict, line: dict | None = None):
        self.kind = kind
        self.record = record
        self.line = line


@dataclass(frozen=True)
class Family:
    name: str                         # "Transaction", "Vendor", …
    basic: str                        # "platformCommon:TransactionSearchBasic"
    record_types: tuple[str, ...]
    type_values: dict[str, str]       # record type -> its value of the basic's ``type`` field
    type_enum: str | None             # the enumeration ``type`` values come from
    has_lines: bool

    @property
    def kinds(self) -> list[RecordKind]:
        return [RECORD_TYPES[t] for t in self.record_types]

    @property
    def schema(self) -> ComplexType:
        return registry.complex(self.basic)


def _family_for(basic: ComplexType) -> Family:
    name = basic.name[:-len("SearchBasic")]
    if name == "Transaction":
        known = registry.lookup(TRANSACTION_TYPE_ENUM).values
        values = {k.record_type: value for k in RECORD_TYPES.values() if k.family == "transaction"
                  and (value := TRANSACTION_TYPE_VALUES.get(k.record_type, "_" + k.record_type))
                  in known}
        return Family(name, basic.qname, tuple(values), values, TRANSACTION_TYPE_ENUM, True)
    if name == "Item":
        values = {k.record_type: value for k in RECORD_TYPES.values() if k.family == "item"
                  and (value := item_type_value(k.record_type)) is not None}
        return Family(name, basic.qname, tuple(values), values, ITEM_TYPE_ENUM, False)
    record_type = name[0].lower() + name[1:]
    types = (record_type,) if kind_of(record_type) is not None else ()
    return Family(name, basic.qname, types, {}, None, False)


@lru_cache(maxsize=None)
def family(basic_qname: str) -> Family | None:
    found = registry.lookup(basic_qname)
    if not isinstance(found, ComplexType) or found.abstract or not found.is_a(SEARCH_RECORD_BASIC):
        return None
    return _family_for(found)


def family_of_kind(kind: RecordKind) -> Family | None:
    """The family whose searches return ``kind`` (TransactionSearchBasic for a vendor bill)."""
    for basic in ("platformCommon:TransactionSearchBasic", "platformCommon:ItemSearchBasic"):
        fam = family(basic)
        if kind.record_type in fam.record_types:
            return fam
    name = kind.record_type[0].upper() + kind.record_type[1:]
    return family(f"platformCommon:{name}SearchBasic")


# -- reading fields ---------------------------------------------------------------------------
def lines(record: dict) -> list[dict]:
    found = []
    for list_field, item_field in LINE_SUBLISTS:
        found.extend((record.get(list_field) or {}).get(item_field) or ())
    return found


def _total(record: dict):
    """The transaction's total: its own total field, else the sum of its line amounts."""
    for name in TOTAL_FIELDS:
        if record.get(name) is not None:
            return record[name]
    amounts = [line["amount"] for line in lines(record) if line.get("amount") is not None]
    return round(sum(amounts), 2) if amounts else None


def _line_or_body(name: str) -> Callable[[Row], object]:
    def read(row: Row):
        if row.line is not None and row.line.get(name) is not None:
            return row.line.get(name)
        if name == "amount":
            return _total(row.record) if row.line is None else None
        return row.record.get(name)
    return read


def _entity(row: Row):
    record = row.record
    return record.get("entity") or record.get("customer") or record.get("employee")


COMMON_ACCESSORS: dict[str, Callable[[Row], object]] = {
    "internalId": lambda row: row.record["internalId"],
    "internalIdNumber": lambda row: int(row.record["internalId"])
    if row.record["internalId"].isdigit() else None,
    "externalId": lambda row: row.record.get("externalId"),
    "externalIdString": lambda row: row.record.get("externalId"),
    "dateCreated": lambda row: row.record.get("createdDate") or row.record.get("dateCreated"),
    "isInactive": lambda row: row.record.get("isInactive", False),
}
TRANSACTION_ACCESSORS: dict[str, Callable[[Row], object]] = {
    "mainLine": lambda row: row.line is None,
    "memoMain": lambda row: row.record.get("memo"),
    "recordType": lambda row: row.kind.record_type,
    "entity": _entity,
    "mainName": _entity,
    "appliedToTransaction": lambda row: sorted(transaction_links(row.record)),
    **{name: (lambda name: lambda row: row.line.get(name) if row.line is not None else None)(name)
       for name in LINE_ONLY},
    **{name: _line_or_body(name) for name in LINE_OR_BODY},
}


def unsearchable_statuses(values: Iterable[str]) -> list[str]:
    """The transaction statuses among ``values`` the mock does not work out (a vendor credit's,
    a sales order's, or anything else but those of ``STATUS_COMPUTED``): a search for them is
    refused rather than answered from statuses it does not have."""
    return [v for v in values
            if not any(str(v).startswith("_" + t) for t in STATUS_COMPUTED)]


def accessor(fam: Family, name: str, store=None) -> Callable[[Row], object] | None:
    """How search field ``name`` of ``fam`` reads a row, or None if no record has that field."""
    if fam.has_lines and name == "status":
        if store is None:
            return None
        return lambda row: status_search_value(store, row.kind, row.record)
    if name == "type" and fam.type_values:
        values = fam.type_values
        return lambda row: values[row.kind.record_type]
    if fam.has_lines and name == "applyingTransaction" and store is not None:
        index = store.index
        return lambda row: [i for _, i in index.applying(row.record["internalId"])]
    if fam.has_lines and name in TRANSACTION_ACCESSORS:
        return TRANSACTION_ACCESSORS[name]
    if name in COMMON_ACCESSORS:
        return COMMON_ACCESSORS[name]
    target = ALIASES.get(fam.name, {}).get(name, name)
    if any(kind.schema.field(target) is not None for kind in fam.kinds):
        return lambda row: row.record.get(target)
    return _address_accessor(fam, name)


def _address_accessor(fam: Family, name: str) -> Callable[[Row], object] | None:
    """How an address search field (``ADDRESS_PARTS``) reads a row, or None."""
    prefix = next((p for p in ("bill", "ship") if name.startswith(p) and name[len(p):][:1]
                   .isupper()), "")
    part = name[len(prefix):][:1].lower() + name[len(prefix) + 1:]
    if any(kind.schema.field("addressbookList") for kind in fam.kinds):
        if part in ADDRESS_PARTS:
            address_part = ADDRESS_PARTS[part]
            return lambda row: ((_address_entry(row.record, prefix) or {})
                                .get("addressbookAddress") or {}).get(address_part)
        if not prefix and part in ADDRESS_ENTRY_PARTS:
            entry_part = ADDRESS_ENTRY_PARTS[part]
            return lambda row: (_address_entry(row.record, prefix) or {}).get(entry_part)
        return None
    held_in = ADDRESS_FIELDS[prefix]
    if part in ADDRESS_PARTS and any(kind.schema.field(held_in) for kind in fam.kinds):
        address_part = ADDRESS_PARTS[part]
        return lambda row: (row.record.get(held_in) or {}).get(address_part)
    return None


def _address_entry(record: dict, prefix: str) -> dict | None:
    entries = (record.get("addressbookList") or {}).get("addressbook") or []
    flag = "defaultShipping" if prefix == "ship" else "defaultBilling"
    return next((e for e in entries if e.get(flag)),
                entries[0] if entries and not prefix else None)


def enum_values(fam: Family, name: str) -> frozenset[str] | None:
    """The values an enum-multi-select field accepts (None: not an enumeration the mock knows)."""
    if name == "type" and fam.type_enum:
        return frozenset(registry.lookup(fam.type_enum).values)
    target = ALIASES.get(fam.name, {}).get(name, name)
    for kind in fam.kinds:
        f = kind.schema.field(target)
        if f is not None and isinstance(registry.lookup(f.type_ref), EnumType):
            return frozenset(registry.lookup(f.type_ref).values)
    return None


def reads_lines(fam: Family, name: str) -> bool:
    return fam.has_lines and name in (LINE_ONLY | LINE_OR_BODY | {"mainLine"})


# -- joins ------------------------------------------------------------------------------------
ENTITY_JOINS = {"vendorJoin", "customerJoin", "employeeJoin", "jobJoin", "partnerJoin",
                "customerMainJoin", "jobMainJoin"}


class Joins:
    """Related records for a join, resolved against one store for the duration of a search."""

    def __init__(self, store):
        self.store = store
        self._reverse: dict[str, dict[str, list[tuple[str, str]]]] = {}

    def find(self, fam: Family, internal_id: str) -> tuple[RecordKind, dict] | None:
        for record_type in fam.record_types:
            record = self.store.get(record_type, internal_id)
            if record is not None:
                return RECORD_TYPES[record_type], record
        return None

    def resolver(self, fam: Family, join: str, target: Family
                 ) -> Callable[[Row], list[tuple[RecordKind, dict]]] | None:
        index = self.store.index
        if fam.has_lines and join == "applyingTransactionJoin":
            def applying(row: Row):
                found = []
                for record_type, internal_id in index.applying(row.record["internalId"]):
                    record = self.store.get(record_type, internal_id)
                    if record is not None and record_type in target.record_types:
                        found.append((RECORD_TYPES[record_type], record))
                return found
            return applying
        if fam.has_lines and join == "appliedToTransactionJoin":
            return lambda row: [hit for i in sorted(transaction_links(row.record))
                                if (hit := self.find(target, i)) is not None]
        if fam.has_lines and join in ENTITY_JOINS:
            read = _entity
        elif join == "transactionJoin" and target.has_lines and not fam.has_lines:
            return self._transactions_referring(fam, target)
        else:
            read = accessor(fam, join[:-len("Join")])
            if read is None and join[:-len("Join")] in target.record_types:
                # a join named after the record type it reaches (a vendor-subsidiary
                # relationship's vendorJoin, a customer's contactJoin): through the one
                # reference between the two, whichever way it points
                read = referring_field(fam, target)
                back = referring_field(target, fam) if read is None else None
                if back is not None:
                    return self._records_referring(join, target, back)
            if read is None:
                return None
        def referenced(row: Row):
            return [hit for i in sorted(ref_ids(read(row)))
                    if (hit := self.find(target, i)) is not None]
        return referenced

    def _records_referring(self, join: str, target: Family, read):
        """The joined records whose reference field (``read``) names the row's record (a
        customer's ``messagesJoin``: the messages whose entity is the customer): built once."""
        key = f"{target.name}:{join}"

        def referring(row: Row):
            if key not in self._reverse:
                self._reverse[key] = _records_referring_build(self.store, target, read)
            return [(RECORD_TYPES[t], r) for t, i in self._reverse[key].get(
                row.record["internalId"], ()) if (r := self.store.get(t, i)) is not None]
        return referring

    def _transactions_referring(self, fam: Family, target: Family):
        """Transactions whose entity (or a line's item) is the row's record: built once."""
        field = "item" if fam.name == "Item" else "entity"
        key = f"{fam.name}:{field}"

        def build() -> dict[str, list[tuple[str, str]]]:
            reverse: dict[str, list[tuple[str, str]]] = {}
            for record_type in target.record_types:
                kind = RECORD_TYPES[record_type]
                for internal_id in self.store.index.of(record_type).all_ids():
                    record = self.store.get(record_type, internal_id)
                    if record is None:
                        continue
                    held = (set().union(*(ref_ids(line.get("item")) for line in lines(record)))
                            if field == "item" else ref_ids(_entity(Row(kind, record))))
                    for ref in held:
                        reverse.setdefault(ref, []).append((record_type, internal_id))
            return reverse

        def referring(row: Row):
            if key not in self._reverse:
                self._reverse[key] = build()
            return [(RECORD_TYPES[t], r) for t, i in self._reverse[key].get(
                row.record["internalId"], ()) if (r := self.store.get(t, i)) is not None]
        return referring


def _records_referring_build(store, target: Family, read) -> dict[str, list[tuple[str, str]]]:
    reverse: dict[str, list[tuple[str, str]]] = {}
    for record_type in target.record_types:
        kind = RECORD_TYPES[record_type]
        for internal_id in store.index.of(record_type).all_ids():
            record = store.get(record_type, internal_id)
            if record is not None:
                for ref in ref_ids(read(Row(kind, record))):
                    reverse.setdefault(ref, []).append((record_type, internal_id))
    return reverse


def referring_field(fam: Family, target: Family) -> Callable[[Row], object] | None:
    """For a join not named after a field (a vendor-subsidiary relationship's ``vendorJoin``
    reads its ``entity``): the one reference field of the family's records that may point at
    the joined records. None when there is no such field, or more than one."""
    wanted = set(target.record_types)
    names = {f.name for kind in fam.kinds for f in kind.schema.fields
             if f.type_ref == "platformCore:RecordRef"
             and wanted & set(reference_targets(kind, f.name))}
    if len(names) != 1:
        return None
    name = names.pop()
    return lambda row: row.record.get(name)


def rows_of(kind: RecordKind, record: dict, fam: Family, *, with_lines: bool) -> Iterable[Row]:
    yield Row(kind, record)
    if with_lines and fam.has_lines:
        for line in lines(record):
            yield Row(kind, record, line)

