"""The mock's HTTP/1.1 server, over raw sockets: what clients of every language rely on
(keep-alive, pipelining, chunked bodies, ``Expect: 100-continue``), what it refuses, the ways a
fault rule breaks an answer, and requests that never wait behind a slow one."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import requests

from mockserver.admin_client import MockAdmin
from mockserver.config import MockSettings
from mockserver.server import MockServer
from mockserver.wire.httpserver import Answer, HttpServer
from tests.conftest import GET_VENDOR_101, envelope, passport_xml

pytestmark = pytest.mark.server

SERVICE = b"/services/NetSuitePort_2024_1"


def soap_request(server, body_xml: str = GET_VENDOR_101, *, action: str = "get",
                 extra: bytes = b"") -> bytes:
    body = envelope(body_xml, passport_xml(server.settings))
    return (b"POST " + SERVICE + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: text/xml; charset=utf-8\r\nSOAPAction: " + action.encode() +
            b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n" + extra + b"\r\n" +
            body)


def read_response(sock: socket.socket, buffer: bytearray) -> tuple[int, dict, bytes]:
    """One response from ``sock`` (``buffer`` keeps what came after it)."""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        assert chunk, f"connection closed before a response: {bytes(buffer)[:200]!r}"
        buffer += chunk
    head, _, rest = bytes(buffer).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    length = int(headers.get("content-length", 0))
    while len(rest) < length:
        chunk = sock.recv(65536)
        assert chunk, "connection closed inside a body"
        rest += chunk
    buffer[:] = rest[length:]
    return status, headers, rest[:length]


@pytest.fixture
def admin(mock):
    admin = MockAdmin(mock.url)
    yield admin
    admin.clear_rules()


def connect(server) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=10)


def closed(sock: socket.socket, within: float = 5.0) -> bool:
    sock.settimeout(within)
    try:
        while sock.recv(65536):
            pass
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False
    return True


def test_keep_alive_serves_many_requests_on_one_connection(mock):
    with connect(mock) as sock:
        buffer = bytearray()
        for _ in range(3):
            sock.sendall(soap_request(mock))
            status, headers, body = read_response(sock, buffer)
            assert status == 200 and b'isSuccess="true"' in body
            assert headers["content-type"] == "text/xml; charset=utf-8"
            assert "connection" not in headers


def test_pipelined_requests_are_answered_in_order(mock):
    with connect(mock) as sock:
        sock.sendall(soap_request(mock) + soap_request(mock, "<m:getServerTime/>",
                                                       action="getServerTime"))
        buffer = bytearray()
        first, second = read_response(sock, buffer), read_response(sock, buffer)
    assert first[0] == second[0] == 200
    assert b"getResponse" in first[2] and b"getServerTimeResponse" in second[2]


def test_a_request_that_asks_to_close_is_the_last_answered_on_its_connection(mock):
    with connect(mock) as sock:
        sock.sendall(soap_request(mock, extra=b"Connection: close\r\n") + soap_request(mock))
        buffer = bytearray()
        status, headers, _ = read_response(sock, buffer)
        assert status == 200 and headers["connection"] == "close"
        assert closed(sock) and b"HTTP/1.1" not in buffer


def test_a_chunked_body_is_read_whole(mock):
    body = envelope(GET_VENDOR_101, passport_xml(mock.settings))
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(part), part)
                      for part in (body[:100], body[100:700], body[700:]))
    with connect(mock) as sock:
        sock.sendall(b"POST " + SERVICE + b" HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\n"
                     b"SOAPAction: get\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks +
                     b"0\r\n\r\n")
        status, _, answer = read_response(sock, bytearray())
    assert status == 200 and b"Acme Supplies Inc." in answer


def test_expect_100_continue_is_answered_before_the_body_is_sent(mock):
    request = soap_request(mock, extra=b"Expect: 100-continue\r\n")
    head, _, body = request.partition(b"\r\n\r\n")
    with connect(mock) as sock:
        sock.sendall(head + b"\r\n\r\n")
        buffer = bytearray()
        status, _, _ = read_response(sock, buffer)
        assert status == 100
        sock.sendall(body)
        status, _, answer = read_response(sock, buffer)
    assert status == 200 and b'isSuccess="true"' in answer


def test_http_1_0_without_keep_alive_gets_its_answer_and_a_closed_connection(mock):
    with connect(mock) as sock:
        sock.sendall(b"GET /wsdl/v2024_1_0/netsuite.wsdl HTTP/1.0\r\n\r\n")
        status, headers, body = read_response(sock, bytearray())
        assert status == 200 and headers["connection"] == "close" and b"definitions" in body
        assert closed(sock)


def test_head_gets_the_headers_and_no_body(mock):
    with connect(mock) as sock:
        sock.sendall(b"HEAD /wsdl/v2024_1_0/netsuite.wsdl HTTP/1.1\r\nHost: x\r\n\r\n"
                     b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        buffer = bytearray()
        sock.settimeout(10)
        while buffer.count(b"\r\n\r\n") < 2:
            buffer += sock.recv(65536)
    head = bytes(buffer).split(b"\r\n\r\n")[0]
    assert b"200 OK" in head and int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0]) > 1000
    # the next response follows the HEAD's headers at once: no body was sent for it
    assert bytes(buffer).split(b"\r\n\r\n")[1].startswith(b"HTTP/1.1 200 OK")


@pytest.fixture
def small_mock():
    with MockServer(MockSettings(port=0, seed="demo", max_request_bytes=4096)) as server:
        yield server


def test_a_body_past_twice_the_request_limit_is_refused_unread(small_mock):
    with connect(small_mock) as sock:
        sock.sendall(b"POST " + SERVICE + b" HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\n"
                     b"SOAPAction: get\r\nContent-Length: 1000000\r\n\r\n")
        status, headers, _ = read_response(sock, bytearray())
        assert status == 413 and headers["connection"] == "close"
        assert closed(sock)


def test_headers_past_the_limit_are_refused(mock):
    with connect(mock) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 300_000 + b"\r\n\r\n")
        status, _, _ = read_response(sock, bytearray())
    assert status == 431


def test_a_request_that_is_not_http_is_refused(mock):
    with connect(mock) as sock:
        sock.sendall(b"\x16\x03\x01 not http at all\r\n\r\n")
        status, _, _ = read_response(sock, bytearray())
        assert status == 400 and closed(sock)


def test_a_slow_request_holds_only_its_own_connection(mock, admin):
    """A delay rule holds one get for 1.5 s; meanwhile other gets, the WSDL and the admin API
    answer at once (no request waits behind another)."""
    admin.add_rule({"operation": "get", "record_type": "vendor", "xpath":
                    "//*[@internalId='101']", "action": {"kind": "delay", "ms": 1500}})
    slow = threading.Thread(target=requests.post, args=(mock.service_url,), kwargs=dict(
        data=envelope(GET_VENDOR_101, passport_xml(mock.settings)), timeout=10,
        headers={"Content-Type": "text/xml", "SOAPAction": "get"}))
    slow.start()
    time.sleep(0.2)
    started = time.monotonic()
    other = GET_VENDOR_101.replace('"101"', '"102"')
    answer = requests.post(mock.service_url, timeout=10,
                           data=envelope(other, passport_xml(mock.settings)),
                           headers={"Content-Type": "text/xml", "SOAPAction": "get"})
    assert answer.status_code == 200
    assert requests.get(mock.wsdl_url, timeout=10).status_code == 200
    assert requests.get(mock.url + "/__admin/health", timeout=10).status_code == 200
    assert time.monotonic() - started < 1.0
    assert slow.is_alive()   # still held by its rule
    slow.join(timeout=10)


def test_the_wsdl_and_admin_answer_while_every_slot_is_taken(mock, admin):
    """The session mock's limit is 5: five delayed requests hold every slot, a sixth is refused
    at once, and the WSDL and admin API still answer."""
    admin.add_rule({"operation": "getServerTime", "action": {"kind": "delay", "ms": 1500}})
    body = envelope("<m:getServerTime/>", passport_xml(mock.settings))
    held = [threading.Thread(target=requests.post, args=(mock.service_url,), kwargs=dict(
        data=envelope("<m:getServerTime/>", passport_xml(mock.settings)), timeout=10,
        headers={"Content-Type": "text/xml", "SOAPAction": "getServerTime"}))
        for _ in range(5)]
    for thread in held:
        thread.start()
    deadline = time.monotonic() + 5
    while admin.governance()[mock.settings.account]["inFlight"] < 5:
        assert time.monotonic() < deadline, "the five requests never all took a slot"
        time.sleep(0.02)
    started = time.monotonic()
    refused = requests.post(mock.service_url, data=body, timeout=10,
                            headers={"Content-Type": "text/xml", "SOAPAction": "getServerTime"})
    assert b"WS_REQUEST_BLOCKED" in refused.content
    assert requests.get(mock.wsdl_url, timeout=10).status_code == 200
    assert requests.get(mock.url + "/__admin/journal?limit=1", timeout=10).status_code == 200
    assert time.monotonic() - started < 1.0
    for thread in held:
        thread.join(timeout=10)


@pytest.mark.parametrize("rule, outcome", [
    ({"kind": "drop"}, "dropped"),
    ({"kind": "drop", "phase": "before"}, "dropped"),
    ({"kind": "reset"}, "reset"),
    ({"kind": "reset", "phase": "before"}, "reset"),
    ({"kind": "truncate", "bytes": 100}, "truncated"),
])
def test_fault_rules_break_the_connection_as_they_say(mock, admin, rule, outcome):
    admin.add_rule({"operation": "get", "action": rule})
    with connect(mock) as sock:
        sock.sendall(soap_request(mock))
        received = bytearray()
        sock.settimeout(10)
        if outcome == "reset":   # a RST, not an orderly close
            with pytest.raises(ConnectionResetError):
                while sock.recv(65536):
                    pass
        else:
            while chunk := sock.recv(65536):
                received += chunk
    if outcome in ("dropped", "reset"):
        assert received == b""
    else:
        head, _, body = bytes(received).partition(b"\r\n\r\n")
        declared = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
        assert len(body) == 100 < declared
    entry = admin.journal(limit=1)[-1]
    assert entry["outcome"] == outcome
    # the next connection is served as usual
    with connect(mock) as sock:
        admin.clear_rules()
        sock.sendall(soap_request(mock))
        assert read_response(sock, bytearray())[0] == 200


# -- the server alone, with a handler of the test's own ----------------------------------------
@pytest.fixture
def plain_server():
    answers: list = []
    server = HttpServer(lambda request: answers.pop(0)(request), port=0, idle_timeout=5,
                        header_timeout=5, max_body_bytes=1000, keep_body_bytes=100).start()
    yield server, answers
    server.stop()


def test_a_body_over_what_is_kept_reaches_the_handler_as_its_size(plain_server):
    server, answers = plain_server
    seen = []
    answers.append(lambda request: seen.append((request.body, request.body_size)) or
                   Answer.of(200, b"ok", "text/plain"))
    response = requests.post(f"http://127.0.0.1:{server.effective_port}/x", data=b"a" * 500,
                             timeout=10)
    assert response.text == "ok" and seen == [(b"", 500)]


def test_the_request_reaches_the_handler_as_sent(plain_server):
    server, answers = plain_server
    seen = []
    answers.append(lambda request: seen.append(request) or Answer.of(201, b"made", "text/x"))
    response = requests.post(f"http://127.0.0.1:{server.effective_port}/a%20b?c=d",
                             data=b"payload", headers={"X-Thing": "1"}, timeout=10)
    assert (response.status_code, response.reason, response.text) == (201, "Created", "made")
    request = seen[0]
    assert (request.method, request.path, request.query, request.body) == (
        "POST", "/a b", "c=d", b"payload")
    assert request.headers["x-thing"] == "1" and request.remote_addr == "127.0.0.1"
    assert request.base_url == f"http://127.0.0.1:{server.effective_port}"


def test_a_handler_that_fails_gets_a_500_and_the_server_goes_on(plain_server):
    server, answers = plain_server
    answers.append(lambda request: 1 / 0)
    answers.append(lambda request: Answer.of(200, b"fine", "text/plain"))
    url = f"http://127.0.0.1:{server.effective_port}/"
    assert requests.get(url, timeout=10).status_code == 500
    assert requests.get(url, timeout=10).text == "fine"
