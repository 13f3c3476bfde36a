"""changePassword and changeEmail: the user a token runs as changes the password or the email
address they log in to the UI with.

NetSuite documents both operations (requests, a ``sessionResponse`` holding a status) but not
what they answer under token-based authentication, nor their errors; docs/fidelity.md says what
is INFERRED here. The token's credentials hold no password and the mock keeps none, so the
current password is required but not checked, and a change leaves nothing to see: tokens do not
depend on the password, and NetSuite changes an email address only once the user follows the
link it mails to the new one. What NetSuite can tell from the request alone is checked: the
required fields, a new value and its confirmation that differ, a new password that breaks the
default (Strong) password policy, a new email address that is not one.
"""

from __future__ import annotations

import re

from mockserver.domain.dispatch import Call, operation
from mockserver.domain.errors import RecordError, success_status

# NetSuite's default (Strong) password policy: at least 10 characters of at least 3 of these 4
# kinds, ASCII only, not the current password (Help Center "Creating a Strong Password",
# "Password Settings That Can Be Modified", "System-Defined Password Requirements").
MIN_PASSWORD_LENGTH = 10
CHARACTER_KINDS = (str.isupper, str.islower, str.isdigit,
                   lambda c: c.isascii() and not c.isalnum())
MIN_CHARACTER_KINDS = 3
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def required(request: dict, *fields: str) -> None:
    """``DATA_REQD`` for the first field left out or sent empty."""
    for field in fields:
        if not (request.get(field) or "").strip():
            raise RecordError.of("data_required", field=field)


def check_new_password(current: str, new: str) -> None:
    if not new.isascii():
        raise RecordError.of("password_illegal_char")
    if len(new) < MIN_PASSWORD_LENGTH:
        raise RecordError.of("invalid_password",
                             reason=f"must be at least {MIN_PASSWORD_LENGTH} characters long")
    if sum(any(kind(c) for c in new) for kind in CHARACTER_KINDS) < MIN_CHARACTER_KINDS:
        raise RecordError.of("invalid_password",
                             reason=f"must contain at least {MIN_CHARACTER_KINDS} of: uppercase "
                                    "letters, lowercase letters, numbers, other characters")
    if new == current:
        raise RecordError.of("invalid_password", reason="cannot be the current password")


def session_response(check) -> dict:
    """The ``sessionResponse`` both operations answer with: a failed status if ``check``
    raises, else a successful one."""
    try:
        check()
    except RecordError as error:
        return {"sessionResponse": {"status": error.as_status()}}
    return {"sessionResponse": {"status": success_status()}}


@operation("changePassword")
def change_password(call: Call, body: dict) -> dict:
    request = body.get("changePassword") or {}

    def check() -> None:
        required(request, "currentPassword", "newPassword", "newPassword2")
        if request["newPassword"] != request["newPassword2"]:
            raise RecordError.of("passwords_dont_match")
        check_new_password(request["currentPassword"], request["newPassword"])
    return session_response(check)


@operation("changeEmail")
def change_email(call: Call, body: dict) -> dict:
    request = body.get("changeEmail") or {}

    def check() -> None:
        required(request, "currentPassword", "newEmail", "newEmail2")
        new, confirmation = request["newEmail"].strip(), request["newEmail2"].strip()
        if new.lower() != confirmation.lower():
            raise RecordError.of("emails_dont_match")
        if not EMAIL.fullmatch(new):
            raise RecordError.of("invalid_email", email=new)
    return session_response(check)
