"""Contract verification speed, measured with what stands for ``netsuite-contracts verify``.

The contracts toolkit (cassettes, replay, ``netsuite-contracts verify``) is being built in
parallel (issue 7) and is not in this tree; when it is, the benchmark should time it instead.
Until then this measures the same work: interactions recorded from one mock (request and
response) are replayed, each with a freshly signed TokenPassport, against a second mock over
HTTP with keep-alive, one at a time, and each response is compared with the recorded one after
normalising what legitimately differs (nsId, search ids, times). The figure is interactions
verified per second, wall clock.

    .venv/bin/python benchmarks/contract_replay.py [--interactions 2000] [--json]
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from search_page import envelope  # noqa: E402

from mockserver.config import MockSettings  # noqa: E402
from mockserver.server import MockServer  # noqa: E402

# A day of an accounts-payable integration against the demo account, cut into interactions.
BODIES = [
    '<m:get><m:baseRef xsi:type="c:RecordRef" internalId="{v}" type="vendor"/></m:get>',
    '<m:get><m:baseRef xsi:type="c:RecordRef" internalId="301" type="purchaseOrder"/></m:get>',
    '<m:getList><m:baseRef xsi:type="c:RecordRef" internalId="101" type="vendor"/>'
    '<m:baseRef xsi:type="c:RecordRef" internalId="102" type="vendor"/></m:getList>',
    '<m:search><m:searchRecord xsi:type="pc:VendorSearchBasic"><pc:entityId operator="is">'
    '<c:searchValue>Acme Supplies Inc.</c:searchValue></pc:entityId></m:searchRecord></m:search>',
    '<m:get><m:baseRef xsi:type="c:RecordRef" internalId="99999" type="vendor"/></m:get>',
]
# What differs between two honest runs: ids of the response, search ids, and times.
_VOLATILE = re.compile(rb"<platformMsgs:nsId>[^<]*<|<platformCore:searchId>[^<]*<|"
                       rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[-+]\d\d:\d\d")


def normalise(body: bytes) -> bytes:
    return _VOLATILE.sub(b"~", body)


def post(connection: http.client.HTTPConnection, data: bytes) -> tuple[int, bytes]:
    connection.request("POST", "/services/NetSuitePort_2024_1", body=data, headers={
        "Content-Type": "text/xml; charset=utf-8", "SOAPAction": "op"})
    response = connection.getresponse()
    return response.status, response.read()


def record(server: MockServer, settings: MockSettings, count: int) -> list[tuple[str, int, bytes]]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port)
    cassette = []
    for n in range(count):
        body = BODIES[n % len(BODIES)].replace("{v}", str(101 + n % 12))
        status, response = post(connection, envelope(settings, body))
        cassette.append((body, status, response))
    return cassette


def verify(server: MockServer, settings: MockSettings, cassette) -> tuple[float, int]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port)
    started = time.perf_counter()
    mismatches = 0
    for body, status, recorded in cassette:
        got_status, got = post(connection, envelope(settings, body))
        if got_status != status or normalise(got) != normalise(recorded):
            mismatches += 1
    return time.perf_counter() - started, mismatches


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    settings = MockSettings(port=0, seed="demo", concurrency_limit=16, log_level="error")
    with MockServer(settings) as source:
        cassette = record(source, settings, args.interactions)
    rates = []
    for _ in range(args.runs):
        with MockServer(settings) as target:
            seconds, mismatches = verify(target, settings, cassette)
        assert mismatches == 0, f"{mismatches} interactions differ"
        rates.append(len(cassette) / seconds)
    out = {"interactions": len(cassette), "per_second": rates,
           "tool": "stand-in: replay + normalised compare (netsuite-contracts not in this tree)"}
    if args.json:
        print(json.dumps(out))
    else:
        print(f"{len(cassette)} interactions verified: "
              f"{sorted(rates)[len(rates) // 2]:.0f} per second (median of {args.runs})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
