"""Secret hygiene: the credentials a session used appear in no output of the mock: not the
server log, the journal, the audit trail, snapshots, records, governance or the banner."""

from __future__ import annotations

import json
import logging
import secrets
import subprocess
import sys

import pytest
import zeep

from mockserver.admin_client import MockAdmin
from mockserver.config import MockSettings
from mockserver.server import MockServer
from tests.conftest import SoapClient

pytestmark = pytest.mark.server


class Capture(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))
        if record.exc_info:
            self.lines.append(logging.Formatter().formatException(record.exc_info))


def fresh_secrets() -> dict:
    return {name: f"{name}-{secrets.token_hex(16)}" for name in
            ("consumer_key", "consumer_secret", "token_id", "token_secret")}


def test_no_output_of_the_mock_contains_a_credential(tmp_path):
    creds = fresh_secrets()
    capture = Capture()
    # the mock's own loggers (the test's zeep client logs its requests, passports included)
    loggers = [logging.getLogger(n) for n in ("netsuite_mock", "waitress", "spyne")]
    previous = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(capture)
        logger.setLevel(logging.DEBUG)
    try:
        settings = MockSettings(port=0, seed="demo", state=str(tmp_path / "state.sqlite"),
                                **creds)
        with MockServer(settings) as server:
            ns = SoapClient(zeep.Client(server.wsdl_url), server)
            admin = MockAdmin(server.url)
            ns.call("get", baseRef=ns.ref("vendor", "101"))
            ns.call("add", record=ns.type("ns13:Vendor")(
                companyName="Secretive", subsidiary=ns.ref(internal_id="1"),
                password="hunter2-vendor-password", password2="hunter2-vendor-password"))
            wrong = SoapClient(zeep.Client(server.wsdl_url), server)
            wrong.settings = MockSettings(**{**creds, "token_secret": "wrong-" + creds[
                "token_secret"]})
            with pytest.raises(zeep.exceptions.Fault):
                wrong.call("getServerTime")
            admin.add_rule({"operation": "getServerTime",
                            "action": {"kind": "fault", "fault": "UnexpectedErrorFault"}})
            with pytest.raises(zeep.exceptions.Fault):
                ns.call("getServerTime")
            outputs = {
                "journal": json.dumps([admin.journal_entry(e["id"]) for e in admin.journal()]),
                "audit": json.dumps(admin.audit()),
                "snapshot": json.dumps(admin.snapshot()),
                "records": json.dumps(admin.records("vendor")),
                "governance": json.dumps(admin.governance()),
                "rules": json.dumps(admin.rules()),
            }
        outputs["state file"] = (tmp_path / "state.sqlite").read_bytes().decode("latin-1")
    finally:
        for logger, level in zip(loggers, previous):
            logger.removeHandler(capture)
            logger.setLevel(level)
    outputs["log"] = "\n".join(capture.lines)
    assert "Invalid login" in outputs["journal"] and capture.lines   # the outputs are real
    for where, text in outputs.items():
        for name, value in creds.items():
            assert value not in text, f"{name} leaked into the {where}"
            random_part = value.split("-", 1)[1]
            assert random_part[:8] not in text, f"part of the {name} is in the {where}"
        # NetSuite never returns an entity's password, and neither does the mock keep it
        assert "hunter2-vendor-password" not in text, f"a record password is in the {where}"


def test_the_banner_masks_secrets_the_user_supplied(tmp_path):
    creds = fresh_secrets()
    secrets_file = tmp_path / "secrets.json"
    secrets_file.write_text(json.dumps({"consumer_key": creds["consumer_key"],
                                        "consumer_secret": creds["consumer_secret"],
                                        "token_key": creds["token_id"],
                                        "token_secret": creds["token_secret"]}))
    process = subprocess.Popen([sys.executable, "-m", "mockserver", "serve", "--port", "0",
                                "--seed", "none", "--secrets", str(secrets_file)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        while len(lines) < 40:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            if line.startswith("}") and any(x.startswith("Client secrets") for x in lines):
                break
    finally:
        process.terminate()
        process.wait(timeout=10)
    banner = "".join(lines)
    assert "Client secrets" in banner
    for value in creds.values():
        assert value not in banner
