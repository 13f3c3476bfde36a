"""The example configurations (client/examples/, the shapes users already have) run to completion
against the demo data with only the URLs changed, and fetch what a brute-force filter over the
same data says they should.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from client.cli import main
from client.config import load_jsonc
from client.wsdl_cache import WsdlCache
from mockserver.admin_client import MockAdmin
from tests.client_helpers import admin_records, make_client, read_lines
from tests.conftest import ROOT
from tests.mockserver.test_cli import start

pytestmark = pytest.mark.server

EXAMPLES = ROOT / "client" / "examples"
EXAMPLE_URL = "http://127.0.0.1:8080"
SINCE = "2000-01-01T00:00:00Z"
IMPORTS = [c["master_data_name"]
           for c in load_jsonc(EXAMPLES / "settings-import.json")["import_configs"]]


def pointed_at(url: str, example: str, directory: Path) -> Path:
    """The example file with its two URLs pointed at ``url``: nothing else changes."""
    text = (EXAMPLES / example).read_text(encoding="utf-8")
    assert text.count(EXAMPLE_URL) >= 2
    path = directory / example
    path.write_text(text.replace(EXAMPLE_URL, url), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def private_cache(monkeypatch, tmp_path_factory):
    monkeypatch.setenv("NETSUITE_CLIENT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


def active(records: list[dict]) -> list[dict]:
    return [r for r in records if not r.get("isInactive")]


def expected_import(mock, name: str) -> tuple[str, list[dict]]:
    """(record type, records) that the import should return, by brute force over the store."""
    records = lambda record_type: admin_records(mock, record_type)  # noqa: E731
    return {
        "currencies": ("Currency", records("currency")),
        "inventory_items": ("InventoryItem", active(records("inventoryItem"))),
        "vendor_bills": ("VendorBill", records("vendorBill")),
        "vendors": ("Vendor", active(records("vendor"))),
        "one_purchase_order": ("PurchaseOrder", [r for r in records("purchaseOrder")
                                                 if r.get("tranId") == "PO-1001"]),
        "locations": ("Location", records("location")),
        "subsidiaries": ("Subsidiary", active(records("subsidiary"))),
        "item_receipts": ("ItemReceipt", records("itemReceipt")),
        "purchase_orders": ("PurchaseOrder", records("purchaseOrder")),
    }[name]


def run(capsys, *args) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("name", [n for n in IMPORTS if n != "purchase_orders_with_receipts"])
def test_import_example(capsys, mock, tmp_path, name):
    settings = pointed_at(mock.url, "settings-import.json", tmp_path)
    status, out, err = run(capsys, "run", settings, "--secrets", EXAMPLES / "secrets.json",
                           "--out", tmp_path / "out", "--only", name,
                           "--set", f"last_modified_date={SINCE}")
    assert status == 0, out + err
    lines = read_lines(tmp_path / "out" / f"{name}.jsonl")
    ns_type, expected = expected_import(mock, name)
    assert expected, f"the demo data has nothing for {name}"
    assert sorted(line["internalId"] for line in lines) == sorted(r["internalId"]
                                                                  for r in expected)
    assert {line["_ns_type"] for line in lines} == {ns_type}


def test_import_example_advanced_search_rows(capsys, mock, tmp_path):
    settings = pointed_at(mock.url, "settings-import.json", tmp_path)
    status, out, err = run(capsys, "run", settings, "--secrets", EXAMPLES / "secrets.json",
                           "--out", tmp_path / "out", "--only", "purchase_orders_with_receipts")
    assert status == 0, out + err
    rows = read_lines(tmp_path / "out" / "purchase_orders_with_receipts.jsonl")
    orders = {r["tranId"] for r in admin_records(mock, "purchaseOrder")}
    assert orders
    assert {row["_ns_type"] for row in rows} == {"TransactionSearchRow"}
    assert {row["basic"]["tranId"][0]["searchValue"] for row in rows} == orders


def test_date_filtered_imports_page_through_what_a_brute_force_filter_finds(capsys, mock,
                                                                            tmp_path):
    """Records touched after ``last_modified_date``, fetched 5 a page: exactly those, across
    pages, for the example's date-filtered imports."""
    admin = MockAdmin(mock.url)
    since = admin.advance_clock(86400)["now"]
    try:
        with make_client(mock, WsdlCache(disk=False)) as client:
            for internal_id in ("101", "102", "103", "104", "105", "106", "107"):
                client.call("update", {"_ns_type": "Vendor", "internalId": internal_id,
                                       "comments": "touched"})
            for internal_id in ("501", "503"):
                client.call("update", {"_ns_type": "VendorBill", "internalId": internal_id,
                                       "memo": "touched"})
        config = load_jsonc(pointed_at(mock.url, "settings-import.json", tmp_path))
        for job in config["import_configs"]:
            headers = job["payload"].setdefault("method_headers", {})
            headers.setdefault("searchPreferences", {})["pageSize"] = 5
        settings = tmp_path / "paged.json"
        settings.write_text(json.dumps(config), encoding="utf-8")
        status, out, err = run(capsys, "run", settings, "--secrets", EXAMPLES / "secrets.json",
                               "--out", tmp_path / "out", "--only", "vendors", "--only",
                               "vendor_bills", "--set", f"last_modified_date={since}")
        assert status == 0, out + err
        assert "vendors: 7 records, 2 pages" in out
        for name, record_type in (("vendors", "vendor"), ("vendor_bills", "vendorBill")):
            fetched = [line["internalId"] for line in read_lines(tmp_path / "out" /
                                                                   f"{name}.jsonl")]
            expected = [r["internalId"] for r in admin_records(mock, record_type)
                        if r["lastModifiedDate"] >= since and not r.get("isInactive")]
            assert sorted(fetched) == sorted(expected) and len(fetched) == len(set(fetched))
        assert len(fetched) == 2
    finally:
        admin.reset_clock()


def test_the_placeholder_filters(capsys, mock, tmp_path):
    settings = pointed_at(mock.url, "settings-import.json", tmp_path)
    status, out, err = run(capsys, "run", settings, "--secrets", EXAMPLES / "secrets.json",
                           "--out", tmp_path / "out", "--only", "vendors",
                           "--set", "last_modified_date=2999-01-01T00:00:00Z")
    assert status == 0, out + err
    assert read_lines(tmp_path / "out" / "vendors.jsonl") == []


def test_export_example(capsys, mock, tmp_path):
    settings = pointed_at(mock.url, "settings-export.json", tmp_path)
    for _ in range(2):  # an upsert: running it again updates the same bill
        status, out, err = run(capsys, "run", settings, "--secrets", EXAMPLES / "secrets.json",
                               "--out", tmp_path / "out")
        assert status == 0, out + err
    bill, = [b for b in admin_records(mock, "vendorBill") if b.get("externalId") == "rossum-0001"]
    assert bill["tranId"] == "INV-2024-0001"
    assert bill["entity"]["internalId"] == "101"
    assert bill["userTotal"] == 77.5  # 3 x 12.50 widgets + 40.00 freight
    line, = read_lines(tmp_path / "out" / "exports.jsonl")
    assert line["response"]["baseRef"]["internalId"] == bill["internalId"]


# -- the "done when": the real commands, only the URLs changed --------------------------
@pytest.fixture
def served():
    """``netsuite-mock serve --seed demo`` in its own process."""
    process = start("--seed", "demo")
    yield process
    process.process.terminate()
    process.process.wait(timeout=10)


def netsuite_client(*args, cwd: Path) -> subprocess.CompletedProcess:
    command = Path(sys.executable).with_name("netsuite-client")
    argv = [str(command)] if command.exists() else [sys.executable, "-m", "client"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETSUITE_")}
    env["NETSUITE_CLIENT_CACHE_DIR"] = str(cwd / "cache")
    return subprocess.run(argv + [str(a) for a in args], capture_output=True, text=True,
                          timeout=300, cwd=cwd, env=env)


def test_export_example_with_the_real_commands(served, tmp_path):
    settings = pointed_at(served.url, "settings-export.json", tmp_path)
    done = netsuite_client("run", settings, "--secrets", EXAMPLES / "secrets.json",
                           "--out", "data", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "export 1 (upsert VendorBill rossum-0001): ok" in done.stdout
    assert json.loads((tmp_path / "data" / "exports.jsonl").read_text())["response"][
        "status"]["isSuccess"] is True


def test_import_example_with_the_real_commands(served, tmp_path):
    settings = pointed_at(served.url, "settings-import.json", tmp_path)
    done = netsuite_client("run", settings, "--secrets", EXAMPLES / "secrets.json",
                           "--out", "data", "--set", f"last_modified_date={SINCE}",
                           cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(p.stem for p in (tmp_path / "data").glob("*.jsonl")) == sorted(IMPORTS)
    assert f"{len(IMPORTS)} of {len(IMPORTS)} done" in done.stdout
