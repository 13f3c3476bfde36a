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
The XML written for a record is kept per stored version (and per what other records did to
it), so a page of records unchanged since an earlier page reuses it; the page is timed both
ways, and the target applies to the cold one (every record written afresh).
Target: a 1000-record page in under 50 ms of server time at 100,000 records.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mockserver.config import MockSettings  # noqa: E402
from mockserver.domain.backend import new_ns_id  # noqa: E402
from mockserver.domain.dispatch import Call  # noqa: E402
from mockserver.domain.handlers import search as search_ops  # noqa: E402
from mockserver.server import build_app  # noqa: E402
from mockserver.wire.encode import FRAGMENTS  # noqa: E402
from suitetalk.passport import make_passport  # noqa: E402

MSGS = "urn:messages_2024_1.platform.webservices.netsuite.com"
CORE = "urn:core_2024_1.platform.webservices.netsuite.com"
COMMON = "urn:common_2024_1.platform.webservices.netsuite.com"
REL = "urn:relationships_2024_1.lists.webservices.netsuite.com"
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


def envelope(settings: MockSettings, body: str, *, page_size: int | None = 1000) -> bytes:
    """A SOAP request with a freshly signed TokenPassport, on one line (prefixes: m messages,
    c core, pc common, r relationships), with a searchPreferences page size unless None."""
    p = make_passport(settings.account, settings.consumer_key, settings.consumer_secret,
                      settings.token_id, settings.token_secret)
    sig = p.pop("signature")
    passport = "".join(f"<c:{k}>{v}</c:{k}>" for k, v in p.items())
    passport += f'<c:signature algorithm="{sig["algorithm"]}">{sig["value"]}</c:signature>'
    preferences = "" if page_size is None else (
        f"<m:searchPreferences><m:pageSize>{page_size}</m:pageSize></m:searchPreferences>")
    return (f'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
            f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:m="{MSGS}" '
            f'xmlns:c="{CORE}" xmlns:pc="{COMMON}" xmlns:r="{REL}"><soapenv:Header>'
            f'<m:tokenPassport>{passport}</m:tokenPassport>{preferences}'
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


def timed(label: str, runs: list[float], echo=print) -> list[float]:
    echo(f"  {label:<58} median {statistics.median(runs):7.1f} ms   "
         f"max {max(runs):7.1f} ms   (n={len(runs)})")
    return [round(r, 3) for r in runs]


def admin_identity(account):
    """The identity of the account's first token (what a verified request would carry)."""
    from mockserver.domain.auth import Identity
    token = next(iter(account.tokens.values()))
    integration = account.integrations[token.consumer_key]
    return Identity(account, integration, token, account.role_of(token))


def queries(records: int) -> dict[str, str]:
    since = (START + timedelta(days=10)).isoformat()
    return {
        "modified_since": (
            '<m:search><m:searchRecord xsi:type="pc:TransactionSearchBasic">'
            '<pc:type operator="anyOf"><c:searchValue>_vendorBill</c:searchValue></pc:type>'
            f'<pc:lastModifiedDate operator="onOrAfter"><c:searchValue>{since}</c:searchValue>'
            '</pc:lastModifiedDate></m:searchRecord></m:search>'),
        "by_tran_id": (
            '<m:search><m:searchRecord xsi:type="pc:TransactionSearchBasic">'
            f'<pc:tranId operator="is"><c:searchValue>BILL-{records // 2}</c:searchValue>'
            '</pc:tranId></m:searchRecord></m:search>'),
        "scan": (  # no indexed criterion: every record is tested
            '<m:search><m:searchRecord xsi:type="pc:TransactionSearchBasic">'
            '<pc:memo operator="contains"><c:searchValue>freight</c:searchValue></pc:memo>'
            '</m:searchRecord></m:search>'),
    }


def first_page(app, settings: MockSettings, records: int) -> tuple[float, bytes]:
    """Server time of page 1 of "bills modified since" (1000 a page), and the response."""
    ms, body = call_wsgi(app, envelope(settings, queries(records)["modified_since"]))
    assert b'isSuccess="true"' in body and body.count(b"<platformCore:record ") == 1000, body[:600]
    return ms, body


def measure(records: int, repeat: int, *, scan: bool = True, echo=print) -> dict:
    """Every scenario's server times (ms lists) on a store of ``records`` vendor bills."""
    settings = MockSettings(seed="none")
    app = build_app(settings)
    backend = app.backend
    account = next(iter(backend.accounts.values()))
    before = _resident_bytes()
    started = time.perf_counter()
    fill(account.store, records)
    gc.collect()
    load_s = time.perf_counter() - started
    total = _resident_bytes() - before
    index_bytes = _index_size(account.store.index.of("vendorBill"))
    echo(f"{records:,} vendor bills loaded in {load_s:.1f} s; "
         f"{total / records:.0f} bytes of memory per record in all (records included), "
         f"{index_bytes / records:.0f} of them search indexes")
    out: dict = {"records": records, "load_seconds": round(load_s, 2),
                 "bytes_per_record": round(total / records),
                 "index_bytes_per_record": round(index_bytes / records)}
    query = queries(records)

    echo("server time (WSGI application, request bytes in -> response bytes out):")
    first_pages, body = [], b""
    for _ in range(repeat):
        ms, body = first_page(app, settings, records)
        first_pages.append(ms)
    search_id = body.split(b"<platformCore:searchId>")[1].split(b"<")[0].decode()
    total_records = int(body.split(b"<platformCore:totalRecords>")[1].split(b"<")[0])
    out["first_page_ms"] = timed(f"page 1 of 'bills modified since' ({total_records:,} match)",
                                 first_pages, echo)
    cold = []
    for _ in range(repeat):  # every record written afresh: nothing kept from an earlier page
        FRAGMENTS.clear()
        cold.append(first_page(app, settings, records)[0])
    out["first_page_cold_ms"] = timed("the same, no record's XML kept from before", cold, echo)
    more = (f'<m:searchMoreWithId><m:searchId>{search_id}</m:searchId>'
            f'<m:pageIndex>{total_records // 2000}</m:pageIndex></m:searchMoreWithId>')
    out["search_more_ms"] = timed(
        f"searchMoreWithId, page {total_records // 2000}",
        [call_wsgi(app, envelope(settings, more))[0] for _ in range(repeat)], echo)
    rerun = []
    for n in range(repeat):  # a write between pages: the search really re-runs
        record = dict(account.store.get("vendorBill", "1000"), memo=f"changed {n}")
        account.store.put("vendorBill", record)
        rerun.append(call_wsgi(app, envelope(settings, more))[0])
    out["search_more_after_write_ms"] = timed("searchMoreWithId after a write (search re-runs)",
                                              rerun, echo)
    out["by_tran_id_ms"] = timed(
        "one bill by tranId",
        [call_wsgi(app, envelope(settings, query["by_tran_id"]))[0] for _ in range(repeat)],
        echo)
    if scan:
        out["full_scan_ms"] = timed(
            "unindexed criterion (memo contains), full scan",
            [call_wsgi(app, envelope(settings, query["scan"]))[0]
             for _ in range(max(3, repeat // 3))], echo)

    echo("search alone (domain handler, no XML):")
    request = {"searchRecord": {
        "_type": "platformCommon:TransactionSearchBasic",
        "type": {"operator": "anyOf", "searchValue": ["_vendorBill"]},
        "lastModifiedDate": {"operator": "onOrAfter",
                             "searchValue": START + timedelta(days=10)}}}
    identity = admin_identity(account)
    runs = []
    for _ in range(repeat):
        now = backend.clock.now()
        call = Call(backend, account, identity, "search",
                    {"searchPreferences": {"pageSize": 1000}}, new_ns_id("BENCH", now), now,
                    "http://bench")
        started = time.process_time()
        search_ops.search(call, request)
        runs.append((time.process_time() - started) * 1000)
    out["search_alone_ms"] = timed("page 1 of 'bills modified since'", runs, echo)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--no-scan", action="store_true", help="skip the full-scan scenario")
    args = parser.parse_args()
    echo = (lambda *a, **k: print(*a, file=sys.stderr, **k)) if args.json else print
    out = measure(args.records, args.repeat, scan=not args.no_scan, echo=echo)
    if args.json:
        print(json.dumps(out))
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
