"""A million records: resident memory, get latency against a 1,000-record store, and an indexed
search page.

    .venv/bin/python benchmarks/million.py [--records 1000000] [--json]

Two mocks live in this one process: one holding 1,000 vendor bills and one holding
``--records`` (both filled as ``search_page.py`` fills them). ``get`` of a bill is timed on
each, in alternating batches, as server time (request bytes in, response bytes out, process CPU
time), so the ratio is taken under the same conditions. Resident memory is the whole process's
(``/proc/self/statm``) after the big store is loaded and collected. The search is page 1 of
"vendor bills modified since" (1000 a page), which runs from the last-modified index.
Targets: under 2 GB resident; get within 1.2x of the small store; the page under 100 ms.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from search_page import _resident_bytes, call_wsgi, envelope, fill, first_page  # noqa: E402

from mockserver.config import MockSettings  # noqa: E402
from mockserver.server import build_app  # noqa: E402


def get_body(internal_id: str) -> str:
    return (f'<m:get><m:baseRef xsi:type="c:RecordRef" internalId="{internal_id}" '
            f'type="vendorBill"/></m:get>')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    echo = (lambda *a: print(*a, file=sys.stderr)) if args.json else print

    settings = MockSettings(seed="none")
    apps = {}
    for label, count in (("small", 1000), ("large", args.records)):
        app = build_app(settings)
        store = next(iter(app.backend.accounts.values())).store
        started = time.perf_counter()
        fill(store, count)
        gc.collect()
        echo(f"{count:,} vendor bills loaded in {time.perf_counter() - started:.1f} s")
        apps[label] = (app, str(1000 + count // 2))
    resident = _resident_bytes()
    echo(f"resident memory: {resident / 2**30:.2f} GiB")

    medians: dict[str, list[float]] = {"small": [], "large": []}
    ratios = []
    for round_ in range(args.rounds):
        this_round = {}
        for label in (("small", "large") if round_ % 2 == 0 else ("large", "small")):
            app, internal_id = apps[label]
            runs = []
            for _ in range(args.batch):
                ms, body = call_wsgi(app, envelope(settings, get_body(internal_id)))
                runs.append(ms)
            assert b'isSuccess="true"' in body, body[:500]
            this_round[label] = statistics.median(runs)
            medians[label].append(this_round[label])
        ratios.append(this_round["large"] / this_round["small"])
    echo(f"get: {statistics.median(medians['small']):.3f} ms at 1,000 records, "
         f"{statistics.median(medians['large']):.3f} ms at {args.records:,} "
         f"(ratio {statistics.median(ratios):.2f})")

    app, _ = apps["large"]
    pages = [first_page(app, settings, args.records)[0] for _ in range(args.rounds)]
    echo(f"indexed search page (1000 of {args.records:,}): "
         f"{statistics.median(pages):.1f} ms median")
    out = {"records": args.records, "resident_bytes": resident,
           "get_ms_small": medians["small"], "get_ms_large": medians["large"],
           "get_ratio": ratios, "search_page_ms": pages}
    if args.json:
        print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
