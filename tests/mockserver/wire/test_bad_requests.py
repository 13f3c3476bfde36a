"""Requests NetSuite's front end would refuse get a SOAP fault in NetSuite's shape, never a
traceback, and the mock keeps serving."""

from __future__ import annotations

import logging
import re

import pytest
import requests

from mockserver.admin import AdminApi
from mockserver.admin_client import MockAdmin
from tests.conftest import (GET_VENDOR_101, LIST_REL, MSGS, envelope, parse_fault, passport_xml,
                            post_soap)


def fault_of(mock, data: bytes, **kwargs) -> dict:
    response = post_soap(mock, data, **kwargs)
    fault = parse_fault(response)
    assert fault["http_status"] == 500
    assert fault["faultcode"] == "soapenv:Server.userException"
    assert fault["hostname"]
    return fault


def test_malformed_xml(mock):
    fault = fault_of(mock, b"<soapenv:Envelope><unclosed>")
    assert fault["faultstring"].startswith("org.xml.sax.SAXParseException")


def test_not_xml_at_all(mock):
    assert "SAXParseException" in fault_of(mock, b"hello, is this NetSuite?")["faultstring"]


def test_empty_body(mock):
    assert fault_of(mock, b"")["faultstring"]


def test_unknown_element_in_a_record_is_refused_not_dropped(mock):
    body = (f'<m:add><m:record xsi:type="r:Vendor" xmlns:r="{LIST_REL}">'
            f'<r:companyName>X</r:companyName><r:colour>red</r:colour></m:record></m:add>')
    fault = fault_of(mock, envelope(body, passport_xml(mock.settings)), action="add")
    assert fault["faultstring"] == ("org.xml.sax.SAXException: Invalid element in "
                                    "com.netsuite.webservices.lists.relationships_2024_1.Vendor"
                                    " - colour")


def test_value_of_the_wrong_type(mock):
    body = (f'<m:add><m:record xsi:type="r:Vendor" xmlns:r="{LIST_REL}">'
            f'<r:creditLimit>lots</r:creditLimit></m:record></m:add>')
    fault = fault_of(mock, envelope(body, passport_xml(mock.settings)), action="add")
    assert "Invalid value 'lots' for element creditLimit" in fault["faultstring"]


def test_unknown_xsi_type(mock):
    body = (f'<m:add><m:record xsi:type="r:Spaceship" xmlns:r="{LIST_REL}"/></m:add>')
    fault = fault_of(mock, envelope(body, passport_xml(mock.settings)), action="add")
    assert "Spaceship" in fault["faultstring"]


def test_body_in_the_wrong_namespace(mock):
    body = '<get xmlns="urn:not-netsuite"><baseRef internalId="1" type="vendor"/></get>'
    fault = fault_of(mock, envelope(body, passport_xml(mock.settings)))
    assert "No such operation" in fault["faultstring"]


def test_unknown_operation(mock):
    fault = fault_of(mock, envelope("<m:launchRocket/>", passport_xml(mock.settings)))
    assert "No such operation" in fault["faultstring"]


@pytest.mark.parametrize("element", ["tokenPassport", "getResponse", "documentInfo"])
def test_a_messages_element_that_is_no_operation_gets_axis_words_not_spynes(mock, element):
    """A passport put in the Body (or a response, a header element) names no operation."""
    inner = passport_xml(mock.settings) if element == "tokenPassport" else f"<m:{element}/>"
    fault = fault_of(mock, envelope(inner, passport_xml(mock.settings)))
    assert fault["faultstring"] == f"No such operation '{{{MSGS}}}{element}'"
    assert "Requested resource" not in fault["faultstring"]


def test_soap_12_envelope(mock):
    data = (b'<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body/>'
            b'</env:Envelope>')
    assert "SOAP 1.1" in fault_of(mock, data)["faultstring"]


def test_doctype_and_external_entities_are_refused_unresolved(mock):
    data = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            + envelope("<m:get><m:baseRef internalId='&xxe;' type='vendor'/></m:get>"))
    response = post_soap(mock, data)
    assert b"root:" not in response.content
    assert "DOCTYPE" in parse_fault(response)["faultstring"]


def test_the_mock_keeps_serving_after_bad_requests(mock):
    for data in (b"<", b"\xff\xfe garbage", envelope("<m:nothing/>")):
        post_soap(mock, data)
    ok = post_soap(mock, envelope(GET_VENDOR_101, passport_xml(mock.settings)))
    assert ok.status_code == 200 and b"Acme Supplies Inc." in ok.content


def test_request_over_the_size_limit_gets_exceeded_request_size_fault():
    from mockserver.config import MockSettings
    from mockserver.server import MockServer
    with MockServer(MockSettings(port=0, seed="none", max_request_bytes=2048)) as small:
        body = envelope(GET_VENDOR_101 + "<!--" + "x" * 4096 + "-->", passport_xml(small.settings))
        fault = parse_fault(post_soap(small, body))
        assert (fault["element"], fault["http_status"]) == ("exceededRequestSizeFault", 500)
        # the message states the limit in force, not a number written beside it
        assert fault["message"] == "The request exceeds the maximum allowed size of 2048 bytes."
        ok = post_soap(small, envelope(GET_VENDOR_101, passport_xml(small.settings)))
        assert ok.status_code == 200


# -- a bug anywhere on the way: NetSuite's UnexpectedErrorFault, logged once ---------------------
class PlantedBug(RuntimeError):
    """Stands for a bug in the mock (raised where a real one could be)."""


def _raise(*args, **kwargs):
    raise PlantedBug("planted")


def _plant(monkeypatch, mock, stage: str) -> None:
    from mockserver.domain import backend, dispatch
    from mockserver.wire import envelope as wire_envelope
    soap = mock.ready().soap
    targets = {
        "parsing the envelope": (wire_envelope, "parse_envelope"),
        "reading the headers": (wire_envelope, "decode_headers"),
        "reading the body": (wire_envelope, "decode_body"),
        "the backend": (backend, "request_facts"),
        "writing the answer": (wire_envelope, "response_bytes"),
        "the HTTP layer": (soap, "answer"),
    }
    if stage == "the operation":
        monkeypatch.setitem(dispatch.OPERATIONS, "getServerTime", _raise)
    elif stage == "the service's method":
        tag = "{urn:messages_2024_1.platform.webservices.netsuite.com}getServerTime"
        name, _method, takes_body = soap.methods[tag]
        monkeypatch.setitem(soap.methods, tag, (name, _raise, takes_body))
    else:
        monkeypatch.setattr(*targets[stage], _raise)


STAGES = ["parsing the envelope", "reading the headers", "reading the body", "the backend",
          "the operation", "writing the answer", "the service's method", "the HTTP layer"]


@pytest.mark.parametrize("stage", STAGES)
def test_a_bug_gets_netsuites_unexpected_error_fault_logged_once(mock, monkeypatch, caplog,
                                                                  stage):
    caplog.set_level(logging.INFO)
    _plant(monkeypatch, mock, stage)
    # getServerTime has no body to read: that stage is planted on a get
    request = GET_VENDOR_101 if stage == "reading the body" else "<m:getServerTime/>"
    response = post_soap(mock, envelope(request, passport_xml(mock.settings)),
                         action="getServerTime")
    monkeypatch.undo()
    fault = parse_fault(response)
    assert (fault["http_status"], fault["faultcode"], fault["element"], fault["code"]) == \
        (500, "soapenv:Server.userException", "unexpectedErrorFault", "UNEXPECTED_ERROR")
    match = re.fullmatch(r"An unexpected error occurred\. Error ID: ([a-z0-9]{21})",
                         fault["message"])
    # NetSuite's faultstring is plain; the fault's message carries the Error ID (reference §2.3)
    assert match and fault["faultstring"] == "An unexpected error occurred.", fault
    with_traceback = [r for r in caplog.records if r.exc_info]
    assert len(with_traceback) == 1, [r.getMessage() for r in with_traceback]
    assert match.group(1) in with_traceback[0].getMessage()
    assert isinstance(with_traceback[0].exc_info[1], PlantedBug)
    entry = MockAdmin(mock.url).journal(limit=1)[-1]
    assert (entry["outcome"], entry["codes"]) == ("fault", ["UNEXPECTED_ERROR"])
    ok = post_soap(mock, envelope(GET_VENDOR_101, passport_xml(mock.settings)))
    assert ok.status_code == 200 and b"Acme Supplies Inc." in ok.content


def test_a_bug_in_the_admin_api_is_a_json_500_logged_once(mock, monkeypatch, caplog):
    caplog.set_level(logging.INFO)
    monkeypatch.setattr(AdminApi, "get_health", _raise)
    response = requests.get(mock.url + "/__admin/health", timeout=10)
    monkeypatch.undo()
    assert response.status_code == 500
    error_id = re.search(r"Error ID ([a-z0-9]{21})", response.json()["error"]).group(1)
    with_traceback = [r for r in caplog.records if r.exc_info]
    assert len(with_traceback) == 1 and error_id in with_traceback[0].getMessage()
