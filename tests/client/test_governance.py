"""The client under NetSuite's concurrency governance, against real mocks with real latency:
it never has more than its concurrency_limit in flight (threads and asyncio), and when the
account's limit is lower it is turned away, backs off, retries with fresh passports, and finishes
all of its work."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from client import ConcurrencyLimitError
from client.governance import ConcurrencyGate, RetryPolicy
from mockserver.config import MockSettings
from mockserver.server import MockServer
from tests.client_helpers import VENDOR_101 as VENDOR, governance, make_client, wsdl_cache  # noqa: F401,E501

pytestmark = pytest.mark.server

def slow_mock(limit: int, latency_ms: int) -> MockServer:
    return MockServer(MockSettings(port=0, seed="demo", concurrency_limit=limit,
                                   latency_ms=latency_ms))


def test_client_stays_within_its_limit_below_the_accounts(wsdl_cache):  # noqa: F811
    with slow_mock(limit=10, latency_ms=200) as server, \
            make_client(server, wsdl_cache, concurrency_limit=3) as client:
        with ThreadPoolExecutor(12) as pool:  # more threads than the client may use
            results = list(pool.map(lambda _: client.call("get", VENDOR), range(12)))
        state = governance(server)
    assert all(r.record.internalId == "101" for r in results)
    assert state["peak"] == 3            # seen by the server: never more than the client's 3
    assert state["rejected"] == 0
    assert client.stats.peak_in_flight == 3
    assert client.stats.total_retries == 0


def test_burst_of_50_above_the_accounts_limit_all_succeed_after_retries(wsdl_cache):  # noqa: F811
    with slow_mock(limit=2, latency_ms=100) as server, \
            make_client(server, wsdl_cache, concurrency_limit=5) as client:
        with ThreadPoolExecutor(50) as pool:
            results = list(pool.map(lambda _: client.call("get", VENDOR), range(50)))
        state = governance(server)
    assert len(results) == 50
    assert all(r.status.isSuccess and r.record.internalId == "101" for r in results)
    assert state["rejected"] > 0                          # the account did turn requests away
    assert state["admitted"] == 50                        # and every call got through in the end
    assert state["peak"] <= 2 and state["inFlight"] == 0
    stats = client.stats
    assert stats.blocked == state["rejected"]             # each rejection was seen ...
    assert stats.retries == {"concurrency": state["rejected"]}  # ... and retried
    assert stats.attempts == 50 + state["rejected"]
    assert (stats.calls, stats.succeeded, stats.failed) == (50, 50, 0)
    assert stats.peak_in_flight <= 5


def test_asyncio_calls_share_the_same_limit(wsdl_cache):  # noqa: F811
    async def burst(client):
        return await asyncio.gather(*(client.acall("get", VENDOR) for _ in range(12)))

    with slow_mock(limit=10, latency_ms=150) as server, \
            make_client(server, wsdl_cache, concurrency_limit=3) as client:
        results = asyncio.run(burst(client))
        state = governance(server)
    assert [r.record.internalId for r in results] == ["101"] * 12
    assert state["peak"] == 3 and state["rejected"] == 0


def test_retries_give_up_with_a_concurrency_limit_error(wsdl_cache):  # noqa: F811
    # Another integration holds the account's only slot; this client cannot wait that long.
    with slow_mock(limit=1, latency_ms=1500) as server, \
            make_client(server, wsdl_cache) as other, \
            make_client(server, wsdl_cache, concurrency_limit=2,
                        retry=RetryPolicy(max_attempts=3, base_delay=0.02,
                                          max_delay=0.05)) as client:
        holder = threading.Thread(target=other.call, args=("get", VENDOR))
        holder.start()
        while governance(server)["inFlight"] == 0:
            pass
        with pytest.raises(ConcurrencyLimitError) as raised:
            client.call("get", VENDOR)
        holder.join()
    error = raised.value
    assert error.attempts == 3
    assert (error.code, error.fault) == ("WS_REQUEST_BLOCKED",
                                         "exceededConcurrentRequestLimitFault")
    assert error.message == "SuiteTalk concurrent request limit exceeded. Request blocked."
    assert "gave up after 3 attempts" in str(error)
    assert client.stats.retries == {"concurrency": 2}


def test_a_blocked_client_waits_for_its_own_requests_instead_of_retrying(wsdl_cache):  # noqa: F811
    """After a block the client lowers its share, so its next request waits for one of its own
    to finish rather than being sent into a full account."""
    with slow_mock(limit=1, latency_ms=600) as server, \
            make_client(server, wsdl_cache, concurrency_limit=2) as client:
        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(lambda _: client.call("get", VENDOR), range(2)))
        state = governance(server)
    assert [r.record.internalId for r in results] == ["101", "101"]
    # blocked once; without the lowered share it would have been sent (and blocked) again at
    # each backoff step (0.05 s, 0.1 s, 0.2 s, 0.4 s) while the other request held the slot
    assert state["rejected"] == 1 and client.stats.retries == {"concurrency": 1}


def test_backoff_grows_exponentially_with_jitter():
    policy = RetryPolicy(base_delay=0.5, max_delay=30)
    for attempt, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (8, 30.0), (20, 30.0)]:
        delays = {round(policy.delay(attempt), 6) for _ in range(50)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(delays) > 1  # jittered: clients blocked together do not retry together


def test_gate_shrinks_when_blocked_and_grows_back():
    gate = ConcurrencyGate(4)
    with gate.slot(), gate.slot(), gate.slot():
        gate.blocked()       # 3 in flight and still blocked: the account has room for 2
    assert gate.allowed == 2
    for _ in range(2):
        gate.succeeded()
    assert gate.allowed == 3
    for _ in range(3):
        gate.succeeded()
    assert gate.allowed == 4
    gate.succeeded()
    assert gate.allowed == 4  # never above the configured limit
    with gate.slot():
        gate.blocked()
    assert gate.allowed == 1  # never below one
