"""Connection floods: idle and slow clients must not stall the others, and are cut off.

These tests speak plain HTTP over loopback sockets, so they hold for any HTTP server the mock
runs on (they name no setting of a particular server). Each is bounded: every wait has a deadline of a few
seconds, and a normal request must be answered within one second of being sent.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest
import requests

from mockserver.config import MockSettings
from mockserver.server import MockServer
from tests.conftest import GET_VENDOR_101, envelope, passport_xml

pytestmark = pytest.mark.server

NORMAL_ANSWER_SECONDS = 1.0


@pytest.fixture
def flood_mock():
    with MockServer(MockSettings(port=0, seed="demo", header_timeout_s=30,
                                 idle_timeout_s=30)) as server:
        yield server


@pytest.fixture
def quick_timeouts_mock():
    with MockServer(MockSettings(port=0, seed="demo", header_timeout_s=1,
                                 idle_timeout_s=1)) as server:
        yield server


def timed_request(server) -> float:
    """Seconds a normal signed request takes to be answered (it must succeed)."""
    started = time.monotonic()
    response = requests.post(server.service_url, timeout=5,
                             data=envelope(GET_VENDOR_101, passport_xml(server.settings)),
                             headers={"Content-Type": "text/xml; charset=utf-8",
                                      "SOAPAction": "get"})
    elapsed = time.monotonic() - started
    assert response.status_code == 200 and b'isSuccess="true"' in response.content
    return elapsed


def open_connections(server, count: int) -> list[socket.socket]:
    sockets = []
    for _ in range(count):
        sockets.append(socket.create_connection(("127.0.0.1", server.port), timeout=5))
    return sockets


def closed_by_server(sock: socket.socket, within: float) -> float | None:
    """Seconds until the server closes ``sock`` (reads until EOF), or None if it stays open."""
    started = time.monotonic()
    sock.settimeout(0.1)
    while time.monotonic() - started < within:
        try:
            data = sock.recv(65536)
        except socket.timeout:
            continue
        except ConnectionResetError:
            return time.monotonic() - started
        if data == b"":
            return time.monotonic() - started
    return None


REQUEST_HEAD = (b"POST /services/NetSuitePort_2024_1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: text/xml; charset=utf-8\r\nSOAPAction: get\r\n"
                b"X-Padding: " + b"a" * 200 + b"\r\n")


def test_idle_connections_beyond_a_hundred_do_not_block_other_clients(flood_mock):
    limit = flood_mock.settings.concurrency_limit
    idle = open_connections(flood_mock, limit + 100)
    try:
        # each idle one is a keep-alive connection that has had its answer
        for sock in idle[:5]:
            body = envelope(GET_VENDOR_101, passport_xml(flood_mock.settings))
            sock.sendall(REQUEST_HEAD + b"Content-Length: %d\r\n\r\n" % len(body) + body)
            assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        assert timed_request(flood_mock) < NORMAL_ANSWER_SECONDS
    finally:
        for sock in idle:
            sock.close()


def test_150_clients_sending_headers_a_byte_a_second_do_not_delay_a_normal_request(flood_mock):
    baseline = min(timed_request(flood_mock) for _ in range(2))
    slow = open_connections(flood_mock, 150)
    stop = threading.Event()

    def trickle():
        position = 0
        while not stop.is_set() and position < len(REQUEST_HEAD):
            for sock in slow:
                try:
                    sock.send(REQUEST_HEAD[position:position + 1])
                except OSError:
                    pass
            position += 1
            stop.wait(1.0)

    sender = threading.Thread(target=trickle, daemon=True)
    sender.start()
    try:
        time.sleep(0.3)
        delays = [timed_request(flood_mock) - baseline for _ in range(3)]
        assert max(delays) < NORMAL_ANSWER_SECONDS, delays
    finally:
        stop.set()
        sender.join(timeout=5)
        for sock in slow:
            sock.close()


def test_headers_trickling_in_are_cut_off_after_the_header_timeout(quick_timeouts_mock):
    sock = open_connections(quick_timeouts_mock, 1)[0]
    stop = threading.Event()

    def trickle():  # a byte every 0.2 s: never idle, never done
        for position in range(len(REQUEST_HEAD)):
            if stop.wait(0.2):
                return
            try:
                sock.send(REQUEST_HEAD[position:position + 1])
            except OSError:
                return

    sender = threading.Thread(target=trickle, daemon=True)
    sender.start()
    try:
        closed_after = closed_by_server(sock, within=4.0)
        assert closed_after is not None and 0.9 < closed_after < 3.0, closed_after
    finally:
        stop.set()
        sender.join(timeout=5)
        sock.close()
    assert timed_request(quick_timeouts_mock) < NORMAL_ANSWER_SECONDS


def test_idle_connections_are_closed_after_the_idle_timeout(quick_timeouts_mock):
    silent, kept_alive = open_connections(quick_timeouts_mock, 2)
    body = envelope(GET_VENDOR_101, passport_xml(quick_timeouts_mock.settings))
    kept_alive.sendall(REQUEST_HEAD + b"Content-Length: %d\r\n\r\n" % len(body) + body)
    assert kept_alive.recv(65536).startswith(b"HTTP/1.1 200")
    try:
        for sock in (silent, kept_alive):
            closed_after = closed_by_server(sock, within=4.0)
            assert closed_after is not None and closed_after < 3.0, closed_after
    finally:
        silent.close()
        kept_alive.close()


def test_a_keep_alive_connection_in_use_is_not_cut_off(quick_timeouts_mock):
    """Requests on one connection, each within the idle timeout of the last, all succeed."""
    with requests.Session() as session:
        for _ in range(4):
            response = session.post(
                quick_timeouts_mock.service_url, timeout=5,
                data=envelope(GET_VENDOR_101, passport_xml(quick_timeouts_mock.settings)),
                headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": "get"})
            assert response.status_code == 200
            time.sleep(0.4)
