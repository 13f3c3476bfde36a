"""Secret hygiene: the credentials a session used appear in no output of the mock: not the
server log, the journal, the audit trail, snapshots, records, governance or the banner."""

from __future__ import annotations

import base64
import html
import json
import logging
import re
import secrets
import sqlite3
import subprocess
import sys
from urllib.parse import quote_plus

import pytest
import requests
import zeep

from mockserver.admin_client import MockAdmin
from mockserver.config import MockSettings
from mockserver.domain.journal import MAX_BODY_CHARS
from mockserver.server import MockServer
from mockserver.wire.redaction import REDACTED
from tests.conftest import CORE, GET_VENDOR_101, SoapClient, envelope, passport_xml, post_soap

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
    loggers = [logging.getLogger(n) for n in ("netsuite_mock", "spyne")]
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
            # before a checkpoint the latest writes (the nonces among them) sit in the WAL
            assert (tmp_path / "state.sqlite-wal").stat().st_size > 0
            outputs["state file and its WAL before a checkpoint"] = b"".join(
                path.read_bytes() for path in sorted(tmp_path.glob("state.sqlite*"))
            ).decode("latin-1")
        # a stopped mock closes the file: the WAL is checkpointed into it and removed
        assert not (tmp_path / "state.sqlite-wal").exists()
        outputs["state file after a checkpoint"] = (tmp_path / "state.sqlite").read_bytes() \
            .decode("latin-1")
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
    with sqlite3.connect(tmp_path / "state.sqlite") as db:   # the nonces are in it, hashed
        assert db.execute("SELECT count(*) FROM seen_nonces").fetchone()[0] >= 3


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


# -- the journal under hostile encodings -------------------------------------------------------
# Two accounts, two integrations and tokens each: every credential of every account is
# redacted, whichever account a request names and whatever form its credentials take.
def _account(account_id: str) -> dict:
    creds = [fresh_secrets() for _ in range(2)]
    return {"id": account_id, "seed": "demo", "concurrency_limit": 10,
            "integrations": [{"name": f"app{i}", "consumer_key": c["consumer_key"],
                              "consumer_secret": c["consumer_secret"]}
                             for i, c in enumerate(creds)],
            "tokens": [{"token_id": c["token_id"], "token_secret": c["token_secret"],
                        "integration": f"app{i}"} for i, c in enumerate(creds)]}


@pytest.fixture(scope="module")
def secretive():
    accounts = [_account("1111111"), _account("2222222_SB1")]
    with MockServer(MockSettings(port=0, accounts=accounts)) as server:
        server.accounts = accounts
        yield server


def _signer(spec: dict, index: int = 0) -> MockSettings:
    """Settings that sign as one of an account's tokens (what ``passport_xml`` reads)."""
    integration, token = spec["integrations"][index], spec["tokens"][index]
    return MockSettings(account=spec["id"], consumer_key=integration["consumer_key"],
                        consumer_secret=integration["consumer_secret"],
                        token_id=token["token_id"], token_secret=token["token_secret"])


def _all_secrets(server) -> list[str]:
    return [value for spec in server.accounts
            for item in spec["integrations"] + spec["tokens"]
            for key, value in item.items() if key in fresh_secrets()]


def _char_refs(value: str, hexadecimal: bool = False) -> str:
    return "".join(f"&#x{ord(c):x};" if hexadecimal else f"&#{ord(c)};" for c in value)


def _read_as_a_person_would(text: str) -> str:
    """What someone reading the journal could make of it: character references resolved,
    comments and CDATA markers gone."""
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    return html.unescape(text.replace("<![CDATA[", "").replace("]]>", ""))


def _passport_forms(s: MockSettings) -> dict:
    """The TokenPassport of a valid login, its credentials written in valid but unusual XML."""
    plain = passport_xml(s)
    key, token = s.consumer_key, s.token_id

    def swap(**elements) -> str:
        text = plain
        for name, (value, written) in elements.items():
            text = text.replace(f"<c:{name}>{value}</c:{name}>", written)
        return text
    return {
        "CDATA, and a closing tag with a space": swap(
            consumerKey=(key, f"<c:consumerKey><![CDATA[{key}]]></c:consumerKey>"),
            token=(token, f"<c:token>{token}</c:token >")),
        "spaces and newlines inside both tags": swap(
            consumerKey=(key, f"<c:consumerKey\n  >{key}</c:consumerKey\n>"),
            token=(token, f"<c:token\t>{token}</c:token  >")),
        "character references": swap(
            consumerKey=(key, f"<c:consumerKey>{_char_refs(key)}</c:consumerKey>"),
            token=(token, f"<c:token>{_char_refs(token, hexadecimal=True)}</c:token>")),
        "comments splitting the text": swap(
            consumerKey=(key, f"<c:consumerKey>{key[:7]}<!-- c -->{key[7:]}</c:consumerKey>"),
            token=(token, f"<c:token>{token[:5]}<!---->{token[5:]}</c:token>")),
        "CDATA in pieces": swap(
            consumerKey=(key, f"<c:consumerKey><![CDATA[{key[:9]}]]><![CDATA[{key[9:]}]]>"
                              f"</c:consumerKey>"),
            token=(token, f"<c:token>{token[:4]}<![CDATA[{token[4:]}]]></c:token>")),
        "attributes, one holding '>'": swap(
            consumerKey=(key, f'<c:consumerKey xmlns:q="urn:q" q:note="a > b">{key}'
                              f"</c:consumerKey>"),
            token=(token, f"<c:token q:x='>' xmlns:q='urn:q'>{token}</c:token>")),
        "another prefix": swap(
            consumerKey=(key, f'<zz:consumerKey xmlns:zz="{CORE}">{key}</zz:consumerKey>'),
            token=(token, f'<m:token>{token}</m:token>')),
        "the default namespace": plain.replace("<c:", "<").replace("</c:", "</").replace(
            'xmlns:c="', 'xmlns="'),
    }


def _exchange(server, data: bytes, action: str = "get") -> dict:
    """Send a request; its journal entry as the dashboard reads it (the summary the journal
    table shows and the entry a click opens), as raw JSON text and as parsed JSON."""
    post_soap(server, data, action)
    admin = MockAdmin(server.url)
    summary = admin.journal(limit=1)[-1]
    raw = requests.get(f"{server.url}/__admin/journal/{summary['id']}", timeout=10)
    return {"summary": summary, "entry": raw.json(), "text": json.dumps(summary) + raw.text}


def _assert_no_secret(server, seen: dict, where: str) -> None:
    readable = _read_as_a_person_would(seen["entry"]["request"] + seen["entry"]["response"]
                                       + json.dumps(seen["summary"]))
    for value in _all_secrets(server):
        random_part = value.split("-", 1)[1]
        for text in (seen["text"], readable):
            assert value not in text, f"{where}: a credential is in the journal"
            assert random_part[:8] not in text, f"{where}: part of a credential is there"


@pytest.mark.parametrize("form", list(_passport_forms(MockSettings())))
def test_credentials_in_unusual_xml_are_redacted_in_the_journal(secretive, form):
    signer = _signer(secretive.accounts[0])
    seen = _exchange(secretive, envelope(GET_VENDOR_101, _passport_forms(signer)[form]))
    assert seen["summary"]["outcome"] == "success", seen   # NetSuite would accept the login
    assert seen["entry"]["request"].count(REDACTED) >= 5    # consumerKey, token, nonce, …
    assert "Acme Supplies" in seen["entry"]["response"]     # the rest is shown as it was
    _assert_no_secret(secretive, seen, form)


def test_a_utf16_request_has_its_credentials_redacted(secretive):
    signer = _signer(secretive.accounts[1], 1)
    text = envelope(GET_VENDOR_101, passport_xml(signer)).decode()
    data = ('<?xml version="1.0" encoding="UTF-16"?>' + text).encode("utf-16")
    seen = _exchange(secretive, data)
    assert seen["summary"]["outcome"] == "success", seen
    assert "tokenPassport" in seen["entry"]["request"]      # shown as text, not as UTF-16 bytes
    _assert_no_secret(secretive, seen, "UTF-16")


def _credential_bodies(server) -> dict:
    """Requests carrying configured credentials outside any credential element, or not XML."""
    first, second = server.accounts
    key = first["integrations"][0]["consumer_key"]
    secret = first["tokens"][1]["token_secret"]
    other = second["integrations"][1]["consumer_secret"]
    b64 = base64.b64encode(f"{key}:{secret}".encode()).decode()
    valid = passport_xml(_signer(first))
    return {
        "in an attribute and a field": envelope(
            f'<m:get><m:baseRef xsi:type="c:RecordRef" type="vendor" externalId="{secret}"/>'
            f"</m:get>", valid),
        "echoed in the fault": envelope(f'<m:get><m:baseRef xsi:type="c:{other}"/></m:get>', valid),
        "JSON": json.dumps({"consumer_key": key, "token_secret": secret,
                            "other": other}).encode(),
        "a form": f"consumer_key={quote_plus(key)}&secret={quote_plus(other + '&/')}".encode(),
        "base64 and hex": f"Basic {b64} x{base64.b64encode(b'..' + other.encode()).decode()} "
                          f"{secret.encode().hex()}".encode(),
        "another account's credentials in a passport": envelope(
            GET_VENDOR_101, valid.replace(f">{first['tokens'][0]['token_id']}<",
                                          f">{second['tokens'][0]['token_id']}<")),
    }


def test_credentials_anywhere_in_any_body_are_redacted_in_the_journal(secretive):
    for name, data in _credential_bodies(secretive).items():
        seen = _exchange(secretive, data)
        assert REDACTED in seen["entry"]["request"], name
        _assert_no_secret(secretive, seen, name)


def test_a_credential_cut_off_at_the_journal_limit_is_redacted(secretive):
    key = secretive.accounts[1]["integrations"][0]["consumer_key"]
    padding = b"x" * (MAX_BODY_CHARS - len(key) // 2)
    seen = _exchange(secretive, padding + key.encode() + b" and more")
    request = seen["entry"]["request"]
    assert "more bytes]" in request and request.startswith("xxxx")
    _assert_no_secret(secretive, seen, "a cut body")


@pytest.mark.parametrize("sent_as", ["consumer_secret", "token_secret", "token_id"])
def test_a_credential_sent_as_the_account_is_kept_in_no_audit_entry_or_log(sent_as):
    """A client that puts a credential in <account> (a swapped field in its settings) fails
    to log in; the audit trail and the INFO line of the failure name the account as sent,
    with the credential redacted."""
    creds = fresh_secrets()
    capture = Capture()
    audit_log = logging.getLogger("netsuite_mock")
    previous = audit_log.level
    audit_log.addHandler(capture)
    audit_log.setLevel(logging.INFO)
    try:
        with MockServer(MockSettings(port=0, seed="none", **creds)) as server:
            sent = f"acct-{creds[sent_as]}"
            response = post_soap(server, envelope(GET_VENDOR_101, passport_xml(
                server.settings, account=sent)))
            assert b"Invalid login attempt." in response.content
            audit = requests.get(server.url + "/__admin/audit", timeout=10).json()
    finally:
        audit_log.removeHandler(capture)
        audit_log.setLevel(previous)
    log_text = "\n".join(capture.lines)
    assert audit[-1]["status"] == "Failure" and "login Failure" in log_text  # they are real
    assert audit[-1]["account"] == f"acct-{REDACTED}"
    for where, text in (("audit", json.dumps(audit)), ("log", log_text)):
        assert creds[sent_as] not in text, f"the {sent_as} is in the {where}"
        assert creds[sent_as].split("-", 1)[1][:8] not in text, f"part of it is in the {where}"
