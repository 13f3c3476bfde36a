"""The SOAP endpoint: NetSuiteBinding's 42 operations, a request's bytes to NetSuite's answer.

The operations are a Spyne service (``NetSuiteService``) built from the schema: one ``@rpc``
method per operation, with the request and response messages as Spyne models. The service is
the definition the endpoint dispatches through: a request's body element names the method in
Spyne's interface (``service_method_map``), and that method runs the operation. Spyne's
per-request pipeline (method contexts, events, its XML codec, its WSGI server) is not on the
path: it changes no answer here and cost a third of a ``get``. The codec is ``decode``/
``encode``, because Spyne's own loses data here: it copies a child's ``internalId`` attribute
onto the parent record, ignores unknown elements, and cannot write NetSuite's faults or
namespace layout (see ``../shared/reference/spyne-notes.md``).

``SoapEndpoint.answer`` is the pipeline, each step a value: request bytes → envelope →
operation → headers and body → ``Backend.handle`` → ``Reply`` → answer bytes → ``Answer``
(with the wire action a fault rule asked for) and the journal's ``Exchange``, written once.
"""

from __future__ import annotations

import logging
import time
from typing import Callable, NamedTuple

from mockserver.wire import spyne_compat  # noqa: F401  (must precede Spyne imports)

from spyne import Application, ServiceBase, rpc

from mockserver.domain.backend import Backend, Reply
from mockserver.domain.errors import ClientFault, SoapFault
from mockserver.domain.governance import size_text
from mockserver.domain.journal import Exchange, outcome_of
from mockserver.schema import platform, registry
from mockserver.wire import envelope
from mockserver.wire.httpserver import DROPPED, RESET, Answer, HttpRequest
from mockserver.wire.models import model_for
from mockserver.wire.xpath import checked_xpath, xpath_matches

log = logging.getLogger("netsuite_mock.wire")

# Spyne logs its application's set-up at INFO and any fault at ERROR; neither is news here.
logging.getLogger("spyne").setLevel(logging.CRITICAL + 1)

XML = "text/xml; charset=utf-8"


class SoapCall(NamedTuple):
    """What an operation of the service is called with, besides its decoded body."""

    backend: Backend
    operation: str
    headers: dict
    base_url: str
    remote_addr: str | None
    xpath: Callable[[str], bool]


def _service_method(operation: str):
    request = registry.elements[f"platformMsgs:{operation}"].type_ref
    response = registry.elements[f"platformMsgs:{operation}Response"].type_ref

    def run(call: SoapCall, body: dict | None = None) -> Reply:
        return call.backend.handle(operation, call.headers, body or {}, base_url=call.base_url,
                                   remote_addr=call.remote_addr, xpath=call.xpath)
    run.__name__ = operation
    params = (model_for(request),) if registry.complex(request).fields else ()
    if not params:  # Spyne's bare style needs a parameter; empty requests take none
        def handler(call):
            return run(call)
    else:
        def handler(call, body):
            return run(call, body)
    return rpc(*params, _returns=model_for(response), _body_style="bare",
               _in_message_name=operation, _out_message_name=f"{operation}Response",
               _internal_key_suffix=operation)(handler)


NetSuiteService = type("NetSuiteService", (ServiceBase,),
                       {f"op_{op.name}": _service_method(op.name) for op in platform.OPERATIONS})


def build_application(backend: Backend) -> Application:
    """The Spyne application: NetSuite's service, its messages declared as Spyne models."""
    app = Application([NetSuiteService], tns=envelope.MESSAGES_URI, name="NetSuiteService")
    app.backend = backend
    return app


class SoapEndpoint:
    """``POST /services/NetSuitePort_2024_1``: every request answered as NetSuite would."""

    def __init__(self, backend: Backend, *, hostname: str = envelope.DEFAULT_HOSTNAME,
                 max_request_bytes: int):
        self.backend = backend
        self.hostname = hostname
        self.max_request_bytes = max_request_bytes
        if backend.rules.xpath_validator is None:  # a backend not built by build_backend
            backend.rules.xpath_validator = checked_xpath
        self.service = build_application(backend)
        # Request element tag -> the service's method for it (each operation has one).
        self.methods = {tag: (handles[0].name, handles[0].function,
                              bool(handles[0].in_message._type_info))
                        for tag, handles in self.service.interface.service_method_map.items()}

    def answer(self, request: HttpRequest) -> tuple[Answer, Exchange]:
        """The answer to one SOAP request, and the journal's record of it (not yet added)."""
        operation, reply = self._reply(request)
        codes: tuple[str, ...] = ()
        if reply.fault is None and reply.body is not None:
            try:
                answer = Answer.of(200, envelope.response_bytes(operation, reply.body,
                                                                reply.ns_id), XML)
                outcome, found = outcome_of(reply.body)
                codes = tuple(found)
            except Exception as error:  # writing the answer failed: the client gets a fault
                reply = reply._replace(body=None, wire_action=None,   # the fault is the answer
                                       fault=envelope.unexpected_fault(error))
        if reply.fault is not None:
            answer, outcome = self.fault_answer(reply.fault), "fault"
            codes = (reply.fault.code or reply.fault.faultstring,)
        elif reply.body is None:   # no answer at all (dropped before the work, timed out)
            answer, outcome = DROPPED, reply.outcome or "dropped"
        if reply.wire_action is not None:
            answer, outcome = reply.wire_action.carry_out(AnswerBreaker(answer, outcome))
        exchange = Exchange(
            request=request.body, operation=operation, account=reply.account,
            integration=reply.integration, record_types=reply.record_types, rule=reply.rule,
            outcome=outcome, codes=codes, http_status=None if answer.drop else
            answer.status, response=b"" if answer.drop else
            answer.body[:answer.cut] if answer.cut is not None else answer.body,
            duration_ms=round((time.perf_counter() - request.received) * 1000, 3),
            slot_ms=reply.slot_ms)
        return answer, exchange

    def fault_answer(self, fault: SoapFault) -> Answer:
        """A NetSuite fault as the answer, with its HTTP status."""
        return Answer.of(fault.http_status,
                         envelope.to_bytes(envelope.fault_document(fault, self.hostname)), XML)

    def _reply(self, request: HttpRequest) -> tuple[str | None, Reply]:
        """The operation asked for, and the backend's reply (a fault for a request refused
        on the way)."""
        operation = None
        try:
            refusal = self._refusal(request)
            if refusal is not None:
                return None, Reply(None, fault=refusal)
            header, body_element = envelope.parse_envelope(request.body)
            method = self.methods.get(body_element.tag)
            if method is None:
                raise ClientFault(f"No such operation '{body_element.tag}'")
            operation, run, takes_body = method
            call = SoapCall(self.backend, operation, envelope.decode_headers(header),
                            request.base_url, request.remote_addr,
                            lambda expression: xpath_matches(body_element, expression))
            if not takes_body:
                return operation, run(call)
            return operation, run(call, envelope.decode_body(operation, body_element))
        except SoapFault as fault:
            return operation, Reply(None, fault=fault)
        except Exception as error:  # a bug on the way: NetSuite's fault, not a traceback
            return operation, Reply(None, fault=envelope.unexpected_fault(error))

    def _refusal(self, request: HttpRequest) -> SoapFault | None:
        """What NetSuite refuses before reading the envelope."""
        if request.body_size > self.max_request_bytes:
            return SoapFault.of("request_size", size=size_text(self.max_request_bytes))
        return http_refusal(request.headers)


def http_refusal(headers: dict) -> SoapFault | None:
    """What Axis, NetSuite's SOAP front end, refuses before reading the envelope (INFERRED)."""
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/soap+xml":
        return ClientFault("Version Mismatch: this endpoint speaks SOAP 1.1 (text/xml), "
                           "not SOAP 1.2 (application/soap+xml).")
    if content_type and "xml" not in content_type:
        return ClientFault(f"Content-Type '{content_type}' is not supported; SOAP 1.1 requests "
                           f"are text/xml.")
    if "soapaction" not in headers:
        return ClientFault("no SOAPAction header!")
    return None


class AnswerBreaker:
    """The ``Wire`` a fault rule's wire action carries itself out with: each way of breaking
    the answer returns the ``Answer`` that does it and the journal's outcome."""

    def __init__(self, answer: Answer, outcome: str | None):
        self._answer, self._outcome = answer, outcome
        self.answer = answer.body

    def _status(self) -> int:
        return 200 if self._answer.status == 200 else 500

    def replace(self, status: int, body: bytes, content_type: str) -> tuple[Answer, str]:
        return Answer.of(status, body, content_type, "Injected"), "http"

    def drop(self) -> tuple[Answer, str]:
        return DROPPED, self._outcome if self._outcome == "timed_out" else "dropped"

    def reset(self) -> tuple[Answer, str]:
        return RESET, "reset"

    def send_part(self, part: bytes) -> tuple[Answer, str]:
        return Answer(self._status(), self._answer.body, (("Content-Type", XML),),
                      cut=len(part)), "truncated"

    def send_instead(self, body: bytes, outcome: str) -> tuple[Answer, str]:
        return Answer.of(self._status(), body, XML), outcome
