"""Requests NetSuite's front end would refuse get a SOAP fault in NetSuite's shape, never a
traceback, and the mock keeps serving."""

from __future__ import annotations

from tests.conftest import (GET_VENDOR_101, LIST_REL, envelope, parse_fault, passport_xml,
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
