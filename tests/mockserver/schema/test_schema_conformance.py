"""Every type the mock models matches NetSuite's published 2024_1 schema: names, field order,
types, occurrence bounds, attributes and namespaces. So do the Spyne models built from it."""

from __future__ import annotations

from functools import lru_cache

import pytest
from lxml import etree

from mockserver.schema import NAMESPACES, registry
from mockserver.schema.model import ComplexType, EnumType
from tests.conftest import REAL_WSDL_DIR, requires_shared

XS = "{http://www.w3.org/2001/XMLSchema}"
XSD_URI = "http://www.w3.org/2001/XMLSchema"

pytestmark = [requires_shared, pytest.mark.shared]

ISSUE_RECORDS = ["listRel:Vendor", "listRel:Customer", "listAcct:Currency", "listAcct:Subsidiary",
                 "listAcct:Account", "tranPurch:VendorBill", "tranPurch:VendorBillItem",
                 "tranPurch:VendorBillItemList", "tranPurch:VendorBillExpense",
                 "tranPurch:VendorBillExpenseList"]


@lru_cache(maxsize=None)
def real_schema() -> dict:
    """qname (with NetSuite's prefixes) -> (kind, node, nsmap) from the real XSDs."""
    found = {}
    for path in sorted((REAL_WSDL_DIR / "xsd").glob("*.xsd")):
        root = etree.parse(str(path)).getroot()
        ns = registry.by_uri[root.get("targetNamespace")]
        for node in root:
            if isinstance(node.tag, str) and node.get("name"):
                kind = etree.QName(node).localname
                key = f"{ns.prefix}:{node.get('name')}"
                found[(kind, key)] = node
    return found


def qualify(node, value: str) -> str:
    prefix, _, local = value.rpartition(":")
    uri = node.nsmap.get(prefix or None)
    return f"xsd:{local}" if uri == XSD_URI else f"{registry.by_uri[uri].prefix}:{local}"


def real_complex(node, own_prefix: str) -> dict:
    """A same-namespace ``ref`` equals a local element of the same name and type
    (elementFormDefault is qualified), so only cross-namespace refs keep their prefix."""
    fields, attributes, base, text = [], [], None, None
    for el in node.iter(f"{XS}element", f"{XS}attribute", f"{XS}extension"):
        tag = etree.QName(el).localname
        if tag == "extension":
            if el.getparent().tag == f"{XS}simpleContent":
                text = qualify(el, el.get("base"))
            else:
                base = qualify(el, el.get("base"))
        elif tag == "attribute":
            attributes.append((el.get("name"), qualify(el, el.get("type")),
                               el.get("use") == "required", el.get("default")))
        else:
            if el.get("ref"):
                target = qualify(el, el.get("ref"))
                prefix, local = target.split(":")
                ref_node = real_schema()[("element", target)]
                fields.append((local, None if prefix == own_prefix else prefix, qualify(ref_node, ref_node.get("type")),
                               el.get("minOccurs", "1"), el.get("maxOccurs", "1")))
            else:
                fields.append((el.get("name"), None, qualify(el, el.get("type")),
                               el.get("minOccurs", "1"), el.get("maxOccurs", "1")))
    return {"base": base, "abstract": node.get("abstract") == "true", "fields": fields,
            "attributes": attributes, "text": text}


def modelled_complex(ctype: ComplexType) -> dict:
    return {
        "base": ctype.base_ref, "abstract": ctype.abstract, "text": ctype.text_type,
        "fields": [(f.name, None if f.prefix == ctype.namespace.prefix else f.prefix, f.type_ref,
                    str(f.min_occurs), "unbounded" if f.max_occurs is None else str(f.max_occurs))
                   for f in ctype.own_fields],
        "attributes": [(a.name, a.type_ref, a.required, a.default) for a in ctype.own_attributes],
    }


def declared_types() -> list[str]:
    return sorted(registry.types)


def test_namespaces_are_netsuites_46_in_zeeps_order():
    real_uris = {etree.parse(str(p)).getroot().get("targetNamespace")
                 for p in (REAL_WSDL_DIR / "xsd").glob("*.xsd")}
    assert {ns.uri for ns in NAMESPACES} == real_uris
    assert len(NAMESPACES) == 46
    for ns in NAMESPACES:
        root = etree.parse(str(REAL_WSDL_DIR / "xsd" / f"{ns.document}.xsd")).getroot()
        assert root.get("targetNamespace") == ns.uri
        imports = [registry.by_uri[i.get("namespace")].prefix for i in root.iter(f"{XS}import")]
        assert list(ns.imports) == imports, ns.document


def test_the_issue_records_are_modelled():
    for qname in ISSUE_RECORDS:
        assert isinstance(registry.lookup(qname), ComplexType), qname
        assert ("complexType", qname) in real_schema()


@pytest.mark.parametrize("qname", declared_types())
def test_modelled_type_matches_the_published_schema(qname):
    declared = registry.types[qname]
    if isinstance(declared, EnumType):
        node = real_schema()[("simpleType", qname)]
        assert list(declared.values) == [e.get("value") for e in node.iter(f"{XS}enumeration")]
    else:
        node = real_schema()[("complexType", qname)]
        assert modelled_complex(declared) == real_complex(node, declared.namespace.prefix)


def test_top_level_elements_match_the_published_schema():
    for qname, element in registry.elements.items():
        node = real_schema()[("element", qname)]
        assert element.type_ref == qualify(node, node.get("type")), qname


@pytest.mark.parametrize("qname", ISSUE_RECORDS + ["platformCore:RecordRef",
                                                   "platformCore:TokenPassport",
                                                   "platformMsgs:ReadResponse"])
def test_spyne_model_has_the_schema_fields_in_order(qname):
    from mockserver.wire.models import model_for
    from spyne.model.complex import XmlAttribute, XmlData

    ctype = registry.complex(qname)
    model = model_for(qname)
    assert model.get_namespace() == ctype.namespace.uri
    assert model.get_type_name() == ctype.name
    flat = model.get_flat_type_info(model)
    elements = [name for name, member in flat.items()
                if not (isinstance(member, type) and issubclass(member, (XmlAttribute, XmlData)))]
    attributes = [name for name, member in flat.items()
                  if isinstance(member, type) and issubclass(member, XmlAttribute)]
    assert elements == [f.name for f in ctype.fields]
    assert attributes == [a.name for a in ctype.attributes]


# Issue 3's records and the search-basic type each is searched with (transactions share
# TransactionSearchBasic, items ItemSearchBasic; currencies and custom record types have none).
ISSUE_3_SEARCH_BASICS = {
    "Vendor": "Vendor", "VendorBill": "Transaction", "VendorCredit": "Transaction",
    "VendorPayment": "Transaction", "PurchaseOrder": "Transaction", "ItemReceipt": "Transaction",
    "Customer": "Customer", "Invoice": "Transaction", "CreditMemo": "Transaction",
    "CustomerPayment": "Transaction", "JournalEntry": "Transaction",
    "AdvInterCompanyJournalEntry": "Transaction", "Employee": "Employee",
    "ExpenseReport": "Transaction", "ExpenseCategory": "ExpenseCategory", "Account": "Account",
    "AccountingPeriod": "AccountingPeriod", "Classification": "Classification",
    "Department": "Department", "Location": "Location", "Subsidiary": "Subsidiary",
    "Currency": None, "CurrencyRate": "CurrencyRate", "Term": "Term", "TaxGroup": "TaxGroup",
    "SalesTaxItem": "SalesTaxItem", "InventoryItem": "Item", "NonInventoryPurchaseItem": "Item",
    "NonInventorySaleItem": "Item", "ServicePurchaseItem": "Item", "ServiceSaleItem": "Item",
    "PriceLevel": "PriceLevel", "Job": "Job", "BillingAccount": "BillingAccount",
    "Usage": "Usage", "Folder": "Folder", "File": "File", "CustomRecord": "CustomRecord",
    "CustomRecordType": None, "CustomList": "CustomList", "Contact": "Contact",
}


def test_issue_3_records_are_served_and_their_searches_modelled():
    from mockserver.domain.records import RECORD_TYPES
    served = {k.schema.name: k for k in RECORD_TYPES.values()}
    for name, search in ISSUE_3_SEARCH_BASICS.items():
        assert name in served, name
        assert ("complexType", served[name].qname) in real_schema(), name
        if search is not None:
            for suffix in ("SearchBasic", "SearchRowBasic"):
                qname = f"platformCommon:{search}{suffix}"
                assert isinstance(registry.lookup(qname), ComplexType), qname
