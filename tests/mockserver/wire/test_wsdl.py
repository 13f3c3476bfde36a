"""The WSDL and its schema documents: NetSuite's names, all 42 operations, the mock's own
address, and zeep's automatic prefixes identical to those of the real WSDL."""

from __future__ import annotations

import pytest
import requests
import zeep
from lxml import etree

from mockserver.schema import NAMESPACES
from tests.conftest import REAL_WSDL_DIR, requires_shared

WSDL = "{http://schemas.xmlsoap.org/wsdl/}"
SOAP = "{http://schemas.xmlsoap.org/wsdl/soap/}"


def test_wsdl_names_binding_port_service_and_own_address(mock_server):
    response = requests.get(mock_server.wsdl_url, timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/xml")
    root = etree.fromstring(response.content)
    assert root.get("targetNamespace") == "urn:platform_2024_1.webservices.netsuite.com"
    assert root.find(f"{WSDL}binding").get("name") == "NetSuiteBinding"
    service = root.find(f"{WSDL}service")
    assert service.get("name") == "NetSuiteService"
    port = service.find(f"{WSDL}port")
    assert port.get("name") == "NetSuitePort"
    assert port.find(f"{SOAP}address").get("location") == mock_server.service_url


def test_wsdl_address_follows_the_host_the_client_used(mock_server):
    response = requests.get(mock_server.wsdl_url, headers={"Host": "mock.example:9999"},
                            timeout=10)
    assert b'location="http://mock.example:9999/services/NetSuitePort_2024_1"' in response.content


def test_zeep_sees_all_42_operations(zeep_client):
    binding = zeep_client.wsdl.bindings[
        "{urn:platform_2024_1.webservices.netsuite.com}NetSuiteBinding"]
    assert len(binding._operations) == 42
    assert {"get", "add", "upsert", "search", "searchMoreWithId", "getDeleted",
            "getAccountGovernanceInfo", "asyncAddList"} <= set(binding._operations)


@requires_shared
@pytest.mark.shared
def test_zeep_prefix_map_equals_the_real_wsdls(zeep_client):
    real = zeep.Client(str(REAL_WSDL_DIR / "netsuite.wsdl"))
    assert zeep_client.wsdl.types.prefix_map == real.wsdl.types.prefix_map
    assert zeep_client.wsdl.types.prefix_map["ns13"].startswith("urn:relationships_2024_1")
    assert zeep_client.wsdl.types.prefix_map["ns21"].startswith("urn:purchases_2024_1")


@requires_shared
@pytest.mark.shared
def test_operations_bind_the_same_headers_as_the_real_wsdl(mock_server):
    def headers(root):
        binding = root.find(f"{WSDL}binding")
        return {op.get("name"): (
            [h.get("part") for h in op.find(f"{WSDL}input").findall(f"{SOAP}header")],
            [h.get("part") for h in op.find(f"{WSDL}output").findall(f"{SOAP}header")],
            sorted(f.get("name") for f in op.findall(f"{WSDL}fault")))
            for op in binding.findall(f"{WSDL}operation")}

    def port_type(root):
        return {op.get("name"): [f.get("name") for f in op.findall(f"{WSDL}fault")]
                for op in root.find(f"{WSDL}portType").findall(f"{WSDL}operation")}
    ours = etree.fromstring(requests.get(mock_server.wsdl_url, timeout=10).content)
    real = etree.parse(str(REAL_WSDL_DIR / "netsuite.wsdl")).getroot()
    assert headers(ours) == headers(real)
    assert port_type(ours) == port_type(real)


def test_every_schema_document_is_served(mock_server):
    for ns in NAMESPACES:
        url = f"{mock_server.url}/wsdl/v2024_1_0/xsd/{ns.document}.xsd"
        response = requests.get(url, timeout=10)
        assert response.status_code == 200, url
        assert etree.fromstring(response.content).get("targetNamespace") == ns.uri


def test_unknown_schema_document_is_404(mock_server):
    response = requests.get(f"{mock_server.url}/wsdl/v2024_1_0/xsd/nope.xsd", timeout=10)
    assert response.status_code == 404


def test_service_url_answers_wsdl_query(mock_server):
    response = requests.get(mock_server.service_url + "?wsdl", timeout=10)
    assert response.status_code == 200
    assert b"NetSuiteBinding" in response.content


def test_get_on_the_service_url_is_a_soap_fault(mock_server):
    response = requests.get(mock_server.service_url, timeout=10)
    assert response.status_code == 405
    assert b"soapenv:Fault" in response.content
