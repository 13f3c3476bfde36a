"""The HTTP servers considered for the mock, each with an empty app: what each can carry.

    .venv/bin/python benchmarks/servers.py [--runs 3] [--duration 4] [--out results/servers.json]

Every server answers a POST of a ~2 kB body with the same canned 2.1 kB SOAP response, touching
no XML: the server's own ceiling (wrk, 1 and 8 keep-alive connections, one process each, the
median of ``--runs`` runs taken in turns). Beside it, for each server, whether its API lets an
application do what the mock's fault rules do to a connection, as a fact about that API: drop
(close without a byte), cut (send part of the answer, then close) and delay one request without
delaying the others. Where an answer depends on what the server does when a WSGI app or its
body iterator raises, that was tried against the versions installed here (a raw socket reading
what came back): waitress, granian and bjoern all stop a body whose iterator raises and close
the connection (a cut), and all three answer 500 to an app that raises (no drop).

The mock's own server (``mockserver.wire.httpserver``) runs in this interpreter; the others are
installed on first use into ``benchmarks/.cache/servers-venv`` (git-ignored; waitress, gunicorn,
granian, uvloop and httptools from PyPI; bjoern from PyPI too, built against Debian's
``libev-dev``, which is installed with apt-get when this runs as root). A server that cannot be
installed is reported as such, not left out silently.

``bench.py`` runs this as its figure ``servers``; ``make bench`` writes ``results/servers.json``
and ``results/servers.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import peers  # noqa: E402  (standard library only: the candidates' interpreter imports it too)

VENV = peers.CACHE / "servers-venv"
PACKAGES = ("waitress", "gunicorn", "granian", "uvloop", "httptools")
THREADS = 8            # worker threads for the servers that run requests on a pool
BODY_BYTES = 2048      # the POSTed body (a `get` envelope is 1.2 kB; an `add` 2 to 3 kB)
CONNECTIONS = (1, 8)
XML = "text/xml; charset=utf-8"

# name -> what it is, which interpreter runs it, and what its API lets an app do to a
# connection: drop it without a byte, send part of an answer and close, delay one request
# without delaying the others.
CANDIDATES = {
    "httpserver": {
        "label": "the mock's HttpServer (thread per connection, httptools)",
        "python": "mock", "chosen": True,
        "drop": "yes: `Answer(drop=True)`, the connection's socket is shut down",
        "cut": "yes: `Answer(cut=n)`: the whole Content-Length, n bytes, then shutdown",
        "delay": "yes: each connection has its own thread, a request that waits holds only "
                 "its own connection",
    },
    "waitress": {
        "label": "waitress 3 (8 threads)", "python": "venv",
        "drop": "only through an undocumented attribute "
                "(`environ['waitress.client_disconnected'].__self__.socket`), what the mock "
                "used before; an app that raises gets a 500",
        "cut": "yes: a body iterator that raises after the first part: the answer stops "
               "there, short of its Content-Length, and the connection closes",
        "delay": "up to 8 at once: requests run on a fixed pool of worker threads (channels "
                 "queue for them); a ninth slow request waits and so does everyone after it",
    },
    "gunicorn-sync": {
        "label": "gunicorn, sync worker (1 worker)", "python": "venv",
        "drop": "yes: `environ['gunicorn.socket']`",
        "cut": "yes: write part to `gunicorn.socket`, then shut it down",
        "delay": "no: a sync worker serves one request at a time (and closes every "
                 "connection after its answer: no keep-alive); a waiting request stops all",
    },
    "gunicorn-gthread": {
        "label": "gunicorn, gthread worker (1 worker, 8 threads)", "python": "venv",
        "drop": "yes: `environ['gunicorn.socket']`",
        "cut": "yes: write part to `gunicorn.socket`, then shut it down",
        "delay": "up to 8 at once: a pool of threads, as waitress",
    },
    "granian": {
        "label": "granian (Rust, WSGI, 1 worker, 8 blocking threads)", "python": "venv",
        "drop": "no: its WSGI interface gives the application no socket; an app that raises "
                "gets a 500, one whose body raises at once a 200 with no body",
        "cut": "yes: a body iterator that raises after the first part: the answer stops there "
               "and the connection closes",
        "delay": "up to 8 at once: the app runs on a pool of blocking threads",
    },
    "uvloop": {
        "label": "asyncio + uvloop + httptools, answered inline (a prototype)",
        "python": "venv",
        "drop": "yes: `transport.abort()`",
        "cut": "yes: `transport.write(part)` then `transport.close()`",
        "delay": "a timed wait yes (`loop.call_later`); slow work no: requests run on the "
                 "loop's one thread, so a 1000-record search page stops every connection "
                 "unless handed to a thread pool (a hand-off per request)",
    },
    "bjoern": {
        "label": "bjoern (C, libev, WSGI)", "python": "venv", "optional": True,
        "drop": "no: WSGI only, no socket in the environ; an app that raises gets a 500",
        "cut": "yes: a body iterator that raises after the first part: the answer stops there "
               "and the connection closes",
        "delay": "no: one thread runs one request at a time; a waiting request stops all",
    },
}
WIRE_ACTIONS = (("drop", "drop the connection"), ("cut", "send part, then close"),
                ("delay", "delay one request, not the others"))


# -- installing the candidates -------------------------------------------------------------
def venv_python() -> Path:
    return VENV / "bin" / "python"


def ensure_candidates(log=print) -> dict[str, str]:
    """Install the candidates into ``VENV``; {name: why it is not there} for the missing."""
    missing: dict[str, str] = {}
    stamp = VENV / ".installed"
    wanted = " ".join(PACKAGES)
    if not stamp.exists() or stamp.read_text().split("\n")[0] != wanted:
        log(f"installing {wanted} into {VENV} (pip)")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        done = subprocess.run([str(venv_python()), "-m", "pip", "install", "--quiet", *PACKAGES],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise peers.ToolMissing(f"pip could not install {wanted}: {done.stderr[-800:]}")
        stamp.write_text(wanted + "\n")
    if subprocess.run([str(venv_python()), "-c", "import bjoern"],
                      capture_output=True).returncode != 0:
        if not Path("/usr/include/ev.h").exists() and os.geteuid() == 0 \
                and shutil.which("apt-get"):
            log("installing libev-dev (apt-get), which bjoern builds against")
            try:
                peers.apt_install("libev-dev")
            except subprocess.CalledProcessError:
                pass
        log("installing bjoern into the servers' venv (pip, builds from source)")
        done = subprocess.run([str(venv_python()), "-m", "pip", "install", "--quiet", "bjoern"],
                              capture_output=True, text=True)
        if done.returncode != 0:
            error = next((line.strip() for line in done.stderr.splitlines()
                          if "fatal error" in line or "error:" in line), done.stderr[-300:])
            missing["bjoern"] = f"pip install bjoern failed here: {error}"
    return missing


# -- the servers, each an empty app ----------------------------------------------------------
_CANNED: bytes | None = None


def empty_wsgi(environ, start_response):
    """Read the body, answer the canned bytes (``BENCH_CANNED`` names the file)."""
    global _CANNED
    if _CANNED is None:
        _CANNED = Path(os.environ["BENCH_CANNED"]).read_bytes()
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("200 OK", [("Content-Type", XML), ("Content-Length", str(len(_CANNED)))])
    return [_CANNED]


def serve(name: str, port: int) -> None:
    """Run candidate ``name`` on ``port`` until killed (in the process ``command`` starts)."""
    canned = Path(os.environ["BENCH_CANNED"]).read_bytes()
    if name == "httpserver":
        sys.path.insert(0, str(ROOT))
        from mockserver.wire.httpserver import Answer, HttpServer
        answer = Answer(200, canned, (("Content-Type", XML),))
        HttpServer(lambda request: answer, port=port, ident="empty").serve_forever()
    elif name == "waitress":
        import logging
        from waitress import serve as waitress_serve
        logging.getLogger("waitress.queue").setLevel(logging.ERROR)
        waitress_serve(empty_wsgi, host="127.0.0.1", port=port, threads=THREADS, _quiet=True)
    elif name.startswith("gunicorn-"):
        _gunicorn(port, name.split("-", 1)[1])
    elif name == "uvloop":
        _uvloop(port, canned)
    elif name == "bjoern":
        import bjoern
        bjoern.run(empty_wsgi, "127.0.0.1", port)
    else:
        raise SystemExit(f"no such server: {name}")


def _gunicorn(port: int, worker: str) -> None:
    from gunicorn.app.base import BaseApplication

    class App(BaseApplication):
        def load_config(self):
            for key, value in {"bind": f"127.0.0.1:{port}", "workers": 1,
                               "worker_class": worker, "threads": THREADS,
                               "loglevel": "error", "accesslog": None,
                               "keepalive": 60}.items():
                self.cfg.set(key, value)

        def load(self):
            return empty_wsgi
    App().run()


def _uvloop(port: int, canned: bytes) -> None:
    import asyncio

    import httptools
    import uvloop

    answer = (f"HTTP/1.1 200 OK\r\nContent-Type: {XML}\r\nContent-Length: {len(canned)}\r\n"
              f"\r\n").encode() + canned

    class Protocol(asyncio.Protocol):
        def connection_made(self, transport):
            self.transport = transport
            self.parser = httptools.HttpRequestParser(self)

        def data_received(self, data):
            try:
                self.parser.feed_data(data)
            except httptools.HttpParserError:
                self.transport.close()

        def on_message_complete(self):
            self.transport.write(answer)
            if not self.parser.should_keep_alive():
                self.transport.close()

    async def main():
        server = await asyncio.get_running_loop().create_server(Protocol, "127.0.0.1", port)
        await server.serve_forever()
    uvloop.run(main())


def command(name: str, port: int) -> list[str]:
    if name == "granian":
        return [str(VENV / "bin" / "granian"), "--interface", "wsgi", "--host", "127.0.0.1",
                "--port", str(port), "--workers", "1", "--blocking-threads", str(THREADS),
                "--log-level", "error", "--no-ws", "--working-dir", str(HERE),
                "servers:empty_wsgi"]
    python = sys.executable if CANDIDATES[name]["python"] == "mock" else str(venv_python())
    return [python, str(HERE / "servers.py"), "--serve", name, "--port", str(port)]


# -- measuring ---------------------------------------------------------------------------------
def measure(runs: int, duration: float, log=print) -> dict:
    wrk = peers.ensure_wrk()
    missing = ensure_candidates(log)
    names = [n for n in CANDIDATES if n not in missing]
    with tempfile.TemporaryDirectory(prefix="netsuite-mock-servers-") as tmp:
        work = Path(tmp)
        canned = work / "get.xml"
        canned.write_bytes(_canned_response())
        body = _body()
        bodies = work / "bodies.txt"
        bodies.write_bytes((body + b"\n") * 200)
        os.environ["BENCH_CANNED"] = str(canned)
        servers = {n: peers.Peer(n, port, command(n, port), work / f"{n}.log")
                   for n in names for port in [peers.free_port()]}
        per = {(n, c): [] for n in names for c in CONNECTIONS}
        try:
            for server in servers.values():
                server.start()
            for server in servers.values():
                peers.wait_for(server.url + "/", timeout=60, peer=server)
            for name in names:   # warm-up
                peers.run_wrk(wrk, servers[name].url + peers.SERVICE_PATH, bodies, 8, 1)
            for round_ in range(runs):
                for c in CONNECTIONS:
                    shift = round_ % len(names)
                    for name in names[shift:] + names[:shift]:
                        per[(name, c)].append(peers.run_wrk(
                            wrk, servers[name].url + peers.SERVICE_PATH, bodies, c, duration))
                    log(f"  round {round_ + 1}, {c} connection(s): " + ", ".join(
                        f"{n} {per[(n, c)][-1]['rps']:.0f}/s" for n in names))
        finally:
            for server in servers.values():
                server.stop()
    out = {"duration_s": duration, "runs": runs, "body_bytes": len(body),
           "response_bytes": canned_size(), "threads": THREADS,
           "python": sys.version.split()[0], "servers": {}}
    chosen = {c: statistics.median(r["rps"] for r in per[("httpserver", c)])
              for c in CONNECTIONS} if "httpserver" in names else {}
    for name, facts in CANDIDATES.items():
        entry = {"label": facts["label"], "chosen": bool(facts.get("chosen")),
                 **{key: facts[key] for key, _ in WIRE_ACTIONS}}
        if name in missing:
            entry["not_installed"] = missing[name]
        else:
            for c in CONNECTIONS:
                results = per[(name, c)]
                rps = statistics.median(r["rps"] for r in results)
                entry[f"c{c}"] = {
                    "rps_median": rps, "rps_runs": [round(r["rps"]) for r in results],
                    "latency_p50_us_median": statistics.median(r["latency_p50_us"]
                                                               for r in results),
                    "latency_p99_us_median": statistics.median(r["latency_p99_us"]
                                                               for r in results),
                    "errors": sum(r["non2xx"] + r["socket_errors"] for r in results),
                    **({"of_chosen": rps / chosen[c]} if chosen else {})}
        out["servers"][name] = entry
    return out


def _canned_response() -> bytes:
    """A 2.1 kB SOAP answer, the size of the benchmark Vendor's ``get`` response."""
    record = "".join(f"<listRel:field{i}>value {i:04d} of the benchmark record</listRel:field{i}>"
                     for i in range(28))
    return (b'<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv='
            b'"http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><getResponse>'
            + record.encode() + b"</getResponse></soapenv:Body></soapenv:Envelope>")


def canned_size() -> int:
    return len(_canned_response())


def _body() -> bytes:
    """A POST body of ``BODY_BYTES`` on one line (wrk's script reads lines)."""
    head = (b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
            b"<soapenv:Body><get>")
    tail = b"</get></soapenv:Body></soapenv:Envelope>"
    return head + b"x" * (BODY_BYTES - len(head) - len(tail)) + tail


# -- the table ---------------------------------------------------------------------------------
def table(r: dict) -> str:
    lines = [f"Empty app (a POST of {r['body_bytes']} bytes answered with {r['response_bytes']} "
             f"canned bytes), one process each, wrk with keep-alive, median of {r['runs']} runs "
             f"of {r['duration_s']:g} s, Python {r['python']}:", "",
             "| server | 1 connection | 8 connections | p99 at 8 | 8 connections ÷ the mock's "
             "| " + " | ".join(label for _, label in WIRE_ACTIONS) + " |",
             "|---|---|---|---|---|" + "---|" * len(WIRE_ACTIONS)]
    for name, s in r["servers"].items():
        label = f"**{s['label']}** (chosen)" if s["chosen"] else s["label"]
        if "not_installed" in s:
            figures = f"not installed: {s['not_installed']} | | | |"
        else:
            ratio = f"{s['c8']['of_chosen']:.2f}" if "of_chosen" in s["c8"] else ""
            figures = (f"{s['c1']['rps_median']:,.0f} req/s | {s['c8']['rps_median']:,.0f} req/s"
                       f" | {s['c8']['latency_p99_us_median'] / 1000:.2f} ms | {ratio} |")
        lines.append(f"| {label} | {figures} "
                     + " | ".join(s[key] for key, _ in WIRE_ACTIONS) + " |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=float, default=4, help="seconds per wrk run")
    parser.add_argument("--out", type=Path, help="write the results here (.json and .md)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON last")
    parser.add_argument("--serve", help=argparse.SUPPRESS)   # the child process of one server
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return 0
    log = (lambda text: print(text, file=sys.stderr, flush=True)) if args.json else \
        (lambda text: print(text, flush=True))
    started = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    results = {"started_utc": started, "load_average": list(os.getloadavg()),
               **measure(args.runs, args.duration, log)}
    results["load_average_after"] = list(os.getloadavg())
    text = f"# HTTP servers with an empty app ({started} UTC)\n\n" + table(results)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n")
        args.out.with_suffix(".md").write_text(text)
        log(f"written: {args.out} and {args.out.with_suffix('.md')}")
    if args.json:
        print(json.dumps(results))
    else:
        print("\n" + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
