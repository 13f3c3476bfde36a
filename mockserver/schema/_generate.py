"""Developer tool: write this package's namespace modules from NetSuite's published XSDs.

    python mockserver/schema/_generate.py ../shared/netsuite-wsdl/v2024_1_0

It extracts facts only (type names, field names, order, types, occurrence bounds, enum values)
and writes them in this package's own grammar (see ``model.py``); no XSD text or documentation is
carried over. Which types are modelled is decided by ``ROOTS`` below plus everything they refer
to; the platform namespaces (core, messages, faults and their type namespaces) are kept whole.
Not used at run time.
"""

from __future__ import annotations

import re
import sys
from collections import OrderedDict
from pathlib import Path

from lxml import etree

XS = "{http://www.w3.org/2001/XMLSchema}"

# Records the mock models (issue scope), by their schema type name: the records integrations
# use, the custom field definitions their customFieldList entries refer to, and every list that
# getAll serves (GetAllRecordType).
RECORDS = """
    Vendor VendorBill VendorCredit VendorPayment PurchaseOrder ItemReceipt Customer Invoice
    CreditMemo CustomerPayment JournalEntry AdvInterCompanyJournalEntry Employee ExpenseReport
    ExpenseCategory Account AccountingPeriod Classification Department Location Subsidiary
    Currency CurrencyRate Term TaxGroup SalesTaxItem InventoryItem NonInventoryPurchaseItem
    NonInventorySaleItem ServicePurchaseItem ServiceSaleItem PriceLevel Job BillingAccount Usage
    Folder File CustomRecord CustomRecordType CustomList Contact VendorCategory SalesOrder
    ItemFulfillment CashSale
    TransactionBodyCustomField TransactionColumnCustomField EntityCustomField ItemCustomField
    OtherCustomField CrmCustomField
    State BudgetCategory TaxAcct LeadSource CampaignAudience CampaignCategory CampaignChannel
    CampaignFamily CampaignOffer CampaignSearchEngine CampaignSubscription CampaignVertical
    SupportCaseIssue SupportCaseOrigin SupportCasePriority SupportCaseStatus SupportCaseType
""".split()

# Search families: the record's own (VendorSearch) or a shared one (TransactionSearch, ItemSearch).
SEARCHES = """
    Vendor Transaction Customer Employee ExpenseCategory Account AccountingPeriod Classification
    Department Location Subsidiary Currency CurrencyRate Term TaxGroup SalesTaxItem Item PriceLevel
    Job BillingAccount Usage Folder File CustomRecord CustomList Contact VendorCategory
    InboundShipment ConsolidatedExchangeRate
""".split()

# Enumerations the domain needs that no modelled type refers to (search values are plain strings):
# the values a TransactionSearchBasic ``type`` criterion accepts.
ENUMS = """
    TransactionType
""".split()

# One line each, our words, for the generated modules' docstrings.
DESCRIPTIONS = {
    "platform.core": "references, status, search fields and results, TokenPassport",
    "platform.coreTypes": "enumerations of the platform core (record types, search operators…)",
    "platform.faults": "the SOAP fault detail types",
    "platform.faultTypes": "fault codes and status-detail codes",
    "platform.messages": "request and response bodies of every operation, and the SOAP headers",
    "platform.common": "shared search-basic, search-row and address types",
    "platform.commonTypes": "enumerations shared across records",
    "lists.relationships": "entity records: vendors, customers, contacts, jobs, billing accounts",
    "lists.accounting": "accounting lists: accounts, items, currencies, subsidiaries, terms…",
    "transactions.sales": "sales transactions, and the transaction search shared by all",
    "transactions.purchases": "purchase transactions: vendor bills, credits, payments, orders",
    "transactions.customers": "customer transactions: credit memos, payments",
    "transactions.general": "general-ledger transactions: journal entries",
    "transactions.inventory": "inventory transactions",
    "transactions.employees": "employee transactions: expense reports",
    "lists.employees": "employees",
    "setup.customization": "custom records, lists and fields",
    "lists.marketing": "marketing lists served by getAll: campaign categories, channels…",
    "lists.support": "support lists served by getAll: case issues, origins, priorities…",
    "documents.fileCabinet": "files and folders",
}

WHOLE_FILES = {"platform.core", "platform.coreTypes", "platform.faults", "platform.faultTypes",
               "platform.messages"}


def module_name(stem: str) -> str:
    """``lists.relationshipTypes`` -> ``lists_relationship_types``."""
    area, _, rest = stem.partition(".")
    rest = re.sub(r"(?<!^)([A-Z])", r"_\1", rest).lower()
    return f"{area}_{rest}"


class Source:
    """The XSD files, indexed by namespace URI and by prefixed type name."""

    def __init__(self, folder: Path):
        self.files: dict[str, etree._Element] = {}
        self.uri_of: dict[str, str] = {}      # stem -> target namespace
        self.prefix_of: dict[str, str] = {}   # uri -> NetSuite's prefix for it
        self.stem_of: dict[str, str] = {}     # uri -> stem
        for path in sorted(folder.glob("xsd/*.xsd")):
            root = etree.parse(str(path)).getroot()
            stem = path.stem
            uri = root.get("targetNamespace")
            self.files[stem] = root
            self.uri_of[stem] = uri
            self.stem_of[uri] = stem
            own = [p for p, u in root.nsmap.items() if u == uri and p]
            self.prefix_of[uri] = sorted(own, key=len)[0]
        self.defs: dict[str, tuple[str, etree._Element]] = {}   # qname -> (kind, node)
        for stem, root in self.files.items():
            prefix = self.prefix_of[self.uri_of[stem]]
            for node in root:
                if not isinstance(node.tag, str):
                    continue
                kind = etree.QName(node).localname
                if kind in ("complexType", "simpleType", "element") and node.get("name"):
                    key = f"{prefix}:{node.get('name')}" if kind != "element" else f"{prefix}:@{node.get('name')}"
                    self.defs[key] = (kind, node)

    def qualify(self, node: etree._Element, value: str) -> str:
        """A ``p:Name`` reference written with the file's own prefixes -> NetSuite's prefix."""
        p, _, local = value.rpartition(":")
        uri = node.nsmap.get(p or None)
        if uri == "http://www.w3.org/2001/XMLSchema":
            return f"xsd:{local}"
        return f"{self.prefix_of[uri]}:{local}"


def describe(src: Source, qname: str) -> tuple[list[str], list[str]]:
    """(lines of the declaration body, referenced qnames) for one complex type."""
    kind, node = src.defs[qname]
    lines: list[str] = []
    refs: list[str] = []
    for el in node.iter(f"{XS}element", f"{XS}attribute", f"{XS}extension"):
        local = etree.QName(el).localname
        if local == "extension":
            base = src.qualify(el, el.get("base"))
            refs.append(base)
            if el.getparent().tag == f"{XS}simpleContent":
                lines.append(f"#text {base}")
            continue
        if local == "attribute":
            tref = src.qualify(el, el.get("type"))
            refs.append(tref)
            extra = " required" if el.get("use") == "required" else ""
            if el.get("default") is not None:
                extra += f" ={el.get('default')}"
            lines.append(f"@{el.get('name')} {tref}{extra}")
            continue
        if el.get("ref"):
            target = src.qualify(el, el.get("ref"))
            p, _, n = target.partition(":")
            tref = src.qualify(src.defs[f"{p}:@{n}"][1], src.defs[f"{p}:@{n}"][1].get("type"))
            name = target
        else:
            tref = src.qualify(el, el.get("type"))
            name = el.get("name")
        refs.append(tref)
        low, high = el.get("minOccurs", "1"), el.get("maxOccurs", "1")
        occurs = {("0", "1"): "", ("1", "1"): " 1", ("0", "unbounded"): " *",
                  ("1", "unbounded"): " +"}.get((low, high), f" {low}..{high}")
        lines.append(f"{name} {tref}{occurs}")
    return lines, refs


def closure(src: Source) -> set[str]:
    wanted: set[str] = set()
    todo: list[str] = []
    for stem in WHOLE_FILES:
        prefix = src.prefix_of[src.uri_of[stem]]
        todo += [k for k in src.defs if k.split(":")[0] == prefix]
    by_local = {}
    for k in src.defs:
        by_local.setdefault(k.split(":", 1)[1], []).append(k)
    for name in RECORDS:
        todo += by_local[name]
    for name in ENUMS:
        todo += by_local[name]
    for family in SEARCHES:
        for suffix in ("Search", "SearchAdvanced", "SearchRow"):
            todo += by_local.get(family + suffix, [])
    while todo:
        qname = todo.pop()
        if qname in wanted or qname.startswith("xsd:"):
            continue
        wanted.add(qname)
        kind, node = src.defs[qname]
        if kind == "complexType":
            todo += describe(src, qname)[1]
        elif kind == "element":
            todo.append(src.qualify(node, node.get("type")))
    return wanted


def render_module(src: Source, stem: str, wanted: set[str]) -> str:
    uri = src.uri_of[stem]
    prefix = src.prefix_of[uri]
    imports = tuple(src.prefix_of[i.get("namespace")]
                    for i in src.files[stem].iter(f"{XS}import"))
    what = DESCRIPTIONS.get(stem) or (
        f"enumerations for {stem[:-5]}" if stem.endswith("Types") else "not modelled yet")
    out = [f'"""{prefix}: {what}{" " if what else ""}({stem}.xsd).',
           "",
           "Generated by ``mockserver/schema/_generate.py`` from NetSuite's published XSDs;",
           'regenerate rather than edit by hand."""',
           "",
           "from mockserver.schema.model import Namespace",
           "",
           f'ns = Namespace("{prefix}", "{stem}", "{uri.replace("2024_1", "{version}")}",',
           f'               imports={imports!r})',
           ""]
    root = src.files[stem]
    for node in root:
        if not isinstance(node.tag, str) or not node.get("name"):
            continue
        kind = etree.QName(node).localname
        key = f"{prefix}:{node.get('name')}" if kind != "element" else f"{prefix}:@{node.get('name')}"
        if key not in wanted:
            continue
        if kind == "simpleType":
            values = [e.get("value") for e in node.iter(f"{XS}enumeration")]
            body = _wrap(values)
            out.append(f'ns.enum("{node.get("name")}", """\n{body}\n""")')
        elif kind == "element":
            out.append(f'ns.element("{node.get("name")}", "{src.qualify(node, node.get("type"))}")')
        else:
            lines, _ = describe(src, key)
            ext = node.find(f".//{XS}extension")
            args = ""
            if ext is not None and ext.getparent().tag == f"{XS}complexContent":
                args += f', extends="{src.qualify(ext, ext.get("base"))}"'
            if node.get("abstract") == "true":
                args += ", abstract=True"
            if lines:
                width = max(len(ln.split()[0]) for ln in lines) + 2
                body = "\n".join("    " + ln.split(" ", 1)[0].ljust(width) + ln.split(" ", 1)[1]
                                 for ln in lines)
                out.append(f'ns.complex_type("{node.get("name")}", """\n{body}\n"""{args})')
            else:
                out.append(f'ns.complex_type("{node.get("name")}"{args})')
    return "\n".join(out) + "\n"


def render_operations(wsdl_path: Path) -> str:
    """The WSDL's own facts: each operation's headers and declared faults, in WSDL order."""
    W, S = "{http://schemas.xmlsoap.org/wsdl/}", "{http://schemas.xmlsoap.org/wsdl/soap/}"
    root = etree.parse(str(wsdl_path)).getroot()
    binding = {op.get("name"): op for op in root.find(f"{W}binding").findall(f"{W}operation")}
    fault_sets: dict[tuple[str, ...], str] = {}
    rows = []
    for op in root.find(f"{W}portType").findall(f"{W}operation"):
        name = op.get("name")
        faults = tuple(f.get("name") for f in op.findall(f"{W}fault"))
        label = fault_sets.setdefault(faults, f"FAULTS_{len(fault_sets) + 1}")
        parts = [h.get("part") for h in binding[name].find(f"{W}input").findall(f"{S}header")]
        prefs = next((p for p in parts if p in ("preferences", "searchPreferences")), None)
        out_headers = bool(binding[name].find(f"{W}output").findall(f"{S}header"))
        rows.append(f'    Operation("{name}", {prefs!r}, {out_headers}, {label}),')
    out = ['"""The WSDL\'s own namespace: NetSuiteBinding\'s operations, their headers and faults.',
           "",
           "Generated by ``mockserver/schema/_generate.py`` from NetSuite's published WSDL;",
           'regenerate rather than edit by hand."""',
           "",
           "from mockserver.schema.model import Operation",
           "",
           'URI = "urn:platform_{version}.webservices.netsuite.com"',
           ""]
    for faults, label in fault_sets.items():
        out.append(f"{label} = {faults!r}")
    prefixes = {}
    for xsd in wsdl_path.parent.glob("xsd/*.xsd"):
        top = etree.parse(str(xsd)).getroot()
        uri = top.get("targetNamespace")
        prefixes[uri] = sorted((p for p, u in top.nsmap.items() if u == uri and p), key=len)[0]
    imports = tuple(prefixes[i.get("namespace")] for i in root.iter(f"{XS}import"))
    out += ["", "# The schema documents the WSDL imports, in its order (zeep numbers prefixes from it).",
            f"WSDL_IMPORTS = {imports!r}"]
    out += ["", "# name, preferences header it binds, documentInfo in the response, declared faults",
            "OPERATIONS = ["] + rows + ["]"]
    return "\n".join(out) + "\n"


def _wrap(values: list[str], width: int = 96) -> str:
    lines, cur = [], "   "
    for v in values:
        if len(cur) + len(v) + 1 > width:
            lines.append(cur)
            cur = "   "
        cur += " " + v
    lines.append(cur)
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    src = Source(Path(argv[0]))
    wanted = closure(src)
    here = Path(__file__).parent
    for stem in src.files:
        (here / f"{module_name(stem)}.py").write_text(render_module(src, stem, wanted))
    (here / "platform.py").write_text(render_operations(Path(argv[0]) / "netsuite.wsdl"))
    print(f"{len(wanted)} declarations in {len(src.files)} namespace modules")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
