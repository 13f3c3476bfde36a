"""How long the mock takes to serve a 1000-record search page from a large store.

    .venv/bin/python benchmarks/search_page.py              # 100,000 vendor bills
    .venv/bin/python benchmarks/search_page.py --records 1000000 --repeat 5

The store is filled in-process with vendor bills shaped as the record writer stores them
(body fields, one item line, one expense line; lastModifiedDate spread over 100 days), then each
scenario's SOAP request is sent straight to the mock's WSGI application, so the time measured is
the server's own: XML parsing, TokenPassport check, the search, and rendering the response XML
(no sockets, no client). The search alone (the domain's ``search`` handler, no XML) is timed too.
Times are the process's CPU time (``time.process_time``), so other work on a shared machine does
not inflate them. Python's garbage collector runs as it would in the server, so a full
collection over the big store shows up in the "max" column.
Target: a 1000-record page in under 50 ms of server time at 100,000 records.
"""

from __future__ import annotations

import argparse
import gc
import io
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from client.passport import make_passport  # noqa: E402
from mockserver.config import MockSettings  # noqa: E402
from mockserver.domain.backend import Call, new_ns_id  # noqa: E402
from mockserver.domain.search import operations as search_ops  # noqa: E402
from mockserver.server import build_app  # noqa: E402

MSGS = "urn:messages_2024_1.platform.webservices.netsuite.com"
CORE = "urn:core_2024_1.platform.webservices.netsuite.com"
COMMON = "urn:common_2024_1.platform.webservices.netsuite.com"
START = datetime(2024, 1, 1, tzinfo=timezone.utc)


def fill(store, count: int) -> None:
    """``count`` vendor bills, ids 1000.., modified one every 86 s or so over 100 days."""
    step = timedelta(days=100) / count
    for n in range(count):
        internal_id = str(1000 + n)
        modified = START + step * n
        store.put("vendorBill", {
            "externalId": f"BILL-EXT-{n}", "tranId": f"BILL-{n}",
            "entity": {"internalId": str(101 + n % 11), "name": f"Vendor {n % 11}"},
            "subsidiary": {"internalId": "1", "name": "Parent"},
            "currency": {"internalId": "1", "name": "US Dollar"},
            "tranDate": modified, "memo": "Widgets and freight",
            "itemList": {"item": [{"item": {"internalId": "201", "name": "WIDGET-001"},
                                   "quantity": 10.0, "rate": "5.00", "amount": 50.0, "line": 1}]},
            "expenseList": {"expense": [{"account": {"internalId": "58", "name": "Freight In"},
                                         "amount": 40.0, "line": 1}]},
            "userTotal": 90.0, "internalId": internal_id, "createdDate": modified,
            "lastModifiedDate": modified})


def envelope(settings: MockSettings, body: str) -> bytes:
    p = make_passport(settings.account, settings.consumer_key, settings.consumer_secret,
                      settings.token_id, settings.token_secret)
    sig = p.pop("signature")
    passport = "".join(f"<c:{k}>{v}</c:{k}>" for k, v in p.items())
    passport += f'<c:signature algorithm="{sig["algorithm"]}">{sig["value"]}</c:signature>'
    return (f'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
            f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:m="{MSGS}" '
            f'xmlns:c="{CORE}" xmlns:pc="{COMMON}"><soapenv:Header>'
            f'<m:tokenPassport>{passport}</m:tokenPassport>'
            f'<m:searchPreferences><m:pageSize>1000</m:pageSize></m:searchPreferences>'
            f'</soapenv:Header><soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>').encode()


def call_wsgi(app, data: bytes) -> tuple[float, bytes]:
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/services/NetSuitePort_2024_1",
               "CONTENT_TYPE": "text/xml; charset=utf-8", "CONTENT_LENGTH": str(len(data)),
               "HTTP_SOAPACTION": "search", "wsgi.input": io.BytesIO(data),
               "wsgi.url_scheme": "http", "SERVER_NAME": "bench", "SERVER_PORT": "80",
               "HTTP_HOST": "bench", "REMOTE_ADDR": "127.0.0.1", "wsgi.errors": sys.stderr}
    started = time.process_time()
    body = b"".join(app(environ, lambda status, headers: None))
    return (time.process_time() - started) * 1000, body


def timed(label: str, runs: list[float]) -> None:
    print(f"  {label:<58} median {statistics.median(runs):7.1f} ms   "
          f"max {max(runs):7.1f} ms   (n={len(runs)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()

    settings = MockSettings(seed="none")
    app = build_app(settings)
    backend = app.backend
    account = next(iter(backend.accounts.values()))
    before = _resident_bytes()
    started = time.perf_counter()
    fill(account.store, args.records)
    gc.collect()
    total = _resident_bytes() - before
    index_bytes = _index_size(account.store.index.of("vendorBill"))
    print(f"{args.records:,} vendor bills loaded in {time.perf_counter() - started:.1f} s; "
          f"{total / args.records:.0f} bytes of memory per record in all (records included), "
          f"{index_bytes / args.records:.0f} of them search indexes")

    since = (START + timedelta(days=10)).isoformat()
    modified_since = (
        '<m:search><m:searchRecord xsi:type="pc:TransactionSearchBasic">'
        '<pc:type operator="anyOf"><c:searchValue>_vendorBill</c:searchValue></pc:type>'
        f'<pc:lastModifiedDate operator="onOrAfter"><c:searchValue>{since}</c:searchValue>'
        '</pc:lastModifiedDate></m:searchRecord></m:search>')
    by_tran_id = (
        '<m:search><m:searchRecord xsi:type="pc:TransactionSearchBasic">'
        f'<pc:tranId operator="is"><c:searchValue>BILL-{args.records // 2}</c:searchValue>'
        '</pc:tranId></m:searchRecord></m:search>')
    scan = (  # no indexed criterion: every record is tested
        '<m:search><m:searchRecord xsi:type="pc:TransactionSearchBasic">'
        '<pc:memo operator="contains"><c:searchValue>freight</c:searchValue></pc:memo>'
        '</m:searchRecord></m:search>')

    print("server time (WSGI application, request bytes in -> response bytes out):")
    first_pages, search_id, body = [], None, b""
    for _ in range(args.repeat):
        ms, body = call_wsgi(app, envelope(settings, modified_since))
        first_pages.append(ms)
    assert b'isSuccess="true"' in body and body.count(b"<platformCore:record ") == 1000, body[:600]
    search_id = body.split(b"<platformCore:searchId>")[1].split(b"<")[0].decode()
    total_records = int(body.split(b"<platformCore:totalRecords>")[1].split(b"<")[0])
    timed(f"page 1 of 'bills modified since' ({total_records:,} match)", first_pages)
    more = (f'<m:searchMoreWithId><m:searchId>{search_id}</m:searchId>'
            f'<m:pageIndex>{total_records // 2000}</m:pageIndex></m:searchMoreWithId>')
    timed(f"searchMoreWithId, page {total_records // 2000}",
          [call_wsgi(app, envelope(settings, more))[0] for _ in range(args.repeat)])
    rerun = []
    for n in range(args.repeat):  # a write between pages: the search really re-runs
        record = dict(account.store.get("vendorBill", "1000"), memo=f"changed {n}")
        account.store.put("vendorBill", record)
        rerun.append(call_wsgi(app, envelope(settings, more))[0])
    timed("searchMoreWithId after a write (search re-runs)", rerun)
    timed("one bill by tranId",
          [call_wsgi(app, envelope(settings, by_tran_id))[0] for _ in range(args.repeat)])
    timed("unindexed criterion (memo contains), full scan",
          [call_wsgi(app, envelope(settings, scan))[0] for _ in range(max(3, args.repeat // 3))])

    print("search alone (domain handler, no XML):")
    request = {"searchRecord": {
        "_type": "platformCommon:TransactionSearchBasic",
        "type": {"operator": "anyOf", "searchValue": ["_vendorBill"]},
        "lastModifiedDate": {"operator": "onOrAfter",
                             "searchValue": START + timedelta(days=10)}}}
    runs = []
    for _ in range(args.repeat):
        now = backend.clock.now()
        call = Call(backend, account, None, "search",
                    {"searchPreferences": {"pageSize": 1000}}, new_ns_id("BENCH", now), now,
                    "http://bench")
        started = time.process_time()
        search_ops.search(call, request)
        runs.append((time.process_time() - started) * 1000)
    timed("page 1 of 'bills modified since'", runs)
    return 0


def _index_size(type_index) -> int:
    """Bytes held by one record type's indexes (arrays, key tables and their key strings)."""
    size = sum(sys.getsizeof(a) for a in (type_index.order, type_index.mod_times,
                                           type_index.mod_nums, type_index.inactive))
    for table in type_index.keys.values():
        size += sys.getsizeof(table) + sum(sys.getsizeof(k) for k in table)
        size += sum(sys.getsizeof(v) for v in table.values())
    return size


def _resident_bytes() -> int:
    """The process's resident memory (Linux), 0 elsewhere."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * 4096
    except OSError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
