"""``client.NetSuiteClient`` against a real mock over HTTP: calls by name with dicts or zeep
objects, headers, JSON results, fresh passports, typed errors, and requests it refuses to build."""

from __future__ import annotations

import socket
import threading

import pytest
import zeep
from lxml import etree
from zeep.plugins import HistoryPlugin

from client import (ConnectionFailed, LoginError, NetSuiteClient, NetSuiteFault, RecordError,
                    RequestError, to_json)
from client.config import ConfigError
from client.governance import RetryPolicy
from client.objects import NetSuiteTypes
from tests.client_helpers import (VENDOR_101, VENDOR_BILL, make_client, secrets_for,  # noqa: F401
                                  settings_for, wsdl_cache)
from tests.conftest import CORE, REAL_WSDL_DIR, last_audit, requires_shared

pytestmark = pytest.mark.server


@pytest.fixture
def nsc(mock, wsdl_cache) -> NetSuiteClient:  # noqa: F811
    with make_client(mock, wsdl_cache) as client:
        yield client


# -- calls -----------------------------------------------------------------------------------------
def test_get_with_a_dict_positional_or_named_or_a_zeep_object(nsc):
    by_dict = nsc.call("get", VENDOR_101)
    by_name = nsc.call("get", baseRef=VENDOR_101)
    by_zeep = nsc.call("get", nsc.type("RecordRef")(type="vendor", internalId="101"))
    for result in (by_dict, by_name, by_zeep):
        assert result.status.isSuccess is True
        assert result.record.companyName == "Acme Supplies Inc."
        assert result.record.internalId == "101"


def test_results_as_plain_json_name_their_types(nsc):
    result = nsc.call("get", VENDOR_101, as_json=True)
    assert result["_ns_type"] == "ReadResponse"
    assert result["status"] == {"isSuccess": True}
    record = result["record"]
    assert record["_ns_type"] == "Vendor"      # the field declares Record; the value is a Vendor
    assert record["companyName"] == "Acme Supplies Inc."
    assert record["subsidiary"] == {"name": "Honeycomb Holdings Inc.", "internalId": "1"}
    assert "_ns_type" not in record["subsidiary"]  # a RecordRef where a RecordRef is declared
    assert all(value is not None for value in record.values())
    assert isinstance(record["lastModifiedDate"], str)


def test_json_output_goes_back_in_as_input(nsc):
    vendor = nsc.call("get", VENDOR_101).record
    as_json = to_json(vendor)
    rebuilt = nsc.build(as_json)
    assert to_json(rebuilt) == as_json


def test_write_operations_with_nested_lists_and_headers(nsc):
    added = nsc.call("add", VENDOR_BILL, headers={"preferences": {"warningAsError": False}})
    assert added.status.isSuccess is True
    internal_id = added.baseRef.internalId
    bill = nsc.call("get", {"_ns_type": "RecordRef", "type": "vendorBill",
                            "internalId": internal_id}, as_json=True)["record"]
    assert bill["_ns_type"] == "VendorBill"
    assert bill["itemList"]["item"][0]["quantity"] == 3
    assert bill["itemList"]["item"][0]["amount"] == 37.5
    assert bill["expenseList"]["expense"][0]["memo"] == "Freight"

    updated = nsc.call("update", {"_ns_type": "VendorBill", "internalId": internal_id,
                                  "memo": "checked"})
    assert updated.baseRef.internalId == internal_id
    upserted = nsc.call("upsert", {**VENDOR_BILL, "memo": "again"}, as_json=True)
    assert upserted["baseRef"]["internalId"] == internal_id  # same externalId: an update
    deleted = nsc.call("delete", {"_ns_type": "RecordRef", "type": "vendorBill",
                                  "internalId": internal_id})
    assert deleted.status.isSuccess is True
    with pytest.raises(RecordError):
        nsc.call("get", {"_ns_type": "RecordRef", "type": "vendorBill",
                         "internalId": internal_id})


def test_platform_operations_without_arguments(nsc):
    assert nsc.call("getServerTime").serverTime is not None
    governance = nsc.call("getAccountGovernanceInfo", as_json=True)
    assert governance["accountConcurrencyLimit"] == 5


def test_raw_response_keeps_documentinfo(nsc):
    raw = nsc.call("get", VENDOR_101, raw=True)
    assert raw.header.documentInfo.nsId.startswith("WEBSERVICES_1234567_SB1_")


def test_every_request_carries_a_fresh_signed_passport(nsc):
    history = HistoryPlugin(maxlen=5)
    nsc.zeep.plugins.append(history)
    nsc.call("get", VENDOR_101)
    first = history.last_sent["envelope"]
    nsc.call("get", VENDOR_101)
    second = history.last_sent["envelope"]

    def passport(envelope):
        node = envelope.find(f".//{{{CORE}}}nonce/..")
        return {etree.QName(child).localname: child.text for child in node}, node

    (one, node), (two, _) = passport(first), passport(second)
    assert one["account"] == "1234567_SB1"
    assert one["nonce"] != two["nonce"]
    assert 6 <= len(one["nonce"]) <= 64 and one["nonce"].isalnum()
    assert node.find(f"{{{CORE}}}signature").get("algorithm") == "HMAC-SHA256"


def test_a_process_builds_the_zeep_client_once_per_wsdl(mock, wsdl_cache):  # noqa: F811
    first = make_client(mock, wsdl_cache)
    second = make_client(mock, wsdl_cache)
    assert second.wsdl.source == "memory"
    assert second.zeep.wsdl is first.zeep.wsdl
    assert second.zeep.transport is not first.zeep.transport


def test_create_service_for_another_url(nsc, mock):
    service = nsc.create_service(
        "{urn:platform_2024_1.webservices.netsuite.com}NetSuiteBinding", mock.service_url)
    assert service._binding_options["address"] == mock.service_url
    with pytest.raises(ConfigError, match="not in the WSDL"):
        nsc.create_service("{urn:nope}NetSuiteBinding", mock.service_url)


# -- typed errors ------------------------------------------------------------------------------------
def test_login_failure_is_a_login_error(mock, wsdl_cache):  # noqa: F811
    with make_client(mock, wsdl_cache, secrets={"token_secret": "wrong"}) as client:
        with pytest.raises(LoginError) as raised:
            client.call("get", VENDOR_101)
    error = raised.value
    assert (error.code, error.message, error.fault) == (
        "USER_ERROR", "Invalid login attempt.", "invalidCredentialsFault")
    assert error.operation == "get"
    assert last_audit(mock)["detail"] == "InvalidSignature"


def test_wrong_account_case_is_a_login_error(mock, wsdl_cache):  # noqa: F811
    with make_client(mock, wsdl_cache, account="1234567_sb1") as client:
        with pytest.raises(LoginError):
            client.call("getServerTime")


def test_failed_status_is_a_record_error_with_code_and_message(nsc):
    with pytest.raises(RecordError) as raised:
        nsc.call("get", {"_ns_type": "RecordRef", "type": "vendor", "internalId": "999"})
    error = raised.value
    assert (error.code, error.message) == ("RCRD_DSNT_EXIST", "That record does not exist.")
    assert error.details == [{"type": "ERROR", "code": "RCRD_DSNT_EXIST",
                              "message": "That record does not exist."}]
    assert error.ns_id.startswith("WEBSERVICES_")
    assert str(error) == "get: RCRD_DSNT_EXIST: That record does not exist."


def test_failed_write_is_a_record_error(nsc):
    with pytest.raises(RecordError) as raised:
        nsc.call("add", {**VENDOR_BILL, "subsidiary": {"_ns_type": "RecordRef",
                                                        "type": "subsidiary", "internalId": "9"}})
    assert raised.value.code == "INVALID_KEY_OR_REF"
    assert raised.value.message == "Invalid subsidiary reference key 9."


def test_check_false_returns_the_failed_status(nsc):
    result = nsc.call("get", {"_ns_type": "RecordRef", "type": "vendor", "internalId": "999"},
                      check=False)
    assert result.status.isSuccess is False


def test_other_faults_carry_netsuites_code_and_message(nsc, unimplemented_operation):
    with pytest.raises(NetSuiteFault) as raised:
        nsc.call(unimplemented_operation)
    error = raised.value
    assert type(error) is NetSuiteFault
    assert error.code == "UNEXPECTED_ERROR"
    assert error.fault == "unexpectedErrorFault"
    assert unimplemented_operation in error.message


# -- connection errors: reads are retried, writes are not (unless never sent) -----------------------
class DroppingServer:
    """A TCP server that reads each request and closes the connection without answering."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.settimeout(2)
            try:
                data = b""
                while b"</soap-env:Envelope>" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
            except OSError:
                pass
            conn.close()

    def close(self):
        self.sock.close()


@pytest.fixture
def dropping_client(mock, wsdl_cache):  # noqa: F811
    server = DroppingServer()
    client = make_client(mock, wsdl_cache, service_url=f"http://127.0.0.1:{server.port}/services",
                         retry=RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.02))
    yield client, server
    client.close()
    server.close()


def test_a_read_whose_connection_drops_is_retried(dropping_client):
    client, server = dropping_client
    with pytest.raises(ConnectionFailed) as raised:
        client.call("get", VENDOR_101)
    assert raised.value.attempts == 3
    assert server.connections == 3
    assert raised.value.may_have_been_applied is False
    assert client.stats.retries == {"connection": 2}


def test_a_write_whose_connection_drops_is_not_sent_again(dropping_client):
    client, server = dropping_client
    with pytest.raises(ConnectionFailed) as raised:
        client.call("add", VENDOR_BILL)
    assert raised.value.attempts == 1
    assert server.connections == 1
    assert raised.value.may_have_been_applied is True
    assert "gave up" not in str(raised.value)


def test_retried_errors_say_how_often_they_were_tried(dropping_client):
    client, _ = dropping_client
    with pytest.raises(ConnectionFailed) as raised:
        client.call("get", VENDOR_101)
    assert str(raised.value).endswith("(gave up after 3 attempts)")
    assert "gave up" not in raised.value.message


def test_a_write_that_never_connected_is_retried(mock, wsdl_cache):  # noqa: F811
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there: connection refused
    with make_client(mock, wsdl_cache, service_url=f"http://127.0.0.1:{port}/services",
                     retry=RetryPolicy(max_attempts=2, base_delay=0.01)) as client:
        with pytest.raises(ConnectionFailed) as raised:
            client.call("add", VENDOR_BILL)
    assert raised.value.attempts == 2
    assert raised.value.may_have_been_applied is False


# -- requests the client refuses to build ----------------------------------------------------------
@pytest.mark.parametrize("operation, args, kwargs, headers, message", [
    ("gett", (VENDOR_101,), {}, None, "unknown operation 'gett' (did you mean get"),
    ("get", ({"_ns_type": "RecordReff", "internalId": "1"},), {}, None,
     "get.baseRef: unknown NetSuite type 'RecordReff' (did you mean RecordRef"),
    ("get", ({"_ns_type": "RecordRef", "typ": "vendor"},), {}, None,
     "get.baseRef: RecordRef has no field 'typ' (did you mean type?)"),
    ("get", ({"type": "vendor"},), {}, None,
     "get.baseRef: BaseRef has no field 'type'"),
    ("get", ({"_ns_type": "Vendor"},), {}, None,
     "get.baseRef: Vendor cannot stand where BaseRef is expected"),
    ("add", ({**VENDOR_BILL, "tranDate": "last tuesday"},), {}, None,
     "add.record.tranDate: expected an ISO 8601 date-time"),
    ("add", ({**VENDOR_BILL, "itemList": {"item": [{"quantity": "three"}]}},), {}, None,
     "add.record.itemList.item[0].quantity: expected a number"),
    ("add", ({**VENDOR_BILL, "entity": [VENDOR_101]},), {}, None,
     "add.record.entity: VendorBill.entity takes one value, not a list"),
    ("search", ({"_ns_type": "VendorSearchBasic", "isInactive": {"searchValue": "maybe"}},),
     {}, None, "search.searchRecord.isInactive.searchValue: expected true or false"),
    ("search", ({"isInactive": {"searchValue": False}},), {}, None,
     "SearchRecord is a base type: say which one with _ns_type"),
    ("get", (VENDOR_101, VENDOR_101), {}, None, "get takes 1 argument(s) (baseRef), 2 given"),
    ("get", (VENDOR_101,), {"baseRef": VENDOR_101}, None, "get: baseRef given twice"),
    ("get", (VENDOR_101,), {}, {"searchPreferences": {"pageSize": 5}},
     "get takes no 'searchPreferences' header"),
    ("get", (VENDOR_101,), {}, {"tokenPassport": {}}, "fresh tokenPassport"),
    ("search", ({"_ns_type": "VendorSearchBasic"},), {}, {"searchPreferences": {"pageSiz": 5}},
     "search searchPreferences: SearchPreferences has no field 'pageSiz'"),
])
def test_bad_requests_are_refused_before_sending(nsc, mock, operation, args, kwargs, headers,
                                                 message):
    before = nsc.stats.attempts
    with pytest.raises(RequestError) as raised:
        nsc.call(operation, *args, headers=headers, **kwargs)
    assert message in str(raised.value)
    assert nsc.stats.attempts == before


# -- recording hook --------------------------------------------------------------------------------
class ListRecorder:
    def __init__(self):
        self.seen = []

    def record(self, method, url, headers, body, response):
        self.seen.append((method, url, body, response.status_code, response.content))


def test_a_recorder_sees_every_soap_exchange_as_sent_and_received(mock, wsdl_cache):  # noqa: F811
    recorder = ListRecorder()
    with NetSuiteClient(settings_for(mock), secrets_for(mock), wsdl_cache=wsdl_cache,
                        recorder=recorder) as client:
        client.call("get", VENDOR_101)
        with pytest.raises(RecordError):
            client.call("get", {**VENDOR_101, "internalId": "999999"})
    assert [(m, url, status) for m, url, _, status, _ in recorder.seen] == [
        ("POST", client.settings.service_url, 200)] * 2
    assert all(b"tokenPassport>" in body for _, _, body, _, _ in recorder.seen)
    assert b'internalId="999999"' in recorder.seen[1][2]
    assert b"Acme Supplies Inc." in recorder.seen[0][4]


def test_record_to_without_a_cassette_recorder_installed_says_so(mock, monkeypatch, tmp_path):
    monkeypatch.setattr("client.recording.entry_points", lambda **_: ())
    path = tmp_path / "session.yaml"
    with pytest.raises(ConfigError, match="needs a cassette recorder"):
        NetSuiteClient(settings_for(mock), secrets_for(mock), record_to=str(path))
    assert not path.exists()


def test_missing_urls_are_config_errors(mock):
    with pytest.raises(ConfigError, match="wsdl_url is missing"):
        NetSuiteClient(settings_for(mock, wsdl_url=""), secrets_for(mock))


@requires_shared
def test_a_name_two_namespaces_share_is_resolved_by_the_field_or_refused():
    """NetSuite's WSDL has CurrencyRate in core (a structure) and in accounting (a record)."""
    types = NetSuiteTypes(zeep.Client(str(REAL_WSDL_DIR / "netsuite.wsdl")))
    record = types.get("Record")
    assert types.get("CurrencyRate", record).qname.namespace.startswith("urn:accounting_")
    with pytest.raises(RequestError, match="'CurrencyRate' is defined in several namespaces; "
                                           "name one: {urn:core_2024_1"):
        types.get("CurrencyRate")
    core = types.get("{urn:core_2024_1.platform.webservices.netsuite.com}CurrencyRate")
    assert core.qname.namespace.startswith("urn:core_")
    assert types.get("ns0:CurrencyRate") is core
