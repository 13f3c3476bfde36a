"""The admin API and its Python client: journal, audit, records, seeds, snapshots, reset."""

from __future__ import annotations

import json

import pytest
import requests

from mockserver.admin_client import AdminApiError, MockAdmin
from tests.conftest import GET_VENDOR_101, envelope, passport_xml, post_soap

pytestmark = pytest.mark.server


@pytest.fixture
def admin(mock):
    admin = MockAdmin(mock.url)
    admin.clear_journal()
    return admin


def test_journal_records_each_exchange_with_secrets_redacted(ns, admin):
    ns.call("get", baseRef=ns.ref("vendor", "101"))
    ns.call("get", baseRef=ns.ref("vendor", "999"))
    entries = admin.journal()
    assert [(e["operation"], e["outcome"], e["codes"], e["record_types"], e["http_status"])
            for e in entries] == [("get", "success", [], ["vendor"], 200),
                                  ("get", "error", ["RCRD_DSNT_EXIST"], ["vendor"], 200)]
    assert entries[0]["account"] == "1234567_SB1" and entries[0]["integration"] == "netsuite-mock"
    assert entries[0]["duration_ms"] >= 0
    full = admin.journal_entry(entries[0]["id"])
    assert "Acme Supplies Inc." in full["response"]
    assert "<ns0:tokenPassport" in full["request"] or "tokenPassport" in full["request"]
    s = ns.settings
    for secret in (s.consumer_key, s.token_id, s.consumer_secret, s.token_secret):
        assert secret not in full["request"] and secret not in full["response"]
    assert "[redacted]" in full["request"]


def test_journal_keeps_faults_and_failed_logins(mock, admin):
    post_soap(mock, envelope(GET_VENDOR_101))                       # no passport
    post_soap(mock, b"<not soap")
    entries = admin.journal()
    assert [(e["outcome"], e["codes"], e["http_status"]) for e in entries] == [
        ("fault", ["USER_ERROR"], 500),
        ("fault", [entries[1]["codes"][0]], 500)]
    assert entries[1]["codes"][0].startswith("org.xml.sax.SAXParseException")


def test_journal_paging(ns, admin):
    for _ in range(3):
        ns.call("getServerTime")
    entries = admin.journal()
    assert [e["id"] for e in admin.journal(since=entries[0]["id"])] == [e["id"]
                                                                        for e in entries[1:]]
    assert len(admin.journal(limit=1)) == 1


def test_audit_trail_over_the_api(ns, admin):
    ns.call("getServerTime")
    assert admin.audit()[-1]["status"] == "Success"


def test_browse_records(admin):
    counts = admin.records()
    assert counts["vendor"] == 12
    vendors = admin.records("vendor")
    assert {v["internalId"] for v in vendors} >= {"101", "112"}
    one = admin.records("vendor", "101")
    assert one["companyName"] == "Acme Supplies Inc."
    assert one["dateCreated"].endswith("+00:00")
    with pytest.raises(AdminApiError, match="no vendor 9999"):
        admin.records("vendor", "9999")
    with pytest.raises(AdminApiError, match="unknown record type"):
        admin.records("spaceship")


def test_snapshot_export_and_import_round_trip(ns, admin):
    ns.call("add", record=ns.type("ns13:Vendor")(companyName="Snapshotted", externalId="SNAP-1",
                                                  subsidiary=ns.ref(internal_id="1")))
    ns.call("delete", baseRef=ns.ref("vendor", "105"))
    snapshot = admin.snapshot()
    assert snapshot["format"] == "netsuite-mock-snapshot/1"
    admin.reset()
    assert not any(v["externalId"] == "SNAP-1" for v in admin.records("vendor"))
    admin.restore(snapshot)
    assert any(v["externalId"] == "SNAP-1" for v in admin.records("vendor"))
    got = ns.call("get", baseRef=ns.ref("vendor", external_id="SNAP-1")).body.readResponse
    assert got.record.companyName == "Snapshotted" and got.record.dateCreated is not None
    assert ns.call("get", baseRef=ns.ref("vendor", "105")).body.readResponse.status.isSuccess \
        is False
    # the id sequence carries on where the snapshot left it
    new = ns.call("add", record=ns.type("ns13:Vendor")(
        companyName="After restore", subsidiary=ns.ref(internal_id="1"))).body.writeResponse
    assert int(new.baseRef.internalId) > int(got.record.internalId)
    with pytest.raises(AdminApiError, match="not a netsuite-mock snapshot"):
        admin.restore({"records": {}})


def test_load_seed_adds_records(admin):
    added = admin.load_seed({"records": [{"recordType": "vendor", "externalId": "SEEDED",
                                          "companyName": "Seeded Co",
                                          "subsidiary": {"externalId": "SUB-US"}}]})
    assert added["added"] == 1 and admin.records()["vendor"] == 13
    with pytest.raises(AdminApiError, match="Invalid subsidiary reference key NOPE"):
        admin.load_seed({"records": [{"recordType": "vendor", "companyName": "X",
                                      "subsidiary": {"externalId": "NOPE"}}]})


def test_reset_with_another_seed(admin):
    assert admin.reset("none")["records"] == {"1234567_SB1": 0}
    assert admin.records() == {}
    admin.reset("demo")
    assert admin.records()["vendor"] == 12


def test_unknown_routes_and_bad_bodies(mock):
    assert requests.get(mock.url + "/__admin/nothing", timeout=10).status_code == 404
    assert requests.delete(mock.url + "/__admin/health", timeout=10).status_code == 404
    bad = requests.post(mock.url + "/__admin/rules", data=b"{not json", timeout=10,
                        headers={"Content-Type": "application/json"})
    assert bad.status_code == 400 and "not JSON" in bad.json()["error"]
    assert requests.get(mock.url + "/__admin/journal?since=x", timeout=10).status_code == 400


def test_governance_over_the_api(admin):
    state = admin.governance()["1234567_SB1"]
    assert (state["limit"], state["inFlight"], state["tbaEnabled"]) == (5, 0, True)
    assert state["integrations"] == [{"name": "netsuite-mock", "state": "enabled", "limit": 5,
                                      "limitType": "_account", "inFlight": 0}]


def _outward_address() -> str | None:
    """This machine's address on a non-loopback interface, if it has one."""
    import socket
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_admin_answers_only_on_this_machine_without_a_token():
    from mockserver.config import MockSettings
    from mockserver.server import MockServer
    address = _outward_address()
    if address is None:
        pytest.skip("this machine has no non-loopback address to test from")
    with MockServer(MockSettings(host="0.0.0.0", port=0, seed="none")) as server:
        outside = f"http://{address}:{server.port}"
        refused = requests.get(outside + "/__admin/journal", timeout=10)
        assert refused.status_code == 403 and "--admin-token" in refused.json()["error"]
        assert requests.get(outside + "/wsdl/v2024_1_0/netsuite.wsdl", timeout=10).ok
        assert requests.get(f"http://127.0.0.1:{server.port}/__admin/health", timeout=10).ok


def test_admin_token_protects_the_api_and_the_dashboard():
    from mockserver.config import MockSettings
    from mockserver.server import MockServer
    with MockServer(MockSettings(port=0, seed="none", admin_token="s3cret")) as server:
        assert requests.get(server.url + "/__admin/health", timeout=10).status_code == 401
        assert requests.get(server.url + "/__admin/ui", timeout=10).status_code == 401
        assert MockAdmin(server.url, token="s3cret").health()["status"] == "ok"
        page = requests.get(server.url + "/__admin/ui?token=s3cret", timeout=10)
        assert page.ok and "netsuite-mock dashboard" in page.text
        with pytest.raises(AdminApiError, match="needs its token"):
            MockAdmin(server.url, token="wrong").health()


@pytest.mark.parametrize("header, status", [("bearer s3cret", 200), ("BEARER s3cret", 200),
                                            ("Bearer  s3cret", 200), ("Basic s3cret", 401),
                                            ("Bearers3cret", 401), ("bearer wrong", 401)])
def test_the_bearer_scheme_is_case_insensitive(header, status):
    from mockserver.config import MockSettings
    from mockserver.server import MockServer
    with MockServer(MockSettings(port=0, seed="none", admin_token="s3cret")) as server:
        response = requests.get(server.url + "/__admin/health", timeout=10,
                                headers={"Authorization": header})
        assert response.status_code == status, response.text


# -- web pages cannot use the admin API ---------------------------------------------------------
FAULT_RULE = json.dumps({"action": {"kind": "fault", "fault": "UnexpectedErrorFault"}})


def test_a_rebound_web_page_cannot_add_a_rule(mock):
    """The request a page on evil.example makes once its name resolves to 127.0.0.1."""
    refused = requests.post(mock.url + "/__admin/rules", data=FAULT_RULE, timeout=10,
                            headers={"Content-Type": "text/plain", "Origin": "http://evil.example",
                                     "Host": "evil.example"})
    assert refused.status_code == 403 and "addressed to this machine" in refused.json()["error"]
    assert MockAdmin(mock.url).rules() == []


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.evil.example",
                                  "localhost.evil.example:{port}", "[::2]:{port}", "", "a b"])
def test_reads_addressed_to_another_name_are_refused_without_a_token(mock, host):
    response = requests.get(mock.url + "/__admin/journal", timeout=10,
                            headers={"Host": host.format(port=mock.port)})
    assert response.status_code == 403, response.text
    assert "addressed to this machine" in response.json()["error"]


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST",
                                  "[::1]:{port}", "127.0.0.2", "dashboard.localhost:{port}"])
def test_loopback_names_reach_the_admin_api(mock, host):
    response = requests.get(mock.url + "/__admin/health", timeout=10,
                            headers={"Host": host.format(port=mock.port)})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://127.0.0.1:1",
                                    "https://127.0.0.1:{port}", "http://localhost:{port}",
                                    "not a url"])
def test_changes_from_another_origin_are_refused(mock, origin):
    admin = MockAdmin(mock.url)
    clock = requests.get(mock.url + "/__admin/clock", timeout=10).json()["offsetSeconds"]
    for method, path in (("POST", "rules"), ("POST", "reset"), ("DELETE", "journal"),
                         ("POST", "clock")):
        response = requests.request(method, f"{mock.url}/__admin/{path}", timeout=10,
                                    json={"advance": 60} if path == "clock" else None,
                                    headers={"Origin": origin.format(port=mock.port)})
        assert response.status_code == 403, (method, path, response.text)
        assert "another web origin" in response.json()["error"]
    assert admin.rules() == []
    assert requests.get(mock.url + "/__admin/clock", timeout=10).json()["offsetSeconds"] == clock


def test_changes_from_the_dashboards_own_origin_are_served(mock):
    response = requests.post(mock.url + "/__admin/rules", data=FAULT_RULE, timeout=10,
                             headers={"Content-Type": "application/json; charset=utf-8",
                                      "Origin": mock.url})
    assert response.status_code == 200, response.text
    assert requests.delete(mock.url + "/__admin/rules", timeout=10,
                           headers={"Origin": mock.url}).ok


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", None,
                                          "application/jsonp"])
def test_change_bodies_must_be_json(mock, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    for path in ("rules", "reset", "seed", "snapshot", "clock"):
        response = requests.post(f"{mock.url}/__admin/{path}", data=FAULT_RULE.encode(),
                                 headers=headers, timeout=10)
        assert response.status_code == 415, (path, response.text)
        assert "application/json" in response.json()["error"]
    assert MockAdmin(mock.url).rules() == []


def test_a_change_without_a_body_needs_no_type(mock):
    """``curl -X POST …/__admin/reset``: nothing a page could smuggle in a body."""
    assert requests.post(mock.url + "/__admin/reset", timeout=30).ok


def test_the_token_in_the_query_string_opens_only_the_dashboard():
    from mockserver.config import MockSettings
    from mockserver.server import MockServer
    with MockServer(MockSettings(port=0, seed="none", admin_token="s3cret")) as server:
        for method, path in (("GET", "health"), ("GET", "journal"), ("POST", "reset"),
                             ("DELETE", "rules"), ("GET", "ui/x")):
            response = requests.request(method, f"{server.url}/__admin/{path}?token=s3cret",
                                        timeout=10)
            assert response.status_code == 401, (method, path)
            assert "only to open the dashboard" in response.json()["error"]
        assert requests.get(server.url + "/__admin/ui?token=s3cret", timeout=10).ok
        # with the token, the mock may be reached by any name (a container's, a proxy's) ...
        admin = MockAdmin(server.url, token="s3cret")
        admin.session.headers["Host"] = "mock.ci.internal"
        assert admin.health()["status"] == "ok"
        # ... and still not changed from another origin
        admin.session.headers["Origin"] = "http://evil.example"
        with pytest.raises(AdminApiError, match="another web origin"):
            admin.reset()


@pytest.mark.parametrize("path, body, message", [
    ("seed", '{"seed": 5}', "a seed is demo, none or the path of a JSON file, not 5"),
    ("reset", '{"seed": {"records": []}}', "a seed is demo, none or the path of a JSON file"),
    ("snapshot", '{"format": "netsuite-mock-snapshot/1", "records": 5}', "snapshot is damaged"),
    ("clock", '{"advance": 1e308}', "the clock cannot move 1e+308 seconds"),
    ("clock", '{"advance": NaN}', "the clock cannot move nan seconds"),
    ("clock", '{"set": 5}', "bad clock request: not a date-time"),
    ("rules", '{"action": {"kind": "http", "status": "x"}}', "http action's status is a number"),
    ("rules", '{"action": {"kind": "delay", "ms": "x"}}', "delay action's ms is a number"),
    ("rules", '{"action": {"kind": "truncate", "bytes": 1.5}}', "truncate action's bytes is a"),
    ("rules", '{"action": {"kind": "fault", "fault": ""}}', "a fault action names its fault"),
    ("rules", '{"action": {"kind": "fault", "fault": 5}}', "a fault action's fault is text"),
    ("rules", '{"seed": [1], "action": {"kind": "delay", "ms": 1}}', "rule seed is a whole"),
])
def test_bad_values_get_a_400_that_says_why(mock, path, body, message):
    response = requests.post(f"{mock.url}/__admin/{path}", data=body, timeout=30,
                             headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert message in response.json()["error"]
    assert MockAdmin(mock.url).rules() == []
    ok = post_soap(mock, envelope(GET_VENDOR_101, passport_xml(mock.settings)))  # clock intact
    assert ok.status_code == 200 and b"Acme Supplies Inc." in ok.content


def test_a_scenario_files_rules_are_loaded_all_or_none(mock, ns, admin):
    head = 'seed = "demo"\nseed_value = 7\n\n[[accounts]]\naccount = "X"\n\n'
    rule = ('[[rules]]\nname = "flaky gets"\noperation = "get"\nprobability = 1.0\n'
            'action = { kind = "fault", fault = "UnexpectedErrorFault" }\n')
    scenario = head + rule
    try:
        loaded = admin.load_scenario(scenario)
        assert [(r["name"], r["seed"]) for r in loaded["rules"]] == [("flaky gets", 7)]
        assert loaded["needsRestart"] == ["accounts", "seed", "seed_value"]
        assert [r["name"] for r in admin.rules()] == ["flaky gets"]
        typo = head + rule.replace('"get"', '"gett"') + rule.replace("flaky", "other")
        response = requests.post(mock.url + "/__admin/scenario", json={"toml": typo},
                                 timeout=10)
        assert response.status_code == 400
        assert response.json()["error"] == (
            "[[rules]] number 1 ('flaky gets'): unknown operation 'gett' (did you mean 'get' or "
            "'getList' or 'getAll'?): the rule could never match")
        assert [r["name"] for r in admin.rules()] == ["flaky gets"]   # none of the two added
        with pytest.raises(AdminApiError, match="invalid TOML"):
            admin.load_scenario("[[rules]\n")
    finally:
        admin.clear_rules()


def test_a_rule_is_turned_on_and_off_only_by_a_boolean(mock, admin):
    rule = admin.add_rule({"operation": "get",
                           "action": {"kind": "fault", "fault": "UnexpectedErrorFault"}})
    try:
        assert admin.enable_rule(rule["id"], False)["enabled"] is False
        response = requests.patch(f"{mock.url}/__admin/rules/{rule['id']}",
                                  json={"enabled": "no"}, timeout=10)
        assert response.status_code == 400 and "enabled" in response.json()["error"]
        assert [r["enabled"] for r in admin.rules()] == [False]
    finally:
        admin.clear_rules()
