"""The mock's settings and where they come from.

Later sources override earlier ones: built-in defaults, then the user's NetSuite settings and
secrets files (``--settings``, ``--secrets``), then a TOML scenario file (``--config``), then
``NETSUITE_MOCK_*`` environment variables, then command-line flags.

A scenario file holds the scalar options (top level or under ``[server]``) and, optionally,
``[[accounts]]`` (with their roles, integrations and tokens), ``[latency]`` and ``[[rules]]``;
see docs/scenarios.md. Without ``[[accounts]]`` the mock has one account built from the
``account``/``consumer_key``/… options, whose token has the Administrator role.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields

from mockserver.domain.governance import DEFAULT_LIMIT, MAX_REQUEST_BYTES
from mockserver.domain.latency import REQUEST_TIMEOUT_SECONDS
from mockserver.wire.envelope import DEFAULT_HOSTNAME
from suitetalk.config import SERVICE_BINDING_NAME, ConfigError, NetSuiteSecrets, NetSuiteSettings

ENV_PREFIX = "NETSUITE_MOCK_"
MODES = ("mock", "proxy-unmatched")
SPARE_CONNECTIONS = 1000     # open connections accepted beyond the accounts' limits
IDLE_TIMEOUT_SECONDS = 60.0  # a connection with no request and no traffic is closed after this
HEADER_TIMEOUT_SECONDS = 10.0  # a request's headers must have arrived within this


@dataclass
class MockSettings:
    host: str = "127.0.0.1"
    port: int = 8080
    account: str = "1234567_SB1"
    consumer_key: str = "mock-consumer-key-0001"
    consumer_secret: str = "mock-consumer-secret-0001"
    token_id: str = "mock-token-id-0001"
    token_secret: str = "mock-token-secret-0001"
    concurrency_limit: int = DEFAULT_LIMIT
    latency_ms: float = 0.0
    seed: str = "demo"
    threads: int = 0          # no longer used: each connection has its own thread (a warning)
    connection_limit: int = 0  # 0: the accounts' limits plus SPARE_CONNECTIONS
    idle_timeout_s: float = IDLE_TIMEOUT_SECONDS
    header_timeout_s: float = HEADER_TIMEOUT_SECONDS
    hostname: str = DEFAULT_HOSTNAME
    log_level: str = "info"
    max_request_bytes: int = MAX_REQUEST_BYTES
    request_timeout_s: float = REQUEST_TIMEOUT_SECONDS
    async_job_s: float = 0.0  # how long an asynchronous job takes, on the mock's clock
    state: str = ""           # a SQLite file: keep the records across restarts
    clock: str = ""           # start the mock's business clock at this ISO time
    admin_token: str = ""     # require this bearer token for /__admin (else: loopback only)
    seed_value: int = 0       # default seed for random latency models and rules
    mode: str = "mock"        # proxy-unmatched: what the mock cannot answer goes to upstream
    upstream: str = ""        # the endpoint of proxy-unmatched (a sandbox, another mock)
    accounts: list = field(default_factory=list)   # [[accounts]] tables of a scenario file
    latency: dict = field(default_factory=dict)    # [latency] table
    rules: list = field(default_factory=list)      # [[rules]] tables
    sources: list[str] = field(default_factory=list, repr=False)
    given: dict[str, str] = field(default_factory=dict, repr=False)  # option -> its source

    def open_connections(self) -> int:
        """How many connections the mock holds open at once, each served by its own thread:
        every account's limit in flight, and a thousand more for idle keep-alive, slow and
        refused ones and the WSDL and admin API; beyond it new ones wait in the listen
        backlog."""
        if self.connection_limit:
            return self.connection_limit
        return sum(self._account_limits()) + SPARE_CONNECTIONS

    def _account_limits(self) -> list[int]:
        if self.accounts:
            from mockserver.domain.accounts import account_limit  # only a scenario needs it
            return [account_limit(spec) for spec in self.accounts]
        return [self.concurrency_limit]

    def validate(self) -> "MockSettings":
        if not 0 <= self.port <= 65535:
            raise ConfigError(f"port must be between 0 and 65535, not {self.port}")
        if self.concurrency_limit < 1:
            raise ConfigError("concurrency limit must be at least 1")
        if self.latency_ms < 0:
            raise ConfigError("latency must not be negative")
        if self.threads < 0:
            raise ConfigError("threads must not be negative")
        if self.request_timeout_s <= 0:
            raise ConfigError("request timeout must be positive")
        if self.connection_limit < 0:
            raise ConfigError("connection limit must not be negative")
        for name in ("idle_timeout_s", "header_timeout_s"):
            if not 0 < getattr(self, name) < float("inf"):
                raise ConfigError(f"{name[:-2].replace('_', ' ')} must be a positive number of "
                                  f"seconds, not {getattr(self, name):g}")
        if not 0 <= self.async_job_s < float("inf"):
            raise ConfigError(f"async job time must be a number of seconds, 0 or more, not "
                              f"{self.async_job_s:g}")
        if self.mode not in MODES:
            raise ConfigError(f"mode must be one of {', '.join(MODES)}, not {self.mode!r}")
        if self.mode == "proxy-unmatched":
            if not self.upstream:
                raise ConfigError("mode proxy-unmatched needs an upstream (--upstream URL)")
            from mockserver.wire.forward import upstream_base  # requests: only when proxying
            try:
                upstream_base(self.upstream)
            except ValueError as error:
                raise ConfigError(str(error)) from None
        for name in ("account", "consumer_key", "consumer_secret", "token_id", "token_secret"):
            if not getattr(self, name):
                raise ConfigError(f"{name} must not be empty")
        return self


def with_default_seed(spec, seed: int):
    """A latency model's or rule's table, seeded with ``seed_value`` unless it has its own."""
    return {**spec, "seed": seed} if isinstance(spec, dict) and "seed" not in spec else spec


_TYPES = {f.name: f.type for f in fields(MockSettings)}
_STRUCTURED = {"accounts": list, "latency": dict, "rules": list}


def _convert(name: str, value, source: str):
    kind = _TYPES[name]
    if name in _STRUCTURED:
        if not isinstance(value, _STRUCTURED[name]):
            raise ConfigError(f"{source}: {name} must be a "
                              f"{'list of tables' if _STRUCTURED[name] is list else 'table'}")
        return value
    try:
        if kind == "int":
            if isinstance(value, bool):
                raise ValueError
            return int(value)
        if kind == "float":
            return float(value)
        return str(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{source}: {name} must be a number, not {value!r}") from None


def apply(settings: MockSettings, values: dict, source: str) -> None:
    known = {f.name for f in fields(MockSettings)} - {"sources", "given"}
    for key, value in values.items():
        name = key.replace("-", "_")
        if name not in known:
            raise ConfigError(f"{source}: unknown setting {key!r} "
                              f"(known: {', '.join(sorted(known))})")
        setattr(settings, name, _convert(name, value, source))
        settings.given[name] = source
    if values:
        settings.sources.append(source)


def load_settings(*, settings_file: str | None = None, secrets_file: str | None = None,
                  config_file: str | None = None, environ: dict | None = None,
                  flags: dict | None = None) -> MockSettings:
    settings = MockSettings()
    if settings_file:
        ns = NetSuiteSettings.from_file(settings_file)
        apply(settings, {"account": ns.account, "concurrency_limit": ns.concurrency_limit},
              settings_file)
    if secrets_file:
        secrets = NetSuiteSecrets.from_file(secrets_file)
        apply(settings, {"consumer_key": secrets.consumer_key,
                         "consumer_secret": secrets.consumer_secret,
                         "token_id": secrets.token_key, "token_secret": secrets.token_secret},
              secrets_file)
    if config_file:
        apply(settings, _read_toml(config_file), config_file)
    environ = os.environ if environ is None else environ
    from_env = {k[len(ENV_PREFIX):].lower(): v for k, v in environ.items()
                if k.startswith(ENV_PREFIX)}
    apply(settings, from_env, "environment")
    apply(settings, {k: v for k, v in (flags or {}).items() if v is not None}, "command line")
    _refuse_default_account_options(settings)
    return settings.validate()


# The options that describe the one account the mock has without [[accounts]], and where a
# scenario with [[accounts]] sets the same thing instead.
DEFAULT_ACCOUNT_OPTIONS = {
    "account": "id in [[accounts]]",
    "concurrency_limit": "concurrency_limit (or service_tier) in [[accounts]]",
    "consumer_key": "consumer_key in [[accounts.integrations]]",
    "consumer_secret": "consumer_secret in [[accounts.integrations]]",
    "token_id": "token_id in [[accounts.tokens]]",
    "token_secret": "token_secret in [[accounts.tokens]]",
}


def _origin(name: str, source: str) -> str:
    """How the user wrote an option: the flag, the variable, or the key in a file."""
    if source == "command line":
        return "--" + name.replace("_", "-")
    if source == "environment":
        return ENV_PREFIX + name.upper()
    return f"{name} from {source}"


def _refuse_default_account_options(settings: MockSettings) -> None:
    """Options for the default account would change nothing once a scenario defines its
    accounts; rather than ignore them silently, say where the scenario sets them."""
    if not settings.accounts:
        return
    clashing = [name for name in DEFAULT_ACCOUNT_OPTIONS if name in settings.given]
    if clashing:
        origins = ", ".join(_origin(name, settings.given[name]) for name in clashing)
        where = "; ".join(DEFAULT_ACCOUNT_OPTIONS[name] for name in clashing)
        raise ConfigError(f"{settings.given['accounts']} defines its own [[accounts]], so "
                          f"{origins} would change nothing; set {where} instead")


def _read_toml(path: str) -> dict:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    if isinstance(data.get("server"), dict):
        data = {**{k: v for k, v in data.items() if k != "server"}, **data["server"]}
    return data


def client_settings(settings: MockSettings, base_url: str, *, account: str | None = None,
                    concurrency_limit: int | None = None) -> dict:
    """What a client pastes into its settings file to talk to this mock (by default, as the
    default account)."""
    return {"netsuite_settings": {
        "account": account or settings.account,
        "concurrency_limit": concurrency_limit or settings.concurrency_limit,
        "wsdl_url": f"{base_url}/wsdl/v2024_1_0/netsuite.wsdl",
        "service_url": f"{base_url}/services/NetSuitePort_2024_1",
        "service_binding_name": SERVICE_BINDING_NAME,
    }}


SECRET_FIELDS = {"consumer_key": "consumer_key", "consumer_secret": "consumer_secret",
                 "token_key": "token_id", "token_secret": "token_secret"}


def client_secrets(settings: MockSettings) -> dict:
    """The secrets file a client needs for the default account; secrets the user supplied are
    shown masked, because they may be real and the banner ends up in CI logs."""
    defaults = MockSettings()
    out = {}
    for name, field_name in SECRET_FIELDS.items():
        value = getattr(settings, field_name)
        out[name] = value if value == getattr(defaults, field_name) else (
            f"{value[:4]}… (as you configured it)" if len(value) > 8 else "… (as you configured it)")
    return out


@dataclass
class ClientConfiguration:
    """One client's ready-to-paste settings and secrets, and a line saying whose they are."""

    label: str
    settings: dict
    secrets: dict


def client_configurations(settings: MockSettings, backend, base_url: str
                          ) -> list[ClientConfiguration]:
    """A configuration per access token the running mock has.

    Without [[accounts]] that is the default account's one token (secrets masked as
    ``client_secrets`` masks them). A scenario's tokens are shown in full: they come from a
    file committed beside a test, and a client needs them as they are. Each configuration's
    ``concurrency_limit`` is what its integration may use: its own limit, or the account's
    unallocated slots."""
    if not settings.accounts:
        account = backend.default_account
        return [ClientConfiguration(
            f"account {account.account_id}, concurrency limit {account.concurrency_limit}",
            client_settings(settings, base_url), client_secrets(settings))]
    out = []
    for account in backend.accounts.values():
        for token in account.tokens.values():
            integration = account.integrations[token.consumer_key]
            limit, own = account.gate.limit_of(integration.name)
            notes = [f"user {token.user}", f"role {token.role}",
                     f"{'its own' if own else 'shared'} concurrency limit {limit} of "
                     f"{account.concurrency_limit}"]
            if token.revoked:
                notes.append("REVOKED: its logins fail")
            if not integration.enabled:
                notes.append("integration BLOCKED: its logins fail")
            if not account.tba_enabled:
                notes.append("token-based authentication OFF for the account: logins fail")
            out.append(ClientConfiguration(
                f"account {account.account_id}, integration {integration.name!r}, "
                f"token {token.token_id} ({', '.join(notes)})",
                client_settings(settings, base_url, account=account.account_id,
                                concurrency_limit=limit),
                {"consumer_key": integration.consumer_key,
                 "consumer_secret": integration.consumer_secret,
                 "token_key": token.token_id, "token_secret": token.token_secret}))
    return out


def client_credentials(settings: MockSettings, backend, base_url: str
                       ) -> tuple[NetSuiteSettings, NetSuiteSecrets]:
    """The settings and secrets a client in the same process uses to reach a running mock:
    the first token's (of the default account without [[accounts]]), unmasked: unlike the
    banner, they go nowhere but to the caller."""
    if settings.accounts:
        configuration = client_configurations(settings, backend, base_url)[0]
        return (NetSuiteSettings.from_dict(configuration.settings),
                NetSuiteSecrets.from_dict(configuration.secrets))
    return (NetSuiteSettings.from_dict(client_settings(settings, base_url)),
            NetSuiteSecrets(settings.consumer_key, settings.consumer_secret, settings.token_id,
                            settings.token_secret))
