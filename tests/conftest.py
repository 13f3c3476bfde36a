"""Shared fixtures: a real mock on a free port, zeep clients for it, and raw SOAP helpers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import requests
import zeep
from hypothesis import settings as hypothesis_settings
from lxml import etree

from mockserver.config import MockSettings
from mockserver.server import MockServer
from suitetalk.passport import make_passport
from tests import netsuite_wsdl

ROOT = Path(__file__).resolve().parent.parent
REAL_WSDL_DIR = netsuite_wsdl.located()   # filled by a download at collection if need be
BINDING = "{urn:platform_2024_1.webservices.netsuite.com}NetSuiteBinding"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
MSGS = "urn:messages_2024_1.platform.webservices.netsuite.com"
CORE = "urn:core_2024_1.platform.webservices.netsuite.com"
FAULTS = "urn:faults_2024_1.platform.webservices.netsuite.com"
LIST_REL = "urn:relationships_2024_1.lists.webservices.netsuite.com"

# Tests that need NetSuite's published WSDL: deselected when it cannot be had (see below).
requires_shared = pytest.mark.shared
NEEDS_REAL_WSDL = {"real_schema", "real_wsdl_client"}   # fixtures that read it


pytest_plugins = ("pytester",)   # tests of the netsuite-contracts pytest plugin

# The suite is deterministic: every Hypothesis test draws the same examples on every run (and
# keeps no example database). HYPOTHESIS_PROFILE=explore draws new ones, for long runs.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_collection_modifyitems(config, items):
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if {"mock_server", "netsuite_mock_server"} & fixtures:
            item.add_marker(pytest.mark.server)
        if NEEDS_REAL_WSDL & fixtures:
            item.add_marker(pytest.mark.shared)
    conformance = [item for item in items if item.get_closest_marker("shared")]
    problem = real_wsdl_problem() if conformance else None
    if problem:
        items[:] = [item for item in items if not item.get_closest_marker("shared")]
        config.hook.pytest_deselected(items=conformance)
        config.stash[WSDL_NOTE] = (
            f"{len(conformance)} conformance tests against NetSuite's published WSDL deselected "
            f"({problem}): set NETSUITE_WSDL_DIR to its v2024_1_0 folder, put it at "
            f"../shared/netsuite-wsdl/v2024_1_0, or allow a download from {netsuite_wsdl.WSDL_URL}")


def pytest_terminal_summary(terminalreporter, config):
    if WSDL_NOTE in config.stash:
        terminalreporter.write_line(config.stash[WSDL_NOTE])


WSDL_NOTE = pytest.StashKey[str]()
_wsdl_problems: dict[Path, str | None] = {}


def real_wsdl_problem() -> str | None:
    """None when NetSuite's WSDL is at REAL_WSDL_DIR (downloaded into the cache the first time),
    else why not. Asked once a session: a failed download is not retried."""
    if netsuite_wsdl.is_wsdl_dir(REAL_WSDL_DIR):
        return None
    if REAL_WSDL_DIR not in _wsdl_problems:
        failed = netsuite_wsdl.download(REAL_WSDL_DIR)
        _wsdl_problems[REAL_WSDL_DIR] = failed and f"not found, download failed: {failed}"
    return _wsdl_problems[REAL_WSDL_DIR]


class SoapClient:
    """A zeep service for the mock that signs every call with a fresh TokenPassport."""

    def __init__(self, client: zeep.Client, server: MockServer, service_url: str | None = None):
        self.client = client
        self.server = server
        self.service = client.create_service(BINDING, service_url or server.service_url)
        self.settings = server.settings

    @property
    def last_response(self) -> bytes:
        """The raw body of the last response (zeep clients built by these fixtures record it)."""
        return self.client.transport.last_response

    def type(self, name: str):
        return self.client.get_type(name)

    def passport(self, *, nonce=None, timestamp=None, algorithm="HMAC-SHA256"):
        s = self.settings
        fields = make_passport(s.account, s.consumer_key, s.consumer_secret, s.token_id,
                               s.token_secret, nonce=nonce, timestamp=timestamp,
                               algorithm=algorithm)
        signature = fields.pop("signature")
        return self.type("ns0:TokenPassport")(
            **fields, signature=self.type("ns0:TokenPassportSignature")(
                signature["value"], algorithm=signature["algorithm"]))

    def call(self, operation: str, *args, headers: dict | None = None, **kwargs):
        soap_headers = {"tokenPassport": self.passport()}
        soap_headers.update(headers or {})
        return getattr(self.service, operation)(*args, _soapheaders=soap_headers, **kwargs)

    def ref(self, record_type: str | None = None, internal_id=None, external_id=None):
        return self.type("ns0:RecordRef")(type=record_type, internalId=internal_id,
                                          externalId=external_id)


@pytest.fixture(scope="session")
def mock_server():
    with MockServer(MockSettings(port=0, seed="demo", concurrency_limit=5)) as server:
        yield server


@pytest.fixture
def mock(mock_server):
    """The session's mock, reset to the demo data before the test."""
    response = requests.post(mock_server.url + "/__admin/reset", json={"seed": "demo"},
                             timeout=30)
    response.raise_for_status()
    return mock_server


@pytest.fixture
def unimplemented_operation(monkeypatch) -> str:
    """An operation the mock answers as one it does not implement: every one of NetSuite's 42
    has a handler now, so one (getServerTime, which takes no arguments) is taken out for the
    test (the server runs in this process)."""
    from mockserver.domain import dispatch
    monkeypatch.delitem(dispatch.OPERATIONS, "getServerTime")
    return "getServerTime"


@pytest.fixture(scope="session")
def zeep_client(mock_server) -> zeep.Client:
    return zeep.Client(mock_server.wsdl_url, transport=RecordingTransport())


@pytest.fixture
def ns(mock, zeep_client) -> SoapClient:
    return SoapClient(zeep_client, mock)


# -- raw SOAP ----------------------------------------------------------------------------------
def passport_xml(settings, *, children_ns: str = CORE, **overrides) -> str:
    fields = make_passport(settings.account, settings.consumer_key, settings.consumer_secret,
                           settings.token_id, settings.token_secret)
    fields.update(overrides)
    signature = fields.pop("signature", None)
    parts = [f"<c:{name}>{value}</c:{name}>" for name, value in fields.items()
             if value is not None]
    if signature is not None:
        parts.append(f'<c:signature algorithm="{signature["algorithm"]}">'
                     f'{signature["value"]}</c:signature>')
    return (f'<m:tokenPassport xmlns:m="{MSGS}" xmlns:c="{children_ns}">'
            + "".join(parts) + "</m:tokenPassport>")


def envelope(body: str, header: str = "") -> bytes:
    return (f'<soapenv:Envelope xmlns:soapenv="{SOAP_ENV}" '
            f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:m="{MSGS}" '
            f'xmlns:c="{CORE}"><soapenv:Header>{header}</soapenv:Header>'
            f"<soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>").encode()


def post_soap(server: MockServer, data: bytes, action: str = "get",
              content_type: str = "text/xml; charset=utf-8") -> requests.Response:
    return requests.post(server.service_url, data=data, timeout=30,
                         headers={"Content-Type": content_type, "SOAPAction": action})


GET_VENDOR_101 = '<m:get><m:baseRef xsi:type="c:RecordRef" internalId="101" type="vendor"/></m:get>'


def parse_fault(response: requests.Response) -> dict:
    """The parts of a SOAP fault that NetSuite clients look at."""
    root = etree.fromstring(response.content)
    fault = root.find(f"{{{SOAP_ENV}}}Body/{{{SOAP_ENV}}}Fault")
    assert fault is not None, response.text
    detail = fault.find("detail")
    element = next((c for c in detail if etree.QName(c).namespace == FAULTS), None)
    return {
        "http_status": response.status_code,
        "faultcode": fault.findtext("faultcode"),
        "faultstring": fault.findtext("faultstring"),
        "element": etree.QName(element).localname if element is not None else None,
        "code": element.findtext(f"{{{FAULTS}}}code") if element is not None else None,
        "message": element.findtext(f"{{{FAULTS}}}message") if element is not None else None,
        "hostname": detail.findtext("{http://xml.apache.org/axis/}hostname"),
        "has_header": root.find(f"{{{SOAP_ENV}}}Header") is not None,
    }


def last_audit(server: MockServer) -> dict:
    entries = requests.get(server.url + "/__admin/audit", timeout=10).json()
    return entries[-1]


# -- validation against NetSuite's published XSDs ------------------------------------------------
@pytest.fixture(scope="session")
def real_schema():
    """NetSuite's whole 2024_1 schema compiled by lxml (tests that use it are marked
    ``shared``, and deselected when it cannot be had)."""
    imports = "".join(
        f'<xsd:import namespace="{etree.parse(str(p)).getroot().get("targetNamespace")}" '
        f'schemaLocation="{p.as_uri()}"/>'
        for p in sorted((REAL_WSDL_DIR / "xsd").glob("*.xsd")))
    wrapper = (f'<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
               f'targetNamespace="urn:netsuite-mock-tests">{imports}</xsd:schema>')
    return etree.XMLSchema(etree.fromstring(wrapper.encode()))


def assert_valid_response(schema: etree.XMLSchema, content: bytes) -> etree._Element:
    """The SOAP body's payload (and documentInfo header) validate against the real XSDs; for a
    fault, the NetSuite fault element in its detail does (the SOAP 1.1 envelope and Axis's
    hostname are not NetSuite's schema)."""
    root = etree.fromstring(content)
    body = root.find(f"{{{SOAP_ENV}}}Body")
    payload = next(iter(body))
    header = root.find(f"{{{SOAP_ENV}}}Header")
    checked = [payload] + (list(header) if header is not None else [])
    if etree.QName(payload).localname == "Fault":
        checked = [e for e in payload.iterfind("detail/*") if etree.QName(e).namespace == FAULTS]
    for element in checked:
        copy = etree.fromstring(etree.tostring(element))
        if not schema.validate(copy):
            raise AssertionError(f"{etree.QName(element).localname} does not validate: "
                                 f"{schema.error_log.filter_from_errors()}")
    return payload


class RecordingTransport(zeep.Transport):
    """A zeep transport that keeps the last response body (to validate it)."""

    last_response: bytes = b""

    def post_xml(self, address, envelope, headers):
        response = super().post_xml(address, envelope, headers)
        self.last_response = response.content
        return response


@pytest.fixture(scope="session")
def response_schema(request):
    """NetSuite's XSDs to validate responses with, or None when they cannot be had (tests that
    use it then still run, without the validation)."""
    return request.getfixturevalue("real_schema") if real_wsdl_problem() is None else None


def checked_call(client: SoapClient, schema, operation: str, **kwargs):
    """Call an operation and validate the response against the real XSDs (when present);
    returns the response body."""
    response = client.call(operation, **kwargs)
    if schema is not None:
        assert_valid_response(schema, client.last_response)
    return response.body
