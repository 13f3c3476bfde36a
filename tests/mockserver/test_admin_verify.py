"""Request verification over HTTP: /__admin/requests/count|find|near-misses and
``MockAdmin.verify``, as WireMock's ``verify`` and ``/__admin/requests/count|find``."""

from __future__ import annotations

import pytest
import requests

from mockserver.admin_client import AdminApiError, VerificationError
from tests.mockserver.test_admin import admin  # noqa: F401 (the fixture: a MockAdmin, journal cleared)

pytestmark = pytest.mark.server


def three_calls(ns):
    """A read that works, a read of a missing vendor, and an add of a vendor."""
    ns.call("get", baseRef=ns.ref("vendor", "101"))
    ns.call("get", baseRef=ns.ref("vendor", "999"))
    ns.call("add", record=ns.type("ns13:Vendor")(companyName="Verify Supplies",
                                                 externalId="VERIFY-1",
                                                 subsidiary=ns.ref(internal_id="1")))


def test_count_and_find_match_on_operation_record_type_and_outcome(ns, admin):
    three_calls(ns)
    assert admin.count_requests(operation="get") == 2
    assert admin.count_requests(operation="get", outcome="error") == 1
    assert admin.count_requests(operation=["get", "add"], record_type="vendor") == 3
    assert admin.count_requests(outcome="fault") == 0
    assert admin.count_requests(code="RCRD_DSNT_EXIST") == 1
    assert admin.count_requests(account="1234567_SB1", integration="netsuite-mock") == 3
    assert admin.count_requests(account="OTHER") == 0
    found = admin.find_requests(operation="add")
    assert [(e["operation"], e["outcome"], e["record_types"]) for e in found] == \
        [("add", "success", ["vendor"])]
    assert "request" not in found[0]


def test_the_http_endpoints_take_the_pattern_as_json(ns, admin, mock):
    three_calls(ns)
    response = requests.post(mock.url + "/__admin/requests/count",
                             json={"operation": "get", "outcome": "success"}, timeout=10)
    assert response.status_code == 200
    assert response.json() == {"count": 1, "pattern": {"operation": ["get"],
                                                       "outcome": ["success"]}}
    response = requests.post(mock.url + "/__admin/requests/find?bodies=true",
                             json={"operation": "get", "outcome": "error"}, timeout=10)
    [entry] = response.json()["requests"]
    assert entry["codes"] == ["RCRD_DSNT_EXIST"] and 'internalId="999"' in entry["request"]
    assert mock.settings.token_secret not in entry["request"]
    assert "[redacted]" in entry["request"]


def test_an_xpath_reads_the_request_body_with_netsuites_prefixes(ns, admin):
    three_calls(ns)
    assert admin.count_requests(xpath=".//platformMsgs:baseRef[@internalId='999']") == 1
    assert admin.count_requests(
        operation="add", xpath=".//listRel:companyName[text()='Verify Supplies']") == 1
    assert admin.count_requests(xpath=".//listRel:companyName[text()='Nobody']") == 0
    assert admin.count_requests(xpath="count(.//platformMsgs:baseRef) = 1") == 2


def test_since_and_until_are_times_on_the_mocks_clock(ns, admin):
    admin.set_clock("2031-01-01T00:00:00Z")
    try:
        ns.call("get", baseRef=ns.ref("vendor", "101"))
        admin.set_clock("2031-06-01T00:00:00Z")
        ns.call("get", baseRef=ns.ref("vendor", "102"))
        assert admin.count_requests(since="2031-03-01T00:00:00Z") == 1
        assert admin.count_requests(until="2031-03-01T00:00:00Z") == 1
        assert admin.count_requests(since="2030-12-31T00:00:00Z",
                                    until="2031-12-31T00:00:00Z") == 2
    finally:
        admin.reset_clock()


@pytest.mark.parametrize("pattern, message", [
    ({"operaton": "get"}, "unknown request pattern key(s) operaton"),
    ({"xpath": "//platformMsgs:baseRef["}, "invalid XPath"),
    ({"xpath": ".//nope:thing"}, "invalid XPath"),
    ({"since": "last tuesday"}, "since must be an ISO date-time"),
    ({"operation": 3}, "operation is a name or a list of names"),
])
def test_a_bad_pattern_is_a_400_that_says_why(admin, mock, pattern, message):
    response = requests.post(mock.url + "/__admin/requests/count", json=pattern, timeout=10)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_unknown_requests_action_is_404(admin, mock):
    response = requests.post(mock.url + "/__admin/requests/counts", json={}, timeout=10)
    assert response.status_code == 404
    assert "count, find or near-misses" in response.json()["error"]


def test_verify_returns_the_count_when_it_holds(ns, admin):
    three_calls(ns)
    assert admin.verify(operation="get", count=2) == 2
    assert admin.verify(operation="add") == 1                   # at least once by default
    assert admin.verify(operation="get", at_least=1, at_most=2) == 2
    assert admin.verify(operation="delete", count=0) == 0


def test_verify_lists_the_near_misses_and_what_differed(ns, admin):
    three_calls(ns)
    with pytest.raises(VerificationError) as failure:
        admin.verify(operation="get", record_type="vendor", outcome="fault", count=1)
    message = str(failure.value)
    assert isinstance(failure.value, AssertionError)
    lines = message.splitlines()
    assert lines[0] == ("expected exactly 1 request(s) matching operation='get', "
                        "record_type='vendor', outcome='fault', found 0")
    assert lines[1] == "near misses:"
    # the two reads differ only in their outcome, the add also in its operation; newest first
    assert " get vendor error RCRD_DSNT_EXIST " in lines[2]
    assert lines[3] == "      differs: outcome 'error', not 'fault'"
    assert " get vendor success " in lines[4]
    assert lines[5] == "      differs: outcome 'success', not 'fault'"
    assert " add vendor success " in lines[6]
    assert lines[7:] == ["      differs: operation 'add', not 'get'",
                         "      differs: outcome 'success', not 'fault'"]


def test_verify_with_too_many_matches_lists_them(ns, admin):
    three_calls(ns)
    with pytest.raises(VerificationError) as failure:
        admin.verify(operation="get", at_most=1)
    lines = str(failure.value).splitlines()
    assert lines[0] == "expected 0 to 1 request(s) matching operation='get', found 2"
    assert lines[1] == "matching:" and len(lines) == 4


def test_near_misses_name_an_xpath_that_found_nothing(ns, admin):
    ns.call("get", baseRef=ns.ref("vendor", "101"))
    [miss] = admin.near_misses(operation="get", xpath=".//platformMsgs:baseRef[@internalId='7']")
    assert miss["request"]["operation"] == "get"
    assert miss["differences"] == ["the request body has nothing at XPath "
                                   "\".//platformMsgs:baseRef[@internalId='7']\""]


def test_verify_on_an_empty_journal_says_so(admin):
    with pytest.raises(VerificationError, match="the journal holds no other request"):
        admin.verify(operation="get")


def test_the_client_reports_a_bad_pattern(admin):
    with pytest.raises(AdminApiError, match="unknown request pattern key"):
        admin.verify(opration="get")
