"""One search criterion (``<tranId operator="is"><searchValue>PO-1</searchValue></tranId>``) as a test.

``compile_criterion`` reads a decoded ``platformCore:Search*Field`` and returns a ``Criterion``
whose ``test`` takes the field's value on a record and says whether it matches, with NetSuite's
operator semantics:

- strings compare case-insensitively; ``hasKeywords`` wants every keyword to start a word;
- numbers: ``between``/``notBetween`` include both ends and need ``searchValue2``;
- dates: a ``searchValue`` is an instant (``on``/``notOn`` take its whole day in the account's
  time zone), a ``predefinedSearchValue`` is a range of days; ``after`` means after the range,
  ``onOrAfter`` from its start, and so on;
- multi-selects match by internal id (``@NONE@`` matches an empty field), at most 1000 values;
- a negated operator (``isNot``, ``notEqualTo``, ``noneOf``…) matches what its positive form does
  not, empty values included.

Bad criteria raise ``RecordError`` (INVALID_SEARCH_OPERATOR, INVALID_SEARCH_VALUE,
MAX_VALUES_EXCEEDED); an enum value the field does not have raises ``InvalidEnumValue``, which
the search turns into NetSuite's no-match warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from mockserver.domain.errors import RecordError, SoapFault
from mockserver.domain.search.dates import day_range, predefined_range
from mockserver.schema import registry

MAX_VALUES = 1000
NONE_ID = "@NONE@"
EPSILON = timedelta(microseconds=1)

# schema type of the search field -> kind of criterion
KINDS = {
    "SearchStringField": "string", "SearchStringCustomField": "string",
    "SearchLongField": "long", "SearchLongCustomField": "long",
    "SearchDoubleField": "double", "SearchDoubleCustomField": "double",
    "SearchTextNumberField": "textNumber",
    "SearchDateField": "date", "SearchDateCustomField": "date",
    "SearchBooleanField": "boolean", "SearchBooleanCustomField": "boolean",
    "SearchMultiSelectField": "multiSelect", "SearchMultiSelectCustomField": "multiSelect",
    "SearchEnumMultiSelectField": "enumMultiSelect",
    "SearchEnumMultiSelectCustomField": "enumMultiSelect",
}
NUMBER_OPERATORS = {
    "equalTo": lambda v, a, b: v == a,
    "notEqualTo": lambda v, a, b: v != a,
    "greaterThan": lambda v, a, b: v > a,
    "notGreaterThan": lambda v, a, b: v <= a,
    "greaterThanOrEqualTo": lambda v, a, b: v >= a,
    "notGreaterThanOrEqualTo": lambda v, a, b: v < a,
    "lessThan": lambda v, a, b: v < a,
    "notLessThan": lambda v, a, b: v >= a,
    "lessThanOrEqualTo": lambda v, a, b: v <= a,
    "notLessThanOrEqualTo": lambda v, a, b: v > a,
    "between": lambda v, a, b: a <= v <= b,
    "notBetween": lambda v, a, b: not a <= v <= b,
}
# NetSuite's relative dates; one it does not have is an invalid enum value like any other.
SEARCH_DATE_VALUES = frozenset(registry.lookup("platformCoreTyp:SearchDate").values)
NEGATED = {"notEqualTo", "notBetween", "isNot", "doesNotContain", "doesNotStartWith", "noneOf",
           "notOn", "notWithin", "notAfter", "notBefore", "notOnOrAfter", "notOnOrBefore"}
STRING_OPERATORS = {"is", "isNot", "contains", "doesNotContain", "startsWith", "doesNotStartWith",
                    "empty", "notEmpty", "hasKeywords"}
DATE_OPERATORS = {"on", "notOn", "within", "notWithin", "after", "notAfter", "before", "notBefore",
                  "onOrAfter", "notOnOrAfter", "onOrBefore", "notOnOrBefore", "empty", "notEmpty"}


class InvalidEnumValue(Exception):
    def __init__(self, field_name: str, value: str):
        super().__init__(f"{field_name}: {value}")
        self.field_name = field_name
        self.value = value


@dataclass
class Criterion:
    """A compiled criterion: ``test(value)`` on the field's value of one record (or line)."""

    field: str
    kind: str
    operator: str | None
    test: Callable[[object], bool]
    # What an index can use (set only for positive operators).
    ids: frozenset[str] | None = None              # multiSelect anyOf: these internal ids
    refs: tuple[dict, ...] = ()                     # multiSelect anyOf: the refs as sent
    equals: str | None = None                       # string ``is``
    time_range: tuple[datetime | None, datetime | None] | None = None  # date: low <= t < high
    enum_values: frozenset[str] | None = None       # enumMultiSelect anyOf
    flag: bool | None = None                        # boolean
    range_key: tuple = ()                           # the resolved relative dates (cache key)


def kind_of_field(type_ref: str) -> str | None:
    return KINDS.get(type_ref.partition(":")[2])


def compile_criterion(name: str, kind: str, spec: dict, now: datetime,
                      enum_values: frozenset[str] | None = None) -> Criterion:
    operator = spec.get("operator")
    compiler = {"string": _string, "long": _number, "double": _number, "textNumber": _number,
                "date": _date, "boolean": _boolean, "multiSelect": _multi_select,
                "enumMultiSelect": _enum_multi_select}[kind]
    return compiler(name, kind, operator, spec, now, enum_values)


# -- values -------------------------------------------------------------------------------------
def is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def as_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict):
        return value.get("name") or value.get("value") or value.get("internalId")
    if isinstance(value, bool):
        return "T" if value else "F"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def as_number(value) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def ref_ids(value) -> set[str]:
    """The internal ids a reference field holds (one ref, a list of refs, or a ref list)."""
    if value is None:
        return set()
    if isinstance(value, list):
        return set().union(*(ref_ids(v) for v in value)) if value else set()
    if isinstance(value, dict):
        if "internalId" in value:
            return {str(value["internalId"])} if value["internalId"] is not None else set()
        for key in ("recordRef", "value"):  # RecordRefList, custom select field
            if key in value:
                return ref_ids(value[key])
        return set()
    return {str(value)}


def _require_operator(operator: str | None, allowed: set[str]) -> str:
    """The operator, or INVALID_SEARCH_OPERATOR (NetSuite's docs make it required)."""
    if operator not in allowed:
        raise RecordError.of("invalid_search_operator")
    return operator


def _require(value):
    if value is None or value == []:
        raise RecordError.of("invalid_search_value")
    return value


# -- kinds --------------------------------------------------------------------------------------
def _string(name, kind, operator, spec, now, enums) -> Criterion:
    operator = _require_operator(operator, STRING_OPERATORS)
    if operator == "empty":
        return Criterion(name, kind, operator, lambda v: is_empty(as_text(v)))
    if operator == "notEmpty":
        return Criterion(name, kind, operator, lambda v: not is_empty(as_text(v)))
    wanted = spec.get("searchValue")
    if wanted is None:
        raise RecordError.of("invalid_search_value")
    wanted = wanted.casefold()
    if operator == "hasKeywords":
        keywords = wanted.split()

        def has_keywords(value) -> bool:
            words = re.findall(r"\w+", (as_text(value) or "").casefold())
            return all(any(w.startswith(k) for w in words) for k in keywords)
        return Criterion(name, kind, operator, has_keywords)
    base = {"isNot": "is", "doesNotContain": "contains",
            "doesNotStartWith": "startsWith"}.get(operator, operator)
    positive = {"is": lambda t: t == wanted, "contains": lambda t: wanted in t,
                "startsWith": lambda t: t.startswith(wanted)}[base]

    def matches(value) -> bool:
        text = as_text(value)
        return text is not None and positive(text.casefold())
    if operator in NEGATED:
        return Criterion(name, kind, operator, lambda v: not matches(v))
    return Criterion(name, kind, operator, matches,
                     equals=spec["searchValue"] if operator == "is" else None)


def _number(name, kind, operator, spec, now, enums) -> Criterion:
    operator = _require_operator(operator, set(NUMBER_OPERATORS) | {"empty", "notEmpty"})
    if operator == "empty":
        return Criterion(name, kind, operator, lambda v: as_number(v) is None)
    if operator == "notEmpty":
        return Criterion(name, kind, operator, lambda v: as_number(v) is not None)
    low = as_number(_require(spec.get("searchValue")))
    high = None
    if operator in ("between", "notBetween"):
        high = as_number(_require(spec.get("searchValue2")))
    if low is None or (operator in ("between", "notBetween") and high is None):
        raise RecordError.of("invalid_search_value")
    compare = NUMBER_OPERATORS[operator]
    negated = operator in NEGATED or operator.startswith("not")

    def matches(value) -> bool:
        number = as_number(value)
        if number is None:
            return negated
        return compare(number, low, high)
    return Criterion(name, kind, operator, matches)


def _date(name, kind, operator, spec, now, enums) -> Criterion:
    operator = _require_operator(operator, DATE_OPERATORS)
    if operator == "empty":
        return Criterion(name, kind, operator, lambda v: not isinstance(v, datetime))
    if operator == "notEmpty":
        return Criterion(name, kind, operator, lambda v: isinstance(v, datetime))
    predefined = spec.get("predefinedSearchValue")
    if predefined:
        if predefined not in SEARCH_DATE_VALUES:  # as for any enum value the field lacks
            raise InvalidEnumValue(name, predefined)
        resolved = predefined_range(predefined, now)
        if resolved is None:
            raise SoapFault.of("search_not_implemented",
                               what=f"the relative date {predefined}")
        low, high = resolved
    else:
        value = _require(spec.get("searchValue"))
        if operator in ("on", "notOn"):
            low, high = day_range(value)
        elif operator in ("within", "notWithin"):
            low, high = value, _require(spec.get("searchValue2")) + EPSILON
        else:
            low, high = value, value + EPSILON
    positive = operator[3].lower() + operator[4:] if operator.startswith("not") else operator
    # Every operator is a range test: on/within = [low, high), after = [high, ∞), …
    bounds = {"on": (low, high), "within": (low, high), "after": (high, None),
              "onOrAfter": (low, None), "before": (None, low), "onOrBefore": (None, high)}[positive]
    start, end = bounds

    def inside(value) -> bool:
        return (isinstance(value, datetime) and (start is None or value >= start)
                and (end is None or value < end))
    key = (name, operator, low, high) if predefined else ()
    if operator.startswith("not"):
        return Criterion(name, kind, operator, lambda v: not inside(v), range_key=key)
    return Criterion(name, kind, operator, inside, time_range=bounds, range_key=key)


def _boolean(name, kind, operator, spec, now, enums) -> Criterion:
    wanted = spec.get("searchValue")
    if wanted is None:
        raise RecordError.of("invalid_search_value")
    return Criterion(name, kind, None, lambda v: bool(v) == wanted, flag=wanted)


def _multi_select(name, kind, operator, spec, now, enums) -> Criterion:
    operator = _require_operator(operator, {"anyOf", "noneOf"})
    refs = tuple(r for r in spec.get("searchValue") or () if isinstance(r, dict))
    if not refs:
        raise RecordError.of("invalid_search_value")
    if len(refs) > MAX_VALUES:
        raise RecordError.of("max_values")
    ids = frozenset(str(r["internalId"]) for r in refs if r.get("internalId") is not None)
    want_empty = NONE_ID in ids

    def matches(value) -> bool:
        held = ref_ids(value)
        return bool(held & ids) or (want_empty and not held)
    if operator == "noneOf":
        return Criterion(name, kind, operator, lambda v: not matches(v))
    return Criterion(name, kind, operator, matches, ids=ids, refs=refs)


def _enum_multi_select(name, kind, operator, spec, now, enums) -> Criterion:
    operator = _require_operator(operator, {"anyOf", "noneOf"})
    values = [v for v in spec.get("searchValue") or () if v]
    if not values:
        raise RecordError.of("invalid_search_value")
    if len(values) > MAX_VALUES:
        raise RecordError.of("max_values")
    if enums is not None:
        for value in values:
            if value not in enums:
                raise InvalidEnumValue(name, value)
    wanted = frozenset(values)

    def matches(value) -> bool:
        if isinstance(value, list):
            return any(v in wanted for v in value)
        return value in wanted
    if operator == "noneOf":
        return Criterion(name, kind, operator, lambda v: not matches(v))
    return Criterion(name, kind, operator, matches, enum_values=wanted)
