"""Requests passed on to another SuiteTalk endpoint (a sandbox, another netsuite-mock), and
answered with its answer unchanged: what ``netsuite-mock record`` does with every request and
``serve --mode proxy-unmatched`` with those the mock cannot answer (WireMock's partial
proxying).

Forwarded: the method, path and query, the body, and the headers a SOAP call needs (the client
signs its own TokenPassport; nothing is added). Returned: the upstream's status, headers but
the transfer ones, and body.
"""

from __future__ import annotations

import logging
from typing import Callable, Iterable
from urllib.parse import urlsplit

import requests

from mockserver.wire import wsdl
from mockserver.wire.http import answer_wsgi, request_of, respond
from mockserver.wire.httpserver import Answer, HttpRequest

log = logging.getLogger("netsuite_mock.forward")

FORWARDED_REQUEST_HEADERS = ("Content-Type", "SOAPAction", "Accept", "User-Agent")
# The upstream's answer is the client's answer; transfer details are this server's own.
HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "content-encoding",
                        "content-length", "te", "trailer", "upgrade", "proxy-authenticate"})
# What a mock answers when its seed lacks what the request is about: the upstream may have it.
UNANSWERABLE_CODES = frozenset({"RCRD_DSNT_EXIST", "INVALID_KEY_OR_REF"})


def upstream_base(url: str) -> str:
    """The scheme and host of an upstream given as a base URL or as its service URL."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"the upstream must be an http(s) URL, not {url!r}")
    return f"{parts.scheme}://{parts.netloc}"


class Upstream:
    """An endpoint requests are forwarded to."""

    def __init__(self, url: str, *, timeout: float = 900.0,
                 session: requests.Session | None = None):
        self.base = upstream_base(url)
        self.timeout = timeout
        self.session = session or requests.Session()

    def forward(self, environ: dict, body: bytes) -> tuple[str, dict, requests.Response | None]:
        """(upstream URL, headers sent, its response or None if it did not answer)."""
        query = environ.get("QUERY_STRING", "")
        url = self.base + environ.get("PATH_INFO", "") + (f"?{query}" if query else "")
        headers = {name: environ[key] for name in FORWARDED_REQUEST_HEADERS
                   if (key := _environ_key(name)) in environ}
        method = environ.get("REQUEST_METHOD", "GET")
        try:
            response = self.session.request(method, url, headers=headers, timeout=self.timeout,
                                            data=body if method == "POST" else None,
                                            allow_redirects=False)
        except requests.RequestException as error:
            log.warning("upstream %s unreachable: %s", url, error)
            return url, headers, None
        return url, headers, response

    def unreachable_text(self, who: str) -> bytes:
        return f"{who}: the upstream {self.base} did not answer\n".encode()

    def unreachable(self, start_response, who: str) -> list[bytes]:
        return respond(start_response, "502 Bad Gateway", self.unreachable_text(who),
                       "text/plain")


def upstream_answer(response: requests.Response, content: bytes | None = None) -> Answer:
    """The upstream's answer as this server's (``content`` replacing its body)."""
    return Answer(response.status_code, response.content if content is None else content,
                  tuple((k, v) for k, v in response.headers.items()
                        if k.lower() not in HOP_BY_HOP), response.reason or "")


def reply(start_response, response: requests.Response, content: bytes | None = None
          ) -> list[bytes]:
    """``upstream_answer``, given through WSGI."""
    return answer_wsgi(upstream_answer(response, content), start_response)


class ProxyUnmatched:
    """``serve --mode proxy-unmatched``: the mock answers first; a SOAP request it answered
    with a failure that says its records lack what was asked (``UNANSWERABLE_CODES``, e.g.
    ``RCRD_DSNT_EXIST``), and no fault rule decided, goes to the upstream, whose answer the
    client gets. The journal keeps the mock's own answer; the log says what went upstream."""

    def __init__(self, app, upstream: Upstream):
        self.app = app
        self.backend = app.backend
        self.upstream = upstream

    def answer(self, request: HttpRequest) -> Answer:
        if request.path != wsdl.SERVICE_PATH or request.method != "POST":
            return self.app.answer(request)
        answer, exchange = self.app.soap_answer(request)
        if exchange.rule is None and exchange.outcome == "error" and \
                UNANSWERABLE_CODES & set(exchange.codes):
            _url, _headers, response = self.upstream.forward(request.environ(), request.body)
            if response is None:
                return Answer.of(502, self.upstream.unreachable_text("netsuite-mock"),
                                 "text/plain")
            log.info("%s: %s from the upstream %s", exchange.operation,
                     "/".join(exchange.codes), self.upstream.base)
            return upstream_answer(response)
        return answer

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        return answer_wsgi(self.answer(request_of(environ)), start_response)


def _environ_key(header: str) -> str:
    name = header.upper().replace("-", "_")
    return name if name in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{name}"
