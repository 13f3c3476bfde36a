"""Fuzzing the running mock with Hypothesis: malformed and mutated envelopes and headers.

Whatever arrives, the answer is a SOAP fault or a valid reply, promptly; the mock neither hangs
nor crashes, and its threads and memory do not grow. The suite runs a CI-sized number of
examples; a long run is ``make fuzz EXAMPLES=20000`` (docs/reliability.md).
"""

from __future__ import annotations

import os
import socket
import threading

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from tests.conftest import (CORE, GET_VENDOR_101, LIST_REL, MSGS, SOAP_ENV, envelope,
                            passport_xml)
from tests.mockserver.wire.test_hostile_input import rss_mb

pytestmark = [pytest.mark.server, pytest.mark.fuzz]
EXAMPLES = int(os.environ.get("NETSUITE_MOCK_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])

VALID_BODIES = [
    GET_VENDOR_101,
    "<m:getServerTime/>",
    '<m:getDataCenterUrls><m:account>1234567_SB1</m:account></m:getDataCenterUrls>',
    f'<m:add><m:record xsi:type="r:Vendor" xmlns:r="{LIST_REL}" externalId="FZ">'
    f'<r:companyName>Fuzz &amp; Co</r:companyName><r:subsidiary internalId="1"/>'
    f'<r:creditLimit>100.5</r:creditLimit><r:isInactive>false</r:isInactive></m:record></m:add>',
    f'<m:update><m:record xsi:type="r:Vendor" xmlns:r="{LIST_REL}" internalId="101">'
    f'<r:phone>555</r:phone></m:record></m:update>',
    '<m:delete><m:baseRef xsi:type="c:RecordRef" internalId="112" type="vendor"/></m:delete>',
    '<m:search><m:searchRecord xsi:type="lc:VendorSearchBasic" '
    'xmlns:lc="urn:common_2024_1.platform.webservices.netsuite.com"><lc:entityId operator='
    '"contains" xsi:type="c:SearchStringField"><c:searchValue>Acme</c:searchValue>'
    '</lc:entityId></m:searchRecord></m:search>',
    # the operations added since: jobs, saved searches, select values, attachments, stock
    f'<m:asyncAddList><m:record xsi:type="r:Vendor" xmlns:r="{LIST_REL}"><r:companyName>Job'
    f'</r:companyName><r:subsidiary internalId="1"/></m:record></m:asyncAddList>',
    '<m:checkAsyncStatus><m:jobId>ASYNCWEBSERVICES_1234567_SB1_1</m:jobId></m:checkAsyncStatus>',
    '<m:getAsyncResult><m:jobId>ASYNCWEBSERVICES_1</m:jobId><m:pageIndex>1</m:pageIndex>'
    '</m:getAsyncResult>',
    '<m:search><m:searchRecord xsi:type="tp:TransactionSearchAdvanced" savedSearchId="501" '
    'xmlns:tp="urn:sales_2024_1.transactions.webservices.netsuite.com"/></m:search>',
    '<m:getSavedSearch><m:record searchType="transaction"/></m:getSavedSearch>',
    '<m:getSelectValue><m:fieldDescription><c:recordType>vendorBill</c:recordType>'
    '<c:sublist>itemList</c:sublist><c:field>item</c:field></m:fieldDescription>'
    '<m:pageIndex>1</m:pageIndex></m:getSelectValue>',
    '<m:attach><m:attachReference xsi:type="c:AttachBasicReference"><c:attachTo '
    'xsi:type="c:RecordRef" internalId="101" type="vendor"/><c:attachedRecord '
    'xsi:type="c:RecordRef" internalId="1" type="file"/></m:attachReference></m:attach>',
    '<m:getItemAvailability><m:itemAvailabilityFilter><c:item><c:recordRef internalId="201"/>'
    '</c:item></m:itemAvailabilityFilter></m:getItemAvailability>',
    '<m:getCustomizationId><m:customizationType getCustomizationType="customList"/>'
    '<m:includeInactives>true</m:includeInactives></m:getCustomizationId>',
    '<m:getCurrencyRate><m:currencyRateFilter><c:baseCurrency internalId="1"/>'
    '</m:currencyRateFilter></m:getCurrencyRate>',
]

# Fragments that trip parsers and binders: markup, entities, odd types, namespaces.
NASTY = ["<", ">", "&", "&amp;", "&#0;", "&#x110000;", "]]>", "<![CDATA[x]]>", "\x00", "\ufffe",
         "<!DOCTYPE x>", '"', "'", "xsi:type=\"c:Nope\"", 'xmlns:c=""', "<m:record/>",
         "<c:internalId>1</c:internalId>", "9" * 40, "-1e309", "NaN", "true", "2024-13-45",
         "<r:companyName><x/></r:companyName>", "\U0001f600", "\u202e", " " * 100]


def mutate(data: bytes, draw) -> bytes:
    action = draw(st.sampled_from(["delete", "insert", "replace", "truncate", "duplicate",
                                   "swap_case"]))
    if not data:
        return data
    i = draw(st.integers(0, len(data) - 1))
    j = draw(st.integers(i, min(len(data), i + 64)))
    if action == "delete":
        return data[:i] + data[j:]
    if action == "insert":
        piece = draw(st.sampled_from(NASTY) | st.text(max_size=20)).encode("utf-8", "surrogatepass")
        return data[:i] + piece + data[i:]
    if action == "replace":
        return data[:i] + draw(st.binary(max_size=16)) + data[j:]
    if action == "truncate":
        return data[:i]
    if action == "duplicate":
        return data[:j] + data[i:j] + data[j:]
    return data[:i] + data[i:j].swapcase() + data[j:]


@st.composite
def requests_to_send(draw, settings_):
    body = draw(st.sampled_from(VALID_BODIES))
    header = passport_xml(settings_) if draw(st.booleans()) else ""
    data = envelope(body, header)
    for _ in range(draw(st.integers(0, 4))):
        data = mutate(data, draw)
    if draw(st.integers(0, 9)) == 0:
        data = draw(st.binary(max_size=512))
    content_type = draw(st.sampled_from(["text/xml; charset=utf-8", "text/xml", "", "text/plain",
                                         "application/soap+xml", "text/xml; charset=latin-1",
                                         "application/xml"]))
    action = draw(st.sampled_from(["get", "add", "", "nonsense", None]))
    headers = {"Content-Type": content_type} if content_type else {}
    if action is not None:
        headers["SOAPAction"] = action
    return data, headers


def check_answer(response: requests.Response) -> None:
    check_answer_bytes(response.status_code, response.content)


def check_answer_bytes(status: int, content: bytes) -> None:
    assert status in (200, 500), status
    root = etree.fromstring(content)
    assert root.tag == f"{{{SOAP_ENV}}}Envelope"
    body = root.find(f"{{{SOAP_ENV}}}Body")
    payload = next(iter(body))
    if status == 500:
        assert payload.tag == f"{{{SOAP_ENV}}}Fault"
        assert payload.findtext("faultcode") == "soapenv:Server.userException"
        faultstring = payload.findtext("faultstring")
        assert faultstring and faultstring != "Internal Error"       # Spyne's, not NetSuite's
        assert not faultstring.startswith("An unexpected error occurred"), "the mock failed"
    else:
        assert etree.QName(payload).namespace == MSGS


def test_fuzzed_requests_get_a_fault_or_a_valid_reply(mock):
    session = requests.Session()
    threads_before = threading.active_count()
    memory_before = rss_mb()

    @FUZZ
    @given(sent=requests_to_send(mock.settings))
    def run(sent):
        data, headers = sent
        response = session.post(mock.service_url, data=data, headers=headers, timeout=10)
        check_answer(response)

    run()
    # still healthy: a normal request works, nothing is left in flight, nothing leaked
    ok = session.post(mock.service_url, data=envelope(GET_VENDOR_101, passport_xml(
        mock.settings)), headers={"Content-Type": "text/xml", "SOAPAction": "get"}, timeout=10)
    assert ok.status_code == 200
    governance = session.get(mock.url + "/__admin/governance", timeout=10).json()
    assert governance["1234567_SB1"]["inFlight"] == 0
    assert threading.active_count() <= threads_before + 2
    assert rss_mb() - memory_before < 100


def raw_post(port: int, header_lines: list[bytes], body: bytes) -> tuple[int | None, bytes]:
    """POST over a plain socket, headers exactly as given; (status, body) or (None, b"")."""
    request = (b"POST /services/NetSuitePort_2024_1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               b"Connection: close\r\n" + b"".join(h + b"\r\n" for h in header_lines)
               + b"\r\n" + body)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        try:
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    if not received.startswith(b"HTTP/1."):
        return None, b""
    head, _, payload = received.partition(b"\r\n\r\n")
    return int(head.split()[1]), payload


@FUZZ
@given(name=st.sampled_from([b"SOAPAction", b"Content-Type", b"Content-Length", b"Host",
                             b"Transfer-Encoding", b"Expect", b"X-Anything"]),
       value=st.binary(max_size=60).map(lambda b: b.replace(b"\r", b"").replace(b"\n", b"")),
       keep_defaults=st.booleans())
def test_fuzzed_http_headers_never_break_the_server(mock_server, name, value, keep_defaults):
    body = envelope("<m:getServerTime/>", passport_xml(mock_server.settings))
    lines = [name + b": " + value]
    if keep_defaults:
        lines += [b"Content-Type: text/xml", b"SOAPAction: getServerTime"]
    if name.lower() not in (b"content-length", b"transfer-encoding"):
        lines.append(b"Content-Length: " + str(len(body)).encode())
    status, payload = raw_post(mock_server.port, lines, body)
    # Requests broken at the HTTP level (a Transfer-Encoding the server does not speak, a lying
    # Content-Length) are refused by the HTTP server before any SOAP is read.
    if status in (200, 500):
        check_answer_bytes(status, payload)
    else:
        assert status in (None, 400, 411, 413, 417, 431, 501, 505), status
    health = requests.get(mock_server.url + "/__admin/health", timeout=10)
    assert health.status_code == 200


def test_fuzz_namespaces_are_the_ones_netsuite_uses():
    # guards the fuzzer's own inputs: they start from real NetSuite bodies
    assert MSGS.startswith("urn:messages_2024_1") and CORE.startswith("urn:core_2024_1")
