"""The Python floor: a bare lxml WSGI handler for NetSuite's ``get``, no framework.

It does what any hand-written Python SOAP endpoint must do for one ``get``: read the request
body, parse it with lxml (the same safe parser settings as the mock), find the ``baseRef``, and
build the response envelope element by element with lxml, then serialize it. No
authentication, no state, no journal. It answers with the same record the mock serves (taken
from a response the mock produced), so the bytes on the wire are the same size.

    .venv/bin/python benchmarks/floor.py PORT CANNED_RESPONSE_FILE [--server waitress]

runs it on the mock's own HTTP server (``mockserver.wire.httpserver``), so the mock and the
floor are compared on the same server; ``--server waitress`` runs it under waitress (what the
mock ran on before; ``pip install waitress``, in the ``bench`` extra). ``--empty`` answers the
canned bytes without touching XML: what the server alone can do.
"""

from __future__ import annotations

import argparse
import sys

from lxml import etree

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
MSGS = "urn:messages_2024_1.platform.webservices.netsuite.com"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False, remove_comments=True, remove_pis=True,
                          collect_ids=False)


def _as_spec(element) -> tuple:
    """An element as plain data (tag, attributes, text, children): what a handler builds from."""
    return (element.tag, dict(element.attrib), element.text,
            tuple(_as_spec(child) for child in element))


def _build(parent, spec) -> None:
    tag, attributes, text, children = spec
    element = etree.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    for child in children:
        _build(element, child)


def make_get(canned_response: bytes):
    """A function from a ``get`` request's bytes to the response's bytes, the canned
    response's record rebuilt per request."""
    canned = etree.fromstring(canned_response)
    nsmap = canned.nsmap
    record = canned.find(f".//{{{MSGS}}}record")
    record_spec = _as_spec(record)
    ns_id = canned.findtext(f".//{{{MSGS}}}nsId") or "WEBSERVICES_FLOOR"

    def get(data: bytes) -> bytes:
        request = etree.fromstring(data, _PARSER)
        body = request.find(f"{{{SOAP_ENV}}}Body")
        get = body[0]
        base_ref = get.find(f"{{{MSGS}}}baseRef")
        internal_id = base_ref.get("internalId")
        envelope = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap=nsmap)
        header = etree.SubElement(envelope, f"{{{SOAP_ENV}}}Header")
        info = etree.SubElement(header, f"{{{MSGS}}}documentInfo")
        etree.SubElement(info, f"{{{MSGS}}}nsId").text = ns_id
        soap_body = etree.SubElement(envelope, f"{{{SOAP_ENV}}}Body")
        response = etree.SubElement(soap_body, f"{{{MSGS}}}getResponse")
        read = etree.SubElement(response, f"{{{MSGS}}}readResponse")
        etree.SubElement(read, "{urn:core_2024_1.platform.webservices.netsuite.com}status",
                         isSuccess="true")
        _build(read, record_spec)
        read[-1].set("internalId", internal_id)
        return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")
    return get


def make_app(canned_response: bytes):
    """The floor as a WSGI app (for in-process timing and for waitress)."""
    get = make_get(canned_response)

    def app(environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        data = get(environ["wsgi.input"].read(length))
        start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8"),
                                  ("Content-Length", str(len(data)))])
        return [data]
    return app


def make_empty_app(canned_response: bytes):
    """The HTTP server's own ceiling: read the body, answer the canned bytes, nothing else."""
    def app(environ, start_response):
        environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8"),
                                  ("Content-Length", str(len(canned_response)))])
        return [canned_response]
    return app


def serve_on_httpserver(port: int, canned: bytes, empty: bool) -> None:
    """The mock's HTTP server with the floor (or nothing) as its application: a request's
    body is already read when the handler runs."""
    from mockserver.wire.httpserver import Answer, HttpServer

    headers = (("Content-Type", "text/xml; charset=utf-8"),)
    if empty:
        answer = Answer(200, canned, headers)

        def handler(request):
            return answer
    else:
        get = make_get(canned)

        def handler(request):
            return Answer(200, get(request.body), headers)
    HttpServer(handler, port=port, ident="floor").serve_forever()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("port", type=int)
    parser.add_argument("canned", help="a get response the mock produced")
    parser.add_argument("--server", choices=("httpserver", "waitress"), default="httpserver",
                        help="the mock's own HTTP server (default) or waitress")
    parser.add_argument("--threads", type=int, default=8, help="waitress's worker threads")
    parser.add_argument("--empty", action="store_true",
                        help="no XML at all: the HTTP server's own ceiling")
    args = parser.parse_args()
    with open(args.canned, "rb") as file:
        canned = file.read()
    if args.server == "httpserver":
        serve_on_httpserver(args.port, canned, args.empty)
        return 0
    import logging
    from waitress import serve
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # as the mock's --log-level
    app = make_empty_app(canned) if args.empty else make_app(canned)
    serve(app, host="127.0.0.1", port=args.port, threads=args.threads, ident="floor",
          _quiet=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
