"""NetSuite's TokenPassport: how a token-based-authentication request is signed.

signature = Base64(HMAC-SHA256(key = consumerSecret&tokenSecret,
                               msg = account&consumerKey&token&nonce&timestamp))

Each passport is single-use (NetSuite rejects a nonce+timestamp pair it has seen), so a client
makes a fresh one for every request. The mock verifies with the same ``sign``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string
import time

NONCE_ALPHABET = string.ascii_letters + string.digits
# The TokenPassport's children, in NetSuite's order, and the elements that hold a password
# (entities' password fields, changePassword): what the journal redacts and cassettes scrub.
PASSPORT_FIELDS = ("account", "consumerKey", "token", "nonce", "timestamp", "signature")
PASSWORD_FIELDS = ("password", "password2", "currentPassword", "newPassword", "newPassword2")


def sign(account: str, consumer_key: str, token: str, nonce: str, timestamp: int | str,
         consumer_secret: str, token_secret: str, *, digest=hashlib.sha256) -> str:
    base = "&".join([account, consumer_key, token, nonce, str(timestamp)])
    key = f"{consumer_secret}&{token_secret}"
    return base64.b64encode(hmac.digest(key.encode(), base.encode(), digest)).decode()


def new_nonce(length: int = 20) -> str:
    """A random alphanumeric nonce (NetSuite wants 6-64 characters, no special characters)."""
    return "".join(secrets.choice(NONCE_ALPHABET) for _ in range(length))


def make_passport(account: str, consumer_key: str, consumer_secret: str, token_key: str,
                  token_secret: str, *, nonce: str | None = None, timestamp: int | None = None,
                  algorithm: str = "HMAC-SHA256") -> dict:
    """The six TokenPassport fields as a dict (``signature`` holds value and algorithm)."""
    nonce = nonce or new_nonce()
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hashlib.sha1 if algorithm.replace("_", "-").upper() == "HMAC-SHA1" else hashlib.sha256
    value = sign(account, consumer_key, token_key, nonce, timestamp, consumer_secret,
                 token_secret, digest=digest)
    return {"account": account, "consumerKey": consumer_key, "token": token_key,
            "nonce": nonce, "timestamp": timestamp,
            "signature": {"value": value, "algorithm": algorithm}}
