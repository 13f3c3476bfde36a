"""Asynchronous jobs: submit, wait for the job, read what it did.

    job = ns.submit("asyncAddList", record=[...])       # or asyncSearch, asyncGetList, ...
    job.wait(timeout=600)                               # polls checkAsyncStatus
    for written in job:                                 # writeResponses, readResponses or,
        ...                                             # for asyncSearch, every record or row

NetSuite answers an async request with a job id at once and does the work later; the client
polls ``checkAsyncStatus`` (no sooner than ``poll`` seconds apart, and no later than the job's
own estimate of the time it needs, up to ``max_poll``) until the job is ``finished``,
``finishedWithErrors`` or ``failed``, then reads the result with ``getAsyncResult``, page by
page for a search. A job still running at ``timeout`` raises ``JobTimeout``: the job goes on in
NetSuite, and ``job_id`` finds it again.
"""

from __future__ import annotations

import time
from typing import Callable, Iterator

from client.errors import NetSuiteError
from client.paging import page_items

DONE = frozenset({"finished", "finishedWithErrors", "failed"})


class JobTimeout(NetSuiteError):
    """The job was not done within the time the caller gave it (it goes on in NetSuite)."""


class AsyncJob:
    def __init__(self, client, operation: str, job_id: str, *,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic):
        self.client = client
        self.operation = operation
        self.job_id = job_id
        self.status: str = "pending"
        self.percent_completed = 0.0
        self.polls = 0
        self._estimate = 0.0
        self.sleep, self.clock = sleep, clock  # how it waits, and the time it waits by

    def check(self) -> str:
        """Ask NetSuite how the job is doing; its status (``processing``, ``finished``, …)."""
        answer = self.client.call("checkAsyncStatus", jobId=self.job_id)
        self.polls += 1
        self.status, self.percent_completed = answer.status, answer.percentCompleted or 0.0
        self._estimate = answer.estRemainingDuration or 0.0
        return self.status

    @property
    def done(self) -> bool:
        return self.status in DONE

    def wait(self, *, timeout: float = 600.0, poll: float = 1.0, max_poll: float = 30.0) -> str:
        """Poll until the job is done; its final status. ``JobTimeout`` after ``timeout`` s."""
        deadline = self.clock() + timeout
        while self.check() not in DONE:
            left = deadline - self.clock()
            if left <= 0:
                raise JobTimeout(f"job {self.job_id} is still {self.status} "
                                 f"({self.percent_completed:g} % done) after {timeout:g} s",
                                 operation=self.operation)
            self.sleep(min(left, max(poll, min(self._estimate, max_poll))))
        return self.status

    def result(self, page: int = 1):
        """``getAsyncResult`` for one page: the job's ``Async*Result``."""
        return self.client.call("getAsyncResult", jobId=self.job_id, pageIndex=page)

    def __iter__(self) -> Iterator:
        """What the job did, item by item: each write or read response in request order, or
        every record (or row) of a search, all pages."""
        if not self.done:
            self.wait()
        first = self.result(1)
        search = getattr(first, "searchResult", None)
        if search is None:
            listed = getattr(first, "writeResponseList", None) or first.readResponseList
            yield from (getattr(listed, "writeResponse", None) or listed.readResponse or [])
            return
        yield from page_items(search)
        for page in range(2, (search.totalPages or 0) + 1):
            yield from page_items(self.result(page).searchResult)
