"""SOAP 1.1 envelopes as NetSuite writes them: responses with documentInfo, and faults.

Every envelope declares ``soapenv``, ``xsd`` and ``xsi`` and nothing else; ``documentInfo``
declares ``platformMsgs`` itself, and the body's response element declares the messages
namespace as the default one (docs/fidelity.md, class 1). A fault is ``soapenv:Server.userException`` with NetSuite's faultstring, a ``detail`` holding the
``platformFaults:*Fault`` element (``code``, ``message``) and, as its sibling, Axis's
``ns1:hostname``; no SOAP header (reference §2.1). Requests are parsed here too, with a parser
that resolves no entities, loads no DTD and fetches nothing.
"""

from __future__ import annotations

import logging
import re

from lxml import etree

from mockserver.domain.errors import ClientFault, SoapFault, new_error_id
from mockserver.schema import platform, registry
from mockserver.wire.decode import decode
from mockserver.wire.encode import encode, encode_text, escape_text
from suitetalk.passport import PASSPORT_FIELDS
from suitetalk.safe_xml import declares_doctype, safe_parser, xml_encoding, xml_safe_text

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12_ENV = "http://www.w3.org/2003/05/soap-envelope"
XSD_URI = "http://www.w3.org/2001/XMLSchema"
XSI_URI = "http://www.w3.org/2001/XMLSchema-instance"
AXIS_URI = "http://xml.apache.org/axis/"
ENV = f"{{{SOAP_ENV}}}"
ENVELOPE_NSMAP = {"soapenv": SOAP_ENV, "xsd": XSD_URI, "xsi": XSI_URI}
MESSAGES_URI = registry.uri("platformMsgs")
FAULTS_URI = registry.uri("platformFaults")
# Where a TokenPassport's children may be: the schema's core namespace, or the messages
# namespace of Oracle's own sample (reference §1.1).
PASSPORT_CHILD_URIS = frozenset({registry.uri("platformCore"), MESSAGES_URI})
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
# Encodings in which a namespace declaration is the ASCII bytes ``xmlns``: counting them bounds
# the declarations, and a request with few needs no counting parser.
_ASCII_WRITTEN = frozenset({"utf-8", "utf-8-sig", "utf8", "ascii", "us-ascii"})
_PARSER = safe_parser()


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
    if (data.count(b"xmlns") <= MAX_NAMESPACES_IN_SCOPE
            and xml_encoding(data).lower() in _ASCII_WRITTEN):
        # Every declaration would show as those bytes, so neither bound can be passed: the
        # plain parser, three times cheaper than counting events (a get's whole parse).
        return etree.fromstring(data, _PARSER)
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


def _child_elements(parent: etree._Element):
    """(namespace or "", local name, element) of each child element (not comments or PIs)."""
    children = []
    for child in parent:
        tag = child.tag
        if isinstance(tag, str):
            uri, _, local = tag[1:].partition("}") if tag[:1] == "{" else ("", "", tag)
            children.append((uri, local, child))
    return children


def decode_headers(header: etree._Element | None) -> dict:
    headers: dict = {"tokenPassport": []}
    if header is None:
        return headers
    for uri, local, element in _child_elements(header):
        if local == "tokenPassport":
            if uri == MESSAGES_URI:  # NetSuite's header; one in any other namespace is not it
                headers["tokenPassport"].append(decode_passport(element))
        elif local in HEADER_TYPES:
            headers[local] = decode(element, HEADER_TYPES[local])
        elif local in FOREIGN_CREDENTIALS:
            headers[local] = True
    return headers


def decode_passport(element: etree._Element) -> dict:
    """A TokenPassport's fields as the text sent, for the verifier to judge (a timestamp that
    is not a number is a failed login, audited, not a deserializer fault). A child that is
    not a field in one of ``PASSPORT_CHILD_URIS`` (another element, a field in another
    namespace, a field twice, markup inside a field) is listed under ``_unexpected``."""
    passport: dict = {}
    unexpected: list[str] = []
    for uri, local, child in _child_elements(element):
        if uri not in PASSPORT_CHILD_URIS or local not in PASSPORT_FIELDS or local in passport \
                or (len(child) and any(isinstance(c.tag, str) for c in child)):
            unexpected.append(local)
            continue
        text = child.text or ""
        passport[local] = {"value": text, "algorithm": child.get("algorithm")} \
            if local == "signature" else text
    if unexpected:
        passport["_unexpected"] = unexpected
    return passport


# Body element tags of NetSuite's requests ({messages}get -> get), for operation_of: the
# operations only, not the messages namespace's other elements (headers, responses).
_OPERATION_TAGS = {f"{{{MESSAGES_URI}}}{op.name}": op.name for op in platform.OPERATIONS}


def operation_of(body_element: etree._Element) -> str | None:
    """The operation a body element asks for, or None if it is not one of NetSuite's."""
    return _OPERATION_TAGS.get(body_element.tag)


def decode_body(operation: str, body_element: etree._Element) -> dict:
    element = registry.elements[f"platformMsgs:{operation}"]
    return decode(body_element, element.type_ref)


# What every answer starts with, as NetSuite writes it.
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
ENVELOPE_START = (f'{XML_DECLARATION}<soapenv:Envelope xmlns:soapenv="{SOAP_ENV}" '
                  f'xmlns:xsd="{XSD_URI}" xmlns:xsi="{XSI_URI}">')
# The prefixes the Envelope declares: what the body does not declare again.
ENVELOPE_SCOPE = frozenset(ENVELOPE_NSMAP)


def response_document(operation: str, body: dict, ns_id: str | None) -> etree._Element:
    """The answer as an lxml tree, each namespace declared where NetSuite declares it: the
    reference ``response_bytes`` is tested against (``to_bytes`` writes it)."""
    envelope = etree.Element(f"{ENV}Envelope", nsmap=ENVELOPE_NSMAP)
    if ns_id is not None:
        header = etree.SubElement(envelope, f"{ENV}Header")
        info = etree.SubElement(header, f"{{{MESSAGES_URI}}}documentInfo",
                                nsmap={"platformMsgs": MESSAGES_URI})
        etree.SubElement(info, f"{{{MESSAGES_URI}}}nsId").text = ns_id
    soap_body = etree.SubElement(envelope, f"{ENV}Body")
    element = registry.elements[f"platformMsgs:{operation}Response"]
    encode(soap_body, f"{operation}Response", "", body, element.type_ref, ENVELOPE_SCOPE)
    return envelope


def response_bytes(operation: str, body: dict, ns_id: str | None) -> bytes:
    """``to_bytes(response_document(...))``, written as text: the same bytes, faster."""
    element = registry.elements[f"platformMsgs:{operation}Response"]
    out: list[str] = [ENVELOPE_START]
    if ns_id is not None:
        out.append(f'<soapenv:Header><platformMsgs:documentInfo xmlns:platformMsgs="'
                   f'{MESSAGES_URI}"><platformMsgs:nsId>{escape_text(ns_id)}</platformMsgs:nsId>'
                   f'</platformMsgs:documentInfo></soapenv:Header>')
    out.append("<soapenv:Body>")
    encode_text(out, f"{operation}Response", "", body, element.type_ref, ENVELOPE_SCOPE)
    out.append("</soapenv:Body></soapenv:Envelope>")
    return "".join(out).encode()


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


# A start tag's attributes (values are double-quoted, with '"' escaped, as lxml writes them).
_START_TAG = re.compile(rb'<[^\s/>!?]+(?:\s[^\s=]+="[^"]*")+\s*/?>')
_ATTRIBUTE = re.compile(rb'\s([^\s=]+="[^"]*")')


def _declarations_last(match: re.Match) -> bytes:
    tag = match.group(0)
    attributes = _ATTRIBUTE.findall(tag)
    declarations = [a for a in attributes if a.startswith(b"xmlns")]
    if not declarations or attributes[-len(declarations):] == declarations:
        return tag
    name = tag[:tag.index(b" ")]
    others = [a for a in attributes if not a.startswith(b"xmlns")]
    end = b"/>" if tag.endswith(b"/>") else b">"
    return b" ".join([name, *others, *declarations]) + end


def to_bytes(document: etree._Element) -> bytes:
    """A tree as NetSuite writes it: its XML declaration, and in each start tag the namespace
    declarations after the attributes (libxml2 writes them first)."""
    text = etree.tostring(document, encoding="UTF-8", xml_declaration=False)
    return XML_DECLARATION.encode() + _START_TAG.sub(_declarations_last, text)
