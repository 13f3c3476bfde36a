"""The WSDL and its schema documents, rendered from the schema declarations.

The documents are laid out as NetSuite lays them out (a WSDL that imports one XSD per namespace,
each XSD importing its neighbours in NetSuite's order), because zeep numbers its namespace
prefixes by walking those imports and real clients look types up by those prefixes
(``ns0:RecordRef``, ``ns13:Vendor``). Spyne's own WSDL generator cannot express ``ref``,
``abstract`` or occurrence bounds faithfully, so the documents are written here from the same
declarations Spyne's models are built from.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from lxml import etree

from mockserver.schema import NAMESPACES, registry
from mockserver.schema import platform
from mockserver.schema.model import VERSION, XSD_URI, ComplexType, EnumType, Namespace

WSDL_URI = "http://schemas.xmlsoap.org/wsdl/"
SOAP_URI = "http://schemas.xmlsoap.org/wsdl/soap/"
PLATFORM_URI = platform.URI.format(version=VERSION)
XSD = "{%s}" % XSD_URI
WSDL = "{%s}" % WSDL_URI
SOAP = "{%s}" % SOAP_URI

WSDL_PATH = "/wsdl/v2024_1_0/netsuite.wsdl"
XSD_DIR = "/wsdl/v2024_1_0/xsd/"
SERVICE_PATH = "/services/NetSuitePort_2024_1"

_HEADER_PARTS = ("applicationInfo", "partnerInfo", "documentInfo", "preferences",
                 "searchPreferences", "tokenPassport")
_IN_HEADERS = ("tokenPassport", "applicationInfo", "partnerInfo")


def _fault_element(message_name: str) -> str:
    """``InsufficientPermissionFault`` -> ``platformFaults:insufficientPermissionFault``."""
    return "platformFaults:" + message_name[0].lower() + message_name[1:]


def document_names() -> list[str]:
    return [ns.document for ns in NAMESPACES]


@lru_cache(maxsize=None)
def schema_document(document: str) -> bytes:
    """One namespace's XSD, e.g. ``lists.relationships``."""
    ns = next((n for n in NAMESPACES if n.document == document), None)
    if ns is None:
        raise KeyError(document)
    return etree.tostring(_schema_tree(ns), xml_declaration=True, encoding="UTF-8",
                          pretty_print=True)


def _schema_tree(ns: Namespace) -> etree._Element:
    used = {ns.prefix, *ns.imports}
    nsmap = {None: XSD_URI, "xsd": XSD_URI}
    nsmap.update({p: registry.uri(p) for p in sorted(used)})
    root = etree.Element(XSD + "schema", nsmap=nsmap, targetNamespace=ns.uri,
                         elementFormDefault="qualified", attributeFormDefault="unqualified")
    for prefix in ns.imports:
        other = registry.namespaces[prefix]
        etree.SubElement(root, XSD + "import", namespace=other.uri,
                         schemaLocation=f"{other.document}.xsd")
    for ctype in ns.complex_types.values():
        _complex_type(root, ctype)
    for etype in ns.enums.values():
        _enum_type(root, etype)
    for elem in ns.elements.values():
        etree.SubElement(root, XSD + "element", name=elem.name, type=elem.type_ref)
    return root


def _complex_type(parent: etree._Element, ctype: ComplexType) -> None:
    node = etree.SubElement(parent, XSD + "complexType", name=ctype.name)
    if ctype.abstract:
        node.set("abstract", "true")
    holder = node
    if ctype.text_type:
        holder = etree.SubElement(etree.SubElement(node, XSD + "simpleContent"),
                                  XSD + "extension", base=ctype.text_type)
    elif ctype.base_ref:
        holder = etree.SubElement(etree.SubElement(node, XSD + "complexContent"),
                                  XSD + "extension", base=ctype.base_ref)
    if ctype.own_fields:
        sequence = etree.SubElement(holder, XSD + "sequence")
        for f in ctype.own_fields:
            el = etree.SubElement(sequence, XSD + "element")
            if f.prefix != ctype.namespace.prefix:
                el.set("ref", f"{f.prefix}:{f.name}")
            else:
                el.set("name", f.name)
                el.set("type", f.type_ref)
            el.set("minOccurs", str(f.min_occurs))
            el.set("maxOccurs", "unbounded" if f.max_occurs is None else str(f.max_occurs))
    for a in ctype.own_attributes:
        attr = etree.SubElement(holder, XSD + "attribute", name=a.name, type=a.type_ref)
        if a.required:
            attr.set("use", "required")
        if a.default is not None:
            attr.set("default", a.default)


def _enum_type(parent: etree._Element, etype: EnumType) -> None:
    node = etree.SubElement(parent, XSD + "simpleType", name=etype.name)
    restriction = etree.SubElement(node, XSD + "restriction", base="xsd:string")
    for value in etype.values:
        etree.SubElement(restriction, XSD + "enumeration", value=value)


@lru_cache(maxsize=None)
def schema_fingerprint() -> str:
    """SHA-256 over every schema document. The WSDL carries it in a comment, so a client that
    caches the parsed WSDL by its content (as ``client.wsdl_cache`` does) notices a new schema
    behind an unchanged WSDL; NetSuite gets the same effect from versioned schema URLs."""
    digest = hashlib.sha256()
    for name in document_names():
        digest.update(schema_document(name))
    return digest.hexdigest()


@lru_cache(maxsize=64)
def wsdl_document(service_url: str) -> bytes:
    """The WSDL with ``soap:address`` pointing at ``service_url`` (the mock's own)."""
    nsmap = {None: WSDL_URI, "soap": SOAP_URI, "tns": PLATFORM_URI, "xsd": XSD_URI,
             "platformMsgs": registry.uri("platformMsgs"),
             "platformFaults": registry.uri("platformFaults")}
    root = etree.Element(WSDL + "definitions", nsmap=nsmap, targetNamespace=PLATFORM_URI)
    types = etree.SubElement(root, WSDL + "types")
    schema = etree.SubElement(types, XSD + "schema", elementFormDefault="qualified")
    for prefix in platform.WSDL_IMPORTS:
        ns = registry.namespaces[prefix]
        etree.SubElement(schema, XSD + "import", namespace=ns.uri,
                         schemaLocation=f"./xsd/{ns.document}.xsd")

    headers = etree.SubElement(root, WSDL + "message", name="headers")
    for part in _HEADER_PARTS:
        etree.SubElement(headers, WSDL + "part", name=part, element=f"platformMsgs:{part}")
    for op in platform.OPERATIONS:
        for suffix, element in (("Request", op.name), ("Response", op.name + "Response")):
            msg = etree.SubElement(root, WSDL + "message", name=op.name + suffix)
            etree.SubElement(msg, WSDL + "part", name="parameters",
                             element=f"platformMsgs:{element}")
    for fault in _all_faults():
        msg = etree.SubElement(root, WSDL + "message", name=fault)
        etree.SubElement(msg, WSDL + "part", name="fault", element=_fault_element(fault))

    port_type = etree.SubElement(root, WSDL + "portType", name="NetSuitePortType")
    for op in platform.OPERATIONS:
        node = etree.SubElement(port_type, WSDL + "operation", name=op.name)
        etree.SubElement(node, WSDL + "input", name=op.name + "Request",
                         message=f"tns:{op.name}Request")
        etree.SubElement(node, WSDL + "output", name=op.name + "Response",
                         message=f"tns:{op.name}Response")
        for fault in op.faults:
            etree.SubElement(node, WSDL + "fault", name=fault, message=f"tns:{fault}")

    binding = etree.SubElement(root, WSDL + "binding", name="NetSuiteBinding",
                               type="tns:NetSuitePortType")
    etree.SubElement(binding, SOAP + "binding", style="document",
                     transport="http://schemas.xmlsoap.org/soap/http")
    for op in platform.OPERATIONS:
        node = etree.SubElement(binding, WSDL + "operation", name=op.name)
        etree.SubElement(node, SOAP + "operation", soapAction=op.name)
        inp = etree.SubElement(node, WSDL + "input", name=op.name + "Request")
        for part in _IN_HEADERS + ((op.preferences_header,) if op.preferences_header else ()):
            etree.SubElement(inp, SOAP + "header", message="tns:headers", part=part, use="literal")
        etree.SubElement(inp, SOAP + "body", use="literal")
        out = etree.SubElement(node, WSDL + "output", name=op.name + "Response")
        if op.document_info:
            etree.SubElement(out, SOAP + "header", message="tns:headers", part="documentInfo",
                             use="literal")
        etree.SubElement(out, SOAP + "body", use="literal")
        for fault in op.faults:
            f = etree.SubElement(node, WSDL + "fault", name=fault)
            etree.SubElement(f, SOAP + "fault", name=fault, use="literal")

    service = etree.SubElement(root, WSDL + "service", name="NetSuiteService")
    port = etree.SubElement(service, WSDL + "port", name="NetSuitePort",
                            binding="tns:NetSuiteBinding")
    etree.SubElement(port, SOAP + "address", location=service_url)
    root.addprevious(etree.Comment(f" netsuite-mock schema sha256:{schema_fingerprint()} "))
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8",
                          pretty_print=True)


def _all_faults() -> list[str]:
    seen: dict[str, None] = {}
    for op in platform.OPERATIONS:
        for fault in op.faults:
            seen.setdefault(fault, None)
    return list(seen)
