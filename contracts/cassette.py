"""Cassettes: vcrpy's YAML format, plus a ``provenance`` block, matched the SOAP way.

A cassette is what vcrpy writes (``version``, ``interactions`` of ``request``/``response``), so
vcrpy, ``netsuite-mock replay`` and ``netsuite-contracts verify`` all read the same files. Two
additions: a ``provenance`` mapping (where the interactions came from, and whether a live
account was involved), which vcrpy ignores, and bodies written as YAML block text so a reviewer
can read them.

Matching (``soap_action`` and ``soap_body``): a request matches a recorded one when the
SOAPAction is the same and the canonical bodies are equal: C14N 2.0 of the body's operation
element and the SOAP headers that change an answer (``preferences``, ``searchPreferences``),
prefix-insensitive, whitespace around text ignored, credentials (``tokenPassport`` …) left out,
and volatile values (``searchId``, ``jobId``) replaced. Identical requests are replayed in the order they
were recorded (vcrpy plays each recorded interaction once). A request that matches nothing
fails with vcrpy's ``CannotOverwriteExistingCassetteException``, naming the nearest recorded
request and showing a diff of the two canonical bodies.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import threading
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from lxml import etree
from vcr.cassette import Cassette as VcrCassette
from vcr.filters import decode_response
from vcr.matchers import get_matchers_results, method
from vcr.persisters.filesystem import FilesystemPersister
from vcr.record_mode import RecordMode
from vcr.serializers import compat, yamlserializer
from vcr.util import read_body

from contracts.scrub import Scrubber
from contracts.soapxml import (CREDENTIAL_HEADERS, NotSoap, SoapMessage, canonical_key,
                               readable, soap_action)

FORMAT_NOTE = ("# A netsuite-contracts cassette: vcrpy's format (vcrpy, `netsuite-mock replay` "
               "and\n# `netsuite-contracts verify` read it) with a provenance block. Secrets "
               "are scrubbed.\n")
RECORD_MODES = ("none", "once", "new_episodes", "all")
# Values that differ between two runs of the same request: replaced before matching.
VOLATILE_REQUEST_FIELDS = ("searchId", "jobId")
_MATCH_ROOT = "{urn:netsuite-contracts}request"
MAX_DIFF_LINES = 40


# -- interactions as plain data (replay, verify, scan) -----------------------------------------
@dataclass
class Interaction:
    index: int                       # 1-based position in the cassette
    method: str
    uri: str
    request_headers: dict
    request_body: bytes
    status: int
    status_message: str
    response_headers: dict
    response_body: bytes

    @property
    def soap_action(self) -> str:
        return soap_action(self.request_headers)

    @functools.cached_property
    def request(self) -> SoapMessage | None:
        try:
            return SoapMessage.parse(self.request_body)
        except NotSoap:
            return None

    @functools.cached_property
    def response(self) -> SoapMessage | None:
        try:
            return SoapMessage.parse(self.response_body)
        except NotSoap:
            return None

    @property
    def operation(self) -> str:
        message = self.request
        return (message.operation if message is not None else None) or self.soap_action or "?"


@dataclass
class Cassette:
    path: Path
    interactions: list[Interaction]
    provenance: dict = field(default_factory=dict)


class CassetteError(ValueError):
    """A file that is not a readable cassette; the message names it and says why."""


def load(path: str | Path) -> Cassette:
    """A cassette file as plain data."""
    path = Path(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except OSError as error:
        raise CassetteError(f"{path}: cannot read ({error.strerror or error})") from None
    except yaml.YAMLError as error:
        raise CassetteError(f"{path}: not YAML: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("interactions"), list):
        raise CassetteError(f"{path}: not a cassette (no interactions list)")
    interactions = []
    for number, item in enumerate(data["interactions"], start=1):
        try:
            request, response = item["request"], item["response"]
            status = response.get("status") or {}
            interactions.append(Interaction(
                index=number, method=str(request.get("method", "POST")).upper(),
                uri=str(request.get("uri", "")), request_headers=request.get("headers") or {},
                request_body=_bytes(request.get("body")),
                status=int(status.get("code", 200)), status_message=str(status.get("message", "")),
                response_headers=response.get("headers") or {},
                response_body=_bytes((response.get("body") or {}).get("string"))))
        except (KeyError, TypeError, AttributeError, ValueError) as error:
            raise CassetteError(f"{path}: interaction {number} is malformed ({error})") from None
    provenance = data.get("provenance") if isinstance(data.get("provenance"), dict) else {}
    return Cassette(path, interactions, provenance)


def save(path: str | Path, interactions: list[dict], provenance: dict | None = None) -> None:
    """Write interactions (vcrpy's dict form) with a provenance block, readable."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = _header(provenance) + (_dump(interactions) if interactions else "interactions: []\n")
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _header(provenance: dict | None) -> str:
    """Everything before the interactions, which come last so that a recording can append."""
    data = {"provenance": provenance} if provenance else {}
    data["version"] = 1
    return FORMAT_NOTE + _dump(data)


def _dump(data) -> str:
    if isinstance(data, list):
        return "interactions:\n" + yaml.dump(data, Dumper=_Dumper, sort_keys=False,
                                              allow_unicode=True, width=100000)
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100000)


def read_provenance(path: str | Path) -> dict:
    try:
        return load(path).provenance
    except (CassetteError, FileNotFoundError):
        return {}


def interaction_dict(method: str, uri: str, request_headers: dict, request_body: bytes | None,
                     status: int, reason: str, response_headers: dict,
                     response_body: bytes | None) -> dict:
    """One interaction in vcrpy's on-disk form (header values as lists, bodies as text)."""
    return {"request": {"method": method, "uri": uri, "body": _text(request_body),
                        "headers": {k: _as_list(v) for k, v in request_headers.items()}},
            "response": {"status": {"code": status, "message": reason},
                         "headers": {k: _as_list(v) for k, v in response_headers.items()},
                         "body": {"string": _text(response_body) or ""}}}


def new_provenance(*, target: str, live: bool, scrubbed_fields=(), tool: str = "") -> dict:
    """What a fresh recording says about itself."""
    return {"source": "recorded",
            "recorded_from_live_account": bool(live),
            "target": target,
            "recorded_at": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "recorded_with": tool or "netsuite-contracts",
            "scrubbed": ["tokenPassport (account, consumerKey, token, nonce, timestamp, "
                         "signature)", "passwords", "account id (ACCOUNT_ID / account-id)",
                         "known secrets", "HTTP headers but Content-Type and SOAPAction",
                         *[f"field {name}" for name in scrubbed_fields]]}


def _as_list(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _text(body) -> str | None:
    if body is None:
        return None
    if isinstance(body, (bytes, bytearray)):
        return bytes(body).decode("utf-8", errors="replace")
    return str(body)


def _bytes(value) -> bytes:
    if value is None:
        return b""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    return str(value).encode("utf-8")


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """Safe YAML, with the ``!!binary`` bodies vcrpy writes for non-UTF-8 content; libyaml's
    parser where PyYAML has it (the pure-Python one spends milliseconds on every body)."""


class _Dumper(yaml.SafeDumper):
    """Multi-line text (XML bodies) as literal blocks."""


def _represent_str(dumper, value: str):
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


# -- the SOAP view of a request ----------------------------------------------------------------
@dataclass(frozen=True)
class RequestView:
    """What a request means for matching: its canonical key and its readable lines."""

    key: bytes
    lines: tuple[str, ...]


@functools.lru_cache(maxsize=4096)
def request_view(body: bytes, volatile: tuple[str, ...] = VOLATILE_REQUEST_FIELDS) -> RequestView:
    """The operation element plus the SOAP headers that change the answer, credentials left out,
    volatile values replaced; bodies that are not SOAP are compared as text."""
    try:
        message = SoapMessage.parse(body)
    except NotSoap:
        text = body.decode("utf-8", errors="replace")
        return RequestView(body, tuple(text.splitlines()))
    root = etree.Element(_MATCH_ROOT)
    if message.header is not None:
        for element in message.header:
            if isinstance(element.tag, str) and \
                    etree.QName(element).localname not in CREDENTIAL_HEADERS:
                root.append(_copy(element))
    if message.payload is not None:
        root.append(_copy(message.payload))
    for element in root.iter():
        if isinstance(element.tag, str) and etree.QName(element).localname in volatile \
                and len(element) == 0:
            element.text = f"[{etree.QName(element).localname}]"
    return RequestView(canonical_key(root), tuple(readable(root)[1:]))


def _copy(element: etree._Element) -> etree._Element:
    """A detached copy that keeps every in-scope namespace (xsi:type values need them)."""
    return etree.fromstring(etree.tostring(element))


def body_diff(recorded: RequestView, new: RequestView, limit: int = MAX_DIFF_LINES) -> str:
    """A unified diff of two canonical bodies, recorded first."""
    lines = list(difflib.unified_diff(list(recorded.lines), list(new.lines), "recorded",
                                      "this request", n=2, lineterm=""))
    if len(lines) > limit:
        lines = lines[:limit] + [f"… ({len(lines) - limit} more lines)"]
    return "\n".join(lines)


def _body_bytes(request) -> bytes:
    body = read_body(request)
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    return bytes(body)


# -- vcrpy matchers ----------------------------------------------------------------------------
def soap_action_matcher(r1, r2) -> None:
    a, b = soap_action(r1.headers), soap_action(r2.headers)
    if a != b:
        raise AssertionError(f"SOAPAction {a!r} (this request) != {b!r} (recorded)")


def soap_body_matcher(r1, r2) -> None:
    new, recorded = request_view(_body_bytes(r1)), request_view(_body_bytes(r2))
    if new.key != recorded.key:
        raise AssertionError(body_diff(recorded, new))


soap_action_matcher.__name__ = "soap_action"
soap_body_matcher.__name__ = "soap_body"


def similarity(a: RequestView, b: RequestView) -> float:
    return difflib.SequenceMatcher(None, a.lines, b.lines, autojunk=False).ratio()


class SoapCassette(VcrCassette):
    """vcrpy's Cassette, taught to name only the nearest recorded request when none matches."""

    def find_requests_with_most_matches(self, request):
        found = super().find_requests_with_most_matches(request)
        if not found or any(not fails for _, _, fails in found):
            return found  # already played: vcrpy explains that itself
        candidates = []
        wanted = request_view(_body_bytes(self._before_record_request(request) or request))
        for position, (stored, _response) in enumerate(self.data, start=1):
            successes, fails = _matcher_results(request, stored, self)
            if not fails:
                continue
            distance = similarity(wanted, request_view(_body_bytes(stored)))
            candidates.append((len(successes), distance, position, stored, successes, fails))
        if not candidates:
            return found
        best = max(candidates, key=lambda c: (c[0], c[1]))
        _, distance, position, stored, successes, fails = best
        note = (f"interaction #{position} of {len(self.data)} is the nearest "
                f"({distance:.0%} alike)")
        fails = [(name, f"{note}\n{message}" if i == 0 else message)
                 for i, (name, message) in enumerate(fails)]
        return [(stored, successes, fails)]


def _matcher_results(request, stored, cassette):
    return get_matchers_results(cassette._before_record_request(request) or request, stored,
                                cassette._match_on)


class CassettePersister:
    """vcrpy's file persister, writing the readable format with a provenance block (kept from
    the file being re-recorded, else the one given)."""

    def __init__(self, provenance: dict | None = None):
        self.provenance = provenance or {}

    def load_cassette(self, cassette_path, serializer):
        return FilesystemPersister.load_cassette(cassette_path, serializer)

    def save_cassette(self, cassette_path, cassette_dict, serializer):
        provenance = read_provenance(cassette_path) or self.provenance
        interactions = [{"request": compat.convert_to_unicode(request._to_dict()),
                         "response": compat.convert_to_unicode(response)}
                        for request, response in zip(cassette_dict["requests"],
                                                     cassette_dict["responses"])]
        if not provenance and cassette_dict["requests"]:
            uri = cassette_dict["requests"][0].uri   # scrubbed already
            provenance = new_provenance(target=uri, live=is_live(uri),
                                        tool="vcrpy (contracts.cassette.use_cassette)")
        if provenance and read_provenance(cassette_path):
            provenance = {**provenance, "updated_at": dt.datetime.now(dt.timezone.utc).strftime(
                "%Y-%m-%dT%H:%M:%SZ")}
        save(cassette_path, interactions, provenance)


def use_cassette(path: str | Path, *, record_mode: str = "once",
                 scrubber: Scrubber | None = None, provenance: dict | None = None,
                 allow_playback_repeats: bool = False):
    """vcrpy's ``use_cassette`` for NetSuite: SOAP matching, scrubbing at record and match
    time, provenance. Only SOAP POSTs are recorded; WSDL and schema downloads go through.

        with use_cassette("session.yaml", record_mode="none"):
            client.call("get", {...})
    """

    if record_mode not in RECORD_MODES:
        raise ValueError(f"record mode must be one of {', '.join(RECORD_MODES)}, not "
                         f"{record_mode!r}")
    scrubber = scrubber or Scrubber()

    def before_record_request(request):
        if request.method != "POST":
            return None
        return scrubber.request(request)

    return SoapCassette.use(
        path=str(path), serializer=yamlserializer, persister=CassettePersister(provenance),
        record_mode=RecordMode(record_mode), match_on=_matchers(),
        before_record_request=before_record_request,
        before_record_response=lambda response: scrubber.response(_decoded(response)),
        allow_playback_repeats=allow_playback_repeats, drop_unused_requests=record_mode == "all")


def _matchers():
    return (method, soap_action_matcher, soap_body_matcher)


def _decoded(response: dict) -> dict:
    return decode_response(response)


# -- recording from the client -----------------------------------------------------------------
class Recorder:
    """Writes a client's SOAP exchanges to a cassette as they happen, scrubbed.

    The client calls ``record`` from its transport (``client.recording``); each exchange is
    appended to the file at once (a crash loses nothing, a long import costs no rewriting) and
    the file holds only this session: recording starts a new cassette.
    """

    def __init__(self, path: str | Path, scrubber: Scrubber, provenance: dict):
        self.path = Path(path)
        self.scrubber = scrubber
        self.provenance = provenance
        self.count = 0
        self._lock = threading.Lock()
        save(self.path, [], self.provenance)

    def record(self, method: str, url: str, headers: dict, body: bytes | None, response) -> None:
        """One exchange: the request as sent, and the ``requests.Response`` received."""
        s = self.scrubber
        request_headers = {k: v for k, v in headers.items()
                           if k.lower() in ("content-type", "soapaction")}
        response_headers = {k: v for k, v in response.headers.items()
                            if k.lower() == "content-type"}
        item = interaction_dict(method, s.text(url), request_headers, s.body(body),
                                response.status_code, response.reason or "", response_headers,
                                s.body(response.content))
        with self._lock:
            if self.count == 0:   # replace the empty list with the first item
                self.path.write_text(_header(self.provenance) + _dump([item]), encoding="utf-8")
            else:
                with self.path.open("a", encoding="utf-8") as handle:
                    handle.write(_dump([item])[len("interactions:\n"):])
            self.count += 1


def client_recorder(path: str | Path, *, settings, secrets, fields=(),
                    tool: str = "netsuite-client") -> Recorder:
    """The recorder behind ``NetSuiteClient(record_to=path)`` (the client finds it through the
    entry point group ``netsuite_client.recorders``, see ``client.recording``) and
    ``netsuite-mock record``: the file's provenance names the target, and everything
    ``Scrubber.for_client`` scrubs stays out."""
    scrubber = Scrubber.for_client(settings, secrets, fields)
    provenance = new_provenance(target=scrubber.text(settings.service_url),
                                live=is_live(settings.service_url), scrubbed_fields=fields,
                                tool=tool)
    return Recorder(path, scrubber, provenance)


def is_live(url: str) -> bool:
    """Whether a URL is NetSuite's own (a recording from it came from a live account)."""
    from urllib.parse import urlparse
    host = (urlparse(url).hostname or "").lower()
    return host == "netsuite.com" or host.endswith(".netsuite.com")
