"""How fast the mock refuses hostile requests, and what they cost it in memory.

    .venv/bin/python benchmarks/hostile_input.py [--repeat 5]

Sends each payload of tests/mockserver/wire/test_hostile_input.py to a fresh mock and prints, per payload, the
median server-side time (from the request journal) and the client's round trip; then the
server's resident memory before and after. The target is under 100 ms each.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mockserver.admin_client import MockAdmin  # noqa: E402
from mockserver.config import MockSettings  # noqa: E402
from mockserver.server import MockServer  # noqa: E402
from tests.mockserver.wire.test_hostile_input import HOSTILE, Listener, rss_mb  # noqa: E402

TARGET_MS = 100.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    listener = Listener()
    worst = 0.0
    with MockServer(MockSettings(port=0, seed="demo", log_level="error")) as server:
        admin = MockAdmin(server.url)
        session = requests.Session()
        before = rss_mb()
        print(f"{'payload':40} {'bytes':>10} {'server ms':>10} {'round trip ms':>14}")
        for name, make in HOSTILE.items():
            data = make(listener)
            server_ms, client_ms = [], []
            for _ in range(args.repeat):
                started = time.perf_counter()
                response = session.post(server.service_url, data=data, timeout=60, headers={
                    "Content-Type": "text/xml", "SOAPAction": "get"})
                client_ms.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 500, (name, response.status_code)
                server_ms.append(admin.journal(limit=1)[0]["duration_ms"])
            median = statistics.median(server_ms)
            worst = max(worst, median)
            print(f"{name:40} {len(data):>10} {median:>10.2f} "
                  f"{statistics.median(client_ms):>14.2f}")
        print(f"\nresident memory: {before:.0f} MB before, {rss_mb():.0f} MB after; "
              f"nothing fetched: {listener.hits == []}")
    listener.close()
    print(f"slowest median {worst:.2f} ms (target < {TARGET_MS:.0f} ms): "
          f"{'met' if worst < TARGET_MS else 'NOT met'}")
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
