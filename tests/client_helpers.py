"""Building ``client.NetSuiteClient``s for the mocks the tests start, and the files users keep."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from client.governance import RetryPolicy
from client.netsuite_client import NetSuiteClient
from client.wsdl_cache import WsdlCache
from mockserver.config import client_secrets, client_settings
from suitetalk.config import NetSuiteSecrets, NetSuiteSettings

VENDOR_101 = {"_ns_type": "RecordRef", "type": "vendor", "internalId": "101"}
# A vendor bill with an item line and an expense line, in the demo data's terms.
VENDOR_BILL = {
    "_ns_type": "VendorBill", "externalId": "client-test-0001", "tranId": "INV-T-1",
    "tranDate": "2024-03-01T00:00:00Z",
    "entity": {"_ns_type": "RecordRef", "type": "vendor", "internalId": "101"},
    "subsidiary": {"_ns_type": "RecordRef", "type": "subsidiary", "internalId": "1"},
    "currency": {"_ns_type": "RecordRef", "type": "currency", "internalId": "1"},
    "itemList": {"_ns_type": "VendorBillItemList", "item": [
        {"_ns_type": "VendorBillItem",
         "item": {"_ns_type": "RecordRef", "type": "inventoryItem", "internalId": "201"},
         "quantity": 3, "rate": 12.5, "description": "Widgets"}]},
    "expenseList": {"_ns_type": "VendorBillExpenseList", "expense": [
        {"_ns_type": "VendorBillExpense",
         "account": {"_ns_type": "RecordRef", "type": "account", "internalId": "58"},
         "amount": 40.0, "memo": "Freight"}]},
}

# Quick retries keep the tests fast; the shape (exponential, jittered) is the production one.
FAST_RETRY = RetryPolicy(max_attempts=12, base_delay=0.05, max_delay=1.0)


@pytest.fixture(scope="session")
def wsdl_cache(tmp_path_factory) -> WsdlCache:
    """One cache for the session, in a temporary directory (never the user's ~/.cache)."""
    return WsdlCache(tmp_path_factory.mktemp("wsdl-cache"))


def settings_for(server, **overrides) -> NetSuiteSettings:
    block = client_settings(server.settings, server.url)["netsuite_settings"]
    block.update(overrides)
    return NetSuiteSettings.from_dict(block)


def secrets_for(server, **overrides) -> NetSuiteSecrets:
    return NetSuiteSecrets.from_dict({**client_secrets(server.settings), **overrides})


def make_client(server, cache: WsdlCache, *, retry: RetryPolicy = FAST_RETRY,
                secrets: dict | None = None, **settings) -> NetSuiteClient:
    return NetSuiteClient(settings_for(server, **settings), secrets_for(server, **(secrets or {})),
                          wsdl_cache=cache, retry=retry)


def write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def governance(server) -> dict:
    return requests.get(server.url + "/__admin/governance", timeout=10).json()[
        server.settings.account]


def admin_records(server, record_type: str) -> list[dict]:
    response = requests.get(f"{server.url}/__admin/records/{record_type}", timeout=10)
    response.raise_for_status()
    return response.json()


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
