"""The cassette scrubber (secrets replaced by stable placeholders, the account aliased) and
``netsuite-contracts scan`` (anything secret-like left fails)."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from contracts.cli import main as contracts_main
from contracts.scrub import ACCOUNT_ALIAS, HOST_ALIAS, Scrubber, scan_text
from suitetalk.passport import make_passport

ROOT = Path(__file__).resolve().parents[2]
MSGS = "urn:messages_2024_1.platform.webservices.netsuite.com"
CORE = "urn:core_2024_1.platform.webservices.netsuite.com"
ACCOUNT = "7654321_SB2"


def creds() -> dict:
    return {"consumer_key": secrets.token_hex(32), "consumer_secret": secrets.token_hex(32),
            "token_key": secrets.token_hex(32), "token_secret": secrets.token_hex(32)}


def signed_request(c: dict, body: str = "<m:getServerTime/>", prefix: str = "c",
                   extra_header: str = "") -> bytes:
    p = make_passport(ACCOUNT, c["consumer_key"], c["consumer_secret"], c["token_key"],
                      c["token_secret"])
    return (f'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
            f'xmlns:m="{MSGS}" xmlns:{prefix}="{CORE}"><soapenv:Header>'
            f"<m:tokenPassport><{prefix}:account>{p['account']}</{prefix}:account>"
            f"<{prefix}:consumerKey>{p['consumerKey']}</{prefix}:consumerKey>"
            f"<{prefix}:token>{p['token']}</{prefix}:token>"
            f"<{prefix}:nonce>{p['nonce']}</{prefix}:nonce>"
            f"<{prefix}:timestamp>{p['timestamp']}</{prefix}:timestamp>"
            f'<{prefix}:signature algorithm="HMAC-SHA256">{p["signature"]["value"]}'
            f"</{prefix}:signature></m:tokenPassport>{extra_header}</soapenv:Header>"
            f"<soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>").encode()


def scrubber(c: dict, fields=()) -> Scrubber:
    return Scrubber(account=ACCOUNT, secrets=tuple(c.values()), fields=tuple(fields))


def test_the_token_passport_becomes_placeholders_and_nothing_of_it_remains():
    c = creds()
    raw = signed_request(c)
    text = scrubber(c).body(raw).decode()
    for placeholder in ("[consumerKey]", "[token]", "[nonce]", "[timestamp]", "[signature]"):
        assert placeholder in text
    assert f"<c:account>{ACCOUNT_ALIAS}</c:account>" in text
    assert ACCOUNT not in text and not any(v in text for v in c.values())
    assert scan_text(text, known=tuple(c.values()) + (ACCOUNT,)) == []
    assert scan_text(raw.decode(), known=tuple(c.values()))   # the raw request is caught


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "iso-8859-1"])
def test_a_request_in_another_encoding_is_scrubbed_as_well(encoding):
    """Read as UTF-8 bytes, a UTF-16 passport and a known secret elsewhere would slip past."""
    c = creds()
    raw = signed_request(c, body=f"<m:get><m:memo>{c['token_secret']}</m:memo></m:get>")
    other = (f'<?xml version="1.0" encoding="{encoding}"?>'.encode() + raw).decode(
        "utf-8").encode(encoding)
    text = scrubber(c).body(other).decode("utf-8")
    assert "[consumerKey]" in text and "[signature]" in text
    assert ACCOUNT not in text and not any(v in text for v in c.values())
    assert scan_text(text, known=tuple(c.values()) + (ACCOUNT,)) == []
    # nothing to replace element by element (an answer, say): the known values still go
    answer = (f'<?xml version="1.0" encoding="{encoding}"?><soapenv:Envelope xmlns:soapenv='
              f'"http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><memo>'
              f'{ACCOUNT} {c["consumer_key"]}</memo></soapenv:Body></soapenv:Envelope>')
    text = scrubber(c).body(answer.encode(encoding)).decode("utf-8")
    assert "<memo>ACCOUNT_ID [secret]</memo>" in text


def test_placeholders_are_stable_so_scrubbed_requests_still_match():
    """Two signings of one request (new nonce, time, signature), even by different
    credentials and with other prefixes, scrub to the same text."""
    a = scrubber(creds()).body(signed_request(creds()))
    b = scrubber(creds()).body(signed_request(creds()))
    assert a == b
    c = creds()
    assert scrubber(c).body(signed_request(c, prefix="core")) != a  # prefixes kept as sent
    assert scrubber(c).body(signed_request(c, prefix="core")).replace(b"core:", b"c:") \
        .replace(b"xmlns:core", b"xmlns:c") == a


def test_passwords_and_configured_fields_are_scrubbed_anywhere():
    c = creds()
    body = (f'<m:add><m:record xmlns:r="urn:relationships_2024_1.lists.webservices.netsuite.com"'
            f' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="r:Vendor">'
            f"<r:companyName>Acme</r:companyName><r:email>ap@acme.example</r:email>"
            f"<r:password>hunter2hunter2</r:password><r:password2>hunter2hunter2</r:password2>"
            f"</m:record></m:add>")
    text = scrubber(c, fields=("email",)).body(signed_request(c, body)).decode()
    assert "hunter2" not in text and "ap@acme.example" not in text
    assert "<r:password>[password]</r:password>" in text
    assert "<r:email>[scrubbed]</r:email>" in text and "Acme" in text


def test_the_account_id_is_aliased_in_urls_ns_ids_and_text_in_every_form():
    s = Scrubber(account=ACCOUNT)
    assert s.text("https://7654321-sb2.suitetalk.api.netsuite.com/services/NetSuitePort_2024_1") \
        == f"https://{HOST_ALIAS}.suitetalk.api.netsuite.com/services/NetSuitePort_2024_1"
    assert s.text("WEBSERVICES_7654321_SB2_0301202412345_ab12") == \
        f"WEBSERVICES_{ACCOUNT_ALIAS}_0301202412345_ab12"
    # every case and separator: host names are case-insensitive, clients write either form
    for form in ("7654321_SB2", "7654321-sb2", "7654321-SB2", "7654321_sb2", "7654321-Sb2"):
        assert ACCOUNT not in s.text(f"x {form} y").upper().replace("-", "_"), form
    assert s.text("https://7654321-SB2.suitetalk.api.netsuite.com/x") == \
        f"https://{HOST_ALIAS}.suitetalk.api.netsuite.com/x"
    assert Scrubber(account="7654321-sb2").text("a 7654321_SB2 b") == f"a {ACCOUNT_ALIAS} b"
    # a number that merely contains the account's digits is left alone
    assert s.text("amount 17654321_SB29 and 7654321_SB2x") == "amount 17654321_SB29 and 7654321_SB2x"


def test_known_secrets_are_replaced_even_outside_credential_elements():
    c = creds()
    body = f"<m:getServerTime><m:note>{c['token_secret']}</m:note></m:getServerTime>"
    text = scrubber(c).body(signed_request(c, body)).decode()
    assert c["token_secret"] not in text and "[secret]" in text


def test_a_body_that_is_not_xml_is_still_scrubbed_as_text():
    c = creds()
    text = scrubber(c).body(f"oops {c['consumer_key']} from 7654321_SB2".encode()).decode()
    assert text == f"oops [secret] from {ACCOUNT_ALIAS}"


def test_http_headers_other_than_content_type_and_soapaction_are_dropped():
    from vcr.request import Request
    c = creds()
    request = Request("POST", "https://7654321-sb2.suitetalk.api.netsuite.com/services/x",
                      signed_request(c), {"Content-Type": "text/xml", "SOAPAction": '"get"',
                                          "Authorization": "Bearer abc", "Cookie": "JSESSIONID=1",
                                          "User-Agent": "zeep"})
    scrubbed = scrubber(c).request(request)
    assert set(scrubbed.headers) == {"Content-Type", "SOAPAction"}
    assert HOST_ALIAS in scrubbed.uri and b"[nonce]" in scrubbed.body
    assert b"[nonce]" not in request.body and "Authorization" in request.headers  # untouched
    response = scrubber(c).response({"status": {"code": 200, "message": "OK"},
                                     "headers": {"Set-Cookie": ["a=b"], "Content-Type": ["x"]},
                                     "body": {"string": b"WEBSERVICES_7654321_SB2_0301_ab"}})
    assert response["headers"] == {"Content-Type": ["x"]}
    assert response["body"]["string"] == f"WEBSERVICES_{ACCOUNT_ALIAS}_0301_ab".encode()


@pytest.mark.parametrize("text, kind", [
    ("<c:nonce>a8Jd92kLq0</c:nonce>", "<nonce> not scrubbed"),
    ("<ns1:consumerKey>abc123</ns1:consumerKey>", "<consumerKey> not scrubbed"),
    ("<password>hunter2</password>", "<password> not scrubbed"),
    ('<c:signature algorithm="HMAC-SHA256">FCghIZqXNetuZY8ILWOFH0ucdfzQOmAuL+q+kF21zPs=</c:signature>',
     "an HMAC signature (Base64 of 20 or 32 bytes)"),
    ("token: 71cc02b731f05895561ef0862d71553a3ac99498a947c3b7beaf4a1e4a29f7c4",
     "a long random token"),
    ("uri: https://1234567-sb1.suitetalk.api.netsuite.com/services/NetSuitePort_2024_1",
     "an account id in a NetSuite host name"),
    ("<nsId>WEBSERVICES_1234567_SB1_0301202412_abc</nsId>", "an account id in an nsId"),
    ("    Authorization:\n    - Bearer x", "a credential HTTP header"),
])
def test_scan_finds_what_looks_secret(text, kind):
    assert kind in [f.kind for f in scan_text(text)]


def test_scan_leaves_placeholders_names_and_urls_alone():
    clean = ("<c:nonce>[nonce]</c:nonce><c:account>ACCOUNT_ID</c:account>"
             "https://account-id.suitetalk.api.netsuite.com/services/NetSuitePort_2024_1 "
             "http://127.0.0.1:33665/services/NetSuitePort_2024_1 "
             "WEBSERVICES_ACCOUNT_ID_030120240000000000000000004_0278dde6c4 "
             "urn:relationships_2024_1.lists.webservices.netsuite.com "
             "An unexpected error occurred. Error ID: fevsjhv41tji2juy3le73")
    assert scan_text(clean) == []


def test_scan_command_exit_status_and_report(tmp_path, capsys):
    (tmp_path / "clean.yaml").write_text("<c:nonce>[nonce]</c:nonce>\n")
    assert contracts_main(["scan", str(tmp_path)]) == 0
    assert "nothing secret-like found" in capsys.readouterr().out
    secret = secrets.token_hex(16)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "leak.yaml").write_text(f"line one\nnote: {secret}x\n")
    secrets_file = tmp_path / "secrets.json"
    secrets_file.write_text('{"consumer_key": "%s", "consumer_secret": "s", "token_key": "t", '
                            '"token_secret": "u"}' % secret)
    assert contracts_main(["scan", str(tmp_path / "sub"), "--secrets", str(secrets_file)]) == 1
    out = capsys.readouterr().out
    assert f"{tmp_path / 'sub' / 'leak.yaml'}:2: a known secret: {secret[:4]}…" in out
    assert secret not in out   # the report masks what it found
    assert contracts_main(["scan", str(tmp_path / "sub"), "--secrets", str(secrets_file),
                           "--allow", secret[:8]]) == 0
    assert contracts_main(["scan", str(tmp_path / "missing")]) == 2


def test_the_reference_recordings_scan_clean():
    assert contracts_main(["scan", str(ROOT / "recordings")]) == 0
