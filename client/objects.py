"""NetSuite objects as users write them (dicts whose ``_ns_type`` names the type) and as zeep
wants them, and back to plain JSON.

``{"_ns_type": "RecordRef", "type": "vendor", "internalId": "101"}`` becomes the zeep
``RecordRef``; nested dicts take the type their field declares unless they name one (an abstract
field such as ``search``'s ``searchRecord`` or ``upsert``'s ``record`` needs ``_ns_type``); a
field that holds many values takes a list (a single value is a list of one). Scalars are checked
and converted for their XSD type (``"false"`` for a boolean, an ISO string for a dateTime), and
every mistake is a ``RequestError`` that says where (``record.itemList.item[0].quantity``).

Results go the other way: ``to_json`` drops empty fields and writes ``_ns_type`` where the value's
type is not the one its field declares (records in a ``recordList``, rows in a ``searchRowList``),
so JSON written by the client can be fed back in.
"""

from __future__ import annotations

import base64
import difflib
from datetime import date, datetime, time
from decimal import Decimal

from lxml import etree
from zeep.xsd import AnyObject, CompoundValue
from zeep.xsd.types import builtins as xsd
from zeep.xsd.types.complex import ComplexType

from client.errors import RequestError

TYPE_KEY = "_ns_type"
_INTEGERS = (xsd.Integer,)
_FLOATS = (xsd.Float, xsd.Double, xsd.Decimal)


def suggest(word: str, choices, n: int = 3) -> str:
    close = difflib.get_close_matches(word, list(choices), n=n, cutoff=0.6)
    return f" (did you mean {', '.join(close)}?)" if close else ""


def type_name(xsd_type) -> str:
    qname = getattr(xsd_type, "qname", None)
    return qname.localname if qname is not None else getattr(xsd_type, "name", None) or "?"


class NetSuiteTypes:
    """The WSDL's named types, found by the local names NetSuite documents (``VendorBill``)."""

    def __init__(self, zeep_client):
        self.client = zeep_client
        self._by_name: dict[str, list] | None = None
        self._fields: dict[int, tuple[dict, dict]] = {}

    # -- lookup --------------------------------------------------------------------------------
    def _index(self) -> dict[str, list]:
        if self._by_name is None:
            index: dict[str, list] = {}
            for xsd_type in self.client.wsdl.types.types:
                qname = getattr(xsd_type, "qname", None)
                if qname is not None:
                    index.setdefault(qname.localname, []).append(xsd_type)
            self._by_name = index
        return self._by_name

    def get(self, name: str, declared=None, *, where: str = ""):
        """The type called ``name`` (``VendorBill``, ``ns21:VendorBill``, ``{urn:…}VendorBill``).
        When two namespaces share a local name, the one that fits ``declared`` wins."""
        if not isinstance(name, str) or not name:
            raise RequestError(f"{where or 'value'}: {TYPE_KEY} must be a type name, "
                               f"not {name!r}")
        if name.startswith("{") or ":" in name:
            try:
                return self.client.get_type(name)
            except (LookupError, ValueError) as error:
                raise RequestError(f"{where or name}: unknown NetSuite type {name!r} "
                                   f"({error})") from None
        candidates = self._index().get(name)
        if not candidates:
            raise RequestError(f"{where + ': ' if where else ''}unknown NetSuite type {name!r}"
                               + suggest(name, self._index()))
        if len(candidates) > 1 and declared is not None:
            fitting = [c for c in candidates if is_subtype(c, declared)]
            if len(fitting) == 1:
                return fitting[0]
        if len(candidates) > 1:
            names = ", ".join(f"{{{c.qname.namespace}}}{name}" for c in candidates)
            raise RequestError(f"{where + ': ' if where else ''}{name!r} is defined in several "
                               f"namespaces; name one: {names}")
        return candidates[0]

    def fields(self, xsd_type) -> tuple[dict, dict]:
        """(elements, attributes) of a complex type, by name."""
        cached = self._fields.get(id(xsd_type))
        if cached is None:
            cached = (dict(xsd_type.elements), dict(xsd_type.attributes))
            self._fields[id(xsd_type)] = cached
        return cached

    # -- dict -> zeep ----------------------------------------------------------------------------
    def build(self, value, declared, where: str):
        """``value`` as a zeep value of type ``declared`` (or the ``_ns_type`` it names)."""
        if value is None or isinstance(value, (CompoundValue, AnyObject)):
            return value
        if isinstance(declared, ComplexType):
            if isinstance(value, dict):
                xsd_type = declared
                if TYPE_KEY in value:
                    xsd_type = self.get(value[TYPE_KEY], declared, where=where)
                    if not is_subtype(xsd_type, declared):
                        raise RequestError(
                            f"{where}: {type_name(xsd_type)} cannot stand where "
                            f"{type_name(declared)} is expected")
                return self._compound(xsd_type, value, where)
            simple = self._simple_content(declared)
            if simple is not None:
                return declared(_value_1=self.scalar(value, simple, where))
            raise RequestError(f"{where}: expected an object for {type_name(declared)}, "
                               f"got {_kind(value)} {value!r}")
        if isinstance(value, (dict, list)):
            raise RequestError(f"{where}: expected a single {type_name(declared)} value, "
                               f"got {_kind(value)}")
        return self.scalar(value, declared, where)

    def _simple_content(self, xsd_type):
        elements, _ = self.fields(xsd_type)
        if list(elements) == ["_value_1"]:
            return elements["_value_1"].type
        return None

    def _compound(self, xsd_type, data: dict, where: str):
        kwargs = self.build_fields(xsd_type, data, where)
        try:
            return xsd_type(**kwargs)
        except TypeError as error:
            raise RequestError(f"{where}: {error}") from None

    def build_fields(self, xsd_type, data: dict, where: str) -> dict:
        """The zeep keyword arguments for ``xsd_type`` from a dict of its fields."""
        elements, attributes = self.fields(xsd_type)
        kwargs = {}
        for key, item in data.items():
            if key == TYPE_KEY:
                continue
            path = f"{where}.{key}"
            element = elements.get(key)
            if element is not None:
                if element.accepts_multiple:
                    items = item if isinstance(item, list) else [item]
                    kwargs[key] = [self.build(v, element.type, f"{path}[{i}]")
                                   for i, v in enumerate(items)]
                elif isinstance(item, list):
                    raise RequestError(f"{path}: {type_name(xsd_type)}.{key} takes one value, "
                                       f"not a list")
                else:
                    kwargs[key] = self.build(item, element.type, path)
            elif key in attributes:
                kwargs[key] = self.build(item, attributes[key].type, path)
            else:
                known = [k for k in list(elements) + list(attributes) if not k.startswith("_")]
                hint = suggest(key, known)
                if not known:
                    hint = (f" ({type_name(xsd_type)} is a base type: say which one with "
                            f"{TYPE_KEY})")
                raise RequestError(f"{where}: {type_name(xsd_type)} has no field {key!r}{hint}")
        return kwargs

    @staticmethod
    def scalar(value, xsd_type, where: str):
        """A JSON scalar converted for an XSD simple type, or a ``RequestError``."""
        def fail(expected: str):
            return RequestError(f"{where}: expected {expected} for {type_name(xsd_type)}, "
                                f"got {value!r}")

        if isinstance(xsd_type, xsd.Boolean):
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
                return value.strip().lower() in ("true", "1")
            raise fail("true or false")
        if isinstance(xsd_type, xsd.DateTime):
            if isinstance(value, datetime):
                return value
            if isinstance(value, date):
                return datetime.combine(value, time())
            if isinstance(value, str):
                try:
                    return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
                except ValueError:
                    pass
            raise fail("an ISO 8601 date-time such as 2024-01-01T00:00:00Z")
        if isinstance(xsd_type, xsd.Date):
            if isinstance(value, datetime):
                return value.date()
            if isinstance(value, date):
                return value
            if isinstance(value, str):
                try:
                    return date.fromisoformat(value.strip()[:10])
                except ValueError:
                    pass
            raise fail("an ISO 8601 date such as 2024-01-01")
        if isinstance(xsd_type, _INTEGERS):
            if isinstance(value, bool):
                raise fail("a whole number")
            if isinstance(value, int):
                return value
            if isinstance(value, float) and value.is_integer():
                return int(value)
            if isinstance(value, str):
                try:
                    return int(value.strip())
                except ValueError:
                    pass
            raise fail("a whole number")
        if isinstance(xsd_type, _FLOATS):
            if isinstance(value, bool):
                raise fail("a number")
            if isinstance(value, (int, float, Decimal)):
                return value
            if isinstance(value, str):
                try:
                    return float(value.strip())
                except ValueError:
                    pass
            raise fail("a number")
        if isinstance(xsd_type, xsd.String):
            if isinstance(value, bool):
                raise fail("a string")
            if isinstance(value, (int, float, Decimal)):
                return str(value)
            return value
        return value


def is_subtype(xsd_type, base) -> bool:
    """Whether ``xsd_type`` is ``base`` or extends it."""
    if xsd_type is base:
        return True
    base_qname = getattr(base, "qname", None)
    if base_qname is None:
        return False
    if getattr(xsd_type, "qname", None) == base_qname:
        return True
    for value_class in getattr(xsd_type, "accepted_types", ()):
        ancestor = getattr(value_class, "_xsd_type", None)
        if ancestor is not None and getattr(ancestor, "qname", None) == base_qname:
            return True
    return False


def _kind(value) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)


# -- zeep -> JSON ------------------------------------------------------------------------------
def to_json(value, declared=None):
    """A zeep result as JSON-ready Python: dicts, lists, str, numbers, booleans.

    Empty fields are left out; ``_ns_type`` is written at the top and wherever the value's type
    is more specific than its field's (so the output can be sent back as input)."""
    if isinstance(value, CompoundValue):
        xsd_type = value._xsd_type
        out = {}
        if declared is None or getattr(declared, "qname", None) != getattr(xsd_type, "qname",
                                                                               None):
            out[TYPE_KEY] = type_name(xsd_type)
        elements = {**dict(xsd_type.attributes), **dict(xsd_type.elements)}
        for key, item in value.__values__.items():
            if item is None or (isinstance(item, list) and not item):
                continue
            element = elements.get(key)
            child_type = element.type if element is not None else None
            converted = to_json(item, child_type)
            if key == "_value_1" and len(value.__values__) == 1:
                return converted
            out[key] = converted
        return out
    if isinstance(value, list):
        return [to_json(v, declared) for v in value]
    if isinstance(value, AnyObject):
        return to_json(value.value, value.xsd_type)
    if isinstance(value, str) and declared is not None and not isinstance(
            declared, (ComplexType, xsd.String)):
        try:  # zeep leaves attribute defaults as text (replaceAll="true")
            return to_json(NetSuiteTypes.scalar(value, declared, ""))
        except RequestError:
            return value
    if isinstance(value, bool) or value is None or isinstance(value, (int, float, str)):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, etree._Element):
        return etree.tostring(value, encoding="unicode")
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items() if v is not None}
    return str(value)
