"""The mock's own HTTP API under ``/__admin/`` (JSON), and the dashboard at ``/__admin/ui``.

    GET    /__admin/health                     liveness and record counts
    GET    /__admin/journal[?since=ID&limit=N] what the mock received and answered (summaries)
    GET    /__admin/journal/<id>               one exchange with both bodies (secrets redacted)
    DELETE /__admin/journal                    forget the journal
    POST   /__admin/requests/count             how many journal entries match a request pattern
    POST   /__admin/requests/find              those entries (?bodies=true: with both bodies)
    POST   /__admin/requests/near-misses       the entries that come closest to a pattern they
                                               do not match, with what differed (?limit=N)
    GET    /__admin/audit                      the login audit trail (why each login failed)
    GET    /__admin/governance                 limits and requests in flight, per account and
                                               per integration
    GET    /__admin/rules                      fault rules with their hit counts
    POST   /__admin/rules                      add one rule (a table) or {"rules": [...]}
    PATCH  /__admin/rules/<id>                 {"enabled": false} turns a rule off, true on
    DELETE /__admin/rules[/<id>]               remove one rule, or all
    POST   /__admin/scenario                   {"toml": text}: a scenario file's [[rules]]
                                               (the rest of it needs a restart)
    GET    /__admin/records[/<type>[/<id>]]    record counts, a type's records, one record
    GET    /__admin/attachments                contacts and files attached to records (attach)
    GET    /__admin/ledger[?postings=1]        trial balance per subsidiary and period (and every
                                               general-ledger posting)
    GET    /__admin/jobs                       asynchronous jobs, newest first, with their status
    POST   /__admin/seed                       add records: {"seed": "demo"|path} or a seed
    POST   /__admin/reset                      reload each account's seed ({"seed": …} to change
                                               it), clear journal, audit, rules' counts, nonces
    GET    /__admin/snapshot                   every record, deletions and id sequences (JSON)
    POST   /__admin/snapshot                   replace the records with a snapshot
    POST   /__admin/clock                      {"advance": s} | {"set": iso} | {"reset": true}
    GET    /__admin/ui                         the dashboard

``?account=ID`` picks an account where it matters (default: the first).

Access: with ``admin_token`` set, every call needs ``Authorization: Bearer <token>`` (only the
dashboard page, ``GET /__admin/ui``, also takes ``?token=``: a browser opens it from a link, and
the page sends the header from then on); without it, only clients on this machine (loopback)
are served, so a mock listening on 0.0.0.0 does not expose its records and journal to the
network, and only requests addressed to this machine (``Host`` a loopback name or address, or
the one the mock listens on), so a web page cannot reach the API by rebinding its own DNS name
to 127.0.0.1. Whatever the protection, a request that changes something is refused when it
comes from another web origin (an ``Origin`` that is not its ``Host``) or has a body that is
not ``application/json``: a web page can send neither without the browser asking first.
"""

from __future__ import annotations

import hmac
import inspect
import ipaddress
import json
import logging
import socket
import tomllib
from importlib import resources
from typing import Callable, Iterable
from urllib.parse import parse_qs, urlsplit

from mockserver.config import with_default_seed
from mockserver.domain.backend import Backend
from mockserver.domain.durable import export_store, import_store
from mockserver.domain.errors import new_error_id
from mockserver.domain.journal import RequestPattern, find, near_misses
from mockserver.domain.ledger import postings_listed, trial_balances
from mockserver.domain.records import kind_of
from mockserver.domain.search.saved import saved_searches_of
from mockserver.domain.seed import SeedError, load_seed, read_seed
from mockserver.domain.values import parse_datetime, to_json
from mockserver.wire.http import respond, respond_json
from mockserver.wire.redaction import SecretValues, redacted_entry
from mockserver.wire.transport import read_body
from mockserver.wire.xpath import compiled_xpath, request_matches
from suitetalk.config import ConfigError

log = logging.getLogger("netsuite_mock.admin")

ROUTES = ("health", "journal", "requests", "audit", "governance", "rules", "records",
          "attachments", "jobs", "seed", "reset", "snapshot", "clock", "scenario", "ui",
          "ledger")
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
JSON = "application/json"
# What a wildcard listening address stands for: no name a Host header could carry.
_WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})


class AdminError(Exception):
    def __init__(self, message: str, status: str = "400 Bad Request"):
        super().__init__(message)
        self.status = status


class AdminApi:
    def __init__(self, backend: Backend, settings):
        self.backend = backend
        self.settings = settings
        self.secrets = SecretValues(backend.credentials)   # what the journal shows redacted

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "").rstrip("/")
        method = environ.get("REQUEST_METHOD", "GET")
        query = {k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        parts = path.split("/")[2:]  # after "", "__admin"
        refusal = self._refusal(environ, query, dashboard=parts == ["ui"] and method == "GET")
        if refusal is None and method in STATE_CHANGING:
            refusal = _cross_site_refusal(environ)
        if refusal is not None:
            return respond_json(start_response, {"error": refusal[1]}, refusal[0])
        try:
            if not parts:
                return respond_json(start_response,
                                    {"routes": [f"/__admin/{r}" for r in ROUTES]})
            route, rest = parts[0], parts[1:]
            if route == "ui" and method == "GET":
                page = resources.files("mockserver.dashboard").joinpath("index.html")
                return respond(start_response, "200 OK", page.read_bytes(),
                               "text/html; charset=utf-8")
            handler = getattr(self, f"{method.lower()}_{route}", None)
            body = _read_json(environ) if method in ("POST", "PUT", "PATCH") else {}
            try:
                inspect.signature(handler).bind(query, body, *rest)
            except (TypeError, ValueError):
                raise AdminError(f"no route {method} {path}", "404 Not Found") from None
            return respond_json(start_response, handler(query, body, *rest))
        except AdminError as error:
            return respond_json(start_response, {"error": str(error)}, error.status)
        except (ConfigError, SeedError) as error:
            return respond_json(start_response, {"error": str(error)}, "400 Bad Request")
        except Exception as error:  # a bug: say so in JSON, and log it once with an id
            error_id = new_error_id()
            log.error("admin API: unexpected error, Error ID %s", error_id, exc_info=error)
            return respond_json(start_response, {
                "error": f"unexpected error in the admin API (Error ID {error_id}, in the "
                         f"mock's log)"}, "500 Internal Server Error")

    def _refusal(self, environ: dict, query: dict, *, dashboard: bool
                 ) -> tuple[str, str] | None:
        """Why a request may not use the admin API at all (token, or client and Host)."""
        token = self.settings.admin_token
        if token:
            scheme, _, credentials = environ.get("HTTP_AUTHORIZATION", "").strip().partition(" ")
            # auth schemes are case-insensitive (RFC 9110 §11.1)
            given = credentials.strip() if scheme.lower() == "bearer" else \
                query.get("token", "") if dashboard else ""
            if not hmac.compare_digest(given.encode(), token.encode()):
                return "401 Unauthorized", "the admin API needs its token " \
                                           "(Authorization: Bearer <token>; ?token=<token> " \
                                           "only to open the dashboard, /__admin/ui)"
            return None
        try:
            local = ipaddress.ip_address(environ.get("REMOTE_ADDR", "")).is_loopback
        except ValueError:
            local = False
        if not local:
            return "403 Forbidden", "the admin API answers only on this machine; start the " \
                                    "mock with --admin-token to use it from elsewhere"
        host = environ.get("HTTP_HOST")
        if host is not None and not self._addressed_here(host):
            return "403 Forbidden", f"the admin API answers only requests addressed to this " \
                                    f"machine (Host localhost, 127.0.0.1 or [::1]), not " \
                                    f"{host!r}; start the mock with --admin-token to reach " \
                                    f"it by another name"
        return None

    def _addressed_here(self, host: str) -> bool:
        """Whether a Host header names this machine: a loopback address or name, the address
        the mock listens on, or the machine's own name (a rebinding attacker's name is none)."""
        name = _host_name(host)
        if name is None:
            return False
        try:
            return ipaddress.ip_address(name).is_loopback
        except ValueError:
            pass
        listening = self.settings.host.strip("[]").lower()
        own = {"localhost", socket.gethostname().lower()}
        if listening not in _WILDCARD_HOSTS:
            own.add(listening)
        return name in own or name.endswith(".localhost")  # RFC 6761: always loopback

    def _account(self, query: dict):
        account_id = query.get("account")
        if account_id is None:
            return self.backend.default_account
        account = self.backend.accounts.get(account_id)
        if account is None:
            raise AdminError(f"no account {account_id!r}", "404 Not Found")
        return account

    # -- reading -------------------------------------------------------------------------
    def get_health(self, query, body) -> dict:
        return {"status": "ok", "accounts": {a.account_id: a.store.count()
                                              for a in self.backend.accounts.values()}}

    def get_journal(self, query, body, entry_id: str | None = None):
        journal = self.backend.journal
        if entry_id is not None:
            entry = journal.get(_int(entry_id, "journal id"))
            if entry is None:
                raise AdminError(f"no journal entry {entry_id}", "404 Not Found")
            return redacted_entry(entry, self.secrets, bodies=True)
        limit = _int(query["limit"], "limit") if "limit" in query else None
        return [redacted_entry(e, self.secrets)
                for e in journal.entries(since=_int(query.get("since", 0), "since"), limit=limit)]

    def delete_journal(self, query, body) -> dict:
        self.backend.journal.clear()
        return {"cleared": True}

    def post_requests(self, query, body, action: str):
        """Request verification, as WireMock's ``/__admin/requests/count|find``: the body is a
        request pattern (``RequestPattern``: operation, record_type, account, integration,
        outcome, code, since, until, xpath)."""
        pattern = RequestPattern.parse(body)
        if pattern.xpath is not None:
            compiled_xpath(pattern.xpath)   # a bad XPath is the caller's 400, not "no match"
        entries = self.backend.journal.entries()
        if action == "count":
            return {"count": len(find(entries, pattern, request_matches)),
                    "pattern": pattern.describe()}
        if action == "find":
            bodies = query.get("bodies", "").lower() in ("1", "true", "yes")
            return {"requests": [redacted_entry(e, self.secrets, bodies=bodies)
                                 for e in find(entries, pattern, request_matches)],
                    "pattern": pattern.describe()}
        if action == "near-misses":
            limit = _int(query.get("limit", 3), "limit")
            return {"nearMisses": [{"request": redacted_entry(e, self.secrets),
                                    "differences": [self.secrets.redact(d)
                                                    for d in differences]}
                                   for e, differences in near_misses(entries, pattern,
                                                                     request_matches, limit)],
                    "pattern": pattern.describe()}
        raise AdminError(f"no route POST /__admin/requests/{action} (count, find or "
                         f"near-misses)", "404 Not Found")

    def get_audit(self, query, body) -> list[dict]:
        return [entry.as_dict() for entry in self.backend.audit.entries()]

    def get_governance(self, query, body) -> dict:
        return {a.account_id: {**a.gate.snapshot(), "tbaEnabled": a.tba_enabled,
                               "integrations": [_integration_governance(a.gate, i)
                                                for i in a.integrations.values()]}
                for a in self.backend.accounts.values()}

    def get_rules(self, query, body) -> list[dict]:
        return [rule.describe() for rule in self.backend.rules.rules()]

    def get_jobs(self, query, body) -> list[dict]:
        now = self.backend.clock.now()
        return [{"account": account.account_id, **job}
                for account in self.backend.accounts.values()
                for job in account.async_jobs.listed(now)]

    def get_attachments(self, query, body) -> list[dict]:
        account = self._account(query)
        return account.attachments.listed(account.store)

    def get_ledger(self, query, body) -> dict:
        account = self._account(query)
        answer = {"account": account.account_id,
                  "trialBalances": trial_balances(account.store)}
        if query.get("postings") in ("1", "true"):
            answer["postings"] = postings_listed(account.store)
        return answer

    def get_records(self, query, body, record_type: str | None = None,
                    internal_id: str | None = None):
        store = self._account(query).store
        if record_type is None:
            return {t: store.count(t) for t in sorted(store.record_types())}
        if kind_of(record_type) is None:
            raise AdminError(f"unknown record type {record_type!r}", "404 Not Found")
        if internal_id is None:
            return [to_json(r) for r in store.records(record_type)]
        record = store.get(record_type, internal_id)
        if record is None:
            raise AdminError(f"no {record_type} {internal_id}", "404 Not Found")
        return to_json(record)

    def get_snapshot(self, query, body) -> dict:
        account = self._account(query)
        return {"account": account.account_id, **export_store(account.store)}

    # -- changing ------------------------------------------------------------------------
    def post_rules(self, query, body) -> list[dict]:
        specs = body["rules"] if isinstance(body.get("rules"), list) else [body]
        return [rule.describe() for rule in self.backend.rules.add_all(specs)]

    def patch_rules(self, query, body, rule_id: str) -> dict:
        if not isinstance(body.get("enabled"), bool):
            raise AdminError('a rule changes by {"enabled": true} or {"enabled": false}')
        rule = self.backend.rules.enable(rule_id, body["enabled"])
        if rule is None:
            raise AdminError(f"no rule {rule_id!r}", "404 Not Found")
        return rule.describe()

    def post_scenario(self, query, body) -> dict:
        """A scenario file's ``[[rules]]``, all or none, as ``--scenario`` would load them;
        its accounts, latency and settings take a restart, and the answer says which."""
        if not isinstance(body.get("toml"), str):
            raise AdminError('a scenario is sent as {"toml": "<the file\'s text>"}')
        try:
            scenario = tomllib.loads(body["toml"])
        except tomllib.TOMLDecodeError as error:
            raise AdminError(f"invalid TOML: {error}") from None
        if isinstance(scenario.get("server"), dict):
            scenario = {**scenario, **scenario.pop("server")}
        rules = scenario.pop("rules", [])
        if not isinstance(rules, list):
            raise AdminError("rules must be a list of tables ([[rules]])")
        seed_value = scenario.get("seed_value", self.settings.seed_value)
        added = self.backend.rules.add_all([with_default_seed(rule, seed_value)
                                            for rule in rules], numbered=True)
        return {"rules": [rule.describe() for rule in added],
                "needsRestart": sorted(scenario)}

    def delete_rules(self, query, body, rule_id: str | None = None) -> dict:
        if rule_id is None:
            self.backend.rules.clear()
            return {"removed": "all"}
        if not self.backend.rules.remove(rule_id):
            raise AdminError(f"no rule {rule_id!r}", "404 Not Found")
        return {"removed": rule_id}

    def post_seed(self, query, body) -> dict:
        account = self._account(query)
        data = read_seed(body["seed"]) if "seed" in body else body
        if data is None:
            return {"added": 0}
        source = f"seed {body.get('seed', 'from request')}"
        saved = saved_searches_of(data, source)
        account.saved_searches.check_new(saved)
        added = load_seed(account.store, data, self.backend.clock.now(), source=source)
        account.saved_searches.add(saved)
        return {"added": added, "records": account.store.count(),
                "savedSearches": len(account.saved_searches)}

    def post_reset(self, query, body) -> dict:
        loaded = {}
        for account in self.backend.accounts.values():
            seed_name = body.get("seed", account.seed)
            seed = read_seed(seed_name)
            saved = saved_searches_of(seed, f"seed {seed_name}") if seed is not None else []
            account.store.clear()
            account.attachments.clear()
            account.saved_searches.replace(saved)
            if seed is not None:
                load_seed(account.store, seed, self.backend.clock.now(),
                          source=f"seed {seed_name}")
            loaded[account.account_id] = account.store.count()
        self.backend.reset_runtime()
        for rule in self.backend.rules.rules():
            rule.matched = rule.fired = 0
        if body.get("rules") == "clear":
            self.backend.rules.clear()
        return {"reset": True, "records": loaded}

    def post_snapshot(self, query, body) -> dict:
        account = self._account(query)
        return {"account": account.account_id, "records": import_store(account.store, body)}

    def post_clock(self, query, body) -> dict:
        clock = self.backend.clock
        try:
            if "advance" in body:
                clock.advance(float(body["advance"]))
            elif "set" in body:
                clock.set(parse_datetime(body["set"]))
            elif body.get("reset"):
                clock.reset()
        except (TypeError, ValueError, OverflowError) as error:
            raise AdminError(f"bad clock request: {str(error) or 'not a date-time'}") from None
        return {"now": clock.now().isoformat(), "offsetSeconds": clock.offset.total_seconds()}

    def get_clock(self, query, body) -> dict:
        return self.post_clock(query, {})


def _integration_governance(gate, integration) -> dict:
    """One integration's state, the limit that applies to it (its own or the shared pool's)
    and how many of its requests are in flight."""
    return {"name": integration.name, "state": "enabled" if integration.enabled else "blocked",
            "limit": gate.limit_of(integration.name)[0],
            "limitType": gate.limit_type(integration.name),
            "inFlight": gate.in_flight_of(integration.name)}


def _int(value, what: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise AdminError(f"{what} must be a whole number, not {value!r}") from None


def _host_name(host: str) -> str | None:
    """The name (or address, without brackets) in a Host header, lower-case."""
    authority = _authority(f"http://{host}")
    return authority[1] if authority else None


def _authority(url: str) -> tuple | None:
    """(scheme, host, port) of a URL's authority, the port filled in from the scheme."""
    try:
        parts = urlsplit(url)
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    except ValueError:
        return None
    return (parts.scheme, parts.hostname, port) if parts.hostname else None


def _cross_site_refusal(environ: dict) -> tuple[str, str] | None:
    """Why a state-changing request may be one a web page made a browser send: it comes from
    another origin, or its body is of a type a page may send without the browser asking."""
    origin = environ.get("HTTP_ORIGIN")
    if origin is not None:  # "null" (a sandboxed page, a file) is another origin too
        here = _authority(f"{environ.get('wsgi.url_scheme', 'http')}://"
                          f"{environ.get('HTTP_HOST', '')}")
        if here is None or _authority(origin) != here:
            return "403 Forbidden", f"the admin API refuses changes from another web origin " \
                                    f"({origin!r} is not {environ.get('HTTP_HOST')!r})"
    has_body = environ.get("CONTENT_LENGTH", "") not in ("", "0") or \
        "HTTP_TRANSFER_ENCODING" in environ
    media_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if has_body and media_type != JSON:
        return "415 Unsupported Media Type", f"the admin API takes {JSON} request bodies, " \
                                             f"not {media_type or 'a body without a type'!r}"
    return None


def _read_json(environ: dict) -> dict:
    raw = read_body(environ)
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise AdminError(f"request body is not JSON: {error.msg}") from None
    if not isinstance(data, dict):
        raise AdminError("request body must be a JSON object")
    return data
