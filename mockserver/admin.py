"""The mock's own HTTP API under ``/__admin/`` (JSON), for tests and for people debugging.

    GET  /__admin/                 what is here
    GET  /__admin/health           liveness and counts
    GET  /__admin/audit            the login audit trail (why each login failed)
    GET  /__admin/governance       concurrency limits and requests in flight, per account
    GET  /__admin/records          record counts by type
    GET  /__admin/records/<type>   the records of one type (JSON)
    POST /__admin/reset            empty the store, reload the seed, clear the audit trail
    POST /__admin/clock            {"advance": seconds} or {"set": iso-time} or {"reset": true}
"""

from __future__ import annotations

import json
from typing import Callable, Iterable

from mockserver.domain.backend import Backend
from mockserver.domain.records import kind_of
from mockserver.domain.seed import SeedError, load_seed, read_seed
from mockserver.domain.values import parse_datetime, to_json
from mockserver.wire.http import respond_json

ROUTES = ("health", "audit", "governance", "records", "reset", "clock")


class AdminApi:
    def __init__(self, backend: Backend, settings):
        self.backend = backend
        self.settings = settings

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "").rstrip("/")
        method = environ.get("REQUEST_METHOD", "GET")
        parts = path.split("/")[2:]  # after "", "__admin"
        try:
            if not parts:
                return respond_json(start_response, {"routes": [f"/__admin/{r}" for r in ROUTES]})
            route, rest = parts[0], parts[1:]
            if method == "GET" and route in ("health", "audit", "governance", "records"):
                return respond_json(start_response, getattr(self, route)(*rest))
            if method == "POST" and route in ("reset", "clock"):
                return respond_json(start_response, getattr(self, route)(_read_json(environ)))
        except AdminError as error:
            return respond_json(start_response, {"error": str(error)}, error.status)
        return respond_json(start_response, {"error": f"no route {method} {path}"},
                            "404 Not Found")

    def health(self) -> dict:
        return {"status": "ok", "accounts": {a.account_id: a.store.count()
                                              for a in self.backend.accounts.values()}}

    def audit(self) -> list[dict]:
        return [entry.as_dict() for entry in self.backend.audit.entries()]

    def governance(self) -> dict:
        return {a.account_id: a.gate.snapshot() for a in self.backend.accounts.values()}

    def records(self, record_type: str | None = None):
        account = next(iter(self.backend.accounts.values()))
        if record_type is None:
            return {t: account.store.count(t) for t in sorted(account.store.record_types())}
        if kind_of(record_type) is None:
            raise AdminError(f"unknown record type {record_type!r}", "404 Not Found")
        return [to_json(r) for r in account.store.records(record_type)]

    def reset(self, body: dict) -> dict:
        seed_source = body.get("seed", self.settings.seed)
        try:
            seed = read_seed(seed_source)
        except SeedError as error:
            raise AdminError(str(error)) from None
        loaded = 0
        for account in self.backend.accounts.values():
            account.store.clear()
            account.gate.reset_counters()
            if seed is not None:
                try:
                    loaded = load_seed(account.store, seed, self.backend.clock.now(),
                                       source=f"seed {seed_source}")
                except SeedError as error:
                    raise AdminError(str(error)) from None
        self.backend.audit.clear()
        self.backend.verifier.reset_nonces()
        return {"reset": True, "seed": seed_source, "records": loaded}

    def clock(self, body: dict) -> dict:
        clock = self.backend.clock
        try:
            if "advance" in body:
                clock.advance(float(body["advance"]))
            elif "set" in body:
                clock.set(parse_datetime(body["set"]))
            elif body.get("reset"):
                clock.reset()
        except (TypeError, ValueError) as error:
            raise AdminError(f"bad clock request: {error}") from None
        return {"now": clock.now().isoformat(), "offsetSeconds": clock.offset.total_seconds()}


class AdminError(Exception):
    def __init__(self, message: str, status: str = "400 Bad Request"):
        super().__init__(message)
        self.status = status


def _read_json(environ: dict) -> dict:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    raw = environ["wsgi.input"].read(length) if length else b""
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise AdminError(f"request body is not JSON: {error.msg}") from None
    if not isinstance(data, dict):
        raise AdminError("request body must be a JSON object")
    return data
