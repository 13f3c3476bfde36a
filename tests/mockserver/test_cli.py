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

from mockserver.config import MockSettings
from tests.conftest import GET_VENDOR_101, ROOT, envelope, passport_xml, post_soap

pytestmark = pytest.mark.server
SCENARIO = ROOT / "tests" / "scenarios" / "third_bill_upsert_fails.toml"
CLIENT_BLOCK = re.compile(r"^Client(?: \d+ of \d+)?: ([^\n]*)\n"
                          r"Client settings \(settings\.json\):\n(\{.*?\n\})\n"
                          r"Client secrets \(secrets\.json\):\n(\{.*?\n\})$", re.S | re.M)


def run_cli(*args, env=None, timeout=30):
    """The CLI's answer; ``serve`` listens on a free port unless given one (a mock of the
    user's own may hold 8080)."""
    if args and args[0] == "serve" and "--port" not in args:
        args = (*args, "--port", "0")
    return subprocess.run([sys.executable, "-m", "mockserver", *args], capture_output=True,
                          text=True, timeout=timeout, env=env)


class Served:
    def __init__(self, process, output: str, url: str):
        self.process, self.output, self.url = process, output, url


def start(*args, env=None) -> Served:
    process = subprocess.Popen([sys.executable, "-m", "mockserver", "serve", "--port", "0", *args],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env=env)
    return banner_of(process)


def banner_of(process: subprocess.Popen) -> Served:
    """The started mock's banner and address (killed, and the output shown, if it never came)."""
    lines = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("Press Ctrl-C to stop."):  # the banner's last line
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
        stop(p)


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
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_lists_every_option():
    result = run_cli("serve", "--help")
    assert result.returncode == 0
    for option in ("--host", "--port", "--account", "--consumer-key", "--consumer-secret",
                   "--token-id", "--token-secret", "--concurrency-limit", "--latency-ms",
                   "--seed", "--settings", "--secrets", "--config"):
        assert option in result.stdout
    assert "(default: " not in result.stdout   # each option states its own default once


def test_readme_options_table_lists_every_serve_option():
    from mockserver.cli import build_parser
    serve = next(a for a in build_parser()._subparsers._group_actions[0].choices.values()
                 if a.prog.endswith(" serve"))
    options = {o for action in serve._actions for o in action.option_strings
               if o.startswith("--") and o != "--help"}
    table = "\n".join(line for line in (ROOT / "README.md").read_text().splitlines()
                      if line.startswith("| `--"))
    missing = sorted(o for o in options if f"`{o}`" not in table)
    assert not missing, f"README's options table lacks {missing}"


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


def client_blocks(output: str) -> list[tuple[str, dict, dict]]:
    """(label, settings, secrets) of each client the banner prints."""
    return [(label, json.loads(settings)["netsuite_settings"], json.loads(secrets))
            for label, settings, secrets in CLIENT_BLOCK.findall(output)]


def signed_get_server_time(settings: dict, secrets: dict) -> requests.Response:
    """getServerTime signed with exactly what a user pasted from the banner."""
    class Pasted:
        service_url = settings["service_url"]
    credentials = MockSettings(account=settings["account"], consumer_key=secrets["consumer_key"],
                               consumer_secret=secrets["consumer_secret"],
                               token_id=secrets["token_key"], token_secret=secrets["token_secret"])
    return post_soap(Pasted, envelope("<m:getServerTime/>", passport_xml(credentials)),
                     action="getServerTime")


def test_scenario_banner_prints_the_settings_and_secrets_of_each_token(served):
    mock = served("--config", str(SCENARIO))
    blocks = client_blocks(mock.output)
    assert [label.split(" (")[0] for label, _, _ in blocks] == [
        "account 1234567_SB1, integration 'Bill capture', token tk-bill-capture",
        "account 1234567_SB1, integration 'Nightly ERP sync', token tk-erp-sync",
        "account 1234567_SB1, integration 'Reporting', token tk-reporting"]
    assert mock.output.count("Client 1 of 3:") == 1
    for label, settings, secrets in blocks:
        assert settings["concurrency_limit"] == 3       # the scenario's limit, not the default 5
        assert "mock-consumer-key-0001" not in json.dumps(secrets)
        response = signed_get_server_time(settings, secrets)
        assert response.status_code == 200 and b'isSuccess="true"' in response.content, label


def test_scenario_banner_labels_several_accounts_and_what_cannot_log_in(served, tmp_path):
    scenario = tmp_path / "two.toml"
    scenario.write_text("""seed = "none"
[[accounts]]
id = "1111111"
service_tier = "premium"
suitecloud_plus_licences = 1
  [[accounts.integrations]]
  name = "Own"
  consumer_key = "ck-own"
  consumer_secret = "cs-own"
  concurrency_limit = 4
  [[accounts.integrations]]
  name = "Old"
  consumer_key = "ck-old"
  consumer_secret = "cs-old"
  state = "blocked"
  [[accounts.tokens]]
  token_id = "tk-own"
  token_secret = "ts-own"
  integration = "Own"
  [[accounts.tokens]]
  token_id = "tk-gone"
  token_secret = "ts-gone"
  integration = "Own"
  revoked = true
  [[accounts.tokens]]
  token_id = "tk-old"
  token_secret = "ts-old"
  integration = "Old"
[[accounts]]
id = "2222222_SB1"
  [[accounts.integrations]]
  name = "Second"
  consumer_key = "ck-second"
  consumer_secret = "cs-second"
  [[accounts.tokens]]
  token_id = "tk-second"
  token_secret = "ts-second"
  integration = "Second"
""")
    mock = served("--config", str(scenario))
    blocks = {label.split(", token ")[1].split(" ")[0]: (label, settings, secrets)
              for label, settings, secrets in client_blocks(mock.output)}
    assert list(blocks) == ["tk-own", "tk-gone", "tk-old", "tk-second"]
    label, settings, _ = blocks["tk-own"]
    assert (settings["account"], settings["concurrency_limit"]) == ("1111111", 4)
    assert "its own concurrency limit 4 of 25" in label
    assert "REVOKED" in blocks["tk-gone"][0] and "BLOCKED" in blocks["tk-old"][0]
    label, settings, secrets = blocks["tk-second"]
    assert (settings["account"], settings["concurrency_limit"]) == ("2222222_SB1", 5)
    assert "shared concurrency limit 5 of 5" in label
    for token, ok in (("tk-own", True), ("tk-second", True), ("tk-gone", False),
                      ("tk-old", False)):
        _, settings, secrets = blocks[token]
        assert (b'isSuccess="true"' in signed_get_server_time(settings, secrets).content) == ok


@pytest.mark.parametrize("args, env, named, where", [
    (["--concurrency-limit", "10"], {}, "--concurrency-limit",
     "set concurrency_limit (or service_tier) in [[accounts]] instead"),
    (["--account", "X", "--token-id", "T"], {}, "--account, --token-id",
     "set id in [[accounts]]; token_id in [[accounts.tokens]] instead"),
    ([], {"NETSUITE_MOCK_CONSUMER_KEY": "K"}, "NETSUITE_MOCK_CONSUMER_KEY",
     "set consumer_key in [[accounts.integrations]] instead"),
])
def test_default_account_options_are_refused_when_the_scenario_defines_accounts(
        args, env, named, where):
    result = run_cli("serve", "--config", str(SCENARIO), *args, env=dict(os.environ, **env))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{SCENARIO} defines its own [[accounts]], so {named} would change nothing" \
        in result.stderr
    assert where in result.stderr


def test_secrets_file_with_a_scenario_that_defines_accounts_is_refused(tmp_path):
    secrets = tmp_path / "secrets.json"
    secrets.write_text('{"consumer_key": "a", "consumer_secret": "b", "token_key": "c", '
                       '"token_secret": "d"}')
    result = run_cli("serve", "--config", str(SCENARIO), "--secrets", str(secrets))
    assert result.returncode == 2
    assert f"consumer_key from {secrets}" in result.stderr


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


@pytest.mark.parametrize("setting, message", [
    ('operation = "upsrt"', "unknown operation 'upsrt' (did you mean 'upsert'"),
    ('record_type = "vendorbill"', "unknown record type 'vendorbill' (did you mean "
                                   "'vendorBill'"),
    ('operation = "upsert"\nxpath = ".//tranPurch:expnse"',
     "names 'tranPurch:expnse', which no upsert request carries (did you mean "
     "'tranPurch:expense'"),
])
def test_a_scenario_rule_that_could_never_match_stops_the_mock_with_a_suggestion(
        tmp_path, setting, message):
    config = tmp_path / "scenario.toml"
    config.write_text(f'seed = "none"\n\n[[rules]]\nname = "typo"\n{setting}\n'
                      'action = { kind = "fault", fault = "UnexpectedErrorFault" }\n')
    result = run_cli("serve", "--port", "0", "--config", str(config))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "[[rules]] number 1 ('typo'): " in result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr


def test_listening_on_every_interface_prints_the_real_address_and_warns(served):
    """The endpoint with the published default credentials, reachable from the network: the
    banner says where it really listens, and a warning says what that exposes."""
    mock = served("--host", "0.0.0.0", "--seed", "demo")
    port = mock.url.rsplit(":", 1)[1]
    assert mock.url == f"http://0.0.0.0:{port}"
    assert f"from this machine: http://127.0.0.1:{port}" in mock.output
    assert re.search(r"WARNING: http://0\.0\.0\.0:\d+ is reachable beyond this machine, and "
                     r"the mock takes the published default consumer_key, consumer_secret, "
                     r"token_id, token_secret", mock.output), mock.output
    settings = MockSettings()
    settings.port = int(port)
    local = type("Local", (), {"service_url": f"http://127.0.0.1:{port}/services/"
                                              f"NetSuitePort_2024_1", "settings": settings})
    assert post_soap(local, envelope(GET_VENDOR_101, passport_xml(settings))).status_code == 200


def test_no_warning_on_loopback_or_with_credentials_of_ones_own(served):
    assert "WARNING" not in served("--seed", "none").output
    own = served("--host", "0.0.0.0", "--seed", "none", "--consumer-key", "ck-own-1",
                 "--consumer-secret", "cs-own-1", "--token-id", "ti-own-1",
                 "--token-secret", "ts-own-1")
    assert "WARNING" not in own.output and "listening on http://0.0.0.0:" in own.output


# -- machine-readable start: --ready-json, --port-file, --quiet ---------------------------------
def popen_cli(*args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "mockserver", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def test_ready_json_and_port_file_tell_a_script_where_a_port_0_mock_listens(tmp_path):
    port_file = tmp_path / "mock.port"
    process = popen_cli("serve", "--port", "0", "--seed", "none", "--quiet", "--ready-json",
                        "--port-file", str(port_file))
    try:
        ready = json.loads(process.stdout.readline())   # the first line, once ready
        listening = process.stdout.readline()
        assert set(ready) == {"url", "port", "wsdl_url", "service_url", "account", "admin_url"}
        assert ready["url"] == f"http://127.0.0.1:{ready['port']}" and ready["port"] > 0
        assert ready["wsdl_url"] == f"{ready['url']}/wsdl/v2024_1_0/netsuite.wsdl"
        assert ready["service_url"] == f"{ready['url']}/services/NetSuitePort_2024_1"
        assert ready["account"] == "1234567_SB1"
        assert ready["admin_url"] == f"{ready['url']}/__admin/"
        assert listening == f"netsuite-mock listening on {ready['url']}\n"  # --quiet keeps it
        assert port_file.read_text() == f"{ready['port']}\n"
        assert requests.get(ready["admin_url"] + "health", timeout=10).json()["status"] == "ok"
        assert requests.get(ready["wsdl_url"], timeout=10).status_code == 200
    finally:
        stop(process)
    assert not port_file.exists()   # a stale port would mislead the next script


def test_a_port_file_that_cannot_be_written_stops_the_mock_with_a_message(tmp_path):
    result = run_cli("serve", "--port", "0", "--seed", "none",
                     "--port-file", str(tmp_path / "no" / "such" / "dir" / "port"))
    assert result.returncode == 2
    assert "cannot write the port file" in result.stderr and "Traceback" not in result.stderr


def test_replay_prints_its_ready_json_too(tmp_path):
    process = popen_cli("replay", str(ROOT / "recordings"), "--port", "0", "--ready-json",
                        "--port-file", str(tmp_path / "replay.port"))
    try:
        ready = json.loads(process.stdout.readline())
        assert ready["admin_url"] == f"{ready['url']}/__replay" and ready["account"] is None
        assert (tmp_path / "replay.port").read_text() == f"{ready['port']}\n"
        assert requests.get(ready["admin_url"], timeout=10).json()["total"] > 0
    finally:
        stop(process)
