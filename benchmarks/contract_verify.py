"""Contract verification speed: ``netsuite-contracts verify`` on a recorded session.

A session is recorded as a user records one: the client (``record_to=``) against a mock with
the demo data, a day of an accounts-payable integration cut into interactions (``get`` of
vendors, bills, a customer and a journal entry, ``getList`` of two vendors, a vendor search, a missing record).
Then ``contracts.verify.verify`` (what ``netsuite-contracts verify --mock`` runs) checks the
cassette against a fresh, empty mock: it loads the file, seeds the mock with the records the
cassette shows, re-signs and sends every request and compares each normalised answer. The
figure is interactions verified per second, wall clock, of that whole call; every run must
verify with no divergence.

    .venv/bin/python benchmarks/contract_verify.py [--interactions 500] [--runs 3] [--json]
    .venv/bin/python benchmarks/contract_verify.py --profile     # cProfile of one run
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from client.governance import RetryPolicy  # noqa: E402
from contracts.endpoints import mock_endpoint  # noqa: E402
from contracts.verify import verify  # noqa: E402
from mockserver.config import MockSettings  # noqa: E402
from mockserver.server import MockServer, build_app  # noqa: E402


# Records of other types that a session reads: two bills, a customer, a journal entry. (A
# purchase order, or a bill linked to one, is left out: how far an order was received and
# billed comes from receipts and bills a session that only reads it never shows, so no seed
# taken from the cassette can reproduce it.)
OTHER_RECORDS = (("vendorBill", "504"), ("customer", "150"), ("vendorBill", "506"),
                 ("journalEntry", "701"))


def _ref(record_type: str, internal_id: str) -> dict:
    return {"_ns_type": "RecordRef", "type": record_type, "internalId": internal_id}


def session(n: int):
    """The n-th call of the recorded session: (operation, args)."""
    step = n % 5
    if step == 0:
        return "get", (_ref("vendor", str(101 + n % 12)),)
    if step == 1:
        return "get", (_ref(*OTHER_RECORDS[n // 5 % len(OTHER_RECORDS)]),)
    if step == 2:
        return "getList", ([_ref("vendor", "101"), _ref("vendor", "102")],)
    if step == 3:
        return "search", ({"_ns_type": "VendorSearchBasic", "entityId": {
            "operator": "is", "searchValue": "Acme Supplies Inc."}},)
    return "get", (_ref("vendor", "99999"),)


def record(path: Path, count: int) -> None:
    """``count`` interactions recorded through the client, as a user records a session."""
    from client.errors import NetSuiteError
    with MockServer(MockSettings(port=0, seed="demo", concurrency_limit=16,
                                 log_level="error")) as source:
        with mock_endpoint(source).client(record_to=str(path),
                                          retry=RetryPolicy(max_attempts=1)) as client:
            for n in range(count):
                operation, args = session(n)
                try:
                    client.call(operation, *args)
                except NetSuiteError:   # the missing record: recorded all the same
                    pass


class TimedApp:
    """The mock's WSGI application, counting the wall time spent answering (what of a
    verification run is the mock's, the rest being the verifier's)."""

    def __init__(self, app):
        self.app, self.backend, self.seconds = app, app.backend, 0.0

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        try:
            return list(self.app(environ, start_response))
        finally:
            self.seconds += time.perf_counter() - started


def verify_once(path: Path) -> tuple[float, int, object, float]:
    """One ``netsuite-contracts verify --mock`` run on the cassette: seconds, interactions, the
    report, and the seconds the mock spent answering."""
    settings = MockSettings(port=0, seed="none", log_level="warning")
    app = TimedApp(build_app(settings))
    with MockServer(settings, app=app) as target:
        out = io.StringIO()
        started = time.perf_counter()
        report = verify([path], mock_endpoint(target), out)
        seconds = time.perf_counter() - started
    if not report.ok:
        raise SystemExit("verification diverged:\n" + out.getvalue()[-3000:])
    return seconds, len(report.outcomes), report, app.seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--profile", action="store_true",
                        help="print a cProfile of one verification run instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="netsuite-contracts-bench-") as tmp:
        path = Path(tmp) / "session.yaml"
        record(path, args.interactions)
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            seconds, count, _, _ = verify_once(path)
            profiler.disable()
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(30)
            print(f"{count} interactions in {seconds:.2f} s under cProfile")
            return 0
        rates, mock_shares = [], []
        for _ in range(args.runs):
            seconds, count, _, answering = verify_once(path)
            rates.append(count / seconds)
            mock_shares.append(answering / seconds)
    out = {"interactions": count, "per_second": rates, "mock_share": mock_shares,
           "tool": "netsuite-contracts verify (contracts.verify.verify) on a session recorded "
                   "with the client, against a fresh mock"}
    if args.json:
        print(json.dumps(out))
    else:
        print(f"{count} interactions verified: {sorted(rates)[len(rates) // 2]:.0f} per second "
              f"(median of {args.runs}: {', '.join(f'{r:.0f}' for r in rates)}); the mock's "
              f"answers took {sorted(mock_shares)[len(mock_shares) // 2]:.0%} of the time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
