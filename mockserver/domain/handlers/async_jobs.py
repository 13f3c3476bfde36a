"""The asynchronous operations' handlers (see ``mockserver.domain.async_jobs`` for what a job
is)."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

from mockserver.domain.async_jobs import AsyncJob, Outcome
from mockserver.domain.dispatch import Call, operation
from mockserver.domain.errors import SoapFault
from mockserver.domain.handlers.lists import EACH, list_inputs, run_list
from mockserver.domain.handlers.search import search_snapshot

log = logging.getLogger("netsuite_mock")

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


def _submit(call: Call, job_id: str, work) -> dict:
    """Queue ``work`` (at -> Outcome) as a job of the account's job time; answer ``pending``."""
    seconds = call.backend.async_job_seconds
    job = AsyncJob(job_id, call.operation, call.now,
                   call.now + timedelta(seconds=seconds), _failing_with_its_fault(work))
    if not seconds:
        job.run()
    call.account.async_jobs.add(job)
    return {"asyncStatusResult": job.status_result()}


def _failing_with_its_fault(work):
    """A job whose work meets a SOAP fault (a search the mock cannot do, say) has failed, and
    getAsyncResult answers with that fault; one that meets a bug has failed with NetSuite's
    UnexpectedErrorFault, its Error ID logged once with the traceback (the request that ran
    the job is not affected)."""
    def guarded(at: datetime) -> Outcome:
        try:
            return work(at)
        except SoapFault as fault:
            failure = fault
        except Exception as error:
            failure = SoapFault.of("unexpected")
            log.error("asynchronous job: %s", failure.message, exc_info=error)

        def result(_call: Call, _page: int) -> dict:
            raise failure
        return "failed", result
    return guarded


def _list_job(call: Call, body: dict) -> dict:
    list_operation, result_type = LIST_JOBS[call.operation]
    list_inputs(call, body, EACH[list_operation][0])  # over the limit: refused at submission
    job_id = new_job_id(call)

    def work(at: datetime) -> Outcome:
        outcome = run_list(replace(call, now=at), body, list_operation)
        (results,) = outcome.values()
        each = results.get("writeResponse", results.get("readResponse"))
        status = ("finished" if all(r["status"]["isSuccess"] for r in each)
                  else "finishedWithErrors")

        def result(_call: Call, page_index: int) -> dict:
            if page_index != 1:
                raise SoapFault.of("async_page_index", job_id=job_id, page=page_index)
            return {"_type": f"platformMsgs:{result_type}", **outcome}
        return status, result
    return _submit(call, job_id, work)


for _name in LIST_JOBS:
    operation(_name)(_list_job)


@operation("asyncSearch")
def async_search(call: Call, body: dict) -> dict:
    job_id = new_job_id(call)

    def work(at: datetime) -> Outcome:
        snapshot = search_snapshot(replace(call, now=at), body.get("searchRecord") or {},
                                   job_id)

        def result(page_call: Call, page_index: int) -> dict:
            return {"_type": "platformMsgs:AsyncSearchResult",
                    "searchResult": snapshot.page(page_call, page_index)}
        return ("finished" if snapshot.succeeded else "failed"), result
    return _submit(call, job_id, work)


def _job(call: Call, body: dict) -> AsyncJob:
    job = call.account.async_jobs.get((body.get("jobId") or "").strip())
    if job is None:
        raise SoapFault.of("async_invalid_job")
    return job


@operation("checkAsyncStatus")
def check_async_status(call: Call, body: dict) -> dict:
    return {"asyncStatusResult": _job(call, body).status_result(call.now)}


@operation("getAsyncResult")
def get_async_result(call: Call, body: dict) -> dict:
    job = _job(call, body)
    if not job.done:
        raise SoapFault.of("async_not_complete", job_id=job.job_id)
    return {"asyncResult": job.result(call, body.get("pageIndex") or 0)}
