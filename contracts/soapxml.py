"""SOAP messages as the contract tools see them: parsed safely, split into parts, canonicalised.

Two forms of one message are used everywhere in ``contracts``:

- ``canonical_key``: C14N 2.0 bytes with prefixes rewritten, text stripped and ``xsi:type``
  values resolved, so that two messages that differ only in namespace prefixes, declarations,
  attribute order or indentation give the same key (what the matcher compares);
- ``readable``: one line per element, namespaces shown by NetSuite's URN name (``core:status``,
  ``relationships:companyName``) rather than by the prefix the sender chose (what diffs show).

Nothing here knows NetSuite's schema or imports ``mockserver``: the client records with it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from lxml import etree

from suitetalk.safe_xml import declares_doctype, safe_parser

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XSI_TYPE = f"{{{XSI}}}type"
AXIS = "http://xml.apache.org/axis/"
ENV = f"{{{SOAP_ENV}}}"

# Header elements that carry credentials: never part of what a request means.
CREDENTIAL_HEADERS = frozenset({"tokenPassport", "passport", "ssoPassport", "applicationInfo",
                                "partnerInfo"})
_NETSUITE_URN = re.compile(r"^urn:([A-Za-z]+)_\d{4}_\d\.[\w.]*netsuite\.com$")
_LABELS = {SOAP_ENV: "soapenv", XSI: "xsi", AXIS: "axis",
           "http://www.w3.org/2001/XMLSchema": "xsd"}

_PARSER = safe_parser(huge_tree=True)


class NotSoap(ValueError):
    """A body that is not a SOAP 1.1 envelope; the message says why."""


def parse(data: bytes | str) -> etree._Element:
    """An XML document, parsed without entities, DTDs or network access."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if declares_doctype(data):
        raise NotSoap("a DOCTYPE is not allowed in a SOAP message")
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        raise NotSoap(f"not XML: {error.msg}") from None


@dataclass
class SoapMessage:
    """The parts of one SOAP envelope."""

    root: etree._Element
    header: etree._Element | None
    payload: etree._Element | None      # the first child of soapenv:Body

    @classmethod
    def parse(cls, data: bytes | str) -> "SoapMessage":
        root = parse(data)
        if root.tag != f"{ENV}Envelope":
            raise NotSoap(f"the root element is {label(root.tag)}, not soapenv:Envelope")
        body = root.find(f"{ENV}Body")
        if body is None:
            raise NotSoap("the envelope has no soapenv:Body")
        payload = next((c for c in body if isinstance(c.tag, str)), None)
        return cls(root, root.find(f"{ENV}Header"), payload)

    @property
    def operation(self) -> str | None:
        """The payload's local name: ``get``, ``searchResponse``, ``Fault``."""
        return etree.QName(self.payload).localname if self.payload is not None else None

    @property
    def is_fault(self) -> bool:
        return self.payload is not None and self.payload.tag == f"{ENV}Fault"

    def fault(self) -> dict | None:
        """faultcode, faultstring, the NetSuite fault element's name, code and message."""
        if not self.is_fault:
            return None
        detail = self.payload.find("detail")
        element = None
        if detail is not None:
            element = next((c for c in detail if isinstance(c.tag, str)
                            and etree.QName(c).namespace != AXIS), None)
        code = message = None
        if element is not None:
            code = next((c.text for c in element if etree.QName(c).localname == "code"), None)
            message = next((c.text for c in element if etree.QName(c).localname == "message"),
                           None)
        return {"faultcode": self.payload.findtext("faultcode"),
                "faultstring": self.payload.findtext("faultstring"),
                "element": etree.QName(element).localname if element is not None else None,
                "code": code, "message": message}


def soap_action(headers) -> str:
    """The SOAPAction header's value without quotes ('' when absent)."""
    value = header_value(headers, "SOAPAction")
    return (value or "").strip().strip('"')


def header_value(headers, name: str) -> str | None:
    """A header from a dict of str or list values, whatever its case."""
    if not headers:
        return None
    for key, value in headers.items():
        if key.lower() == name.lower():
            if isinstance(value, (list, tuple)):
                value = value[0] if value else None
            return value.decode() if isinstance(value, bytes) else value
    return None


# -- canonical forms ---------------------------------------------------------------------------
def canonical_key(element: etree._Element) -> bytes:
    """C14N 2.0 of an element: prefix-insensitive, whitespace around text stripped,
    ``xsi:type`` values resolved through their namespace."""
    return etree.canonicalize(element, rewrite_prefixes=True, strip_text=True,
                              qname_aware_attrs=[XSI_TYPE]).encode("utf-8")


@functools.lru_cache(maxsize=8192)
def label(name: str) -> str:
    """``{urn:core_2024_1.platform…}status`` → ``core:status``; an unqualified name as is."""
    if name.startswith("{"):
        uri, _, local = name[1:].partition("}")
        return f"{uri_label(uri)}:{local}" if uri else local
    return name


def uri_label(uri: str) -> str:
    if uri in _LABELS:
        return _LABELS[uri]
    match = _NETSUITE_URN.match(uri)
    return match.group(1) if match else "{" + uri + "}"


def resolve_qname(element: etree._Element, value: str) -> str:
    """An attribute's QName value (``listRel:Vendor``) in Clark notation, by the element's
    in-scope namespaces."""
    prefix, _, local = value.rpartition(":")
    uri = element.nsmap.get(prefix or None)
    return f"{{{uri}}}{local}" if uri else value


def readable(element: etree._Element, *, text=lambda element, value: value,
             indent: str = "") -> list[str]:
    """One line per element: ``core:status isSuccess="true"``, ``listRel:name = "Acme"``.

    ``text`` may rewrite an element's text (normalisation) before it is shown."""
    lines: list[str] = []
    _readable(element, text, indent, lines)
    return lines


def _readable(element, text, indent, lines) -> None:
    parts = [indent + label(element.tag)]
    for name in sorted(element.attrib, key=label):
        value = element.get(name)
        if name == XSI_TYPE:
            value = label(resolve_qname(element, value))
        parts.append(f'{label(name)}="{value}"')
    children = [c for c in element if isinstance(c.tag, str)]
    content = (element.text or "").strip()
    if not children and content:
        parts.append("= " + repr(text(element, content)))
    lines.append(" ".join(parts))
    for child in children:
        _readable(child, text, indent + "  ", lines)
