"""Plain dicts to response XML, in schema order, serialized as NetSuite (Axis 1) writes it.

Fields come out in the order the schema declares them (zeep refuses anything else), each in the
namespace of the type that declares it (``platformCore:nullFieldList`` inside a
``listRel:Vendor``), with ``xsi:type`` where the value's type is not the declared one or the
declared one is abstract. Date-times are written in the account's time zone, as NetSuite writes
them (Pacific time, ``2024-03-01T00:00:00.000-08:00``).

Namespaces are laid out as NetSuite lays them out (docs/fidelity.md, class 1): the messages
namespace is the default one, declared on the operation's response element, so its elements and
types carry no prefix (``<readResponse>``, ``<record>``, ``xsi:type="AsyncAddListResult"``); any
other prefix is declared on the first element, going down, that needs it, and not again below
it. An element needs the prefix of its own name and, if its type is complex, the prefix of its
type (whether or not ``xsi:type`` is written: ``<listRel:subsidiary internalId="1"
xmlns:platformCore=…>``); a leaf needs only its name's. ``xsi:type`` comes after the schema's
attributes, the declarations after both.
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


def _is_leaf(type_ref: str) -> str | None:
    """"xsd" for an XSD simple type, "text" for an enumeration (or unmodelled type), else None."""
    if type_ref.startswith("xsd:"):
        return "xsd"
    declared = registry.lookup(type_ref)
    return "text" if declared is None or isinstance(declared, EnumType) else None


# The messages namespace is the default namespace of a response body: no prefix.
DEFAULT_PREFIX = "platformMsgs"


def local_prefix(prefix: str) -> str:
    """The prefix a namespace has in a response body ("" for the messages namespace)."""
    return "" if prefix == DEFAULT_PREFIX else prefix


def qualified(qname: str) -> str:
    """``listRel:Vendor`` as written in a response body (``platformMsgs:X`` -> ``X``)."""
    prefix, _, local = qname.partition(":")
    return local if prefix == DEFAULT_PREFIX else qname


@lru_cache(maxsize=None)
def declaration(prefix: str) -> str:
    """`` xmlns:listRel="…"`` (`` xmlns="…"`` for the default namespace, prefix "")."""
    if prefix == "":
        return f' xmlns="{registry.uri(DEFAULT_PREFIX)}"'
    return f' xmlns:{prefix}="{registry.uri(prefix)}"'


def needed(scope: frozenset, name_prefix: str, type_prefix: str | None) -> tuple:
    """The prefixes an element must declare, in the order NetSuite writes them (its name's,
    then its type's), given those declared above it."""
    if name_prefix in scope:
        return () if type_prefix is None or type_prefix in scope else (type_prefix,)
    if type_prefix is None or type_prefix == name_prefix or type_prefix in scope:
        return (name_prefix,)
    return (name_prefix, type_prefix)


def clark(qname: str) -> str:
    """``platformMsgs:getResponse`` -> ``{urn:messages_2024_1…}getResponse``."""
    prefix, _, local = qname.partition(":")
    return f"{{{registry.uri(prefix)}}}{local}"


def encode(parent: etree._Element, tag: str, prefix: str, value, type_ref: str,
           scope: frozenset) -> None:
    """Append ``value`` to ``parent`` as ``encode_text`` writes it (same arguments): the
    reference that ``encode_text`` is tested against."""
    name = tag.rpartition(":")[2]
    uri = registry.uri(prefix or DEFAULT_PREFIX)
    kind, declared = _declared(type_ref)
    if kind != "complex":
        nsmap = {prefix or None: uri} if prefix not in scope else None
        etree.SubElement(parent, f"{{{uri}}}{name}", nsmap=nsmap).text = (
            format_simple(value, type_ref) if kind == "xsd" else str(value))
        return
    actual = value.get("_type", type_ref)
    fields, attributes, text_type, _ = _text_layout(actual)
    type_prefix = local_prefix(actual.partition(":")[0])
    new = needed(scope, prefix, type_prefix)
    nsmap = {(p or None): registry.uri(p or DEFAULT_PREFIX) for p in new}
    scope = scope.union(new) if new else scope
    element = etree.SubElement(parent, f"{{{uri}}}{name}", nsmap=nsmap or None)
    for attr_name, attr_type in attributes:
        attr_value = value.get(attr_name)
        if attr_value is not None:
            element.set(attr_name, format_simple(attr_value, attr_type)
                        if attr_type.startswith("xsd:") else str(attr_value))
    if actual != type_ref or declared.abstract:
        element.set(XSI_TYPE, qualified(actual))
    if text_type is not None and value.get("value") is not None:
        element.text = format_simple(value["value"], text_type)
    for field_name, child_tag, child_prefix, child_type, repeating, _ in fields:
        child = value.get(field_name)
        if child is None:
            continue
        for item in (child if repeating else (child,)):
            encode(element, child_tag, child_prefix, item, child_type, scope)


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
    """(fields as (name, tag as written, its prefix, type, repeating, leaf), attributes,
    text type, abstract). The tag is ``listRel:companyName``, or ``record`` for a field of the
    messages namespace. A *leaf* field holds text (an XSD simple type or an enumeration): it is
    written in place, without a recursive call, which matters for large search pages."""
    ctype = registry.complex(qname)
    fields = tuple((f.name, qualified(f"{f.prefix}:{f.name}"), local_prefix(f.prefix),
                    f.type_ref, f.repeating, _is_leaf(f.type_ref))
                   for f in ctype.fields)
    attributes = tuple((a.name, a.type_ref) for a in ctype.attributes)
    return fields, attributes, ctype.text_type, ctype.abstract


@lru_cache(maxsize=None)
def _type_written(qname: str) -> tuple:
    """(``xsi:type`` attribute text, the type's prefix in a response body)."""
    return f' xsi:type="{qualified(qname)}"', local_prefix(qname.partition(":")[0])


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
    """Written XML of stored record versions. A fragment is kept per namespace scope too: what
    an ancestor declared is not declared again inside it, so the same record reads differently
    under ``getResponse`` and under ``platformCore:searchResult``."""

    def __init__(self, capacity: int = 20_000):
        self.capacity = capacity
        self._items: dict[tuple, tuple] = {}

    def clear(self) -> None:
        self._items.clear()

    def get(self, version: dict, variant, tag: str, type_ref: str, scope: frozenset):
        item = self._items.get((id(version), variant, tag, type_ref, scope))
        return item[1] if item is not None and item[0] is version else None

    def put(self, version: dict, variant, tag: str, type_ref: str, scope: frozenset,
            text: str) -> None:
        items = self._items
        if len(items) >= self.capacity:
            try:
                del items[next(iter(items))]  # the oldest
            except (StopIteration, KeyError, RuntimeError):
                pass
        items[(id(version), variant, tag, type_ref, scope)] = (version, text)


FRAGMENTS = _Fragments()


def encode_text(out: list, tag: str, prefix: str, value, type_ref: str,
                scope: frozenset) -> None:
    """Append ``value`` to ``out`` as text: element ``tag`` (as written, ``listRel:name`` or
    ``record``, whose prefix is ``prefix``) of declared type ``type_ref``, under ancestors that
    declared the prefixes in ``scope``."""
    kind, declared = _declared(type_ref)
    if kind != "complex":
        text = format_simple(value, type_ref) if kind == "xsd" else str(value)
        _leaf(out, tag, text, "" if prefix in scope else declaration(prefix))
        return
    version = getattr(value, "version", None)
    if version is not None:
        variant = value.variant
        cached = FRAGMENTS.get(version, variant, tag, type_ref, scope)
        if cached is not None:
            out.append(cached)
            return
        part: list = []
        _complex_text(part, tag, prefix, value, type_ref, declared, scope)
        text = "".join(part)
        FRAGMENTS.put(version, variant, tag, type_ref, scope, text)
        out.append(text)
        return
    _complex_text(out, tag, prefix, value, type_ref, declared, scope)


def _leaf(out: list, tag: str, text: str, declared: str = "") -> None:
    if text:
        out.append(f"<{tag}{declared}>{escape_text(text)}</{tag}>")
    else:
        out.append(f"<{tag}{declared}></{tag}>")


def _complex_text(out: list, tag: str, prefix: str, value: dict, type_ref: str, declared,
                  scope: frozenset) -> None:
    actual = value.get("_type", type_ref)
    fields, attributes, text_type, _ = _text_layout(actual)
    type_attribute, type_prefix = _type_written(actual)
    head = [f"<{tag}"]
    for name, attr_type in attributes:
        attr_value = value.get(name)
        if attr_value is not None:
            text = (format_simple(attr_value, attr_type) if attr_type.startswith("xsd:")
                    else str(attr_value))
            head.append(f' {name}="{escape_attribute(text)}"')
    if actual != type_ref or declared.abstract:
        head.append(type_attribute)
    if prefix not in scope or type_prefix not in scope:
        new = needed(scope, prefix, type_prefix)
        head += [declaration(p) for p in new]
        scope = scope.union(new)
    text = None
    if text_type is not None and value.get("value") is not None:
        text = format_simple(value["value"], text_type)
    start = len(out)
    out.append("")  # the start tag, once we know whether the element is empty
    if text:
        out.append(escape_text(text))
    for name, child_tag, child_prefix, child_type, repeating, leaf in fields:
        child = value.get(name)
        if child is None:
            continue
        if leaf:
            declared_here = "" if child_prefix in scope else declaration(child_prefix)
            for item in (child if repeating else (child,)):
                _leaf(out, child_tag, format_simple(item, child_type) if leaf == "xsd"
                      else str(item), declared_here)
        elif repeating:
            for item in child:
                encode_text(out, child_tag, child_prefix, item, child_type, scope)
        else:
            encode_text(out, child_tag, child_prefix, child, child_type, scope)
    if len(out) == start + 1 and text is None:
        head.append("/>")
        out[start] = "".join(head)
    else:
        head.append(">")
        out[start] = "".join(head)
        out.append(f"</{tag}>")
