"""A Python API over the admin HTTP API, for tests and scripts.

    admin = MockAdmin("http://127.0.0.1:8080")
    admin.reset()
    admin.add_rule({"operation": "upsert", "record_type": "vendorBill", "nth": 3,
                    "action": {"kind": "fault", "fault": "UnexpectedErrorFault"}})
    ...
    assert admin.journal()[-1]["outcome"] == "fault"
    admin.verify(operation="upsert", record_type="vendorBill", outcome="fault", count=1)
"""

from __future__ import annotations

from typing import Any

import requests


class AdminApiError(RuntimeError):
    """The admin API refused a request; the message is its explanation."""


class VerificationError(AssertionError):
    """A verification found another number of requests than expected; the message lists the
    requests that came closest, and what differed."""


class MockAdmin:
    def __init__(self, base_url: str, *, timeout: float = 30.0, token: str | None = None):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    def _call(self, method: str, path: str, body: Any = None, **query) -> Any:
        params = {k: v for k, v in query.items() if v is not None}
        response = self.session.request(method, f"{self.base_url}/__admin/{path}", json=body,
                                        params=params, timeout=self.timeout)
        data = response.json()
        if response.status_code >= 400:
            raise AdminApiError(data.get("error", response.text) if isinstance(data, dict)
                                else response.text)
        return data

    # state
    def health(self) -> dict:
        return self._call("GET", "health")

    def reset(self, seed: str | None = None, *, clear_rules: bool = False) -> dict:
        body = {} if seed is None else {"seed": seed}
        if clear_rules:
            body["rules"] = "clear"
        return self._call("POST", "reset", body)

    def load_seed(self, seed: str | dict, *, account: str | None = None) -> dict:
        body = {"seed": seed} if isinstance(seed, str) else seed
        return self._call("POST", "seed", body, account=account)

    def snapshot(self, *, account: str | None = None) -> dict:
        return self._call("GET", "snapshot", account=account)

    def restore(self, snapshot: dict, *, account: str | None = None) -> dict:
        return self._call("POST", "snapshot", snapshot, account=account)

    def records(self, record_type: str | None = None, internal_id: str | None = None, *,
                account: str | None = None):
        path = "/".join(p for p in ("records", record_type, internal_id) if p)
        return self._call("GET", path, account=account)

    # what happened
    def jobs(self) -> list[dict]:
        """Asynchronous jobs of every account, newest first."""
        return self._call("GET", "jobs")

    def attachments(self, *, account: str | None = None) -> list[dict]:
        return self._call("GET", "attachments", account=account)

    def ledger(self, *, postings: bool = False, account: str | None = None) -> dict:
        """Trial balances per subsidiary and period (and every posting, if asked)."""
        return self._call("GET", "ledger", account=account, postings=1 if postings else None)

    def journal(self, *, since: int | None = None, limit: int | None = None) -> list[dict]:
        return self._call("GET", "journal", since=since, limit=limit)

    def journal_entry(self, entry_id: int) -> dict:
        return self._call("GET", f"journal/{entry_id}")

    def clear_journal(self) -> dict:
        return self._call("DELETE", "journal")

    # verification (WireMock's verify and /__admin/requests/count|find); a pattern is any of
    # operation, record_type, account, integration, outcome, code (a name or a list of names),
    # since, until (ISO times on the mock's clock) and xpath (on the request's operation element)
    def count_requests(self, **pattern) -> int:
        return self._call("POST", "requests/count", _pattern(pattern))["count"]

    def find_requests(self, *, bodies: bool = False, **pattern) -> list[dict]:
        return self._call("POST", "requests/find", _pattern(pattern),
                          bodies="true" if bodies else None)["requests"]

    def near_misses(self, *, limit: int = 3, **pattern) -> list[dict]:
        """The journal entries closest to a pattern they do not match, each with the list of
        what differed."""
        return self._call("POST", "requests/near-misses", _pattern(pattern),
                          limit=limit)["nearMisses"]

    def verify(self, count: int | None = None, *, at_least: int | None = None,
               at_most: int | None = None, **pattern) -> int:
        """Assert how many requests the mock received that match ``pattern`` (exactly
        ``count``; else between ``at_least`` and ``at_most``; by default at least one); returns
        the number. Raises ``VerificationError`` (an AssertionError) listing the near misses,
        or the matches when there were too many."""
        found = self.count_requests(**pattern)
        if count is not None:
            wanted, ok = f"exactly {count}", found == count
        else:
            low = 1 if at_least is None and at_most is None else at_least or 0
            ok = found >= low and (at_most is None or found <= at_most)
            wanted = f"at least {low}" if at_most is None else f"{low} to {at_most}"
        if ok:
            return found
        shown = ", ".join(f"{k}={v!r}" for k, v in _pattern(pattern).items()) or "any request"
        lines = [f"expected {wanted} request(s) matching {shown}, found {found}"]
        if count is not None and found > count or at_most is not None and found > at_most:
            lines.append("matching:")
            lines += [f"  {_one_line(e)}" for e in self.find_requests(**pattern)]
        else:
            misses = self.near_misses(**pattern)
            lines.append("near misses:" if misses else "the journal holds no other request")
            for miss in misses:
                lines.append(f"  {_one_line(miss['request'])}")
                lines += [f"      differs: {d}" for d in miss["differences"]]
        raise VerificationError("\n".join(lines))

    def audit(self) -> list[dict]:
        return self._call("GET", "audit")

    def governance(self) -> dict:
        return self._call("GET", "governance")

    # fault rules
    def rules(self) -> list[dict]:
        return self._call("GET", "rules")

    def add_rule(self, rule: dict) -> dict:
        return self._call("POST", "rules", rule)[0]

    def enable_rule(self, rule_id: str, enabled: bool = True) -> dict:
        """Turn a rule on (or off, with ``enabled=False``); it keeps its counts."""
        return self._call("PATCH", f"rules/{rule_id}", {"enabled": enabled})

    def load_scenario(self, toml_text: str) -> dict:
        """A scenario file's ``[[rules]]`` added, all or none (``needsRestart``: the rest)."""
        return self._call("POST", "scenario", {"toml": toml_text})

    def remove_rule(self, rule_id: str) -> dict:
        return self._call("DELETE", f"rules/{rule_id}")

    def clear_rules(self) -> dict:
        return self._call("DELETE", "rules")

    # time
    def advance_clock(self, seconds: float) -> dict:
        return self._call("POST", "clock", {"advance": seconds})

    def set_clock(self, iso_time: str) -> dict:
        return self._call("POST", "clock", {"set": iso_time})

    def reset_clock(self) -> dict:
        return self._call("POST", "clock", {"reset": True})


def _pattern(pattern: dict) -> dict:
    return {k: v for k, v in pattern.items() if v is not None}


def _one_line(entry: dict) -> str:
    """A journal entry's summary as one line of a verification's message."""
    types = ",".join(entry.get("record_types") or []) or "-"
    codes = f" {','.join(map(str, entry['codes']))}" if entry.get("codes") else ""
    return (f"#{entry['id']} {entry['time']} {entry.get('operation') or '?'} {types} "
            f"{entry.get('outcome')}{codes} (account {entry.get('account')})")
