"""``netsuite-contracts verify``: does the mock (or another endpoint) answer as the recording did?

For each cassette: seed the target with the records the cassette shows (``contracts.seeding``),
then send every recorded request again, signed afresh for the target, and compare the answer
with the recorded one after normalisation:

- ignored: ``nsId``, ``searchId`` values, the fault ``hostname``, ``Error ID``s in messages, and
  timestamps the server sets (``createdDate``, ``lastModifiedDate``, ``dateCreated``,
  ``serverTime``, ``deletedDate``);
- mapped: internal ids a write assigned (the target assigns its own; later requests that use a
  recorded id are rewritten, and answers compared with the recorded ids put back), and search
  ids (``searchMoreWithId`` goes to the target's search);
- compared: HTTP status, faults (code, string, element, message), statuses and their details,
  every record field and sublist line in order, paging (``totalRecords``, ``pageSize``,
  ``totalPages``, ``pageIndex``); numbers and date-times by value, not spelling; namespace
  prefixes never.

A recording that failed to log in is replayed with a signature the target must refuse; a
recorded concurrency (or usage, or request-limit) fault, or NetSuite's unexpected error, is
reproduced exactly as recorded (element, code, message, faultstring) with a one-shot fault rule
on the mock, since a recording cannot show what else was in flight or went wrong inside
NetSuite. The mock's own faults (an operation it does not implement …) are not reproduced but
compared: the request is sent and the answer must be the recorded one.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, TextIO

from lxml import etree

from contracts.cassette import Cassette, CassetteError, Interaction, load
from contracts.endpoints import Endpoint, SendError
from contracts.scrub import iter_files
from contracts.seeding import CREATING_WRITES, plan_seed
from contracts.soapxml import ENV, NotSoap, SoapMessage, label, parse, readable
from mockserver.domain.errors import mock_limitation
from suitetalk.passport import make_passport

# Ids the target hands out that later requests send back: recorded ones are mapped to its own.
SESSION_IDS = ("searchId", "jobId")
# A customer's or vendor's balance is the sum of every transaction posted to it; a cassette
# shows a few of them, so no target seeded from it can know the rest.
LEDGER_TOTALS = ("balance",)
IGNORED_VALUES = ("nsId", *SESSION_IDS, "hostname", "createdDate", "lastModifiedDate",
                  "dateCreated", "serverTime", "deletedDate", *LEDGER_TOTALS)
# Attributes whose absence means this value (XSD defaults); replaceAll, a directive for
# writes, means nothing in an answer and is dropped whatever its value.
ATTRIBUTE_DEFAULTS = {"type": "ERROR", "replaceAll": "true"}
# Recorded faults that no request can provoke on its own: reproduced, as recorded, with a fault
# rule (unless the fault is the mock's own answer to the request: that is compared).
RULE_FAULTS = {"exceededConcurrentRequestLimitFault": "ExceededConcurrentRequestLimitFault",
               "exceededRequestLimitFault": "ExceededRequestLimitFault",
               "exceededUsageLimitFault": "ExceededUsageLimitFault",
               "unexpectedErrorFault": "UnexpectedErrorFault"}
_ERROR_ID = re.compile(r"(Error ID: )\w+")
_DECIMAL = re.compile(r"^-?\d+\.\d+(?:[eE][-+]?\d+)?$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[-+]\d{2}:\d{2})$")
MAX_DIFF_LINES = 60


@dataclass
class Outcome:
    interaction: Interaction
    verdict: str                     # ok, diverged, skipped
    note: str = ""
    diff: str = ""


@dataclass
class Report:
    cassettes: int = 0
    outcomes: list[Outcome] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)   # cassettes that could not be run

    def count(self, verdict: str) -> int:
        return sum(o.verdict == verdict for o in self.outcomes)

    @property
    def ok(self) -> bool:
        return not self.problems and self.count("diverged") == 0


# -- ids the target assigned ---------------------------------------------------------------------
class IdMap:
    """Recorded ids → the target's, for internal ids written in the session, search ids and
    asynchronous job ids."""

    def __init__(self) -> None:
        self.internal: dict[str, str] = {}
        self.session_ids: dict[str, str] = {}
        self._recorded: dict[str, str] = {}      # the target's id -> the first recorded one
        self.renamed = False    # whether any recorded id stands for another id on the target

    def learn(self, operation: str, recorded: SoapMessage | None, actual: SoapMessage | None):
        if recorded is None or actual is None or recorded.payload is None \
                or actual.payload is None:
            return
        if operation in CREATING_WRITES:
            for mine, theirs in zip(_base_ref_ids(recorded.payload),
                                    _base_ref_ids(actual.payload)):
                if mine and theirs:
                    self._map(mine, theirs)
        for name in SESSION_IDS:
            for mine, theirs in zip(_texts(recorded.payload, name),
                                    _texts(actual.payload, name)):
                self.session_ids[mine] = theirs

    def _map(self, mine: str, theirs: str) -> None:
        previous = self.internal.get(mine)
        self.internal[mine] = theirs
        self.renamed = self.renamed or mine != theirs
        if previous is None or previous == theirs:
            self._recorded.setdefault(theirs, mine)
        else:   # a recorded id now stands for another of the target's: look again
            self._recorded = {}
            for recorded, target in self.internal.items():
                self._recorded.setdefault(target, recorded)

    def to_target(self, root: etree._Element) -> None:
        if not self.internal and not self.session_ids:
            return
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            value = element.get("internalId")
            if value in self.internal:
                element.set("internalId", self.internal[value])
            if element.text in self.session_ids and etree.QName(element).localname in SESSION_IDS:
                element.text = self.session_ids[element.text]

    def recorded_id(self, value: str) -> str:
        return self._recorded.get(value, value)


def _base_ref_ids(payload: etree._Element) -> list[str | None]:
    return [e.get("internalId") for e in payload.iter("{*}baseRef")]


def _texts(payload: etree._Element, name: str) -> list[str]:
    return [e.text for e in payload.iter("{*}" + name) if e.text]


# -- normalised answers --------------------------------------------------------------------------
@dataclass
class Answer:
    """An answer with what varies between two runs replaced. Two answers are the same when
    their readable lines are; equal serialized trees are that and cost far less to see, so the
    lines are only worked out when the trees' bytes differ (a prefix, an attribute's order)."""

    status: int
    root: etree._Element | None = None              # the normalised envelope (a SOAP answer)
    text: list[str] = field(default_factory=list)   # the body's lines (any other answer)

    @functools.cached_property
    def key(self) -> bytes:
        body = etree.tostring(self.root) if self.root is not None else \
            "\n".join(self.text).encode("utf-8")
        return b"%d %s" % (self.status, body)

    @functools.cached_property
    def lines(self) -> list[str]:
        return [f"HTTP {self.status}"] + (self.text if self.root is None else readable(self.root))

    def same_as(self, other: "Answer") -> bool:
        return self.key == other.key or self.lines == other.lines


def normalised(body: bytes, status: int, *, ids: Callable[[str], str] = lambda v: v,
               ignored: tuple[str, ...] = IGNORED_VALUES,
               root: etree._Element | None = None) -> Answer:
    """An answer ready to compare (``root``: the body already parsed, normalised in place)."""
    if root is None:
        try:
            root = parse(body)
        except NotSoap:
            return Answer(status, text=body.decode("utf-8", errors="replace").splitlines())
    ignored = frozenset(ignored)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        attributes = element.attrib
        if attributes:
            value = attributes.get("internalId")
            if value is not None:
                attributes["internalId"] = ids(value)
            for name, default in ATTRIBUTE_DEFAULTS.items():
                if name in attributes and (name == "replaceAll" or attributes[name] == default):
                    del attributes[name]
        if len(element) == 0 and element.text:
            value = element.text.strip()
            if value:
                element.text = _normalised_text(etree.QName(element).localname, value, ignored)
    return Answer(status, root)


@functools.lru_cache(maxsize=16)
def _volatile(ignored: tuple[str, ...]) -> tuple[re.Pattern, re.Pattern]:
    """What normalisation ignores, found in a body's bytes: the text of an element named in
    ``ignored`` and an Error ID in any text (never in an attribute: the next bracket is '<')."""
    names = "|".join(re.escape(name) for name in ignored).encode()
    return (re.compile(rb"(<(?:[\w.-]+:)?(?:" + names + rb")(?:\s[^<>]*[^/<>])?>)[^<]*(?=</)"),
            re.compile(rb"(Error ID: )\w+(?=[^<>]*<)"))


def _masked(body: bytes, ignored: tuple[str, ...]) -> bytes:
    elements, error_ids = _volatile(tuple(ignored))
    return error_ids.sub(rb"\1", elements.sub(rb"\1", body))


def _same_bytes(interaction: Interaction, recorded: SoapMessage | None, answer: bytes,
                actual: SoapMessage | None, ids: IdMap, ignored: tuple[str, ...]) -> bool:
    """Whether two SOAP answers are byte for byte the same but for what normalisation ignores
    (so the same normalised, for a fraction of the work): only while every internal id the
    target assigned is the recorded one, and without CDATA (whose text could look like an
    element)."""
    if recorded is None or actual is None or ids.renamed:
        return False
    if b"<![CDATA[" in answer or b"<![CDATA[" in interaction.response_body:
        return False
    return _masked(answer, ignored) == _masked(interaction.response_body, ignored)


def _normalised_text(name: str, value: str, ignored: frozenset[str]) -> str:
    if name in ignored:
        return f"[{name}]"
    value = _ERROR_ID.sub(r"\1[id]", value)
    if _DECIMAL.match(value):
        return repr(float(value))
    if _DATETIME.match(value):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
        return moment.astimezone(timezone.utc).isoformat()
    return value


def diff(recorded: list[str], actual: list[str], limit: int = MAX_DIFF_LINES) -> str:
    lines = list(difflib.unified_diff(recorded, actual, "recorded", "target", n=3, lineterm=""))
    if len(lines) > limit:
        lines = lines[:limit] + [f"… ({len(lines) - limit} more lines)"]
    return "\n".join(lines)


# -- sending -------------------------------------------------------------------------------------
def resigned(interaction: Interaction, target: Endpoint, ids: IdMap, *, refuse: bool) -> bytes:
    """The recorded request with the target's ids and a fresh TokenPassport for the target
    (one it must refuse when ``refuse``); a request recorded without one is sent without."""
    root = parse(interaction.request_body)
    ids.to_target(root)
    header = root.find(f"{ENV}Header")
    passport = None
    if header is not None:
        passport = next((e for e in header if isinstance(e.tag, str)
                         and etree.QName(e).localname == "tokenPassport"), None)
    if passport is not None:
        account, k = target.settings.account, target.secrets
        fields = make_passport(account, k.consumer_key, k.consumer_secret, k.token_key,
                               "not-" + k.token_secret if refuse else k.token_secret)
        signature = fields.pop("signature")
        children = {etree.QName(e).localname: e for e in passport if isinstance(e.tag, str)}
        for name, value in fields.items():
            if name in children:
                children[name].text = str(value)
        if "signature" in children:
            children["signature"].text = signature["value"]
            children["signature"].set("algorithm", signature["algorithm"])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def send(target: Endpoint, interaction: Interaction, body: bytes) -> tuple[int, bytes]:
    headers = {"Content-Type": "text/xml; charset=utf-8",
               "SOAPAction": f'"{interaction.soap_action or interaction.operation}"'}
    return target.soap.post(target.service_url, body, headers)


# -- one cassette --------------------------------------------------------------------------------
def verify_cassette(cassette: Cassette, target: Endpoint, report: Report, out: TextIO, *,
                    ignored: tuple[str, ...] = IGNORED_VALUES) -> None:
    report.cassettes += 1
    print(f"{cassette.path}  ({_provenance_line(cassette.provenance)})", file=out)
    if target.admin is not None:
        target.admin.reset("none", clear_rules=True)
        target.admin.reset_clock()
        plan = plan_seed(cassette.interactions)
        for note in plan.notes:
            print(f"  note: {note}", file=out)
        if plan.records:
            try:
                target.admin.load_seed(plan.as_seed())
            except Exception as error:  # the admin API's refusal, with its reason
                report.problems.append(f"{cassette.path}: cannot seed the target: {error}")
                print(f"  FAILED to seed the target: {error}", file=out)
                return
        print(f"  seeded {len(plan.records)} record(s) the cassette shows", file=out)
    ids = IdMap()
    for interaction in cassette.interactions:
        outcome = _verify_one(interaction, target, ids, ignored)
        report.outcomes.append(outcome)
        verdict = {"ok": "ok      ", "diverged": "DIVERGED", "skipped": "skipped "}[
            outcome.verdict]
        print(f"  {verdict} #{interaction.index:<3} {interaction.operation:<22} "
              f"{_summary(interaction)}{('  [' + outcome.note + ']') if outcome.note else ''}",
              file=out)
        if outcome.diff:
            print("\n".join("      " + line for line in outcome.diff.splitlines()), file=out)


def _verify_one(interaction: Interaction, target: Endpoint, ids: IdMap,
                ignored: tuple[str, ...]) -> Outcome:
    if interaction.method != "POST" or interaction.request is None:
        return Outcome(interaction, "skipped", "not a SOAP request")
    recorded = interaction.response
    fault = recorded.fault() if recorded is not None else None
    if _job_still_running(interaction.operation, recorded, fault):
        return Outcome(interaction, "skipped", "the job was still running when recorded: how "
                                               "long NetSuite took is not compared")
    note = ""
    refuse = bool(fault and fault["element"] == "invalidCredentialsFault")
    if refuse:
        note = "signed so that the target must refuse it, as the recording was refused"
    action = _reproducing(fault)
    if action is not None:
        if target.admin is None:
            return Outcome(interaction, "skipped",
                           f"a recorded {fault['element']} needs a fault rule; the target "
                           f"has no admin API")
        target.admin.add_rule({"name": f"verify #{interaction.index}",
                               "operation": interaction.operation, "nth": 1, "times": 1,
                               "action": action})
        note = f"reproduced with a one-shot {action['fault']} rule, as recorded"
    body = resigned(interaction, target, ids, refuse=refuse)
    try:
        status, answer = send(target, interaction, body)
    except SendError as error:
        return Outcome(interaction, "diverged", note,
                       f"no answer from {target.service_url}: {error}")
    try:
        actual = SoapMessage.parse(answer)
    except NotSoap:
        actual = None
    ids.learn(interaction.operation, recorded, actual)
    if status == interaction.status and _same_bytes(interaction, recorded, answer, actual,
                                                    ids, ignored):
        return Outcome(interaction, "ok", note)
    mine = normalised(interaction.response_body, interaction.status, ignored=ignored)
    theirs = normalised(answer, status, ids=ids.recorded_id, ignored=ignored,
                        root=actual.root if actual is not None else None)
    if mine.same_as(theirs):
        return Outcome(interaction, "ok", note)
    return Outcome(interaction, "diverged", note, diff(mine.lines, theirs.lines))


def _job_still_running(operation: str, recorded: SoapMessage | None,
                       fault: dict | None) -> bool:
    """A status check that found an asynchronous job pending or processing, or a result asked
    for too soon: NetSuite's queue and load, which a replay cannot reproduce."""
    if operation == "checkAsyncStatus" and recorded is not None and recorded.payload is not None:
        return bool(set(_texts(recorded.payload, "status")) & {"pending", "processing"})
    return operation == "getAsyncResult" and bool(fault) and fault["code"] == "JOB_NOT_COMPLETE"


def _reproducing(fault: dict | None) -> dict | None:
    """The fault rule action that makes the target answer a recorded fault exactly (element,
    code, message, faultstring) when no request can provoke it: what else was in flight
    (concurrency, request and usage limits), or NetSuite's own unexpected error. None for
    anything else, and for the mock's own faults (an operation it does not implement …): the
    request is sent as it is and the target's answer compared."""
    if not fault or fault["element"] not in RULE_FAULTS or \
            mock_limitation(fault["element"], fault["code"], fault["message"]):
        return None
    action = {"kind": "fault", "fault": RULE_FAULTS[fault["element"]]}
    for name in ("code", "message", "faultstring"):
        if fault[name] is not None:
            action[name] = fault[name]
    return action


def _summary(interaction: Interaction) -> str:
    """What the recorded answer was, in a few words."""
    message = interaction.response
    if message is None:
        return f"HTTP {interaction.status}"
    fault = message.fault()
    if fault:
        return f"fault {fault['code'] or fault['faultstring']}"
    payload = message.payload
    if payload is None:
        return f"HTTP {interaction.status}"
    statuses = [e for e in payload.iter("{*}status") if label(e.tag) == "core:status"
                and not etree.QName(e.getparent()).localname.endswith("List")]
    failed = [e for e in statuses if e.get("isSuccess") == "false"]
    codes = [c for e in failed for c in _texts(e, "code")]
    parts = [f"{len(statuses) - len(failed)} ok, {len(failed)} failed" if len(statuses) > 1 else
             ("failed " + ", ".join(codes) if failed else "success")]
    total, page = _texts(payload, "totalRecords"), _texts(payload, "pageIndex")
    if total:
        parts.append(f"{total[0]} records" + (f", page {page[0]}" if page else ""))
    return "; ".join(parts)


def _provenance_line(provenance: dict) -> str:
    if not provenance:
        return "no provenance"
    live = provenance.get("recorded_from_live_account")
    return (f"{provenance.get('source', '?')}, "
            f"{'from a live account' if live else 'not from a live account'}")


# -- the run ---------------------------------------------------------------------------------------
def cassette_paths(paths) -> list[Path]:
    return list(iter_files(paths))


def verify(paths, target: Endpoint, out: TextIO, *, ignored: tuple[str, ...] = IGNORED_VALUES
           ) -> Report:
    report = Report()
    files = cassette_paths(paths)
    if not files:
        report.problems.append("no cassettes found in " + ", ".join(map(str, paths)))
    for path in files:
        try:
            cassette = load(path)
        except CassetteError as error:
            report.problems.append(str(error))
            print(f"{path}: {error}", file=out)
            continue
        verify_cassette(cassette, target, report, out, ignored=ignored)
    summary = (f"{report.cassettes} cassette(s), {len(report.outcomes)} interaction(s): "
               f"{report.count('ok')} ok, {report.count('diverged')} diverged, "
               f"{report.count('skipped')} skipped")
    if report.problems:
        summary += f"; {len(report.problems)} problem(s): " + "; ".join(report.problems)
    print(summary, file=out)
    return report

