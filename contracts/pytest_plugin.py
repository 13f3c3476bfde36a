"""The pytest plugin (entry point ``pytest11``, active wherever netsuite-mock is installed).

Fixtures:

- ``netsuite_mock``: a netsuite-mock on a free port (one per session), reset to the demo data
  with no fault rules and the real clock before each test; ``.add_rule({...})``, ``.admin``
  (``MockAdmin``), ``.url``;
- ``netsuite_settings`` / ``netsuite_secrets``: the ``suitetalk.config`` settings and secrets for
  the target: the mock, or ``--netsuite-target=URL`` with ``--netsuite-settings`` /
  ``--netsuite-secrets`` (or ``NETSUITE_*`` variables);
- ``netsuite_client``: a ``NetSuiteClient`` for the target;
- ``netsuite_cassette``: the vcrpy cassette of a test marked ``@pytest.mark.netsuite_cassette``.

A test marked ``@pytest.mark.netsuite_cassette`` (optionally with a path, relative to the test
file, and ``scrub_fields``) runs inside a cassette (``contracts.cassette.use_cassette``):
SOAP requests are matched and replayed, or recorded, as ``--netsuite-record-mode`` says
(``none``: replay only, the default; ``once``; ``new_episodes``; ``all``). The default path is
``cassettes/<module>/<test>.yaml`` beside the test file.

    @pytest.mark.netsuite_cassette
    def test_vendor(netsuite_client):
        assert netsuite_client.call("get", {...}).record.companyName == "Acme"

Record its cassette first (``pytest --netsuite-record-mode=once``), then plain ``pytest``
replays it; without the cassette the default mode fails, saying so. ``netsuite_client`` does
not retry (fixture ``netsuite_retry_policy``): give fault rules ``times``.

Record against a sandbox once, replay in CI against the mock (only its WSDL is used)::

    pytest --netsuite-target=https://1234567-sb1.suitetalk.api.netsuite.com/services/NetSuitePort_2024_1 \\
        --netsuite-settings settings.json --netsuite-secrets secrets.json --netsuite-record-mode=once
    pytest   # replays
"""

from __future__ import annotations

from pathlib import Path

import pytest

MARKER = "netsuite_cassette"


def pytest_addoption(parser) -> None:
    group = parser.getgroup("netsuite", "NetSuite contract testing (netsuite-mock)")
    group.addoption("--netsuite-target", default="mock", metavar="mock|URL",
                    help="where netsuite_client sends requests: the mock (default), or a "
                         "NetSuite service URL (or a running netsuite-mock's base URL)")
    group.addoption("--netsuite-record-mode", default="none",
                    choices=("none", "once", "new_episodes", "all"),
                    help="cassette-backed tests: none replays only (default), once records a "
                         "missing cassette, new_episodes adds new requests, all re-records")
    group.addoption("--netsuite-settings", metavar="SETTINGS.json",
                    help="settings file for --netsuite-target=URL (default NETSUITE_* "
                         "variables)")
    group.addoption("--netsuite-secrets", metavar="SECRETS.json",
                    help="secrets file for --netsuite-target=URL (default NETSUITE_* "
                         "variables)")


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers", f"{MARKER}(path=None, *, scrub_fields=()): run the test inside a NetSuite "
                   f"cassette (replayed or recorded as --netsuite-record-mode says)")


class NetSuiteMock:
    """The running mock a test gets: its URLs, its admin API, fault rules."""

    def __init__(self, server):
        from contracts.endpoints import mock_endpoint
        self.server = server
        self.endpoint = mock_endpoint(server)
        self.admin = self.endpoint.admin

    url = property(lambda self: self.server.url)
    wsdl_url = property(lambda self: self.server.wsdl_url)
    service_url = property(lambda self: self.server.service_url)
    settings = property(lambda self: self.server.settings)

    def add_rule(self, rule: dict) -> dict:
        return self.admin.add_rule(rule)

    def reset(self, seed: str = "demo") -> None:
        self.admin.reset(seed, clear_rules=True)
        self.admin.reset_clock()


@pytest.fixture(scope="session")
def netsuite_mock_server():
    """The session's mock server (started on first use)."""
    from mockserver.config import MockSettings
    from mockserver.server import MockServer
    with MockServer(MockSettings(port=0, seed="demo", log_level="warning")) as server:
        yield server


@pytest.fixture
def netsuite_mock(netsuite_mock_server) -> NetSuiteMock:
    mock = NetSuiteMock(netsuite_mock_server)
    mock.reset()
    return mock


@pytest.fixture
def _netsuite_endpoint(request):
    target = request.config.getoption("--netsuite-target")
    if target == "mock":
        return request.getfixturevalue("netsuite_mock").endpoint
    from contracts.endpoints import endpoint_for
    return endpoint_for(target, settings_path=request.config.getoption("--netsuite-settings"),
                        secrets_path=request.config.getoption("--netsuite-secrets"))


@pytest.fixture
def netsuite_settings(_netsuite_endpoint):
    """The target's ``suitetalk.config.NetSuiteSettings`` (account, URLs, concurrency limit)."""
    return _netsuite_endpoint.settings


@pytest.fixture
def netsuite_secrets(_netsuite_endpoint):
    """The target's ``suitetalk.config.NetSuiteSecrets``."""
    return _netsuite_endpoint.secrets


@pytest.fixture
def netsuite_retry_policy():
    """The ``netsuite_client``'s retries: none, so a test whose fault rule has no ``times``
    fails at once instead of backing off eight times (about 44 s). Override this fixture with
    a ``client.governance.RetryPolicy`` to test retries."""
    from client.governance import NO_RETRIES
    return NO_RETRIES


@pytest.fixture
def netsuite_client(netsuite_settings, netsuite_secrets, netsuite_cassette,
                    netsuite_retry_policy):
    """A ``NetSuiteClient`` for the target (inside the test's cassette, if it has one)."""
    from client.netsuite_client import NetSuiteClient
    with NetSuiteClient(netsuite_settings, netsuite_secrets,
                        retry=netsuite_retry_policy) as client:
        yield client


@pytest.fixture
def netsuite_cassette(request):
    """The vcrpy cassette of a ``netsuite_cassette`` test (None for other tests)."""
    marker = request.node.get_closest_marker(MARKER)
    if marker is None:
        yield None
        return
    from contracts.cassette import is_live, new_provenance, use_cassette
    from contracts.scrub import Scrubber
    settings = request.getfixturevalue("netsuite_settings")
    secrets = request.getfixturevalue("netsuite_secrets")
    fields = tuple(marker.kwargs.get("scrub_fields", ()))
    path = cassette_path(request, marker)
    mode = marker.kwargs.get("record_mode") or request.config.getoption("--netsuite-record-mode")
    provenance = new_provenance(target=Scrubber.for_client(settings, secrets).text(
        settings.service_url), live=is_live(settings.service_url), scrubbed_fields=fields,
        tool=f"pytest {request.node.nodeid}")
    with use_cassette(path, record_mode=mode, provenance=provenance,
                      scrubber=Scrubber.for_client(settings, secrets, fields)) as cassette:
        yield cassette


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A cassette test that met a request its cassette lacks says first how to record it with
    this plugin (vcrpy's own hints below it speak of its Python API)."""
    from vcr.errors import CannotOverwriteExistingCassetteException
    error = call.excinfo.value if call.excinfo is not None else None
    while error is not None and not isinstance(error, CannotOverwriteExistingCassetteException):
        error = error.__cause__ or error.__context__   # the client may wrap it
    if (error is not None
            and item.get_closest_marker(MARKER) is not None
            and not getattr(error, "_netsuite_hint", False)):
        mode = item.config.getoption("--netsuite-record-mode")
        hint = (f"Not in this test's cassette, and --netsuite-record-mode={mode} records nothing. "
                f"To record it: pytest --netsuite-record-mode=once (a missing cassette), "
                f"new_episodes (add requests) or all (re-record).")
        error.args = (f"{hint}\n\n{error.args[0] if error.args else ''}", *error.args[1:])
        error._netsuite_hint = True
    yield


@pytest.fixture(autouse=True)
def _netsuite_cassette_for_marked_tests(request):
    """Marked tests that talk to NetSuite without ``netsuite_client`` (zeep, netsuitesdk…)
    still run inside their cassette."""
    if request.node.get_closest_marker(MARKER) is not None:
        request.getfixturevalue("netsuite_cassette")
    yield


def cassette_path(request, marker) -> Path:
    given = marker.args[0] if marker.args else marker.kwargs.get("path")
    base = Path(str(request.node.path)).parent
    if given:
        return base / given
    module = Path(str(request.node.path)).stem
    name = request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
    return base / "cassettes" / module / f"{name}.yaml"
