"""The container's health check: the mock serves its WSDL on this machine's loopback, on
``$NETSUITE_MOCK_PORT`` (8080 by default). Exit status 0 when healthy, 1 with a reason if not.
Standard library only: it runs every few seconds."""

from __future__ import annotations

import os
import sys
import urllib.request

WSDL_PATH = "/wsdl/v2024_1_0/netsuite.wsdl"


def main() -> int:
    url = f"http://127.0.0.1:{os.environ.get('NETSUITE_MOCK_PORT') or 8080}{WSDL_PATH}"
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            body = response.read()
    except OSError as error:
        print(f"unhealthy: {url}: {error}", file=sys.stderr)
        return 1
    if b"definitions" not in body:
        print(f"unhealthy: {url} answered without a WSDL", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
