"""The client: a zeep service for NetSuite that signs, governs and retries every call.

    from client import NetSuiteClient
    ns = NetSuiteClient.from_files("settings.json", "secrets.json")
    vendor = ns.call("get", {"_ns_type": "RecordRef", "type": "vendor", "internalId": "101"})
    print(vendor.record.companyName)
    ns.call("getServerTime", as_json=True)       # {"_ns_type": "GetServerTimeResult", …}

Every call gets a fresh TokenPassport (NetSuite's passports are single-use), waits for a slot
under the client's concurrency limit, and is retried as ``client.governance`` describes. The
result is the response body's content (``readResponse``, ``writeResponse``, ``searchResult``…)
as a zeep object, or as plain JSON with ``as_json=True``; a failed status raises
``RecordError``, a fault its typed error (``client.errors``).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests
import zeep
from requests.adapters import HTTPAdapter
from zeep.xsd import CompoundValue

from client.errors import (ConcurrencyLimitError, ConnectionFailed, NetSuiteError, RecordError,
                           RequestError, error_from_fault)
from client.governance import ClientStats, ConcurrencyGate, RetryPolicy, is_read
from client.objects import NetSuiteTypes, suggest, to_json
from client.recording import Recorder, recorder_for, recording_transport
from client.wsdl_cache import DEFAULT_CACHE, LoadedWsdl, WsdlCache
from suitetalk.config import ConfigError, NetSuiteSecrets, NetSuiteSettings
from suitetalk.passport import make_passport

log = logging.getLogger("netsuite_client")

TOKEN_PASSPORT = "tokenPassport"
WSDL_TIMEOUT = 120          # seconds to fetch one WSDL or schema document
OPERATION_TIMEOUT = 900     # NetSuite ends any SOAP request after 15 minutes


class NetSuiteClient:
    """One integration's connection to one NetSuite account (or a mock of it)."""

    def __init__(self, settings: NetSuiteSettings, secrets: NetSuiteSecrets, *,
                 retry: RetryPolicy | None = None, timeout: float = OPERATION_TIMEOUT,
                 wsdl_cache: WsdlCache | None = DEFAULT_CACHE,
                 session: requests.Session | None = None,
                 record_to: str | None = None, record_fields: tuple[str, ...] = (),
                 recorder: Recorder | None = None):
        if not settings.wsdl_url:
            raise ConfigError("netsuite_settings.wsdl_url is missing")
        if not settings.service_url:
            raise ConfigError("netsuite_settings.service_url is missing")
        self.settings = settings
        self._secrets = secrets
        self.retry = retry or RetryPolicy()
        self.stats = ClientStats()
        self.gate = ConcurrencyGate(settings.concurrency_limit)
        self._stats_lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None
        self._sleep = time.sleep

        self._own_session = session is None
        self.session = session or _pooled_session(settings.concurrency_limit)
        transport_options = dict(session=self.session, timeout=WSDL_TIMEOUT,
                                 operation_timeout=timeout)
        if record_to is not None and recorder is not None:
            raise ConfigError("give record_to (a cassette file) or recorder, not both")
        if record_to is not None:   # a cassette at record_to, scrubbed: client.recording
            recorder = recorder_for(record_to, settings, secrets, record_fields)
        self.recorder = recorder
        if recorder is not None:
            self.transport = recording_transport(recorder, **transport_options)
        else:
            self.transport = zeep.Transport(**transport_options)
        zeep_settings = zeep.Settings(xml_huge_tree=True)
        cache = wsdl_cache if wsdl_cache is not None else WsdlCache(disk=False)
        try:
            self.wsdl: LoadedWsdl = cache.load(settings.wsdl_url, self.transport, zeep_settings)
        except (requests.RequestException, zeep.exceptions.TransportError) as error:
            raise ConnectionFailed(f"cannot fetch the WSDL {settings.wsdl_url}: {error}",
                                   operation="wsdl") from None
        except (zeep.exceptions.XMLSyntaxError, zeep.exceptions.XMLParseError) as error:
            raise ConnectionFailed(f"{settings.wsdl_url} is not a WSDL: {error}",
                                   operation="wsdl") from None
        log.debug("WSDL %s from %s in %.3fs", settings.wsdl_url, self.wsdl.source,
                  self.wsdl.seconds)
        self.zeep = zeep.Client(self.wsdl.document, transport=self.transport,
                                settings=zeep_settings)
        self.types = NetSuiteTypes(self.zeep)
        self.service = self.create_service(settings.service_binding_name, settings.service_url)

    @classmethod
    def from_files(cls, settings_path=None, secrets_path=None, **options) -> "NetSuiteClient":
        """From the settings and secrets files users keep; what a file lacks (or a missing
        file) comes from the ``NETSUITE_*`` environment variables."""
        return cls(NetSuiteSettings.load(settings_path), NetSuiteSecrets.load(secrets_path),
                   **options)

    # -- zeep ------------------------------------------------------------------------------------
    def create_service(self, service_binding_name: str, service_url: str):
        """A zeep ServiceProxy for the binding at ``service_url`` (NetSuite's data center URL)."""
        try:
            self._binding = self.zeep.wsdl.bindings[service_binding_name]
        except KeyError:
            known = ", ".join(self.zeep.wsdl.bindings) or "none"
            raise ConfigError(f"service_binding_name {service_binding_name!r} is not in the "
                              f"WSDL (it has: {known})") from None
        self._operations = self._binding.all()
        return self.zeep.create_service(service_binding_name, service_url)

    def type(self, name: str):
        """A zeep type by its NetSuite name: ``ns.type("RecordRef")(internalId="101", …)``."""
        return self.types.get(name)

    def build(self, value: dict, type_name: str | None = None):
        """A zeep object from a dict with ``_ns_type`` (or of the type ``type_name``)."""
        if type_name is not None:
            value = {"_ns_type": type_name, **value}
        if not isinstance(value, dict) or "_ns_type" not in value:
            raise RequestError("build needs a dict with _ns_type")
        declared = self.types.get(value["_ns_type"])
        return self.types.build(value, declared, value["_ns_type"])

    def passport(self):
        """A fresh, single-use TokenPassport (HMAC-SHA256, random nonce, current time)."""
        s, k = self.settings, self._secrets
        fields = make_passport(s.account, k.consumer_key, k.consumer_secret, k.token_key,
                               k.token_secret)
        signature = fields.pop("signature")
        signature_type = self.types.get("TokenPassportSignature")
        return self.types.get("TokenPassport")(
            **fields, signature=signature_type(signature["value"],
                                               algorithm=signature["algorithm"]))

    # -- requests ----------------------------------------------------------------------------------
    def operation_names(self) -> list[str]:
        return sorted(self._operations)

    def parameters(self, operation: str) -> list[str]:
        """The body parameters of an operation, in the WSDL's order."""
        op = self._operations.get(operation)
        return [name for name, _ in op.input.body.type.elements] if op is not None else []

    def prepare(self, operation: str, args: tuple = (), kwargs: dict | None = None,
                headers: dict | None = None) -> tuple[dict, dict]:
        """The zeep body parameters and SOAP headers for a call, or a ``RequestError``."""
        op = self._operations.get(operation)
        if op is None:
            raise RequestError(f"unknown operation {operation!r}"
                               + suggest(operation, self._operations))
        body_type = op.input.body.type
        params = [name for name, _ in body_type.elements]
        if len(args) > len(params):
            raise RequestError(f"{operation} takes {len(params)} argument(s) "
                               f"({', '.join(params) or 'none'}), {len(args)} given")
        values = dict(zip(params, args))
        for name, value in (kwargs or {}).items():
            if name in values:
                raise RequestError(f"{operation}: {name} given twice")
            values[name] = value
        body = self.types.build_fields(body_type, values, operation)

        header_type = op.input.header.type if op.input.header is not None else None
        header_elements = dict(header_type.elements) if header_type is not None else {}
        soap_headers = {}
        for name, value in (headers or {}).items():
            if name == TOKEN_PASSPORT:
                raise RequestError("the client makes a fresh tokenPassport for every request; "
                                   "do not pass one")
            element = header_elements.get(name)
            if element is None:
                takes = ", ".join(n for n in header_elements if n != TOKEN_PASSPORT)
                raise RequestError(f"{operation} takes no {name!r} header (it takes: {takes})")
            soap_headers[name] = self.types.build(value, element.type, f"{operation} {name}")
        return body, soap_headers

    def call(self, operation: str, *args, headers: dict | None = None, as_json: bool = False,
             raw: bool = False, check: bool = True, **kwargs):
        """Call a NetSuite operation; arguments are zeep objects or dicts with ``_ns_type``,
        positional in the WSDL's order or by name; ``headers`` such as ``searchPreferences``."""
        body, soap_headers = self.prepare(operation, args, kwargs, headers)
        method = getattr(self.service, operation)
        response = self._send(operation, method, body, soap_headers)
        if raw:
            return response
        result = unwrap(response)
        if check:
            check_status(result, operation, ns_id(response))
        return to_json(result) if as_json else result

    async def acall(self, operation: str, *args, **kwargs):
        """``call`` for asyncio: runs on this client's threads, at most ``concurrency_limit``."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor,
                                          functools.partial(self.call, operation, *args,
                                                            **kwargs))

    @property
    def executor(self) -> ThreadPoolExecutor:
        """Threads for work on behalf of this client, as many as its concurrency limit."""
        with self._stats_lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(self.settings.concurrency_limit,
                                                    thread_name_prefix="netsuite")
            return self._executor

    def search_all(self, search_record, *, headers: dict | None = None, **options):
        """Every record (or row) of a search, page after page: see ``client.paging``."""
        from client.paging import SearchPages
        return SearchPages(self, search_record, headers=headers, **options)

    def submit(self, operation: str, *args, headers: dict | None = None, **kwargs):
        """Submit an asynchronous operation (``asyncAddList``, ``asyncSearch``, …): an
        ``AsyncJob`` to wait for and read (see ``client.async_jobs``)."""
        from client.async_jobs import AsyncJob
        if not operation.startswith("async"):
            raise RequestError(f"{operation} is not an asynchronous operation (asyncAddList, "
                               f"asyncUpdateList, asyncUpsertList, asyncDeleteList, "
                               f"asyncGetList, asyncInitializeList, asyncSearch)")
        answer = self.call(operation, *args, headers=headers, **kwargs)
        return AsyncJob(self, operation, answer.jobId)

    def _send(self, operation: str, method, body: dict, soap_headers: dict):
        read = is_read(operation)
        with self._stats_lock:
            self.stats.calls += 1
        attempt = 0
        while True:
            attempt += 1
            error: NetSuiteError | None = None
            retry_reason = None
            with self.gate.slot():
                with self._stats_lock:
                    self.stats.attempts += 1
                    self.stats.peak_in_flight = max(self.stats.peak_in_flight,
                                                    self.gate.in_flight)
                try:
                    response = method(**body, _soapheaders={**soap_headers,
                                                            TOKEN_PASSPORT: self.passport()})
                except zeep.exceptions.Fault as fault:
                    error = error_from_fault(fault, operation)
                    if isinstance(error, ConcurrencyLimitError):
                        self.gate.blocked()
                        with self._stats_lock:
                            self.stats.blocked += 1
                        retry_reason = "concurrency"
                except zeep.exceptions.ValidationError as invalid:
                    raise RequestError(f"{operation}: {invalid.message}") from None
                except (requests.RequestException, zeep.exceptions.TransportError,
                        zeep.exceptions.XMLSyntaxError) as lost:
                    never_sent = _never_connected(lost)
                    error = ConnectionFailed(
                        _describe(lost), operation=operation,
                        may_have_been_applied=not (read or never_sent))
                    if read or never_sent:
                        retry_reason = "connection"
                else:
                    self.gate.succeeded()
            if error is None:
                with self._stats_lock:
                    self.stats.succeeded += 1
                return response
            if retry_reason is None or attempt >= self.retry.max_attempts:
                error.attempts = attempt
                with self._stats_lock:
                    self.stats.failed += 1
                raise error
            with self._stats_lock:
                self.stats.retried(retry_reason)
            delay = self.retry.delay(attempt)
            log.info("%s: %s; retry %d in %.2fs", operation, error, attempt, delay)
            self._sleep(delay)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
        if self._own_session:
            self.session.close()

    def __enter__(self) -> "NetSuiteClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return (f"NetSuiteClient(account={self.settings.account!r}, "
                f"service_url={self.settings.service_url!r})")


# -- responses ---------------------------------------------------------------------------------
def unwrap(response):
    """The content of the response body: ``readResponse``, ``searchResult``, …"""
    body = getattr(response, "body", response)
    if isinstance(body, CompoundValue):
        values = body.__values__
        if len(values) == 1:
            return next(iter(values.values()))
    return body


def ns_id(response) -> str | None:
    header = getattr(response, "header", None)
    info = getattr(header, "documentInfo", None) if header is not None else None
    return getattr(info, "nsId", None)


def check_status(result, operation: str, response_id: str | None = None) -> None:
    """Raise ``RecordError`` for a failed status; log warnings NetSuite sends with success."""
    status = getattr(result, "status", None) if isinstance(result, CompoundValue) else None
    if not isinstance(status, CompoundValue):  # none, or an async job's status word
        return
    details = [{"type": d.type or "ERROR", "code": d.code, "message": d.message}
               for d in (status.statusDetail or [])]
    if status.isSuccess is False:
        first = next((d for d in details if d["type"] == "ERROR"), details[0] if details else
                     {"code": None, "message": "the request failed"})
        raise RecordError(first["message"] or "", code=first["code"], operation=operation,
                          details=details, response=result, ns_id=response_id)
    for detail in details:
        if detail["type"] == "WARN":
            log.warning("%s: %s: %s", operation, detail["code"], detail["message"])


# -- HTTP --------------------------------------------------------------------------------------
def _pooled_session(concurrency_limit: int) -> requests.Session:
    """A session that keeps a connection per request in flight (requests keeps 10)."""
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=max(10, concurrency_limit))
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _never_connected(error: Exception) -> bool:
    """True when the request cannot have reached the server (no connection was made)."""
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return True
    if isinstance(error, requests.exceptions.ConnectionError):
        reason = getattr(error.args[0], "reason", None) if error.args else None
        return type(reason).__name__ in ("NewConnectionError", "ConnectTimeoutError",
                                         "NameResolutionError")
    return False


def _describe(error: Exception) -> str:
    if isinstance(error, zeep.exceptions.TransportError):
        return f"HTTP {error.status_code} without a SOAP answer: {error.message}"[:500]
    if isinstance(error, zeep.exceptions.XMLSyntaxError):
        return f"the answer is not XML: {error.message}"[:500]
    if isinstance(error, requests.exceptions.Timeout):
        return f"no answer in time ({error.__class__.__name__})"
    return f"connection failed: {error}"[:500]
