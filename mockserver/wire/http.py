"""The mock's application: NetSuite's URLs, plus the mock's own admin API under ``/__admin/``.

- ``GET  /wsdl/v2024_1_0/netsuite.wsdl`` and ``/wsdl/v2024_1_0/xsd/<document>.xsd``
- ``POST /services/NetSuitePort_2024_1`` (SOAP 1.1, ``soap.SoapEndpoint``)
- ``GET  /__admin/…`` JSON for tests and people (see ``mockserver.admin``, a WSGI app)

Each answers an ``HttpRequest`` with an ``Answer`` (``httpserver``); the WSGI face of
``MockApplication`` is for callers in the same process (benchmarks, tests).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import Callable, Iterable

from mockserver.domain.errors import SoapFault
from mockserver.domain.journal import Exchange
from mockserver.wire import envelope, wsdl
from mockserver.wire.httpserver import Answer, HttpRequest, reason_of, wsgi_answer
from mockserver.wire.transport import read_body

log = logging.getLogger("netsuite_mock.http")

StartResponse = Callable[[str, list], None]
XML = "text/xml; charset=utf-8"


class MockApplication:
    """Routes requests to the WSDL, the SOAP endpoint or the admin API; ``answer`` is what the
    HTTP server calls, ``__call__`` the same as a WSGI application (for in-process use)."""

    def __init__(self, backend, *, hostname: str = envelope.DEFAULT_HOSTNAME,
                 admin: "Callable | None" = None, max_request_bytes: int):
        # Spyne is imported here, not at module level: the WSDL is served without it while
        # the mock starts (see ``StartingApplication``).
        from mockserver.wire.soap import SoapEndpoint

        self.backend = backend
        self.soap = SoapEndpoint(backend, hostname=hostname, max_request_bytes=max_request_bytes)
        self.admin = admin

    def answer(self, request: HttpRequest) -> Answer:
        path, method = request.path, request.method
        if path == wsdl.SERVICE_PATH:
            if method == "POST":
                return self.soap_answer(request)[0]
            if "wsdl" in request.query.lower():
                return wsdl_answer(request)
            return self.soap.fault_answer(SoapFault(
                None, None, "SOAP requests must be sent with HTTP POST.", http_status=405))
        schema = schema_answer(request)
        if schema is not None:
            return schema
        if method in ("GET", "HEAD") and path in ("", "/"):
            return self._index(request)
        if path.startswith("/__admin") and self.admin is not None:
            return wsgi_answer(self.admin, request)
        return Answer.of(404, b"not found\n", "text/plain")

    def soap_answer(self, request: HttpRequest) -> tuple[Answer, Exchange]:
        """A SOAP request's answer, and its journal entry (added here, once)."""
        try:
            answer, exchange = self.soap.answer(request)
        except Exception as error:  # a bug on the way: NetSuite's fault, not the server's 500
            fault = envelope.unexpected_fault(error)
            answer = self.soap.fault_answer(fault)
            exchange = Exchange(request=request.body, outcome="fault", codes=(fault.code,),
                                http_status=answer.status, response=answer.body)
        self.backend.journal.add(exchange, self.backend.clock.now())
        return answer, exchange

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        return answer_wsgi(self.answer(request_of(environ)), start_response)

    def _index(self, request: HttpRequest) -> Answer:
        base = request.base_url
        text = (f"netsuite-mock: NetSuite SuiteTalk SOAP 2024_1\n"
                f"WSDL:    {base}{wsdl.WSDL_PATH}\n"
                f"Service: {base}{wsdl.SERVICE_PATH}\n"
                f"Admin:   {base}/__admin/\n")
        return Answer.of(200, text.encode(), "text/plain; charset=utf-8")


def schema_answer(request: HttpRequest) -> Answer | None:
    """The WSDL or one of its XSDs for a GET (or HEAD) of their paths; None for any other
    request."""
    if request.method not in ("GET", "HEAD"):
        return None
    path = request.path
    if path == wsdl.WSDL_PATH:
        return wsdl_answer(request)
    if path.startswith(wsdl.XSD_DIR) and path.endswith(".xsd"):
        return xsd_answer(path[len(wsdl.XSD_DIR):-len(".xsd")])
    return None


def wsdl_answer(request: HttpRequest) -> Answer:
    return Answer.of(200, wsdl.wsdl_document(request.base_url + wsdl.SERVICE_PATH), XML)


def xsd_answer(document: str) -> Answer:
    try:
        body = wsdl.schema_document(document)
    except KeyError:
        return Answer.of(404, b"no such schema document\n", "text/plain")
    return Answer.of(200, body, XML)


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

    def answer(self, request: HttpRequest) -> Answer:
        app = self.app
        if app is not None:   # built: nothing to wait for
            return answer_of(app, request)
        try:
            schema = schema_answer(request)
            if schema is not None:
                return schema
        finally:
            if request.method in ("GET", "HEAD"):
                self._go.set()
        try:
            app = self.wait()
        except BaseException:
            return Answer.of(503, b"the mock could not start\n", "text/plain")
        return answer_of(app, request)

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        return answer_wsgi(self.answer(request_of(environ)), start_response)


def answer_of(app, request: HttpRequest) -> Answer:
    """The answer of an application that answers requests (``answer``), or of a WSGI one."""
    answer = getattr(app, "answer", None)
    return answer(request) if answer is not None else wsgi_answer(app, request)


def request_of(environ: dict) -> HttpRequest:
    """A WSGI environ as the request it describes (in-process callers of the WSGI face)."""
    headers = {key[5:].replace("_", "-").lower(): value for key, value in environ.items()
               if key.startswith("HTTP_")}
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = environ["CONTENT_TYPE"]
    return HttpRequest(environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "/"),
                       environ.get("QUERY_STRING", ""), headers, read_body(environ),
                       environ.get("REMOTE_ADDR", ""),
                       (environ.get("SERVER_NAME", "127.0.0.1"),
                        int(environ.get("SERVER_PORT") or 0)),
                       environ.get("wsgi.url_scheme", "http"), "1.1", time.perf_counter())


def answer_wsgi(answer: Answer, start_response: StartResponse) -> list[bytes]:
    """An answer given through WSGI, which can neither drop nor cut a connection."""
    if answer.drop or answer.cut is not None:
        raise ConnectionAbortedError("a fault rule breaks the connection: that takes the "
                                     "mock's HTTP server, not a WSGI caller")
    headers = [*answer.headers, ("Content-Length", str(len(answer.body)))]
    start_response(f"{answer.status} {answer.reason or reason_of(answer.status)}", headers)
    return [answer.body]


def respond(start_response: StartResponse, status: str, body: bytes,
            content_type: str) -> list[bytes]:
    start_response(status, [("Content-Type", content_type),
                            ("Content-Length", str(len(body)))])
    return [body]


def respond_json(start_response: StartResponse, data, status: str = "200 OK") -> list[bytes]:
    body = json.dumps(data, indent=2, default=str).encode()
    return respond(start_response, status, body, "application/json")
