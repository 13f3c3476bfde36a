"""Custom fields: what a record's ``customFieldList`` may carry, and how NetSuite treats it.

In NetSuite a custom field is a record of its own (``transactionBodyCustomField``,
``transactionColumnCustomField``, ``entityCustomField``, ``itemCustomField``,
``otherCustomField``, ``crmCustomField``) with an internalId, a scriptId, a ``fieldType`` and
"applies to" flags (``bodyPurchase``, ``colExpense``, ``appliesToVendor``…); a custom record
takes its fields from its custom record type. A ``customFieldList`` entry names its field by
internalId or scriptId (internalId wins when both are sent). The mock checks that the field
exists, applies to the record or sublist, and has the data type of the entry's ``xsi:type``,
then stores the entry with both keys, as NetSuite returns it. An update merges entries by
field; a ``nullFieldList`` name that is a field's scriptId clears that field.
"""

from __future__ import annotations

from dataclasses import dataclass

from mockserver.domain.errors import RecordError, invalid_reference
from mockserver.domain.records import RecordKind, item_type_value
from mockserver.domain.store import RecordStore

CUSTOM_FIELD_LIST = "platformCore:CustomFieldList"

# The CustomFieldRef subtype each CustomizationFieldType is read and written as.
_REF_OF_FIELD_TYPE = {
    "_checkBox": "BooleanCustomFieldRef",
    "_currency": "DoubleCustomFieldRef",
    "_decimalNumber": "DoubleCustomFieldRef",
    "_percent": "DoubleCustomFieldRef",
    "_integerNumber": "LongCustomFieldRef",
    "_date": "DateCustomFieldRef",
    "_datetime": "DateCustomFieldRef",
    "_timeOfDay": "DateCustomFieldRef",
    "_listRecord": "SelectCustomFieldRef",
    "_document": "SelectCustomFieldRef",
    "_image": "SelectCustomFieldRef",
    "_multipleSelect": "MultiSelectCustomFieldRef",
}  # every other type (free-form text, text area, e-mail, phone, hyperlink…) is a string



def ref_type_of(field_type: str | None) -> str:
    """The CustomFieldRef type (``platformCore:BooleanCustomFieldRef``) of a ``fieldType``."""
    return "platformCore:" + _REF_OF_FIELD_TYPE.get(field_type, "StringCustomFieldRef")


def field_type_of(ref_type: str) -> str:
    """A ``fieldType`` whose entries are written as ``ref_type`` (``StringCustomFieldRef``…)."""
    local = ref_type.rpartition(":")[2]
    return next((t for t, r in _REF_OF_FIELD_TYPE.items() if r == local), "_freeFormText")


DEFINITION_TYPES = ("transactionBodyCustomField", "transactionColumnCustomField",
                    "entityCustomField", "itemCustomField", "otherCustomField", "crmCustomField")

# The scriptId prefix NetSuite gives each kind of custom field.
SCRIPT_ID_PREFIX = {
    "transactionBodyCustomField": "custbody", "transactionColumnCustomField": "custcol",
    "entityCustomField": "custentity", "itemCustomField": "custitem",
    "otherCustomField": "custrecord", "crmCustomField": "custevent",
}

# Which "applies to" flag of a definition lets it appear on a record (body) …
_BODY_FLAG = {
    "purchaseOrder": "bodyPurchase", "vendorBill": "bodyPurchase", "vendorCredit": "bodyPurchase",
    "vendorPayment": "bodyVendorPayment", "itemReceipt": "bodyItemReceipt",
    "invoice": "bodySale", "creditMemo": "bodySale", "customerPayment": "bodyCustomerPayment",
    "journalEntry": "bodyJournal", "advInterCompanyJournalEntry": "bodyJournal",
    "expenseReport": "bodyExpenseReport",
}
# … on a transaction's sublist lines (transactionColumnCustomField) …
_COLUMN_FLAG = {
    "itemList": {"purchaseOrder": "colPurchase", "vendorBill": "colPurchase",
                 "vendorCredit": "colPurchase", "itemReceipt": "colItemReceipt",
                 "invoice": "colSale", "creditMemo": "colSale"},
    "expenseList": {"purchaseOrder": "colExpense", "vendorBill": "colExpense",
                    "vendorCredit": "colExpense", "itemReceipt": "colExpense",
                    "expenseReport": "colExpenseReport"},
    "lineList": {"journalEntry": "colJournal", "advInterCompanyJournalEntry": "colJournal"},
}
# … on an entity, on an item (by its ItemType value: lot-numbered and serialized inventory
# items are inventory items, every assembly an assembly; discount, markup, payment, subtotal,
# description, download and gift certificate items have no flag, so every item field applies),
# and on a CRM record (crmCustomField).
_ENTITY_FLAG = {"vendor": "appliesToVendor", "customer": "appliesToCustomer",
                "employee": "appliesToEmployee", "contact": "appliesToContact",
                "job": "appliesToProject", "partner": "appliesToPartner"}
_ITEM_FLAG = {"_inventoryItem": "appliesToInventory", "_nonInventoryItem": "appliesToNonInventory",
              "_service": "appliesToService", "_otherCharge": "appliesToOtherCharge",
              "_itemGroup": "appliesToGroup", "_kit": "appliesToKit",
              "_assembly": "appliesToItemAssembly"}
_CRM_FLAG = {"task": "appliesToTask", "projectTask": "appliesToProjectTask",
             "manufacturingOperationTask": "appliesToMfgProjectTask",
             "resourceAllocation": "appliesToResourceAllocation", "phoneCall": "appliesToPhoneCall",
             "calendarEvent": "appliesToEvent", "supportCase": "appliesToCase",
             "campaign": "appliesToCampaign", "solution": "appliesToSolution",
             "issue": "appliesToIssue"}


@dataclass(frozen=True)
class Scope:
    """Where a customFieldList sits: which definitions it may use, under which flag."""

    definition_type: str | None   # None: a custom record, whose type lists its fields
    flag: str | None              # the "applies to" flag the definition must have set
    custom_record_type: dict | None = None


def scope_of(kind: RecordKind, store: RecordStore, record: dict,
             sublist: str | None = None) -> Scope:
    if kind.record_type == "customRecord":
        rec_type = record.get("recType") or {}
        found = store.find("customRecordType", rec_type.get("internalId"),
                           rec_type.get("externalId"))
        return Scope(None, None, found or {})
    if sublist is not None:
        return Scope("transactionColumnCustomField",
                     _COLUMN_FLAG.get(sublist, {}).get(kind.record_type))
    if kind.family == "transaction":
        return Scope("transactionBodyCustomField", _BODY_FLAG.get(kind.record_type))
    if kind.record_type in _ENTITY_FLAG:
        return Scope("entityCustomField", _ENTITY_FLAG[kind.record_type])
    if kind.family == "item" and (item_type := item_type_value(kind.record_type)) is not None:
        return Scope("itemCustomField", _ITEM_FLAG.get(item_type))
    if kind.record_type in _CRM_FLAG:
        return Scope("crmCustomField", _CRM_FLAG[kind.record_type])
    # accounts, subsidiaries, departments… take "other record" fields; which record type an
    # otherCustomField names (recType) uses ids the mock does not model, so it is not checked.
    return Scope("otherCustomField", None)


def applies(scope: Scope, definition_type: str, definition: dict) -> bool:
    """Whether a custom field definition may appear where ``scope`` says."""
    if scope.definition_type is None:
        return definition_type == "customRecordCustomField"
    if definition_type != scope.definition_type:
        return False
    return scope.flag is None or definition.get(scope.flag) is True


class CustomFields:
    """The custom field definitions of one account, and the rules for a record's entries."""

    def __init__(self, store: RecordStore):
        self.store = store

    # -- definitions -------------------------------------------------------------------------
    def _definitions(self, scope: Scope) -> list[tuple[str, dict]]:
        """(definition record type, definition) pairs a lookup may find, every kind included
        (custom field ids are account-wide): a field of another kind is found, then refused
        as not applying here."""
        found = []
        if scope.definition_type is None:
            fields = ((scope.custom_record_type or {}).get("customFieldList") or {})
            found = [("customRecordCustomField", f) for f in fields.get("customField") or []]
        return found + [(t, d) for t in DEFINITION_TYPES for d in self.store.records(t)]

    def definition(self, scope: Scope, internal_id: str | None,
                   script_id: str | None) -> tuple[str, dict] | None:
        candidates = self._definitions(scope)
        if internal_id is not None:
            return next(((t, d) for t, d in candidates if d.get("internalId") == internal_id),
                        None)
        return next(((t, d) for t, d in candidates if d.get("scriptId") == script_id), None)

    def applies(self, scope: Scope, definition_type: str, definition: dict) -> bool:
        return applies(scope, definition_type, definition)

    def in_scope(self, scope: Scope) -> list[dict]:
        return [d for t, d in self._definitions(scope) if self.applies(scope, t, d)]

    # -- a record's entries ------------------------------------------------------------------
    def resolve(self, scope: Scope, field_list: dict) -> None:
        """Check each entry of a customFieldList and give it both keys, in place."""
        for entry in field_list.get("customField") or []:
            internal_id, script_id = entry.get("internalId"), entry.get("scriptId")
            if not internal_id and not script_id:
                raise RecordError.of("custom_field_key_required")
            found = self.definition(scope, internal_id or None, script_id)
            if found is None:
                raise RecordError.of("invalid_custom_field", key=internal_id or script_id)
            definition_type, definition = found
            if not self.applies(scope, definition_type, definition):
                raise RecordError.of("custom_field_record_type")
            key = definition.get("scriptId") or definition.get("internalId")
            wanted = ref_type_of(definition.get("fieldType"))
            if entry.get("_type") != wanted:
                raise RecordError.of("custom_field_data_type", key=key)
            if entry.get("value") in (None, []):
                raise RecordError.of("custom_field_value_required")
            self._resolve_select(definition, key, entry)
            entry.pop("internalId", None)
            entry.pop("scriptId", None)
            if definition.get("internalId") is not None:
                entry["internalId"] = definition["internalId"]
            if definition.get("scriptId") is not None:
                entry["scriptId"] = definition["scriptId"]

    def _resolve_select(self, definition: dict, key: str, entry: dict) -> None:
        """Values of a field that lists a custom list must be that list's values."""
        list_ref = definition.get("selectRecordType") or {}
        custom_list = self.store.get("customList", list_ref.get("internalId") or "")
        if custom_list is None or not entry["_type"].endswith("SelectCustomFieldRef"):
            return
        values = {str(v.get("valueId")): v for v in
                  (custom_list.get("customValueList") or {}).get("customValue") or []}
        for value in entry["value"] if isinstance(entry["value"], list) else [entry["value"]]:
            chosen = values.get(str(value.get("internalId")))
            if chosen is None:
                raise invalid_reference(key, value.get("internalId") or value.get("externalId"))
            value["typeId"] = custom_list["internalId"]
            if chosen.get("value") is not None:
                value["name"] = chosen["value"]

    def check_mandatory(self, scope: Scope, field_list: dict | None) -> list[str]:
        """Labels of mandatory fields in scope that the record does not carry."""
        present = {e.get("internalId") for e in (field_list or {}).get("customField") or []}
        return [d.get("label") or d.get("scriptId") for d in self.in_scope(scope)
                if d.get("isMandatory") is True and d.get("internalId") not in present]


def merge(current: dict | None, incoming: dict) -> dict:
    """An update's customFieldList: the fields it sends replace theirs, the others stay."""
    entries = [dict(e) for e in (current or {}).get("customField") or []]
    position = {e.get("internalId"): i for i, e in enumerate(entries)}
    for entry in incoming.get("customField") or []:
        at = position.get(entry.get("internalId"))
        if at is None:
            position[entry.get("internalId")] = len(entries)
            entries.append(entry)
        else:
            entries[at] = entry
    return {"customField": entries}


def clear(field_list: dict | None, script_ids: set[str]) -> dict | None:
    """The list without the fields named (nullFieldList); None when nothing is left."""
    kept = [e for e in (field_list or {}).get("customField") or []
            if e.get("scriptId") not in script_ids]
    return {"customField": kept} if kept else None


def prefixed_script_id(definition_type: str, script_id: str) -> str:
    """NetSuite prefixes a custom field's scriptId with its kind (``_approval`` ->
    ``custbody_approval``) unless the client already did."""
    prefix = SCRIPT_ID_PREFIX.get(definition_type, "")
    if not prefix or script_id.startswith(prefix):
        return script_id
    return prefix + (script_id if script_id.startswith("_") else "_" + script_id)
