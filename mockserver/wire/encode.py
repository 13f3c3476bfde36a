"""Plain dicts to response XML, in schema order, with NetSuite's namespace prefixes.

Fields come out in the order the schema declares them (zeep refuses anything else), each in the
namespace of the type that declares it (``platformCore:nullFieldList`` inside a
``listRel:Vendor``), with ``xsi:type`` where the value's type is not the declared one or the
declared one is abstract. Date-times are written in the account's time zone, as NetSuite writes
them (Pacific time, ``2024-03-01T00:00:00.000-08:00``).
"""

from __future__ import annotations

import base64
from datetime import datetime
from functools import lru_cache

from lxml import etree

from mockserver.domain.clock import ACCOUNT_TIME_ZONE
from mockserver.schema import registry
from mockserver.schema.model import EnumType

XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


@lru_cache(maxsize=None)
def _layout(qname: str) -> tuple:
    """(fields as (name, clark tag, type, repeating, leaf), attributes, text type, abstract).

    A *leaf* field holds text (an XSD simple type or an enumeration): it is written in place,
    without a recursive call, which matters for large search pages.
    """
    ctype = registry.complex(qname)
    fields = tuple((f.name, f"{{{registry.uri(f.prefix)}}}{f.name}", f.type_ref, f.repeating,
                    _is_leaf(f.type_ref))
                   for f in ctype.fields)
    attributes = tuple((a.name, a.type_ref) for a in ctype.attributes)
    return fields, attributes, ctype.text_type, ctype.abstract


def _is_leaf(type_ref: str) -> str | None:
    """"xsd" for an XSD simple type, "text" for an enumeration (or unmodelled type), else None."""
    if type_ref.startswith("xsd:"):
        return "xsd"
    declared = registry.lookup(type_ref)
    return "text" if declared is None or isinstance(declared, EnumType) else None


def clark(qname: str) -> str:
    """``platformMsgs:getResponse`` -> ``{urn:messages_2024_1…}getResponse``."""
    prefix, _, local = qname.partition(":")
    return f"{{{registry.uri(prefix)}}}{local}"


def encode(parent: etree._Element, tag: str, value, type_ref: str, xsi_prefixes: set[str]) -> None:
    """Append ``value`` to ``parent`` as element ``tag`` of declared type ``type_ref``.

    ``xsi_prefixes`` collects the namespace prefixes used inside ``xsi:type`` values, which the
    caller must keep declared when it tidies namespaces.
    """
    if type_ref.startswith("xsd:"):
        etree.SubElement(parent, tag).text = format_simple(value, type_ref)
        return
    declared = registry.lookup(type_ref)
    if declared is None or isinstance(declared, EnumType):
        etree.SubElement(parent, tag).text = str(value)
        return
    actual = value.get("_type", type_ref)
    fields, attributes, text_type, _ = _layout(actual)
    element = etree.SubElement(parent, tag)
    if actual != type_ref or declared.abstract:
        xsi_prefixes.add(actual.partition(":")[0])
        element.set(XSI_TYPE, actual)
    for name, attr_type in attributes:
        attr_value = value.get(name)
        if attr_value is not None:
            element.set(name, format_simple(attr_value, attr_type)
                        if attr_type.startswith("xsd:") else str(attr_value))
    if text_type is not None and value.get("value") is not None:
        element.text = format_simple(value["value"], text_type)
    sub_element = etree.SubElement
    for name, child_tag, child_type, repeating, leaf in fields:
        child = value.get(name)
        if child is None:
            continue
        if leaf:
            for item in (child if repeating else (child,)):
                sub_element(element, child_tag).text = (
                    format_simple(item, child_type) if leaf == "xsd" else str(item))
        elif repeating:
            for item in child:
                encode(element, child_tag, item, child_type, xsi_prefixes)
        else:
            encode(element, child_tag, child, child_type, xsi_prefixes)


def format_simple(value, type_ref: str) -> str:
    if type_ref == "xsd:string" and value.__class__ is str:
        return value
    if type_ref == "xsd:boolean":
        return "true" if value else "false"
    if type_ref == "xsd:dateTime" and isinstance(value, datetime):
        return format_datetime(value)
    if type_ref == "xsd:double" and isinstance(value, (int, float)):
        return repr(float(value))
    if type_ref == "xsd:base64Binary" and isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode()
    return str(value)


def format_datetime(value: datetime) -> str:
    return value.astimezone(ACCOUNT_TIME_ZONE).isoformat(timespec="milliseconds")

