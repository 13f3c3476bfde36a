"""The mock's HTTP/1.1 server: a thread per connection, requests parsed by httptools.

An application is a function from an ``HttpRequest`` (the whole request, body read) to an
``Answer`` (status, headers, body, and how to break it if a fault rule asks: drop the
connection, or send part of the body and close). Nothing about a request travels any other way.
WSGI applications (the admin API, ``netsuite-mock replay``) are served through ``wsgi_answer``.

Why this shape (benchmarks/README.md, "The HTTP server" has the figures): a connection's thread
reads, runs the request and writes, so there is no hand-off between threads on the way, a slow
request (a 1000-record search page, a latency model, a delay rule) holds only its own
connection, and the WSDL and admin API answer while the SOAP side is saturated. Dropping or
cutting a connection is a plain socket call. On a free-threaded CPython the connections run in
parallel. Parsing is httptools (llhttp, Node's parser): keep-alive, pipelining, chunked bodies
and ``Expect: 100-continue`` come with it.
"""

from __future__ import annotations

import io
import logging
import socket
import struct
import sys
import threading
import time
from email.utils import formatdate
from http import HTTPStatus
from typing import Callable, NamedTuple
from urllib.parse import unquote

import httptools

log = logging.getLogger("netsuite_mock.http")

# Header names a client may send with no meaning for the mock unless a trusted proxy set them
# (waitress's ``clear_untrusted_proxy_headers``, which the mock used before): left out of WSGI.
_PROXY_HEADERS = frozenset({"x-forwarded-for", "x-forwarded-host", "x-forwarded-proto",
                            "x-forwarded-port", "x-forwarded-by", "forwarded"})
_HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length",
                         "upgrade", "proxy-connection", "te", "trailer"})
MAX_HEADER_BYTES = 262_144   # waitress's default; beyond it a request gets 431
_RECV_BYTES = 262_144
WATCH_INTERVAL = 0.1   # seconds between the watchdog's rounds (time-outs are this precise)


class HttpRequest(NamedTuple):
    """One request as it came: ``headers`` by lower-case name (repeats joined with ", ")."""

    method: str
    path: str
    query: str = ""
    headers: dict = {}   # never changed: a value shared by requests without headers
    body: bytes = b""
    remote_addr: str = ""
    server_addr: tuple = ("127.0.0.1", 0)
    scheme: str = "http"
    http_version: str = "1.1"
    received: float = 0.0   # perf_counter time of the first byte read
    size: int = -1   # the body's length when it was too long to keep (then ``body`` is empty)

    @property
    def body_size(self) -> int:
        return len(self.body) if self.size < 0 else self.size

    @property
    def base_url(self) -> str:
        """The scheme and host the client used to reach the mock."""
        host = self.headers.get("host")
        if not host:
            address, port = self.server_addr[0], self.server_addr[1]
            host = f"[{address}]:{port}" if ":" in address else f"{address}:{port}"
        return f"{self.scheme}://{host}"

    def environ(self) -> dict:
        """The request as a WSGI environ (PEP 3333)."""
        host, port = self.server_addr[0], self.server_addr[1]
        environ = {
            "REQUEST_METHOD": self.method, "SCRIPT_NAME": "", "PATH_INFO": self.path,
            "QUERY_STRING": self.query, "SERVER_NAME": host, "SERVER_PORT": str(port),
            "SERVER_PROTOCOL": f"HTTP/{self.http_version}", "REMOTE_ADDR": self.remote_addr,
            "CONTENT_LENGTH": str(len(self.body)),
            "wsgi.version": (1, 0), "wsgi.url_scheme": self.scheme,
            "wsgi.input": io.BytesIO(self.body), "wsgi.errors": sys.stderr,
            "wsgi.multithread": True, "wsgi.multiprocess": False, "wsgi.run_once": False,
        }
        for name, value in self.headers.items():
            if name in _PROXY_HEADERS:
                continue
            key = name.upper().replace("-", "_")
            if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                if key == "CONTENT_TYPE":
                    environ[key] = value
                continue
            environ[f"HTTP_{key}"] = value
        return environ


class Answer(NamedTuple):
    """What goes back: ``drop`` closes the connection without a byte (``reset``: with a TCP
    RST instead of a FIN); ``cut`` sends the headers (the whole body's Content-Length) and that
    many bytes of the body, then closes."""

    status: int
    body: bytes = b""
    headers: tuple = ()
    reason: str = ""
    cut: int | None = None
    drop: bool = False
    reset: bool = False

    @classmethod
    def of(cls, status: int, body: bytes, content_type: str, reason: str = "") -> "Answer":
        return cls(status, body, (("Content-Type", content_type),), reason)

    @property
    def content_type(self) -> str | None:
        return next((v for k, v in self.headers if k.lower() == "content-type"), None)


DROPPED = Answer(0, drop=True)
RESET = Answer(0, drop=True, reset=True)
# SO_LINGER on, 0 s: close() sends a RST (Windows's linger holds two shorts, POSIX's two ints)
_LINGER_NOT = struct.pack("HH" if sys.platform == "win32" else "ii", 1, 0)
Handler = Callable[[HttpRequest], Answer]


def wsgi_answer(app, request: HttpRequest) -> Answer:
    """A WSGI application's answer to ``request``, as a value."""
    started: dict = {}
    written: list[bytes] = []

    def start_response(status, headers, exc_info=None):
        started["status"], started["headers"] = status, headers
        return written.append
    result = app(request.environ(), start_response)
    try:
        body = b"".join([*written, *result])
    finally:
        getattr(result, "close", lambda: None)()
    code, _, reason = started["status"].partition(" ")
    headers = tuple((k, v) for k, v in started["headers"] if k.lower() not in _HOP_BY_HOP)
    return Answer(int(code), body, headers, reason)


def reason_of(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


class _HttpDate:
    """The Date header's value, formatted once a second."""

    def __init__(self):
        self._second, self._text = 0, ""

    def __call__(self) -> str:
        now = int(time.time())
        if now != self._second:
            self._second, self._text = now, formatdate(now, usegmt=True)
        return self._text


_http_date = _HttpDate()


class _Refused(Exception):
    """A request the server answers itself, then closes the connection (413, 431, 400)."""

    def __init__(self, status: int, text: str):
        super().__init__(text)
        self.answer = Answer.of(status, f"{text}\n".encode(), "text/plain; charset=utf-8")


class _Connection:
    """One client connection and the thread that serves it (httptools calls the ``on_*``)."""

    def __init__(self, server: "HttpServer", sock: socket.socket, address):
        self.server, self.sock = server, sock
        self.remote_addr = address[0] if isinstance(address, tuple) else ""
        self.parser = httptools.HttpRequestParser(self)
        self.ready: list[tuple[HttpRequest, bool]] = []   # (request, keep the connection)
        self.busy = False
        self.deadline: float | None = None   # perf_counter time; None: no deadline
        self._new_message()

    # -- httptools callbacks ----------------------------------------------------------------
    def _new_message(self) -> None:
        self.url = b""
        self.header_list: list[tuple[bytes, bytes]] = []
        self.header_bytes = 0
        self.body: list[bytes] = []
        self.body_size = 0
        self.began: float | None = None
        self.headers_done = False

    def on_message_begin(self) -> None:
        self._new_message()
        self.began = time.perf_counter()

    def on_url(self, url: bytes) -> None:
        self.url += url
        self._count_header(len(url))

    def on_header(self, name: bytes, value: bytes) -> None:
        self.header_list.append((name, value))
        self._count_header(len(name) + len(value))

    def _count_header(self, size: int) -> None:
        self.header_bytes += size
        if self.header_bytes > MAX_HEADER_BYTES:
            raise _Refused(431, "request header fields too large")

    def on_headers_complete(self) -> None:
        self.headers_done = True
        length = self._declared_length()
        if length is not None and length > self.server.max_body_bytes:
            raise _Refused(413, "request entity too large")
        expect = next((v for k, v in self.header_list if k.lower() == b"expect"), None)
        if expect is not None and expect.lower() == b"100-continue":
            self.sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")

    def _declared_length(self) -> int | None:
        for name, value in self.header_list:
            if name.lower() == b"content-length":
                try:
                    return int(value)
                except ValueError:
                    raise _Refused(400, "bad Content-Length") from None
        return None

    def on_body(self, chunk: bytes) -> None:
        self.body_size += len(chunk)
        if self.body_size > self.server.max_body_bytes:
            raise _Refused(413, "request entity too large")
        if self.body_size <= self.server.keep_body_bytes:
            self.body.append(chunk)
        elif self.body:   # too long to be answered but with a refusal: counted, not kept
            self.body = []

    def on_message_complete(self) -> None:
        headers: dict[str, str] = {}
        for name, value in self.header_list:
            key = name.decode("latin-1").lower()
            text = value.decode("latin-1")
            headers[key] = f"{headers[key]}, {text}" if key in headers else text
        url = httptools.parse_url(self.url) if self.url else None
        path = unquote(url.path.decode("latin-1")) if url is not None and url.path else "/"
        query = url.query.decode("latin-1") if url is not None and url.query else ""
        kept = self.body_size <= self.server.keep_body_bytes
        self.ready.append((HttpRequest(
            self.parser.get_method().decode("ascii"), path, query, headers,
            b"".join(self.body) if kept else b"", self.remote_addr, self.server.address,
            "http", self.parser.get_http_version(), self.began or time.perf_counter(),
            -1 if kept else self.body_size), self.parser.should_keep_alive()))
        self._new_message()
        self.headers_done = True   # between requests: idle, not reading headers

    # -- the connection's thread --------------------------------------------------------------
    def run(self) -> None:
        try:
            self._serve()
        except OSError:
            pass   # the client went away, or the server is stopping
        except Exception:  # a bug here must not take the server down
            log.exception("connection from %s failed", self.remote_addr)
        finally:
            self.server._closed(self)
            try:
                self.sock.close()
            except OSError:
                pass

    def _serve(self) -> None:
        server, sock = self.server, self.sock
        self.headers_done = True
        while not server.stopping:
            # The socket blocks without a time-out (a socket with one costs two trips through
            # the GIL per read, which halves throughput when connections contend for it): the
            # server's watchdog shuts a connection down once its deadline has passed.
            self.deadline = self._deadline()
            data = sock.recv(_RECV_BYTES)
            if not data:
                return
            try:
                self.parser.feed_data(data)
            except (httptools.HttpParserError, httptools.HttpParserUpgrade, _Refused) as error:
                # the requests complete before the error are answered first; bytes after
                # one that closes the connection are no error, only never read
                if not self._answer_ready():
                    return
                refused = error if isinstance(error, _Refused) else error.__context__
                answer = refused.answer if isinstance(refused, _Refused) else \
                    Answer.of(400, b"bad request\n", "text/plain")
                self._send(answer, "GET", keep_alive=False)
                return
            if not self._answer_ready():
                return

    def _answer_ready(self) -> bool:
        """Answer the complete requests in order; False once the connection must close."""
        while self.ready:
            request, keep_alive = self.ready.pop(0)
            if not self._answer(request, keep_alive and not self.server.stopping):
                return False
        return True

    def _deadline(self) -> float:
        """When a read must have returned: the idle time-out between requests and inside a
        body; while a request's headers are coming in, also their deadline, however slowly
        they trickle."""
        server = self.server
        now = time.perf_counter()
        if self.headers_done or self.began is None:
            return now + server.idle_timeout
        return min(now + server.idle_timeout, self.began + server.header_timeout)

    def _answer(self, request: HttpRequest, keep_alive: bool) -> bool:
        """Run one request and write its answer; False when the connection must close."""
        self.busy, self.deadline = True, None   # a running request has no deadline here
        try:
            try:
                answer = self.server.handler(request)
            except Exception:
                log.exception("%s %s failed", request.method, request.path)
                answer = Answer.of(500, b"internal server error\n", "text/plain")
            return self._send(answer, request.method, keep_alive)
        finally:
            self.busy = False

    def _send(self, answer: Answer, method: str, keep_alive: bool) -> bool:
        sock = self.sock
        if answer.drop:
            if answer.reset:   # closed by ``run`` as the connection ends
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_NOT)
            else:
                _shut(sock)
            return False
        body = answer.body
        keep_alive = keep_alive and answer.cut is None
        lines = [f"HTTP/1.1 {answer.status} {answer.reason or reason_of(answer.status)}",
                 f"Server: {self.server.ident}", f"Date: {_http_date()}",
                 f"Content-Length: {len(body)}"]
        lines.extend(f"{name}: {value}" for name, value in answer.headers)
        if not keep_alive:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        if method == "HEAD":
            body = b""
        elif answer.cut is not None:
            body = body[:answer.cut]
        self.deadline = time.perf_counter() + self.server.idle_timeout   # a client not reading
        sock.sendall(head + body if len(body) < 65_536 else head)
        if len(body) >= 65_536:
            sock.sendall(body)
        if answer.cut is not None:
            _shut(sock)
        return keep_alive


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class HttpServer:
    """Listens on ``host:port`` (0: a free port) and serves each connection on its own thread.

    At most ``max_connections`` are open at once; further ones wait in the listen backlog. A
    connection that sends nothing for ``idle_timeout`` seconds between requests (or inside a
    body), or takes longer than ``header_timeout`` to send a request's headers, is closed.
    Bodies over ``max_body_bytes`` get 413 and are not read; bodies over ``keep_body_bytes``
    are read but not kept (the application sees their size, to refuse them)."""

    def __init__(self, handler: Handler, *, host: str = "127.0.0.1", port: int = 0,
                 max_connections: int = 1024, idle_timeout: float = 60.0,
                 header_timeout: float = 30.0, max_body_bytes: int = 200 * 1024 * 1024,
                 keep_body_bytes: int | None = None, ident: str = "netsuite-mock",
                 backlog: int = 1024):
        self.handler = handler
        self.max_connections, self.max_body_bytes = max_connections, max_body_bytes
        self.keep_body_bytes = max_body_bytes if keep_body_bytes is None else keep_body_bytes
        self.idle_timeout, self.header_timeout = idle_timeout, header_timeout
        self.ident = ident
        self.stopping = False
        self._listener = _listen(host, port, backlog)
        self.address = self._listener.getsockname()[:2]
        self._slots = threading.BoundedSemaphore(max_connections)
        self._connections: set[_Connection] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def effective_host(self) -> str:
        return self.address[0]

    @property
    def effective_port(self) -> int:
        return self.address[1]

    def serve_forever(self) -> None:
        threading.Thread(target=self._watch, name="netsuite-mock-watchdog", daemon=True).start()
        listener = self._listener
        listener.settimeout(0.25)   # to notice ``stop``
        while not self.stopping:
            if not self._slots.acquire(timeout=0.25):
                continue
            try:
                sock, address = listener.accept()
            except socket.timeout:
                self._slots.release()
                continue
            except OSError as error:
                self._slots.release()
                if self.stopping:
                    break
                log.warning("cannot accept a connection: %s", error)
                time.sleep(0.05)   # out of descriptors: let connections close
                continue
            sock.settimeout(None)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            connection = _Connection(self, sock, address)
            with self._lock:
                self._connections.add(connection)
            try:
                threading.Thread(target=connection.run, name="netsuite-mock-connection",
                                 daemon=True).start()
            except RuntimeError:   # no thread to be had: the client is turned away
                self._closed(connection)
                sock.close()

    def _watch(self) -> None:
        """Shut down every connection whose read or write is past its deadline (idle, slow
        headers, a stalled body, a client that does not read its answer)."""
        while not self.stopping:
            time.sleep(WATCH_INTERVAL)
            now = time.perf_counter()
            with self._lock:
                late = [c for c in self._connections
                        if c.deadline is not None and c.deadline < now]
            for connection in late:
                _shut(connection.sock)

    def start(self) -> "HttpServer":
        self._thread = threading.Thread(target=self.serve_forever, name="netsuite-mock",
                                        daemon=True)
        self._thread.start()
        return self

    def _closed(self, connection: _Connection) -> None:
        with self._lock:
            if connection not in self._connections:
                return
            self._connections.discard(connection)
        self._slots.release()

    def open_connections(self) -> int:
        with self._lock:
            return len(self._connections)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop accepting, let running requests finish (up to ``timeout``), close the rest."""
        self.stopping = True
        deadline = time.monotonic() + timeout
        if self._thread is not None:
            self._thread.join(timeout=1.0)
        try:
            self._listener.close()
        except OSError:
            pass
        while time.monotonic() < deadline:
            with self._lock:
                if not any(c.busy for c in self._connections):
                    break
            time.sleep(0.01)
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            _shut(connection.sock)

    close = stop

    def run(self) -> None:
        self.serve_forever()


def _listen(host: str, port: int, backlog: int) -> socket.socket:
    """A listening socket for ``host`` (a name, an IPv4 or IPv6 address; "" is every IPv4
    interface)."""
    infos = socket.getaddrinfo(host or "0.0.0.0", port, type=socket.SOCK_STREAM,
                               flags=socket.AI_PASSIVE)
    family, kind, proto, _name, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        if sys.platform != "win32":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(backlog)
    except OSError:
        sock.close()
        raise
    return sock
