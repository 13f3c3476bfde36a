"""A stored record as a response carries it: with its ``xsi:type`` and what other records did
to it (a customer's or vendor's balance from the ledger among them), as a ``RecordView`` the
wire layer can reuse the XML of."""

from __future__ import annotations

from mockserver.domain.ledger import with_balance
from mockserver.domain.records import RecordKind
from mockserver.domain.store import RecordStore
from mockserver.domain.transactions import derivation, with_derivation


class RecordView(dict):
    """A stored record as a response carries it. ``version`` is the stored dict it shows and
    ``variant`` what else shaped it (what other transactions did to it, the fields left out):
    stored dicts are never modified, so whatever the wire layer wrote for one version and
    variant (its XML) stays right until a write replaces the record or changes the variant."""

    __slots__ = ("version", "variant")


def readable(kind: RecordKind, record: dict, store: RecordStore | None = None, *,
             leave_out: frozenset[str] = frozenset()) -> dict:
    """A stored record as a response carries it (with its ``xsi:type``); given the store, with
    what other records did to it (an order's billed quantities, an invoice's amount paid);
    without the fields in ``leave_out`` (a search's sublists)."""
    found = derivation(store, kind, record) if store is not None else None
    shown = with_derivation(kind, record, found)
    balance = with_balance(store, kind.record_type, record) if store is not None else None
    if balance is not None:
        shown = {**shown, "balance": balance}
        found = (found, balance)
    view = RecordView(_type=kind.qname)
    if leave_out:
        view.update((k, v) for k, v in shown.items() if k not in leave_out)
    else:
        view.update(shown)
    view.version = record
    view.variant = (found, leave_out)
    return view
