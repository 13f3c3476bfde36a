"""SOAP 1.1 envelopes as NetSuite writes them: responses with documentInfo, and faults.

A fault is ``soapenv:Server.userException`` with NetSuite's faultstring, a ``detail`` holding the
``platformFaults:*Fault`` element (``code``, ``message``) and, as its sibling, Axis's
``ns1:hostname``; no SOAP header (reference §2.1). Requests are parsed here too, with a parser
that resolves no entities, loads no DTD and fetches nothing.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from lxml import etree

from client.safe_xml import declares_doctype, safe_parser, xml_safe_text
from mockserver.domain.errors import ClientFault, SoapFault, new_error_id
from mockserver.schema import NAMESPACES, registry
from mockserver.wire.decode import decode
from mockserver.wire.encode import clark, encode, encode_text, escape_text

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12_ENV = "http://www.w3.org/2003/05/soap-envelope"
XSD_URI = "http://www.w3.org/2001/XMLSchema"
XSI_URI = "http://www.w3.org/2001/XMLSchema-instance"
AXIS_URI = "http://xml.apache.org/axis/"
ENV = f"{{{SOAP_ENV}}}"
ENVELOPE_NSMAP = {"soapenv": SOAP_ENV, "xsd": XSD_URI, "xsi": XSI_URI}
NETSUITE_NSMAP = {ns.prefix: ns.uri for ns in NAMESPACES}
MESSAGES_URI = registry.uri("platformMsgs")
FAULTS_URI = registry.uri("platformFaults")
DEFAULT_HOSTNAME = "netsuite-mock.partners.internal"

log = logging.getLogger("netsuite_mock.wire")

# Header elements the mock reads, and their schema types.
HEADER_TYPES = {
    "tokenPassport": "platformCore:TokenPassport",
    "applicationInfo": "platformMsgs:ApplicationInfo",
    "partnerInfo": "platformMsgs:PartnerInfo",
    "preferences": "platformMsgs:Preferences",
    "searchPreferences": "platformMsgs:SearchPreferences",
}
# Credentials from other authentication schemes: only their presence matters (ambiguity).
FOREIGN_CREDENTIALS = ("passport", "ssoPassport")

# More elements than any real request has (200 records x a few hundred fields); a body of
# millions of tiny elements would make a tree of gigabytes, so it is refused before parsing.
MAX_ELEMENTS = 1_000_000
# Resolving a prefix (an xsi:type) walks every namespace declaration in scope, so a body with
# tens of thousands of declarations above a thousand typed elements costs minutes of CPU. A
# real client declares NetSuite's ~50 namespaces once and a few more per element (.NET), so
# these bounds leave room for any of them and cap the cost of a resolution at that of ~128.
MAX_NAMESPACES_IN_SCOPE = 128
MAX_NAMESPACE_DECLARATIONS = 100_000
_FEED_BYTES = 65_536   # the parser is fed this much at a time, so a flood is stopped early


def parse_envelope(data: bytes) -> tuple[etree._Element | None, etree._Element]:
    """(Header, first Body child) of a SOAP 1.1 request, or a client fault."""
    if not data.strip():
        raise ClientFault("org.xml.sax.SAXParseException: Premature end of file.")
    if data.count(b"<") > 2 * MAX_ELEMENTS:
        raise ClientFault(f"org.xml.sax.SAXException: The request has more than "
                          f"{MAX_ELEMENTS} elements.")
    if declares_doctype(data):
        # Refused before parsing: no entity expansion, no external fetch, no blow-up.
        raise ClientFault("org.xml.sax.SAXException: DOCTYPE is not allowed in SOAP messages.")
    try:
        root = _parse_bounded(data)
    except etree.XMLSyntaxError as error:
        raise ClientFault(f"org.xml.sax.SAXParseException: {error.msg}") from None
    if root.tag == f"{{{SOAP12_ENV}}}Envelope":
        raise ClientFault("Version Mismatch: this endpoint speaks SOAP 1.1 "
                          "(namespace http://schemas.xmlsoap.org/soap/envelope/).")
    if root.tag != f"{ENV}Envelope":
        raise ClientFault("org.xml.sax.SAXException: The root element of a SOAP message "
                          "must be soapenv:Envelope.")
    header = root.find(f"{ENV}Header")
    body = root.find(f"{ENV}Body")
    if body is None:
        raise ClientFault("org.xml.sax.SAXException: The SOAP message has no soapenv:Body.")
    first = next((child for child in body if isinstance(child.tag, str)), None)
    if first is None:
        raise ClientFault("org.xml.sax.SAXException: The soapenv:Body is empty.")
    return header, first


def _parse_bounded(data: bytes) -> etree._Element:
    """The document's tree, or a client fault as soon as it declares more namespaces in scope
    at one element, or in all, than ``MAX_NAMESPACES_IN_SCOPE``/``MAX_NAMESPACE_DECLARATIONS``
    (counted from the parser's own namespace events, not guessed from the bytes)."""
    parser = safe_parser(events=("start-ns", "end-ns"))
    in_scope = declared = 0
    root = None
    for start in range(0, len(data) + _FEED_BYTES, _FEED_BYTES):
        if start < len(data):
            parser.feed(data[start:start + _FEED_BYTES])
        else:
            root = parser.close()
        for event, _ in parser.read_events():
            if event == "end-ns":
                in_scope -= 1
                continue
            in_scope += 1
            declared += 1
            if in_scope > MAX_NAMESPACES_IN_SCOPE:
                raise ClientFault(f"org.xml.sax.SAXException: More than "
                                  f"{MAX_NAMESPACES_IN_SCOPE} namespace declarations are in "
                                  f"scope at one element.")
            if declared > MAX_NAMESPACE_DECLARATIONS:
                raise ClientFault(f"org.xml.sax.SAXException: The request declares more than "
                                  f"{MAX_NAMESPACE_DECLARATIONS} namespaces.")
    return root


def decode_headers(header: etree._Element | None) -> dict:
    headers: dict = {"tokenPassport": []}
    if header is None:
        return headers
    for element in header:
        tag = element.tag
        if not isinstance(tag, str):
            continue
        local = tag.rpartition("}")[2]
        if local == "tokenPassport":
            headers["tokenPassport"].append(decode(element, HEADER_TYPES[local]))
        elif local in HEADER_TYPES:
            headers[local] = decode(element, HEADER_TYPES[local])
        elif local in FOREIGN_CREDENTIALS:
            headers[local] = True
    return headers


# Body element tags of NetSuite's requests ({messages}get -> get), for operation_of.
_OPERATION_TAGS = {f"{{{MESSAGES_URI}}}{qname.partition(':')[2]}": qname.partition(":")[2]
                   for qname in registry.elements if qname.startswith("platformMsgs:")}


def operation_of(body_element: etree._Element) -> str | None:
    """The operation a body element asks for, or None if it is not one of NetSuite's."""
    return _OPERATION_TAGS.get(body_element.tag)


def decode_body(operation: str, body_element: etree._Element) -> dict:
    element = registry.elements[f"platformMsgs:{operation}"]
    return decode(body_element, element.type_ref)


def response_document(operation: str, body: dict, ns_id: str | None) -> etree._Element:
    # NetSuite's namespaces declared up front, so the body's elements reuse them (lxml would
    # otherwise declare one per element); the cleanup below drops the unused ones.
    envelope = etree.Element(f"{ENV}Envelope", nsmap={**ENVELOPE_NSMAP, **NETSUITE_NSMAP})
    if ns_id is not None:
        header = etree.SubElement(envelope, f"{ENV}Header")
        info = etree.SubElement(header, f"{{{MESSAGES_URI}}}documentInfo",
                                nsmap={"platformMsgs": MESSAGES_URI})
        etree.SubElement(info, f"{{{MESSAGES_URI}}}nsId").text = ns_id
    soap_body = etree.SubElement(envelope, f"{ENV}Body")
    element = registry.elements[f"platformMsgs:{operation}Response"]
    xsi_prefixes: set[str] = set()
    encode(soap_body, clark(element.qname), body, element.type_ref, xsi_prefixes)
    etree.cleanup_namespaces(envelope, top_nsmap=NETSUITE_NSMAP,
                             keep_ns_prefixes=sorted(xsi_prefixes))
    return envelope


@lru_cache(maxsize=4096)
def _envelope_start(prefixes: frozenset) -> str:
    """The XML declaration and the Envelope start tag declaring the namespaces used, in the
    order lxml's namespace cleanup leaves them (soapenv, xsi, then NetSuite's order)."""
    declarations = [f'xmlns:soapenv="{SOAP_ENV}"']
    if "xsi" in prefixes:
        declarations.append(f'xmlns:xsi="{XSI_URI}"')
    declarations += [f'xmlns:{prefix}="{uri}"' for prefix, uri in NETSUITE_NSMAP.items()
                     if prefix in prefixes]
    return f"<?xml version='1.0' encoding='UTF-8'?>\n<soapenv:Envelope {' '.join(declarations)}>"


def response_bytes(operation: str, body: dict, ns_id: str | None) -> bytes:
    """``to_bytes(response_document(...))``, written as text: the same bytes, faster."""
    element = registry.elements[f"platformMsgs:{operation}Response"]
    prefixes: set[str] = {"platformMsgs"} if ns_id is not None else set()
    out: list[str] = []
    encode_text(out, f"platformMsgs:{operation}Response", body, element.type_ref, prefixes)
    head = _envelope_start(frozenset(prefixes))
    if ns_id is not None:
        head += (f"<soapenv:Header><platformMsgs:documentInfo><platformMsgs:nsId>"
                 f"{escape_text(ns_id)}</platformMsgs:nsId></platformMsgs:documentInfo>"
                 f"</soapenv:Header>")
    return f"{head}<soapenv:Body>{''.join(out)}</soapenv:Body></soapenv:Envelope>".encode()


def unexpected_fault(error: BaseException) -> SoapFault:
    """What the client gets for an error the mock did not expect: NetSuite's
    UnexpectedErrorFault, whose Error ID is logged once here with the traceback, so a user's
    report can be matched to the log line."""
    error_id = new_error_id()
    log.error("unexpected error, Error ID %s", error_id, exc_info=error)
    return SoapFault.of("unexpected", error_id=error_id)


def fault_document(fault: SoapFault, hostname: str = DEFAULT_HOSTNAME) -> etree._Element:
    envelope = etree.Element(f"{ENV}Envelope", nsmap=ENVELOPE_NSMAP)
    body = etree.SubElement(envelope, f"{ENV}Body")
    soap_fault = etree.SubElement(body, f"{ENV}Fault")
    etree.SubElement(soap_fault, "faultcode").text = "soapenv:Server.userException"
    etree.SubElement(soap_fault, "faultstring").text = xml_safe_text(fault.faultstring)
    detail = etree.SubElement(soap_fault, "detail")
    if fault.element is not None:
        fault_element = etree.SubElement(detail, f"{{{FAULTS_URI}}}{fault.element}",
                                         nsmap={"platformFaults": FAULTS_URI})
        etree.SubElement(fault_element, f"{{{FAULTS_URI}}}code").text = fault.code
        etree.SubElement(fault_element, f"{{{FAULTS_URI}}}message").text = \
            xml_safe_text(fault.message)
    etree.SubElement(detail, f"{{{AXIS_URI}}}hostname", nsmap={"ns1": AXIS_URI}).text = hostname
    return envelope


def to_bytes(document: etree._Element) -> bytes:
    return etree.tostring(document, xml_declaration=True, encoding="UTF-8")
