"""Properties of the mock over HTTP, on records Hypothesis derives from the schema models
(``contracts.strategies``), through the client, and the differential runner
(``contracts.differential``) catching a deliberately altered mock.

NETSUITE_CONTRACTS_EXAMPLES sets how many examples each property tries (default: CI-sized)."""

from __future__ import annotations

import itertools
import math
import os

import pytest
import requests
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from client.errors import RecordError
from client.objects import to_json
from contracts.differential import comparable, differential, run
from contracts.endpoints import mock_endpoint
from contracts.strategies import (expected_amounts, operations, record_types, records,
                                  required_fields, unique_names, upsertable_record_types)
from mockserver.config import MockSettings
from mockserver.domain.custom_fields import DEFINITION_TYPES
from mockserver.domain.records import READ_ONLY_FIELDS, kind_of
from mockserver.domain.transactions import LINE_LISTS, computed_fields
from mockserver.server import MockServer

pytestmark = pytest.mark.server
EXAMPLES = int(os.environ.get("NETSUITE_CONTRACTS_EXAMPLES", "0"))
SUFFIX = itertools.count(1)


def examples(default: int) -> settings:
    return settings(max_examples=EXAMPLES or default, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


@pytest.fixture
def endpoint(netsuite_mock):
    return netsuite_mock.endpoint


@pytest.fixture
def client(endpoint):
    with endpoint.client() as client:
        yield client


@pytest.fixture(scope="module")
def existing(netsuite_mock_server):
    """Internal ids of the demo data, by record type: what generated references point at."""
    admin = mock_endpoint(netsuite_mock_server).admin
    admin.reset("demo", clear_rules=True)
    return {t: [r["internalId"] for r in admin.records(t)] for t in admin.records()}


@pytest.fixture(scope="module")
def definitions(netsuite_mock_server, existing):
    """The demo data's custom field definitions, by type: what generated customFieldLists use."""
    admin = mock_endpoint(netsuite_mock_server).admin
    return {t: admin.records(t) for t in DEFINITION_TYPES if t in existing}


def ref(record_type: str, internal_id: str) -> dict:
    return {"_ns_type": "RecordRef", "type": record_type, "internalId": internal_id}


def assert_round_trips(sent: dict, got: dict, where: str = "") -> None:
    """What was sent comes back: values as sent, references as the same record, sublist lines
    in order (with what the server adds, such as line numbers and names), custom fields by
    scriptId."""
    for name, value in sent.items():
        if name.startswith("_"):
            continue
        actual = got.get(name)
        if name == "customFieldList":
            read = {e.get("scriptId"): e for e in (actual or {}).get("customField") or []}
            for entry in value["customField"]:
                assert comparable(read.get(entry["scriptId"], {}).get("value")) == \
                    comparable(entry["value"]), f"{where}{name}.{entry['scriptId']}: {read}"
            continue
        lines = _lines(value)
        if lines is not None:
            read = _lines(actual) or []
            assert len(read) == len(lines), f"{where}{name}: sent {len(lines)} lines, read " \
                                            f"back {len(read)}"
            for number, (line, back) in enumerate(zip(lines, read), start=1):
                assert_round_trips(line, back, f"{where}{name}[{number}].")
            continue
        expected, actual = comparable(value), comparable(actual)
        if isinstance(expected, dict) and "internalId" in expected:   # the same record
            actual = {"internalId": (actual or {}).get("internalId")}   # (NetSuite adds a name)
        elif isinstance(expected, dict):    # an address: what was sent, and what NetSuite adds
            actual = {k: v for k, v in (actual or {}).items() if k in expected}
        assert actual == expected, f"{where}{name}: sent {expected!r}, read back {actual!r}"


def _lines(value):
    """The lines of a sublist value ({"item": [...]}), or None for anything else."""
    if isinstance(value, dict):
        found = [v for k, v in value.items() if isinstance(v, list) and k != "_ns_type"
                 and all(isinstance(line, dict) for line in v)]
        if len(found) == 1 and set(value) - {"replaceAll", "_ns_type"} and \
                all(k in ("replaceAll", "_ns_type") or isinstance(v, list)
                    for k, v in value.items()):
            return found[0]
    return None


def assert_computed(record_type: str, sent: dict, got: dict) -> None:
    """What the server works out from the lines: amounts (quantity × rate) and totals."""
    for name, value in expected_amounts(record_type, sent).items():
        assert got.get(name) == pytest.approx(value), f"{name}: {got.get(name)} != {value}"
    for list_name in ("itemList", "expenseList"):
        for line, back in zip(_lines(sent.get(list_name)) or [],
                              _lines(got.get(list_name)) or []):
            if "quantity" in line and "rate" in line:
                assert back["amount"] == pytest.approx(
                    round(float(line["quantity"]) * float(line["rate"]), 2))


@pytest.mark.parametrize("record_type", record_types())
def test_strategies_cover_every_modelled_record_type(record_type, existing, definitions):
    """Each record type has a strategy, and its records carry every required field and none
    of the fields NetSuite sets itself."""
    computed = READ_ONLY_FIELDS | computed_fields(record_type)

    @examples(10)
    @given(records(record_type, existing, definitions=definitions))
    def check(record):
        missing = [f for f in required_fields(kind_of(record_type)) if f not in record]
        assert not missing, f"{record_type}: {missing}"
        assert not computed & set(record), f"{record_type}: {computed & set(record)}"
    check()


@pytest.mark.parametrize("record_type", ["vendorBill", "journalEntry", "purchaseOrder",
                                         "invoice", "vendor"])
def test_generated_records_have_lines_addresses_and_custom_fields(record_type, existing,
                                                                   definitions):
    """Sublists, addresses and custom fields are generated, not skipped: each shows up in some
    of a few dozen examples, with lines that refer to records that exist."""
    seen: set[str] = set()
    ids = {i for values in existing.values() for i in values}

    @examples(40)
    @given(records(record_type, existing, definitions=definitions))
    def check(record):
        for name, value in record.items():
            for line in (_lines(value) or []) if name in LINE_LISTS else []:
                seen.add("lines")
                if "customFieldList" in line:
                    seen.add("custom fields")
                refs = [v for v in line.values() if isinstance(v, dict) and "internalId" in v]
                assert refs and all(r["internalId"] in ids for r in refs), line
            if name == "customFieldList":
                seen.add("custom fields")
            if name in ("billingAddress", "shippingAddress", "addressbookList"):
                seen.add("addresses")
    check()
    wanted = {"custom fields"} | ({"addresses"} if record_type != "journalEntry" else set()) \
        | ({"lines"} if record_type != "vendor" else set())
    assert wanted <= seen, f"{record_type}: only {seen}"


@pytest.mark.parametrize("record_type", record_types())
def test_add_then_get_round_trips(record_type, client, existing, definitions):
    """What is sent comes back, and what NetSuite works out (line amounts, totals) is what
    the lines say; fields NetSuite sets itself are neither sent nor expected back."""
    @examples(4)
    @given(records(record_type, existing, definitions=definitions))
    def check(record):
        record = unique_names(record, f"r{next(SUFFIX)}")
        written = client.call("add", record, as_json=True)
        read = client.call("get", ref(record_type, written["baseRef"]["internalId"]),
                           as_json=True)
        assert_round_trips(record, read["record"])
        assert_computed(record_type, record, read["record"])
    check()


def test_upsert_is_idempotent_by_external_id(client, existing):
    @examples(30)
    @given(st.sampled_from(upsertable_record_types()).flatmap(
        lambda t: st.tuples(st.just(t), records(t, existing))))
    def check(drawn):
        record_type, record = drawn
        n = next(SUFFIX)
        record = unique_names({**record, "externalId": f"X{n}"}, f"u{n}")
        first = client.call("upsert", record, as_json=True)["baseRef"]["internalId"]
        after_first = client.call("get", ref(record_type, first), as_json=True)["record"]
        second = client.call("upsert", record, as_json=True)["baseRef"]["internalId"]
        after_second = client.call("get", ref(record_type, second), as_json=True)["record"]
        assert second == first
        assert comparable({k: v for k, v in after_second.items() if k != "lastModifiedDate"}) \
            == comparable({k: v for k, v in after_first.items() if k != "lastModifiedDate"})
        assert_round_trips(record, after_second)
    check()


def test_search_finds_what_was_added(client, existing):
    @examples(20)
    @given(records("vendor", existing))
    def check(vendor):
        vendor = unique_names(vendor, f"s{next(SUFFIX)}")
        added = client.call("add", vendor, as_json=True)["baseRef"]["internalId"]
        found = client.call("search", {"_ns_type": "VendorSearchBasic", "entityId": {
            "operator": "is", "searchValue": vendor["companyName"]}}, as_json=True)
        assert [r["internalId"] for r in found["recordList"]["record"]] == [added]
    check()


def test_pages_partition_the_results_exactly(client):
    @examples(15)
    @given(st.integers(0, 23), st.integers(5, 8))
    def check(count, page_size):
        prefix = f"Page{next(SUFFIX)}z"
        added = set()
        if count:
            written = client.call("addList", record=[
                {"_ns_type": "Vendor", "companyName": f"{prefix} {i}",
                 "subsidiary": {"internalId": "1"}} for i in range(count)], as_json=True)
            added = {w["baseRef"]["internalId"] for w in written["writeResponse"]}
        headers = {"searchPreferences": {"pageSize": page_size}}
        first = client.call("search", {"_ns_type": "VendorSearchBasic", "entityId": {
            "operator": "startsWith", "searchValue": prefix}}, headers=headers, as_json=True)
        assert first["totalRecords"] == count
        assert first.get("totalPages", 0) == math.ceil(count / page_size)
        pages = [first]
        for index in range(2, math.ceil(count / page_size) + 1):
            pages.append(client.call("searchMoreWithId", searchId=first["searchId"],
                                     pageIndex=index, headers=headers, as_json=True))
        seen: list[str] = []
        for index, page in enumerate(pages, start=1):
            rows = (page.get("recordList") or {}).get("record", [])
            assert len(rows) == min(page_size, count - (index - 1) * page_size)
            seen += [r["internalId"] for r in rows]
        assert len(seen) == len(set(seen)) and set(seen) == added
    check()


# -- the differential runner -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def second_mock():
    with MockServer(MockSettings(port=0, seed="demo", log_level="warning")) as server:
        yield server


def _fresh(*endpoints):
    for endpoint in endpoints:
        endpoint.admin.reset("demo")
        endpoint.admin.reset_clock()


def test_differential_runner_finds_no_difference_between_two_mocks(endpoint, second_mock,
                                                                   existing):
    other = mock_endpoint(second_mock)
    other.admin.clear_rules()

    @examples(15)
    @given(operations(existing))
    def check(steps):
        _fresh(endpoint, other)
        assert differential(endpoint, other, steps) == []
    check()


def test_an_async_list_job_does_what_the_list_operation_does(endpoint, second_mock, existing):
    """asyncAddList, waited for and read, answers record for record as addList does on an equal
    mock, and leaves the same records behind (ids, fields, computed totals)."""
    other = mock_endpoint(second_mock)
    other.admin.clear_rules()

    @examples(10)
    @given(st.sampled_from(["vendor", "customer", "vendorBill", "journalEntry", "invoice",
                            "inventoryItem", "contact"]).flatmap(
        lambda t: st.tuples(st.just(t), st.lists(records(t, existing), min_size=1,
                                                 max_size=4))))
    def check(drawn):
        record_type, batch = drawn
        _fresh(endpoint, other)
        n = next(SUFFIX)
        batch = [unique_names(record, f"j{n}") for record in batch]
        with endpoint.client() as via_job, other.client() as direct:
            job = via_job.submit("asyncAddList", record=batch)
            assert job.wait(timeout=30, poll=0.05) in ("finished", "finishedWithErrors")
            job_answers = [comparable(to_json(answer)) for answer in job]
            answers = comparable(direct.call("addList", record=batch,
                                             as_json=True)["writeResponse"])
            assert job_answers == answers
            assert (job.status == "finished") == all(a["status"]["isSuccess"] for a in answers)
            ids = [a["baseRef"]["internalId"] for a in answers if a["status"]["isSuccess"]]
            for internal_id in ids:
                def stored(client):
                    got = client.call("get", ref(record_type, internal_id), as_json=True)
                    return comparable({k: v for k, v in got["record"].items()
                                       if k not in ("createdDate", "lastModifiedDate",
                                                    "tranDate", "dateCreated")})
                assert stored(via_job) == stored(direct)
    check()


def test_differential_runner_catches_an_altered_mock(endpoint, second_mock, existing):
    """The second mock answers ``get`` without the company name, as a regression in the
    mock (or a sandbox that behaves differently) would: the runner finds a sequence that shows
    it, and names the step."""
    altered = mock_endpoint(second_mock)
    altered.admin.clear_rules()
    backend = second_mock.backend
    original = backend.handle

    def handle_without_name(operation, *args, **kwargs):
        reply = original(operation, *args, **kwargs)
        record = (reply.body.get("readResponse") or {}).get("record") \
            if operation == "get" else None
        if isinstance(record, dict):
            record.pop("companyName", None)
        return reply

    backend.handle = handle_without_name
    try:
        found: list = []

        @settings(examples(60), phases=[Phase.generate])   # the first find is enough
        @given(operations(existing, record_types=("vendor",)))
        def check(steps):
            _fresh(endpoint, altered)
            divergences = differential(endpoint, altered, steps)
            if divergences:
                found.append(divergences)
            assert not divergences

        with pytest.raises(AssertionError):
            check()
        assert found, "the runner never noticed the altered mock"
        divergence = found[-1][0]
        assert divergence.operation == "get"
        assert divergence.a["fields"]["companyName"] and \
            divergence.b["fields"]["companyName"] is None
    finally:
        backend.handle = original


def test_a_failed_step_is_an_outcome_not_an_exception(endpoint):
    steps = [{"op": "get", "type": "vendor", "handle": "#9"}]
    assert run(endpoint, steps) == [{"ok": False, "code": "RCRD_DSNT_EXIST",
                                     "message": "That record does not exist."}]


def test_an_invalid_generated_record_is_refused_with_netsuites_error(client, existing):
    """The strategies' required fields are NetSuite's: leaving one out fails as NetSuite does."""
    @examples(5)
    @given(records("vendor", existing, optional=False))
    def check(record):
        del record["companyName"]
        with pytest.raises(RecordError) as error:
            client.call("add", record)
        assert error.value.code == "USER_ERROR" and "Company Name" in error.value.message
    check()


def test_the_differential_runner_compares_the_mock_with_a_replayed_session(endpoint,
                                                                         second_mock,
                                                                         existing, tmp_path):
    """Offline comparison with a sandbox: run a sequence against it once, recording; later run
    the same sequence against the replay of that recording and against the mock."""
    from suitetalk.config import NetSuiteSettings
    from contracts.cassette import load
    from contracts.endpoints import Endpoint
    from contracts.replay import replay_server

    steps = [{"op": "add", "type": "vendor", "handle": "#1", "record": {
                 "_ns_type": "Vendor", "companyName": "Rowan", "subsidiary": {"internalId": "1"}}},
             {"op": "update", "type": "vendor", "handle": "#1", "record": {
                 "_ns_type": "Vendor", "comments": "net 30"}},
             {"op": "get", "type": "vendor", "handle": "#1"},
             {"op": "search", "type": "vendor", "handle": "#1"},
             {"op": "get", "type": "vendor", "handle": "#7"}]
    sandbox = mock_endpoint(second_mock)          # stands in for the sandbox
    _fresh(sandbox, endpoint)
    path = tmp_path / "sandbox.yaml"
    with sandbox.client(record_to=str(path)) as recording:
        recorded = run(recording, steps, tag="-run1")
    with replay_server([load(path)], port=0) as replay:
        replayed = Endpoint(NetSuiteSettings(account="X", wsdl_url=replay.wsdl_url,
                                             service_url=replay.service_url), sandbox.secrets)
        assert run(replayed, steps, tag="-run1") == recorded
        requests.post(replay.url + "/__replay/rewind", timeout=10)
        assert differential(endpoint, replayed, steps, tag="-run1") == []
