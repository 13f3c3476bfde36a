"""The behaviour behind the faster paths of issue 8: a starting mock serves its WSDL before the
rest is built, expired nonces are forgotten without forgetting recent ones, and the store
shares small references between records without letting anyone change a shared one."""

from __future__ import annotations

import io
import sys
import threading

import pytest

from mockserver.config import MockSettings
from mockserver.domain.errors import SoapFault
from mockserver.domain.store import RecordStore, SharedValue
from mockserver.server import build_app, build_backend
from mockserver.wire import wsdl
from mockserver.wire.http import StartingApplication
from suitetalk.passport import make_passport
from tests.conftest import GET_VENDOR_101, envelope, passport_xml


def call(app, method: str, path: str, body: bytes = b"") -> tuple[str, bytes]:
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "",
               "CONTENT_TYPE": "text/xml; charset=utf-8", "CONTENT_LENGTH": str(len(body)),
               "HTTP_SOAPACTION": "get", "wsgi.input": io.BytesIO(body),
               "wsgi.url_scheme": "http", "SERVER_NAME": "mock", "SERVER_PORT": "80",
               "HTTP_HOST": "mock", "REMOTE_ADDR": "127.0.0.1", "wsgi.errors": sys.stderr}
    answer: dict = {}
    data = b"".join(app(environ, lambda status, headers: answer.update(status=status)))
    return answer["status"], data


# -- a starting mock ---------------------------------------------------------------------------
def test_starting_mock_serves_the_wsdl_at_once_and_soap_once_built():
    settings = MockSettings(seed="demo")
    release = threading.Event()

    def build():
        release.wait(10)
        return build_app(settings)
    starting = StartingApplication(build, build_delay=0).start_building()
    status, body = call(starting, "GET", wsdl.WSDL_PATH)
    assert status == "200 OK" and b"NetSuiteBinding" in body
    status, body = call(starting, "GET", wsdl.XSD_DIR + "lists.relationships.xsd")
    assert status == "200 OK" and b'name="Vendor"' in body
    assert starting.app is None  # still building: the WSDL did not wait for it

    answers = []
    request = envelope(GET_VENDOR_101, passport_xml(settings))
    waiting = threading.Thread(target=lambda: answers.append(
        call(starting, "POST", wsdl.SERVICE_PATH, request)))
    waiting.start()
    waiting.join(0.3)
    assert waiting.is_alive() and not answers  # a SOAP request waits for the build
    release.set()
    waiting.join(10)
    status, body = answers[0]
    assert status.startswith("200") and b"Acme Supplies" in body


def test_a_failed_build_is_reraised_and_requests_get_503():
    def build():
        raise SoapFault(None, None, "seed broken")
    starting = StartingApplication(build, build_delay=0).start_building(now=True)
    with pytest.raises(SoapFault, match="seed broken"):
        starting.wait(10)
    status, _ = call(starting, "POST", wsdl.SERVICE_PATH, b"<x/>")
    assert status.startswith("503")


# -- nonces ------------------------------------------------------------------------------------
def test_expired_nonces_are_forgotten_and_recent_ones_still_refused():
    settings = MockSettings(seed="none")
    backend = build_backend(settings)
    verifier = backend.verifier
    clock = [1_700_000_000.0]
    verifier.wall_time = lambda: clock[0]

    def verify(nonce: str) -> None:
        p = make_passport(settings.account, settings.consumer_key, settings.consumer_secret,
                          settings.token_id, settings.token_secret, nonce=nonce,
                          timestamp=int(clock[0]))
        verifier.verify([p])

    for n in range(4100):  # past the size at which old nonces are looked for
        verify(f"old-nonce-{n:05d}")
    clock[0] += 700  # more than twice the timestamp window later
    verify("recent-nonce-1")
    verify("recent-nonce-2")
    assert len(verifier._seen_nonces) == 2  # the 4100 expired ones are gone
    with pytest.raises(SoapFault):
        verify("recent-nonce-1")  # a recent nonce is still single-use
    assert backend.audit.entries()[-1].detail == "NonceUsed"


# -- shared references ---------------------------------------------------------------------------
def test_equal_small_references_are_one_object_that_refuses_changes():
    store = RecordStore()
    for n in (1, 2):
        store.put("vendorBill", {
            "internalId": str(1000 + n), "tranId": f"B-{n}",
            "subsidiary": {"internalId": "1", "name": "Parent"},
            "itemList": {"item": [{"item": {"internalId": "201", "name": "Widget"},
                                   "quantity": float(n)}]}})
    first, second = store.get("vendorBill", "1001"), store.get("vendorBill", "1002")
    assert first["subsidiary"] is second["subsidiary"]
    assert first["itemList"]["item"][0]["item"] is second["itemList"]["item"][0]["item"]
    assert first["itemList"]["item"][0] is not second["itemList"]["item"][0]  # lines differ
    shared = first["subsidiary"]
    assert isinstance(shared, SharedValue) and shared == {"internalId": "1", "name": "Parent"}
    with pytest.raises(TypeError):
        shared["name"] = "Changed"
    with pytest.raises(TypeError):
        shared.update(name="Changed")
    copy = dict(shared)
    copy["name"] = "Changed"
    assert type(copy) is dict and shared["name"] == "Parent"
