"""The parsed WSDL on disk, keyed by content: a second process starts faster, and what it loads
works; a bad entry is replaced; a changed WSDL is a new entry."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import zeep
from lxml import etree

from client.wsdl_cache import WsdlCache, dumps, loads
from tests.client_helpers import make_client, settings_for, secrets_for
from tests.conftest import REAL_WSDL_DIR, ROOT, requires_shared

START_A_CLIENT = """
import json, sys, time
started = time.perf_counter()
from client.config import NetSuiteSecrets, NetSuiteSettings
from client.netsuite_client import NetSuiteClient
from client.wsdl_cache import WsdlCache
settings, secrets, cache_dir = json.loads(sys.argv[1])
client = NetSuiteClient(NetSuiteSettings.from_dict(settings), NetSuiteSecrets.from_dict(secrets),
                        wsdl_cache=WsdlCache(cache_dir))
ready = time.perf_counter() - started
vendor = client.call("get", {"_ns_type": "RecordRef", "type": "vendor", "internalId": "101"})
print(json.dumps({"source": client.wsdl.source, "wsdl_seconds": client.wsdl.seconds,
                  "ready_seconds": ready, "vendor": vendor.record.companyName}))
"""


def start_client_process(server, cache_dir) -> dict:
    settings = settings_for(server).__dict__
    secrets = {k: getattr(secrets_for(server), k) for k in secrets_for(server).ENV}
    done = subprocess.run([sys.executable, "-c", START_A_CLIENT,
                           json.dumps([settings, secrets, str(cache_dir)])],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.server
def test_second_process_starts_faster_from_the_disk_cache(mock, tmp_path):
    first = start_client_process(mock, tmp_path)
    second = start_client_process(mock, tmp_path)
    print(f"\nWSDL load: parsed {first['wsdl_seconds']:.3f}s, from disk "
          f"{second['wsdl_seconds']:.3f}s; process ready {first['ready_seconds']:.3f}s -> "
          f"{second['ready_seconds']:.3f}s")
    assert (first["source"], second["source"]) == ("parsed", "disk")
    assert first["vendor"] == second["vendor"] == "Acme Supplies Inc."  # the loaded WSDL works
    assert second["wsdl_seconds"] < first["wsdl_seconds"]
    assert len(list(tmp_path.glob("*.wsdl.pickle"))) == 1


@pytest.mark.server
def test_an_unreadable_entry_is_replaced(mock, tmp_path):
    cache = WsdlCache(tmp_path)
    make_client(mock, cache)
    entry, = tmp_path.glob("*.wsdl.pickle")
    entry.write_bytes(b"not a pickle")
    fresh = WsdlCache(tmp_path)  # a new process: nothing in memory
    client = make_client(mock, fresh)
    assert client.wsdl.source == "parsed"
    assert client.call("getServerTime").status.isSuccess
    assert entry.read_bytes() != b"not a pickle"
    assert make_client(mock, WsdlCache(tmp_path)).wsdl.source == "disk"


@pytest.mark.server
def test_the_cache_can_be_turned_off(mock, tmp_path, monkeypatch):
    monkeypatch.setenv("NETSUITE_CLIENT_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("NETSUITE_CLIENT_WSDL_CACHE", "off")
    client = make_client(mock, WsdlCache())
    assert client.wsdl.source == "parsed"
    assert not list(tmp_path.iterdir())
    monkeypatch.setenv("NETSUITE_CLIENT_WSDL_CACHE", "on")
    make_client(mock, WsdlCache())
    assert len(list(tmp_path.glob("*.wsdl.pickle"))) == 1


def test_the_key_is_the_content_and_the_zeep_and_python_versions(tmp_path):
    cache = WsdlCache(tmp_path)
    assert cache.key(b"<definitions/>") == cache.key(b"<definitions/>")
    assert cache.key(b"<definitions/>") != cache.key(b"<definitions />")


def test_old_entries_are_evicted(tmp_path):
    cache = WsdlCache(tmp_path, max_entries=2)
    for i in range(4):
        (tmp_path / f"{i}.wsdl.pickle").write_bytes(b"x")
        os.utime(tmp_path / f"{i}.wsdl.pickle", (1000 + i, 1000 + i))
    cache._evict()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2.wsdl.pickle", "3.wsdl.pickle"]


@requires_shared
def test_netsuites_own_wsdl_survives_the_round_trip():
    """NetSuite's published 2024_1 WSDL, pickled and loaded, serializes requests identically."""
    parsed = zeep.Client(str(REAL_WSDL_DIR / "netsuite.wsdl"))
    transport, settings = zeep.Transport(), zeep.Settings()
    loaded = zeep.Client(loads(dumps(parsed.wsdl), transport, settings), transport=transport,
                         settings=settings)

    def search_message(client):
        t = client.get_type
        record = t("ns19:TransactionSearchAdvanced")(
            criteria=t("ns19:TransactionSearch")(basic=t("ns5:TransactionSearchBasic")(
                type=t("ns0:SearchEnumMultiSelectField")(operator="anyOf",
                                                         searchValue=["_purchaseOrder"]))),
            columns=t("ns19:TransactionSearchRow")(basic=t("ns5:TransactionSearchRowBasic")(
                tranId=t("ns0:SearchColumnStringField")())))
        service = client.create_service(
            "{urn:platform_2024_1.webservices.netsuite.com}NetSuiteBinding", "http://x/")
        return etree.tostring(client.create_message(service, "search", searchRecord=record))

    assert search_message(loaded) == search_message(parsed)


@pytest.mark.server
@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_an_entry_others_can_write_is_not_unpickled(mock, tmp_path, caplog):
    """Unpickling runs what the file says: a shared, world-writable cache folder is refused."""
    shared = tmp_path / "shared-cache"
    shared.mkdir()
    make_client(mock, WsdlCache(shared))
    entry, = shared.glob("*.wsdl.pickle")
    shared.chmod(0o777)
    with caplog.at_level("WARNING", logger="netsuite_client"):
        client = make_client(mock, WsdlCache(shared))
    assert client.wsdl.source == "parsed" and client.call("getServerTime").status.isSuccess
    assert any("can be written by another user" in m for m in caplog.messages)
    shared.chmod(0o700)
    entry.chmod(0o666)
    assert make_client(mock, WsdlCache(shared)).wsdl.source == "parsed"
    entry.chmod(0o600)
    assert make_client(mock, WsdlCache(shared)).wsdl.source == "disk"
