"""A Python API over the admin HTTP API, for tests and scripts.

    admin = MockAdmin("http://127.0.0.1:8080")
    admin.reset()
    admin.add_rule({"operation": "upsert", "record_type": "vendorBill", "nth": 3,
                    "action": {"kind": "fault", "fault": "UnexpectedErrorFault"}})
    ...
    assert admin.journal()[-1]["outcome"] == "fault"
"""

from __future__ import annotations

from typing import Any

import requests


class AdminApiError(RuntimeError):
    """The admin API refused a request; the message is its explanation."""


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

    def audit(self) -> list[dict]:
        return self._call("GET", "audit")

    def governance(self) -> dict:
        return self._call("GET", "governance")

    # fault rules
    def rules(self) -> list[dict]:
        return self._call("GET", "rules")

    def add_rule(self, rule: dict) -> dict:
        return self._call("POST", "rules", rule)[0]

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
