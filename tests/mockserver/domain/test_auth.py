"""TokenPassport verification: every rejection is NetSuite's one invalid-login fault, and the
login audit trail says why."""

from __future__ import annotations

import time

import pytest

from suitetalk.passport import make_passport, sign
from tests.conftest import (CORE, GET_VENDOR_101, MSGS, envelope, last_audit, parse_fault,
                            passport_xml, post_soap)

INVALID_LOGIN = {
    "http_status": 500,
    "faultcode": "soapenv:Server.userException",
    "faultstring": "Invalid login attempt.",
    "element": "invalidCredentialsFault",
    "code": "USER_ERROR",
    "message": "Invalid login attempt.",
    "hostname": "netsuite-mock.partners.internal",
    "has_header": False,
}


def test_signature_matches_oracles_published_example():
    # NetSuite's documented test vector (reference §1.2).
    assert sign("1234567", "71cc02b731f05895561ef0862d71553a3ac99498a947c3b7beaf4a1e4a29f7c4",
                "89e08d9767c5ac85b374415725567d05b54ecf0960ad2470894a52f741020d82",
                "6obMKq0tmY8ylVOdEkA1", 1439829974,
                "7278da58caf07f5c336301a601203d10a58e948efa280f0618e25fcee1ef2abd",
                "060cd9ab3ffbbe1e3d3918e90165ffd37ab12acc76b4691046e2d29c7d7674c2"
                ) == "FCghIZqXNetuZY8ILWOFH0ucdfzQOmAuL+q+kF21zPs="


def _signed(settings, **changes):
    """A passport signed with possibly altered credentials, as a dict; ``seconds_off``: its
    timestamp that far from now (now when it is signed: a suite takes minutes to get here)."""
    if "seconds_off" in changes:
        changes["timestamp"] = int(time.time()) + changes.pop("seconds_off")
    creds = dict(account=settings.account, consumer_key=settings.consumer_key,
                 consumer_secret=settings.consumer_secret, token_key=settings.token_id,
                 token_secret=settings.token_secret)
    passport_args = {k: changes.pop(k) for k in ("nonce", "timestamp", "algorithm")
                     if k in changes}
    creds.update(changes)
    return make_passport(**creds, **passport_args)


def _post_passport(server, passport: dict):
    signature = passport.pop("signature")
    return post_soap(server, envelope(GET_VENDOR_101, passport_xml(
        server.settings, **passport, signature=signature)))


@pytest.mark.parametrize("changes, reason", [
    ({"consumer_secret": "wrong"}, "InvalidSignature"),
    ({"token_secret": "wrong"}, "InvalidSignature"),
    ({"consumer_key": "unknown-consumer"}, "consumer_key_unknown"),
    ({"token_key": "unknown-token"}, "token_rejected"),
    ({"algorithm": "HMAC-SHA1"}, "UnknownAlgorithm"),
    ({"nonce": "abc12"}, "nonce_rejected"),
    ({"nonce": "n" * 65}, "nonce_rejected"),
    ({"seconds_off": -301 - 60}, "InvalidTimestamp"),
    ({"seconds_off": 400}, "InvalidTimestamp"),
    ({"account": "1234567_sb1"}, "InvalidSignature"),   # the case of the account id matters
    ({"account": "1234567-SB1"}, "InvalidSignature"),
    ({"account": "7654321"}, "InvalidAccount"),
])
def test_rejected_passport_gives_netsuites_invalid_login_fault(mock, changes, reason):
    response = _post_passport(mock, _signed(mock.settings, **changes))
    assert parse_fault(response) == INVALID_LOGIN
    audit = last_audit(mock)
    assert (audit["status"], audit["detail"], audit["operation"]) == ("Failure", reason, "get")


def test_tampered_signature_is_rejected(mock):
    passport = _signed(mock.settings)
    passport["signature"]["value"] = passport["signature"]["value"][::-1]
    assert parse_fault(_post_passport(mock, passport)) == INVALID_LOGIN
    assert last_audit(mock)["detail"] == "InvalidSignature"


@pytest.mark.parametrize("missing", ["account", "consumerKey", "token", "nonce", "timestamp",
                                     "signature"])
def test_missing_passport_field_is_rejected(mock, missing):
    passport = _signed(mock.settings)
    passport[missing] = None
    if missing == "signature":
        passport["signature"] = None
    response = post_soap(mock, envelope(GET_VENDOR_101, passport_xml(mock.settings, **passport)))
    assert parse_fault(response) == INVALID_LOGIN
    assert last_audit(mock)["detail"] == "MissingTokenPassportRequiredFields"


def test_request_without_passport_is_rejected(mock):
    assert parse_fault(post_soap(mock, envelope(GET_VENDOR_101))) == INVALID_LOGIN
    assert last_audit(mock)["detail"] == "NoCredentials"


def test_two_passports_are_rejected(mock):
    header = passport_xml(mock.settings) + passport_xml(mock.settings)
    assert parse_fault(post_soap(mock, envelope(GET_VENDOR_101, header))) == INVALID_LOGIN
    assert last_audit(mock)["detail"] == "MultipleTokenPassports"


def test_reused_nonce_and_timestamp_are_rejected(mock):
    passport = _signed(mock.settings)
    first = _post_passport(mock, dict(passport, signature=dict(passport["signature"])))
    assert first.status_code == 200
    second = _post_passport(mock, passport)
    assert parse_fault(second) == INVALID_LOGIN
    assert last_audit(mock)["detail"] == "NonceUsed"


def test_application_info_next_to_token_passport_is_ambiguous(mock):
    header = passport_xml(mock.settings) + (
        f'<m:applicationInfo><m:applicationId>APP-1</m:applicationId></m:applicationInfo>')
    fault = parse_fault(post_soap(mock, envelope(GET_VENDOR_101, header)))
    assert fault == dict(INVALID_LOGIN, faultstring="Ambiguous authentication",
                         message="Ambiguous authentication")


def test_passport_next_to_token_passport_is_ambiguous_without_fault_element(mock):
    header = passport_xml(mock.settings) + (
        f'<m:passport><c:email>a@b.example</c:email></m:passport>')
    fault = parse_fault(post_soap(mock, envelope(GET_VENDOR_101, header)))
    assert fault == dict(INVALID_LOGIN, faultstring="Ambiguous authentication", element=None,
                         code=None, message=None)


@pytest.mark.parametrize("algorithm", ["HMAC-SHA256", "HMAC_SHA256"])
def test_both_spellings_of_hmac_sha256_are_accepted(mock, algorithm):
    response = _post_passport(mock, _signed(mock.settings, algorithm=algorithm))
    assert response.status_code == 200, response.text
    assert b'isSuccess="true"' in response.content
    audit = last_audit(mock)
    assert (audit["status"], audit["detail"]) == ("Success", "")


def test_passport_children_in_the_messages_namespace_are_accepted(mock):
    # Oracle's own sample and some production clients write them that way (reference §1.1).
    header = passport_xml(mock.settings, children_ns=MSGS)
    response = post_soap(mock, envelope(GET_VENDOR_101, header))
    assert response.status_code == 200, response.text


def test_audit_trail_never_shows_whole_credentials(mock):
    _post_passport(mock, _signed(mock.settings, consumer_secret="wrong"))
    audit = last_audit(mock)
    text = repr(audit)
    for secret in (mock.settings.consumer_key, mock.settings.token_id,
                   mock.settings.consumer_secret, mock.settings.token_secret):
        assert secret not in text
    assert audit["account"] == mock.settings.account


def test_zeep_client_with_wrong_secret_gets_invalid_login(ns):
    from zeep.exceptions import Fault
    ns.settings = type(ns.settings)(**{**ns.settings.__dict__, "token_secret": "nope"})
    with pytest.raises(Fault) as raised:
        ns.call("get", baseRef=ns.ref("vendor", "101"))
    assert raised.value.message == "Invalid login attempt."
    assert raised.value.code == "soapenv:Server.userException"


# -- what the passport's fields may be ---------------------------------------------------------
def _post_with_timestamp(server, text: str):
    """A passport signed for now, its timestamp element holding ``text`` instead."""
    passport = _signed(server.settings)
    header = passport_xml(server.settings, **dict(passport, signature=passport["signature"]))
    header = header.replace(f"<c:timestamp>{passport['timestamp']}</c:timestamp>",
                            f"<c:timestamp>{text}</c:timestamp>")
    return post_soap(server, envelope(GET_VENDOR_101, header)), str(passport["timestamp"])


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize("form, reason", [
    (lambda now: now[:1] + "_" + now[1:], "InvalidTimestamp"),       # Python's int() takes it
    (lambda now: now.translate(ARABIC_INDIC), "InvalidTimestamp"),
    (lambda now: now.translate(FULLWIDTH), "InvalidTimestamp"),
    (lambda now: "\u2003" + now, "InvalidTimestamp"),                 # not XML white space
    (lambda now: now + ".0", "InvalidTimestamp"),
    (lambda now: "soon", "InvalidTimestamp"),
    (lambda now: "9" * 20, "InvalidTimestamp"),                        # beyond xsd:long
    (lambda now: "", "MissingTokenPassportRequiredFields"),
])
def test_a_timestamp_that_is_not_an_xsd_long_is_an_audited_invalid_login(mock, form, reason):
    now = str(int(time.time()))
    response, _ = _post_with_timestamp(mock, form(now))
    assert parse_fault(response) == INVALID_LOGIN
    audit = last_audit(mock)
    assert (audit["status"], audit["detail"]) == ("Failure", reason)
    assert audit["user"] is not None   # the token was named: it counts towards a lockout


@pytest.mark.parametrize("form", [lambda now: f"\n  {now} ", lambda now: "+" + now,
                                  lambda now: "00" + now])
def test_a_timestamp_in_any_xsd_long_form_is_accepted(mock, form):
    response, now = _post_with_timestamp(mock, form(str(int(time.time()))))
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("nonce", ["nonce with spaces", "nonce&amp;more", "nöncé-123",
                                   "nonce\tmore", "nonce.12345", "nonce more"])
def test_a_nonce_with_other_characters_is_refused(mock, nonce):
    """Signed correctly: only the characters are wrong."""
    passport = _signed(mock.settings, nonce=nonce.replace("&amp;", "&"))
    header = passport_xml(mock.settings, **dict(passport, nonce=nonce))
    assert parse_fault(post_soap(mock, envelope(GET_VENDOR_101, header))) == INVALID_LOGIN
    assert last_audit(mock)["detail"] == "nonce_rejected"


@pytest.mark.parametrize("nonce", ["Zm9vYmFyYmF6+/==", "123e4567-e89b-12d3-a456",
                                   "base64url_nonce-AB", "abc123"])
def test_base64_and_uuid_nonces_are_accepted(mock, nonce):
    response = _post_passport(mock, _signed(mock.settings, nonce=nonce))
    assert response.status_code == 200, response.text


def test_a_token_passport_outside_the_messages_namespace_is_no_passport(mock):
    header = passport_xml(mock.settings).replace(f'<m:tokenPassport xmlns:m="{MSGS}"',
                                                 f'<m:tokenPassport xmlns:m="{CORE}"')
    assert parse_fault(post_soap(mock, envelope(GET_VENDOR_101, header))) == INVALID_LOGIN
    assert last_audit(mock)["detail"] == "NoCredentials"


@pytest.mark.parametrize("children_ns", ["urn:example:elsewhere", "",
                                         "urn:relationships_2024_1.lists.webservices.netsuite.com"])
def test_passport_fields_in_another_namespace_are_refused(mock, children_ns):
    header = passport_xml(mock.settings, children_ns=children_ns or "urn:placeholder")
    if not children_ns:   # no namespace at all
        header = header.replace(' xmlns:c="urn:placeholder"', "").replace("c:", "")
    assert parse_fault(post_soap(mock, envelope(GET_VENDOR_101, header))) == INVALID_LOGIN
    audit = last_audit(mock)
    assert audit["status"] == "Failure"
    assert audit["detail"] == "MissingTokenPassportRequiredFields"


def test_one_field_in_another_namespace_is_refused_and_counts_for_the_user(mock):
    header = passport_xml(mock.settings).replace("<c:nonce>", '<x:nonce xmlns:x="urn:x">') \
        .replace("</c:nonce>", "</x:nonce>")
    assert parse_fault(post_soap(mock, envelope(GET_VENDOR_101, header))) == INVALID_LOGIN
    audit = last_audit(mock)
    assert (audit["detail"], audit["user"] is not None) == ("MalformedTokenPassport", True)


@pytest.mark.parametrize("children_ns", [CORE, MSGS])
def test_passport_fields_in_the_core_or_messages_namespace_are_accepted(mock, children_ns):
    response = post_soap(mock, envelope(GET_VENDOR_101, passport_xml(
        mock.settings, children_ns=children_ns)))
    assert response.status_code == 200, response.text
