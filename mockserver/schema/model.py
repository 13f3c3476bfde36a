"""The schema's building blocks: namespaces, complex types, enumerations and elements.

Each NetSuite namespace has one module in this package that declares its types with the small
text grammar parsed here. Everything else (the Spyne models, the WSDL, the response renderer,
the domain's validation) reads these declarations, so a field's name, type and position are
written down exactly once. Nothing here imports Spyne.

Field grammar, one per line inside a ``complex_type`` body::

    name  prefix:Type            optional, at most once (NetSuite's usual minOccurs="0")
    name  prefix:Type  1         required, exactly once
    name  prefix:Type  *         optional, repeating
    name  prefix:Type  +         required, repeating
    name  prefix:Type  0..7      explicit bounds
    prefix:name  prefix:Type     an element in another namespace (XSD ``ref=``)
    @name prefix:Type [required] [=default]   an attribute
    #text prefix:Type            simple content (the element's own text)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

VERSION = "2024_1"
XSD_URI = "http://www.w3.org/2001/XMLSchema"
XSD_BUILTINS = frozenset({"string", "boolean", "long", "int", "double", "dateTime", "base64Binary"})

UNBOUNDED = None


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    type_ref: str
    prefix: str  # namespace prefix of the element (the declaring type's, unless a ref)
    min_occurs: int = 0
    max_occurs: int | None = 1

    @property
    def repeating(self) -> bool:
        return self.max_occurs is None or self.max_occurs > 1


@dataclass(frozen=True, slots=True)
class Attribute:
    name: str
    type_ref: str
    required: bool = False
    default: str | None = None


@dataclass(slots=True)
class ComplexType:
    namespace: "Namespace"
    name: str
    base_ref: str | None
    abstract: bool
    own_fields: tuple[Field, ...]
    own_attributes: tuple[Attribute, ...]
    text_type: str | None = None
    _all_fields: tuple[Field, ...] | None = field(default=None, repr=False)

    @property
    def qname(self) -> str:
        return f"{self.namespace.prefix}:{self.name}"

    @property
    def base(self) -> "ComplexType | None":
        return registry.complex(self.base_ref) if self.base_ref else None

    def ancestry(self) -> Iterator["ComplexType"]:
        """This type, then its base, then the base's base."""
        current: ComplexType | None = self
        while current is not None:
            yield current
            current = current.base

    def is_a(self, qname: str) -> bool:
        return any(t.qname == qname for t in self.ancestry())

    @property
    def fields(self) -> tuple[Field, ...]:
        """Inherited fields first, as XSD extension orders them."""
        if self._all_fields is None:
            base = self.base
            self._all_fields = (base.fields if base else ()) + self.own_fields
        return self._all_fields

    @property
    def attributes(self) -> tuple[Attribute, ...]:
        base = self.base
        return (base.attributes if base else ()) + self.own_attributes

    def field(self, name: str) -> Field | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None


@dataclass(frozen=True, slots=True)
class EnumType:
    namespace: "Namespace"
    name: str
    values: tuple[str, ...]

    @property
    def qname(self) -> str:
        return f"{self.namespace.prefix}:{self.name}"


@dataclass(frozen=True, slots=True)
class Element:
    namespace: "Namespace"
    name: str
    type_ref: str

    @property
    def qname(self) -> str:
        return f"{self.namespace.prefix}:{self.name}"


class Namespace:
    """One NetSuite XML namespace and the schema document NetSuite publishes it in.

    ``imports`` lists the namespaces whose documents this one imports, in NetSuite's order:
    zeep numbers its prefixes by walking those imports, so they are kept even where the mock
    models none of the types that need them.
    """

    def __init__(self, prefix: str, document: str, uri: str, imports: tuple[str, ...] = ()):
        self.prefix = prefix
        self.document = document  # e.g. "lists.relationships" -> xsd/lists.relationships.xsd
        self.uri = uri.format(version=VERSION)
        self.imports = imports
        self.complex_types: dict[str, ComplexType] = {}
        self.enums: dict[str, EnumType] = {}
        self.elements: dict[str, Element] = {}
        registry.add_namespace(self)

    def complex_type(self, name: str, body: str = "", *, extends: str | None = None,
                     abstract: bool = False) -> ComplexType:
        fields, attributes, text_type = _parse_body(self.prefix, body)
        ctype = ComplexType(self, name, extends, abstract, fields, attributes, text_type)
        self.complex_types[name] = ctype
        registry.types[ctype.qname] = ctype
        return ctype

    def enum(self, name: str, values: str) -> EnumType:
        etype = EnumType(self, name, tuple(values.split()))
        self.enums[name] = etype
        registry.types[etype.qname] = etype
        return etype

    def element(self, name: str, type_ref: str) -> Element:
        elem = Element(self, name, type_ref)
        self.elements[name] = elem
        registry.elements[elem.qname] = elem
        return elem

    def __repr__(self) -> str:
        return f"Namespace({self.prefix!r}, {self.uri!r})"


def _parse_body(prefix: str, body: str) -> tuple[tuple[Field, ...], tuple[Attribute, ...], str | None]:
    fields: list[Field] = []
    attributes: list[Attribute] = []
    text_type = None
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            continue
        parts = line.split()
        name, type_ref, rest = parts[0], parts[1], parts[2:]
        if name.startswith("@"):
            required = "required" in rest
            default = next((r[1:] for r in rest if r.startswith("=")), None)
            attributes.append(Attribute(name[1:], type_ref, required, default))
        elif name == "#text":
            text_type = type_ref
        else:
            field_prefix, _, local = name.rpartition(":")
            occurs = rest[0] if rest else "?"
            low, high = _OCCURS.get(occurs) or _bounds(occurs)
            fields.append(Field(local, type_ref, field_prefix or prefix, low, high))
    return tuple(fields), tuple(attributes), text_type


_OCCURS = {"?": (0, 1), "1": (1, 1), "*": (0, UNBOUNDED), "+": (1, UNBOUNDED)}


def _bounds(text: str) -> tuple[int, int | None]:
    low, _, high = text.partition("..")
    return int(low), (UNBOUNDED if high in ("", "n") else int(high))


@dataclass(frozen=True, slots=True)
class Operation:
    """A NetSuiteBinding operation: body ``platformMsgs:{name}`` in, ``{name}Response`` out."""

    name: str
    preferences_header: str | None  # "preferences", "searchPreferences" or None
    document_info: bool             # whether the response carries the documentInfo header
    faults: tuple[str, ...]         # declared fault message names, e.g. "InvalidCredentialsFault"


class Registry:
    """Every declared namespace, type and element, by ``prefix:Name``."""

    def __init__(self) -> None:
        self.namespaces: dict[str, Namespace] = {}
        self.by_uri: dict[str, Namespace] = {}
        self.types: dict[str, ComplexType | EnumType] = {}
        self.elements: dict[str, Element] = {}

    def add_namespace(self, ns: Namespace) -> None:
        self.namespaces[ns.prefix] = ns
        self.by_uri[ns.uri] = ns

    def uri(self, prefix: str) -> str:
        return XSD_URI if prefix == "xsd" else self.namespaces[prefix].uri

    def complex(self, qname: str) -> ComplexType:
        found = self.types[qname]
        if not isinstance(found, ComplexType):
            raise TypeError(f"{qname} is not a complex type")
        return found

    def lookup(self, qname: str) -> ComplexType | EnumType | None:
        return self.types.get(qname)

    def subtypes(self, qname: str) -> list[ComplexType]:
        """Concrete and abstract descendants of a type (for xsi:type resolution)."""
        return [t for t in self.types.values()
                if isinstance(t, ComplexType) and t.qname != qname and t.is_a(qname)]


registry = Registry()


def split_qname(qname: str) -> tuple[str, str]:
    prefix, _, local = qname.partition(":")
    return prefix, local
