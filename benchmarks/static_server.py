"""NetSuite's published WSDL and XSDs (``../shared``), served by waitress from memory, so zeep
fetches them exactly as it fetches the mock's: over HTTP with keep-alive, from the same server.

    .venv/bin/python benchmarks/static_server.py PORT DIRECTORY
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path


def make_app(directory: Path):
    files = {"/" + str(p.relative_to(directory)): p.read_bytes()
             for p in directory.rglob("*") if p.is_file()}

    def app(environ, start_response):
        body = files.get(environ.get("PATH_INFO", ""))
        if body is None:
            start_response("404 Not Found", [("Content-Length", "0")])
            return [b""]
        start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8"),
                                  ("Content-Length", str(len(body)))])
        return [body]
    return app


def main() -> int:
    from waitress import serve
    port, directory = int(sys.argv[1]), Path(sys.argv[2])
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    serve(make_app(directory), host="127.0.0.1", port=port, threads=4, _quiet=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
