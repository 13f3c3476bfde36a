"""Recording sessions into cassettes (from the client, and with vcrpy), the SOAP-aware matcher,
and ``netsuite-mock replay``."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import zeep
from vcr.errors import CannotOverwriteExistingCassetteException

from client.cli import main as client_main
from client.errors import RecordError
from contracts.cassette import load, request_view, use_cassette
from contracts.replay import replay_server
from contracts.scrub import Scrubber, scan_paths
from mockserver.config import MockSettings
from mockserver.server import MockServer
from tests.conftest import BINDING, CORE, MSGS, SOAP_ENV

pytestmark = pytest.mark.server
ROOT = Path(__file__).resolve().parents[2]
VENDOR_101 = {"_ns_type": "RecordRef", "type": "vendor", "internalId": "101"}


def envelope(body: str, header: str = "", env: str = "soapenv", m: str = "m",
             c: str = "c") -> bytes:
    return (f'<{env}:Envelope xmlns:{env}="{SOAP_ENV}" xmlns:{m}="{MSGS}" xmlns:{c}="{CORE}" '
            f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<{env}:Header>{header}</{env}:Header><{env}:Body>{body}</{env}:Body>"
            f"</{env}:Envelope>").encode()


def get_body(m="m", c="c", internal_id="101") -> str:
    return (f'<{m}:get><{m}:baseRef internalId="{internal_id}" type="vendor" '
            f'xsi:type="{c}:RecordRef"/></{m}:get>')


# -- the matcher's view of a request -------------------------------------------------------------
def test_requests_match_whatever_their_prefixes_whitespace_and_credentials():
    a = envelope(get_body(), header='<m:tokenPassport><c:nonce>abc</c:nonce></m:tokenPassport>')
    b = envelope("\n  " + get_body(m="ns0", c="ns1").replace('internalId="101" type="vendor"',
                                                               'type="vendor"  internalId="101"')
                 + "\n", env="s", m="ns0", c="ns1",
                 header='<ns0:tokenPassport><ns1:nonce>xyz</ns1:nonce></ns0:tokenPassport>')
    assert request_view(a).key == request_view(b).key
    assert request_view(a).key != request_view(envelope(get_body(internal_id="102"))).key


def test_search_preferences_count_and_search_ids_do_not():
    more = '<m:searchMoreWithId><m:searchId>{}</m:searchId><m:pageIndex>2</m:pageIndex>' \
           '</m:searchMoreWithId>'
    prefs = '<m:searchPreferences><m:pageSize>{}</m:pageSize></m:searchPreferences>'
    one = request_view(envelope(more.format("WEBSERVICES_A_1"), prefs.format(5)))
    assert one.key == request_view(envelope(more.format("WEBSERVICES_B_2"), prefs.format(5))).key
    assert one.key != request_view(envelope(more.format("WEBSERVICES_A_1"), prefs.format(10))).key
    assert "messages:searchId = '[searchId]'" in "\n".join(one.lines)


# -- recording and replaying with vcrpy ------------------------------------------------------------
@pytest.fixture
def endpoint(netsuite_mock):
    return netsuite_mock.endpoint


def _scrubber(endpoint):
    return Scrubber.for_client(endpoint.settings, endpoint.secrets)


def test_a_recorded_session_replays_without_the_server_and_in_recorded_order(endpoint,
                                                                             tmp_path):
    path = tmp_path / "session.yaml"
    with endpoint.client() as client:
        with use_cassette(path, record_mode="once", scrubber=_scrubber(endpoint)):
            before = client.call("get", VENDOR_101).record.companyName
            client.call("update", {"_ns_type": "Vendor", "internalId": "101",
                                   "companyName": "Acme Renamed"})
            after = client.call("get", VENDOR_101).record.companyName
        assert (before, after) == ("Acme Supplies Inc.", "Acme Renamed")
        endpoint.admin.reset("none")   # the server no longer has vendor 101
        with use_cassette(path, record_mode="none", scrubber=_scrubber(endpoint)) as cassette:
            # two identical gets: the first recorded answer first, then the second
            assert client.call("get", VENDOR_101).record.companyName == "Acme Supplies Inc."
            client.call("update", {"_ns_type": "Vendor", "internalId": "101",
                                   "companyName": "Acme Renamed"})
            assert client.call("get", VENDOR_101).record.companyName == "Acme Renamed"
            assert cassette.all_played
        with pytest.raises(RecordError):   # and the live server really has nothing
            client.call("get", VENDOR_101)
    files, findings = scan_paths([path], known=tuple(vars(endpoint.secrets).values()))
    assert findings == []
    assert load(path).provenance["recorded_from_live_account"] is False


def test_a_request_that_matches_nothing_names_the_nearest_recording_with_a_diff(endpoint,
                                                                               tmp_path):
    path = tmp_path / "session.yaml"
    with endpoint.client() as client:
        with use_cassette(path, record_mode="once", scrubber=_scrubber(endpoint)):
            client.call("getServerTime")
            client.call("get", VENDOR_101)
            client.call("getAll", {"_ns_type": "GetAllRecord", "recordType": "currency"})
        with use_cassette(path, record_mode="none", scrubber=_scrubber(endpoint)):
            with pytest.raises(CannotOverwriteExistingCassetteException) as error:
                client.call("get", {**VENDOR_101, "internalId": "102"})
    message = str(error.value)
    assert "interaction #2 of 3 is the nearest" in message
    assert "-    messages:baseRef" in message and 'internalId="101"' in message
    assert "+    messages:baseRef" in message and 'internalId="102"' in message
    assert "getAll" not in message   # only the nearest is shown


def test_new_episodes_adds_requests_and_keeps_the_provenance(endpoint, tmp_path):
    path = tmp_path / "session.yaml"
    with endpoint.client() as client:
        with use_cassette(path, record_mode="once", scrubber=_scrubber(endpoint),
                          provenance={"source": "recorded", "note": "first"}):
            client.call("getServerTime")
        with use_cassette(path, record_mode="new_episodes", scrubber=_scrubber(endpoint)):
            client.call("getServerTime")
            client.call("get", VENDOR_101)
    cassette = load(path)
    assert [i.operation for i in cassette.interactions] == ["getServerTime", "get"]
    assert cassette.provenance["note"] == "first" and "updated_at" in cassette.provenance


# -- recording from the client -----------------------------------------------------------------
def test_the_client_records_to_a_cassette_with_no_secret_in_it(tmp_path):
    account = "7777777_SB1"
    creds = {name: secrets.token_hex(32) for name in
             ("consumer_key", "consumer_secret", "token_id", "token_secret")}
    with MockServer(MockSettings(port=0, seed="demo", account=account, log_level="warning",
                                 **creds)) as server:
        from contracts.endpoints import mock_endpoint
        endpoint = mock_endpoint(server)
        path = tmp_path / "client.yaml"
        with endpoint.client(record_to=str(path), record_fields=("email",)) as client:
            client.call("get", VENDOR_101)
            with pytest.raises(RecordError):
                client.call("get", {**VENDOR_101, "internalId": "999"})
    cassette = load(path)
    assert [i.operation for i in cassette.interactions] == ["get", "get"]
    assert [i.status for i in cassette.interactions] == [200, 200]
    text = path.read_text()
    assert account not in text and not any(v in text for v in creds.values())
    assert "<listRel:email>[scrubbed]</listRel:email>" in text
    assert "WEBSERVICES_ACCOUNT_ID_" in text
    assert scan_paths([path], known=tuple(creds.values()) + (account,))[1] == []
    assert cassette.provenance["recorded_with"] == "netsuite-client"


def test_netsuite_client_record_option(netsuite_mock, tmp_path, capsys):
    settings = tmp_path / "settings.json"
    secrets_file = tmp_path / "secrets.json"
    e = netsuite_mock.endpoint
    settings.write_text(json.dumps({"netsuite_settings": vars(e.settings)}))
    secrets_file.write_text(json.dumps(vars(e.secrets)))
    path = tmp_path / "cli.yaml"
    status = client_main(["call", "get", json.dumps(VENDOR_101), "--settings", str(settings),
                          "--secrets", str(secrets_file), "--record", str(path),
                          "--no-wsdl-cache"])
    assert status == 0 and "Acme Supplies Inc." in capsys.readouterr().out
    assert [i.operation for i in load(path).interactions] == ["get"]


# -- netsuite-mock replay --------------------------------------------------------------------------
def test_the_replay_server_serves_the_wsdl_and_the_recorded_answers(tmp_path, endpoint):
    path = tmp_path / "session.yaml"
    with endpoint.client(record_to=str(path)) as client:
        client.call("get", VENDOR_101)
        client.call("getAll", {"_ns_type": "GetAllRecord", "recordType": "currency"})
    with replay_server([load(path)], port=0) as server:
        client = zeep.Client(server.wsdl_url)   # any client: zeep from the replayed WSDL
        service = client.create_service(BINDING, server.service_url)
        passport = client.get_type("ns0:TokenPassport")(
            account="X", consumerKey="k", token="t", nonce="n" * 20, timestamp=1,
            signature=client.get_type("ns0:TokenPassportSignature")("s", algorithm="HMAC_SHA256"))
        ref = client.get_type("ns0:RecordRef")(internalId="101", type="vendor")
        got = service.get(baseRef=ref, _soapheaders={"tokenPassport": passport})
        assert got.body.readResponse.record.companyName == "Acme Supplies Inc."
        with pytest.raises(zeep.exceptions.Fault) as fault:   # played already
            service.get(baseRef=ref, _soapheaders={"tokenPassport": passport})
        assert "were all played already" in fault.value.message
        other = client.get_type("ns0:RecordRef")(internalId="102", type="vendor")
        with pytest.raises(zeep.exceptions.Fault) as fault:
            service.get(baseRef=other, _soapheaders={"tokenPassport": passport})
        assert "the nearest is interaction #1" in fault.value.message
        assert '+    messages:baseRef' in fault.value.message
        status = requests.get(server.url + "/__replay", timeout=10).json()
        assert [(i["operation"], i["played"]) for i in status["interactions"]] == [
            ("get", True), ("getAll", False)]
        requests.post(server.url + "/__replay/rewind", timeout=10)
        assert service.get(baseRef=ref, _soapheaders={"tokenPassport": passport}) \
            .body.readResponse.record.companyName == "Acme Supplies Inc."


def test_netsuite_mock_replay_command(tmp_path):
    port_probe = MockServer(MockSettings(port=0, log_level="warning"))
    port = port_probe.port
    port_probe.stop()
    process = subprocess.Popen(
        [sys.executable, "-m", "mockserver", "replay", str(ROOT / "recordings"), "--port",
         str(port), "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = process.stdout.readline()
        assert "interactions from 8 cassette(s)" in line
        deadline = time.time() + 20
        while True:
            try:
                wsdl = requests.get(f"http://127.0.0.1:{port}/wsdl/v2024_1_0/netsuite.wsdl",
                                    timeout=5)
                break
            except requests.ConnectionError:
                assert time.time() < deadline
                time.sleep(0.1)
        assert wsdl.status_code == 200 and b"NetSuiteBinding" in wsdl.content
        assert requests.get(f"http://127.0.0.1:{port}/__replay", timeout=5).json()["total"] == 13
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_netsuite_mock_replay_refuses_what_is_not_a_cassette(tmp_path, capsys):
    from mockserver.cli import main as mock_main
    bad = tmp_path / "bad.yaml"
    bad.write_text("just: text\n")
    assert mock_main(["replay", str(bad)]) == 2
    assert "not a cassette" in capsys.readouterr().err
    assert mock_main(["replay", str(tmp_path / "empty-dir-that-is-missing")]) == 2


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32"])
def test_the_replay_server_reads_no_doctype_in_any_encoding(tmp_path, endpoint, encoding):
    """A DOCTYPE naming a local file, in an encoding where ``<!DOCTYPE`` is not ASCII bytes:
    a SOAP fault, and nothing of the file in it."""
    path = tmp_path / "session.yaml"
    with endpoint.client(record_to=str(path)) as client:
        client.call("get", VENDOR_101)
    secret_file = tmp_path / "local-secret.txt"
    secret_file.write_text("LOCAL-FILE-MARKER")
    hostile = (f'<?xml version="1.0" encoding="{encoding}"?>'
               f'<!DOCTYPE e [<!ENTITY x SYSTEM "{secret_file.as_uri()}">]>'
               + envelope('<m:get><m:baseRef internalId="101" type="vendor" '
                          'xsi:type="c:RecordRef"><c:name>&x;</c:name></m:baseRef></m:get>'
                          ).decode()).encode(encoding)
    with replay_server([load(path)], port=0) as server:
        response = requests.post(server.service_url, data=hostile, timeout=10,
                                 headers={"Content-Type": "text/xml", "SOAPAction": "get"})
    assert response.status_code == 500 and b"Fault" in response.content
    assert b"LOCAL-FILE-MARKER" not in response.content
    assert "LOCAL-FILE-MARKER" not in response.content.decode("utf-8", "replace")
