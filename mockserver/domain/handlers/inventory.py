"""``getItemAvailability``: an item's stock per location, worked out from the transactions
that move it (``stock.Stock``).

What orders still have to ship or build with is committed as far as the stock on hand goes and
back ordered beyond it; available is on hand less committed. An item's ``locationsList`` gives
the reorder point and preferred stock level. ``lastQtyAvailableChange`` is the time of the last
transaction that moved the item at that location; the filter's keeps the locations changed
since. A kit or item group has no stock of its own: at each location, as many as its members'
stock makes (INFERRED).
"""

from __future__ import annotations

import math

from mockserver.domain.accounts import Level
from mockserver.domain.dispatch import Call, operation
from mockserver.domain.errors import RecordError, invalid_reference, success_status
from mockserver.domain.handlers.lists import list_inputs
from mockserver.domain.records import id_order, kind_of, record_name
from mockserver.domain.stock import MEMBER_ITEMS, STOCKED_ITEMS, Stock, item_type, members
from mockserver.domain.transactions import lines


@operation("getItemAvailability")
def get_item_availability(call: Call, body: dict) -> dict:
    spec = body.get("itemAvailabilityFilter") or {}
    refs = list_inputs(call, spec.get("item") or {}, "recordRef")  # at most 10,000
    since = spec.get("lastQtyAvailableChange")
    store = call.account.store
    try:
        call.require(kind_of("inventoryItem"), Level.VIEW)
        items = []
        for ref in refs:
            found = next(((t, item) for t in STOCKED_ITEMS + MEMBER_ITEMS
                          if (item := store.find(t, ref.get("internalId"), ref.get("externalId")))
                          is not None), None)
            if found is None:
                raise invalid_reference("item", ref.get("internalId") or ref.get("externalId"))
            items.append(found)
    except RecordError as error:
        return {"getItemAvailabilityResult": {"status": error.as_status()}}
    stock = Stock(store)
    found = []
    for record_type, item in items:
        item_id = item["internalId"]
        if record_type in MEMBER_ITEMS:
            found += _made_of_members(store, stock, record_type, item, since)
            continue
        settings = {(row.get("locationId") or {}).get("internalId"): row
                    for row in lines(item, "locationsList")}
        for location in sorted(stock.locations_of(item_id) | {k for k in settings if k},
                               key=id_order):
            key = (item_id, location)
            changed = stock.changed.get(key)
            if since is not None and (changed is None or changed <= since):
                continue
            on_hand, committed = stock.on_hand.get(key, 0.0), stock.committed(key)
            availability = {
                "item": _named_ref(store, record_type, item_id),
                "lastQtyAvailableChange": changed,
                "locationId": _named_ref(store, "location", location), "quantityOnHand": on_hand,
                "reorderPoint": settings.get(location, {}).get("reorderPoint"),
                "preferredStockLevel": settings.get(location, {}).get("preferredStockLevel"),
                "quantityOnOrder": stock.on_order.get(key, 0.0), "quantityCommitted": committed,
                "quantityBackOrdered": stock.demand.get(key, 0.0) - committed,
                "quantityAvailable": on_hand - committed}
            found.append({k: v for k, v in availability.items() if v is not None})
    result = {"status": success_status()}
    if found:  # the list, when sent, holds at least one
        result["itemAvailabilityList"] = {"itemAvailability": found}
    return {"getItemAvailabilityResult": result}


def _made_of_members(store, stock: Stock, record_type: str, item: dict, since) -> list[dict]:
    """A kit's or group's availability per location: as many as each stocked member's on hand
    (and available) quantity makes, at the locations where every one has stock."""
    parts = [(member, per_one) for member, per_one in members(item)
             if item_type(store, member, STOCKED_ITEMS) is not None]
    if not parts:
        return []
    found = []
    places = set.intersection(*(stock.locations_of(member) for member, _ in parts))
    for location in sorted(places, key=id_order):
        keys = [((member, location), per_one) for member, per_one in parts]
        changes = [c for key, _ in keys if (c := stock.changed.get(key)) is not None]
        changed = max(changes) if changes else None
        if since is not None and (changed is None or changed <= since):
            continue
        on_hand = min(math.floor(max(stock.on_hand.get(k, 0.0), 0.0) / n) for k, n in keys)
        available = min(math.floor(max(stock.on_hand.get(k, 0.0) - stock.committed(k), 0.0) / n)
                        for k, n in keys)
        availability = {"item": _named_ref(store, record_type, item["internalId"]),
                        "lastQtyAvailableChange": changed,
                        "locationId": _named_ref(store, "location", location),
                        "quantityOnHand": float(on_hand), "quantityAvailable": float(available)}
        found.append({k: v for k, v in availability.items() if v is not None})
    return found


def _named_ref(store, record_type: str, internal_id: str) -> dict:
    """A reference with the record's name (``RecordRef.name``), as NetSuite returns one."""
    ref = {"internalId": internal_id, "type": record_type}  # typed, as NetSuite sends them
    record = store.get(record_type, internal_id)
    name = record_name(kind_of(record_type), record) if record is not None else None
    if name:
        ref["name"] = name
    return ref
