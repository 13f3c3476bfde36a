"""SuiteTalk's asynchronous operations: asyncAddList, asyncUpdateList, asyncUpsertList,
asyncDeleteList, asyncGetList, asyncInitializeList and asyncSearch, then checkAsyncStatus and
getAsyncResult.

NetSuite queues an asynchronous request and answers at once with a job id and the status
``pending``; the client polls ``checkAsyncStatus`` until the job is ``finished``,
``finishedWithErrors`` or ``failed`` and reads what it did with ``getAsyncResult``. The mock does
a job's work when it is submitted, with the checks and limits of the synchronous operation, in
the order requests arrive; the submission still answers ``pending`` (0 % done), as NetSuite's
does, and the job is complete from the next call on. Jobs are kept per account, in memory (a
restart forgets them, as it forgets search ids), the newest ``KEPT_JOBS``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable

KEPT_JOBS = 1000  # per account; INFERRED (NetSuite keeps results for days, the count is ours)


@dataclass
class AsyncJob:
    job_id: str
    operation: str           # asyncAddList, ..., asyncSearch
    status: str              # AsyncStatusType: finished, finishedWithErrors, failed
    result: Callable[[object, int], dict]  # (call, pageIndex) -> the asyncResult element

    def status_result(self, status: str | None = None) -> dict:
        """The ``asyncStatusResult`` (NetSuite's ``pending`` one at submission)."""
        status = status or self.status
        return {"jobId": self.job_id, "status": status,
                "percentCompleted": 0.0 if status == "pending" else 100.0,
                "estRemainingDuration": 0.0}


class AsyncJobs:
    def __init__(self, kept: int = KEPT_JOBS) -> None:
        self._lock = threading.Lock()
        self._jobs: OrderedDict[str, AsyncJob] = OrderedDict()
        self._kept = kept

    def add(self, job: AsyncJob) -> None:
        with self._lock:
            self._jobs[job.job_id] = job
            while len(self._jobs) > self._kept:
                self._jobs.popitem(last=False)

    def get(self, job_id: str) -> AsyncJob | None:
        with self._lock:
            return self._jobs.get(job_id)

    def clear(self) -> None:
        with self._lock:
            self._jobs.clear()

    def __len__(self) -> int:
        return len(self._jobs)
