"""The settings and secrets files integration teams already keep, and how to read them.

Both are JSON with ``//`` comments. Settings live under ``netsuite_settings`` (account,
concurrency_limit, wsdl_url, service_url, service_binding_name); secrets hold consumer_key,
consumer_secret, token_key (the token id) and token_secret. Environment variables
(``NETSUITE_ACCOUNT``, ``NETSUITE_CONSUMER_KEY``, …) fill in what a file lacks, or everything
when there is no file (``load``). The mock reads the same files with the same code, so a file
that works here works there.
"""

from __future__ import annotations

import difflib
import json
import logging
import os
from dataclasses import dataclass, fields
from pathlib import Path

log = logging.getLogger("netsuite_client")


class ConfigError(ValueError):
    """A configuration file or value the user has to fix; the message says what and where."""


def strip_json_comments(text: str) -> str:
    """Remove ``//`` line comments and ``/* */`` block comments outside strings."""
    out: list[str] = []
    i, n = 0, len(text)
    in_string = False
    while i < n:
        ch = text[i]
        if in_string:
            out.append(ch)
            if ch == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if ch == '"':
                in_string = False
            i += 1
        elif ch == '"':
            in_string = True
            out.append(ch)
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end == -1 else end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end == -1 else end + 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def read_text(path: str | os.PathLike) -> str:
    """A file's text, or a ``ConfigError`` saying why it cannot be read."""
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{p}: no such file") from None
    except OSError as error:
        raise ConfigError(f"{p}: cannot read ({error.strerror})") from None


def parse_jsonc(text: str, source: str):
    """JSON with comments, or a ``ConfigError`` naming ``source``, line and column."""
    try:
        return json.loads(strip_json_comments(text))
    except json.JSONDecodeError as error:
        raise ConfigError(f"{source}: invalid JSON at line {error.lineno}, column "
                          f"{error.colno}: {error.msg}") from None


def load_jsonc(path: str | os.PathLike) -> dict:
    """A JSON-with-comments file as a dict, or a ``ConfigError`` naming the file and line."""
    data = parse_jsonc(read_text(path), str(Path(path)))
    if not isinstance(data, dict):
        raise ConfigError(f"{Path(path)}: expected a JSON object at the top level")
    return data


def _warn_unknown_settings(block: dict, known: set[str], source: str) -> None:
    """A misspelt setting would silently fall back to its default (a concurrency limit of 1):
    say so, with the nearest known name."""
    for name in sorted(set(block) - known):
        near = difflib.get_close_matches(name, sorted(known), n=1)
        hint = f"; did you mean {near[0]}?" if near else f" (known: {', '.join(sorted(known))})"
        log.warning("%s: netsuite_settings.%s is not a setting netsuite-client uses%s",
                    source, name, hint)


# The binding of NetSuite's 2024_1 WSDL that clients create their service from.
SERVICE_BINDING_NAME = "{urn:platform_2024_1.webservices.netsuite.com}NetSuiteBinding"


@dataclass
class NetSuiteSettings:
    account: str
    concurrency_limit: int = 1
    wsdl_url: str = ""
    service_url: str = ""
    service_binding_name: str = SERVICE_BINDING_NAME

    @classmethod
    def from_dict(cls, data: dict, *, source: str = "settings") -> "NetSuiteSettings":
        block = data.get("netsuite_settings", data)
        if not isinstance(block, dict):
            raise ConfigError(f"{source}: netsuite_settings must be an object")
        known = {f.name for f in fields(cls)}
        if "netsuite_settings" in data:
            _warn_unknown_settings(block, known, source)
        values = {k: v for k, v in block.items() if k in known}
        if not values.get("account"):
            raise ConfigError(f"{source}: netsuite_settings.account is missing")
        if "concurrency_limit" in values:
            try:
                values["concurrency_limit"] = int(values["concurrency_limit"])
            except (TypeError, ValueError):
                raise ConfigError(f"{source}: concurrency_limit must be a whole number, "
                                  f"not {values['concurrency_limit']!r}") from None
            if values["concurrency_limit"] < 1:
                raise ConfigError(f"{source}: concurrency_limit must be at least 1")
        return cls(**values)

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> "NetSuiteSettings":
        return cls.from_dict(load_jsonc(path), source=str(path))

    ENV = {"account": "NETSUITE_ACCOUNT", "concurrency_limit": "NETSUITE_CONCURRENCY_LIMIT",
           "wsdl_url": "NETSUITE_WSDL_URL", "service_url": "NETSUITE_SERVICE_URL",
           "service_binding_name": "NETSUITE_SERVICE_BINDING_NAME"}

    @classmethod
    def load(cls, path: str | os.PathLike | None = None,
             environ: dict | None = None) -> "NetSuiteSettings":
        """From a settings file (if given), with ``NETSUITE_*`` variables filling the gaps."""
        block = {}
        source = "environment (" + ", ".join(cls.ENV.values()) + ")"
        if path is not None:
            data = load_jsonc(path)
            block = data.get("netsuite_settings", data)
            if not isinstance(block, dict):
                raise ConfigError(f"{path}: netsuite_settings must be an object")
            source = str(path)
            if "netsuite_settings" in data:
                _warn_unknown_settings(block, {f.name for f in fields(cls)}, source)
        return cls.from_dict(_fill_from_env(block, cls.ENV, environ), source=source)


@dataclass
class NetSuiteSecrets:
    consumer_key: str
    consumer_secret: str
    token_key: str
    token_secret: str

    ENV = {"consumer_key": "NETSUITE_CONSUMER_KEY", "consumer_secret": "NETSUITE_CONSUMER_SECRET",
           "token_key": "NETSUITE_TOKEN_KEY", "token_secret": "NETSUITE_TOKEN_SECRET"}

    @classmethod
    def from_dict(cls, data: dict, *, source: str = "secrets") -> "NetSuiteSecrets":
        missing = [name for name in cls.ENV if not data.get(name)]
        if missing:
            raise ConfigError(f"{source}: missing {', '.join(missing)}")
        return cls(**{name: str(data[name]) for name in cls.ENV})

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> "NetSuiteSecrets":
        return cls.from_dict(load_jsonc(path), source=str(path))

    @classmethod
    def from_env(cls, environ: dict | None = None) -> "NetSuiteSecrets":
        environ = os.environ if environ is None else environ
        return cls.from_dict({name: environ.get(var) for name, var in cls.ENV.items()},
                             source="environment (" + ", ".join(cls.ENV.values()) + ")")

    @classmethod
    def load(cls, path: str | os.PathLike | None = None,
             environ: dict | None = None) -> "NetSuiteSecrets":
        """From a secrets file (if given), with ``NETSUITE_*`` variables filling the gaps."""
        if path is None:
            return cls.from_env(environ)
        return cls.from_dict(_fill_from_env(load_jsonc(path), cls.ENV, environ),
                             source=str(path))

    def __repr__(self) -> str:  # secrets never end up in logs or tracebacks
        return f"NetSuiteSecrets(consumer_key={self.consumer_key[:4]}…, …)"


def _fill_from_env(values: dict, names: dict, environ: dict | None) -> dict:
    environ = os.environ if environ is None else environ
    filled = dict(values)
    for field_name, variable in names.items():
        if filled.get(field_name) in (None, "") and environ.get(variable):
            filled[field_name] = environ[variable]
    return filled
