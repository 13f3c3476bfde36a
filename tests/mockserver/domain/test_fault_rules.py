"""Fault rules: every trigger and every action, over HTTP, plus latency models and the timeout."""

from __future__ import annotations

import http.client
import time

import pytest
import requests
from lxml import etree
from zeep.exceptions import Fault, TransportError

from client.errors import fault_parts
from mockserver.admin_client import AdminApiError, MockAdmin
from mockserver.config import MockSettings
from mockserver.domain.latency import LatencyModel, LatencyPlan
from mockserver.server import MockServer
from suitetalk.config import ConfigError
from tests.conftest import GET_VENDOR_101, envelope, parse_fault, passport_xml, post_soap

pytestmark = pytest.mark.server


@pytest.fixture
def admin(mock):
    admin = MockAdmin(mock.url)
    admin.clear_rules()
    admin.clear_journal()
    yield admin
    admin.clear_rules()


def bill_ids(admin) -> set[str]:
    """externalIds of the vendor bills in the store (the demo data has some of its own)."""
    return {b.get("externalId") for b in admin.records("vendorBill")}


def get_vendor(ns, internal_id="101"):
    return ns.call("get", baseRef=ns.ref("vendor", internal_id)).body.readResponse


def upsert_bill(ns, external_id: str):
    T = ns.type
    bill = T("ns21:VendorBill")(externalId=external_id, entity=ns.ref(internal_id="101"),
                                expenseList=T("ns21:VendorBillExpenseList")(expense=[
                                    T("ns21:VendorBillExpense")(account=ns.ref(internal_id="58"),
                                                                amount=10.0)]))
    return ns.call("upsert", record=bill).body.writeResponse


UNEXPECTED = {"kind": "fault", "fault": "UnexpectedErrorFault"}


def get_outcomes(ns, count: int) -> list[str]:
    """"ok" or "fault" for each of ``count`` gets of vendor 101."""
    outcomes = []
    for _ in range(count):
        try:
            get_vendor(ns)
            outcomes.append("ok")
        except Fault:
            outcomes.append("fault")
    return outcomes


# -- actions --------------------------------------------------------------------------------
@pytest.mark.parametrize("fault, element, code", [
    ("ExceededRequestLimitFault", "exceededRequestLimitFault", "WS_CONCUR_SESSION_DISALLWD"),
    ("ExceededConcurrentRequestLimitFault", "exceededConcurrentRequestLimitFault",
     "WS_REQUEST_BLOCKED"),
    ("ExceededUsageLimitFault", "exceededUsageLimitFault", "USER_ERROR"),
    ("ExceededRecordCountFault", "exceededRecordCountFault", "MAX_RCRDS_EXCEEDED"),
    ("ExceededRequestSizeFault", "exceededRequestSizeFault", "USER_ERROR"),
    ("UnexpectedErrorFault", "unexpectedErrorFault", "UNEXPECTED_ERROR"),
    ("InvalidSessionFault", "invalidSessionFault", "SESSION_TIMED_OUT"),
    ("InsufficientPermissionFault", "insufficientPermissionFault", "INSUFFICIENT_PERMISSION"),
])
def test_fault_action_sends_netsuites_fault_xml(mock, admin, fault, element, code):
    rule = admin.add_rule({"operation": "get", "action": {"kind": "fault", "fault": fault}})
    response = post_soap(mock, envelope(GET_VENDOR_101, passport_xml(mock.settings)))
    got = parse_fault(response)
    assert (got["http_status"], got["faultcode"], got["element"], got["code"]) == (
        500, "soapenv:Server.userException", element, code)
    if fault == "UnexpectedErrorFault":  # NetSuite's captures: the Error ID only in the message
        assert got["faultstring"] == "An unexpected error occurred."
        assert got["message"].startswith("An unexpected error occurred. Error ID: ")
    else:
        assert got["faultstring"] == got["message"]
    assert got["hostname"]
    entry = admin.journal()[-1]
    assert (entry["outcome"], entry["codes"], entry["rule"]) == ("fault", [code], rule["name"])


def test_session_concurrency_fault_is_netsuites_exact_text(ns, admin):
    admin.add_rule({"action": {"kind": "fault", "fault": "ExceededRequestLimitFault"}})
    with pytest.raises(Fault) as raised:
        get_vendor(ns)
    assert raised.value.message == "Only one request may be made against a session at a time"


def test_unexpected_error_fault_carries_a_fresh_error_id(ns, admin):
    admin.add_rule({"action": UNEXPECTED})
    messages = set()
    for _ in range(2):
        with pytest.raises(Fault) as raised:
            get_vendor(ns)
        assert raised.value.message == "An unexpected error occurred."   # the faultstring
        messages.add(fault_parts(raised.value.detail)[2])
    assert len(messages) == 2
    assert all(m.startswith("An unexpected error occurred. Error ID: ") and
               len(m.rsplit(" ", 1)[1]) == 21 for m in messages)


def test_a_rules_own_message_is_also_its_faultstring(ns, admin):
    admin.add_rule({"action": dict(UNEXPECTED, message="Database unavailable")})
    with pytest.raises(Fault) as raised:
        get_vendor(ns)
    assert raised.value.message == "Database unavailable"
    assert fault_parts(raised.value.detail)[1:] == ("UNEXPECTED_ERROR", "Database unavailable")


def test_injected_insufficient_permission_fault_has_netsuites_text(ns, admin):
    admin.add_rule({"action": {"kind": "fault", "fault": "InsufficientPermissionFault"}})
    with pytest.raises(Fault) as raised:
        get_vendor(ns)
    assert fault_parts(raised.value.detail)[1:] == (
        "INSUFFICIENT_PERMISSION", "You do not have permission to control SuiteScript and "
                                   "Workflow Triggers in Web Services Request.")


def test_fault_with_custom_code_and_message(ns, admin):
    admin.add_rule({"action": {"kind": "fault", "fault": "InvalidCredentialsFault",
                               "code": "USER_ERROR", "message": "Custom words",
                               "faultstring": "Custom faultstring"}})
    with pytest.raises(Fault) as raised:
        get_vendor(ns)
    assert raised.value.message == "Custom faultstring"


def test_status_action_fails_the_record_and_writes_nothing(ns, admin):
    admin.add_rule({"operation": "upsert", "action": {
        "kind": "status", "code": "UNEXPECTED_ERROR", "message": "An unexpected error occurred."}})
    write = upsert_bill(ns, "BILL-STATUS")
    assert write.status.isSuccess is False
    assert [(d.code, d.message, d.type) for d in write.status.statusDetail] == [
        ("UNEXPECTED_ERROR", "An unexpected error occurred.", "ERROR")]
    assert "BILL-STATUS" not in bill_ids(admin)


def test_status_action_on_a_read(ns, admin):
    admin.add_rule({"operation": "get", "action": {
        "kind": "status", "code": "RCRD_DSNT_EXIST", "message": "That record does not exist."}})
    read = get_vendor(ns)
    assert read.status.statusDetail[0].code == "RCRD_DSNT_EXIST" and read.record is None


def test_status_action_on_operations_that_answer_with_a_status_of_another_kind(ns, admin):
    """A job's status is a word and getAsyncResult's answer holds no status at all: a status
    rule naming them is refused as it is added; one for any operation answers them with a
    fault that says why, never a malformed answer."""
    for operation in ("asyncGetList", "checkAsyncStatus", "getAsyncResult"):
        with pytest.raises(AdminApiError, match=f"{operation} answers without a status that "
                                                f"could fail"):
            admin.add_rule({"operation": operation, "action": {
                "kind": "status", "code": "UNEXPECTED_ERROR", "message": "boom"}})
    assert admin.rules() == []
    admin.add_rule({"action": {"kind": "status", "code": "UNEXPECTED_ERROR", "message": "boom"}})
    with pytest.raises(Fault) as raised:
        ns.call("checkAsyncStatus", jobId="ASYNCWEBSERVICES_1")
    assert raised.value.message == ("netsuite-mock cannot answer checkAsyncStatus with a failed "
                                    "status: its answer has none (a fault rule action fits it).")
    selected = ns.call("getSelectValue", fieldDescription=ns.type(
        "ns0:GetSelectValueFieldDescription")(recordType="vendorBill", field="terms"),
        pageIndex=1).body.getSelectValueResult
    assert selected.status.statusDetail[0].message == "boom"


def test_http_action(mock, admin):
    admin.add_rule({"action": {"kind": "http", "status": 503, "body": "Service Unavailable"}})
    response = post_soap(mock, envelope(GET_VENDOR_101, passport_xml(mock.settings)))
    assert (response.status_code, response.text) == (503, "Service Unavailable")
    assert admin.journal()[-1]["outcome"] == "http"


def test_delay_action_holds_the_request(ns, admin):
    admin.add_rule({"operation": "get", "action": {"kind": "delay", "ms": 400}})
    started = time.monotonic()
    assert get_vendor(ns).status.isSuccess
    assert time.monotonic() - started >= 0.4
    assert admin.journal()[-1]["duration_ms"] >= 400


def test_delay_then_fault(ns, admin):
    admin.add_rule({"action": {"kind": "delay", "ms": 200, "then": UNEXPECTED}})
    started = time.monotonic()
    with pytest.raises(Fault):
        get_vendor(ns)
    assert time.monotonic() - started >= 0.2


def test_drop_after_the_work_loses_only_the_answer(ns, admin):
    admin.add_rule({"operation": "upsert", "action": {"kind": "drop"}})
    with pytest.raises(requests.exceptions.ConnectionError):
        upsert_bill(ns, "BILL-DROPPED")
    # NetSuite did the work; the client never heard (the classic duplicate-bill trap)
    assert "BILL-DROPPED" in bill_ids(admin)
    assert admin.journal()[-1]["outcome"] == "dropped"


def test_drop_before_the_work(ns, admin):
    admin.add_rule({"operation": "upsert", "action": {"kind": "drop", "phase": "before"}})
    with pytest.raises(requests.exceptions.ConnectionError):
        upsert_bill(ns, "BILL-NEVER")
    assert "BILL-NEVER" not in bill_ids(admin)


def test_truncated_body(mock, admin):
    admin.add_rule({"action": {"kind": "truncate", "bytes": 120}})
    connection = http.client.HTTPConnection("127.0.0.1", mock.port, timeout=10)
    body = envelope(GET_VENDOR_101, passport_xml(mock.settings))
    connection.request("POST", "/services/NetSuitePort_2024_1", body,
                       {"Content-Type": "text/xml", "SOAPAction": "get"})
    response = connection.getresponse()
    with pytest.raises(http.client.IncompleteRead) as raised:
        response.read()
    assert len(raised.value.partial) == 120
    assert admin.journal()[-1]["outcome"] == "truncated"


def test_reset_is_connection_reset_by_peer_for_the_client(mock, admin):
    admin.add_rule({"operation": "get", "action": {"kind": "reset"}})
    with pytest.raises(requests.ConnectionError, match="(?i)reset"):
        requests.post(mock.service_url, data=envelope(GET_VENDOR_101, passport_xml(mock.settings)),
                      headers={"Content-Type": "text/xml", "SOAPAction": "get"}, timeout=10)
    entry = admin.journal()[-1]
    assert (entry["outcome"], entry["http_status"]) == ("reset", None)


def test_invalid_xml(ns, admin):
    admin.add_rule({"action": {"kind": "invalid_xml"}})
    with pytest.raises(Exception) as raised:
        get_vendor(ns)
    assert "XML" in type(raised.value).__name__ or "xml" in str(raised.value).lower()
    response = admin.journal_entry(admin.journal()[-1]["id"])["response"]
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(response.encode())


# -- triggers -------------------------------------------------------------------------------
def test_nth_call_only(ns, admin):
    admin.add_rule({"operation": "upsert", "record_type": "vendorBill", "nth": 3,
                    "action": {"kind": "status", "code": "UNEXPECTED_ERROR",
                               "message": "An unexpected error occurred."}})
    results = [upsert_bill(ns, f"BILL-{i}").status.isSuccess for i in range(5)]
    assert results == [True, True, False, True, True]
    assert admin.rules()[0]["matched"] == 5 and admin.rules()[0]["fired"] == 1


def test_every_kth_call(ns, admin):
    admin.add_rule({"operation": "get", "every": 2, "action": UNEXPECTED})
    assert get_outcomes(ns, 6) == ["ok", "fault"] * 3


def test_times_limits_how_often_a_rule_fires(ns, admin):
    admin.add_rule({"operation": "get", "times": 2, "action": UNEXPECTED})
    assert get_outcomes(ns, 4) == ["fault", "fault", "ok", "ok"]


def test_probability_is_seeded_and_repeatable(ns, admin):
    def run() -> list[str]:
        admin.clear_rules()
        admin.add_rule({"operation": "get", "probability": 0.5, "seed": 42, "action": UNEXPECTED})
        return get_outcomes(ns, 12)
    first, second = run(), run()
    assert first == second
    assert "ok" in first and "fault" in first


def test_match_on_record_type_and_operation(ns, admin):
    admin.add_rule({"record_type": "customer", "action": UNEXPECTED})
    assert get_vendor(ns).status.isSuccess
    with pytest.raises(Fault):
        ns.call("get", baseRef=ns.ref("customer", "150"))


def test_match_on_external_id(ns, admin):
    admin.add_rule({"external_id": "BILL-CURSED", "action": UNEXPECTED})
    assert upsert_bill(ns, "BILL-FINE").status.isSuccess
    with pytest.raises(Fault):
        upsert_bill(ns, "BILL-CURSED")


def test_match_on_xpath_over_the_request_body(ns, admin):
    admin.add_rule({"xpath": ".//tranPurch:expense[tranPurch:amount > 1000]",
                    "action": UNEXPECTED})
    assert upsert_bill(ns, "BILL-SMALL").status.isSuccess
    T = ns.type
    big = T("ns21:VendorBill")(externalId="BILL-BIG", entity=ns.ref(internal_id="101"),
                               expenseList=T("ns21:VendorBillExpenseList")(expense=[
                                   T("ns21:VendorBillExpense")(account=ns.ref(internal_id="58"),
                                                               amount=5000.0)]))
    with pytest.raises(Fault):
        ns.call("upsert", record=big)


def test_time_window_on_the_mock_clock(ns, admin):
    now = admin.set_clock("2030-01-01T12:00:00Z")
    try:
        admin.add_rule({"start": "2030-01-01T12:30:00Z", "end": "2030-01-01T13:00:00Z",
                        "action": UNEXPECTED})
        assert get_vendor(ns).status.isSuccess            # 12:00, before the window
        admin.advance_clock(45 * 60)
        with pytest.raises(Fault):
            get_vendor(ns)                                  # 12:45, inside it
        admin.advance_clock(30 * 60)
        assert get_vendor(ns).status.isSuccess            # 13:15, after it
    finally:
        admin.reset_clock()
    assert now["now"].startswith("2030-01-01T12:00")


def test_rules_can_be_listed_and_removed(ns, admin):
    rule = admin.add_rule({"name": "flaky gets", "operation": "get", "action": UNEXPECTED})
    assert [r["name"] for r in admin.rules()] == ["flaky gets"]
    with pytest.raises(Fault):
        get_vendor(ns)
    admin.remove_rule(rule["id"])
    assert admin.rules() == [] and get_vendor(ns).status.isSuccess


@pytest.mark.parametrize("rule, message", [
    ({"action": {"kind": "explode"}}, "rule action kind must be one of"),
    ({"action": {"kind": "fault", "fault": "NoSuchFault"}}, "unknown fault"),
    ({"action": {"kind": "status", "code": "X"}}, "with code X needs a message"),
    ({"action": {"kind": "status"}}, "a status action needs a code"),
    ({"action": {"kind": "http", "code": "X"}}, "unknown action setting(s) code for a http"),
    ({"action": {"kind": "drop", "then": UNEXPECTED}}, "only a delay action takes a 'then'"),
    ({"xpath": "//[broken", "action": UNEXPECTED}, "invalid XPath"),
    ({"xpath": "//nosuch:record", "action": UNEXPECTED}, "Undefined namespace prefix"),
    ({"xpath": "count(nosuch())", "action": UNEXPECTED}, "Unregistered function"),
    ({"xpath": "$record", "action": UNEXPECTED}, "Undefined variable"),
    ({"xpath": ["//a"], "action": UNEXPECTED}, "rule xpath is an XPath expression"),
    ({"xpath": " ", "action": UNEXPECTED}, "rule xpath is an XPath expression"),
    ({"nth": 0, "action": UNEXPECTED}, "nth must be a whole number"),
    ({"probability": 2, "action": UNEXPECTED}, "probability is a number from 0 to 1"),
    ({"colour": "red", "action": UNEXPECTED}, "unknown rule setting(s) colour"),
    ({"operation": "get"}, "a rule needs an action"),
])
def test_bad_rules_are_refused_with_a_reason(admin, rule, message):
    with pytest.raises(AdminApiError, match=message.replace("(", r"\(").replace(")", r"\)")
                       .replace("[", r"\[")):
        admin.add_rule(rule)


@pytest.mark.parametrize("rule, message", [
    ({"operation": "gett"}, "unknown operation 'gett' (did you mean 'get'"),
    ({"operation": ["get", "upsertLst"]}, "unknown operation 'upsertLst' (did you mean "
                                          "'upsertList'"),
    ({"record_type": "VendorBill"}, "unknown record type 'VendorBill' (did you mean "
                                    "'vendorBill'"),
    ({"operation": "get", "xpath": "//platformMsgs:baseRef[@internalID='101']"},
     "names '@internalID', which no get request carries (did you mean '@internalId'"),
    ({"operation": "get", "xpath": "//listRel:companyName"},
     "names 'listRel:companyName', which no get request carries: the rule could never match"),
    ({"xpath": "//listRel:compnyName"},
     "names 'listRel:compnyName', which no request carries (did you mean "
     "'listRel:companyName'"),
    ({"xpath": "//tranPurch:expense[amount > 1000]"},
     "names 'amount' without a prefix, so it matches no element of a NetSuite request (did "
     "you mean "),
])
def test_a_rule_that_could_never_match_is_refused_with_a_suggestion(mock, admin, rule,
                                                                    message):
    response = requests.post(mock.url + "/__admin/rules", timeout=10,
                             json={**rule, "action": UNEXPECTED})
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert admin.rules() == []


@pytest.mark.parametrize("rule", [
    {"operation": "upsert", "xpath": ".//tranPurch:expense[tranPurch:amount > 1000]"},
    {"operation": "add", "xpath": "//platformMsgs:record[@xsi:type]/listRel:companyName"},
    {"xpath": "//platformCore:searchValue | //*[local-name() = 'anything']"},
    {"xpath": "count(//platformMsgs:baseRef) > 1 and not(//platformMsgs:preferences)"},
    {"record_type": ["transaction", "vendorBill"], "operation": "search"},
])
def test_rules_that_can_match_are_taken(admin, rule):
    try:
        assert admin.add_rule({**rule, "action": UNEXPECTED})["matched"] == 0
    finally:
        admin.clear_rules()


def test_a_disabled_rule_matches_nothing_until_enabled(ns, admin):
    rule = admin.add_rule({"operation": "get", "enabled": False, "action": UNEXPECTED})
    try:
        assert rule["enabled"] is False and get_vendor(ns).status.isSuccess
        assert admin.enable_rule(rule["id"])["enabled"] is True
        with pytest.raises(Fault):
            get_vendor(ns)
        admin.enable_rule(rule["id"], False)
        assert get_vendor(ns).status.isSuccess
        assert [(r["matched"], r["fired"]) for r in admin.rules()] == [(1, 1)]
    finally:
        admin.clear_rules()
    with pytest.raises(AdminApiError, match="no rule 'rule-x'"):
        admin.enable_rule("rule-x")


def test_a_bad_xpath_is_refused_with_400_and_requests_go_on(mock, admin):
    response = requests.post(mock.url + "/__admin/rules", timeout=10, json={
        "rules": [{"xpath": "//platformMsgs:get", "action": UNEXPECTED},
                  {"xpath": "//nosuch:get", "action": UNEXPECTED}]})
    assert response.status_code == 400
    assert response.json()["error"].startswith("invalid XPath '//nosuch:get': Undefined "
                                               "namespace prefix")
    assert admin.rules() == []   # all or none
    good = {"xpath": "//platformMsgs:get", "action": UNEXPECTED}
    added = requests.post(mock.url + "/__admin/rules", json={"rules": [good, good]}, timeout=10)
    assert [r["xpath"] for r in added.json()] == [good["xpath"]] * 2
    admin.clear_rules()
    ok = post_soap(mock, envelope(GET_VENDOR_101, passport_xml(mock.settings)))
    assert ok.status_code == 200 and b"Acme Supplies Inc." in ok.content


def test_a_scenario_rule_with_an_xpath_matches_from_the_start():
    """File rules are checked and matched like rules added through the admin API."""
    rules = [{"xpath": "//platformMsgs:get/platformMsgs:baseRef[@internalId='101']",
              "action": UNEXPECTED}]
    with MockServer(MockSettings(port=0, seed="demo", rules=rules)) as server:
        fault = parse_fault(post_soap(server, envelope(GET_VENDOR_101,
                                                       passport_xml(server.settings))))
        assert fault["code"] == "UNEXPECTED_ERROR"
        other = GET_VENDOR_101.replace('"101"', '"102"')
        assert post_soap(server, envelope(other, passport_xml(server.settings))).ok
    with pytest.raises(ConfigError, match=r"\[\[rules\]\] number 1: invalid XPath"):
        MockServer(MockSettings(port=0, seed="none", rules=[{"xpath": "//x:y",
                                                             "action": UNEXPECTED}]))


# -- latency and the request timeout --------------------------------------------------------
def test_latency_models_are_seeded_and_shaped():
    first = [LatencyModel.parse({"model": "lognormal", "median_ms": 80, "sigma": 0.5,
                                 "seed": 7}).sample_ms() for _ in range(1)]
    model_a = LatencyModel.parse({"model": "lognormal", "median_ms": 80, "sigma": 0.5, "seed": 7})
    model_b = LatencyModel.parse({"model": "lognormal", "median_ms": 80, "sigma": 0.5, "seed": 7})
    a = [model_a.sample_ms() for _ in range(2000)]
    assert a == [model_b.sample_ms() for _ in range(2000)]
    assert a[0] == first[0]
    median = sorted(a)[1000]
    assert 70 < median < 90
    uniform = LatencyModel.parse({"model": "uniform", "min_ms": 10, "max_ms": 20, "seed": 1})
    samples = [uniform.sample_ms() for _ in range(500)]
    assert 10 <= min(samples) and max(samples) <= 20 and max(samples) - min(samples) > 8
    assert LatencyModel.parse(25).sample_ms() == 25
    plan = LatencyPlan.parse({"default": 5, "search": {"model": "fixed", "ms": 50}})
    assert (plan.sample_seconds("get"), plan.sample_seconds("search")) == (0.005, 0.05)
    with pytest.raises(ConfigError, match="unknown latency model"):
        LatencyModel.parse({"model": "gamma"})


def test_per_operation_latency_over_http():
    settings = MockSettings(port=0, seed="demo", latency={"default": 0, "getServerTime": 300})
    with MockServer(settings) as server:
        body = envelope("<m:getServerTime/>", passport_xml(server.settings))
        started = time.monotonic()
        assert post_soap(server, body, action="getServerTime").status_code == 200
        assert time.monotonic() - started >= 0.3
        started = time.monotonic()
        assert post_soap(server, envelope(GET_VENDOR_101, passport_xml(
            server.settings))).status_code == 200
        assert time.monotonic() - started < 0.3


def test_request_timeout_cuts_the_request_off():
    settings = MockSettings(port=0, seed="demo", latency_ms=2000, request_timeout_s=0.3)
    with MockServer(settings) as server:
        started = time.monotonic()
        with pytest.raises(requests.exceptions.ConnectionError):
            post_soap(server, envelope(GET_VENDOR_101, passport_xml(server.settings)))
        assert 0.3 <= time.monotonic() - started < 1.5
        assert MockAdmin(server.url).journal()[-1]["outcome"] == "timed_out"


def test_rules_and_latency_from_a_scenario_file_at_start(tmp_path):
    from mockserver.config import load_settings
    scenario = tmp_path / "case.toml"
    scenario.write_text('seed = "demo"\nport = 0\n[latency]\ndefault = 0\n'
                        '[[rules]]\nname = "third get fails"\noperation = "get"\nnth = 3\n'
                        '[rules.action]\nkind = "fault"\nfault = "UnexpectedErrorFault"\n')
    settings = load_settings(config_file=str(scenario), environ={})
    with MockServer(settings) as server:
        codes = [post_soap(server, envelope(GET_VENDOR_101, passport_xml(
            server.settings))).status_code for _ in range(4)]
        assert codes == [200, 200, 500, 200]
        assert MockAdmin(server.url).rules()[0]["name"] == "third get fails"
