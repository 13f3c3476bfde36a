"""The account concurrency limit: a burst above it is rejected (never queued) with NetSuite's
WS_REQUEST_BLOCKED fault, and the in-flight count comes back to zero whatever the clients do."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import requests

from mockserver.config import MockSettings
from mockserver.server import MockServer
from tests.conftest import GET_VENDOR_101, envelope, parse_fault, passport_xml, post_soap

pytestmark = pytest.mark.server

BLOCKED = {
    "http_status": 500,
    "faultcode": "soapenv:Server.userException",
    "faultstring": "SuiteTalk concurrent request limit exceeded. Request blocked.",
    "element": "exceededConcurrentRequestLimitFault",
    "code": "WS_REQUEST_BLOCKED",
    "message": "SuiteTalk concurrent request limit exceeded. Request blocked.",
    "hostname": "netsuite-mock.partners.internal",
    "has_header": False,
}


@pytest.fixture
def slow_mock():
    settings = MockSettings(port=0, seed="demo", concurrency_limit=3, latency_ms=1000)
    with MockServer(settings) as server:
        yield server


def governance(server) -> dict:
    return requests.get(server.url + "/__admin/governance", timeout=10).json()[
        server.settings.account]


def burst(server, count: int) -> list[requests.Response]:
    bodies = [envelope(GET_VENDOR_101, passport_xml(server.settings)) for _ in range(count)]
    start = threading.Barrier(count)
    results: list = [None] * count

    def send(i):
        start.wait()
        results[i] = post_soap(server, bodies[i])

    threads = [threading.Thread(target=send, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_burst_above_the_limit_is_rejected_with_netsuites_fault(slow_mock):
    started = time.monotonic()
    responses = burst(slow_mock, 10)
    ok = [r for r in responses if r.status_code == 200]
    rejected = [r for r in responses if r.status_code != 200]
    assert len(ok) == 3
    assert all(b'isSuccess="true"' in r.content for r in ok)
    assert len(rejected) == 7
    assert all(parse_fault(r) == BLOCKED for r in rejected)
    # rejected at once, not queued behind the slow ones
    assert all(r.elapsed.total_seconds() < 0.9 for r in rejected)
    assert time.monotonic() - started < 5
    state = governance(slow_mock)
    assert (state["inFlight"], state["peak"], state["limit"]) == (0, 3, 3)
    assert state["rejected"] == 7


def test_slots_are_free_again_after_a_burst(slow_mock):
    burst(slow_mock, 6)
    assert [r.status_code for r in burst(slow_mock, 3)] == [200, 200, 200]


def test_client_that_disconnects_gives_its_slot_back(slow_mock):
    sockets = []
    for _ in range(3):
        body = envelope(GET_VENDOR_101, passport_xml(slow_mock.settings))  # nonces are single-use
        request = (f"POST /services/NetSuitePort_2024_1 HTTP/1.1\r\nHost: localhost\r\n"
                   f"Content-Type: text/xml\r\nSOAPAction: get\r\n"
                   f"Content-Length: {len(body)}\r\n\r\n").encode() + body
        s = socket.create_connection(("127.0.0.1", slow_mock.port))
        s.sendall(request)
        sockets.append(s)
    deadline = time.monotonic() + 5
    while governance(slow_mock)["inFlight"] < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert governance(slow_mock)["inFlight"] == 3
    for s in sockets:
        s.close()  # gone before the answer
    # the account is full until their requests finish ...
    assert parse_fault(post_soap(slow_mock, envelope(
        GET_VENDOR_101, passport_xml(slow_mock.settings)))) == BLOCKED
    deadline = time.monotonic() + 5
    while governance(slow_mock)["inFlight"] and time.monotonic() < deadline:
        time.sleep(0.05)
    # ... and then every slot is back
    assert governance(slow_mock)["inFlight"] == 0
    assert post_soap(slow_mock, envelope(GET_VENDOR_101, passport_xml(
        slow_mock.settings))).status_code == 200


def test_invalid_logins_do_not_take_slots(slow_mock):
    bad = envelope(GET_VENDOR_101, "")
    for response in burst(slow_mock, 1):
        assert response.status_code == 200
    faults = [post_soap(slow_mock, bad) for _ in range(5)]
    assert all(parse_fault(f)["faultstring"] == "Invalid login attempt." for f in faults)
    assert governance(slow_mock)["peak"] == 1


def test_governance_info_reports_the_limit(slow_mock):
    from tests.conftest import SoapClient
    import zeep
    ns = SoapClient(zeep.Client(slow_mock.wsdl_url), slow_mock)
    result = ns.call("getAccountGovernanceInfo").body.getAccountGovernanceInfoResult
    assert result.accountConcurrencyLimit == 3


LARGE = {"id": "5555555", "service_tier": "premium", "suitecloud_plus_licences": 4,  # 15 + 40
         "integrations": [{"name": "Bulk", "consumer_key": "ck-bulk",
                           "consumer_secret": "cs-bulk"}],
         "tokens": [{"token_id": "tk-bulk", "token_secret": "ts-bulk", "integration": "Bulk"}]}


def test_a_large_tier_limit_is_filled_and_the_request_beyond_it_rejected_not_queued():
    """Premium with 4 SuiteCloud Plus licences allows 55 requests at once: the mock must have
    the threads to hold all 55 and still answer the 56th with WS_REQUEST_BLOCKED."""
    settings = MockSettings(port=0, seed="none", latency_ms=1, accounts=[LARGE])
    credentials = MockSettings(account="5555555", consumer_key="ck-bulk",
                               consumer_secret="cs-bulk", token_id="tk-bulk",
                               token_secret="ts-bulk")
    call = "<m:getServerTime/>"
    with MockServer(settings) as server:
        release = threading.Event()
        server.backend.sleep = lambda seconds: release.wait(60)  # hold each request's latency
        held: list = [None] * 55

        def send(i):
            held[i] = post_soap(server, envelope(call, passport_xml(credentials)),
                                action="getServerTime")
        threads = [threading.Thread(target=send, args=(i,)) for i in range(55)]
        try:
            for t in threads:
                t.start()
            deadline = time.monotonic() + 60
            while governance_of(server, "5555555")["inFlight"] < 55 and \
                    time.monotonic() < deadline:
                time.sleep(0.05)
            assert governance_of(server, "5555555")["inFlight"] == 55
            beyond = [post_soap(server, envelope(call, passport_xml(credentials)),
                                action="getServerTime") for _ in range(3)]
            assert [parse_fault(r)["code"] for r in beyond] == ["WS_REQUEST_BLOCKED"] * 3
        finally:
            release.set()
            for t in threads:
                t.join(timeout=60)
        assert all(r.status_code == 200 for r in held)
        state = governance_of(server, "5555555")
        assert (state["limit"], state["peak"], state["rejected"], state["inFlight"]) == (
            55, 55, 3, 0)


def governance_of(server, account: str) -> dict:
    return requests.get(server.url + "/__admin/governance", timeout=10).json()[account]


def test_open_connections_cover_every_accounts_limit_and_a_thousand_more():
    huge = dict(LARGE, service_tier="enterprise", suitecloud_plus_licences=24)   # 260
    other = dict(LARGE, id="6666666", service_tier="standard", suitecloud_plus_licences=0)
    assert MockSettings(accounts=[huge, other]).open_connections() == 260 + 5 + 1000
    assert MockSettings(concurrency_limit=5).open_connections() == 5 + 1000
    assert MockSettings(concurrency_limit=5, connection_limit=40).open_connections() == 40


def fill_and_overflow(limit: int, beyond: int, deadline_s: float = 10.0) -> dict:
    """``limit + beyond`` clients at once against a mock with that limit, each holding its slot
    until released: the account fills to exactly ``limit`` and the other ``beyond`` are
    refused while the first are still held (not queued until a slot frees)."""
    settings = MockSettings(port=0, seed="none", concurrency_limit=limit, latency_ms=1)
    call = "<m:getServerTime/>"
    count = limit + beyond
    with MockServer(settings) as server:
        release = threading.Event()
        server.backend.sleep = lambda seconds: release.wait(60)  # hold each request's latency
        bodies = [envelope(call, passport_xml(settings)) for _ in range(count)]
        answers: list = [None] * count
        start = threading.Barrier(count + 1)

        def send(i):
            start.wait()
            try:
                answers[i] = requests.post(server.service_url, data=bodies[i], timeout=60,
                                           headers={"Content-Type": "text/xml",
                                                    "SOAPAction": "getServerTime"})
            except requests.RequestException as error:
                answers[i] = error
        threads = [threading.Thread(target=send, args=(i,)) for i in range(count)]
        for t in threads:
            t.start()
        try:
            start.wait()
            deadline = time.monotonic() + deadline_s
            while time.monotonic() < deadline and (
                    sum(a is not None for a in answers) < beyond
                    or governance(server)["inFlight"] < limit):
                time.sleep(0.05)
            state_while_held = governance(server)
            refused_while_held = [a for a in answers if a is not None]
        finally:
            release.set()
            for t in threads:
                t.join(timeout=60)
        return {"held": state_while_held, "refused_while_held": refused_while_held,
                "answers": answers, "after": governance(server)}


def test_a_limit_of_110_is_filled_exactly_and_the_20_beyond_it_refused_at_once():
    """With 130 clients the HTTP server must let all of them reach the gate (no connection cap
    below the limit, no thread pool queue): 110 in flight, 20 refused without waiting."""
    result = fill_and_overflow(110, 20)
    assert result["held"]["inFlight"] == 110
    assert len(result["refused_while_held"]) == 20
    assert all(not isinstance(a, Exception) and parse_fault(a) == BLOCKED
               for a in result["refused_while_held"])
    assert sum(a.status_code == 200 for a in result["answers"]) == 110
    assert (result["after"]["peak"], result["after"]["rejected"],
            result["after"]["inFlight"]) == (110, 20, 0)


def test_the_journal_says_how_long_each_request_held_its_slot(slow_mock):
    """``duration_ms`` runs from reading the request to writing the answer, so requests seem to
    overlap beyond the limit there; ``slot_ms`` is the part spent holding a slot (the latency is
    served inside it), and a request refused at the gate never held one."""
    responses = burst(slow_mock, 5)
    assert sorted(r.status_code for r in responses) == [200, 200, 200, 500, 500]
    entries = requests.get(slow_mock.url + "/__admin/journal", timeout=10).json()
    served = [e for e in entries if e["outcome"] == "success"]
    refused = [e for e in entries if e["outcome"] == "fault"]
    assert len(served) == 3 and len(refused) == 2
    for entry in served:
        assert 1000 <= entry["slot_ms"] <= entry["duration_ms"]
    assert all(entry["slot_ms"] is None for entry in refused)
