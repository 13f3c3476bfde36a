"""What can go wrong talking to NetSuite, as exceptions that carry NetSuite's code and message.

    NetSuiteError                    anything NetSuite (or the road to it) refused
    ├── NetSuiteFault                a SOAP fault (HTTP 500): request-level
    │   ├── LoginError               invalidCredentialsFault / invalidAccountFault
    │   └── ConcurrencyLimitError    WS_REQUEST_BLOCKED, WS_CONCUR_SESSION_DISALLWD (after retries)
    ├── RecordError                  a failed ``status`` (HTTP 200): the request ran, the record didn't
    └── ConnectionFailed             no answer (refused, reset, timed out, a proxy's error page)
    RequestError                     a request the client refuses to build (a ValueError, not sent)
"""

from __future__ import annotations

from lxml import etree

# FaultCodeType values NetSuite uses when the account (or session) is at its concurrency limit.
CONCURRENCY_CODES = frozenset({"WS_REQUEST_BLOCKED", "WS_CONCUR_SESSION_DISALLWD"})
# faultstring prefixes for the same, for faults that arrive without a platformFaults element
CONCURRENCY_FAULTSTRINGS = ("SuiteTalk concurrent request limit exceeded",
                            "Only one request may be made against a session at a time")
LOGIN_FAULT_ELEMENTS = frozenset({"invalidCredentialsFault", "invalidAccountFault"})


class RequestError(ValueError):
    """A request the client will not send: unknown operation, ``_ns_type`` or field, bad value."""


class NetSuiteError(Exception):
    """NetSuite's code and message, the operation they answer, and how often it was tried."""

    attempts: int = 1

    def __init__(self, message: str, *, code: str | None = None, operation: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.operation = operation

    def __str__(self) -> str:
        where = f"{self.operation}: " if self.operation else ""
        code = f"{self.code}: " if self.code else ""
        tries = f" (gave up after {self.attempts} attempts)" if self.attempts > 1 else ""
        return f"{where}{code}{self.message}{tries}"


class NetSuiteFault(NetSuiteError):
    """A SOAP fault. ``fault`` is the platformFaults element (``exceededRecordCountFault``, …)."""

    def __init__(self, message: str, *, code: str | None = None, operation: str | None = None,
                 fault: str | None = None, faultstring: str | None = None,
                 faultcode: str | None = None):
        super().__init__(message, code=code, operation=operation)
        self.fault = fault
        self.faultstring = faultstring if faultstring is not None else message
        self.faultcode = faultcode


class LoginError(NetSuiteFault):
    """NetSuite refused the TokenPassport. It never says why on the wire: the reason
    (bad signature, wrong account case, stale timestamp, …) is in the Login Audit Trail."""


class ConcurrencyLimitError(NetSuiteFault):
    """The account's concurrency limit turned the request away, and retrying did not help."""


class RecordError(NetSuiteError):
    """A failed status: ``code`` and ``message`` of the first detail, all of them in ``details``."""

    def __init__(self, message: str, *, code: str | None = None, operation: str | None = None,
                 details: list[dict] | None = None, response=None, ns_id: str | None = None):
        super().__init__(message, code=code, operation=operation)
        self.details = details or []
        self.response = response
        self.ns_id = ns_id  # the response's documentInfo nsId: what NetSuite support asks for


class ConnectionFailed(NetSuiteError):
    """No SOAP answer. For a write, ``may_have_been_applied`` says whether NetSuite might have
    processed it anyway (then it is not retried: check before sending it again)."""

    def __init__(self, message: str, *, operation: str | None = None, attempts: int = 1,
                 may_have_been_applied: bool = False):
        super().__init__(message, operation=operation)
        self.attempts = attempts
        self.may_have_been_applied = may_have_been_applied


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def fault_parts(detail) -> tuple[str | None, str | None, str | None]:
    """(platformFaults element name, code, message) from a fault's ``<detail>``, if it has one."""
    if detail is None:
        return None, None, None
    for child in detail:
        if not isinstance(child.tag, str):
            continue
        namespace = etree.QName(child).namespace or ""
        if namespace.startswith("urn:faults_"):
            code = message = None
            for part in child:
                if _local(part.tag) == "code":
                    code = (part.text or "").strip() or None
                elif _local(part.tag) == "message":
                    message = part.text or ""
            return etree.QName(child).localname, code, message
    return None, None, None


def error_from_fault(fault, operation: str | None = None) -> NetSuiteFault:
    """The typed error for a ``zeep.exceptions.Fault``."""
    faultstring = (fault.message or "").strip()
    element, code, message = fault_parts(getattr(fault, "detail", None))
    message = message if message is not None else faultstring
    kwargs = dict(code=code, operation=operation, fault=element, faultstring=faultstring,
                  faultcode=getattr(fault, "code", None))
    if code in CONCURRENCY_CODES or (code is None and faultstring.startswith(
            CONCURRENCY_FAULTSTRINGS)):
        return ConcurrencyLimitError(message, **kwargs)
    # NetSuite sometimes wraps an UNEXPECTED_ERROR in invalidCredentialsFault: not a login issue.
    if (element in LOGIN_FAULT_ELEMENTS and code != "UNEXPECTED_ERROR") or (
            element is None and faultstring == "Invalid login attempt."):
        return LoginError(message, **kwargs)
    return NetSuiteFault(message, **kwargs)
