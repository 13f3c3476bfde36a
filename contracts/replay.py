"""``netsuite-mock replay``: recorded interactions served as a NetSuite endpoint.

For clients that cannot use vcrpy (another language, a packaged integration): point their
``wsdl_url`` and ``service_url`` at the replay server. The WSDL and its schema documents are the
mock's own (2024_1); each SOAP request is matched as ``contracts.cassette`` matches (SOAPAction and
canonical body, credentials left out) against the interactions not played yet, in recorded
order, and answered with the recorded status and body. A request that matches nothing gets a
SOAP fault (HTTP 500) naming the nearest recorded request, with a diff; it is logged too.

    GET  /__replay            cassettes, interactions and which were played (JSON)
    POST /__replay/rewind     play everything again from the start
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from contracts.cassette import (Cassette, Interaction, RequestView, body_diff, request_view,
                                similarity)
from contracts.scrub import Scrubber
from contracts.soapxml import soap_action
from mockserver.domain.errors import ClientFault
from mockserver.wire import envelope, wsdl
from mockserver.wire.http import XML, respond, respond_json
from mockserver.wire.transport import base_url, read_body

log = logging.getLogger("netsuite_mock.replay")


@dataclass
class _Recorded:
    cassette: str
    interaction: Interaction
    view: RequestView
    played: bool = False


class ReplayApplication:
    """The WSGI application of a replay server."""

    def __init__(self, cassettes: list[Cassette], *, scrubber: Scrubber | None = None):
        self.scrubber = scrubber or Scrubber()
        self.recorded = [_Recorded(str(c.path), i, request_view(i.request_body))
                         for c in cassettes for i in c.interactions if i.method == "POST"]
        self.cassettes = [str(c.path) for c in cassettes]
        self._lock = threading.Lock()

    def __call__(self, environ: dict, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if method == "POST" and path == wsdl.SERVICE_PATH:
            return self._soap(environ, start_response)
        if method in ("GET", "HEAD"):
            if path == wsdl.WSDL_PATH or (path == wsdl.SERVICE_PATH and
                                          "wsdl" in environ.get("QUERY_STRING", "").lower()):
                return respond(start_response, "200 OK",
                               wsdl.wsdl_document(base_url(environ) + wsdl.SERVICE_PATH), XML)
            if path.startswith(wsdl.XSD_DIR) and path.endswith(".xsd"):
                try:
                    body = wsdl.schema_document(path[len(wsdl.XSD_DIR):-len(".xsd")])
                except KeyError:
                    return respond(start_response, "404 Not Found", b"no such schema document\n",
                                   "text/plain")
                return respond(start_response, "200 OK", body, XML)
            if path.rstrip("/") == "/__replay":
                return respond_json(start_response, self.status())
        if method == "POST" and path.rstrip("/") == "/__replay/rewind":
            self.rewind()
            return respond_json(start_response, self.status())
        return respond(start_response, "404 Not Found", b"not found\n", "text/plain")

    def status(self) -> dict:
        with self._lock:
            return {"cassettes": self.cassettes,
                    "interactions": [{"cassette": r.cassette, "index": r.interaction.index,
                                      "operation": r.interaction.operation, "played": r.played}
                                     for r in self.recorded],
                    "played": sum(r.played for r in self.recorded),
                    "total": len(self.recorded)}

    def rewind(self) -> None:
        with self._lock:
            for r in self.recorded:
                r.played = False

    def _soap(self, environ: dict, start_response):
        body = read_body(environ)
        action = soap_action({"SOAPAction": environ.get("HTTP_SOAPACTION", "")})
        view = request_view(self.scrubber.body(body))
        with self._lock:
            found = next((r for r in self.recorded if not r.played
                          and r.interaction.soap_action == action and r.view.key == view.key),
                         None)
            if found is not None:
                found.played = True
        if found is None:
            return self._no_match(start_response, action, view)
        recorded = found.interaction
        log.info("replayed %s interaction %d (%s)", found.cassette, recorded.index,
                 recorded.operation)
        content_type = _header(recorded.response_headers, "Content-Type") or XML
        return respond(start_response, f"{recorded.status} {recorded.status_message or 'OK'}",
                       recorded.response_body, content_type)

    def _no_match(self, start_response, action: str, view: RequestView):
        with self._lock:
            same = [r for r in self.recorded if r.interaction.soap_action == action
                    and r.view.key == view.key]
            candidates = list(self.recorded)
        if same:
            message = (f"netsuite-mock replay: the {len(same)} recorded {action or 'SOAP'} "
                       f"interaction(s) matching this request were all played already")
        elif not candidates:
            message = "netsuite-mock replay: the cassettes hold no SOAP interactions"
        else:
            nearest = max(candidates, key=lambda r: (r.interaction.soap_action == action,
                                                     similarity(view, r.view), not r.played))
            message = (f"netsuite-mock replay: no recorded interaction matches this "
                       f"{action or 'SOAP'} request; the nearest is interaction "
                       f"#{nearest.interaction.index} of {nearest.cassette} "
                       f"({nearest.interaction.operation}"
                       f"{', played already' if nearest.played else ''}):\n"
                       + body_diff(nearest.view, view))
        log.warning("%s", message)
        fault = ClientFault(message)
        data = envelope.to_bytes(envelope.fault_document(fault))
        return respond(start_response, "500 Internal Server Error", data, XML)


def _header(headers: dict, name: str) -> str | None:
    for key, value in (headers or {}).items():
        if key.lower() == name.lower():
            return value[0] if isinstance(value, list) and value else value
    return None


def replay_server(cassettes: list[Cassette], *, host: str = "127.0.0.1", port: int = 8080,
                  scrubber: Scrubber | None = None):
    """A ``MockServer`` (start/stop, URLs) serving ``ReplayApplication``."""
    from mockserver.config import MockSettings
    from mockserver.server import MockServer
    app = ReplayApplication(cassettes, scrubber=scrubber)
    return MockServer(MockSettings(host=host, port=port), app=app)
