"""``mockserver.netsuite_mock``: the mock in the caller's process, as a context manager and as a
decorator, with the URLs, client settings and secrets, and the admin client."""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest
import requests

from client.netsuite_client import NetSuiteClient
from mockserver import netsuite_mock
from suitetalk.config import ConfigError, NetSuiteSecrets, NetSuiteSettings
from tests.conftest import ROOT, envelope, passport_xml

pytestmark = pytest.mark.server
VENDOR_101 = {"_ns_type": "RecordRef", "type": "vendor", "internalId": "101"}


def test_a_client_uses_the_settings_and_secrets_it_gives(tmp_path):
    with netsuite_mock(seed="demo") as ns:
        assert ns.settings.service_url == ns.service_url == f"{ns.url}/services/NetSuitePort_2024_1"
        assert ns.settings.wsdl_url == ns.wsdl_url and ns.settings.account == "1234567_SB1"
        client = NetSuiteClient(ns.settings, ns.secrets, wsdl_cache=None)
        assert client.call("get", VENDOR_101).record.companyName == "Acme Supplies Inc."
        assert ns.admin.verify(operation="get", record_type="vendor", count=1) == 1
        url = ns.url
    with pytest.raises(requests.ConnectionError):   # stopped on exit
        requests.get(url + "/__admin/health", timeout=5)
    with pytest.raises(RuntimeError, match="not running"):
        ns.url


def test_as_a_decorator_each_call_gets_a_fresh_mock():
    mock = netsuite_mock(seed="none")
    seen = []

    @mock
    def add_a_currency(name):
        before = mock.admin.records().get("currency", 0)
        mock.admin.load_seed({"records": [{"recordType": "currency", "name": name,
                                           "symbol": name[:3].upper()}]})
        seen.append(mock.url)
        return before

    assert add_a_currency("Euro") == 0
    assert add_a_currency("Pound") == 0   # the first call's record went with its mock
    assert len(seen) == 2
    with pytest.raises(RuntimeError):
        mock.admin


def test_options_are_mock_settings_and_a_scenario_gives_its_first_token():
    scenario = ROOT / "tests" / "scenarios" / "third_bill_upsert_fails.toml"
    with netsuite_mock(seed="none", scenario=str(scenario)) as ns:
        assert ns.secrets.token_key == "tk-bill-capture"
        signer = SimpleNamespace(account=ns.settings.account, token_id=ns.secrets.token_key,
                                 token_secret=ns.secrets.token_secret,
                                 consumer_key=ns.secrets.consumer_key,
                                 consumer_secret=ns.secrets.consumer_secret)
        response = requests.post(ns.service_url, timeout=10,
                                 data=envelope("<m:getServerTime/>", passport_xml(signer)),
                                 headers={"Content-Type": "text/xml",
                                          "SOAPAction": "getServerTime"})
        assert response.status_code == 200 and b"serverTime" in response.content
        assert ns.admin.verify(operation="getServerTime", integration="Bill capture") == 1
    with netsuite_mock(seed="none", concurrency_limit=2, account="TSTDRV42") as ns:
        assert ns.admin.governance()["TSTDRV42"]["limit"] == 2
        assert ns.settings.concurrency_limit == 2


def test_env_sets_the_clients_variables_while_it_runs(monkeypatch):
    monkeypatch.setenv("NETSUITE_ACCOUNT", "BEFORE")
    monkeypatch.delenv("NETSUITE_SERVICE_URL", raising=False)
    with netsuite_mock(seed="none", env=True) as ns:
        assert NetSuiteSettings.load().service_url == ns.service_url
        assert NetSuiteSettings.load().account == "1234567_SB1"
        assert NetSuiteSecrets.load().token_secret == ns.secrets.token_secret
    assert os.environ["NETSUITE_ACCOUNT"] == "BEFORE"
    assert "NETSUITE_SERVICE_URL" not in os.environ


def test_a_bad_option_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown setting 'colour'"):
        netsuite_mock(colour="red")
    with pytest.raises(ConfigError, match="concurrency limit must be at least 1"):
        netsuite_mock(concurrency_limit=0)
