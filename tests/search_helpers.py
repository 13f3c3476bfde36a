"""Helpers for the search tests: the test seed, zeep types by local name, one-call searches."""

from __future__ import annotations

from pathlib import Path

import requests

from mockserver.domain.values import resolve_type
from mockserver.schema import registry

SEED = Path(__file__).resolve().parent / "data" / "search_seed.json"
# 2024-03-15 12:00 in the account's time zone (Pacific daylight time)
NOON_MARCH_15 = "2024-03-15T19:00:00Z"


def reset(server, *, at: str | None = NOON_MARCH_15) -> None:
    """The test seed loaded with the mock's clock at ``at`` (its records modified then)."""
    clock(server, set=at) if at else clock(server, reset=True)
    response = requests.post(server.url + "/__admin/reset", json={"seed": str(SEED)}, timeout=30)
    response.raise_for_status()


def clock(server, **body) -> dict:
    response = requests.post(server.url + "/__admin/clock", json=body, timeout=10)
    response.raise_for_status()
    return response.json()


def zeep_type(ns, local: str):
    """A zeep type by its NetSuite local name (``TransactionSearchBasic``)."""
    ctype = resolve_type(local)
    if ctype is None:
        raise KeyError(local)
    return ns.client.get_type(f"{{{registry.uri(ctype.namespace.prefix)}}}{local}")


def field(ns, kind: str, *values, operator: str | None = None, **extra):
    """A ``platformCore:Search*Field``: ``field(ns, "String", "Acme", operator="contains")``."""
    args = dict(extra)
    if values:
        args["searchValue"] = list(values) if kind in ("MultiSelect", "EnumMultiSelect") \
            else values[0]
    if operator is not None:
        args["operator"] = operator
    return ns.type(f"ns0:Search{kind}Field")(**args)


def refs(ns, *ids: str, external: bool = False):
    return [ns.type("ns0:RecordRef")(**({"externalId": i} if external else {"internalId": i}))
            for i in ids]


def prefs(ns, **values):
    return {"searchPreferences": zeep_type(ns, "SearchPreferences")(**values)}


def search(ns, type_name: str, preferences: dict | None = None, **criteria):
    """Run ``search`` with a ``type_name`` search record; the searchResult."""
    record = zeep_type(ns, type_name)(**criteria)
    headers = prefs(ns, **preferences) if preferences is not None else None
    return ns.call("search", searchRecord=record, headers=headers).body.searchResult


def more(ns, search_id: str, page: int, headers: dict | None = None):
    return ns.call("searchMoreWithId", searchId=search_id, pageIndex=page,
                   headers=headers).body.searchResult


def records(result) -> list:
    return list(result.recordList.record) if result.recordList is not None else []


def ids(result) -> list[str]:
    return [r.internalId for r in records(result)]


def tran_ids(result) -> list[str]:
    return [r.tranId for r in records(result)]


def error(result) -> tuple[str, str]:
    detail = result.status.statusDetail[0]
    assert result.status.isSuccess is False, result
    return detail.code, detail.message
