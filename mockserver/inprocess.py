"""The mock inside your own process, as moto's ``mock_aws``: a context manager and a decorator,
for scripts, notebooks and test frameworks other than pytest (pytest has the ``netsuite_mock``
fixture of the netsuite-contracts plugin)::

    from mockserver import netsuite_mock

    with netsuite_mock(seed="demo") as ns:
        client = NetSuiteClient(ns.settings, ns.secrets)
        ...
        ns.admin.verify(operation="add", record_type="vendorBill")

    mock = netsuite_mock(seed="none", concurrency_limit=1)

    @mock                      # a fresh mock for every call of the function
    def check_import():
        ... mock.service_url ...

Each start is a new ``MockServer`` on a free port of 127.0.0.1 (unless ``port``/``host`` say otherwise), built from ``MockSettings``
options (``seed``, ``concurrency_limit``, ``latency_ms``, ``account``, ...) and an optional
scenario file; ``NETSUITE_MOCK_*`` variables are not read, so a test behaves the same in every
shell. ``env=True`` also sets the ``NETSUITE_*`` variables the client reads
(``NetSuiteSettings.load``, ``NetSuiteSecrets.load``) while the mock runs.
"""

from __future__ import annotations

import os
from contextlib import ContextDecorator

from mockserver.admin_client import MockAdmin
from mockserver.config import MockSettings, client_credentials, load_settings
from suitetalk.config import NetSuiteSecrets, NetSuiteSettings


class NetSuiteMock(ContextDecorator):
    """A mock started on entry and stopped on exit; its URLs, client settings and secrets and
    admin client are there while it runs."""

    def __init__(self, seed: str = "demo", *, scenario: str | None = None, env: bool = False,
                 **options):
        self.mock_settings: MockSettings = load_settings(
            config_file=scenario, environ={},
            flags={"log_level": "warning", "host": "127.0.0.1", "port": 0, **options,
                   "seed": seed})
        self.env = env
        self.server = None
        self._saved_env: dict[str, str | None] = {}

    # -- while running ---------------------------------------------------------------------
    def _running(self):
        if self.server is None:
            raise RuntimeError("the mock is not running: use it inside `with netsuite_mock(...)` "
                               "or a function it decorates")
        return self.server

    url = property(lambda self: self._running().url)
    wsdl_url = property(lambda self: self._running().wsdl_url)
    service_url = property(lambda self: self._running().service_url)
    admin_url = property(lambda self: self._running().url + "/__admin/")

    @property
    def settings(self) -> NetSuiteSettings:
        """What a client's settings file would hold to reach this mock."""
        self._running()
        return self._credentials[0]

    @property
    def secrets(self) -> NetSuiteSecrets:
        self._running()
        return self._credentials[1]

    @property
    def admin(self) -> MockAdmin:
        self._running()
        return self._admin

    # -- starting and stopping -------------------------------------------------------------
    def __enter__(self) -> "NetSuiteMock":
        from mockserver.server import MockServer
        if self.server is not None:
            raise RuntimeError("this mock is running already; make another netsuite_mock(...) "
                               "for a second one")
        server = MockServer(self.mock_settings).start()
        self.server = server
        self._credentials = client_credentials(self.mock_settings, server.backend, server.url)
        self._admin = MockAdmin(server.url, token=self.mock_settings.admin_token or None)
        if self.env:
            self._set_env()
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self.env:
                self._restore_env()
        finally:
            server, self.server = self.server, None
            if server is not None:
                server.stop()

    def _set_env(self) -> None:
        settings, secrets = self._credentials
        values = {**{var: str(getattr(settings, name))
                     for name, var in NetSuiteSettings.ENV.items()},
                  **{var: getattr(secrets, name) for name, var in NetSuiteSecrets.ENV.items()}}
        self._saved_env = {var: os.environ.get(var) for var in values}
        os.environ.update(values)

    def _restore_env(self) -> None:
        for var, value in self._saved_env.items():
            if value is None:
                os.environ.pop(var, None)
            else:
                os.environ[var] = value
        self._saved_env = {}


def netsuite_mock(seed: str = "demo", *, scenario: str | None = None, env: bool = False,
                  **options) -> NetSuiteMock:
    """A mock to run in this process: ``with netsuite_mock(...) as ns:`` or ``@netsuite_mock(...)``
    (see the module's docstring); ``options`` are ``MockSettings`` fields."""
    return NetSuiteMock(seed, scenario=scenario, env=env, **options)
