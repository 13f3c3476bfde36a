"""``netsuite-mock record``: a recording proxy, so clients in any language record cassettes.

The proxy listens like the mock and forwards every request to the upstream (a sandbox's
``https://<account>.suitetalk.api.netsuite.com``, or another netsuite-mock) with its path and
query, answering with the upstream's status, content type and body unchanged. Each SOAP POST is
written to the cassette by the client's own recorder (``contracts.cassette.client_recorder``),
so the file is scrubbed exactly as ``NetSuiteClient(record_to=...)`` scrubs it: TokenPassport
values, passwords, the account id, known secrets, the fields named. WSDL and XSD downloads pass
through unrecorded, the WSDL's ``soap:address`` rewritten to the proxy, so a client that takes
its endpoint from the WSDL (PHP's SoapClient, .NET, Axis) sends its calls through the proxy.

The account id to scrub comes from ``--settings``; without it, from a NetSuite host name
upstream (``1234567-sb1.suitetalk.api.netsuite.com``) or else from the TokenPassport of the
first SOAP request. Only the consumer key and token id travel on the wire, inside the passport,
which is scrubbed by element; ``--secrets`` adds them (and the secrets) as values scrubbed
anywhere.

    GET /__record     upstream, cassette, interactions recorded (JSON)
"""

from __future__ import annotations

import logging
import re
import threading
from urllib.parse import urlsplit

from lxml import etree

from contracts.cassette import Recorder, client_recorder
from contracts.scrub import Scrubber
from contracts.soapxml import NotSoap, SoapMessage
from mockserver.wire import wsdl
from mockserver.wire.forward import Upstream, reply
from mockserver.wire.http import respond, respond_json
from mockserver.wire.transport import base_url, read_body
from suitetalk.config import NetSuiteSecrets, NetSuiteSettings

log = logging.getLogger("netsuite_mock.record")

STATUS_PATH = "/__record"
_SOAP_ADDRESS = re.compile(rb"""(<(?:[\w.-]+:)?address\b[^>]*?\blocation\s*=\s*)(["'])(.*?)\2""",
                           re.S)
_NETSUITE_ACCOUNT_HOST = re.compile(r"(?i)^([a-z0-9_-]+)\.suitetalk\.api\.netsuite\.com$")
NO_SECRETS = NetSuiteSecrets("", "", "", "")


def account_of_host(url: str) -> str | None:
    """The account id a NetSuite host name carries (``1234567-sb1``), if it is one."""
    match = _NETSUITE_ACCOUNT_HOST.match(urlsplit(url).hostname or "")
    return match.group(1) if match else None


def passport_account(body: bytes) -> str | None:
    """The ``account`` of a request's TokenPassport, if it has one."""
    try:
        message = SoapMessage.parse(body)
    except NotSoap:
        return None
    if message.header is None:
        return None
    for element in message.header.iter():
        if isinstance(element.tag, str) and etree.QName(element).localname == "account":
            parent = element.getparent()
            if parent is not None and etree.QName(parent).localname == "tokenPassport":
                return (element.text or "").strip() or None
    return None


def rewrite_soap_address(document: bytes, proxy_base: str) -> bytes:
    """A WSDL whose ``soap:address`` points at the proxy (same path) instead of upstream."""
    def replace(match: re.Match) -> bytes:
        path = urlsplit(match.group(3).decode("utf-8", "replace")).path or wsdl.SERVICE_PATH
        quote = match.group(2)
        return match.group(1) + quote + (proxy_base + path).encode() + quote
    return _SOAP_ADDRESS.sub(replace, document)


class RecordingProxy:
    """The WSGI application of ``netsuite-mock record``."""

    def __init__(self, upstream: str, cassette: str, *, settings: NetSuiteSettings | None = None,
                 secrets: NetSuiteSecrets | None = None, fields: tuple[str, ...] = (),
                 timeout: float = 900.0):
        self.forwarder = Upstream(upstream, timeout=timeout)
        self.upstream = self.forwarder.base
        self.cassette = cassette
        self.fields = tuple(fields)
        self.secrets = secrets or NO_SECRETS
        self._lock = threading.Lock()
        account = settings.account if settings is not None else account_of_host(self.upstream)
        self.recorder: Recorder | None = None
        self._account_known = account is not None
        self._start_recorder(account or "")

    def _start_recorder(self, account: str) -> None:
        """The client's cassette writer, for this account (a new file each time: it is called
        again only before the first interaction is written, once the account is learned)."""
        self.recorder = client_recorder(self.cassette, settings=self._settings(account),
                                        secrets=self.secrets, fields=self.fields,
                                        tool="netsuite-mock record")

    def _settings(self, account: str) -> NetSuiteSettings:
        """What the recorder scrubs for (an empty account: none known yet, and the passport's
        is scrubbed by element all the same)."""
        return NetSuiteSettings(account=account, service_url=self.upstream + wsdl.SERVICE_PATH)

    # -- WSGI ------------------------------------------------------------------------------
    def __call__(self, environ: dict, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path.rstrip("/") == STATUS_PATH and method in ("GET", "HEAD"):
            return respond_json(start_response, self.status())
        if path.startswith("/__"):   # the proxy's and the upstream's admin APIs stay apart
            return respond(start_response, "404 Not Found", b"not found\n", "text/plain")
        body = read_body(environ)
        url, headers, response = self.forwarder.forward(environ, body)
        if response is None:
            return self.forwarder.unreachable(start_response, "netsuite-mock record")
        if method == "POST":
            self._record(url, headers, body, response)
            return reply(start_response, response)
        if path.endswith(".wsdl") or "wsdl" in environ.get("QUERY_STRING", "").lower():
            return reply(start_response, response,
                         rewrite_soap_address(response.content, base_url(environ)))
        return reply(start_response, response)

    def _record(self, url: str, headers: dict, body: bytes, response) -> None:
        with self._lock:
            if not self._account_known:
                account = passport_account(body)
                if account:
                    self._account_known = True
                    if self.recorder.count == 0:
                        self._start_recorder(account)
                    else:   # too late for what is written; from now on
                        self.recorder.scrubber = Scrubber.for_client(
                            self._settings(account), self.secrets, self.fields)
            self.recorder.record("POST", url, headers, body, response)

    def status(self) -> dict:
        return {"upstream": self.upstream, "cassette": str(self.cassette),
                "recorded": self.recorder.count if self.recorder else 0}


def recording_proxy_server(upstream: str, cassette: str, *, host: str = "127.0.0.1",
                           port: int = 8080, **options):
    """A ``MockServer`` (start/stop, URLs) serving ``RecordingProxy``."""
    from mockserver.config import MockSettings
    from mockserver.server import MockServer
    app = RecordingProxy(upstream, cassette, **options)
    return MockServer(MockSettings(host=host, port=port), app=app)
