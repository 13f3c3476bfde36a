"""The inventory and manufacturing family: what NetSuite checks and completes on inventory
adjustments, transfers, transfer orders, work orders and assembly builds and unbuilds, and how
each of them (and receipts, fulfilments and sales) moves an item's stock per location.

The mock keeps no stock ledger: ``Stock`` works stock out from the transactions each time
(docs/record-types.md, "Inventory and manufacturing", lists the rules and their sources). Kits
and item groups have no stock of their own: a line of one moves or commits its members.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Iterator

from mockserver.domain.errors import RecordError, invalid_reference
from mockserver.domain.records import RecordKind
from mockserver.domain.store import RecordStore
from mockserver.domain.transactions import lines, order_progress, work_order_built

# Items NetSuite keeps stock of, and those whose members it stocks instead.
STOCKED_ITEMS = ("inventoryItem", "lotNumberedInventoryItem", "serializedInventoryItem",
                 "assemblyItem", "lotNumberedAssemblyItem", "serializedAssemblyItem")
ASSEMBLY_ITEMS = ("assemblyItem", "lotNumberedAssemblyItem", "serializedAssemblyItem")
MEMBER_ITEMS = ("kitItem", "itemGroup")
NUMBERED_ITEMS = {"lotNumberedInventoryItem": "lot", "lotNumberedAssemblyItem": "lot",
                  "serializedInventoryItem": "serial", "serializedAssemblyItem": "serial"}
# Transfers: the source and destination location fields, and their labels.
TRANSFERS = ("inventoryTransfer", "transferOrder", "interCompanyTransferOrder")
BUILDS = {"assemblyBuild": 1, "assemblyUnbuild": -1}   # the sign of the assembly's movement

Key = tuple[str, str]   # (item internal id, location internal id)


def _ref_id(value) -> str | None:
    return str(value["internalId"]) if isinstance(value, dict) and value.get("internalId") \
        else None


def item_type(store: RecordStore, item_id: str | None,
              among: tuple[str, ...] = STOCKED_ITEMS + MEMBER_ITEMS) -> tuple[str, dict] | None:
    for record_type in among:
        found = store.get(record_type, item_id) if item_id else None
        if found is not None:
            return record_type, found
    return None


def members(item: dict) -> list[tuple[str, float]]:
    """An assembly's, kit's or group's members: (item id, quantity per one)."""
    return [(str(m["item"]["internalId"]), float(m.get("quantity") or 1))
            for m in lines(item, "memberList") if _ref_id(m.get("item"))]


def expand(store: RecordStore, item_id: str, quantity: float,
           depth: int = 0) -> Iterator[tuple[str, float]]:
    """The items a quantity of ``item_id`` moves: a kit or group its members (recursively),
    anything else itself."""
    found = item_type(store, item_id, MEMBER_ITEMS) if depth < 5 else None
    if found is None:
        yield item_id, quantity
        return
    for member, per_one in members(found[1]):
        yield from expand(store, member, quantity * per_one, depth + 1)


# -- on the way in -------------------------------------------------------------------------------
def check_inventory(store: RecordStore, kind: RecordKind, record: dict) -> None:
    """NetSuite's rules for the family's transactions, and the lines it fills in: a build's
    components and a work order's items from the assembly's members."""
    record_type = kind.record_type
    if record_type == "inventoryAdjustment":
        for line in lines(record, "inventoryList"):
            missing = [label for label, present in (
                ("Item", _ref_id(line.get("item"))),
                ("Location", _ref_id(line.get("location")) or _ref_id(record.get("adjLocation"))),
                ("Adjust Qty. By", line.get("adjustQtyBy") is not None)) if not present]
            if missing:
                raise RecordError.of("required_fields", fields=", ".join(missing))
            _check_numbers(store, line, float(line["adjustQtyBy"]))
    elif record_type in TRANSFERS:
        source, destination = _ref_id(record.get("location")), _ref_id(
            record.get("transferLocation"))
        if source is not None and source == destination:
            raise RecordError.of("same_transfer_locations")
        if record_type == "inventoryTransfer":
            for line in lines(record, "inventoryList"):
                if line.get("adjustQtyBy") is None:
                    raise RecordError.of("required_fields", fields="Qty. to Transfer")
                _positive(line["adjustQtyBy"], "adjustQtyBy")
                _check_numbers(store, line, float(line["adjustQtyBy"]))
    elif record_type in BUILDS or record_type == "workOrder":
        field = "assemblyItem" if record_type == "workOrder" else "item"
        assembly_id = _ref_id(record.get(field))
        assembly = item_type(store, assembly_id, ASSEMBLY_ITEMS)
        if assembly_id is not None and assembly is None:
            raise invalid_reference(field, assembly_id)
        if record.get("quantity") is not None:
            _positive(record["quantity"], "quantity")
        if assembly is None or record.get("quantity") is None:
            return
        quantity = float(record["quantity"])
        components = [{"item": {"internalId": member}, "quantity": per_one * quantity}
                      for member, per_one in members(assembly[1])]
        if record_type == "workOrder" and not lines(record, "itemList") and components:
            record["itemList"] = {"item": components}
        elif record_type in BUILDS and not lines(record, "componentList") and components:
            record["componentList"] = {"component": [
                {**c, "lineNumber": n} for n, c in enumerate(components, start=1)]}


def _positive(value, field: str) -> None:
    if float(value) <= 0:
        raise RecordError.of("invalid_field_value", value=value, field=field)


def _check_numbers(store: RecordStore, line: dict, quantity: float) -> None:
    """A lot-numbered or serialized item's line: its inventory detail, when sent, assigns the
    line's whole quantity, and a serial number one unit."""
    found = item_type(store, _ref_id(line.get("item")), tuple(NUMBERED_ITEMS))
    detail = (line.get("inventoryDetail") or {}).get("inventoryAssignmentList") or {}
    assignments = detail.get("inventoryAssignment") or []
    if found is None or not assignments:
        return
    if NUMBERED_ITEMS[found[0]] == "serial" and any(
            float(a.get("quantity") or 1) not in (1.0, -1.0) for a in assignments):
        raise RecordError.of("serial_quantity")
    total = sum(float(a.get("quantity") or 1) for a in assignments)
    if abs(total) != abs(quantity):
        raise RecordError.of("inventory_detail_quantity", quantity=_plain(abs(quantity)))


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


# -- stock ---------------------------------------------------------------------------------------
class Stock:
    """On hand, on order, demand and the last change, per (item, location), of one store.

    On hand: receipts (lines not ``itemReceive`` false), less fulfilments and cash sales not
    made from an order; inventory adjustments by ``adjustQtyBy``; inventory transfers from
    ``location`` to ``transferLocation``; assembly builds add the assembly and take its
    components, unbuilds the reverse. On order: what purchase orders, transfer orders (at their
    destination) and work orders (the assembly) still expect. Demand: what sales orders and
    transfer orders (at their source) still have to ship, and the components work orders still
    have to build with.
    """

    def __init__(self, store: RecordStore) -> None:
        self.store = store
        self.on_hand: dict[Key, float] = defaultdict(float)
        self.on_order: dict[Key, float] = defaultdict(float)
        self.demand: dict[Key, float] = defaultdict(float)
        self.changed: dict[Key, datetime] = {}
        self._orders: dict[str, dict | None] = {}
        for record_type, moved in _movers(store):
            moment = moved.get("lastModifiedDate") or moved.get("createdDate")
            for item, location, quantity in self._movements(record_type, moved):
                self._add(self.on_hand, item, location, quantity)
                key = (item, location)
                if moment is not None and (key not in self.changed or moment > self.changed[key]):
                    self.changed[key] = moment
        self._outstanding()

    def _add(self, table: dict, item: str | None, location: str | None, quantity: float) -> None:
        if item is None or location is None or not quantity:
            return
        for member, moved in expand(self.store, item, quantity):
            table[(member, location)] += moved

    def _order(self, moved: dict) -> dict | None:
        """The transfer order a receipt or fulfilment was made from, if it was."""
        order_id = _ref_id(moved.get("createdFrom"))
        if order_id is None:
            return None
        if order_id not in self._orders:
            self._orders[order_id] = self.store.get("transferOrder", order_id)
        return self._orders[order_id]

    def _movements(self, record_type: str, moved: dict) -> Iterator[tuple[str | None, str | None,
                                                                          float]]:
        if record_type in ("itemReceipt", "itemFulfillment", "cashSale"):
            sign = 1 if record_type == "itemReceipt" else -1
            order = self._order(moved) or {}
            default = order.get("transferLocation" if sign > 0 else "location") \
                or moved.get("location")
            for line in lines(moved, "itemList"):
                if line.get("itemReceive") is not False:
                    yield (_ref_id(line.get("item")),
                           _ref_id(line.get("location")) or _ref_id(default),
                           sign * float(line.get("quantity") or 0))
        elif record_type == "inventoryAdjustment":
            for line in lines(moved, "inventoryList"):
                yield (_ref_id(line.get("item")),
                       _ref_id(line.get("location")) or _ref_id(moved.get("adjLocation")),
                       float(line.get("adjustQtyBy") or 0))
        elif record_type == "inventoryTransfer":
            for line in lines(moved, "inventoryList"):
                quantity = float(line.get("adjustQtyBy") or 0)
                yield _ref_id(line.get("item")), _ref_id(moved.get("location")), -quantity
                yield _ref_id(line.get("item")), _ref_id(moved.get("transferLocation")), quantity
        elif record_type in BUILDS:
            sign, location = BUILDS[record_type], _ref_id(moved.get("location"))
            yield _ref_id(moved.get("item")), location, sign * float(moved.get("quantity") or 0)
            for line in lines(moved, "componentList"):
                yield _ref_id(line.get("item")), location, -sign * float(line.get("quantity") or 0)

    def _outstanding(self) -> None:
        store = self.store
        for order_type, still in (("purchaseOrder", self.on_order), ("salesOrder", self.demand),
                                  ("transferOrder", self.demand)):
            for order in store.records(order_type):
                progress = order_progress(store, order["internalId"], order_type)
                for line in lines(order, "itemList"):
                    if line.get("isClosed"):
                        continue
                    taken, received = progress.get(str(line.get("line")), (0.0, 0.0))
                    ordered = float(line.get("quantity") or 0)
                    item = _ref_id(line.get("item"))
                    self._add(still, item, _ref_id(line.get("location") or order.get("location")),
                              max(ordered - taken, 0.0))
                    if order_type == "transferOrder":
                        self._add(self.on_order, item, _ref_id(order.get("transferLocation")),
                                  max(ordered - received, 0.0))
        for order in store.records("workOrder"):
            ordered = float(order.get("quantity") or 0)
            left = max(ordered - work_order_built(store, order["internalId"]), 0.0)
            if not ordered or not left or order.get("orderStatus") in ("_closed", "_cancelled"):
                continue
            location = _ref_id(order.get("location"))
            self._add(self.on_order, _ref_id(order.get("assemblyItem")), location, left)
            for line in lines(order, "itemList"):
                self._add(self.demand, _ref_id(line.get("item")),
                          _ref_id(line.get("location")) or location,
                          float(line.get("quantity") or 0) * left / ordered)

    def committed(self, key: Key) -> float:
        return min(self.demand.get(key, 0.0), max(self.on_hand.get(key, 0.0), 0.0))

    def locations_of(self, item_id: str) -> set[str]:
        return {location for (item, location) in (*self.on_hand, *self.on_order, *self.demand)
                if item == item_id}


def _movers(store: RecordStore) -> Iterator[tuple[str, dict]]:
    for record_type in ("itemReceipt", "itemFulfillment", "cashSale", "inventoryAdjustment",
                        "inventoryTransfer", *BUILDS):
        for moved in store.records(record_type):
            if record_type == "cashSale" and moved.get("createdFrom"):
                continue   # sold from an order: its fulfilment moved the stock
            yield record_type, moved
