"""Plain dicts to response XML, in schema order, with NetSuite's namespace prefixes.

Fields come out in the order the schema declares them (zeep refuses anything else), each in the
namespace of the type that declares it (``platformCore:nullFieldList`` inside a
``listRel:Vendor``), with ``xsi:type`` where the value's type is not the declared one or the
declared one is abstract. Date-times are written in the account's time zone, as NetSuite writes
them (Pacific time, ``2024-03-01T00:00:00.000-08:00``).
"""

from __future__ import annotations

import base64
import re
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



# -- the same XML as text ----------------------------------------------------------------------
# Responses are written straight to text rather than built as an lxml tree and serialized: the
# bytes are the ones lxml writes for ``encode``'s tree (same escaping, same empty-element forms,
# ``tests/mockserver/wire/test_fast_encode.py`` compares them), at a fraction of the cost. A record that is a
# stored version (``RecordView``) is written once and reused until that version is replaced.

_TEXT_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ATTR_SPECIAL = re.compile("[&<>\"\r\n\t\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_XML = "All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control characters"


_TEXT_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))
_ATTR_ENTITIES = _TEXT_ENTITIES + (('"', "&quot;"), ("\n", "&#10;"), ("\t", "&#9;"))


def _escaped(text: str, special: re.Pattern, entities: tuple) -> str:
    if special.search(text) is None:
        return text
    if _INVALID.search(text):
        raise ValueError(_NOT_XML)
    for char, entity in entities:  # "&" first
        text = text.replace(char, entity)
    return text


def escape_text(text: str) -> str:
    """Element text as lxml writes it (``ValueError`` for what lxml refuses, as lxml does)."""
    return _escaped(text, _TEXT_SPECIAL, _TEXT_ENTITIES)


def escape_attribute(text: str) -> str:
    """An attribute value as lxml writes it (inside double quotes)."""
    return _escaped(text, _ATTR_SPECIAL, _ATTR_ENTITIES)


@lru_cache(maxsize=None)
def _text_layout(qname: str) -> tuple:
    """``_layout`` with each field's qualified tag (``listRel:companyName``) and its prefix."""
    ctype = registry.complex(qname)
    fields = tuple((f.name, f"{f.prefix}:{f.name}", f.prefix, f.type_ref, f.repeating,
                    _is_leaf(f.type_ref))
                   for f in ctype.fields)
    attributes = tuple((a.name, a.type_ref) for a in ctype.attributes)
    return fields, attributes, ctype.text_type, ctype.abstract


@lru_cache(maxsize=None)
def _declared(type_ref: str) -> tuple:
    """("xsd" | "text" | "complex", the declared type) of a type reference, looked up once."""
    if type_ref.startswith("xsd:"):
        return "xsd", None
    declared = registry.lookup(type_ref)
    if declared is None or isinstance(declared, EnumType):
        return "text", declared
    return "complex", declared


class _Fragments:
    """Written XML of stored record versions, with the namespace prefixes each one uses."""

    def __init__(self, capacity: int = 20_000):
        self.capacity = capacity
        self._items: dict[tuple, tuple] = {}

    def clear(self) -> None:
        self._items.clear()

    def get(self, version: dict, variant, tag: str, type_ref: str):
        item = self._items.get((id(version), variant, tag, type_ref))
        return item if item is not None and item[0] is version else None

    def put(self, version: dict, variant, tag: str, type_ref: str, text: str,
            prefixes: set) -> None:
        items = self._items
        if len(items) >= self.capacity:
            try:
                del items[next(iter(items))]  # the oldest
            except (StopIteration, KeyError, RuntimeError):
                pass
        items[(id(version), variant, tag, type_ref)] = (version, text, frozenset(prefixes))


FRAGMENTS = _Fragments()


def encode_text(out: list, tag: str, value, type_ref: str, prefixes: set[str]) -> None:
    """Append ``value`` to ``out`` as text: element ``tag`` (qualified, ``prefix:name``) of
    declared type ``type_ref``. ``prefixes`` collects every namespace prefix the text uses
    (element names and ``xsi:type`` values; ``xsi`` itself when an ``xsi:type`` is written)."""
    kind, declared = _declared(type_ref)
    if kind == "xsd":
        _leaf(out, tag, format_simple(value, type_ref))
        return
    if kind == "text":
        _leaf(out, tag, str(value))
        return
    version = getattr(value, "version", None)
    if version is not None:
        variant = value.variant
        cached = FRAGMENTS.get(version, variant, tag, type_ref)
        if cached is not None:
            out.append(cached[1])
            prefixes.update(cached[2])
            return
        part: list = []
        used: set = set()
        _complex_text(part, tag, value, type_ref, declared, used)
        text = "".join(part)
        FRAGMENTS.put(version, variant, tag, type_ref, text, used)
        out.append(text)
        prefixes.update(used)
        return
    _complex_text(out, tag, value, type_ref, declared, prefixes)


def _leaf(out: list, tag: str, text: str) -> None:
    if text:
        out.append(f"<{tag}>{escape_text(text)}</{tag}>")
    else:
        out.append(f"<{tag}></{tag}>")


def _complex_text(out: list, tag: str, value: dict, type_ref: str, declared,
                  prefixes: set[str]) -> None:
    actual = value.get("_type", type_ref)
    fields, attributes, text_type, _ = _text_layout(actual)
    prefixes.add(tag.partition(":")[0])
    head = [f"<{tag}"]
    if actual != type_ref or declared.abstract:
        prefixes.add("xsi")
        prefixes.add(actual.partition(":")[0])
        head.append(f' xsi:type="{actual}"')
    for name, attr_type in attributes:
        attr_value = value.get(name)
        if attr_value is not None:
            text = (format_simple(attr_value, attr_type) if attr_type.startswith("xsd:")
                    else str(attr_value))
            head.append(f' {name}="{escape_attribute(text)}"')
    text = None
    if text_type is not None and value.get("value") is not None:
        text = format_simple(value["value"], text_type)
    start = len(out)
    out.append("")  # the start tag, once we know whether the element is empty
    if text:
        out.append(escape_text(text))
    for name, child_tag, prefix, child_type, repeating, leaf in fields:
        child = value.get(name)
        if child is None:
            continue
        if leaf:
            for item in (child if repeating else (child,)):
                prefixes.add(prefix)
                _leaf(out, child_tag, format_simple(item, child_type) if leaf == "xsd"
                      else str(item))
        elif repeating:
            for item in child:
                encode_text(out, child_tag, item, child_type, prefixes)
        else:
            encode_text(out, child_tag, child, child_type, prefixes)
    if len(out) == start + 1 and text is None:
        head.append("/>")
        out[start] = "".join(head)
    else:
        head.append(">")
        out[start] = "".join(head)
        out.append(f"</{tag}>")
