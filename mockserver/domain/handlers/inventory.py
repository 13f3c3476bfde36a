"""``getItemAvailability``: an inventory item's stock per location, worked out from the
transactions that move it.

The mock keeps no stock ledger: on hand is what item receipts received (lines with
``itemReceive`` not false) at each location (the line's, else the transaction's), less what
item fulfilments shipped and cash sales not made from an order sold; on order what purchase
orders still expect (each line's quantity less what receipts received of it). What sales
orders still have to fulfil is committed as far as the stock on hand goes and back ordered
beyond it; available is on hand less committed. Inventory adjustments are not modelled. An
item's ``locationsList`` gives the reorder point and preferred stock level.
``lastQtyAvailableChange`` is the time of the last receipt, fulfilment or sale at that location;
the filter's keeps the locations changed since.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from mockserver.domain.accounts import Level
from mockserver.domain.dispatch import Call, operation
from mockserver.domain.errors import RecordError, invalid_reference, success_status
from mockserver.domain.handlers.lists import list_inputs
from mockserver.domain.records import id_order, kind_of, record_name
from mockserver.domain.transactions import lines, order_progress

class Stock:
    """On hand, on order and the last change, per (item, location), of one store."""

    def __init__(self, store) -> None:
        self.on_hand: dict[tuple[str, str], float] = defaultdict(float)
        self.on_order: dict[tuple[str, str], float] = defaultdict(float)
        self.demand: dict[tuple[str, str], float] = defaultdict(float)
        self.changed: dict[tuple[str, str], datetime] = {}
        for record_type, sign in (("itemReceipt", 1), ("itemFulfillment", -1), ("cashSale", -1)):
            for moved in store.records(record_type):
                if record_type == "cashSale" and moved.get("createdFrom"):
                    continue   # sold from an order: its fulfilment moved the stock
                moment = moved.get("lastModifiedDate") or moved.get("createdDate")
                for line in lines(moved, "itemList"):
                    key = _key(line, moved)
                    if key is None or line.get("itemReceive") is False:
                        continue
                    self.on_hand[key] += sign * float(line.get("quantity") or 0)
                    if moment is not None and (key not in self.changed
                                               or moment > self.changed[key]):
                        self.changed[key] = moment
        for order_type, still in (("purchaseOrder", self.on_order), ("salesOrder", self.demand)):
            for order in store.records(order_type):
                progress = order_progress(store, order["internalId"], order_type)
                for line in lines(order, "itemList"):
                    key = _key(line, order)
                    if key is None or line.get("isClosed"):
                        continue
                    taken = progress.get(str(line.get("line")), (0.0, 0.0))[0]
                    left = float(line.get("quantity") or 0) - taken
                    if left > 0:
                        still[key] += left

    def committed(self, key: tuple[str, str]) -> float:
        return min(self.demand.get(key, 0.0), max(self.on_hand.get(key, 0.0), 0.0))

    def locations_of(self, item_id: str) -> set[str]:
        return {location for (item, location) in (*self.on_hand, *self.on_order, *self.demand)
                if item == item_id}


def _key(line: dict, transaction: dict) -> tuple[str, str] | None:
    item = (line.get("item") or {}).get("internalId")
    location = (line.get("location") or transaction.get("location") or {}).get("internalId")
    return (str(item), str(location)) if item is not None and location is not None else None


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
            # the mock keeps stock of inventory items only
            item = store.find("inventoryItem", ref.get("internalId"), ref.get("externalId"))
            if item is None:
                raise invalid_reference("item", ref.get("internalId") or ref.get("externalId"))
            items.append(item)
    except RecordError as error:
        return {"getItemAvailabilityResult": {"status": error.as_status()}}
    stock = Stock(store)
    found = []
    for item in items:
        item_id = item["internalId"]
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
                "item": _named_ref(store, "inventoryItem", item_id),
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


def _named_ref(store, record_type: str, internal_id: str) -> dict:
    """A reference with the record's name (``RecordRef.name``), as NetSuite returns one."""
    ref = {"internalId": internal_id, "type": record_type}  # typed, as NetSuite sends them
    record = store.get(record_type, internal_id)
    name = record_name(kind_of(record_type), record) if record is not None else None
    if name:
        ref["name"] = name
    return ref
