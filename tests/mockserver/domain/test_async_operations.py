"""The asynchronous operations over HTTP with zeep: a job is submitted (``pending``), checked
(``finished``, ``finishedWithErrors`` or ``failed``) and its results read with getAsyncResult;
the synchronous initializeList beside them."""

from __future__ import annotations

import pytest
from zeep.exceptions import Fault

from mockserver.admin_client import MockAdmin
from tests.client_helpers import admin_records
from tests.conftest import SoapClient, checked_call
from tests.mockserver.domain.test_list_operations import fault_of, results, vendor

pytestmark = pytest.mark.server


def submitted(ns, schema, operation: str, **kwargs) -> str:
    status = checked_call(ns, schema, operation, **kwargs).asyncStatusResult
    assert (status.status, status.percentCompleted, status.estRemainingDuration) == (
        "pending", 0.0, 0.0)
    assert status.jobId.startswith("ASYNCWEBSERVICES_1234567_SB1_")
    return status.jobId


def job_status(ns, schema, job_id: str):
    status = checked_call(ns, schema, "checkAsyncStatus", jobId=job_id).asyncStatusResult
    assert status.jobId == job_id
    return status.status, status.percentCompleted


def job_result(ns, schema, job_id: str, page: int = 1):
    return checked_call(ns, schema, "getAsyncResult", jobId=job_id, pageIndex=page).asyncResult


def stored(ns, record_type: str) -> list[dict]:
    return admin_records(ns.server, record_type)


def test_async_add_list_adds_what_it_can_and_says_so(ns, response_schema):
    job = submitted(ns, response_schema, "asyncAddList", record=[
        vendor(ns, "Async Vendor A", externalId="AV-A"),
        vendor(ns, "Acme Supplies Inc."),              # a duplicate entity
        vendor(ns, "Async Vendor B", externalId="AV-B")])
    assert job_status(ns, response_schema, job) == ("finishedWithErrors", 100.0)
    result = job_result(ns, response_schema, job)
    assert type(result).__name__ == "AsyncAddListResult"
    assert results(result) == (True, [(True, None), (False, "DUP_ENTITY"), (True, None)])
    added = {r["externalId"] for r in stored(ns, "vendor") if r.get("externalId")}
    assert {"AV-A", "AV-B"} <= added


def test_each_list_job_does_what_its_synchronous_twin_does(ns, response_schema):
    V = ns.type("ns13:Vendor")
    cases = [
        ("asyncUpdateList", {"record": [V(internalId="102", phone="555-0102")]},
         "AsyncUpdateListResult", "writeResponseList"),
        ("asyncUpsertList", {"record": [vendor(ns, "Async Upserted", externalId="AU-1")]},
         "AsyncUpsertListResult", "writeResponseList"),
        ("asyncGetList", {"baseRef": [ns.ref("vendor", "102"), ns.ref("vendor", "103")]},
         "AsyncGetListResult", "readResponseList"),
        ("asyncDeleteList", {"baseRef": [ns.ref("vendor", "109")]},
         "AsyncDeleteListResult", "writeResponseList"),
    ]
    for operation, arguments, result_type, list_name in cases:
        job = submitted(ns, response_schema, operation, **arguments)
        assert job_status(ns, response_schema, job) == ("finished", 100.0), operation
        result = job_result(ns, response_schema, job)
        assert type(result).__name__ == result_type
        item = "readResponse" if list_name == "readResponseList" else "writeResponse"
        assert all(ok for ok, _ in results(result, list_name, item)[1]), operation
    got = job_result(ns, response_schema, submitted(
        ns, response_schema, "asyncGetList", baseRef=[ns.ref("vendor", "102")]))
    assert got.readResponseList.readResponse[0].record.phone == "555-0102"
    assert not [r for r in stored(ns, "vendor") if r["internalId"] == "109"]


def test_async_search_pages_up_to_2000_with_get_async_result(ns, response_schema):
    VendorSearchBasic = ns.type("ns5:VendorSearchBasic")
    prefs = ns.type("ns4:SearchPreferences")
    job = submitted(ns, response_schema, "asyncSearch", searchRecord=VendorSearchBasic(),
                    headers={"searchPreferences": prefs(pageSize=5)})
    assert job_status(ns, response_schema, job) == ("finished", 100.0)
    first = job_result(ns, response_schema, job).searchResult
    assert (first.totalRecords, first.pageSize, first.totalPages, first.pageIndex) == (
        len(stored(ns, "vendor")), 5, -(-len(stored(ns, "vendor")) // 5), 1)
    ids = [r.internalId for page in range(1, first.totalPages + 1)
           for r in job_result(ns, response_schema, job, page).searchResult.recordList.record]
    assert sorted(ids, key=int) == sorted((r["internalId"] for r in stored(ns, "vendor")),
                                          key=int)
    beyond = job_result(ns, response_schema, job, first.totalPages + 1).searchResult
    assert beyond.status.statusDetail[0].code == "INVALID_SEARCH_PAGE_INDEX"
    # async pages may hold 2000; a synchronous search refuses more than 1000
    big = submitted(ns, response_schema, "asyncSearch", searchRecord=VendorSearchBasic(),
                    headers={"searchPreferences": prefs(pageSize=2000)})
    assert job_result(ns, response_schema, big).searchResult.pageSize == 2000
    # there is no searchMoreWithId for an async search
    more = checked_call(ns, response_schema, "searchMoreWithId", searchId=job, pageIndex=1)
    assert more.searchResult.status.statusDetail[0].code == "INVALID_JOB_ID"


def test_an_async_search_that_cannot_run_fails(ns, response_schema):
    job = submitted(ns, response_schema, "asyncSearch",
                    searchRecord=ns.type("ns5:VendorSearchBasic")(),
                    headers={"searchPreferences": ns.type("ns4:SearchPreferences")(
                        pageSize=2001)})
    assert job_status(ns, response_schema, job) == ("failed", 100.0)
    failed = job_result(ns, response_schema, job).searchResult
    assert not failed.status.isSuccess
    assert failed.status.statusDetail[0].code == "INVALID_SEARCH_PAGE_SIZE"


def test_unknown_job_ids_and_pages_are_async_faults(ns, response_schema):
    for operation, arguments in (("checkAsyncStatus", {"jobId": "ASYNCWEBSERVICES_NOPE"}),
                                 ("getAsyncResult", {"jobId": "nope", "pageIndex": 1})):
        with pytest.raises(Fault):
            ns.call(operation, **arguments)
        assert fault_of(ns) == ("asyncFault", "INVALID_JOB_ID",
                                "You have specified an invalid Job Id")
    job = submitted(ns, response_schema, "asyncGetList", baseRef=[ns.ref("vendor", "101")])
    with pytest.raises(Fault):
        ns.call("getAsyncResult", jobId=job, pageIndex=2)
    assert fault_of(ns)[:2] == ("asyncFault", "INVALID_PAGE_INDEX")


def test_async_lists_have_netsuites_larger_limits(ns):
    refs = [ns.ref("vendor", "101")] * 2000
    assert ns.call("asyncGetList", baseRef=refs).body.asyncStatusResult.status == "pending"
    with pytest.raises(Fault):
        ns.call("asyncGetList", baseRef=refs + [ns.ref("vendor", "101")])
    assert fault_of(ns) == ("exceededRecordCountFault", "MAX_RCRDS_EXCEEDED",
                            "The maximum number ( 2000 ) of records allowed for a asyncGetList "
                            "operation has been exceeded.")


def test_initialize_list_and_its_async_twin(ns, response_schema):
    def initialize(internal_id: str):
        return ns.type("ns0:InitializeRecord")(
            type="vendorBill", reference=ns.type("ns0:InitializeRef")(
                type="purchaseOrder", internalId=internal_id))
    body = checked_call(ns, response_schema, "initializeList",
                        initializeRecord=[initialize("303"), initialize("99999")])
    assert results(body, "readResponseList", "readResponse") == (
        True, [(True, None), (False, "INVALID_INITIALIZE_REF")])
    bill = body.readResponseList.readResponse[0].record
    assert type(bill).__name__ == "VendorBill" and bill.entity is not None
    job = submitted(ns, response_schema, "asyncInitializeList",
                    initializeRecord=[initialize("304")])
    assert job_status(ns, response_schema, job)[0] == "finished"
    record = job_result(ns, response_schema, job).readResponseList.readResponse[0].record
    assert type(record).__name__ == "VendorBill"


def test_a_reset_forgets_the_jobs(ns, response_schema):
    """A reset of the mock forgets its jobs (as it forgets search ids)."""
    job = submitted(ns, response_schema, "asyncGetList", baseRef=[ns.ref("vendor", "101")])
    MockAdmin(ns.server.url).reset()
    with pytest.raises(Fault):
        ns.call("checkAsyncStatus", jobId=job)
    assert fault_of(ns)[1] == "INVALID_JOB_ID"


# -- jobs that take time (async_job_s, on the mock's clock) ----------------------------------------
# Long beside the wall-clock time between two requests of a test: the first checks still see
# the job at under 5% however long the test process stalls (a full garbage collection of a
# whole suite's heap once took 1.7 s there, 5.8% of a 30 s job).
JOB_SECONDS = 300


@pytest.fixture(scope="module")
def slow(zeep_client):
    """A mock whose asynchronous jobs take 300 s of its clock."""
    from mockserver.config import MockSettings
    from mockserver.server import MockServer
    with MockServer(MockSettings(port=0, seed="demo", async_job_s=JOB_SECONDS)) as server:
        yield SoapClient(zeep_client, server)


def advance(ns, seconds: float) -> None:
    MockAdmin(ns.server.url).advance_clock(seconds)


def test_a_job_is_processing_for_its_time_and_done_after_it(slow, response_schema):
    job = submitted(slow, response_schema, "asyncAddList",
                    record=[vendor(slow, "Slow Vendor", externalId="SLOW-1")])
    status, share = job_status(slow, response_schema, job)
    assert status == "processing" and share < 5
    with pytest.raises(Fault):
        slow.call("getAsyncResult", jobId=job, pageIndex=1)
    assert fault_of(slow)[:2] == ("asyncFault", "JOB_NOT_COMPLETE")
    assert "SLOW-1" not in {r.get("externalId") for r in stored(slow, "vendor")}

    advance(slow, JOB_SECONDS / 2)
    halfway = checked_call(slow, response_schema, "checkAsyncStatus",
                           jobId=job).asyncStatusResult
    assert halfway.status == "processing" and 45 <= halfway.percentCompleted <= 60
    assert JOB_SECONDS / 2 - 3 <= halfway.estRemainingDuration <= JOB_SECONDS / 2
    assert "SLOW-1" not in {r.get("externalId") for r in stored(slow, "vendor")}

    advance(slow, JOB_SECONDS / 2 + 1)
    assert job_status(slow, response_schema, job) == ("finished", 100.0)
    added = [r for r in stored(slow, "vendor") if r.get("externalId") == "SLOW-1"]
    assert len(added) == 1
    written = job_result(slow, response_schema, job).writeResponseList.writeResponse[0]
    assert written.baseRef.internalId == added[0]["internalId"]


def test_a_job_is_done_by_the_first_request_after_its_time(slow, response_schema):
    job = submitted(slow, response_schema, "asyncDeleteList", baseRef=[slow.ref("vendor", "110")])
    advance(slow, JOB_SECONDS + 1)
    assert [r for r in stored(slow, "vendor") if r["internalId"] == "110"]   # no request yet
    slow.call("getServerTime")
    assert not [r for r in stored(slow, "vendor") if r["internalId"] == "110"]
    assert job_status(slow, response_schema, job) == ("finished", 100.0)


def test_a_search_job_finds_what_is_there_when_it_runs(slow, response_schema):
    VendorSearchBasic = slow.type("ns5:VendorSearchBasic")
    job = submitted(slow, response_schema, "asyncSearch", searchRecord=VendorSearchBasic())
    assert slow.call("add", record=vendor(slow, "Added While Queued")).body \
        .writeResponse.status.isSuccess
    advance(slow, JOB_SECONDS + 1)
    result = job_result(slow, response_schema, job).searchResult
    assert "Added While Queued" in {r.companyName for r in result.recordList.record}


@pytest.mark.parametrize("value", [-1, float("nan"), float("inf")])
def test_the_job_time_must_be_seconds(value):
    from suitetalk.config import ConfigError
    from mockserver.config import load_settings
    with pytest.raises(ConfigError, match="async job time must be a number of seconds"):
        load_settings(environ={}, flags={"async_job_s": value}).validate()


def test_the_admin_api_lists_the_jobs_with_their_status(slow, response_schema):
    job = submitted(slow, response_schema, "asyncGetList", baseRef=[slow.ref("vendor", "101")])
    admin = MockAdmin(slow.server.url)
    listed = admin.jobs()[0]
    assert (listed["jobId"], listed["operation"], listed["status"], listed["account"]) == (
        job, "asyncGetList", "processing", "1234567_SB1")
    advance(slow, JOB_SECONDS + 1)
    slow.call("getServerTime")
    assert admin.jobs()[0]["status"] == "finished" and admin.jobs()[0]["percentCompleted"] == 100


def test_a_job_that_meets_a_bug_fails_with_netsuites_unexpected_error(ns, response_schema,
                                                                       monkeypatch, caplog):
    from mockserver.domain.handlers import async_jobs

    def broken(*args, **kwargs):
        raise RuntimeError("planted bug")
    monkeypatch.setattr(async_jobs, "run_list", broken)
    job = submitted(ns, response_schema, "asyncGetList", baseRef=[ns.ref("vendor", "101")])
    assert job_status(ns, response_schema, job) == ("failed", 100.0)
    with pytest.raises(Fault) as raised:
        ns.call("getAsyncResult", jobId=job, pageIndex=1)
    element, code, message = fault_of(ns)
    assert (element, code, raised.value.message) == (
        "unexpectedErrorFault", "UNEXPECTED_ERROR", "An unexpected error occurred.")
    error_id = message.rsplit("Error ID: ", 1)[1]
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert len(logged) == 1 and "planted bug" in str(logged[0].exc_info[1])
