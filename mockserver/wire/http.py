"""The WSGI application: NetSuite's URLs, plus the mock's own admin API under ``/__admin/``.

- ``GET  /wsdl/v2024_1_0/netsuite.wsdl`` and ``/wsdl/v2024_1_0/xsd/<document>.xsd``
- ``POST /services/NetSuitePort_2024_1`` (SOAP 1.1, handled by the Spyne application)
- ``GET  /__admin/…`` JSON for tests and people (see ``mockserver.admin``)
"""

from __future__ import annotations

import io
import json
import logging
import socket
import threading
import time
from typing import Callable, Iterable

from mockserver.domain.errors import ClientFault, SoapFault
from mockserver.domain.governance import size_text
from mockserver.wire import envelope, wsdl
from mockserver.wire.transport import base_url, exchange_of

log = logging.getLogger("netsuite_mock.http")

StartResponse = Callable[[str, list], None]
XML = "text/xml; charset=utf-8"


class MockApplication:
    """Routes requests to the WSDL, the SOAP endpoint or the admin API."""

    def __init__(self, backend, *, hostname: str = envelope.DEFAULT_HOSTNAME,
                 admin: "Callable | None" = None, max_request_bytes: int):
        # Spyne is imported here, not at module level: the WSDL is served without it while
        # the mock starts (see ``StartingApplication``).
        from mockserver.wire.soap import NetSuiteWsgiApplication, build_application

        self.backend = backend
        self.hostname = hostname
        self.max_request_bytes = max_request_bytes
        self.spyne_app = build_application(backend, hostname=hostname)
        # The HTTP layer refuses bodies over NetSuite's limit with NetSuite's fault; Spyne's own
        # limit (2 MB by default, answered "Request too long") must not stop one below it.
        self.soap = NetSuiteWsgiApplication(self.spyne_app, max_content_length=max_request_bytes)
        self.admin = admin

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == wsdl.SERVICE_PATH:
            if method == "POST":
                return self._soap(environ, start_response)
            if "wsdl" in environ.get("QUERY_STRING", "").lower():
                return self._wsdl(environ, start_response)
            return self._fault(start_response, SoapFault(
                None, None, "SOAP requests must be sent with HTTP POST.",
                http_status=405))
        if method in ("GET", "HEAD"):
            if path == wsdl.WSDL_PATH:
                return self._wsdl(environ, start_response)
            if path.startswith(wsdl.XSD_DIR) and path.endswith(".xsd"):
                return self._xsd(path[len(wsdl.XSD_DIR):-len(".xsd")], start_response)
            if path in ("", "/"):
                return self._index(environ, start_response)
        if path.startswith("/__admin") and self.admin is not None:
            return self.admin(environ, start_response)
        return respond(start_response, "404 Not Found", b"not found\n", "text/plain")

    def _soap(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        exchange = exchange_of(environ)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        refusal = None
        if length > self.max_request_bytes:
            environ["wsgi.input"] = None  # do not read a body we refuse
            refusal = SoapFault.of("request_size", size=size_text(self.max_request_bytes))
        else:
            refusal = http_refusal(environ)
        if refusal is not None:
            exchange.outcome, exchange.codes = "fault", [refusal.code or refusal.faultstring]
            status, headers, body = self._fault_parts(refusal)
        else:
            exchange.request = environ["wsgi.input"].read(length) if length else b""
            environ["wsgi.input"] = io.BytesIO(exchange.request)
            captured: dict = {}

            def capture(status, headers, exc_info=None):
                captured.update(status=status, headers=headers)
            try:
                body = b"".join(self.soap(environ, capture))
                status, headers = captured["status"], captured["headers"]
            except Exception as error:  # a bug on the way: NetSuite's fault, not the server's
                fault = envelope.unexpected_fault(error)
                exchange.outcome, exchange.codes = "fault", [fault.code]
                exchange.wire_action = None
                status, headers, body = self._fault_parts(fault)
        exchange.response = body
        exchange.http_status = int(status.split()[0])
        action = exchange.wire_action
        try:
            if action is None:
                start_response(status, headers)
                return [body]
            return action.carry_out(BrokenAnswer(exchange, environ, start_response, body))
        finally:
            exchange.duration_ms = round((time.time() - exchange.started) * 1000, 3)
            self.backend.journal.add(exchange, self.backend.clock.now())

    def _fault_parts(self, fault: SoapFault) -> tuple[str, list, bytes]:
        body = envelope.to_bytes(envelope.fault_document(fault, self.hostname))
        status = "500 Internal Server Error" if fault.http_status == 500 else \
            f"{fault.http_status} Error"
        return status, [("Content-Type", XML), ("Content-Length", str(len(body)))], body

    def _fault(self, start_response: StartResponse, fault: SoapFault) -> Iterable[bytes]:
        status, headers, body = self._fault_parts(fault)
        start_response(status, headers)
        return [body]

    def _wsdl(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        return serve_wsdl(environ, start_response)

    def _xsd(self, document: str, start_response: StartResponse) -> Iterable[bytes]:
        return serve_xsd(document, start_response)

    def _index(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        base = base_url(environ)
        text = (f"netsuite-mock: NetSuite SuiteTalk SOAP 2024_1\n"
                f"WSDL:    {base}{wsdl.WSDL_PATH}\n"
                f"Service: {base}{wsdl.SERVICE_PATH}\n"
                f"Admin:   {base}/__admin/\n")
        return respond(start_response, "200 OK", text.encode(), "text/plain; charset=utf-8")


class BrokenAnswer:
    """The ``Wire`` a fault rule's wire action carries itself out with: the answer the mock
    produced for one exchange, and the ways to break it on its way to the client."""

    def __init__(self, exchange, environ: dict, start_response: StartResponse, answer: bytes):
        self.exchange, self.environ, self.start_response = exchange, environ, start_response
        self.answer = answer

    def _status_line(self) -> str:
        return "200 OK" if self.exchange.http_status == 200 else "500 Internal Server Error"

    def replace(self, status: int, body: bytes, content_type: str) -> Iterable[bytes]:
        """Another HTTP status and body instead of the answer."""
        self.exchange.http_status, self.exchange.outcome = status, "http"
        self.exchange.response = body
        return respond(self.start_response, f"{status} Injected", body, content_type)

    def drop(self) -> Iterable[bytes]:
        """The connection closed without an answer."""
        exchange = self.exchange
        exchange.outcome = exchange.outcome if exchange.outcome == "timed_out" else "dropped"
        exchange.http_status, exchange.response = None, b""
        drop_connection(self.environ)
        return []

    def send_part(self, part: bytes) -> Iterable[bytes]:
        """The first bytes of the answer, its full length declared, then a failed connection."""
        self.exchange.outcome, self.exchange.response = "truncated", part
        self.start_response(self._status_line(), [("Content-Type", XML),
                                                  ("Content-Length", str(len(self.answer)))])
        return _fail_after(part)

    def send_instead(self, body: bytes, outcome: str) -> Iterable[bytes]:
        """Other bytes in place of the answer, with its HTTP status."""
        self.exchange.outcome, self.exchange.response = outcome, body
        return respond(self.start_response, self._status_line(), body, XML)


def serve_wsdl(environ: dict, start_response: StartResponse) -> Iterable[bytes]:
    body = wsdl.wsdl_document(base_url(environ) + wsdl.SERVICE_PATH)
    return respond(start_response, "200 OK", body, XML)


def serve_xsd(document: str, start_response: StartResponse) -> Iterable[bytes]:
    try:
        body = wsdl.schema_document(document)
    except KeyError:
        return respond(start_response, "404 Not Found", b"no such schema document\n",
                       "text/plain")
    return respond(start_response, "200 OK", body, XML)


class StartingApplication:
    """The WSGI app of a mock that is still starting: the WSDL and its XSDs are answered at
    once (they come from the schema alone), every other request waits until ``build`` (the
    backend, the seed, the Spyne application) has finished in a background thread, then goes
    to the real application. A mock in CI is asked for its WSDL first.

    The build begins once the first request has been answered (or another kind of request
    arrives, or ``build_delay`` seconds have passed), so it does not compete for the
    interpreter with rendering that first WSDL."""

    def __init__(self, build: "Callable[[], MockApplication]", build_delay: float = 0.5):
        self._build = build
        self._build_delay = build_delay
        self._go = threading.Event()
        self._done = threading.Event()
        self.app: MockApplication | None = None
        self.error: BaseException | None = None

    def start_building(self, *, now: bool = False) -> "StartingApplication":
        if now:
            self._go.set()
        threading.Thread(target=self._run, name="netsuite-mock-build", daemon=True).start()
        return self

    def _run(self) -> None:
        self._go.wait(self._build_delay)
        try:
            self.app = self._build()
        except BaseException as error:  # reported by wait(), to the CLI and to requests
            self.error = error
        finally:
            self._done.set()

    def wait(self, timeout: float | None = None, *, hurry: bool = True) -> "MockApplication":
        """The built application (re-raising what stopped the build); ``hurry=False`` lets the
        build keep waiting for the first request (or the delay) before it starts."""
        if hurry:
            self._go.set()
        if not self._done.wait(timeout):
            raise TimeoutError("the mock is still starting")
        if self.error is not None:
            raise self.error
        return self.app

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        if self.app is None and environ.get("REQUEST_METHOD", "GET") in ("GET", "HEAD"):
            path = environ.get("PATH_INFO", "")
            try:
                if path == wsdl.WSDL_PATH:
                    return serve_wsdl(environ, start_response)
                if path.startswith(wsdl.XSD_DIR) and path.endswith(".xsd"):
                    return serve_xsd(path[len(wsdl.XSD_DIR):-len(".xsd")], start_response)
            finally:
                self._go.set()
        try:
            app = self.wait()
        except BaseException:
            return respond(start_response, "503 Service Unavailable",
                           b"the mock could not start\n", "text/plain")
        return app(environ, start_response)


def http_refusal(environ: dict) -> SoapFault | None:
    """What Axis, NetSuite's SOAP front end, refuses before reading the envelope (INFERRED)."""
    content_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if content_type == "application/soap+xml":
        return ClientFault("Version Mismatch: this endpoint speaks SOAP 1.1 (text/xml), "
                           "not SOAP 1.2 (application/soap+xml).")
    if content_type and "xml" not in content_type:
        return ClientFault(f"Content-Type '{content_type}' is not supported; SOAP 1.1 requests "
                           f"are text/xml.")
    if "HTTP_SOAPACTION" not in environ:
        return ClientFault("no SOAPAction header!")
    return None


class ConnectionDropped(ConnectionAbortedError):
    """Raised after a fault rule closed the client's connection on purpose."""


def drop_connection(environ: dict) -> None:
    """Close the client's TCP connection without answering (waitress only)."""
    probe = environ.get("waitress.client_disconnected")
    channel = getattr(probe, "__self__", None)
    sock = getattr(channel, "socket", None)
    if sock is None:
        raise RuntimeError("dropping a connection needs the waitress server")
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    raise ConnectionDropped("connection dropped by a fault rule")


def _fail_after(data: bytes):
    """Send ``data`` and then break the response off (the Content-Length promised more)."""
    yield data
    raise ConnectionDropped("response truncated by a fault rule")


def respond(start_response: StartResponse, status: str, body: bytes,
            content_type: str) -> list[bytes]:
    start_response(status, [("Content-Type", content_type),
                            ("Content-Length", str(len(body)))])
    return [body]


def respond_json(start_response: StartResponse, data, status: str = "200 OK") -> list[bytes]:
    body = json.dumps(data, indent=2, default=str).encode()
    return respond(start_response, status, body, "application/json")
