"""The record types the mock serves, and the NetSuite rules attached to each.

A record is a plain dict keyed by schema field names (``{"entityId": "Acme", "subsidiary":
{"internalId": "1"}}``); sublists are dicts holding a list (``{"item": [...], "replaceAll":
True}``); values are str, bool, int, float, datetime or bytes. ``RECORD_TYPES`` maps NetSuite's
``RecordType`` value (``vendorBill``) to the schema type (``tranPurch:VendorBill``) and holds what
the schema cannot say: which id sequence a record draws from, whether its name must be unique,
which fields NetSuite requires and under which label it names them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from mockserver.schema import registry
from mockserver.schema.model import ComplexType

ENTITY_TYPES = ("vendor", "customer", "employee", "contact", "job", "partner")
ITEM_TYPES = ("inventoryItem", "nonInventoryPurchaseItem", "nonInventorySaleItem",
              "servicePurchaseItem", "serviceSaleItem", "salesTaxItem", "taxGroup",
              "assemblyItem", "lotNumberedAssemblyItem", "serializedAssemblyItem",
              "lotNumberedInventoryItem", "serializedInventoryItem", "kitItem", "itemGroup")


@dataclass(frozen=True)
class Required:
    """A field NetSuite insists on, and the label its error message uses."""

    field: str
    label: str
    unless: str | None = None   # skip when this field is true (e.g. isPerson)
    only_if: str | None = None  # check only when this field is true


@dataclass(frozen=True)
class RecordKind:
    record_type: str            # NetSuite RecordType value, e.g. "vendorBill"
    qname: str                  # schema type, e.g. "tranPurch:VendorBill"
    family: str                 # internalId sequence shared with: entity, transaction, item, …
    unique_name: str | None = None  # field whose duplicate NetSuite refuses (entityId, itemId…)
    required: tuple[Required, ...] = ()
    references: dict[str, tuple[str, ...]] = field(default_factory=dict)  # per-type overrides
    duplicate: str = "duplicate_entity"  # the STATUS_MESSAGES id a duplicate name gets
    unique_in_family: bool = False  # names unique across the family (items share one table)

    @property
    def schema(self) -> ComplexType:
        return registry.complex(self.qname)


def _kind(record_type: str, qname: str, family: str, **extra) -> RecordKind:
    return RecordKind(record_type, qname, family, **extra)


def _item(record_type: str, qname: str, label: str = "Item Name/Number") -> RecordKind:
    """Items share one table in NetSuite: one id sequence and one name space (DUP_ITEM)."""
    return RecordKind(record_type, qname, "item", unique_name="itemId",
                      required=(Required("itemId", label),), duplicate="duplicate_item",
                      unique_in_family=True)


def _custom_field(record_type: str, qname: str) -> RecordKind:
    """Custom field definitions share one table: a scriptId is unique across all of them."""
    return RecordKind(record_type, qname, "customField", unique_name="scriptId",
                      required=(Required("label", "Label"), Required("fieldType", "Type")),
                      duplicate="duplicate_custom_field", unique_in_family=True)


def _named_list(record_type: str, qname: str) -> RecordKind:
    return RecordKind(record_type, qname, record_type, required=(Required("name", "Name"),))


_COMPANY = (Required("companyName", "Company Name", unless="isPerson"),
            Required("firstName", "First Name", only_if="isPerson"),
            Required("lastName", "Last Name", only_if="isPerson"),
            Required("subsidiary", "Subsidiary"))

RECORD_TYPES: dict[str, RecordKind] = {k.record_type: k for k in [
    # entities share one id sequence, as in NetSuite's entity table
    _kind("vendor", "listRel:Vendor", "entity", unique_name="entityId", required=_COMPANY,
          references={"category": ("vendorCategory",)}),
    _kind("customer", "listRel:Customer", "entity", unique_name="entityId", required=_COMPANY,
          references={"category": ()}),  # customer categories are not modelled
    _kind("employee", "listEmp:Employee", "entity", unique_name="entityId",
          required=(Required("firstName", "First Name"), Required("lastName", "Last Name"),
                    Required("subsidiary", "Subsidiary"))),
    _kind("contact", "listRel:Contact", "entity", unique_name="entityId",
          required=(Required("firstName", "First Name"),)),
    _kind("job", "listRel:Job", "entity", unique_name="entityId",
          required=(Required("companyName", "Project Name"),),
          references={"parent": ("customer", "job"), "category": ()}),
    _kind("billingAccount", "listRel:BillingAccount", "entity",
          required=(Required("name", "Name"), Required("customer", "Customer"))),
    # transactions share one id sequence
    _kind("vendorBill", "tranPurch:VendorBill", "transaction",
          required=(Required("entity", "Vendor"),)),
    _kind("vendorCredit", "tranPurch:VendorCredit", "transaction",
          required=(Required("entity", "Vendor"),)),
    _kind("vendorPayment", "tranPurch:VendorPayment", "transaction",
          required=(Required("entity", "Payee"),)),
    _kind("purchaseOrder", "tranPurch:PurchaseOrder", "transaction",
          required=(Required("entity", "Vendor"),)),
    _kind("itemReceipt", "tranPurch:ItemReceipt", "transaction",
          required=(Required("createdFrom", "Created From"),)),
    _kind("invoice", "tranSales:Invoice", "transaction",
          required=(Required("entity", "Customer"),)),
    _kind("salesOrder", "tranSales:SalesOrder", "transaction",
          required=(Required("entity", "Customer"),)),
    _kind("itemFulfillment", "tranSales:ItemFulfillment", "transaction",
          required=(Required("createdFrom", "Created From"),)),
    _kind("cashSale", "tranSales:CashSale", "transaction",
          required=(Required("entity", "Customer"),)),
    _kind("creditMemo", "tranCust:CreditMemo", "transaction",
          required=(Required("entity", "Customer"),)),
    _kind("customerPayment", "tranCust:CustomerPayment", "transaction",
          required=(Required("customer", "Customer"),)),
    _kind("journalEntry", "tranGeneral:JournalEntry", "transaction",
          required=(Required("subsidiary", "Subsidiary"),)),
    _kind("advInterCompanyJournalEntry", "tranGeneral:AdvInterCompanyJournalEntry",
          "transaction", required=(Required("subsidiary", "Subsidiary"),)),
    _kind("expenseReport", "tranEmp:ExpenseReport", "transaction",
          required=(Required("entity", "Employee"),)),
    _kind("usage", "tranSales:Usage", "transaction",
          required=(Required("customer", "Customer"), Required("item", "Item"))),
    # its customer is its deposit's (sourced from it: transactions.check_links)
    _kind("depositApplication", "tranCust:DepositApplication", "transaction",
          required=(Required("deposit", "Deposit"),)),
    # a SuiteBilling charge: its own table, not a transaction (no tranId); its charge type, which
    # NetSuite's samples also set, names a list the mock does not serve, so it is not required
    _kind("charge", "tranCust:Charge", "charge",
          required=(Required("billTo", "Bill To"), Required("stage", "Stage"))),
    # items share one id sequence
    _item("inventoryItem", "listAcct:InventoryItem"),
    _item("nonInventoryPurchaseItem", "listAcct:NonInventoryPurchaseItem"),
    _item("nonInventorySaleItem", "listAcct:NonInventorySaleItem"),
    _item("servicePurchaseItem", "listAcct:ServicePurchaseItem"),
    _item("serviceSaleItem", "listAcct:ServiceSaleItem"),
    _item("salesTaxItem", "listAcct:SalesTaxItem", "Tax Name"),
    _item("taxGroup", "listAcct:TaxGroup", "Tax Name"),
    # lists: each has its own sequence
    _kind("currency", "listAcct:Currency", "currency",
          required=(Required("name", "Name"), Required("symbol", "ISO Code"))),
    _kind("subsidiary", "listAcct:Subsidiary", "subsidiary",
          required=(Required("name", "Name"),)),
    _kind("account", "listAcct:Account", "account",
          required=(Required("acctName", "Name"), Required("acctType", "Type"))),
    _kind("accountingPeriod", "listAcct:AccountingPeriod", "accountingPeriod",
          required=(Required("periodName", "Period Name"),)),
    _kind("classification", "listAcct:Classification", "classification",
          required=(Required("name", "Name"),)),
    _kind("department", "listAcct:Department", "department",
          required=(Required("name", "Name"),)),
    _kind("location", "listAcct:Location", "location",
          required=(Required("name", "Name"),)),
    _kind("currencyRate", "listAcct:CurrencyRate", "currencyRate",
          required=(Required("baseCurrency", "Base Currency"),
                    Required("transactionCurrency", "Transaction Currency"),
                    Required("exchangeRate", "Exchange Rate"))),
    _kind("term", "listAcct:Term", "term", required=(Required("name", "Name"),)),
    _kind("expenseCategory", "listAcct:ExpenseCategory", "expenseCategory",
          required=(Required("name", "Name"), Required("expenseAcct", "Expense Account"))),
    _kind("vendorCategory", "listAcct:VendorCategory", "vendorCategory",
          required=(Required("name", "Name"),)),
    _kind("priceLevel", "listAcct:PriceLevel", "priceLevel",
          required=(Required("name", "Name"),)),
    _kind("folder", "docFileCab:Folder", "folder", required=(Required("name", "Name"),)),
    _kind("file", "docFileCab:File", "file",
          required=(Required("name", "Name"), Required("folder", "Folder"))),
    _kind("customRecordType", "setupCustom:CustomRecordType", "customRecordType",
          required=(Required("recordName", "Name"),)),
    _kind("customRecord", "setupCustom:CustomRecord", "customRecord",
          required=(Required("recType", "Custom Record Type"),)),
    _kind("customList", "setupCustom:CustomList", "customList",
          required=(Required("name", "Name"),)),
    # custom field definitions: what a record's customFieldList may carry
    _custom_field("transactionBodyCustomField", "setupCustom:TransactionBodyCustomField"),
    _custom_field("transactionColumnCustomField", "setupCustom:TransactionColumnCustomField"),
    _custom_field("entityCustomField", "setupCustom:EntityCustomField"),
    _custom_field("itemCustomField", "setupCustom:ItemCustomField"),
    _custom_field("otherCustomField", "setupCustom:OtherCustomField"),
    _custom_field("crmCustomField", "setupCustom:CrmCustomField"),
    # the lists getAll serves (GetAllRecordType), currency above among them
    _kind("state", "listAcct:State", "state",
          required=(Required("country", "Country"), Required("fullName", "Full Name"),
                    Required("shortname", "Short Name"))),
    _named_list("budgetCategory", "listAcct:BudgetCategory"),
    _named_list("taxAcct", "listAcct:TaxAcct"),
    _named_list("leadSource", "listAcct:LeadSource"),
    _named_list("campaignAudience", "listMkt:CampaignAudience"),
    _named_list("campaignCategory", "listMkt:CampaignCategory"),
    _named_list("campaignChannel", "listMkt:CampaignChannel"),
    _named_list("campaignFamily", "listMkt:CampaignFamily"),
    _named_list("campaignOffer", "listMkt:CampaignOffer"),
    _named_list("campaignSearchEngine", "listMkt:CampaignSearchEngine"),
    _named_list("campaignSubscription", "listMkt:CampaignSubscription"),
    _named_list("campaignVertical", "listMkt:CampaignVertical"),
    _named_list("supportCaseIssue", "listSupport:SupportCaseIssue"),
    _named_list("supportCaseOrigin", "listSupport:SupportCaseOrigin"),
    _named_list("supportCasePriority", "listSupport:SupportCasePriority"),
    _named_list("supportCaseStatus", "listSupport:SupportCaseStatus"),
    _named_list("supportCaseType", "listSupport:SupportCaseType"),
    # every other RecordType value: derived from the schema below
]}

RECORD_TYPE_ENUM = "platformCoreTyp:RecordType"
ITEM_TYPE_ENUM = "listAcctTyp:ItemType"
_RECORD_BASE = "platformCore:Record"
_CUSTOM_FIELD_BASE = "setupCustom:CustomFieldType"
# Namespaces whose transactions require their ``entity``, and its label (INFERRED; an inventory
# transaction's entity, a work order's customer, is optional).
_ENTITY_REQUIRED = {"tranSales": "Customer", "tranCust": "Customer", "tranPurch": "Vendor",
                    "tranBank": "Payee", "tranEmp": "Employee", "setupCustom": "Name"}


def schema_record(record_type: str) -> str | None:
    """The schema's record type for a ``RecordType`` value: the concrete ``platformCore:Record``
    of the same name in any namespace (``estimate`` -> ``tranSales:Estimate``); None for the
    one value no record type carries (``customTransactionType``)."""
    return _SCHEMA_RECORDS.get(record_type.lower())


def item_type_value(record_type: str) -> str | None:
    """The ``ItemType`` value an ``ItemSearchBasic`` tells this item type by, or None if it is
    not an item: ``lotNumberedInventoryItem`` -> ``_inventoryItem``, ``serviceResaleItem`` ->
    ``_service``, ``kitItem`` -> ``_kit``, ``itemGroup`` -> ``_itemGroup``."""
    values = registry.lookup(ITEM_TYPE_ENUM).values
    stem = re.sub(r"^(lotNumbered|serialized)", "", record_type)
    stem = stem[:1].lower() + stem[1:]
    stem = re.sub(r"(Purchase|Sale|Resale)?Item$", "", stem)
    return next((v for v in ("_" + stem + "Item", "_" + stem) if v in values), None)


# Fields the inventory family's transactions and bins require beyond the schema, and their
# labels (Schema Browser labels where it has them: "Adjustment Account"; the others INFERRED).
_FAMILY_REQUIRED = {
    "inventoryAdjustment": (Required("account", "Adjustment Account"),),
    "inventoryTransfer": (Required("location", "From Location"),
                          Required("transferLocation", "To Location")),
    "transferOrder": (Required("location", "From Location"),
                      Required("transferLocation", "To Location")),
    "assemblyBuild": (Required("item", "Assembly"), Required("quantity", "Quantity")),
    "assemblyUnbuild": (Required("item", "Assembly"), Required("quantity", "Quantity")),
    "workOrder": (Required("assemblyItem", "Assembly"), Required("quantity", "Quantity")),
    "bin": (Required("binNumber", "Bin Number"), Required("location", "Location")),
}


def _derived(record_type: str, qname: str) -> RecordKind:
    """A kind for a record type without a hand-written entry: its id family from the schema
    (custom field definitions, items, entities, transactions, else its own sequence) and the
    fields it requires (INFERRED, see docs/record-types.md)."""
    schema = registry.complex(qname)
    kind = _derived_by_family(record_type, qname)
    kind = replace(kind, required=kind.required + _FAMILY_REQUIRED.get(record_type, ()))
    declared = tuple(Required(f.name, f.name) for f in schema.fields  # minOccurs 1 in the XSD
                     if f.min_occurs >= 1 and all(r.field != f.name for r in kind.required))
    return replace(kind, required=kind.required + declared) if declared else kind


# Derived kinds whose required fields (and reference targets) NetSuite documents: the Records
# Browser's "Required" column (deposit: Account; customer status: Status, Probability; time
# bill: Employee; time sheet: Employee, Start Date; resource allocation: Resource, Project,
# Start Date, End Date, Allocation; project task: Project, Name; entity group: Name, Type),
# and a requisition's entity, which is its requester (an employee), not a vendor.
_DOCUMENTED: dict[str, dict] = {
    "deposit": {"required": (Required("account", "Account"),)},
    "customerStatus": {"required": (Required("name", "Status"),
                                    Required("probability", "Probability"))},
    "purchaseRequisition": {"required": (Required("entity", "Requestor"),),
                            "references": {"entity": ("employee",)}},
    "timeBill": {"required": (Required("employee", "Employee"),),
                 "references": {"customer": ("customer", "job")}},
    "timeSheet": {"required": (Required("employee", "Employee"),
                               Required("startDate", "Start Date")),
                  "references": {"customer": ("customer", "job")}},
    "resourceAllocation": {"required": (Required("allocationResource", "Resource"),
                                        Required("project", "Project"),
                                        Required("startDate", "Start Date"),
                                        Required("endDate", "End Date"),
                                        Required("allocationAmount", "Allocation")),
                           "references": {"allocationResource": ("employee",),
                                          "project": ("job",), "requestedby": ("employee",)}},
    "projectTask": {"required": (Required("company", "Project"), Required("title", "Name")),
                    "references": {"company": ("job",), "parent": ("projectTask",)}},
    "supportCase": {"references": {"status": ("supportCaseStatus",),
                                   "priority": ("supportCasePriority",),
                                   "origin": ("supportCaseOrigin",),
                                   "issue": ("supportCaseIssue",),
                                   "category": ("supportCaseType",)}},
    "entityGroup": {"required": (Required("groupName", "Name"), Required("groupType", "Type")),
                    "references": {"groupOwner": ("employee",)}},
}


def _derived_by_family(record_type: str, qname: str) -> RecordKind:
    kind = _derived_generically(record_type, qname)
    return replace(kind, **_DOCUMENTED[record_type]) if record_type in _DOCUMENTED else kind


def _derived_generically(record_type: str, qname: str) -> RecordKind:
    schema = registry.complex(qname)
    has = schema.field
    if schema.is_a(_CUSTOM_FIELD_BASE):
        return _custom_field(record_type, qname)
    if item_type_value(record_type) is not None and has("itemId"):
        return _item(record_type, qname)
    if has("entityId"):
        required = _COMPANY if has("isPerson") else (Required("entityId", "Name"),)
        return RecordKind(record_type, qname, "entity", unique_name="entityId",
                          required=required)
    if has("tranId"):
        return RecordKind(record_type, qname, "transaction",
                          required=_transaction_required(record_type, qname))
    for name, label in (("name", "Name"), ("title", "Title"), ("groupName", "Name"),
                        ("label", "Label")):
        if has(name) is not None and registry.lookup(has(name).type_ref) is None:
            return RecordKind(record_type, qname, record_type, required=(Required(name, label),))
    return RecordKind(record_type, qname, record_type)


def _transaction_required(record_type: str, qname: str) -> tuple[Required, ...]:
    has = registry.complex(qname).field
    prefix = qname.split(":")[0]
    if has("entity") and prefix in _ENTITY_REQUIRED:
        return (Required("entity", _ENTITY_REQUIRED[prefix]),)
    if has("customer") and prefix == "tranCust":
        return (Required("customer", "Customer"),)
    if record_type.endswith(("Journal", "JournalEntry")) and has("subsidiary"):
        return (Required("subsidiary", "Subsidiary"),)
    return ()


_SCHEMA_RECORDS = {t.name.lower(): t.qname for t in registry.types.values()
                   if isinstance(t, ComplexType) and not t.abstract and t.is_a(_RECORD_BASE)}
# The record types whose kind the schema gave (no hand-written entry above).
DERIVED_TYPES = frozenset(v for v in registry.lookup(RECORD_TYPE_ENUM).values
                          if v not in RECORD_TYPES and schema_record(v) is not None)
RECORD_TYPES.update((v, _derived(v, schema_record(v))) for v in sorted(DERIVED_TYPES))

_BY_QNAME = {k.qname: k for k in RECORD_TYPES.values()}

# Fields NetSuite sets itself and a client cannot (read-only in NetSuite's schema browser;
# INFERRED for most: only ``addrText`` has a captured refusal, INSUFFICIENT_PERMISSION "You do
# not have permissions to set a value for element addrtext …"). The mock stores what a client
# sends; contract tests neither generate them nor expect them back as sent.
READ_ONLY_FIELDS = frozenset({
    "transactionNumber", "currencyName", "estGrossProfit", "estGrossProfitPercent",
    "amountPaid", "amountRemaining", "availableVendorCredit", "discountTotal", "taxTotal", "addrText", "balance", "unbilledOrders", "overdueBalance",
    "depositBalance", "consolBalance", "consolDepositBalance", "consolOverdueBalance",
    "consolUnbilledOrders", "lastSalesDate", "quantityAvailable", "quantityOnHand",
    "quantityOnOrder", "quantityCommitted", "quantityBackOrdered", "quantityRemaining",
    "quantityReceived", "quantityBilled", "quantityFulfilled",
    "averageCost", "lastPurchasePrice", "totalValue", "onHandValueMli", "currentCount",
    "formatSample", "isBaseCurrency", "statusRef", "lastModified",
})

# Which record types a RecordRef field points at, by field name. A field not listed here (a custom
# form, a tax schedule the mock does not model) is stored as sent, without a reference check.
REFERENCE_TARGETS: dict[str, tuple[str, ...]] = {
    "subsidiary": ("subsidiary",),
    "representingSubsidiary": ("subsidiary",),
    "toSubsidiary": ("subsidiary",),
    "lineSubsidiary": ("subsidiary",),
    "dueToFromSubsidiary": ("subsidiary",),
    "currency": ("currency",),
    "baseCurrency": ("currency",),
    "transactionCurrency": ("currency",),
    "department": ("department",),
    "location": ("location",),
    "class": ("classification",),
    "terms": ("term",),
    "account": ("account",),
    "expenseAccount": ("account",),
    "payablesAccount": ("account",),
    "receivablesAccount": ("account",),
    "apAcct": ("account",),
    "arAcct": ("account",),
    "expenseAcct": ("account",),
    "incomeAccount": ("account",),
    "cogsAccount": ("account",),
    "assetAccount": ("account",),
    "parent": (),  # same record type; filled in by ``reference_targets``
    "entity": ENTITY_TYPES,
    "vendor": ("vendor",),
    "customer": ("customer",),
    "employee": ("employee",),
    "item": ITEM_TYPES,
    "createdFrom": ("purchaseOrder", "salesOrder", "vendorBill", "invoice", "creditMemo",
                    "cashSale", "transferOrder", "workOrder", "purchaseRequisition",
                    "vendorReturnAuthorization", "estimate", "opportunity", "returnAuthorization"),
    "assemblyItem": ("assemblyItem", "lotNumberedAssemblyItem", "serializedAssemblyItem"),
    "adjLocation": ("location",),
    "transferLocation": ("location",),
    "binNumber": ("bin",),
    "toBinNumber": ("bin",),
    "issueInventoryNumber": ("inventoryNumber",),
    "entityStatus": ("customerStatus",),
    "poVendor": ("vendor",),
    "opportunity": ("opportunity",),
    "deposit": ("customerDeposit",),
    "billTo": ("customer", "job"),
    "postingPeriod": ("accountingPeriod",),
    "folder": ("folder",),
    "category": ("expenseCategory",),
    "recType": ("customRecordType",),
    "priceLevel": ("priceLevel",),
    "promotion": ("promotionCode",),
    "leadSource": ("leadSource",),
    "taxCode": ("salesTaxItem", "taxGroup"),
    "taxItem": ("salesTaxItem", "taxGroup"),
    "lineTaxCode": ("salesTaxItem", "taxGroup"),
    "shippingTaxCode": ("salesTaxItem", "taxGroup"),
    "handlingTaxCode": ("salesTaxItem", "taxGroup"),
    "expCostTaxCode": ("salesTaxItem", "taxGroup"),
    "itemCostTaxCode": ("salesTaxItem", "taxGroup"),
    "timeTaxCode": ("salesTaxItem", "taxGroup"),
    "taxAgency": ("vendor",),          # a tax agency is a vendor record in NetSuite
    "contact": ("contact",),
    "assistant": ("contact",),
    "managerEmp": ("employee",),
    "vendorCurrency": ("currency",),
    "preferredLocation": ("location",),
    "locationId": ("location",),
    "catchUpPeriod": ("accountingPeriod",),
    "voidJournal": ("journalEntry",),
    "purchaseTaxCode": ("salesTaxItem", "taxGroup"),
    "salesTaxCode": ("salesTaxItem", "taxGroup"),
    "taxAccount": ("account",),
    "job": ("job",),
    "billingAccount": ("billingAccount",),
    "supervisor": ("employee",),
    "salesRep": ("employee",),
    "nextApprover": ("employee",),
    "approver": ("employee",),
    "projectManager": ("employee",),
    "purchaseOrderApprover": ("employee",),
    "timeApprover": ("employee",),
    "owner": ("employee",),
    "company": ("customer", "vendor", "job", "partner"),
    "taxName": ("salesTaxItem", "taxGroup"),
    "taxitem1": ("salesTaxItem", "taxGroup"),
    "taxitem2": ("salesTaxItem", "taxGroup"),
    "entityCurrency": ("currency",),
    "expenseReportCurrency": ("currency",),
    "defaultExpenseReportCurrency": ("currency",),
    "period": ("accountingPeriod",),
    "dept": ("department",),
    "file": ("file",),
    **{name: ("account",) for name in (
        "acctCorpCardExp", "defaultAcctCorpCardExp", "billExchRateVarianceAcct",
        "billPriceVarianceAcct", "billQtyVarianceAcct", "billableExpensesAcct",
        "deferralAccount", "deferralAcct", "deferredRevenueAccount", "drAccount",
        "dropshipExpenseAccount", "fxAccount", "gainLossAccount", "interCoAccount",
        "intercoCogsAccount", "intercoDefRevAccount", "intercoIncomeAccount",
        "openingBalanceAccount", "purchaseAccount", "purchasePriceVarianceAcct",
        "revReclassFXAccount", "saleAccount", "tax1Acct")},
}


def kind_of(record_type: str) -> RecordKind | None:
    return RECORD_TYPES.get(record_type)


def kind_for_qname(qname: str) -> RecordKind | None:
    return _BY_QNAME.get(qname)


def reference_targets(kind: RecordKind, field_name: str) -> tuple[str, ...]:
    if field_name in kind.references:
        return kind.references[field_name]
    if field_name == "parent":
        return (kind.record_type,)
    return REFERENCE_TARGETS.get(field_name, ())


def id_order(internal_id: str) -> tuple:
    """Sort key for internal ids: numbers in numeric order, then any others (a seed's)."""
    return (0, int(internal_id), "") if internal_id.isdigit() else (1, 0, internal_id)


def record_name(kind: RecordKind, record: dict) -> str | None:
    """The display name NetSuite puts in ``RecordRef.name`` when it returns a reference."""
    for key in ("entityId", "companyName", "tranId", "itemId", "name", "acctName", "periodName",
                "recordName", "label", "fullName"):
        value = record.get(key)
        if isinstance(value, str) and value:
            return value
    return None
