"""Request XML to plain dicts, driven by the schema declarations.

NetSuite's front end (Apache Axis) binds child elements by local name, so the namespace of a
child is not checked (the TokenPassport, whose children may be in the core or the messages
namespace and no other, is read by ``envelope.decode_passport``); an element the type does not
declare is refused, as Axis refuses it, rather than silently dropped. ``xsi:type`` selects the
subtype. Values become str, bool, int, float, datetime or bytes; a complex element becomes a
dict, with ``_type`` holding its schema type when ``xsi:type`` named one or the declared type
is abstract.
"""

from __future__ import annotations

import base64
import binascii
from functools import lru_cache

from lxml import etree

from mockserver.domain.errors import ClientFault
from mockserver.domain.values import parse_datetime
from mockserver.schema import registry
from mockserver.schema.model import ComplexType, EnumType, Field

XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
_TRUE = {"true": True, "1": True, "false": False, "0": False}


def java_class(ctype: ComplexType) -> str:
    """The Java class NetSuite's Axis binds a type to (INFERRED naming), for fault texts."""
    head, _, area = ctype.namespace.uri[len("urn:"):].partition(".webservices")[0].rpartition(".")
    types = head.startswith("types.")
    name = head[len("types."):] if types else head
    return f"com.netsuite.webservices.{area}.{name}{'.types' if types else ''}.{ctype.name}"


@lru_cache(maxsize=None)
def _children(qname: str) -> dict[str, Field]:
    return {f.name: f for f in registry.complex(qname).fields}


@lru_cache(maxsize=None)
def _kind(type_ref: str) -> tuple[str, ComplexType | EnumType | None]:
    """How a value of ``type_ref`` is read: "xsd", "enum", "text" (unmodelled) or "complex"."""
    if type_ref.startswith("xsd:"):
        return "xsd", None
    declared = registry.lookup(type_ref)
    if declared is None:
        return "text", None
    return ("enum" if isinstance(declared, EnumType) else "complex"), declared


@lru_cache(maxsize=None)
def _plan(qname: str) -> tuple:
    """(attributes as (name, type, is xsd), children by local name as (name, type, repeating))
    of a complex type, looked up once."""
    ctype = registry.complex(qname)
    attributes = tuple((a.name, a.type_ref, a.type_ref.startswith("xsd:"))
                       for a in ctype.attributes)
    children = {f.name: (f.name, f.type_ref, f.repeating) for f in ctype.fields}
    return attributes, children


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def decode(element: etree._Element, type_ref: str):
    """The value of ``element``, read as an instance of ``type_ref``."""
    kind, declared = _kind(type_ref)
    if kind == "xsd" or kind == "enum":
        for child in element:
            if isinstance(child.tag, str):  # a simple value has no child elements
                raise ClientFault(f"org.xml.sax.SAXException: Invalid element in "
                                  f"{_local(element.tag)} - {_local(child.tag)}")
        if kind == "xsd":
            return decode_simple(element.text, type_ref, element)
        return element.text or ""
    if kind == "text":
        return element.text or ""
    actual = declared
    xsi_type = element.get(XSI_TYPE)
    if xsi_type is not None:
        actual = _resolve_xsi_type(element, xsi_type, declared)
    value: dict = {}
    if xsi_type is not None or actual.abstract:
        value["_type"] = actual.qname
    attributes, children = _plan(actual.qname)
    for name, attr_type, simple in attributes:
        raw = element.get(name)
        if raw is not None:
            value[name] = decode_simple(raw, attr_type, element) if simple else raw
    if actual.text_type is not None:
        value["value"] = decode_simple(element.text, actual.text_type, element)
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):
            continue  # comments, processing instructions
        local = _local(tag)
        field = children.get(local)
        if field is None:
            raise ClientFault(f"org.xml.sax.SAXException: Invalid element in "
                              f"{java_class(actual)} - {local}")
        if child.get(XSI_NIL) in ("true", "1"):
            continue
        name, child_type, repeating = field
        item = decode(child, child_type)
        if repeating:
            value.setdefault(name, []).append(item)
        else:
            value[name] = item
    return value


def _resolve_xsi_type(element: etree._Element, xsi_type: str, declared: ComplexType) -> ComplexType:
    """The schema type an ``xsi:type`` QName names (XSD collapses the whitespace around it; no
    prefix means the default namespace), or the fault Axis sends for one it cannot bind."""
    prefix, _, local = xsi_type.strip().rpartition(":")
    return _bound_type(element.nsmap.get(prefix or None), prefix, local, xsi_type,
                       declared.qname)


@lru_cache(maxsize=4096)
def _bound_type(uri: str | None, prefix: str, local: str, xsi_type: str,
                declared_qname: str) -> ComplexType:
    """The type a namespace and local name bind to, where ``declared_qname`` is expected (the
    same few pairs come in request after request)."""
    declared = registry.complex(declared_qname)
    ns = registry.by_uri.get(uri) if uri else None
    actual = registry.lookup(f"{ns.prefix}:{local}") if ns else None
    if not isinstance(actual, ComplexType):
        if not local:
            raise ClientFault(f"org.xml.sax.SAXException: Invalid xsi:type {xsi_type!r}")
        if uri is None and prefix:
            raise ClientFault(f"org.xml.sax.SAXException: Unknown xsi:type prefix in "
                              f"{xsi_type!r}")
        raise ClientFault(f"org.xml.sax.SAXException: No deserializer for "
                          f"{f'{{{uri}}}' if uri else ''}{local}")
    if not actual.is_a(declared.qname):
        raise ClientFault(f"org.xml.sax.SAXException: {actual.name} is not a "
                          f"{declared.name} ({java_class(declared)})")
    return actual


def decode_simple(text: str | None, type_ref: str, element: etree._Element | None = None):
    text = text or ""
    kind = type_ref[4:]
    try:
        if kind == "string":
            return text
        stripped = text.strip()
        if kind == "boolean":
            return _TRUE[stripped]
        if kind in ("long", "int"):
            return int(stripped)
        if kind == "double":
            return float(stripped)
        if kind == "dateTime":
            return parse_datetime(stripped)
        if kind == "base64Binary":
            return base64.b64decode(stripped, validate=False)
    except (KeyError, ValueError, binascii.Error):
        where = etree.QName(element).localname if element is not None else "value"
        raise ClientFault(f"org.xml.sax.SAXException: Invalid value {text!r} for element "
                          f"{where} (expected xsd:{kind})") from None
    return text
