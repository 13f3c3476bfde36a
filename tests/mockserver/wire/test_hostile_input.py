"""Hostile and broken requests: each gets a NetSuite-shaped SOAP fault at once, nothing is
resolved or fetched, memory stays bounded, and the mock keeps serving."""

from __future__ import annotations

import http.server
import threading
import time

import pytest
import requests

from mockserver.config import MockSettings
from mockserver.server import MockServer
from tests.conftest import (CORE, GET_VENDOR_101, LIST_REL, SOAP_ENV, envelope, parse_fault,
                            passport_xml, post_soap)

pytestmark = pytest.mark.server


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Listener:
    """A local HTTP server that counts requests: proof that nothing was fetched."""

    def __init__(self):
        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"<x>fetched</x>")

            def log_message(self, *args):
                pass
        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/evil.dtd"

    def close(self):
        self.server.shutdown()


@pytest.fixture(scope="module")
def listener():
    server = Listener()
    yield server
    server.close()


def billion_laughs() -> bytes:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)]
    return (f'<?xml version="1.0"?><!DOCTYPE lolz [{"".join(entities)}]>'.encode()
            + envelope('<m:get><m:baseRef internalId="&lol9;" type="vendor"/></m:get>'))


def quadratic_blowup() -> bytes:
    big = "A" * 50_000
    return (f'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "{big}">]>'.encode()
            + envelope("<m:getServerTime>" + "&a;" * 5000 + "</m:getServerTime>"))


HOSTILE = {
    "xxe local file": lambda l: (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM '
                                 b'"file:///etc/passwd">]>' + envelope(
                                     "<m:get><m:baseRef internalId='&xxe;' type='vendor'/>"
                                     "</m:get>")),
    "xxe network": lambda l: (f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM '
                              f'"{l.url}">]>'.encode() + envelope("<m:getServerTime>&xxe;"
                                                                  "</m:getServerTime>")),
    "external dtd": lambda l: (f'<?xml version="1.0"?><!DOCTYPE x SYSTEM "{l.url}">'.encode()
                               + envelope("<m:getServerTime/>")),
    "parameter entity": lambda l: (f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY % p SYSTEM '
                                   f'"{l.url}"> %p;]>'.encode() + envelope("<m:getServerTime/>")),
    "billion laughs": lambda l: billion_laughs(),
    "quadratic blowup": lambda l: quadratic_blowup(),
    "deep nesting": lambda l: envelope("<m:getServerTime>" + "<a>" * 20_000 + "</a>" * 20_000
                                       + "</m:getServerTime>"),
    "deep nesting inside a field": lambda l: envelope(
        f'<m:add><m:record xsi:type="r:Vendor" xmlns:r="{LIST_REL}"><r:companyName>'
        + "<b>" * 200 + "</b>" * 200 + "</r:companyName></m:record></m:add>"),
    "ten million characters of text": lambda l: envelope(
        f'<m:add><m:record xsi:type="r:Vendor" xmlns:r="{LIST_REL}"><r:companyName>'
        + "x" * 12_000_000 + "</r:companyName></m:record></m:add>"),
    "millions of elements": lambda l: envelope("<m:getServerTime>" + "<a/>" * 2_100_000
                                               + "</m:getServerTime>"),
    "invalid utf-8": lambda l: envelope("<m:getServerTime/>").replace(b"getServerTime",
                                                                     b"get\xff\xfeTime", 1),
    "not xml": lambda l: b'{"operation": "get", "internalId": 101}',
    "empty body": lambda l: b"",
    "only a prolog": lambda l: b'<?xml version="1.0" encoding="UTF-8"?>',
    "unclosed envelope": lambda l: envelope(GET_VENDOR_101)[:-40],
    "soap 1.2 envelope": lambda l: (b'<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-'
                                    b'envelope"><env:Body><getServerTime/></env:Body>'
                                    b'</env:Envelope>'),
    "no body": lambda l: f'<soapenv:Envelope xmlns:soapenv="{SOAP_ENV}"/>'.encode(),
    "unknown operation": lambda l: envelope("<m:launchTheMissiles/>"),
    "body in the wrong namespace": lambda l: envelope(
        '<get xmlns="urn:messages_2019_2.platform.webservices.netsuite.com"/>'),
    "processing instructions and comments": lambda l: envelope(
        "<?evil instruction?><!-- hi --><m:getServerTime/>"),
}


# The guard a large hostile body is meant to meet (not the size limit: both are under it).
GUARD = {"ten million characters of text": "Text node too long",
         "millions of elements": "more than 1000000 elements"}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_request_gets_a_soap_fault_quickly_and_nothing_is_fetched(mock, listener, name):
    data = HOSTILE[name](listener)
    before = rss_mb()
    started = time.monotonic()
    response = post_soap(mock, data)
    elapsed = time.monotonic() - started
    fault = parse_fault(response)
    assert fault["http_status"] == 500 and fault["faultcode"] == "soapenv:Server.userException"
    assert fault["faultstring"] and fault["hostname"]
    assert GUARD.get(name, "") in fault["faultstring"], fault
    assert b"root:" not in response.content and b"fetched" not in response.content
    assert listener.hits == []
    assert elapsed < 2.0, f"{name} took {elapsed:.2f}s"   # the 100 ms target is benchmarked
    assert rss_mb() - before < 200
    ok = post_soap(mock, envelope(GET_VENDOR_101, passport_xml(mock.settings)))
    assert ok.status_code == 200 and b"Acme Supplies Inc." in ok.content


@pytest.mark.parametrize("headers, expected", [
    ({"Content-Type": "application/json", "SOAPAction": "get"}, "is not supported"),
    ({"Content-Type": "application/soap+xml", "SOAPAction": "get"}, "not SOAP 1.2"),
    ({"Content-Type": "text/xml"}, "no SOAPAction header!"),
])
def test_wrong_http_headers(mock, headers, expected):
    response = requests.post(mock.service_url, timeout=10, headers=headers,
                             data=envelope(GET_VENDOR_101, passport_xml(mock.settings)))
    assert expected in parse_fault(response)["faultstring"]


def test_a_100_mb_body_gets_exceeded_request_size_fault_without_being_parsed(mock):
    chunk = b"<a/>" * 262_144            # 1 MiB

    def body():
        yield envelope("<m:getServerTime>")[:-len("</m:getServerTime></soapenv:Body>"
                                                 "</soapenv:Envelope>")]
        for _ in range(101):
            yield chunk
    before = rss_mb()
    response = requests.post(mock.service_url, data=body(), timeout=120,
                             headers={"Content-Type": "text/xml", "SOAPAction": "getServerTime"})
    fault = parse_fault(response)
    assert fault["element"] == "exceededRequestSizeFault"
    assert fault["message"] == "The request exceeds the maximum allowed size of 100 MB."
    assert rss_mb() - before < 150          # spooled to disk by the server, not held in memory
    journal = requests.get(mock.url + "/__admin/journal?limit=1", timeout=10).json()[0]
    assert journal["codes"] == ["USER_ERROR"] and journal["outcome"] == "fault"


def big_vendor_add(settings, size: int) -> bytes:
    """An add of one vendor whose comments make the body ``size`` bytes long."""
    def body(comments: str) -> bytes:
        return envelope(f'<m:add><m:record xsi:type="r:Vendor" xmlns:r="{LIST_REL}">'
                        f"<r:companyName>Big Comments Ltd</r:companyName>"
                        f"<r:comments>{comments}</r:comments>"
                        f'<r:subsidiary internalId="1"/></m:record></m:add>',
                        passport_xml(settings))
    return body("x" * (size - len(body(""))))


def test_a_body_over_2_mb_and_under_netsuites_limit_is_answered(mock):
    """Spyne's own 2 MB limit ("Request too long") must not stand in for NetSuite's."""
    data = big_vendor_add(mock.settings, 2_100_000 + 10_000)
    response = post_soap(mock, data, action="add")
    assert response.status_code == 200, response.text[:500]
    assert b'isSuccess="true"' in response.content


def test_a_body_just_over_the_limit_gets_exceeded_request_size_fault():
    """At the limit a body is read; one byte over it gets NetSuite's fault (a mock with a
    3 MB limit, so the test need not send 100 MB)."""
    limit = 3 * 1024 * 1024
    with MockServer(MockSettings(port=0, seed="demo", max_request_bytes=limit)) as small:
        at_limit = post_soap(small, big_vendor_add(small.settings, limit), action="add")
        assert at_limit.status_code == 200 and b'isSuccess="true"' in at_limit.content
        fault = parse_fault(post_soap(small, big_vendor_add(small.settings, limit + 1),
                                      action="add"))
        assert (fault["element"], fault["code"]) == ("exceededRequestSizeFault", "USER_ERROR")
        assert fault["message"] == "The request exceeds the maximum allowed size of 3 MB."


def test_a_flood_of_namespace_declarations_is_refused_within_a_second(mock):
    """60,000 declarations in scope above 1,000 typed references: every xsi:type resolution
    would walk all of them (17.8 s of CPU); the parser stops the flood as it reads it."""
    declarations = "".join(f' xmlns:n{i}="urn:flood:{i}"' for i in range(60_000))
    references = '<m:baseRef xsi:type="c:RecordRef" internalId="101" type="vendor"/>' * 1000
    data = envelope(f"<m:getList{declarations}>{references}</m:getList>",
                    passport_xml(mock.settings))
    assert 1_400_000 < len(data) < 2_000_000
    started = time.monotonic()
    response = requests.post(mock.service_url, data=data, timeout=5,
                             headers={"Content-Type": "text/xml", "SOAPAction": "getList"})
    elapsed = time.monotonic() - started
    fault = parse_fault(response)
    assert "namespace declarations are in scope" in fault["faultstring"]
    assert elapsed < 1.0, f"{elapsed:.2f}s"


def test_many_declarations_one_per_element_as_dotnet_writes_them_are_accepted(mock):
    """.NET declares a prefix on each element that uses it: a thousand declarations in all,
    a few in scope at a time, is an ordinary request."""
    references = "".join(f'<m:baseRef xsi:type="q{i}:RecordRef" xmlns:q{i}="{CORE}" '
                         f'internalId="101" type="vendor"/>' for i in range(1000))
    data = envelope(f"<m:getList>{references}</m:getList>", passport_xml(mock.settings))
    started = time.monotonic()
    response = post_soap(mock, data, action="getList")
    assert response.status_code == 200   # a success for the list and for each of the reads
    assert response.content.count(b'isSuccess="true"') == 1001
    assert time.monotonic() - started < 5.0


def test_many_hostile_requests_in_parallel_leave_the_mock_healthy(mock, listener):
    payloads = [HOSTILE[name](listener) for name in ("billion laughs", "deep nesting",
                                                     "not xml", "xxe network", "invalid utf-8")]
    threads_before = threading.active_count()
    results = []

    def hammer(data):
        for _ in range(10):
            results.append(post_soap(mock, data).status_code)
    workers = [threading.Thread(target=hammer, args=(p,)) for p in payloads * 2]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    assert results == [500] * 100
    assert listener.hits == []
    assert threading.active_count() <= threads_before + 1
    governance = requests.get(mock.url + "/__admin/governance", timeout=10).json()
    assert governance["1234567_SB1"]["inFlight"] == 0
    ok = post_soap(mock, envelope(GET_VENDOR_101, passport_xml(mock.settings)))
    assert ok.status_code == 200


def test_bodies_parse_as_soap_even_with_an_xml_declaration_and_bom(mock):
    data = b"\xef\xbb\xbf<?xml version='1.0' encoding='UTF-8'?>" + envelope(
        GET_VENDOR_101, passport_xml(mock.settings))
    assert post_soap(mock, data).status_code == 200


# xsi:type values a client may send, valid QNames or not: each is bound or refused the way
# NetSuite's Axis refuses it, never an internal error.
COMMON = "urn:common_2024_1.platform.webservices.netsuite.com"
ODD_XSI_TYPES = {
    "an undeclared prefix": ('<m:get><m:baseRef xsi:type="q:RecordRef" internalId="101" '
                             'type="vendor"/></m:get>', "Unknown xsi:type prefix in 'q:RecordRef'"),
    "no prefix and no default namespace": (
        '<m:get><m:baseRef xsi:type="RecordRef" internalId="101" type="vendor"/></m:get>',
        "No deserializer for RecordRef"),
    "a type from another namespace": (
        '<m:get><m:baseRef xsi:type="xsd:string" xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
        'internalId="101" type="vendor"/></m:get>',
        "No deserializer for {http://www.w3.org/2001/XMLSchema}string"),
    "a type NetSuite does not have": ('<m:get><m:baseRef xsi:type="c:RecordReference"/></m:get>',
                                      "No deserializer for {" + CORE + "}RecordReference"),
    "an empty type": ('<m:get><m:baseRef xsi:type=""/></m:get>', "Invalid xsi:type ''"),
    "only a colon": ('<m:search><m:searchRecord xsi:type=":"/></m:search>', "Invalid xsi:type ':'"),
    "two colons": ('<m:search><m:searchRecord xsi:type="a:b:c"/></m:search>',
                   "Unknown xsi:type prefix in 'a:b:c'"),
    "a search field as the search record": (
        '<m:search><m:searchRecord xsi:type="c:SearchStringField"/></m:search>',
        "SearchStringField is not a SearchRecord"),
    "a search row as the search record": (
        f'<m:search><m:searchRecord xsi:type="lc:VendorSearchRowBasic" xmlns:lc="{COMMON}"/>'
        f"</m:search>", "VendorSearchRowBasic is not a SearchRecord"),
    "a field of another type": (
        f'<m:search><m:searchRecord xsi:type="lc:VendorSearchBasic" xmlns:lc="{COMMON}">'
        f'<lc:entityId xsi:type="c:SearchBooleanField"><c:searchValue>true</c:searchValue>'
        f"</lc:entityId></m:searchRecord></m:search>", "SearchBooleanField is not a "
                                                       "SearchStringField"),
    "an abstract type as a search field": (
        f'<m:search><m:searchRecord xsi:type="lc:VendorSearchBasic" xmlns:lc="{COMMON}">'
        f'<lc:entityId xsi:type="c:SearchRecord"/></m:searchRecord></m:search>',
        "SearchRecord is not a SearchStringField"),
    "a search field as a record": ('<m:add><m:record xsi:type="c:SearchStringField"/></m:add>',
                                   "SearchStringField is not a Record"),
    "a record as a reference": (
        f'<m:add><m:record xsi:type="r:Vendor" xmlns:r="{LIST_REL}"><r:companyName>x'
        f'</r:companyName><r:subsidiary xsi:type="r:Vendor" internalId="1"/></m:record></m:add>',
        "Vendor is not a RecordRef"),
}


@pytest.mark.parametrize("name", list(ODD_XSI_TYPES))
def test_odd_xsi_types_get_axis_faults(mock, name):
    body, expected = ODD_XSI_TYPES[name]
    operation = body[len("<m:"):].split(">")[0].split()[0]
    response = post_soap(mock, envelope(body, passport_xml(mock.settings)), action=operation)
    fault = parse_fault(response)
    assert fault["faultcode"] == "soapenv:Server.userException"
    assert fault["faultstring"] == f"org.xml.sax.SAXException: {expected}" or \
        fault["faultstring"].startswith(f"org.xml.sax.SAXException: {expected} ("), fault


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
@pytest.mark.parametrize("name", ["xxe local file", "xxe network", "external dtd",
                                  "parameter entity", "billion laughs"])
def test_a_doctype_in_a_wide_encoding_is_refused_unread(mock, listener, name, encoding):
    """In UTF-16 "<!DOCTYPE" is not the ASCII bytes; it is refused all the same, and nothing
    (a local file included) is read or fetched."""
    text = HOSTILE[name](listener).decode("utf-8")
    text = text.replace('<?xml version="1.0"?>', f'<?xml version="1.0" encoding="{encoding}"?>')
    fault = parse_fault(post_soap(mock, text.encode(encoding)))
    assert fault["faultstring"] == "org.xml.sax.SAXException: DOCTYPE is not allowed in SOAP " \
                                   "messages."
    assert listener.hits == []
