"""``getSelectValue``: the values a select field offers (the records a reference field of a
record type, or of one of its sublists, may point at), by name, a page at a time.

The mock offers every active record of the types the field refers to (``REFERENCE_TARGETS``),
sorted by name, ``filter`` narrowing them by name; it knows no form or subsidiary restrictions
and no fields whose values depend on another's (those NetSuite answers with a WARN until the
other field is given). Pages hold ``PAGE_SIZE`` values (INFERRED).
"""

from __future__ import annotations

from mockserver.domain.accounts import Level
from mockserver.domain.dispatch import Call, operation
from mockserver.domain.errors import RecordError, SoapFault, success_status
from mockserver.domain.records import kind_of, record_name, reference_targets
from mockserver.schema import registry
from mockserver.schema.model import ComplexType

PAGE_SIZE = 1000
SELECT_TYPES = ("platformCore:RecordRef", "platformCore:RecordRefList")
MATCHES = {"is": lambda name, value: name == value,
           "contains": lambda name, value: value in name,
           "startsWith": lambda name, value: name.startswith(value)}


def _line_type(record_type: ComplexType, sublist: str) -> ComplexType | None:
    """The line type of sublist ``sublist`` (``itemList`` -> VendorBillItem)."""
    declared = record_type.field(sublist)
    list_type = registry.lookup(declared.type_ref) if declared is not None else None
    if not isinstance(list_type, ComplexType):
        return None
    repeating = [f for f in list_type.fields if f.repeating]
    line = registry.lookup(repeating[0].type_ref) if len(repeating) == 1 else None
    return line if isinstance(line, ComplexType) else None


def _targets(call: Call, description: dict) -> tuple[str, ...]:
    record_type, field = description.get("recordType"), description.get("field")
    if not record_type:
        raise RecordError.of("data_required", field="recordType")
    if not field:
        raise RecordError.of("data_required", field="field")
    kind = kind_of(record_type)
    if kind is None:
        raise RecordError.of("invalid_record_type", type=record_type)
    call.require(kind, Level.VIEW)
    holder = registry.complex(kind.qname)
    sublist = description.get("sublist")
    if sublist:
        holder = _line_type(holder, sublist)
        if holder is None:
            raise RecordError.of("invalid_select_field", field=sublist, type=record_type)
    declared = holder.field(field)
    if declared is None:
        raise RecordError.of("invalid_select_field", field=field, type=record_type)
    if declared.type_ref not in SELECT_TYPES:
        raise RecordError.of("not_a_select_field", field=field, type=record_type)
    targets = tuple(t for t in reference_targets(kind, field) if kind_of(t) is not None)
    if not targets:
        raise SoapFault.of("select_not_implemented", field=field, type=record_type)
    return targets


@operation("getSelectValue")
def get_select_value(call: Call, body: dict) -> dict:
    description = body.get("fieldDescription") or {}
    page_index = body.get("pageIndex") or 0
    try:
        targets = _targets(call, description)
        wanted = description.get("filter") or {}
        match = MATCHES.get(wanted.get("operator"))
        needle = (wanted.get("filterValue") or "").lower()
        store = call.account.store
        values = []
        for record_type in targets:
            target = kind_of(record_type)
            for record in store.records(record_type):
                if record.get("isInactive"):
                    continue
                name = record_name(target, record) or record["internalId"]
                if match is None or match(name.lower(), needle):
                    values.append((name.lower(), record["internalId"], name))
        values.sort()
        total_pages = -(-len(values) // PAGE_SIZE)
        if not 1 <= page_index <= max(total_pages, 1):
            raise RecordError.of("invalid_page_index")
    except RecordError as error:
        return {"getSelectValueResult": {"status": error.as_status()}}
    page = values[(page_index - 1) * PAGE_SIZE:page_index * PAGE_SIZE]
    result = {"status": success_status(), "totalRecords": len(values), "totalPages": total_pages}
    if page:  # an empty result has no baseRefList (capture)
        result["baseRefList"] = {"baseRef": [{"_type": "platformCore:RecordRef", "internalId": i,
                                              "name": name} for _, i, name in page]}
    return {"getSelectValueResult": result}
