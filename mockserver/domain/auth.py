"""Token-based authentication as NetSuite checks a TokenPassport, and its login audit trail.

Every failure reaches the client as the same ``Invalid login attempt.`` fault; the specific
reason goes only to the audit trail, under the names NetSuite's Login Audit Trail uses
(``InvalidSignature``, ``NonceUsed``, ``token_rejected``, …), which users read through the
admin API and the server log. Facts and their sources: ``../shared/reference`` §1.
"""

from __future__ import annotations

import hmac
import itertools
import logging
import re
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime

from typing import Callable, Mapping

from mockserver.domain.accounts import (AccessToken, AccountState, Integration, Role,
                                       without_credentials)
from mockserver.domain.clock import Clock
from mockserver.domain.errors import SoapFault
from suitetalk.passport import sign

log = logging.getLogger("netsuite_mock.audit")

ACCEPTED_ALGORITHMS = ("HMAC-SHA256", "HMAC_SHA256")
TIMESTAMP_TOLERANCE = 300  # seconds either side of server time
NONCE_LENGTH = range(6, 65)
# NetSuite asks for alphanumeric nonces, yet production clients (SALTO) send base64 ones with
# "+/=" and get in (reference §1.3): letters, digits and the base64 and base64url extras are
# taken; anything else (spaces, "&" that would shift the signed string, non-ASCII) is not.
NONCE_CHARACTERS = re.compile(r"[A-Za-z0-9+/=_-]+")
# xsd:long as XML Schema writes it: ASCII digits, an optional sign, XML white space around
# (Python's int() also takes "1_796602138", other scripts' digits and Unicode spaces).
TIMESTAMP = re.compile(r"[ \t\r\n]*([+-]?[0-9]{1,19})[ \t\r\n]*")
LONG_RANGE = range(-2 ** 63, 2 ** 63)
NONCE_MEMORY = 2 * TIMESTAMP_TOLERANCE  # seconds a seen nonce is remembered, at least
NONCE_SAVE_INTERVAL = 1.0  # seconds between saves of seen nonces (with --state)
IDENTIFYING_FIELDS = ("account", "consumerKey", "token")  # whose login it is
SIGNED_FIELDS = ("nonce", "timestamp")                   # checked once the user is known
# Mock-side names where NetSuite's audit trail has none (the request names no user).
NO_CREDENTIALS = "NoCredentials"
MULTIPLE_PASSPORTS = "MultipleTokenPassports"
UNKNOWN_ACCOUNT = "InvalidAccount"
MALFORMED_PASSPORT = "MalformedTokenPassport"   # other elements, or a field twice


@dataclass
class Identity:
    """Who a verified request comes from."""

    account: "AccountState"
    integration: Integration
    token: AccessToken
    role: Role


@dataclass
class AuditEntry:
    at: datetime         # when, on the mock's clock (``time`` formats it, when read)
    status: str          # "Success" or "Failure"
    detail: str          # NetSuite's audit name of the reason; empty on success
    account: str | None
    consumer_key: str | None  # masked
    token: str | None         # masked
    user: str | None
    role: str | None
    operation: str | None
    remote_addr: str | None

    @property
    def time(self) -> str:
        return self.at.isoformat(timespec="milliseconds")

    def as_dict(self) -> dict:
        entry = {"time": self.time, **self.__dict__}
        del entry["at"]
        return entry


def mask(secret: str | None) -> str | None:
    """Enough of a credential to tell two apart, never enough to use it."""
    if not secret:
        return secret
    return secret[:4] + "…" if len(secret) > 8 else "…"


class LoginAuditTrail:
    """The most recent login attempts, newest last."""

    def __init__(self, capacity: int = 10_000):
        self._entries: deque[AuditEntry] = deque(maxlen=capacity)
        self._lock = threading.Lock()

    def record(self, entry: AuditEntry) -> None:
        with self._lock:
            self._entries.append(entry)
        if entry.status == "Success":
            log.debug("login Success account=%s token=%s op=%s", entry.account, entry.token,
                      entry.operation)
        else:
            log.info("login Failure detail=%s account=%s consumer_key=%s token=%s op=%s",
                     entry.detail, entry.account, entry.consumer_key, entry.token,
                     entry.operation)

    def entries(self) -> list[AuditEntry]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def parse_timestamp(value) -> int:
    """A TokenPassport timestamp as xsd:long reads it, or the ``InvalidTimestamp`` refusal."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    match = TIMESTAMP.fullmatch(value) if isinstance(value, str) else None
    if match is None or int(match.group(1)) not in LONG_RANGE:
        raise _Rejected("InvalidTimestamp")
    return int(match.group(1))


class _Rejected(Exception):
    def __init__(self, detail: str, user: str | None = None, role: str | None = None):
        super().__init__(detail)
        self.detail = detail
        self.user = user
        self.role = role


class TokenPassportVerifier:
    """Checks TokenPassports against the accounts' integrations, tokens and roles."""

    def __init__(self, clock: Clock, audit: LoginAuditTrail,
                 accounts: Mapping[str, AccountState],
                 wall_time: Callable[[], float] = time.time):
        self.clock = clock
        # Clients sign with their real clock, so the ±5 minutes are checked against real time
        # even when a test has moved the mock's business clock (docs/fidelity.md).
        self.wall_time = wall_time
        self.audit = audit
        self.accounts = accounts
        self._seen_nonces: dict[tuple[str, str, str], float] = {}
        self._lock = threading.Lock()
        self._nonce_file = None   # where seen nonces are saved (a DurableRecordStore), if any
        self._unsaved: list[tuple[tuple[str, str, str], float]] = []
        self._saved_at = 0.0
        self._saving = threading.Lock()

    def keep_nonces_in(self, nonce_file) -> None:
        """Remember the nonces of the last minutes across restarts: load those ``nonce_file``
        has and save new ones to it (at most a second late, off the lock requests take)."""
        horizon = self.wall_time() - NONCE_MEMORY
        with self._lock:
            for key, seen in nonce_file.recent_nonces(horizon):
                self._seen_nonces.setdefault(key, seen)
            self._nonce_file = nonce_file

    def save_nonces(self, *, force: bool = False) -> None:
        """Save the nonces seen since the last save: at most once a second, unless forced (the
        mock stopping); a request that finds another one saving does not wait for it."""
        now = self.wall_time()
        if self._nonce_file is None or not (force or now - self._saved_at >= NONCE_SAVE_INTERVAL):
            return
        if not self._saving.acquire(blocking=force):
            return
        unsaved: list = []
        try:
            with self._lock:
                unsaved, self._unsaved = self._unsaved, []
            self._saved_at = now
            if unsaved or force:
                self._nonce_file.save_nonces(unsaved, now - NONCE_MEMORY)
        except Exception as error:  # e.g. a full disk: the request goes on, memory still has them
            log.warning("could not save %d seen nonces to the state file: %s", len(unsaved), error)
        finally:
            self._saving.release()

    def verify(self, passports: list[dict], *, other_credentials: tuple[str, ...] = (),
               operation: str | None = None, remote_addr: str | None = None) -> Identity:
        """The identity behind the request's single TokenPassport, or an invalid-login fault.

        ``other_credentials`` names any other authentication headers the request carried
        (``passport``, ``ssoPassport``, ``applicationInfo``): NetSuite refuses the mix.
        """
        passport = passports[0] if len(passports) == 1 else None
        account_id = passport.get("account") if passport else None
        if account_id is not None and account_id not in self.accounts:
            # kept and logged as sent: a credential sent in <account> must not be
            account_id = without_credentials(account_id, self._credentials())
        now = self.clock.now()
        entry = AuditEntry(at=now,
                           status="Failure", detail="", operation=operation,
                           remote_addr=remote_addr, account=account_id,
                           consumer_key=mask(passport.get("consumerKey")) if passport else None,
                           token=mask(passport.get("token")) if passport else None,
                           user=None, role=None)
        if passports and other_credentials:
            entry.detail = "AmbiguousAuthentication"
            self.audit.record(entry)
            fault_id = "ambiguous_passport" if {"passport", "ssoPassport"} & set(
                other_credentials) else "ambiguous_auth"
            raise SoapFault.of(fault_id)
        try:
            identity = self._check(passports, now)
        except _Rejected as rejected:
            entry.detail, entry.user, entry.role = rejected.detail, rejected.user, rejected.role
            self.audit.record(entry)
            raise SoapFault.of("invalid_login") from None
        entry.status = "Success"
        entry.user, entry.role = identity.token.user, identity.token.role
        self.audit.record(entry)
        return identity

    def _credentials(self) -> list[str]:
        return [value for account in self.accounts.values() for value in account.credentials()]

    def _check(self, passports: list[dict], now: datetime) -> Identity:
        if not passports:
            raise _Rejected(NO_CREDENTIALS)
        if len(passports) > 1:
            raise _Rejected(MULTIPLE_PASSPORTS)
        p = passports[0]
        for name in IDENTIFYING_FIELDS:
            if p.get(name) in (None, ""):
                raise _Rejected("MissingTokenPassportRequiredFields")
        account = self.accounts.get(p["account"])
        if account is None:
            # A case or separator slip (123_sb1, 123-SB1) changes the signed base string, so
            # NetSuite logs it as a bad signature; a different account entirely is unknown.
            wanted = p["account"].upper().replace("-", "_")
            near = any(a.upper().replace("-", "_") == wanted for a in self.accounts)
            raise _Rejected("InvalidSignature" if near else UNKNOWN_ACCOUNT)
        if not account.tba_enabled:
            raise _Rejected("FeatureDisabled")
        integration = account.integrations.get(p["consumerKey"])
        if integration is None:
            raise _Rejected("consumer_key_unknown")
        if not integration.enabled:
            raise _Rejected("consumer_key_refused")
        token = account.tokens.get(p["token"])
        if token is None or token.revoked or token.consumer_key != integration.consumer_key:
            raise _Rejected("token_rejected")
        # From here on the request names a user: failures count towards locking them out.
        user, role = token.user, account.role_of(token)
        if account.lockouts.is_locked(user, now):
            raise _Rejected("temporary_locked", user, role.name)
        try:
            self._check_well_formed(p)
            self._check_signed_parts(p, account.account_id, integration, token)
            if not role.log_in_using_access_tokens:
                raise _Rejected("permission_denied")
        except _Rejected as rejected:
            account.lockouts.failed(user, now)
            raise _Rejected(rejected.detail, user, role.name) from None
        account.lockouts.succeeded(user)
        return Identity(account, integration, token, role)

    @staticmethod
    def _check_well_formed(p: dict) -> None:
        """What the passport itself must be, checked once its user is known, so that every
        failure counts towards locking them out."""
        if p.get("_unexpected"):
            raise _Rejected(MALFORMED_PASSPORT)
        signature = p.get("signature") or {}
        for name in SIGNED_FIELDS:
            if p.get(name) in (None, ""):
                raise _Rejected("MissingTokenPassportRequiredFields")
        if not signature.get("value") or not signature.get("algorithm"):
            raise _Rejected("MissingTokenPassportRequiredFields")
        if signature["algorithm"] not in ACCEPTED_ALGORITHMS:
            raise _Rejected("UnknownAlgorithm")

    def _check_signed_parts(self, p: dict, account_id: str, integration: Integration,
                            token: AccessToken) -> None:
        signature = p["signature"]
        nonce = str(p["nonce"])
        if len(nonce) not in NONCE_LENGTH or not NONCE_CHARACTERS.fullmatch(nonce):
            raise _Rejected("nonce_rejected")
        timestamp = parse_timestamp(p["timestamp"])
        expected = sign(account_id, integration.consumer_key, token.token_id, nonce, timestamp,
                        integration.consumer_secret, token.token_secret)
        if not hmac.compare_digest(expected.encode(), str(signature["value"]).encode()):
            raise _Rejected("InvalidSignature")
        now = self.wall_time()
        if abs(now - timestamp) > TIMESTAMP_TOLERANCE:
            raise _Rejected("InvalidTimestamp")
        key = (token.token_id, nonce, str(timestamp))
        with self._lock:
            self._forget_old_nonces(now)
            if key in self._seen_nonces:
                raise _Rejected("NonceUsed")
            self._seen_nonces[key] = now
            if self._nonce_file is not None:
                self._unsaved.append((key, now))
        if self._unsaved and now - self._saved_at >= NONCE_SAVE_INTERVAL:
            self.save_nonces()

    def _forget_old_nonces(self, now: float) -> None:
        """A nonce older than the timestamp window can never be replayed successfully.

        The dict is in insertion order, which is time order (wall time only moves on), so the
        old ones are at the front: each call drops those and stops at the first recent one,
        instead of walking every nonce of the last ten minutes on every request."""
        if len(self._seen_nonces) < 4096:
            return
        horizon = now - NONCE_MEMORY
        seen_nonces = self._seen_nonces
        for key, seen in seen_nonces.items():
            if seen >= horizon:
                break
        else:
            seen_nonces.clear()
            return
        stale = list(itertools.takewhile(lambda k: k is not key, seen_nonces))
        for old in stale:
            del seen_nonces[old]

    def reset_nonces(self) -> None:
        with self._lock:
            self._seen_nonces.clear()
            self._unsaved.clear()
        if self._nonce_file is not None:
            with self._saving:
                self._nonce_file.save_nonces([], float("inf"))  # forget the saved ones too
