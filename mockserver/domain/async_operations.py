"""The asynchronous operations' handlers (see ``async_jobs`` for what a job is)."""

from __future__ import annotations

from mockserver.domain.backend import Call, operation
from mockserver.domain.errors import SoapFault
from mockserver.domain.async_jobs import AsyncJob
from mockserver.domain.list_operations import run_list
from mockserver.domain.search.operations import search_snapshot

# asyncX -> the synchronous list operation it queues, and its result type (platformMsgs).
LIST_JOBS = {
    "asyncAddList": ("addList", "AsyncAddListResult"),
    "asyncUpdateList": ("updateList", "AsyncUpdateListResult"),
    "asyncUpsertList": ("upsertList", "AsyncUpsertListResult"),
    "asyncDeleteList": ("deleteList", "AsyncDeleteListResult"),
    "asyncGetList": ("getList", "AsyncGetListResult"),
    "asyncInitializeList": ("initializeList", "AsyncInitializeListResult"),
}


def new_job_id(call: Call) -> str:
    """NetSuite's job ids are its nsIds with ``ASYNC`` in front (documented examples)."""
    return "ASYNC" + call.ns_id


def _submitted(call: Call, job: AsyncJob) -> dict:
    call.account.async_jobs.add(job)
    return {"asyncStatusResult": job.status_result("pending")}


def _list_job(call: Call, body: dict) -> dict:
    list_operation, result_type = LIST_JOBS[call.operation]
    outcome = run_list(call, body, list_operation)  # limits checked as it is submitted
    (results,) = outcome.values()
    each = results.get("writeResponse", results.get("readResponse"))
    job_id = new_job_id(call)
    status = ("finished" if all(r["status"]["isSuccess"] for r in each)
              else "finishedWithErrors")

    def result(_call: Call, page_index: int) -> dict:
        if page_index != 1:
            raise SoapFault.of("async_page_index", job_id=job_id, page=page_index)
        return {"_type": f"platformMsgs:{result_type}", **outcome}
    return _submitted(call, AsyncJob(job_id, call.operation, status, result))


for _name in LIST_JOBS:
    operation(_name)(_list_job)


@operation("asyncSearch")
def async_search(call: Call, body: dict) -> dict:
    job_id = new_job_id(call)
    snapshot = search_snapshot(call, body.get("searchRecord") or {}, job_id)

    def result(page_call: Call, page_index: int) -> dict:
        return {"_type": "platformMsgs:AsyncSearchResult",
                "searchResult": snapshot.page(page_call, page_index)}
    status = "finished" if snapshot.succeeded else "failed"
    return _submitted(call, AsyncJob(job_id, call.operation, status, result))


def _job(call: Call, body: dict) -> AsyncJob:
    job = call.account.async_jobs.get((body.get("jobId") or "").strip())
    if job is None:
        raise SoapFault.of("async_invalid_job")
    return job


@operation("checkAsyncStatus")
def check_async_status(call: Call, body: dict) -> dict:
    return {"asyncStatusResult": _job(call, body).status_result()}


@operation("getAsyncResult")
def get_async_result(call: Call, body: dict) -> dict:
    job = _job(call, body)
    return {"asyncResult": job.result(call, body.get("pageIndex") or 0)}
