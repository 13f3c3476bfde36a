"""``netsuite-client call`` and ``netsuite-client run`` against a real mock: output, files, exit
statuses, and a readable message for each kind of mistake."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from client.cli import main
from client.config import NetSuiteSecrets, NetSuiteSettings
from mockserver.config import client_secrets, client_settings
from tests.client_helpers import VENDOR_101, admin_records, governance, read_lines, write_json
from tests.client_helpers import VENDOR_BILL as HELPER_BILL
from tests.conftest import ROOT

pytestmark = pytest.mark.server

# this file's own bill: an expense line only, its own externalId
VENDOR_BILL = {k: v for k, v in HELPER_BILL.items() if k != "itemList"} | {
    "externalId": "cli-0001", "tranId": "INV-CLI-1"}


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path_factory):
    """No NETSUITE_* variables from the developer's shell; a private WSDL cache."""
    for name in list(NetSuiteSecrets.ENV.values()) + list(NetSuiteSettings.ENV.values()):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NETSUITE_CLIENT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def files(mock, tmp_path):
    """The user's files for this mock: settings (with room for configs) and secrets."""
    class Files:
        secrets = write_json(tmp_path / "secrets.json", client_secrets(mock.settings))
        out = tmp_path / "out"

        @staticmethod
        def settings(**configs) -> Path:
            data = {**client_settings(mock.settings, mock.url), **configs}
            return write_json(tmp_path / "settings.json", data)
    return Files


def cli(capsys, *args) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


# -- call ----------------------------------------------------------------------------------------
def test_call_prints_the_answer_as_json(capsys, files):
    status, out, err = cli(capsys, "call", "get", json.dumps(VENDOR_101),
                           "--settings", files.settings(), "--secrets", files.secrets)
    assert (status, err) == (0, "")
    answer = json.loads(out)
    assert answer["record"]["_ns_type"] == "Vendor"
    assert answer["record"]["companyName"] == "Acme Supplies Inc."


def test_call_with_named_arguments_headers_and_a_file(capsys, files, tmp_path):
    args = write_json(tmp_path / "args.json", {"baseRef": VENDOR_101})
    status, out, _ = cli(capsys, "call", "get", f"@{args}", "--headers",
                         '{"preferences": {"warningAsError": false}}',
                         "--settings", files.settings(), "--secrets", files.secrets)
    assert status == 0 and json.loads(out)["record"]["internalId"] == "101"


def test_call_without_arguments(capsys, files):
    status, out, _ = cli(capsys, "call", "getServerTime", "--settings", files.settings(),
                         "--secrets", files.secrets)
    assert status == 0 and "serverTime" in json.loads(out)


def test_call_an_asynchronous_operation_and_wait_for_what_it_did(capsys, files):
    search = {"_ns_type": "VendorSearchBasic"}
    status, out, err = cli(capsys, "call", "asyncSearch", json.dumps(search), "--wait", "30",
                           "--headers", '{"searchPreferences": {"pageSize": 5}}',
                           "--settings", files.settings(), "--secrets", files.secrets)
    assert (status, err) == (0, "")
    answer = json.loads(out)
    assert answer["jobId"].startswith("ASYNCWEBSERVICES_") and answer["status"] == "finished"
    assert "Acme Supplies Inc." in {v["companyName"] for v in answer["results"]}
    assert len(answer["results"]) > 5   # every page
    # without --wait: the job as submitted
    status, out, _ = cli(capsys, "call", "asyncSearch", json.dumps(search),
                         "--settings", files.settings(), "--secrets", files.secrets)
    assert status == 0 and json.loads(out)["status"] == "pending"
    status, _, err = cli(capsys, "call", "getServerTime", "--wait", "5",
                         "--settings", files.settings(), "--secrets", files.secrets)
    assert status == 2 and "getServerTime is not an asynchronous operation" in err


def test_call_with_settings_and_secrets_from_the_environment(capsys, mock, monkeypatch):
    block = client_settings(mock.settings, mock.url)["netsuite_settings"]
    for field, variable in NetSuiteSettings.ENV.items():
        monkeypatch.setenv(variable, str(block[field]))
    for field, variable in NetSuiteSecrets.ENV.items():
        monkeypatch.setenv(variable, client_secrets(mock.settings)[field])
    status, out, _ = cli(capsys, "call", "get", json.dumps(VENDOR_101))
    assert status == 0 and json.loads(out)["record"]["internalId"] == "101"


def test_record_error_exits_1_with_netsuites_code(capsys, files):
    status, out, err = cli(capsys, "call", "get",
                           '{"_ns_type": "RecordRef", "type": "vendor", "internalId": "999"}',
                           "--settings", files.settings(), "--secrets", files.secrets)
    assert (status, out) == (1, "")
    assert err == "netsuite-client: get: RCRD_DSNT_EXIST: That record does not exist.\n"


def test_login_failure_exits_1_with_a_hint(capsys, files, tmp_path):
    secrets = write_json(tmp_path / "bad-secrets.json",
                         {**json.loads(files.secrets.read_text()), "token_secret": "nope"})
    status, _, err = cli(capsys, "call", "getServerTime", "--settings", files.settings(),
                         "--secrets", secrets)
    assert status == 1
    assert "getServerTime: USER_ERROR: Invalid login attempt." in err
    assert "/__admin/audit" in err


@pytest.mark.parametrize("args, message", [
    (["call", "get", "{}", "--settings", "missing.json", "--secrets", "{secrets}"],
     "netsuite-client: missing.json: no such file\n"),
    (["call", "get", "{}", "--settings", "{settings}", "--secrets", "missing.json"],
     "netsuite-client: missing.json: no such file\n"),
    (["call", "get", '{"_ns_type": "RecordRef",, }', "--settings", "{settings}",
      "--secrets", "{secrets}"],
     "netsuite-client: JSON-ARGS: invalid JSON at line 1, column 26: Expecting property name "
     "enclosed in double quotes\n"),
    (["call", "get", '{"_ns_type": "VendorRef", "internalId": "101"}', "--settings",
      "{settings}", "--secrets", "{secrets}"],
     "netsuite-client: bad request: get.baseRef: unknown NetSuite type 'VendorRef'"),
    (["call", "get", '{"_ns_type": "RecordRef", "internalID": "101"}', "--settings",
      "{settings}", "--secrets", "{secrets}"],
     "netsuite-client: bad request: get.baseRef: RecordRef has no field 'internalID' "
     "(did you mean internalId"),
    (["call", "gett", "{}", "--settings", "{settings}", "--secrets", "{secrets}"],
     "netsuite-client: bad request: unknown operation 'gett' (did you mean get"),
    (["call", "get", "{}", "--headers", "[1]", "--settings", "{settings}", "--secrets",
      "{secrets}"], "netsuite-client: --headers must be a JSON object of header names\n"),
])
def test_call_mistakes_exit_2_with_a_message(capsys, files, args, message):
    settings = files.settings()
    args = [a.replace("{settings}", str(settings)).replace("{secrets}", str(files.secrets))
            for a in args]
    status, out, err = cli(capsys, *args)
    assert (status, out) == (2, "")
    assert err.startswith(message)


def test_bad_json_in_a_settings_file(capsys, files, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  // comments are fine\n  "netsuite_settings": {"account": }\n}\n')
    status, _, err = cli(capsys, "call", "getServerTime", "--settings", broken,
                         "--secrets", files.secrets)
    assert status == 2
    assert err == (f"netsuite-client: {broken}: invalid JSON at line 3, column 36: "
                   f"Expecting value\n")


def test_a_misspelt_setting_is_named(capsys, caplog, files, tmp_path):
    settings = json.loads(files.settings().read_text())
    block = settings["netsuite_settings"]
    block["concurency_limit"] = block.pop("concurrency_limit")
    misspelt = write_json(tmp_path / "misspelt.json", settings)
    with caplog.at_level("WARNING", logger="netsuite_client"):
        status, _, _ = cli(capsys, "call", "getServerTime", "--settings", misspelt,
                           "--secrets", files.secrets)
    assert status == 0
    assert (f"{misspelt}: netsuite_settings.concurency_limit is not a setting netsuite-client "
            f"uses; did you mean concurrency_limit?") in caplog.messages


def test_an_unreachable_wsdl(capsys, files, tmp_path):
    closed = write_json(tmp_path / "closed.json", {"netsuite_settings": {
        "account": "1234567_SB1", "wsdl_url": "http://127.0.0.1:9/wsdl/netsuite.wsdl",
        "service_url": "http://127.0.0.1:9/services/NetSuitePort_2024_1"}})
    status, _, err = cli(capsys, "call", "getServerTime", "--settings", closed,
                         "--secrets", files.secrets)
    assert status == 1
    assert err.startswith("netsuite-client: wsdl: cannot fetch the WSDL "
                          "http://127.0.0.1:9/wsdl/netsuite.wsdl: ")


def test_no_secrets_anywhere(capsys, files):
    status, _, err = cli(capsys, "call", "getServerTime", "--settings", files.settings())
    assert status == 2
    assert "missing consumer_key, consumer_secret, token_key, token_secret" in err
    assert "NETSUITE_CONSUMER_KEY" in err


# -- run -----------------------------------------------------------------------------------------
def test_run_sends_each_export_once_and_records_the_answers(capsys, files, mock):
    config = files.settings(export_configs=[{"payload": {"soap_method": "upsert",
                                                          "soap_record": VENDOR_BILL}}])
    status, out, err = cli(capsys, "run", config, "--secrets", files.secrets, "--out", files.out)
    assert status == 0, err
    bills = [b for b in admin_records(mock, "vendorBill") if b.get("externalId") == "cli-0001"]
    assert len(bills) == 1
    internal_id = bills[0]["internalId"]
    assert f"export 1 (upsert VendorBill cli-0001): ok (type vendorBill, internalId " \
           f"{internal_id}, externalId cli-0001)" in out
    assert "1 of 1 done, 0 records imported, 1 requests (0 retried)" in out
    line, = read_lines(files.out / "exports.jsonl")
    assert line["method"] == "upsert"
    assert line["response"]["baseRef"]["internalId"] == internal_id


def test_run_reports_a_failed_export_and_continues(capsys, files):
    bad = {**VENDOR_BILL, "externalId": "cli-0002",
           "subsidiary": {"_ns_type": "RecordRef", "type": "subsidiary", "internalId": "9"}}
    config = files.settings(export_configs=[
        {"payload": {"soap_method": "add", "soap_record": bad}},
        {"payload": {"soap_method": "upsert", "soap_record": VENDOR_BILL}}])
    status, out, _ = cli(capsys, "run", config, "--secrets", files.secrets, "--out", files.out)
    assert status == 1
    assert "export 1 (add VendorBill cli-0002): FAILED: add: INVALID_KEY_OR_REF: Invalid " \
           "subsidiary reference key 9." in out
    assert "FAILED: export 1" in out
    first, second = read_lines(files.out / "exports.jsonl")
    assert first["error"] == {"type": "RecordError", "code": "INVALID_KEY_OR_REF",
                              "message": "Invalid subsidiary reference key 9."}
    assert second["response"]["status"]["isSuccess"] is True


def test_run_writes_json_lines_per_import(capsys, files):
    config = files.settings(import_configs=[
        {"master_data_name": "vendor_101",
         "payload": {"method_name": "get", "method_args": [VENDOR_101]}}])
    status, out, err = cli(capsys, "run", config, "--secrets", files.secrets, "--out", files.out)
    assert status == 0, err
    record, = read_lines(files.out / "vendor_101.jsonl")
    assert record["_ns_type"] == "Vendor" and record["internalId"] == "101"
    assert f"vendor_101: 1 record in " in out and str(files.out / "vendor_101.jsonl") in out


def test_an_output_folder_that_cannot_be_written_stops_before_anything_is_sent(capsys, files,
                                                                              mock):
    config = files.settings(import_configs=[
        {"master_data_name": "vendor_101",
         "payload": {"method_name": "get", "method_args": [VENDOR_101]}}])
    not_a_folder = files.out.parent / "a-file"
    not_a_folder.write_text("")
    sent_before = governance(mock)["admitted"]
    status, _, err = cli(capsys, "run", config, "--secrets", files.secrets, "--out",
                         not_a_folder)
    assert status == 2 and "Traceback" not in err
    assert f"cannot write output files to {not_a_folder}" in err
    assert governance(mock)["admitted"] == sent_before


def test_run_async_imports_side_by_side_within_the_limit(capsys, files, mock):
    imports = [{"master_data_name": f"vendor_{i}",
                "payload": {"method_name": "get",
                            "method_args": [{**VENDOR_101, "internalId": str(i)}]}}
               for i in range(101, 109)]
    config = files.settings(run_async=True, import_configs=imports)
    status, _, err = cli(capsys, "run", config, "--secrets", files.secrets, "--out", files.out)
    assert status == 0, err
    assert sorted(p.name for p in files.out.iterdir()) == [f"vendor_{i}.jsonl"
                                                           for i in range(101, 109)]
    assert governance(mock)["peak"] <= mock.settings.concurrency_limit


def test_run_only_some_imports(capsys, files):
    imports = [{"master_data_name": name, "payload": {"method_name": "get",
                                                      "method_args": [VENDOR_101]}}
               for name in ("one", "two")]
    status, _, _ = cli(capsys, "run", files.settings(import_configs=imports), "--secrets",
                       files.secrets, "--out", files.out, "--only", "two")
    assert status == 0 and [p.name for p in files.out.iterdir()] == ["two.jsonl"]
    status, _, err = cli(capsys, "run", files.settings(import_configs=imports), "--secrets",
                         files.secrets, "--out", files.out, "--only", "three")
    assert status == 2 and "no import named three (there are: one, two)" in err


def test_a_failed_import_leaves_no_file(capsys, files):
    config = files.settings(import_configs=[
        {"master_data_name": "missing",
         "payload": {"method_name": "get",
                     "method_args": [{**VENDOR_101, "internalId": "999"}]}}])
    status, out, _ = cli(capsys, "run", config, "--secrets", files.secrets, "--out", files.out)
    assert status == 1
    assert "missing: FAILED: get: RCRD_DSNT_EXIST: That record does not exist." in out
    assert list(files.out.iterdir()) == []


def test_placeholders_are_filled_from_set(capsys, files, mock):
    config = files.settings(import_configs=[
        {"master_data_name": "vendor",
         "payload": {"method_name": "get",
                     "method_args": [{**VENDOR_101, "internalId": "{vendor_id}"}]}}])
    status, _, err = cli(capsys, "run", config, "--secrets", files.secrets, "--out", files.out)
    assert status == 2
    assert err == (f"netsuite-client: {config}: no value for {{vendor_id}} (used by import "
                   f"'vendor'). Pass --set vendor_id=VALUE\n")
    before = governance(mock)["admitted"]
    status, _, _ = cli(capsys, "run", config, "--secrets", files.secrets, "--out", files.out,
                       "--set", "vendor_id=102")
    assert status == 0
    assert read_lines(files.out / "vendor.jsonl")[0]["internalId"] == "102"
    assert governance(mock)["admitted"] == before + 1


@pytest.mark.parametrize("configs, message", [
    ({}, "no import_configs or export_configs to run"),
    ({"import_configs": [{"master_data_name": "../x", "payload": {"method_name": "get"}}]},
     "import_configs[0]: master_data_name must be a file-name-safe string"),
    ({"import_configs": [{"master_data_name": "x", "payload": {}}]},
     "import 'x': payload.method_name is missing"),
    ({"export_configs": [{"payload": {"soap_method": "add"}}]},
     "export_configs[0]: payload.soap_record is missing or not an object"),
    ({"import_configs": [{"master_data_name": "x", "payload": {
        "method_name": "search", "method_args": [{"_ns_type": "VendorSearchBasic",
                                                  "isInactiv": {"searchValue": False}}]}}]},
     "bad request: search.searchRecord: VendorSearchBasic has no field 'isInactiv' "
     "(did you mean isInactive?)"),
])
def test_bad_configurations_stop_before_anything_is_sent(capsys, files, mock, configs,
                                                         message):
    before = governance(mock)["admitted"]
    status, out, err = cli(capsys, "run", files.settings(**configs), "--secrets", files.secrets,
                           "--out", files.out)
    assert status == 2 and out == ""
    assert message in err
    assert governance(mock)["admitted"] == before
    assert not files.out.exists()


def test_bad_set_syntax(capsys, files):
    config = files.settings(import_configs=[{"master_data_name": "x", "payload": {
        "method_name": "get", "method_args": [VENDOR_101]}}])
    status, _, err = cli(capsys, "run", config, "--secrets", files.secrets, "--set", "nope")
    assert status == 2 and "--set 'nope': expected NAME=VALUE" in err


def test_the_installed_command(files):
    """The console script, as users run it (python -m client is the same program)."""
    command = Path(sys.executable).with_name("netsuite-client")
    argv = [str(command)] if command.exists() else [sys.executable, "-m", "client"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETSUITE_")}
    done = subprocess.run(argv + ["call", "getServerTime", "--settings", str(files.settings()),
                                  "--secrets", str(files.secrets), "--no-wsdl-cache"],
                          capture_output=True, text=True, timeout=60, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"]["isSuccess"] is True
