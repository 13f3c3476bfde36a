"""How long a vendor ``get`` takes right after a write, with many transactions stored.

    .venv/bin/python benchmarks/balance_after_write.py                 # 10,000 vendor bills
    .venv/bin/python benchmarks/balance_after_write.py --records 100000 --repeat 5

A vendor's or customer's read carries its balance, read off the general ledger
(``mockserver.domain.ledger``), and every write moves the store to a new version. The mock with
the demo data is filled with vendor bills as ``search_page.py`` fills it (eleven vendors,
101-111), then, in turns: vendor 101 is updated (a field postings do not read), a bill is
updated (it reposts), and after each write vendor 101 is read with a SOAP ``get``. Times are
server time (request bytes in, response bytes out) in process CPU time, as in
``search_page.py``. The ledger is updated from the store's change log, so a ``get`` after a
write costs about what one without a write costs, not a rebuild of every posting (210-280 ms at
10,000 bills before it was).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from search_page import call_wsgi, envelope, fill, timed  # noqa: E402

from mockserver.config import MockSettings  # noqa: E402
from mockserver.server import build_app  # noqa: E402

GET_VENDOR = '<m:get><m:baseRef xsi:type="c:RecordRef" internalId="101" type="vendor"/></m:get>'
BILL_NS = "urn:purchases_2024_1.transactions.webservices.netsuite.com"


def update_vendor(n: int) -> str:
    return ('<m:update><m:record xsi:type="r:Vendor" internalId="101">'
            f'<r:comments>changed {n}</r:comments></m:record></m:update>')


def update_bill(n: int) -> str:
    return (f'<m:update><m:record xmlns:p="{BILL_NS}" xsi:type="p:VendorBill" '
            f'internalId="1000"><p:memo>changed {n}</p:memo></m:record></m:update>')


def measure(records: int, repeat: int, echo=print) -> dict:
    settings = MockSettings(seed="demo")
    app = build_app(settings)
    account = next(iter(app.backend.accounts.values()))
    fill(account.store, records)

    def send(body: str) -> float:
        ms, answer = call_wsgi(app, envelope(settings, body, page_size=None))
        assert b'isSuccess="true"' in answer, answer[:800]
        assert body != GET_VENDOR or b"balance>" in answer, answer[:800]
        return ms

    first = send(GET_VENDOR)
    echo(f"{records:,} vendor bills; the first vendor get (the ledger built): {first:.1f} ms")
    out: dict = {"records": records, "first_get_ms": round(first, 3)}
    runs: dict[str, list[float]] = {"after_vendor": [], "after_bill": [], "unchanged": []}
    for n in range(repeat):
        send(update_vendor(n))
        runs["after_vendor"].append(send(GET_VENDOR))
        send(update_bill(n))
        runs["after_bill"].append(send(GET_VENDOR))
        runs["unchanged"].append(send(GET_VENDOR))
    out["get_after_vendor_update_ms"] = timed("vendor get after a vendor update",
                                              runs["after_vendor"], echo)
    out["get_after_bill_update_ms"] = timed("vendor get after a bill update (it reposts)",
                                            runs["after_bill"], echo)
    out["get_unchanged_ms"] = timed("vendor get, no write since the last", runs["unchanged"],
                                    echo)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    echo = (lambda *a, **k: print(*a, file=sys.stderr, **k)) if args.json else print
    out = measure(args.records, args.repeat, echo=echo)
    if args.json:
        print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
