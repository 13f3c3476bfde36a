"""``netsuite-mock serve`` as users run it: a real process, its printed settings, its errors."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time

import pytest
import requests

from tests.conftest import GET_VENDOR_101, envelope, passport_xml, post_soap

pytestmark = pytest.mark.server


def run_cli(*args, env=None, timeout=30):
    return subprocess.run([sys.executable, "-m", "mockserver", *args], capture_output=True,
                          text=True, timeout=timeout, env=env)


class Served:
    def __init__(self, process, output: str, url: str):
        self.process, self.output, self.url = process, output, url


def start(*args, env=None) -> Served:
    process = subprocess.Popen([sys.executable, "-m", "mockserver", "serve", "--port", "0", *args],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env=env)
    lines = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("Client secrets"):
            # read the secrets block that follows
            for _ in range(6):
                lines.append(process.stdout.readline())
            break
    output = "".join(lines)
    match = re.search(r"listening on (http://\S+)", output)
    if not match:
        process.kill()
        raise AssertionError(f"the mock did not start:\n{output}")
    return Served(process, output, match.group(1))


@pytest.fixture
def served():
    procs = []

    def _start(*args, env=None):
        s = start(*args, env=env)
        procs.append(s.process)
        return s
    yield _start
    for p in procs:
        p.terminate()
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()


def test_serve_prints_ready_to_paste_settings_and_serves_demo_data(served):
    mock = served("--seed", "demo")
    assert "Client settings (settings.json):" in mock.output
    settings_block = mock.output.split("Client settings (settings.json):\n", 1)[1]
    settings = json.loads(settings_block.split("Client secrets", 1)[0])["netsuite_settings"]
    assert settings["wsdl_url"] == f"{mock.url}/wsdl/v2024_1_0/netsuite.wsdl"
    assert settings["service_url"] == f"{mock.url}/services/NetSuitePort_2024_1"
    assert settings["account"] == "1234567_SB1"
    assert requests.get(settings["wsdl_url"], timeout=10).status_code == 200
    counts = requests.get(f"{mock.url}/__admin/records", timeout=10).json()
    assert counts["vendor"] == 12 and counts["currency"] == 3 and counts["subsidiary"] == 3


def test_serve_uses_the_users_settings_and_secrets_files(served, tmp_path):
    (tmp_path / "settings.json").write_text("""{
      // production settings, only the URLs differ
      "netsuite_settings": {
        "account": "7654321_SB2",      // case-sensitive
        "concurrency_limit": 4,
        "wsdl_url": "https://7654321-sb2.suitetalk.api.netsuite.com/wsdl/v2024_1_0/netsuite.wsdl"
      }
    }""")
    (tmp_path / "secrets.json").write_text("""{
      "consumer_key": "ck-from-file", "consumer_secret": "cs-from-file",
      "token_key": "tk-from-file",    // the token id
      "token_secret": "ts-from-file"
    }""")
    mock = served("--settings", str(tmp_path / "settings.json"),
                  "--secrets", str(tmp_path / "secrets.json"), "--seed", "none")
    assert '"account": "7654321_SB2"' in mock.output
    # secrets the user supplied may be real: the banner does not print them
    assert "ck-from-file" not in mock.output and "ts-from-file" not in mock.output
    assert '"consumer_key": "ck-f\u2026 (as you configured it)"' in mock.output
    governance = requests.get(f"{mock.url}/__admin/governance", timeout=10).json()
    assert list(governance) == ["7654321_SB2"]
    assert (governance["7654321_SB2"]["limit"], governance["7654321_SB2"]["inFlight"]) == (4, 0)


def test_environment_variables_configure_the_mock(served):
    env = dict(os.environ, NETSUITE_MOCK_ACCOUNT="ENV_ACCOUNT", NETSUITE_MOCK_CONCURRENCY_LIMIT="7")
    mock = served("--seed", "none", env=env)
    governance = requests.get(f"{mock.url}/__admin/governance", timeout=10).json()
    assert governance["ENV_ACCOUNT"]["limit"] == 7


def test_served_mock_answers_signed_requests(served):
    from mockserver.config import MockSettings
    mock = served("--seed", "demo")

    class Target:
        settings = MockSettings()
        service_url = f"{mock.url}/services/NetSuitePort_2024_1"
    response = post_soap(Target, envelope(GET_VENDOR_101, passport_xml(MockSettings())))
    assert response.status_code == 200 and b"Acme Supplies Inc." in response.content


@pytest.mark.parametrize("args, message", [
    (["serve", "--port", "notaport"], "invalid int value"),
    (["serve", "--bogus"], "unrecognized arguments: --bogus"),
    (["serve", "--seed", "/no/such/seed.json"], "seed file /no/such/seed.json does not exist"),
    (["serve", "--concurrency-limit", "0"], "concurrency limit must be at least 1"),
    (["serve", "--port", "70000"], "port must be between 0 and 65535"),
    (["serve", "--settings", "/no/such/settings.json"], "/no/such/settings.json: no such file"),
])
def test_bad_input_gives_a_clear_message_and_nonzero_exit(args, message):
    result = run_cli(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_seed_file_names_the_record(tmp_path):
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({"records": [
        {"recordType": "currency", "name": "US Dollar", "symbol": "USD"},
        {"recordType": "vendor", "companyName": "X", "subsidiary": {"internalId": "9"}}]}))
    result = run_cli("serve", "--seed", str(seed))
    assert result.returncode == 2
    assert "records[1] (vendor): INVALID_KEY_OR_REF: Invalid subsidiary reference key 9." \
        in result.stderr
    seed.write_text('{"records": [{"recordType": "vendr"}]}')
    assert "unknown or missing recordType 'vendr'" in run_cli("serve", "--seed", str(seed)).stderr
    seed.write_text('{"records": [{"recordType": "vendor", "colour": "red"}]}')
    assert "Vendor has no field 'colour'" in run_cli("serve", "--seed", str(seed)).stderr
    seed.write_text('{"records": [')
    assert "invalid JSON at line 1" in run_cli("serve", "--seed", str(seed)).stderr


def test_bad_settings_json_names_the_line(tmp_path):
    settings = tmp_path / "settings.json"
    settings.write_text('{\n  "netsuite_settings": {\n    "account": "X",,\n  }\n}')
    result = run_cli("serve", "--settings", str(settings))
    assert result.returncode == 2
    assert f"{settings}: invalid JSON at line 3" in result.stderr


def test_port_in_use_is_reported(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", str(port), "--seed", "none")
    assert result.returncode == 1
    assert "cannot start" in result.stderr and "Traceback" not in result.stderr


def test_help_lists_every_option():
    result = run_cli("serve", "--help")
    assert result.returncode == 0
    for option in ("--host", "--port", "--account", "--consumer-key", "--consumer-secret",
                   "--token-id", "--token-secret", "--concurrency-limit", "--latency-ms",
                   "--seed", "--settings", "--secrets", "--config"):
        assert option in result.stdout


def test_toml_config_file_sets_options_and_flags_win(served, tmp_path):
    config = tmp_path / "mock.toml"
    config.write_text('[server]\naccount = "TOML_ACCOUNT"\nconcurrency_limit = 9\n'
                      'latency_ms = 5\n')
    mock = served("--config", str(config), "--concurrency-limit", "11", "--seed", "none")
    governance = requests.get(f"{mock.url}/__admin/governance", timeout=10).json()
    assert governance["TOML_ACCOUNT"]["limit"] == 11


def test_bad_toml_config_is_reported(tmp_path):
    config = tmp_path / "mock.toml"
    config.write_text('port = "eighty"\n')
    result = run_cli("serve", "--config", str(config))
    assert result.returncode == 2 and "port must be a number" in result.stderr
    config.write_text('colour = "red"\n')
    assert "unknown setting 'colour'" in run_cli("serve", "--config", str(config)).stderr


@pytest.mark.parametrize("xpath, message", [
    ("//[broken", "Invalid expression"),
    ("//nosuch:expense", "Undefined namespace prefix"),
    ("nosuchfunction(.)", "Unregistered function"),
])
def test_a_scenario_rule_with_a_bad_xpath_stops_the_mock_with_a_message(tmp_path, xpath,
                                                                       message):
    config = tmp_path / "scenario.toml"
    config.write_text('seed = "none"\n\n[[rules]]\nname = "big expenses"\n'
                      'action = { kind = "fault", fault = "UnexpectedErrorFault" }\n\n'
                      f'[[rules]]\nname = "broken"\nxpath = "{xpath}"\n'
                      'action = { kind = "fault", fault = "UnexpectedErrorFault" }\n')
    result = run_cli("serve", "--port", "0", "--config", str(config))
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"[[rules]] number 2 ('broken'): invalid XPath '{xpath}'" in result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
