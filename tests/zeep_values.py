"""Plain dicts to zeep objects and back, for tests that describe records as data.

``build(client, "tranPurch:VendorBill", {...})`` makes the zeep object a client would send, for a
client built from the mock's WSDL or NetSuite's own (types are looked up by namespace URI, so
zeep's ``ns13``-style prefixes do not matter); ``"_type"`` picks a subtype (custom field refs).
``assert_has(got, sent)`` checks that a record read back holds everything that was sent.
"""

from __future__ import annotations

from datetime import datetime

import zeep
from zeep.helpers import serialize_object

from mockserver.schema import registry
from mockserver.schema.model import ComplexType


def zeep_type(client: zeep.Client, qname: str):
    prefix, _, local = qname.partition(":")
    return client.get_type(f"{{{registry.uri(prefix)}}}{local}")


def build(client: zeep.Client, type_ref: str, value):
    declared = registry.lookup(type_ref)
    if not isinstance(declared, ComplexType) or not isinstance(value, dict):
        return value
    actual = registry.complex(value.get("_type", type_ref))
    kwargs = {}
    for key, item in value.items():
        if key == "_type":
            continue
        field = actual.field(key)
        if field is None:  # an attribute, or simple content
            kwargs[key] = item
        elif field.repeating:
            kwargs[key] = [build(client, field.type_ref, v) for v in item]
        else:
            kwargs[key] = build(client, field.type_ref, item)
    return zeep_type(client, actual.qname)(**kwargs)


def plain(obj):
    """A zeep object as nested dicts and lists."""
    return serialize_object(obj, dict)


def assert_has(got, sent, path: str = "record") -> None:
    """Everything in ``sent`` is in ``got`` (a zeep object or plain data); ``got`` may hold
    more (names NetSuite adds to references, computed fields)."""
    got = plain(got)
    if isinstance(sent, dict):
        assert isinstance(got, dict), f"{path}: expected an object, got {got!r}"
        for key, value in sent.items():
            if key == "_type":
                continue
            assert_has(got.get(key), value, f"{path}.{key}")
    elif isinstance(sent, list):
        assert isinstance(got, list) and len(got) == len(sent), f"{path}: {got!r} != {sent!r}"
        for index, (g, s) in enumerate(zip(got, sent)):
            assert_has(g, s, f"{path}[{index}]")
    elif isinstance(sent, float) or isinstance(got, float):
        assert got is not None and abs(float(got) - float(sent)) < 1e-9, f"{path}: {got!r} != {sent!r}"
    elif isinstance(sent, datetime):
        assert got == sent, f"{path}: {got!r} != {sent!r}"
    else:
        assert got == sent or str(got) == str(sent), f"{path}: {got!r} != {sent!r}"
