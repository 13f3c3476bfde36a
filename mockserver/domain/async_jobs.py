"""SuiteTalk's asynchronous operations: asyncAddList, asyncUpdateList, asyncUpsertList,
asyncDeleteList, asyncGetList, asyncInitializeList and asyncSearch, then checkAsyncStatus and
getAsyncResult.

NetSuite queues an asynchronous request and answers at once with a job id and the status
``pending``; the client polls ``checkAsyncStatus`` until the job is ``finished``,
``finishedWithErrors`` or ``failed`` and reads what it did with ``getAsyncResult``. The mock
checks the request's limits as it is submitted and answers ``pending`` (0 %) likewise. A job
takes the account's job time (``async_job_s``, on the mock's clock; 0 by default): until then
it is ``processing`` with its share of that time done, and nothing of it has happened; at its
end the job does what the synchronous operation does, as of that moment, when the next request
reaches the account. With no job time it is done as it is submitted. Jobs are kept per account,
in memory (a restart forgets them and any work not done yet), the newest ``KEPT_JOBS``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

KEPT_JOBS = 1000  # per account; INFERRED (NetSuite keeps results for days, the count is ours)

# What a job's work gives: its final status and its result, (call, pageIndex) -> asyncResult.
Outcome = tuple[str, Callable[[object, int], dict]]


@dataclass
class AsyncJob:
    job_id: str
    operation: str                      # asyncAddList, ..., asyncSearch
    submitted: datetime
    due: datetime                       # when its work is done
    work: Callable[[datetime], Outcome] | None = field(default=None, repr=False)
    status: str = "pending"             # finished, finishedWithErrors or failed once done
    result: Callable[[object, int], dict] | None = field(default=None, repr=False)

    @property
    def done(self) -> bool:
        return self.result is not None

    def status_result(self, now: datetime | None = None) -> dict:
        """The ``asyncStatusResult`` as of ``now``; without it, the submission's answer
        (NetSuite's ``pending``, whatever the job's time)."""
        if now is None:
            status, share, left = "pending", 0.0, 0.0
        elif self.done:
            status, share, left = self.status, 100.0, 0.0
        else:
            total = (self.due - self.submitted).total_seconds()
            left = max(0.0, (self.due - now).total_seconds())
            share = round(min(99.9, max(0.0, 100.0 * (1 - left / total))), 1)
            status = "processing"
        return {"jobId": self.job_id, "status": status, "percentCompleted": share,
                "estRemainingDuration": round(left, 1)}

    def run(self) -> None:
        self.status, self.result = self.work(self.due)
        self.work = None


class AsyncJobs:
    def __init__(self, kept: int = KEPT_JOBS) -> None:
        self._lock = threading.Lock()
        self._jobs: OrderedDict[str, AsyncJob] = OrderedDict()
        self._waiting: list[AsyncJob] = []      # not done, in the order they are due
        self._kept = kept

    def add(self, job: AsyncJob) -> None:
        with self._lock:
            self._jobs[job.job_id] = job
            if not job.done:
                self._waiting.append(job)
                self._waiting.sort(key=lambda j: j.due)
            while len(self._jobs) > self._kept:
                self._jobs.popitem(last=False)

    @property
    def waiting(self) -> bool:
        return bool(self._waiting)

    def run_due(self, now: datetime) -> None:
        """Do the work of every job due by ``now``, oldest first, each once."""
        with self._lock:
            due = [job for job in self._waiting if job.due <= now]
            self._waiting = [job for job in self._waiting if job.due > now]
        for job in due:
            job.run()

    def get(self, job_id: str) -> AsyncJob | None:
        with self._lock:
            return self._jobs.get(job_id)

    def listed(self, now: datetime) -> list[dict]:
        """Every job kept, newest first, as ``checkAsyncStatus`` would answer now."""
        with self._lock:
            jobs = list(self._jobs.values())
        return [{**job.status_result(now), "operation": job.operation,
                 "submitted": job.submitted.isoformat(timespec="milliseconds"),
                 "due": job.due.isoformat(timespec="milliseconds")} for job in reversed(jobs)]

    def clear(self) -> None:
        with self._lock:
            self._jobs.clear()
            self._waiting.clear()

    def __len__(self) -> int:
        return len(self._jobs)
