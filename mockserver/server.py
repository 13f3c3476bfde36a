"""Building and running a mock: backend + application + HTTP server, in the foreground or a
thread.

``MockServer`` is what the CLI runs and what tests start on a free port::

    with MockServer(MockSettings(port=0, seed="demo")) as mock:
        client = zeep.Client(mock.wsdl_url)
"""

from __future__ import annotations

import ipaddress
import logging
import threading
from pathlib import Path

from mockserver.config import MockSettings, with_default_seed
from mockserver.domain.errors import ConfigurationError
from mockserver.wire.http import MockApplication, StartingApplication, answer_of
from mockserver.wire.httpserver import HttpServer

# The backend, the admin API and Spyne are imported where they are built (``build_backend``,
# ``build_app``), so a starting mock can serve its WSDL before they are loaded.

log = logging.getLogger("netsuite_mock")


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
    """The mock's application (a ``MockApplication``, behind ``ProxyUnmatched`` in mode
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
        if self.settings.threads:
            log.warning("--threads is no longer used: every connection has its own thread")
        app = self.app
        self._server = HttpServer(lambda request: answer_of(app, request),
                                  host=self.settings.host, port=self.settings.port,
                                  max_connections=self.settings.open_connections(),
                                  idle_timeout=self.settings.idle_timeout_s,
                                  header_timeout=self.settings.header_timeout_s,
                                  # bodies up to twice NetSuite's limit get its SOAP fault;
                                  # beyond that the server stops reading (HTTP 413)
                                  max_body_bytes=max(2 * self.settings.max_request_bytes,
                                                     self.settings.max_request_bytes + 65536),
                                  keep_body_bytes=self.settings.max_request_bytes)
        # a thread and a socket per connection
        _allow_open_files(self.settings.open_connections())
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
        self._server.serve_forever()

    def wait(self) -> None:
        """Until the server started by ``start()`` stops (Ctrl-C interrupts)."""
        while self._thread is not None and self._thread.is_alive():
            self._thread.join(timeout=1.0)

    def start(self) -> "MockServer":
        self._start_building()
        self._server.start()
        self._thread = self._server._thread
        return self

    def stop(self) -> None:
        """Stop accepting, let running requests finish (up to 5 s), then close every
        connection and give up the ``--state`` files."""
        built = self.app.app if isinstance(self.app, StartingApplication) else self.app
        backend = getattr(built, "backend", None)  # None: not built yet, or not a mock
        try:
            self._server.stop(timeout=5)
        finally:
            if backend is not None:
                backend.verifier.save_nonces(force=True)  # with --state, the last second's
                for account in backend.accounts.values():  # the next mock may own them
                    getattr(account.store, "close", lambda: None)()

    def __enter__(self) -> "MockServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
