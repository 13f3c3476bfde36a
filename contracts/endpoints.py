"""The endpoints contract tools talk to: a netsuite-mock (with its admin API) or NetSuite.

An ``Endpoint`` is a client's settings and secrets (``suitetalk.config``, the files users keep)
plus, when the endpoint is a netsuite-mock, its admin API: to seed it, reset it and give it
fault rules. ``endpoint_for(url)`` works out which from the URL.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass

import requests
import urllib3

from suitetalk.config import ConfigError, NetSuiteSecrets, NetSuiteSettings

NETSUITE_WSDL = "https://webservices.netsuite.com/wsdl/v2024_1_0/netsuite.wsdl"
WSDL_PATH = "/wsdl/v2024_1_0/netsuite.wsdl"
SERVICE_PATH = "/services/NetSuitePort_2024_1"
SOAP_TIMEOUT = 120          # seconds to connect, and between bytes of an answer


@dataclass
class Endpoint:
    settings: NetSuiteSettings
    secrets: NetSuiteSecrets
    admin: object | None = None       # mockserver.admin_client.MockAdmin for a netsuite-mock

    @property
    def service_url(self) -> str:
        return self.settings.service_url

    @property
    def wsdl_url(self) -> str:
        return self.settings.wsdl_url

    @property
    def is_mock(self) -> bool:
        return self.admin is not None

    @functools.cached_property
    def soap(self) -> "SoapSender":
        """What the contract tools send SOAP requests with (one keep-alive connection)."""
        return SoapSender(self.service_url)

    def client(self, **options):
        """A ``NetSuiteClient`` for this endpoint."""
        from client.netsuite_client import NetSuiteClient
        return NetSuiteClient(self.settings, self.secrets, **options)


class SoapSender:
    """POSTs to one endpoint over one keep-alive connection, with urllib3 (what requests is
    built on): a connection per request, and requests' own work per request (cookies, hooks,
    adapters), each cost as much as the mock's answer. Proxy and CA bundle settings are the
    environment's, read once as requests reads them (``HTTPS_PROXY``, ``NO_PROXY``,
    ``REQUESTS_CA_BUNDLE``…)."""

    def __init__(self, url: str, *, timeout: float = SOAP_TIMEOUT):
        found = requests.Session().merge_environment_settings(url, {}, None, None, None)
        proxy = requests.utils.select_proxy(url, found["proxies"])
        options: dict = {"maxsize": 1, "retries": False, "timeout": urllib3.Timeout(
            connect=timeout, read=timeout)}
        if url.lower().startswith("https:"):
            bundle = found["verify"] if isinstance(found["verify"], str) \
                else requests.utils.DEFAULT_CA_BUNDLE_PATH
            options["cert_reqs"] = "CERT_REQUIRED"
            options["ca_cert_dir" if os.path.isdir(bundle) else "ca_certs"] = bundle
        self._pool = urllib3.ProxyManager(proxy, **options) if proxy else \
            urllib3.PoolManager(**options)

    def post(self, url: str, body: bytes, headers: dict) -> tuple[int, bytes]:
        """The answer's HTTP status and body; ``SendError`` when there is none."""
        try:
            response = self._pool.urlopen("POST", url, body=body, headers=headers,
                                          redirect=False)
        except urllib3.exceptions.HTTPError as error:
            raise SendError(str(error)) from None
        return response.status, response.data


class SendError(OSError):
    """No answer: the connection failed, timed out or was cut."""


def mock_endpoint(server, admin_token: str | None = None) -> Endpoint:
    """The endpoint of a running ``MockServer`` (its own account and credentials)."""
    from mockserver.admin_client import MockAdmin
    from mockserver.config import client_credentials
    settings, secrets = client_credentials(server.settings, server.backend, server.url)
    return Endpoint(settings, secrets, MockAdmin(server.url, token=admin_token or None))


def endpoint_for(url: str, *, settings_path: str | None = None,
                 secrets_path: str | None = None, admin_token: str | None = None) -> Endpoint:
    """An endpoint from a URL: a netsuite-mock's base URL (``http://127.0.0.1:8080``), or a
    service URL (``https://1234567-sb1.suitetalk.api.netsuite.com/services/NetSuitePort_2024_1``).

    Account and secrets come from the files or ``NETSUITE_*`` variables; a netsuite-mock without
    them is assumed to use its default credentials."""
    from mockserver.admin_client import MockAdmin
    from mockserver.config import MockSettings
    url = url.rstrip("/")
    base = url.partition("/services/")[0]
    service_url = url if "/services/" in url else base + SERVICE_PATH
    admin = None
    try:
        health = requests.get(base + "/__admin/health", timeout=10, headers=(
            {"Authorization": f"Bearer {admin_token}"} if admin_token else {}))
        if health.status_code == 200 and "accounts" in health.json():
            admin = MockAdmin(base, token=admin_token)
    except (requests.RequestException, ValueError):
        pass
    given = settings_path or secrets_path or os.environ.get("NETSUITE_CONSUMER_KEY")
    if given:
        settings = NetSuiteSettings.load(settings_path)
        secrets = NetSuiteSecrets.load(secrets_path)
    elif admin is not None:
        defaults = MockSettings()
        settings = NetSuiteSettings(account=defaults.account,
                                    concurrency_limit=defaults.concurrency_limit)
        secrets = NetSuiteSecrets(defaults.consumer_key, defaults.consumer_secret,
                                  defaults.token_id, defaults.token_secret)
    else:
        raise ConfigError(f"{url} is not a netsuite-mock (no admin API): give its account and "
                          f"secrets with settings and secrets files (or NETSUITE_* variables)")
    settings.service_url = service_url
    if admin is not None or not settings.wsdl_url:
        settings.wsdl_url = base + WSDL_PATH if admin is not None else NETSUITE_WSDL
    return Endpoint(settings, secrets, admin)
