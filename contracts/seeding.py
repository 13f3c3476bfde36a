"""The records a cassette shows, as a seed for the mock, so its requests can be replayed there.

A recorded session ran against an account that already held records; the mock must hold the
same ones before the session is replayed. They are read off the cassette:

- every record a response shows (``get``, ``getList``, ``search``/``searchMoreWithId`` pages,
  ``getAll``), as it was first shown, unless the session itself created it (the ``baseRef`` of a
  successful ``add``/``upsert`` or their lists);
- a *stub* for every record that something refers to but no response shows: references in
  shown records and in write requests, records the session updated or deleted. A stub has the
  reference's internal or external id, its name (``RecordRef.name``) in the record type's name
  fields, and the other fields NetSuite requires. Entities a shown transaction names keep that
  transaction's subsidiary, currency and terms (what NetSuite sources from them);
- nothing for what the session found missing: a ``get`` answered ``RCRD_DSNT_EXIST``, or a
  write answered "Invalid {field} reference key {key}.".

Records come out in an order the mock's seed loader accepts (what a record refers to first).
What cannot be seeded (a record type the mock does not model, a field it does not know) is
left out and said in ``notes``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from contracts.cassette import Interaction
from contracts.soapxml import XSI_TYPE, resolve_qname
from mockserver.domain.custom_fields import DEFINITION_TYPES, field_type_of, scope_of
from mockserver.domain.errors import SoapFault
from mockserver.domain.indexes import transaction_links
from mockserver.domain.records import (RECORD_TYPES, RecordKind, kind_for_qname, kind_of,
                                       reference_targets)
from mockserver.domain.store import RecordStore
from mockserver.domain.values import to_json
from mockserver.domain.writes import record_refs
from mockserver.schema import registry
from mockserver.schema.model import ComplexType, EnumType
from mockserver.wire.decode import decode

CREATING_WRITES = ("add", "addList", "upsert", "upsertList")
UPDATING_WRITES = ("update", "updateList")
DELETING_WRITES = ("delete", "deleteList")
WRITES = CREATING_WRITES + UPDATING_WRITES + DELETING_WRITES
RECORD = "platformCore:Record"
SOURCED_FROM_ENTITY = ("subsidiary", "currency", "terms")
# Fields whose value is the record's name, by preference (what RecordRef.name shows).
NAME_FIELDS = ("entityId", "companyName", "tranId", "itemId", "name", "acctName", "periodName",
               "recordName", "label", "fullName")
# Transactions whose lines name order lines, and what of those lines an order stub keeps.
ORDER_LINKED = ("vendorBill", "itemReceipt")
ORDER_LINE_FIELDS = (("itemList", "item", ("item", "quantity", "rate")),
                     ("expenseList", "expense", ("account", "category", "amount")))
# What a payment or credit applies to, for a stub of a document the cassette does not show.
APPLIED_TO = {"vendorPayment": "vendorBill", "vendorCredit": "vendorBill",
              "customerPayment": "invoice", "creditMemo": "invoice"}
TRANSACTION_TYPES = tuple(k.record_type for k in RECORD_TYPES.values()
                          if k.family == "transaction")
_INTERNAL_ID_TEXT = re.compile(rb"""\binternalId\s*=\s*["'](\d+)["']""")
_MISSING_REFERENCE = re.compile(r"Invalid (\w+) reference key ([^\s.]+(?:\.\d+)?)\.")


@dataclass
class SeedPlan:
    records: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_seed(self) -> dict:
        return {"records": self.records}


def plan_seed(interactions: list[Interaction]) -> SeedPlan:
    return _Planner(interactions).plan()


@dataclass
class _Entry:
    record_type: str
    record: dict            # seed JSON without recordType
    stub: bool

    @property
    def internal_id(self) -> str | None:
        return self.record.get("internalId")

    @property
    def external_id(self) -> str | None:
        return self.record.get("externalId")


class _Planner:
    def __init__(self, interactions: list[Interaction]):
        self.interactions = interactions
        self.entries: dict[tuple[str, str], _Entry] = {}   # (type, "id:…"/"ext:…") -> entry
        self.created: set[tuple[str, str]] = set()
        self.written: dict[tuple[str, str], set[str]] = {}   # fields the session wrote
        self.missing: set[tuple[str, str]] = set()
        self.missing_refs: set[tuple[str, str]] = set()      # (field, key)
        self.refs: list[tuple[RecordKind, str, dict]] = []   # (kind, field, ref)
        self.must_exist: list[tuple[str, dict]] = []          # (type, ref) updated/deleted
        self.sourcing: dict[str, dict] = {}                   # entity key -> refs to copy
        self.rates: dict[str, float] = {}                     # currency id -> exchange rate
        self.order_lines: dict[str, dict] = {}                # order id -> entity and lines
        self.applied_to: dict[str, tuple[str, dict | None]] = {}  # doc id -> (type, entity)
        self.notes: list[str] = []
        self.used_ids: set[int] = set()
        self._no_store = RecordStore()   # scope_of reads a store for custom records only
        self._views: set[bytes] = set()  # records already read as shown (sessions repeat reads)

    # -- reading the cassette --------------------------------------------------------------
    def plan(self) -> SeedPlan:
        for interaction in self.interactions:
            self._collect_ids(interaction)
        for interaction in self.interactions:
            self._read(interaction)
        for record_type, ref in self.must_exist:
            self._ensure(record_type, ref)
        for kind, field_name, ref in self.refs:
            self._ensure_reference(kind, field_name, ref)
        self._link_stubs()
        self._source_entities()
        for entry in list(self.entries.values()):
            if entry.stub:
                self._fill_required(entry)
        return SeedPlan([{"recordType": e.record_type, **e.record} for e in self._ordered()],
                        self.notes)

    def _collect_ids(self, interaction: Interaction) -> None:
        """Every numeric internal id the cassette names (fresh stub ids avoid them), read off
        the bodies as text: the same attributes as an XPath over the trees, several times
        faster."""
        for body in (interaction.request_body, interaction.response_body):
            if body:
                self.used_ids.update(int(value) for value in _INTERNAL_ID_TEXT.findall(body))

    def _read(self, interaction: Interaction) -> None:
        request, response = interaction.request, interaction.response
        if request is None or response is None or response.is_fault \
                or request.payload is None or response.payload is None:
            return
        operation = request.operation
        for element in response.payload.iter():
            if isinstance(element.tag, str) and etree.QName(element).localname == "record" \
                    and element.get(XSI_TYPE):
                self._shown(element)
        if operation == "get" and _failed_with(response.payload, "RCRD_DSNT_EXIST"):
            ref = _first(request.payload, "baseRef")
            if ref is not None and ref.get("type") and ref.get("internalId"):
                self.missing.add((ref.get("type"), "id:" + ref.get("internalId")))
        if operation in WRITES:
            self._write(operation, request.payload, response.payload)

    def _write(self, operation: str, request: etree._Element, response: etree._Element) -> None:
        results = [e for e in response.iter() if isinstance(e.tag, str)
                   and etree.QName(e).localname == "writeResponse"]
        for result in results:
            for message in _texts(result, "message"):
                for field_name, key in _MISSING_REFERENCE.findall(message):
                    self.missing_refs.add((field_name, key))
        if operation in DELETING_WRITES:
            for ref in _children_named(request, "baseRef"):
                if ref.get("type") and kind_of(ref.get("type")):
                    self.must_exist.append((ref.get("type"), dict(ref.attrib)))
            return
        records = _children_named(request, "record")
        for position, element in enumerate(records):
            decoded = self._decode(element, f"{operation} request")
            if decoded is None:
                continue
            kind, record = decoded
            result = results[position] if position < len(results) else None
            succeeded = result is not None and _succeeded(result)
            base_ref = _first(result, "baseRef") if result is not None else None
            if succeeded and operation in CREATING_WRITES and base_ref is not None \
                    and base_ref.get("internalId"):
                self.created.add((kind.record_type, "id:" + base_ref.get("internalId")))
            if succeeded and operation in UPDATING_WRITES:
                self.must_exist.append((kind.record_type, {
                    k: v for k, v in record.items() if k in ("internalId", "externalId")}))
            target = base_ref.get("internalId") if base_ref is not None else None
            if succeeded and target:
                self.written.setdefault((kind.record_type, "id:" + target), set()).update(
                    record)
            self._note_links(kind, record)
            for field_name, ref in record_refs(kind.schema, record):
                self.refs.append((kind, field_name, ref))
            self._custom_fields(kind, record)

    def _shown(self, element: etree._Element) -> None:
        view = etree.tostring(element)
        if view in self._views:
            return   # the same record, shown the same way again, tells nothing new
        self._views.add(view)
        decoded = self._decode(element, "a response", view)
        if decoded is None:
            return
        kind, record = decoded
        internal_id = record.get("internalId")
        if not internal_id:
            return
        key = (kind.record_type, "id:" + internal_id)
        record = {k: v for k, v in record.items() if k != "_type"}
        if key in self.created:
            pass  # the session made it: not seeded, but what it refers to must exist
        elif key in self.entries:  # shown again (a get after a search page): fill in what
            earlier = self.entries[key]  # the first view left out, such as sublists, but
            if not earlier.stub:         # not what the session itself wrote since
                written = self.written.get(key, set())
                for name, value in to_json(record).items():
                    if name not in written:
                        earlier.record.setdefault(name, value)
        else:
            self._add(_Entry(kind.record_type, to_json(record), stub=False))
        self._custom_fields(kind, record)
        self._note_links(kind, record)
        for field_name, ref in record_refs(kind.schema, record):
            self.refs.append((kind, field_name, ref))
            if field_name == "entity" and kind.family == "transaction":
                copied = {f: record[f] for f in SOURCED_FROM_ENTITY if isinstance(record.get(f),
                                                                                dict)}
                target = ref.get("internalId")
                if copied and target:
                    self.sourcing.setdefault(("id:" + target), copied)
            if field_name == "currency" and isinstance(record.get("exchangeRate"), float) \
                    and ref.get("internalId"):
                self.rates.setdefault(ref["internalId"], record["exchangeRate"])

    def _decode(self, element: etree._Element, where: str, serialized: bytes | None = None
                ) -> tuple[RecordKind, dict] | None:
        xsi_type = element.get(XSI_TYPE)
        qname = _schema_qname(resolve_qname(element, xsi_type)) if xsi_type else None
        kind = kind_for_qname(qname) if qname else None
        if kind is None:
            self.notes.append(f"{where}: a {xsi_type or 'record'} is not a record type the mock "
                              f"models; not seeded")
            return None
        copy = etree.fromstring(serialized or etree.tostring(element))
        dropped: list[str] = []
        _prune(copy, registry.complex(kind.qname), kind.record_type, dropped)
        for path in dropped:
            self.notes.append(f"{where}: {path} is not a field the mock models; left out")
        try:
            record = decode(copy, kind.qname)
        except SoapFault as fault:
            reason = fault.message or fault.faultstring
            self.notes.append(f"{where}: a {kind.record_type} cannot be read ({reason})")
            return None
        return kind, record

    def _custom_fields(self, kind: RecordKind, record: dict) -> None:
        """A definition for each custom field a record carries (body and sublist lines), with
        the "applies to" flag that lets it appear there, unless the cassette shows it."""
        def entries(value: dict, sublist: str | None):
            for entry in (value.get("customFieldList") or {}).get("customField") or []:
                yield sublist, entry
        found = list(entries(record, None))
        for name, value in record.items():
            if isinstance(value, dict):
                for lines in value.values():
                    if isinstance(lines, list):
                        for line in lines:
                            if isinstance(line, dict):
                                found.extend(entries(line, name))
        for sublist, entry in found:
            scope = scope_of(kind, self._no_store, record, sublist)
            if scope.definition_type is None or not (entry.get("internalId")
                                                     or entry.get("scriptId")):
                continue
            ref = {k: entry[k] for k in ("internalId", "scriptId") if entry.get(k)}
            definition = self._find((scope.definition_type,), ref)
            if definition is None:
                key = ref.get("scriptId") or ref["internalId"]
                record_ = {"internalId": ref.get("internalId"), "scriptId": ref.get("scriptId"),
                           "label": key, "fieldType": field_type_of(entry.get("_type", ""))}
                definition = _Entry(scope.definition_type,
                                    {k: v for k, v in record_.items() if v is not None},
                                    stub=True)
                self._add(definition)
            if scope.flag and definition.stub:
                definition.record[scope.flag] = True

    # -- links between transactions ------------------------------------------------------------
    def _note_links(self, kind: RecordKind, record: dict) -> None:
        """What a transaction says of the ones it links to by number rather than by RecordRef:
        the order lines a bill or receipt line bills or receives (``orderDoc``/``createdFrom``
        and ``orderLine``), and the documents a payment or credit applies to (``doc``)."""
        if kind.record_type in ORDER_LINKED:
            created_from = (record.get("createdFrom") or {}).get("internalId")
            for list_name, item_field, kept in ORDER_LINE_FIELDS:
                for line in (record.get(list_name) or {}).get(item_field) or ():
                    order_id = line.get("orderDoc") if kind.record_type == "vendorBill" \
                        else created_from
                    if order_id is None or line.get("orderLine") is None:
                        continue
                    order = self._linked_order(str(order_id), record)
                    order[list_name].setdefault(str(line["orderLine"]), {
                        k: line[k] for k in kept if line.get(k) is not None})
        for ref in (record.get("purchaseOrderList") or {}).get("recordRef") or ():
            if ref.get("internalId") and ref.get("name"):   # the order's name, as the bill shows it
                self._linked_order(ref["internalId"], record)["name"] = ref["name"]
        stub_type = APPLIED_TO.get(kind.record_type)
        if stub_type is not None:
            entity = record.get("entity") or record.get("customer")
            for line in (record.get("applyList") or {}).get("apply") or ():
                if line.get("doc") is not None and line.get("apply") is not False:
                    self.applied_to.setdefault(str(line["doc"]), (stub_type, entity))

    def _linked_order(self, order_id: str, linking: dict) -> dict:
        """What the session says of an order so far: its vendor (the linking record's entity)
        and the lines linked to it, by list and line number."""
        order = self.order_lines.setdefault(order_id, {"entity": None, "itemList": {},
                                                       "expenseList": {}})
        order["entity"] = order["entity"] or linking.get("entity")
        return order

    def _link_stubs(self) -> None:
        """Orders with the lines the session's bills and receipts point at, and the documents
        its payments apply to, where the cassette shows neither (NetSuite checks both)."""
        for order_id, links in self.order_lines.items():
            entry = self._stub_for("purchaseOrder", order_id, links["entity"])
            if entry is None:
                continue
            if links.get("name"):
                self._name(entry, links["name"])
            for list_name, item_field, _ in ORDER_LINE_FIELDS:
                held = (entry.record.setdefault(list_name, {item_field: []})
                        .setdefault(item_field, []))
                numbers = {str(line.get("line")) for line in held}
                for number, fields in sorted(links[list_name].items(), key=lambda x: int(x[0])):
                    if number not in numbers:
                        held.append({"line": int(number), **to_json(fields)})
                if not held:
                    del entry.record[list_name]
        for doc_id, (record_type, entity) in self.applied_to.items():
            if not any(self._find((t,), {"internalId": doc_id}) for t in TRANSACTION_TYPES):
                self._stub_for(record_type, doc_id, entity)

    def _stub_for(self, record_type: str, internal_id: str, entity: dict | None
                  ) -> _Entry | None:
        """The stub of a linked transaction (made if needed), or None when the cassette shows
        the real one or the session created it."""
        if (record_type, "id:" + internal_id) in self.created:
            return None
        entry = self._find((record_type,), {"internalId": internal_id})
        if entry is None:
            entry = _Entry(record_type, {"internalId": internal_id}, stub=True)
            self._add(entry)
        if not entry.stub:
            return None
        if entity and entity.get("internalId") and "entity" not in entry.record:
            entry.record["entity"] = to_json({k: v for k, v in entity.items()
                                              if k in ("internalId", "externalId", "name")})
        return entry

    # -- stubs ---------------------------------------------------------------------------------
    def _ensure_reference(self, kind: RecordKind, field_name: str, ref: dict) -> None:
        wanted = ref.get("type")
        if wanted and kind_of(wanted) is not None:
            targets = (wanted,)
        elif wanted:
            return  # a record type the mock does not model: it stores the reference as sent
        else:
            targets = reference_targets(kind, field_name)
        if not targets:
            return
        key = ref.get("internalId") or ref.get("externalId")
        if key is None or (field_name, key) in self.missing_refs:
            return
        found = self._find(targets, ref)
        self._ensure(found.record_type if found is not None else targets[0], ref)

    def _ensure(self, record_type: str, ref: dict) -> None:
        found = self._find((record_type,), ref)
        if found is not None:
            if found.stub and ref.get("name"):
                self._name(found, ref["name"])
            return
        internal_id, external_id = ref.get("internalId"), ref.get("externalId")
        if internal_id and ((record_type, "id:" + internal_id) in self.created
                            or (record_type, "id:" + internal_id) in self.missing):
            return
        if not internal_id and not external_id:
            return
        record: dict = {}
        if internal_id:
            record["internalId"] = internal_id
        if external_id:
            record["externalId"] = external_id
        entry = _Entry(record_type, record, stub=True)
        if ref.get("name"):
            self._name(entry, ref["name"])
        self._add(entry)

    def _name(self, entry: _Entry, name: str) -> None:
        """A stub's name fields, so that references to it carry the recorded name."""
        schema = kind_of(entry.record_type).schema
        for name_field in NAME_FIELDS:
            field = schema.field(name_field)
            if field is not None and field.type_ref == "xsd:string":
                entry.record.setdefault(name_field, name)

    def _find(self, record_types, ref: dict) -> _Entry | None:
        for record_type in record_types:
            for key in _keys(ref):
                if (record_type, key) in self.entries:
                    return self.entries[(record_type, key)]
        return None

    def _add(self, entry: _Entry) -> None:
        for key in _keys(entry.record):
            self.entries.setdefault((entry.record_type, key), entry)

    def _source_entities(self) -> None:
        """Stub entities get what their transactions show NetSuite sourced from them; stub
        currencies the exchange rate their transactions show."""
        for entry in self._unique():
            rate = self.rates.get(entry.internal_id or "")
            if entry.stub and entry.record_type == "currency" and rate is not None:
                entry.record.setdefault("exchangeRate", rate)
            copied = self.sourcing.get("id:" + (entry.internal_id or ""))
            if entry.stub and kind_of(entry.record_type).family == "entity" and copied:
                schema = kind_of(entry.record_type).schema
                for name, ref in copied.items():
                    if schema.field(name) is not None and name not in entry.record:
                        entry.record[name] = to_json({k: v for k, v in ref.items()
                                                      if k in ("internalId", "externalId",
                                                               "name")})

    def _fill_required(self, entry: _Entry) -> None:
        kind = kind_of(entry.record_type)
        schema = kind.schema
        label = next((entry.record[f] for f in NAME_FIELDS if entry.record.get(f)),
                     f"{kind.record_type} {entry.internal_id or entry.external_id}")
        for required in kind.required:
            if required.only_if or entry.record.get(required.field) not in (None, "", {}):
                continue
            field = schema.field(required.field)
            if field is None:
                continue
            value = self._value_for(kind, field.name, field.type_ref, label)
            if value is not None:
                entry.record[field.name] = value

    def _value_for(self, kind: RecordKind, field_name: str, type_ref: str, label: str):
        if type_ref == "xsd:string":
            return label
        if type_ref in ("xsd:double", "xsd:long", "xsd:int"):
            return 1
        declared = registry.lookup(type_ref)
        if isinstance(declared, EnumType):
            return declared.values[0]
        if type_ref == "platformCore:RecordRef":
            targets = reference_targets(kind, field_name)
            for entry in self._unique():
                if entry.record_type in targets and entry.internal_id:
                    return {"internalId": entry.internal_id}
            if not targets:
                return None
            fresh = str(max(self.used_ids, default=0) + 1)
            self.used_ids.add(int(fresh))
            self._ensure(targets[0], {"internalId": fresh})
            stub = self.entries[(targets[0], "id:" + fresh)]
            self._fill_required(stub)
            return {"internalId": fresh}
        return None

    # -- order ---------------------------------------------------------------------------------
    def _unique(self) -> list[_Entry]:
        seen: set[int] = set()
        out = []
        for entry in self.entries.values():
            if id(entry) not in seen:
                seen.add(id(entry))
                out.append(entry)
        return out

    def _ordered(self) -> list[_Entry]:
        """What each record refers to before it (depth first; a cycle is cut where found)."""
        out: list[_Entry] = []
        state: dict[int, str] = {}

        def visit(entry: _Entry) -> None:
            if state.get(id(entry)):
                return
            state[id(entry)] = "visiting"
            kind = kind_of(entry.record_type)
            for field_name, ref in record_refs(kind.schema, entry.record):
                targets = (ref["type"],) if ref.get("type") else \
                    reference_targets(kind, field_name)
                target = self._find(targets, ref)
                if target is not None and target is not entry:
                    visit(target)
            if kind.family == "transaction":   # orders billed, documents paid: by number
                for linked_id in transaction_links(entry.record):
                    target = self._find(TRANSACTION_TYPES, {"internalId": linked_id})
                    if target is not None and target is not entry:
                        visit(target)
            state[id(entry)] = "done"
            out.append(entry)

        # custom field definitions first: records name them by id, not by RecordRef
        for entry in sorted(self._unique(), key=lambda e: e.record_type not in DEFINITION_TYPES):
            visit(entry)
        return out


def _keys(record: dict) -> list[str]:
    """How a record can be named: internal id, external id, script id."""
    return [f"{prefix}:{record[name]}" for name, prefix in
            (("internalId", "id"), ("externalId", "ext"), ("scriptId", "script"))
            if record.get(name)]


# -- XML helpers -------------------------------------------------------------------------------
def _schema_qname(clark: str) -> str | None:
    """``{urn:relationships_2024_1…}Vendor`` → ``listRel:Vendor``."""
    if not clark.startswith("{"):
        return None
    uri, _, local = clark[1:].partition("}")
    namespace = registry.by_uri.get(uri)
    return f"{namespace.prefix}:{local}" if namespace else None


def _prune(element: etree._Element, ctype: ComplexType, path: str, dropped: list[str]) -> None:
    """Remove what the schema does not declare (recursively), noting each path."""
    xsi_type = element.get(XSI_TYPE)
    if xsi_type:
        qname = _schema_qname(resolve_qname(element, xsi_type))
        actual = registry.lookup(qname) if qname else None
        if isinstance(actual, ComplexType):
            ctype = actual
    fields = {f.name: f for f in ctype.fields}
    for child in list(element):
        if not isinstance(child.tag, str):
            continue
        local = etree.QName(child).localname
        declared = fields.get(local)
        if declared is None:
            dropped.append(f"{path}.{local}")
            element.remove(child)
            continue
        nested = registry.lookup(declared.type_ref)
        if isinstance(nested, ComplexType):
            _prune(child, nested, f"{path}.{local}", dropped)


def _children_named(parent: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in parent if isinstance(c.tag, str) and etree.QName(c).localname == name]


def _first(parent: etree._Element | None, name: str) -> etree._Element | None:
    if parent is None:
        return None
    return next((e for e in parent.iter() if isinstance(e.tag, str)
                 and etree.QName(e).localname == name), None)


def _texts(parent: etree._Element, name: str) -> list[str]:
    return [e.text or "" for e in parent.iter() if isinstance(e.tag, str)
            and etree.QName(e).localname == name]


def _succeeded(result: etree._Element) -> bool:
    status = _first(result, "status")
    return status is not None and status.get("isSuccess") == "true"


def _failed_with(payload: etree._Element, code: str) -> bool:
    return code in _texts(payload, "code")

