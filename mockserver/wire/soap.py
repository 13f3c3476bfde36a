"""The Spyne application: NetSuiteBinding's 42 operations over SOAP 1.1.

Spyne dispatches each request to the operation named by its body element and runs it through
its pipeline (contexts, events, WSGI). Its default XML codec is replaced by ``NetSuiteSoap11``,
which reads and writes through the schema-driven codec in ``decode``/``encode`` because Spyne's
own one loses data here: it copies a child's ``internalId`` attribute onto the parent record,
ignores unknown elements, and cannot write NetSuite's faults or namespace layout (see
``../shared/reference/spyne-notes.md``). The operations' message types are still declared as
Spyne models built from the schema, so the service descriptors are real.
"""

from __future__ import annotations

import logging

from mockserver.wire import spyne_compat  # noqa: F401  (must precede Spyne imports)

from spyne import Application, ServiceBase, const as spyne_const, rpc
from spyne.const.http import HTTP_200
from spyne.error import RequestTooLongError, ResourceNotFoundError
from spyne.evmgr import EventManager
from spyne.model.fault import Fault
from spyne.protocol.soap import Soap11
from spyne.server.http import HttpTransportContext
from spyne.server.wsgi import (WsgiApplication, WsgiMethodContext, WsgiTransportContext,
                              _gen_http_headers, _get_http_headers)

from mockserver.domain.backend import Backend, Reply
from mockserver.domain.errors import ClientFault, SoapFault
from mockserver.domain.journal import outcome_of
from mockserver.schema import platform, registry
from mockserver.wire import envelope
from mockserver.wire.models import model_for
from mockserver.wire.transport import EXCHANGE_KEY, base_url, exchange_of  # noqa: F401
from mockserver.wire.xpath import checked_xpath, xpath_matches

log = logging.getLogger("netsuite_mock.wire")

# Spyne forces a full gc.collect() when a request ends (at most once a second), to release
# uploaded files promptly. With a large record store that full collection costs hundreds of
# milliseconds per request; the mock takes no uploads, so Python's own collector is enough.
spyne_const.MIN_GC_INTERVAL = float("inf")

# Spyne logs every fault at ERROR with a traceback; NetSuite faults are normal answers here,
# and an unexpected error is logged once, by ``envelope.unexpected_fault``, with its Error ID.
for _name in ("spyne", "spyne.application", "spyne.application.client",
              "spyne.application.server", "spyne.server", "spyne.server.wsgi",
              "spyne.protocol", "spyne.protocol.xml", "spyne.protocol.soap.soap11"):
    logging.getLogger(_name).setLevel(logging.CRITICAL + 1)


class NetSuiteFault(Fault):
    """Carries a domain ``SoapFault`` through Spyne's error path."""

    def __init__(self, fault: SoapFault):
        super().__init__("Server.userException", fault.faultstring)
        self.netsuite = fault

    @classmethod
    def of(cls, error: Exception) -> "NetSuiteFault":
        """The fault for any error on the way: NetSuite's own as it is, anything else as
        NetSuite's UnexpectedErrorFault (logged with its Error ID)."""
        if isinstance(error, NetSuiteFault):
            return error
        return cls(error if isinstance(error, SoapFault) else envelope.unexpected_fault(error))


class NetSuiteSoap11(Soap11):
    """Spyne's SOAP 1.1 protocol with NetSuite's codec and fault format."""

    mime_type = "text/xml; charset=utf-8"

    def __init__(self, *args, hostname: str = envelope.DEFAULT_HOSTNAME, **kwargs):
        super().__init__(*args, **kwargs)
        self.hostname = hostname

    def create_in_document(self, ctx, charset=None):
        data = b"".join(ctx.in_string) if not isinstance(ctx.in_string, bytes) else ctx.in_string
        try:
            ctx.in_document = envelope.parse_envelope(data)
        except Exception as error:  # Spyne passes on only its Faults
            raise NetSuiteFault.of(error) from None

    def decompose_incoming_envelope(self, ctx, message=Soap11.REQUEST):
        try:
            header, body_element = ctx.in_document
            ctx.in_header_doc = header
            ctx.in_body_doc = body_element
            operation = envelope.operation_of(body_element)
            if operation is None:
                raise ClientFault(f"No such operation '{body_element.tag}'")
            ctx.method_request_string = body_element.tag
        except Exception as error:
            raise NetSuiteFault.of(error) from None

    def deserialize(self, ctx, message):
        self.event_manager.fire_event("before_deserialize", ctx)
        operation = envelope.operation_of(ctx.in_body_doc)
        try:
            ctx.in_header = envelope.decode_headers(ctx.in_header_doc)
            ctx.in_object = envelope.decode_body(operation, ctx.in_body_doc)
        except Exception as error:
            raise NetSuiteFault.of(error) from None
        self.event_manager.fire_event("after_deserialize", ctx)

    def serialize(self, ctx, message):
        self.event_manager.fire_event("before_serialize", ctx)
        if ctx.out_error is not None:
            fault = as_netsuite_fault(ctx.out_error)
            exchange = exchange_of(ctx.transport.req_env)
            if exchange.outcome is None:
                exchange.outcome = "fault"
                exchange.codes = [fault.code or fault.faultstring]
            ctx.out_document = envelope.fault_document(fault, self.hostname)
        else:
            reply: Reply = ctx.out_object[0]
            operation = envelope.operation_of(ctx.in_body_doc)
            ctx.out_document = envelope.response_bytes(operation, reply.body, reply.ns_id)
        self.event_manager.fire_event("after_serialize", ctx)

    def create_out_string(self, ctx, charset=None):
        document = ctx.out_document
        ctx.out_string = [document if isinstance(document, bytes) else envelope.to_bytes(document)]

    def generate_method_contexts(self, ctx):
        """Spyne copies the context once per method bound to the request; every operation here
        has exactly one, so the context itself is the method's."""
        handles = self.get_call_handles(ctx)
        if len(handles) != 1:
            return super().generate_method_contexts(ctx)
        ctx.descriptor = handles[0]
        return [ctx]

    def fault_to_http_response_code(self, fault):
        if isinstance(fault, NetSuiteFault):
            return f"{fault.netsuite.http_status} Internal Server Error" \
                if fault.netsuite.http_status == 500 else str(fault.netsuite.http_status)
        return "500 Internal Server Error"


class QuietEventManager(EventManager):
    """Spyne's event manager, minus the empty handler set it builds for each of the ~17 events
    a request fires when nobody listens (handlers, if any are added, run as before)."""

    def fire_event(self, event_name, ctx, *args, **kwargs):
        handlers = self.handlers.get(event_name)
        if handlers:
            for handler in handlers:
                handler(ctx, *args, **kwargs)


class _WsgiTransport(WsgiTransportContext):
    """Spyne's WSGI transport context, with the request headers parsed when first asked for
    (nothing here asks; Spyne parsed them, with a debug log call each, on every request)."""

    def __init__(self, parent, transport, req_env, content_type):
        HttpTransportContext.__init__(self, parent, transport, req_env, content_type)
        self.req_env = self.req
        self.req_method = req_env.get("REQUEST_METHOD", None)

    @property
    def headers(self):
        headers = self.__dict__.get("_headers")
        if headers is None:
            headers = self.__dict__["_headers"] = _get_http_headers(self.req_env)
        return headers

    @headers.setter
    def headers(self, value):
        self.__dict__["_headers"] = value


class _WsgiMethodContext(WsgiMethodContext):
    """Spyne's WSGI method context with the lazy-header transport. Spyne routes each of the
    ~60 attribute sets of a request through a Python ``__setattr__`` whose only job is to
    refuse attribute names a built (frozen) context does not have; the mock sets none, so
    plain attribute setting (properties such as ``descriptor`` still apply) behaves the same
    for less."""

    HttpTransportContext = _WsgiTransport
    __setattr__ = object.__setattr__


class NetSuiteWsgiApplication(WsgiApplication):
    """Spyne's WSGI server for the mock's SOAP endpoint, which only ever receives POSTs.

    The pipeline is Spyne's own: a ``WsgiMethodContext``, the in protocol's parse and
    dispatch (``generate_contexts``), ``deserialize`` (``get_in_object``), the service method
    through ``Application.process_request`` (``get_out_object``), the out protocol's
    ``serialize`` (``get_out_string``), Spyne's error path (``handle_error``) and its events.
    Left out are the steps that do nothing here and cost a fifth of a ``get``: rebuilding the
    URL to look for a WSDL request (``MockApplication`` serves the WSDL), re-reading the body in
    8 kB blocks (the HTTP layer has read it already, bounded), parsing the charset (the
    protocol reads bytes), MTOM, generators and auxiliary methods (none here).
    """

    def __init__(self, app, *args, **kwargs):
        super().__init__(app, *args, **kwargs)
        for owner in (self, app, app.in_protocol, app.out_protocol,
                      *{d.service_class for d in _descriptors(app)}):
            owner.event_manager.__class__ = QuietEventManager

    def __call__(self, req_env, start_response, wsgi_url=None):
        return self.handle_rpc(req_env, start_response)

    def handle_rpc(self, req_env, start_response):
        ctx = _WsgiMethodContext(self, req_env, self.app.out_protocol.mime_type)
        self.event_manager.fire_event("wsgi_call", ctx)
        length = int(req_env.get("CONTENT_LENGTH") or 0)
        ctx.in_string = _too_long() if length > self.max_content_length else \
            [req_env["wsgi.input"].read(length)]
        p_ctx = self.generate_contexts(ctx)[0]
        p_ctx.active = True
        if p_ctx.in_error:
            return self.handle_error(p_ctx, (), p_ctx.in_error, start_response)
        self.get_in_object(p_ctx)
        if p_ctx.in_error:
            return self.handle_error(p_ctx, (), p_ctx.in_error, start_response)
        self.get_out_object(p_ctx)
        if p_ctx.out_error:
            return self.handle_error(p_ctx, (), p_ctx.out_error, start_response)
        transport = p_ctx.transport
        if transport.resp_code is None:
            transport.resp_code = HTTP_200
        try:
            self.get_out_string(p_ctx)
        except Exception as error:  # writing the answer failed: the client gets a fault
            p_ctx.out_error = NetSuiteFault.of(error)
            p_ctx.transport.resp_code = None  # the fault's own status, not the answer's 200
            exchange_of(req_env).outcome = None   # the journal records the fault, not success
            return self.handle_error(p_ctx, (), p_ctx.out_error, start_response)
        self.event_manager.fire_event("wsgi_return", p_ctx)
        out_string = list(p_ctx.out_string)
        transport.resp_headers.pop("Content-Length", None)
        transport.resp_headers["Content-Length"] = str(sum(len(part) for part in out_string))
        start_response(transport.resp_code, _gen_http_headers(transport.resp_headers))
        p_ctx.close()
        self.event_manager.fire_event("wsgi_close", p_ctx)
        return out_string


def _too_long():
    """Spyne's refusal of a body over ``max_content_length``, raised where the protocol reads
    the body (inside Spyne's error handling), as Spyne's own reader raises it."""
    raise RequestTooLongError()
    yield  # pragma: no cover  (a generator, like Spyne's reader)


def _descriptors(app):
    return [d for handles in app.interface.service_method_map.values() for d in handles]


def as_netsuite_fault(error: Exception) -> SoapFault:
    """Any error on the Spyne path as the fault NetSuite would send: Spyne's own client faults
    as Axis reports them, anything else as NetSuite's UnexpectedErrorFault."""
    if isinstance(error, NetSuiteFault):
        return error.netsuite
    if isinstance(error, ResourceNotFoundError):
        return ClientFault(f"No such operation '{error.faultstring}'")
    if isinstance(error, Fault) and str(error.faultcode).startswith("Client"):
        return ClientFault(error.faultstring or "The request could not be processed.")
    return envelope.unexpected_fault(error)


def _service_method(operation: str):
    request = registry.elements[f"platformMsgs:{operation}"].type_ref
    response = registry.elements[f"platformMsgs:{operation}Response"].type_ref

    def call(ctx, body=None):
        backend: Backend = ctx.app.backend
        environ = ctx.transport.req_env
        exchange = exchange_of(environ)
        body_element = ctx.in_body_doc
        try:
            reply = backend.handle(operation, ctx.in_header, body or {},
                                   base_url=base_url(environ),
                                   remote_addr=environ.get("REMOTE_ADDR"), exchange=exchange,
                                   xpath=lambda expr: xpath_matches(body_element, expr))
        except SoapFault as fault:
            raise NetSuiteFault(fault) from None
        exchange.wire_action = reply.wire_action
        if reply.body is None:  # no answer at all: the HTTP layer drops the connection
            exchange.outcome = reply.outcome
            raise NetSuiteFault(SoapFault.of("unexpected")) from None  # never sent
        exchange.outcome, exchange.codes = outcome_of(reply.body)
        return reply

    call.__name__ = operation
    params = (model_for(request),) if registry.complex(request).fields else ()
    if not params:  # Spyne's bare style needs a parameter; empty requests take none
        def call_without_body(ctx):
            return call(ctx)
        handler = call_without_body
    else:
        def handler(ctx, body):
            return call(ctx, body)
    return rpc(*params, _returns=model_for(response), _body_style="bare",
               _in_message_name=operation, _out_message_name=f"{operation}Response",
               _internal_key_suffix=operation)(handler)


NetSuiteService = type("NetSuiteService", (ServiceBase,),
                       {f"op_{op.name}": _service_method(op.name) for op in platform.OPERATIONS})


class NetSuiteApplication(Application):
    """Spyne's application, with any error a service method raises turned into NetSuite's
    fault before Spyne's catch-all would turn it into its own "Internal Error"."""

    def call_wrapper(self, ctx):
        try:
            return super().call_wrapper(ctx)
        except Fault:
            raise
        except Exception as error:
            raise NetSuiteFault.of(error) from None


def build_application(backend: Backend, *, hostname: str = envelope.DEFAULT_HOSTNAME) -> Application:
    app = NetSuiteApplication([NetSuiteService], tns=envelope.MESSAGES_URI, name="NetSuiteService",
                      in_protocol=NetSuiteSoap11(hostname=hostname),
                      out_protocol=NetSuiteSoap11(hostname=hostname))
    app.backend = backend
    if backend.rules.xpath_validator is None:  # a backend not built by build_backend
        backend.rules.xpath_validator = checked_xpath
    return app
