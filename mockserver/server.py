"""Building and running a mock: backend + WSGI app + waitress, in the foreground or a thread.

``MockServer`` is what the CLI runs and what tests start on a free port::

    with MockServer(MockSettings(port=0, seed="demo")) as mock:
        client = zeep.Client(mock.wsdl_url)
"""

from __future__ import annotations

import ipaddress
import logging
import math
import threading
import time
from pathlib import Path

from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, create_server

from mockserver.config import MockSettings, with_default_seed
from mockserver.domain.errors import ConfigurationError
from mockserver.wire.http import ConnectionDropped, MockApplication, StartingApplication

# The backend, the admin API and Spyne are imported where they are built (``build_backend``,
# ``build_app``), so a starting mock can serve its WSDL before they are loaded.

log = logging.getLogger("netsuite_mock")


class _QuietInjectedBreaks(logging.Filter):
    """Waitress logs every broken response as an error; the ones fault rules break on purpose
    are expected (they are in the journal), so keep them out of the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], ConnectionDropped))


logging.getLogger("waitress").addFilter(_QuietInjectedBreaks())


class _TimedChannel(HTTPChannel):
    """Waitress's connection, noting when the headers of the request it is reading began
    (``headers_since``, None when it is not reading headers), for ``_close_stalled``."""

    headers_since: float | None = None

    def received(self, data):
        if self.request is None and data:
            started = time.time()
        else:
            started = self.headers_since
        result = super().received(data)
        request = self.request
        self.headers_since = started if request is not None and not \
            request.headers_finished else None
        return result


def _close_stalled(server: BaseWSGIServer, idle_timeout: float, header_timeout: float,
                   now: float) -> None:
    """Waitress's maintenance, with float timeouts and a deadline for headers: a connection
    with no request running is closed when it has sent nothing for ``idle_timeout`` (an idle
    keep-alive connection, a stalled body) or when the headers it began to send have not all
    come within ``header_timeout``, however slowly they trickle in."""
    idle_cutoff, header_cutoff = now - idle_timeout, now - header_timeout
    for channel in list(server.active_channels.values()):
        if channel.requests or channel.will_close:
            continue
        since = getattr(channel, "headers_since", None)
        if channel.last_activity < idle_cutoff or (since is not None and since < header_cutoff):
            channel.will_close = True


def _guard_connections(server, settings: MockSettings) -> None:
    """Give each listening socket of ``server`` the timed channels and their maintenance,
    run every second (waitress runs it every ``cleanup_interval``)."""
    listeners = [server] if isinstance(server, BaseWSGIServer) else [
        s for s in server.map.values() if isinstance(s, BaseWSGIServer)]
    for listener in listeners:
        listener.channel_class = _TimedChannel
        listener.maintenance = lambda now, listener=listener: _close_stalled(
            listener, settings.idle_timeout_s, settings.header_timeout_s, now)


def _allow_open_files(count: int) -> None:
    """Raise the process's open-file limit towards ``count`` (as far as the hard limit lets
    it), so the connections the mock promises to hold can be accepted."""
    try:
        import resource
    except ImportError:  # Windows: no such limit
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = count + 256  # the state files, the log, the WSDL cache, ...
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError) as error:
            log.warning("cannot raise the open-file limit to %d: %s", target, error)


def _default_account(settings: MockSettings) -> dict:
    """The one account the flags describe: one integration, one Administrator token."""
    return {"id": settings.account, "concurrency_limit": settings.concurrency_limit,
            "integrations": [{"name": "netsuite-mock", "consumer_key": settings.consumer_key,
                              "consumer_secret": settings.consumer_secret}],
            "tokens": [{"token_id": settings.token_id, "token_secret": settings.token_secret,
                        "integration": "netsuite-mock", "role": "Administrator"}]}


def state_path(settings: MockSettings, index: int, account_id: str) -> Path:
    """The SQLite file of an account: ``--state`` itself for the first, siblings for others."""
    path = Path(settings.state)
    return path if index == 0 else path.with_name(f"{path.stem}.{account_id}{path.suffix}")


def build_backend(settings: MockSettings) -> "Backend":
    from mockserver.domain.accounts import parse_account
    from mockserver.domain.backend import Backend
    from mockserver.domain.durable import DurableRecordStore
    from mockserver.domain.latency import LatencyModel, LatencyPlan
    from mockserver.domain.search.saved import saved_searches_of
    from mockserver.domain.seed import load_seed, read_seed
    from mockserver.domain.values import parse_datetime
    from mockserver.wire.xpath import checked_xpath

    if settings.latency:
        latency = LatencyPlan.parse({op: with_default_seed(spec, settings.seed_value)
                                     for op, spec in settings.latency.items()})
    else:
        latency = LatencyPlan(LatencyModel.parse(settings.latency_ms))
    backend = Backend(latency=latency, request_timeout=settings.request_timeout_s,
                      async_job_seconds=settings.async_job_s)
    # A rule's XPath is checked as the rule is loaded, file rules included (lxml's, so the
    # wire layer's validator is handed to the domain here).
    backend.rules.xpath_validator = checked_xpath
    if settings.clock:
        try:
            backend.clock.set(parse_datetime(settings.clock))
        except ValueError:
            raise ConfigurationError(f"clock must be an ISO date-time, not {settings.clock!r}") \
                from None
    nonce_file = None
    for index, spec in enumerate(settings.accounts or [_default_account(settings)]):
        store = None
        if settings.state and isinstance(spec, dict):
            store = DurableRecordStore(state_path(settings, index, str(spec.get("id"))))
            if index == 0:  # the --state file itself also keeps the nonces seen lately
                nonce_file = store
        account = backend.add_account(parse_account(spec, store=store))
        account.seed = spec.get("seed", settings.seed)
        seed = read_seed(account.seed)
        if seed is not None:  # definitions, loaded on every start; records, into a new store
            account.saved_searches.replace(saved_searches_of(seed, f"seed {account.seed}"))
            if store is None or store.is_empty:
                load_seed(account.store, seed, backend.clock.now(),
                          source=f"seed {account.seed}")
    if len(backend.accounts) != len(settings.accounts or [None]):
        raise ConfigurationError("two accounts have the same id")
    if nonce_file is not None:  # it keeps token ids hashed; the accounts' tokens name them
        nonce_file.token_ids = lambda: [token_id for account in backend.accounts.values()
                                        for token_id in account.tokens]
        backend.verifier.keep_nonces_in(nonce_file)
    backend.rules.add_all([with_default_seed(rule, settings.seed_value)
                           for rule in settings.rules], numbered=True)
    return backend


def build_app(settings: MockSettings, backend: "Backend | None" = None):
    """The mock's WSGI application (a ``MockApplication``, behind ``ProxyUnmatched`` in mode
    proxy-unmatched)."""
    from mockserver.admin import AdminApi

    backend = backend or build_backend(settings)
    app = MockApplication(backend, hostname=settings.hostname, admin=AdminApi(backend, settings),
                          max_request_bytes=settings.max_request_bytes)
    if settings.mode == "proxy-unmatched":
        from mockserver.wire.forward import ProxyUnmatched, Upstream
        return ProxyUnmatched(app, Upstream(settings.upstream,
                                            timeout=settings.request_timeout_s))
    return app


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


class MockServer:
    """A mock listening on ``settings.host:settings.port`` (port 0 picks a free one).

    ``starting=True`` listens at once and builds the backend (seed included) and the Spyne
    application in the background: the WSDL is served meanwhile, other requests wait for the
    build, and ``ready()`` re-raises what stopped it (a bad seed). ``app`` serves another WSGI
    application the same way (``netsuite-mock replay``)."""

    def __init__(self, settings: MockSettings | None = None, *, starting: bool = False,
                 app=None, **overrides):
        self.settings = settings or MockSettings(**overrides)
        if app is not None:
            self.app = app
        elif starting:
            self.app = StartingApplication(lambda: build_app(self.settings))
        else:
            self.app = build_app(self.settings)
        self._server = create_server(self.app, host=self.settings.host, port=self.settings.port,
                                     threads=self.settings.worker_threads(),
                                     # bodies up to twice NetSuite's limit get its SOAP fault;
                                     # beyond that waitress stops reading (HTTP 413)
                                     max_request_body_size=max(
                                         2 * self.settings.max_request_bytes,
                                         self.settings.max_request_bytes + 65536),
                                     ident="netsuite-mock", clear_untrusted_proxy_headers=True,
                                     connection_limit=self.settings.open_connections(),
                                     channel_timeout=math.ceil(self.settings.idle_timeout_s),
                                     cleanup_interval=1,
                                     # select() cannot watch descriptors past 1023
                                     asyncore_use_poll=True)
        _guard_connections(self._server, self.settings)
        _allow_open_files(self.settings.open_connections() + 2 * self.settings.worker_threads())
        self._thread: threading.Thread | None = None
        self._building = False

    def ready(self, timeout: float | None = None, *, hurry: bool = True) -> MockApplication:
        """The built application (at once unless the mock is still starting; ``hurry=False``
        waits without starting the build before the first request)."""
        if isinstance(self.app, StartingApplication):
            return self.app.wait(timeout, hurry=hurry)
        return self.app

    @property
    def backend(self):
        """The mock's backend (None when the server serves something else, e.g. a replay)."""
        return getattr(self.ready(), "backend", None)

    def _start_building(self) -> None:
        if isinstance(self.app, StartingApplication) and not self._building:
            self._building = True
            self.app.start_building()

    @property
    def port(self) -> int:
        return self._server.effective_port

    @property
    def url(self) -> str:
        """A URL that reaches the mock from this machine (loopback when it listens on every
        interface); ``listen_url`` is where it listens."""
        host = self._server.effective_host
        host = "127.0.0.1" if host in ("0.0.0.0", "") else "::1" if host == "::" else host
        return f"http://{_url_host(host)}:{self.port}"

    @property
    def listen_url(self) -> str:
        return f"http://{_url_host(self._server.effective_host or '0.0.0.0')}:{self.port}"

    @property
    def beyond_loopback(self) -> bool:
        """Whether others than this machine may reach the mock (any address but loopback)."""
        host = self._server.effective_host
        if host == "localhost":
            return False
        try:
            return not ipaddress.ip_address(host).is_loopback
        except ValueError:   # a name, or every interface ("")
            return True

    @property
    def wsdl_url(self) -> str:
        return f"{self.url}/wsdl/v2024_1_0/netsuite.wsdl"

    @property
    def service_url(self) -> str:
        return f"{self.url}/services/NetSuitePort_2024_1"

    def serve_forever(self) -> None:
        self._start_building()
        self._server.run()

    def wait(self) -> None:
        """Until the server started by ``start()`` stops (Ctrl-C interrupts)."""
        while self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout=1.0)

    def start(self) -> "MockServer":
        self._start_building()
        self._thread = threading.Thread(target=self._server.run, name="netsuite-mock",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Finish running requests, then close every socket from inside the event loop (closing
        them from this thread would pull descriptors from under a running ``select``)."""
        self._server.task_dispatcher.shutdown(timeout=5)
        built = self.app.app if isinstance(self.app, StartingApplication) else self.app
        backend = getattr(built, "backend", None)  # None: not built yet, or not a mock
        if backend is not None:
            backend.verifier.save_nonces(force=True)  # with --state, the last second's nonces
        try:
            self._close_server()
        finally:
            if backend is not None:  # --state files are given up, for the next mock to own
                for account in backend.accounts.values():
                    getattr(account.store, "close", lambda: None)()

    def _close_server(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._server.close()
            return
        loop_map = self._server.map if hasattr(self._server, "map") else self._server._map

        def close_everything():
            for channel in list(loop_map.values()):
                channel.close()
        try:
            self._server.trigger.pull_trigger(close_everything)
        except OSError:  # the loop is already gone
            self._server.close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "MockServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
