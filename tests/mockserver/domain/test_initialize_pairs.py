"""The documented initialize pairs are written in the schema's own values, and the pairs the
mock implements are among them."""

from __future__ import annotations

from mockserver.domain.initialize_pairs import INITIALIZE_PAIRS, documented
from mockserver.domain.records import kind_of
from mockserver.domain.transactions import INITIALIZERS
from mockserver.schema import registry


def values(enum: str) -> set[str]:
    return set(registry.lookup(f"platformCoreTyp:{enum}").values)


def test_pairs_use_the_schemas_initialize_values():
    targets, references, aux = (values("InitializeType"), values("InitializeRefType"),
                                values("InitializeAuxRefType"))
    assert {p.target for p in INITIALIZE_PAIRS} <= targets
    assert {p.reference for p in INITIALIZE_PAIRS} <= references
    assert {p.aux for p in INITIALIZE_PAIRS if p.aux} <= aux
    assert len(set(INITIALIZE_PAIRS)) == len(INITIALIZE_PAIRS) == 47  # the page's 48 rows, less customerDeposit


def test_every_pair_names_served_record_types():
    assert all(kind_of(p.target) and kind_of(p.reference) for p in INITIALIZE_PAIRS)


def test_what_the_mock_implements_is_documented():
    assert all(documented(target, reference) for target, reference in INITIALIZERS)
    assert documented("customerDeposit", "salesOrder") is None  # not an InitializeType value
