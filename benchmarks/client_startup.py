"""How long a new process takes to get a usable NetSuiteClient, with and without the WSDL disk
cache, for the mock's WSDL and (when ../shared has it) NetSuite's published 2024_1 WSDL served
over local HTTP.

    .venv/bin/python benchmarks/client_startup.py [--runs 5]

Each run is a fresh Python process: "cold" with an empty cache directory (fetch every document,
parse, write the cache), "warm" with the cache the cold run left (fetch the WSDL, unpickle).
Reported: the median WSDL load time inside the process and the median time from interpreter
start to a ready client (imports included). Local HTTP has no network latency: against NetSuite
the cold numbers grow by 47 downloads (2.6 MB), the warm ones by one.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NETSUITE_SHARED", ROOT.parent / "shared"))
REAL_WSDL_DIR = SHARED / "netsuite-wsdl" / "v2024_1_0"

CHILD = """
import json, sys, time
started = time.perf_counter()
from client.netsuite_client import NetSuiteClient
from client.wsdl_cache import WsdlCache
from suitetalk.config import NetSuiteSecrets, NetSuiteSettings
wsdl_url, cache_dir = sys.argv[1:3]
settings = NetSuiteSettings(account="1234567_SB1", wsdl_url=wsdl_url,
                            service_url="http://127.0.0.1:9/services/NetSuitePort_2024_1")
secrets = NetSuiteSecrets("k", "s", "t", "u")
client = NetSuiteClient(settings, secrets, wsdl_cache=WsdlCache(cache_dir))
client.type("VendorBill")
print(json.dumps({"source": client.wsdl.source, "wsdl": client.wsdl.seconds,
                  "ready": time.perf_counter() - started}))
"""


def child(wsdl_url: str, cache_dir: str) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, wsdl_url, cache_dir], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=True)
    return json.loads(done.stdout)


def measure(label: str, wsdl_url: str, runs: int) -> None:
    cold, warm = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as cache_dir:
            first = child(wsdl_url, cache_dir)
            second = child(wsdl_url, cache_dir)
            assert (first["source"], second["source"]) == ("parsed", "disk"), (first, second)
            cold.append(first)
            warm.append(second)

    def median(rows, key):
        return statistics.median(r[key] for r in rows)

    print(f"{label}: WSDL load {median(cold, 'wsdl'):.3f}s cold -> {median(warm, 'wsdl'):.3f}s "
          f"warm ({median(cold, 'wsdl') / median(warm, 'wsdl'):.1f}x); process ready "
          f"{median(cold, 'ready'):.3f}s -> {median(warm, 'ready'):.3f}s  (median of {runs})")


def serve_directory(directory: Path) -> tuple[ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from mockserver.config import MockSettings
    from mockserver.server import MockServer

    with MockServer(MockSettings(port=0, seed="none")) as mock:
        measure("netsuite-mock WSDL over HTTP", mock.wsdl_url, args.runs)
    if REAL_WSDL_DIR.is_dir():
        server, url = serve_directory(REAL_WSDL_DIR)
        try:
            measure("NetSuite 2024_1 WSDL over local HTTP", f"{url}/netsuite.wsdl", args.runs)
        finally:
            server.shutdown()
    else:
        print(f"NetSuite's WSDL not found at {REAL_WSDL_DIR}: skipped")


if __name__ == "__main__":
    main()
