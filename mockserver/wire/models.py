"""Spyne models built from the schema declarations in ``mockserver.schema``.

Spyne uses them to parse request bodies and headers (including ``xsi:type`` polymorphism), so
every declared complex type becomes a ComplexModel in its own namespace. Enumerations are parsed
as plain strings: NetSuite answers a bad enum value with a status detail (or a search warning),
which the domain decides, not with a parse fault.
"""

from __future__ import annotations

from mockserver.wire import spyne_compat  # noqa: F401  (must precede Spyne imports)

from spyne import (Boolean, ByteArray, ComplexModel, DateTime, Double, Integer, Long, Unicode,
                   XmlAttribute, XmlData)

from mockserver.schema import registry
from mockserver.schema.model import ComplexType, EnumType

_BUILTINS = {
    "xsd:string": Unicode,
    "xsd:boolean": Boolean,
    "xsd:long": Long,
    "xsd:int": Integer,
    "xsd:double": Double,
    "xsd:dateTime": DateTime,
    "xsd:base64Binary": ByteArray,
}

_models: dict[str, type] = {}


def model_for(qname: str) -> type:
    """The Spyne class for a declared type, built on first use (bases before subclasses)."""
    found = _models.get(qname)
    if found is not None:
        return found
    if qname in _BUILTINS:
        return _BUILTINS[qname]
    declared = registry.lookup(qname)
    if declared is None:
        raise KeyError(f"type {qname} is not modelled")
    if isinstance(declared, EnumType):
        return Unicode
    return _build(declared)


def _build(ctype: ComplexType) -> type:
    base = model_for(ctype.base_ref) if ctype.base_ref else ComplexModel
    cls = type(ctype.name, (base,), {
        "__namespace__": ctype.namespace.uri,
        "__type_name__": ctype.name,
        "_type_info": [],
    })
    # Register before filling the members, so recursive types find themselves.
    _models[ctype.qname] = cls
    members = []
    for f in ctype.own_fields:
        member = model_for(f.type_ref).customize(
            min_occurs=0, max_occurs=("unbounded" if f.max_occurs is None else f.max_occurs),
            nillable=True)
        members.append((f.name, member))
    for a in ctype.own_attributes:
        members.append((a.name, XmlAttribute(model_for(a.type_ref))))
    if ctype.text_type:
        members.append(("value", XmlData(model_for(ctype.text_type))))
    for name, member in members:
        cls._type_info[name] = member
    return cls

