"""The client's asynchronous jobs against a real mock whose jobs take time: ``submit`` then
``wait`` polls checkAsyncStatus (waiting on the mock's clock, not the test's), iterating reads
every result, a job not done in time raises JobTimeout."""

from __future__ import annotations

import pytest

from client.async_jobs import JobTimeout
from client.errors import RequestError
from mockserver.admin_client import MockAdmin
from mockserver.config import MockSettings
from mockserver.server import MockServer
from tests.client_helpers import admin_records, make_client, wsdl_cache  # noqa: F401

pytestmark = pytest.mark.server
JOB_SECONDS = 40


@pytest.fixture(scope="module")
def slow_mock():
    with MockServer(MockSettings(port=0, seed="demo", async_job_s=JOB_SECONDS)) as server:
        yield server


@pytest.fixture
def nsc(slow_mock, wsdl_cache):  # noqa: F811
    with make_client(slow_mock, wsdl_cache) as client:
        yield client


def on_the_mocks_clock(job, server) -> list[float]:
    """Make ``job`` wait by moving the mock's clock; the waits it asked for."""
    admin, waited, now = MockAdmin(server.url), [], [0.0]

    def sleep(seconds: float) -> None:
        waited.append(seconds)
        now[0] += seconds
        admin.advance_clock(seconds)
    job.sleep, job.clock = sleep, lambda: now[0]
    return waited


def test_submit_wait_and_read_an_async_add_list(nsc, slow_mock):
    job = nsc.submit("asyncAddList", record=[
        {"_ns_type": "Vendor", "companyName": "Async Client Co", "externalId": "ACC-1",
         "subsidiary": {"internalId": "1"}},
        {"_ns_type": "Vendor", "companyName": "No Subsidiary"}])
    assert job.job_id.startswith("ASYNCWEBSERVICES_") and job.status == "pending"
    waited = on_the_mocks_clock(job, slow_mock)
    assert job.wait(poll=5, max_poll=20) == "finishedWithErrors"
    assert JOB_SECONDS <= sum(waited) <= JOB_SECONDS + 20 and 2 <= job.polls <= 6
    assert all(5 <= w <= 20 for w in waited)   # the job's estimate, within poll and max_poll
    written = list(job)
    assert [w.status.isSuccess for w in written] == [True, False]
    assert written[1].status.statusDetail[0].code == "USER_ERROR"
    assert "ACC-1" in {r.get("externalId") for r in admin_records(slow_mock, "vendor")}


def test_an_async_search_is_read_page_by_page(nsc, slow_mock):
    job = nsc.submit("asyncSearch", {"_ns_type": "VendorSearchBasic"},
                     headers={"searchPreferences": {"pageSize": 5}})
    on_the_mocks_clock(job, slow_mock)
    job.wait(poll=10)
    names = [vendor.companyName for vendor in job]
    assert len(names) == len(admin_records(slow_mock, "vendor")) > 5
    assert job.result(1).searchResult.totalPages == -(-len(names) // 5)


def test_a_job_not_done_in_time_raises_job_timeout(nsc, slow_mock):
    job = nsc.submit("asyncGetList", baseRef=[{"_ns_type": "RecordRef", "type": "vendor",
                                               "internalId": "101"}])
    on_the_mocks_clock(job, slow_mock)
    with pytest.raises(JobTimeout, match=r"job ASYNC\S+ is still processing \(\d+(\.\d+)? % "
                                         r"done\) after 10 s"):
        job.wait(timeout=10, poll=4)
    assert job.wait(poll=10) == "finished"   # it went on


def test_submit_takes_only_asynchronous_operations(nsc):
    with pytest.raises(RequestError, match="addList is not an asynchronous operation"):
        nsc.submit("addList", record=[])
