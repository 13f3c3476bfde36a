"""``netsuite-mock record``: a client that is not the project's records a session through the
proxy against an upstream netsuite-mock; the cassette scans clean, replays, and verifies against
a fresh mock with no difference."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from types import SimpleNamespace

import pytest
import requests

from contracts import cli as contracts_cli
from contracts.cassette import load
from contracts.proxy import recording_proxy_server, rewrite_soap_address
from contracts.replay import replay_server
from mockserver import netsuite_mock
from suitetalk.config import NetSuiteSettings
from tests.conftest import GET_VENDOR_101, ROOT, envelope, passport_xml

pytestmark = pytest.mark.server
PHP_CLIENT = ROOT / "tests" / "data" / "php_soap_client.php"


@pytest.fixture
def upstream():
    with netsuite_mock(seed="demo") as ns:
        yield ns


def signer(ns):
    return SimpleNamespace(account=ns.settings.account, consumer_key=ns.secrets.consumer_key,
                           consumer_secret=ns.secrets.consumer_secret,
                           token_id=ns.secrets.token_key, token_secret=ns.secrets.token_secret)


def soap_post(url: str, body: bytes, action: str = "get") -> requests.Response:
    return requests.post(url, data=body, timeout=30, headers={
        "Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{action}"'})


def start_record(*args) -> tuple[subprocess.Popen, dict]:
    process = subprocess.Popen([sys.executable, "-m", "mockserver", "record", "--port", "0",
                                "--ready-json", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    line = process.stdout.readline()
    try:
        return process, json.loads(line)
    except json.JSONDecodeError:
        process.kill()
        raise AssertionError(f"netsuite-mock record did not start: {line}"
                             f"{process.stdout.read()}") from None


def contracts(*args, capsys) -> tuple[int, str]:
    code = contracts_cli.main(list(args))
    return code, capsys.readouterr().out


@pytest.mark.skipif(shutil.which("php") is None, reason="php (php-cli, php-soap) not installed")
def test_php_soapclient_records_a_session_that_scans_clean_and_verifies(upstream, tmp_path,
                                                                       capsys):
    cassette = tmp_path / "php-session.yaml"
    process, ready = start_record("--upstream", upstream.url, "--cassette", str(cassette))
    try:
        s = upstream.secrets
        php = subprocess.run(["php", str(PHP_CLIENT), ready["wsdl_url"], upstream.settings.account,
                              s.consumer_key, s.consumer_secret, s.token_key, s.token_secret],
                             capture_output=True, text=True, timeout=60)
        if "Class \"SoapClient\" not found" in php.stderr + php.stdout:
            pytest.skip("php has no soap extension (php-soap)")
        assert php.returncode == 0, php.stdout + php.stderr
        assert php.stdout.splitlines() == ["get: ok Acme Supplies Inc.",
                                           "missing: RCRD_DSNT_EXIST"]
        assert requests.get(ready["admin_url"], timeout=10).json()["recorded"] == 2
    finally:
        process.terminate()
        process.wait(timeout=10)
    # PHP took the service URL from the WSDL: the proxy's, so its calls were recorded
    recorded = load(cassette)
    assert [i.operation for i in recorded.interactions] == ["get", "get"]
    assert recorded.provenance["recorded_with"] == "netsuite-mock record"
    text = cassette.read_text()
    for secret in (s.consumer_key, s.token_key, upstream.settings.account):
        assert secret not in text
    assert contracts("scan", str(cassette), capsys=capsys)[0] == 0
    code, out = contracts("verify", str(cassette), "--mock", capsys=capsys)
    assert code == 0, out
    assert "2 interaction(s): 2 ok, 0 diverged, 0 skipped" in out


def test_a_raw_soap_client_records_and_the_cassette_replays(upstream, tmp_path, capsys):
    cassette = tmp_path / "raw.yaml"
    with recording_proxy_server(upstream.url, str(cassette), port=0) as proxy:
        through = soap_post(proxy.service_url, envelope(GET_VENDOR_101, passport_xml(
            signer(upstream))))
        direct = soap_post(upstream.service_url, envelope(GET_VENDOR_101, passport_xml(
            signer(upstream))))
        bad_login = soap_post(proxy.service_url, envelope(GET_VENDOR_101, passport_xml(
            signer(upstream), signature=None)))
    assert through.status_code == 200 and through.headers["Content-Type"] == \
        direct.headers["Content-Type"]
    # the upstream's answer unchanged: the same as asking it directly, but for the nsId
    strip = re.compile(rb"<platformMsgs:nsId>[^<]*</platformMsgs:nsId>")
    assert strip.sub(b"", through.content) == strip.sub(b"", direct.content)
    assert bad_login.status_code == 500 and b"USER_ERROR" in bad_login.content
    recorded = load(cassette)
    assert [i.status for i in recorded.interactions] == [200, 500]
    assert upstream.settings.account not in cassette.read_text()
    assert upstream.admin.verify(operation="get", count=3) == 3   # all went upstream
    with replay_server([recorded], port=0) as replay:
        again = soap_post(replay.service_url, envelope(GET_VENDOR_101, passport_xml(
            signer(upstream))))
    assert again.status_code == 200 and b"Acme Supplies Inc." in again.content
    code, out = contracts("verify", str(cassette), "--mock", capsys=capsys)
    assert code == 0, out


def test_wsdl_and_xsd_pass_through_with_the_soap_address_of_the_proxy(upstream, tmp_path):
    with recording_proxy_server(upstream.url, str(tmp_path / "c.yaml"), port=0) as proxy:
        wsdl = requests.get(proxy.wsdl_url, timeout=30)
        xsd_path = "/wsdl/v2024_1_0/xsd/platform.core.xsd"
        xsd = requests.get(proxy.url + xsd_path, timeout=30)
        status = requests.get(proxy.url + "/__record", timeout=10).json()
        admin = requests.get(proxy.url + "/__admin/health", timeout=10)
    assert f'location="{proxy.service_url}"'.encode() in wsdl.content
    assert upstream.url.encode() not in wsdl.content
    assert xsd.content == requests.get(upstream.url + xsd_path, timeout=30).content
    assert status == {"upstream": upstream.url, "cassette": str(tmp_path / "c.yaml"),
                      "recorded": 0}
    assert admin.status_code == 404   # the upstream's admin API is not the client's business
    assert load(tmp_path / "c.yaml").interactions == []   # downloads are not recorded


def test_rewrite_soap_address_keeps_the_path_and_any_prefix():
    document = (b'<definitions><service><port><soap:address location='
                b'"https://1234567-sb1.suitetalk.api.netsuite.com/services/NetSuitePort_2024_1"/>'
                b"</port></service></definitions>")
    assert rewrite_soap_address(document, "http://127.0.0.1:9") == (
        b'<definitions><service><port><soap:address location='
        b'"http://127.0.0.1:9/services/NetSuitePort_2024_1"/></port></service></definitions>')


def test_settings_name_the_account_and_scrub_fields_are_scrubbed(upstream, tmp_path):
    cassette = tmp_path / "fields.yaml"
    settings = NetSuiteSettings(account=upstream.settings.account)
    with recording_proxy_server(upstream.url, str(cassette), port=0, settings=settings,
                                fields=("companyName",)) as proxy:
        soap_post(proxy.service_url, envelope(GET_VENDOR_101, passport_xml(signer(upstream))))
    text = cassette.read_text()
    assert "<listRel:companyName>[scrubbed]</listRel:companyName>" in text
    assert "<listRel:companyName>Acme" not in text
    assert "field companyName" in text and upstream.settings.account not in text


def test_an_unreachable_upstream_is_a_502_that_says_so(tmp_path):
    with recording_proxy_server("http://127.0.0.1:9", str(tmp_path / "c.yaml"), port=0) as proxy:
        response = soap_post(proxy.service_url, b"<x/>")
    assert response.status_code == 502
    assert "the upstream http://127.0.0.1:9 did not answer" in response.text


def test_the_record_command_refuses_a_bad_upstream_with_a_message(tmp_path):
    result = subprocess.run([sys.executable, "-m", "mockserver", "record", "--upstream",
                             "ftp://example.com", "--cassette", str(tmp_path / "c.yaml"),
                             "--port", "0"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert "the upstream must be an http(s) URL" in result.stderr
    assert "Traceback" not in result.stderr


# -- serve --mode proxy-unmatched (WireMock's partial proxying) ---------------------------------
def test_proxy_unmatched_sends_what_the_seed_lacks_upstream(upstream):
    vendor_999 = GET_VENDOR_101.replace('"101"', '"999"')
    with netsuite_mock(seed="none", mode="proxy-unmatched", upstream=upstream.url) as local:
        local.admin.load_seed({"records": [
            {"recordType": "subsidiary", "internalId": "1", "name": "Local Parent"},
            {"recordType": "vendor", "internalId": "102", "companyName": "Local Vendor",
             "subsidiary": {"internalId": "1"}}]})
        s = signer(upstream)
        from_upstream = soap_post(local.service_url, envelope(GET_VENDOR_101, passport_xml(s)))
        local_answer = soap_post(local.service_url, envelope(
            GET_VENDOR_101.replace('"101"', '"102"'), passport_xml(s)))
        missing_everywhere = soap_post(local.service_url, envelope(vendor_999, passport_xml(s)))
        local.admin.add_rule({"operation": "get", "action": {
            "kind": "status", "code": "RCRD_DSNT_EXIST"}})
        ruled = soap_post(local.service_url, envelope(GET_VENDOR_101, passport_xml(s)))
    assert from_upstream.status_code == 200 and b"Acme Supplies Inc." in from_upstream.content
    assert b"Local Vendor" in local_answer.content
    assert b"RCRD_DSNT_EXIST" in missing_everywhere.content
    assert b"Acme" not in ruled.content   # a fault rule's answer is the mock's own
    # upstream saw exactly the two requests the local seed could not answer
    assert upstream.admin.verify(operation="get", count=2) == 2
    assert upstream.admin.count_requests(xpath=".//platformMsgs:baseRef[@internalId='102']") == 0


def test_proxy_unmatched_needs_an_upstream():
    from suitetalk.config import ConfigError
    with pytest.raises(ConfigError, match="needs an upstream"):
        netsuite_mock(mode="proxy-unmatched")
    with pytest.raises(ConfigError, match="must be an http"):
        netsuite_mock(mode="proxy-unmatched", upstream="ftp://x")
