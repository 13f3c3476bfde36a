"""changePassword and changeEmail over HTTP, through zeep built from the mock's WSDL: a
``sessionResponse`` whose status succeeds, or fails with NetSuite's code for what is wrong with
the request; every answer validated against NetSuite's XSDs when they are at hand."""

from __future__ import annotations

import pytest

from tests.conftest import assert_valid_response


def session_status(ns, schema, operation: str, **request):
    """The status of the operation's ``sessionResponse`` (zeep hands that element itself back:
    the operation's answer has no documentInfo header), the answer validated when it can be."""
    answer = ns.call(operation, **request)
    if schema is not None:
        assert_valid_response(schema, ns.last_response)
    return answer.status

STRONG = "Honeycomb#2024"


def change_password(ns, schema, current="Old-pass#1", new=STRONG, confirmation=None):
    fields = {"currentPassword": current, "newPassword": new,
              "newPassword2": new if confirmation is None else confirmation}
    return session_status(ns, schema, "changePassword",
                          changePassword=ns.type("ns0:ChangePassword")(**fields))


def change_email(ns, schema, new="ap.clerk@example.com", confirmation=None, current="Old-pass#1",
                 **extra):
    fields = {"currentPassword": current, "newEmail": new,
              "newEmail2": new if confirmation is None else confirmation, **extra}
    return session_status(ns, schema, "changeEmail",
                          changeEmail=ns.type("ns0:ChangeEmail")(**fields))


def failure(status) -> tuple[str, str]:
    assert status.isSuccess is False
    [detail] = status.statusDetail
    assert detail.type == "ERROR"
    return detail.code, detail.message


# -- changePassword ------------------------------------------------------------------------------
def test_change_password_to_a_strong_password_succeeds(ns, response_schema):
    status = change_password(ns, response_schema)
    assert status.isSuccess is True and not status.statusDetail


def test_change_password_requires_each_field(ns, response_schema):
    assert failure(change_password(ns, response_schema, current="")) == (
        "DATA_REQD", "You need to provide a proper value for the required field: "
                     "currentPassword.")
    assert failure(change_password(ns, response_schema, new=None, confirmation="")) == (
        "DATA_REQD", "You need to provide a proper value for the required field: newPassword.")
    assert failure(change_password(ns, response_schema, confirmation=" "))[1].endswith(
        "required field: newPassword2.")


def test_change_password_with_a_confirmation_that_differs(ns, response_schema):
    assert failure(change_password(ns, response_schema, confirmation=STRONG + "x")) == (
        "PWSDS_DONT_MATCH", "The new password and its confirmation do not match.")


@pytest.mark.parametrize("new, code, says", [
    ("Short#1a", "INVALID_PSWD", "at least 10 characters"),
    ("lowercaseonly1", "INVALID_PSWD", "at least 3 of"),
    ("Honigwabe#2024ä", "INVALID_PSWD_ILLEGAL_CHAR", "not ASCII"),
    ("Old-pass#1", "INVALID_PSWD", "cannot be the current password"),
])
def test_change_password_to_one_the_password_policy_refuses(ns, response_schema, new, code, says):
    got_code, message = failure(change_password(ns, response_schema, new=new))
    assert got_code == code and says in message


def test_a_changed_password_does_not_affect_the_token(ns, response_schema):
    """Tokens do not depend on the password: the next request, signed as before, is served."""
    assert change_password(ns, response_schema).isSuccess is True
    assert ns.call("getServerTime").body.getServerTimeResult.status.isSuccess is True


# -- changeEmail ---------------------------------------------------------------------------------
def test_change_email_succeeds_for_this_account_or_all(ns, response_schema):
    assert change_email(ns, response_schema).isSuccess is True
    assert change_email(ns, response_schema, new=" AP.Clerk@Example.com ",
                        confirmation="ap.clerk@example.com",
                        justThisAccount=True).isSuccess is True


def test_change_email_requires_each_field(ns, response_schema):
    assert failure(change_email(ns, response_schema, current="")) == (
        "DATA_REQD", "You need to provide a proper value for the required field: "
                     "currentPassword.")
    assert failure(change_email(ns, response_schema, new="", confirmation="x@example.com"))[1] \
        .endswith("required field: newEmail.")
    assert failure(change_email(ns, response_schema, confirmation=" "))[1].endswith(
        "required field: newEmail2.")


def test_change_email_with_a_confirmation_that_differs(ns, response_schema):
    assert failure(change_email(ns, response_schema, confirmation="ap.clerk@example.org")) == (
        "NONMATCHING_EMAILS", "The new email address and its confirmation do not match.")


@pytest.mark.parametrize("new", ["ap.clerk", "ap clerk@example.com", "ap.clerk@example",
                                 "@example.com"])
def test_change_email_to_something_that_is_not_an_address(ns, response_schema, new):
    assert failure(change_email(ns, response_schema, new=new)) == (
        "INVALID_EMAIL", f"{new} is not a valid email address.")
