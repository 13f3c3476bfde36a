"""JSON values to the typed values records hold, guided by the schema.

Seed files and the admin API speak JSON, where a date is a string and a sublist may be written as
a bare list; records hold datetimes and ``{"item": [...]}``. ``from_json`` converts one record
and says precisely which field is wrong when it cannot.
"""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime, timezone
from functools import lru_cache

from mockserver.schema import registry
from mockserver.schema.model import ComplexType, EnumType


class ValueProblem(ValueError):
    """A JSON value that does not fit the schema; ``path`` says where."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path


@lru_cache(maxsize=1024)
def resolve_type(name: str) -> ComplexType | None:
    """``"listRel:Vendor"`` or just ``"Vendor"`` (unique local names only). Cached: a bare name
    is looked for among all of NetSuite's complex types, and a seed names the same few often."""
    if ":" in name:
        found = registry.lookup(name)
        return found if isinstance(found, ComplexType) else None
    matches = [t for t in registry.types.values()
               if isinstance(t, ComplexType) and t.name == name]
    return matches[0] if len(matches) == 1 else None


def from_json(value, type_ref: str, path: str):
    if type_ref.startswith("xsd:"):
        return _simple(value, type_ref, path)
    declared = registry.lookup(type_ref)
    if isinstance(declared, EnumType):
        if not isinstance(value, str):
            raise ValueProblem(path, f"expected one of {type_ref}'s values, got {value!r}")
        return value
    if declared is None:
        raise ValueProblem(path, f"type {type_ref} is not modelled")
    if declared.qname == "platformCore:RecordRef" and isinstance(value, (str, int)):
        return {"internalId": str(value)}
    if not isinstance(value, dict):
        item = _single_repeating_field(declared)
        if isinstance(value, list) and item is not None:
            value = {item: value}  # a sublist written as its bare list of lines
        else:
            raise ValueProblem(path, f"expected an object ({declared.name}), got {value!r}")
    actual = declared
    out: dict = {}
    type_name = value.get("_type") or value.get("_ns_type")
    if type_name:
        actual = resolve_type(type_name)
        if actual is None or not actual.is_a(declared.qname):
            raise ValueProblem(path, f"{type_name!r} is not a kind of {declared.name}")
        if actual is not declared or declared.abstract:
            out["_type"] = actual.qname
    attributes = {a.name: a for a in actual.attributes}
    for key, item in value.items():
        if key in ("_type", "_ns_type") or item is None:
            continue
        where = f"{path}.{key}"
        if key in attributes:
            out[key] = _attribute(item, attributes[key].type_ref, where)
            continue
        if key == "value" and actual.text_type:
            out[key] = _simple(item, actual.text_type, where)
            continue
        field = actual.field(key)
        if field is None:
            raise ValueProblem(where, f"{actual.name} has no field {key!r}")
        if field.repeating:
            items = item if isinstance(item, list) else [item]
            out[key] = [from_json(v, field.type_ref, f"{where}[{i}]") for i, v in enumerate(items)]
        else:
            out[key] = from_json(item, field.type_ref, where)
    return out


def _single_repeating_field(ctype: ComplexType) -> str | None:
    repeating = [f.name for f in ctype.fields if f.repeating]
    return repeating[0] if len(repeating) == 1 else None


def _attribute(value, type_ref: str, path: str):
    if type_ref.startswith("xsd:"):
        return _simple(value, type_ref, path)
    return str(value)


def _simple(value, type_ref: str, path: str):
    kind = type_ref[4:]
    try:
        if kind == "string":
            if isinstance(value, (dict, list)):
                raise ValueError
            return str(value)
        if kind == "boolean":
            if isinstance(value, bool):
                return value
            return {"true": True, "false": False}[str(value).lower()]
        if kind in ("long", "int"):
            if isinstance(value, bool) or isinstance(value, float) and not value.is_integer():
                raise ValueError
            return int(value)
        if kind == "double":
            if isinstance(value, bool):
                raise ValueError
            return float(value)
        if kind == "dateTime":
            return parse_datetime(value)
        if kind == "base64Binary":
            return base64.b64decode(value) if isinstance(value, str) else bytes(value)
    except (KeyError, ValueError, TypeError, binascii.Error):
        raise ValueProblem(path, f"{value!r} is not a valid xsd:{kind}") from None
    return value


def parse_datetime(value) -> datetime:
    """xsd:dateTime text (or a bare date); a value without an offset is taken as UTC."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = value[:-1] + "+00:00" if value.endswith("Z") else value
        moment = datetime.fromisoformat(text)
    else:
        raise ValueError
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def to_json(value):
    """A stored value as JSON (dates as ISO strings, bytes as Base64)."""
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode()
    return value
