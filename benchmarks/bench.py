"""The benchmark suite: netsuite-mock against WireMock, mountebank and a bare lxml floor.

    make bench                      # everything; writes benchmarks/results/latest.{json,md}
    .venv/bin/python benchmarks/bench.py --runs 3 --duration 3 --skip million   # shorter

Installs what it needs into ``benchmarks/.cache`` (wrk from Debian, WireMock and mountebank
from npm), runs every figure on this machine and reports each as the median of ``--runs``
runs. Comparisons between tools are taken in the same run, alternating which goes first, and
reported as ratios of that run's figures (the median of the per-round ratios), so other load on
a shared machine hits both sides alike. The machine's load is recorded with the results.

Figures (the mock runs with TokenPassport verification on, its real state and the demo data):
1. ``get`` throughput and latency at 1 and 8 keep-alive connections (wrk), mock vs WireMock,
   mountebank, the bare lxml floor and the mock's HTTP server with an empty app (the floor and
   the empty app on the mock's own ``HttpServer``, or waitress with ``--floor-server``), all
   serving the same 14-field Vendor for the same request; the mock's concurrency limit is
   raised above the client count. Then py-spy on the mock under load, by module.
2. server time for one ``get`` (request bytes in, response bytes out, process CPU time):
   ``MockApplication.answer``, what the HTTP server calls, against the bare lxml handler, in
   one process; with a cProfile breakdown in microseconds per get, stage by stage.
3. a 1000-record search page from 100,000 records (``search_page.py``).
4. process start to first served WSDL: mock, mountebank, WireMock.
5. zeep loading the mock's WSDL against NetSuite's real 2024_1 WSDL (``../shared``), and
   whether zeep's prefix map (ns0..ns45) is the same.
6. a million records (``million.py``).
7. contract verification rate: ``netsuite-contracts verify`` on a recorded session
   (``contract_verify.py``).
8. every HTTP server considered for the mock, each with an empty app, and what each one's API
   lets a fault rule do to a connection (``servers.py``; ``results/servers.{json,md}``).

Free-threaded CPython: the results say whether this interpreter is free-threaded, and if a
``python3.13t``/``python3.14t`` is on PATH or among pyenv's versions, figure 1 also runs the
mock under it (a venv in ``benchmarks/.cache`` with the mock installed).

One figure or a few, without the peers: ``--only contracts`` (repeatable); nothing is written
to ``results/`` then unless ``--out`` says where.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import peers  # noqa: E402
from search_page import envelope  # noqa: E402
from mockserver.config import MockSettings  # noqa: E402

RESULTS = HERE / "results"
SHARED = Path(os.environ.get("NETSUITE_SHARED", ROOT.parent / "shared"))
REAL_WSDL_DIR = SHARED / "netsuite-wsdl" / "v2024_1_0"
SETTINGS = MockSettings()  # the account and credentials `netsuite-mock serve` uses by default
CONNECTIONS = (1, 8)
CONCURRENCY_LIMIT = 16   # above the 8 clients, so no request is refused for concurrency

# The Vendor every server answers with: 14 fields (entityId, isPerson, companyName, phone,
# email, isInactive, lastModifiedDate, dateCreated, subsidiary, legalName, expenseAccount,
# payablesAccount, terms, currency), added to the demo account with a SOAP add.
BENCH_VENDOR = (
    f'<m:add><m:record xsi:type="r:Vendor" externalId="V-BENCH">'
    f'<r:entityId>Bench Supplies Ltd.</r:entityId><r:isPerson>false</r:isPerson>'
    f'<r:companyName>Bench Supplies Ltd.</r:companyName><r:phone>555-0199</r:phone>'
    f'<r:email>ap@bench.example</r:email><r:subsidiary internalId="1"/>'
    f'<r:legalName>Bench Supplies Limited</r:legalName>'
    f'<r:expenseAccount internalId="56"/><r:payablesAccount internalId="54"/>'
    f'<r:terms internalId="1"/><r:currency internalId="1"/></m:record></m:add>')


# -- requests ------------------------------------------------------------------------------
def signed_envelope(body: str) -> bytes:
    """One SOAP request with a fresh TokenPassport, on one line (the wrk script reads lines)."""
    return envelope(SETTINGS, body, page_size=None)


def get_body(internal_id: str) -> str:
    return f'<m:get><m:baseRef xsi:type="c:RecordRef" internalId="{internal_id}" type="vendor"/></m:get>'


def write_envelopes(path: Path, internal_id: str, count: int) -> Path:
    body = get_body(internal_id)
    with open(path, "wb") as file:
        for _ in range(count):
            file.write(signed_envelope(body) + b"\n")
    return path


def post(url: str, data: bytes) -> bytes:
    request = urllib.request.Request(url + peers.SERVICE_PATH, data=data, headers={
        "Content-Type": "text/xml; charset=utf-8", "SOAPAction": "op"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def add_bench_vendor(url: str) -> tuple[str, bytes]:
    """(internalId of the benchmark Vendor, the mock's get response for it)."""
    added = post(url, signed_envelope(BENCH_VENDOR))
    assert b'isSuccess="true"' in added, added[:800]
    internal_id = added.split(b'internalId="')[1].split(b'"')[0].decode()
    response = post(url, signed_envelope(get_body(internal_id)))
    assert b'isSuccess="true"' in response and b"Bench Supplies" in response, response[:800]
    return internal_id, response


# -- machine -------------------------------------------------------------------------------
def machine() -> dict:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"cpus": os.cpu_count(), "cpu_model": cpu, "python": platform.python_version(),
            "platform": platform.platform(), "load_average": list(os.getloadavg())}


# -- 1. throughput ---------------------------------------------------------------------------
def wrk(tools: peers.Tools, url: str, envelopes: Path, connections: int,
        duration: float) -> dict:
    return peers.run_wrk(tools.wrk, url + peers.SERVICE_PATH, envelopes, connections, duration)


def throughput(tools, servers: dict, internal_id: str, work: Path, runs: int,
               duration: float) -> dict:
    names = list(servers)
    peer_file = write_envelopes(work / "peer-envelopes.txt", internal_id, 20000)
    per = {(name, c): [] for name in names for c in CONNECTIONS}
    ratios = {(name, c): [] for name in names if name != "mock" for c in CONNECTIONS}
    mocks = [name for name in names if name.startswith("mock")]
    problems = []
    for name in names:  # warm-up: JIT, caches, connection pools
        file = write_envelopes(work / "warm.txt", internal_id, 8000) if name in mocks \
            else peer_file
        wrk(tools, servers[name].url, file, 8, 3 if name == "wiremock" else 1)
    for round_ in range(runs):
        for c in CONNECTIONS:
            order = names[round_ % len(names):] + names[:round_ % len(names)]
            this = {}
            for name in order:
                if name in mocks:  # distinct signed requests, enough for the mock's rate
                    file = write_envelopes(work / "mock-envelopes.txt", internal_id,
                                           int(duration * (3000 + 1500 * c ** 0.5)))
                else:
                    file = peer_file
                result = wrk(tools, servers[name].url, file, c, duration)
                if name in mocks and (result["non2xx"] or result["wrapped"]
                                       or result["socket_errors"]):
                    problems.append({"server": name, "round": round_, "connections": c,
                                     **result})
                this[name] = result
                per[(name, c)].append(result)
            for name in names:
                if name != "mock":
                    ratios[(name, c)].append(this["mock"]["rps"] / this[name]["rps"])
            print(f"  round {round_ + 1}, {c} connection(s): " + ", ".join(
                f"{n} {this[n]['rps']:.0f}/s" for n in names), flush=True)
    out = {"duration_s": duration, "runs": runs, "problems": problems, "servers": {}}
    for name in names:
        out["servers"][name] = {"label": servers[name].name, **{
            f"c{c}": {
                "rps_median": statistics.median(r["rps"] for r in per[(name, c)]),
                "rps_runs": [round(r["rps"]) for r in per[(name, c)]],
                "latency_p50_us_median": statistics.median(r["latency_p50_us"]
                                                           for r in per[(name, c)]),
                "latency_p99_us_median": statistics.median(r["latency_p99_us"]
                                                           for r in per[(name, c)]),
                **({"mock_ratio_median": statistics.median(ratios[(name, c)]),
                    "mock_ratio_runs": [round(x, 3) for x in ratios[(name, c)]]}
                   if name != "mock" else {}),
            } for c in CONNECTIONS}}
    return out


# -- 2. server time ----------------------------------------------------------------------------
def in_process_mock():
    """(the mock's application with the demo data and the benchmark Vendor, its id, its get
    response)."""
    from mockserver.config import MockSettings
    from mockserver.server import build_app

    app = build_app(MockSettings(seed="demo", concurrency_limit=CONCURRENCY_LIMIT))
    added = app.answer(soap_request(signed_envelope(BENCH_VENDOR))).body
    internal_id = added.split(b'internalId="')[1].split(b'"')[0].decode()
    canned = app.answer(soap_request(signed_envelope(get_body(internal_id)))).body
    return app, internal_id, canned


def soap_request(data: bytes):
    """A SOAP POST as the mock's HTTP server hands it to the application (body read)."""
    from mockserver.wire.httpserver import HttpRequest
    return HttpRequest("POST", peers.SERVICE_PATH, "", {
        "host": "bench", "content-type": "text/xml; charset=utf-8", "soapaction": "get",
        "content-length": str(len(data))}, data, "127.0.0.1", ("127.0.0.1", 80))


# Where a get's server time goes, stage by stage along ``SoapEndpoint.answer``: (stage, the
# functions whose cumulative time it is). ``Backend.handle`` is reported without the
# TokenPassport check, which has a row of its own; what no row names (routing, the request and
# answer values, the Exchange) is "routing and the rest".
TOKEN_PASSPORT = "TokenPassport (HMAC, nonce, audit)"
HANDLE = "Backend.handle without TokenPassport (governance, rules, store, nsId)"
STAGES = (
    ("XML parse (lxml, bounded safe parser)", (("parse_envelope", "wire/envelope.py"),)),
    ("header decode (passport, preferences)", (("decode_headers", "wire/envelope.py"),)),
    ("body decode (XML to dicts)", (("decode_body", "wire/envelope.py"),)),
    (TOKEN_PASSPORT, (("verify", "domain/auth.py"),)),
    (HANDLE, (("handle", "domain/backend.py"),)),
    ("encode (dicts to response bytes)", (("response_bytes", "wire/envelope.py"),)),
    ("journal (outcome, entry)", (("outcome_of", "domain/journal.py"),
                                  ("add", "domain/journal.py"))),
)
REST = "routing and the rest (request and answer values, Exchange)"


def profile_get(count: int = 600) -> dict:
    """cProfile over in-process gets (``MockApplication.answer``, what the HTTP server calls):
    microseconds per get for each stage, and the top functions."""
    import cProfile
    import inspect
    import pstats

    from mockserver.wire.http import MockApplication

    app, internal_id, _ = in_process_mock()
    requests = [soap_request(signed_envelope(get_body(internal_id))) for _ in range(count)]
    for request in requests[:50]:
        app.answer(request)
    profiler = cProfile.Profile()
    profiler.enable()
    for request in requests[50:]:
        app.answer(request)
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    n = count - 50

    def cumulative(name: str, where: str = "", line: int | None = None) -> float:
        return sum(v[3] for (file, at, func), v in stats.items()
                   if func == name and where in file and line in (None, at))

    total = cumulative("answer", "mockserver/wire/http.py",
                       inspect.getsourcelines(MockApplication.answer)[1])
    stages = {label: sum(cumulative(f, where) for f, where in functions)
              for label, functions in STAGES}
    stages[HANDLE] -= stages[TOKEN_PASSPORT]
    stages[REST] = total - sum(stages.values())
    top = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)[:20]
    return {"requests": n, "profiled_us_per_get": total / n * 1e6,
            # under cProfile, which slows every call: the shares are what to read
            "stage_us_per_get_profiled": {k: round(v / n * 1e6, 1) for k, v in stages.items()},
            "stage_share": {k: round(v / total, 3) for k, v in stages.items()},
            "top_functions_by_own_time": [
                {"function": f"{Path(file).name}:{line}({func})", "calls_per_get": v[1] / n,
                 "own_us_per_get": round(v[2] / n * 1e6, 1),
                 "cumulative_us_per_get": round(v[3] / n * 1e6, 1)}
                for (file, line, func), v in top]}


def py_spy_under_load(tools, mock: peers.Peer, internal_id: str, work: Path,
                      seconds: int = 4) -> dict:
    """py-spy on the mock's process while wrk drives 8 connections: where the interpreter's
    time goes (samples of the thread holding the GIL, grouped by package)."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists():
        return {"skipped": "py-spy is not installed (make bench installs it)"}
    out = work / "py-spy.txt"
    envelopes = write_envelopes(work / "spy-envelopes.txt", internal_id, seconds * 4000)
    sampler = subprocess.Popen(
        [spy, "record", "--pid", str(mock.process.pid), "--format", "raw", "--output", str(out),
         "--duration", str(seconds + 1), "--rate", "200", "--gil", "--idle", "--nonblocking"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    time.sleep(0.5)
    load = wrk(tools, mock.url, envelopes, 8, seconds)
    report = sampler.communicate(timeout=60)[0].decode(errors="replace")
    if not out.exists():
        return {"skipped": f"py-spy recorded nothing: {report[-300:]}"}
    groups: dict[str, int] = {}
    leaves: dict[str, int] = {}
    for line in out.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        leaf = stack.split(";")[-1].strip()
        group = next((g for g, marks in SPY_GROUPS if any(m in leaf for m in marks)), "other")
        groups[group] = groups.get(group, 0) + int(count)
        leaves[leaf] = leaves.get(leaf, 0) + int(count)
    total = sum(groups.values()) or 1
    return {"samples": total, "rps_while_sampled": round(load["rps"]),
            "share": {g: round(n / total, 3)
                      for g, n in sorted(groups.items(), key=lambda x: -x[1])},
            "top_leaves": [{"function": f, "share": round(n / total, 3)}
                           for f, n in sorted(leaves.items(), key=lambda x: -x[1])[:15]]}


# py-spy leaves by where they are; the first group that matches takes the sample.
SPY_GROUPS = (("HTTP server (wire/httpserver.py, httptools, sockets)",
               ("mockserver/wire/httpserver.py", "httptools", "socket.py")),
              ("threads", ("threading.py", "queue.py")),
              ("SOAP pipeline and routing (wire/soap.py, wire/http.py)",
               ("mockserver/wire/soap.py", "mockserver/wire/http.py")),
              ("XML codec (wire/envelope, decode, encode)", ("mockserver/wire/",)),
              ("mock: domain", ("mockserver/domain/", "suitetalk/", "client/passport")),
              ("Spyne", ("spyne/",)),
              ("lxml / stdlib", ("lxml", "hmac.py", "base64.py", "logging/")))


def server_time(runs: int, batch: int = 400) -> dict:
    """The mock's application (``MockApplication.answer``, what its HTTP server calls) against
    the bare lxml handler (``floor.make_get``), request bytes in, response bytes out,
    alternating, in one process."""
    import floor

    app, internal_id, canned = in_process_mock()
    floor_get = floor.make_get(canned)
    answer = {"mock": lambda data: app.answer(soap_request(data)).body, "floor": floor_get}
    medians = {"mock": [], "floor": []}
    ratios = []
    for round_ in range(runs):
        this = {}
        for name in (("mock", "floor") if round_ % 2 == 0 else ("floor", "mock")):
            requests = [signed_envelope(get_body(internal_id)) for _ in range(batch)]
            times = []
            for data in requests:
                started = time.process_time()
                body = answer[name](data)
                times.append((time.process_time() - started) * 1e6)
            assert b"Bench Supplies" in body, body[:500]
            this[name] = statistics.median(times)
            medians[name].append(this[name])
        ratios.append(this["mock"] / this["floor"])
    return {"batch": batch, "mock_us": medians["mock"], "floor_us": medians["floor"],
            "mock_us_median": statistics.median(medians["mock"]),
            "floor_us_median": statistics.median(medians["floor"]),
            "ratio_median": statistics.median(ratios), "ratio_runs": ratios,
            "response_bytes": len(canned)}


# -- 4. start-up -------------------------------------------------------------------------------
def startup(tools, work: Path, runs: int, canned: bytes, wsdl: bytes) -> dict:
    root = peers.write_peer_files(work, canned, wsdl)
    makers = {
        "mock": lambda: peers.mock(work, CONCURRENCY_LIMIT),
        "mountebank": lambda: peers.mountebank(tools, work, canned, wsdl),
        "wiremock": lambda: peers.wiremock(tools, work, root),
    }
    times = {name: [] for name in makers}
    first_get: list[float] = []
    ratios = {"mountebank": [], "wiremock": []}
    names = list(makers)
    for round_ in range(runs):
        this = {}
        for name in names[round_ % 3:] + names[:round_ % 3]:
            peer = makers[name]()
            started = time.perf_counter()
            peer.start()
            try:
                peers.wait_for(peer.url + peers.WSDL_PATH, timeout=120, interval=0.002,
                                peer=peer)
                this[name] = time.perf_counter() - started
                if name == "mock":  # and the SOAP endpoint, built after the first WSDL
                    answer = post(peer.url, signed_envelope(get_body("101")))
                    assert b'isSuccess="true"' in answer, answer[:500]
                    first_get.append(time.perf_counter() - started)
            finally:
                peer.stop()
            times[name].append(this[name])
        for name in ratios:
            ratios[name].append(this["mock"] / this[name])
        print(f"  round {round_ + 1}: " + ", ".join(f"{n} {this[n]:.3f}s" for n in names),
              flush=True)
    return {"seconds": times, "mock_first_get_s": first_get,
            "mock_first_get_median_s": statistics.median(first_get),
            "median_s": {n: statistics.median(t) for n, t in times.items()},
            "mock_ratio_median": {n: statistics.median(r) for n, r in ratios.items()},
            "mock_ratio_runs": ratios}


# -- 5. zeep loading the WSDL ----------------------------------------------------------------
ZEEP_CHILD = """
import json, sys, time
import zeep
started = time.perf_counter()
client = zeep.Client(sys.argv[1])
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "prefixes": dict(client.wsdl.types.prefix_map)}))
"""


def zeep_load(mock_url: str, work: Path, runs: int) -> dict:
    """zeep.Client(wsdl) in a fresh process, the mock's WSDL against NetSuite's, both fetched
    over HTTP with keep-alive (the mock's from its own server, NetSuite's files from waitress
    in ``static_server.py``)."""
    if not REAL_WSDL_DIR.is_dir():
        return {"skipped": f"NetSuite's WSDL not found at {REAL_WSDL_DIR}"}
    port = peers.free_port()
    real = peers.Peer("NetSuite's WSDL files", port, [
        sys.executable, str(HERE / "static_server.py"), str(port), str(REAL_WSDL_DIR)],
        work / "static.log").start()
    urls = {"mock": mock_url + peers.WSDL_PATH, "real": real.url + "/netsuite.wsdl"}
    times = {"mock": [], "real": []}
    prefixes = {}
    ratios = []

    def load(name: str) -> dict:
        done = subprocess.run([sys.executable, "-c", ZEEP_CHILD, urls[name]], cwd=ROOT,
                              capture_output=True, text=True, timeout=300, check=True)
        return json.loads(done.stdout)
    try:
        peers.wait_for(urls["real"], peer=real)
        load("mock"), load("real")  # both servers warm (documents rendered, files read)
        for round_ in range(runs):
            this = {}
            for name in (("mock", "real") if round_ % 2 == 0 else ("real", "mock")):
                result = load(name)
                this[name] = result["seconds"]
                times[name].append(result["seconds"])
                prefixes[name] = result["prefixes"]
            ratios.append(this["mock"] / this["real"])
    finally:
        real.stop()
    same = prefixes["mock"] == prefixes["real"]
    return {"seconds": times, "median_s": {n: statistics.median(t) for n, t in times.items()},
            "ratio_median": statistics.median(ratios), "ratio_runs": ratios,
            "schema_declarations": {"mock": _declarations(mock_url, real_dir=None),
                                    "real": _declarations(None, real_dir=REAL_WSDL_DIR)},
            "prefix_map_intact": same, "prefixes": len(prefixes["real"]),
            "prefix_differences": {k: (prefixes["mock"].get(k), v)
                                   for k, v in prefixes["real"].items()
                                   if prefixes["mock"].get(k) != v}}


def _declarations(mock_url: str | None, real_dir: Path | None) -> dict:
    """How many elements, complex types and enumeration values the XSDs declare: what zeep
    has to visit."""
    import re
    if real_dir is not None:
        texts = [p.read_text() for p in sorted((real_dir / "xsd").glob("*.xsd"))]
    else:
        from mockserver.wire import wsdl
        texts = [wsdl.schema_document(n).decode() for n in wsdl.document_names()]
    counts = {"element": 0, "complexType": 0, "enumeration": 0}
    for text in texts:
        for name in re.findall(r"<(?:xsd:)?(element|complexType|enumeration)\b", text):
            counts[name] += 1
    return counts


# -- 3, 6, 7: the scripts that run in their own process --------------------------------------
def script(name: str, *args: str, timeout: float = 1800) -> dict:
    done = subprocess.run([sys.executable, str(HERE / name), "--json", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)
    sys.stdout.write("".join(f"  {line}\n" for line in done.stderr.splitlines()
                             if not line.startswith(("Traceback", "  File"))
                             and "Warning" not in line))
    if done.returncode != 0:
        return {"error": done.stderr[-2000:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def contracts(runs: int) -> dict:
    """``netsuite-contracts verify`` on a session of 500 interactions recorded with the client."""
    return script("contract_verify.py", "--runs", str(runs))


# -- targets and the table ---------------------------------------------------------------------
def targets(r: dict) -> list[dict]:
    rows = []

    def row(figure, value, target, met, note=""):
        rows.append({"figure": figure, "value": value, "target": target,
                     "met": bool(met) if met is not None else None, "note": note})

    t = r.get("throughput")
    if t:
        wm = t["servers"]["wiremock"]["c8"]
        row("get throughput, 8 clients, mock/WireMock",
            f"{wm['mock_ratio_median']:.2f} ({t['servers']['mock']['c8']['rps_median']:.0f} vs "
            f"{wm['rps_median']:.0f} req/s)", ">= 1.0", wm["mock_ratio_median"] >= 1.0)
        wm1 = t["servers"]["wiremock"]["c1"]
        row("get throughput, 1 client, mock/WireMock",
            f"{wm1['mock_ratio_median']:.2f} ({t['servers']['mock']['c1']['rps_median']:.0f} vs "
            f"{wm1['rps_median']:.0f} req/s)", ">= 1.3", wm1["mock_ratio_median"] >= 1.3)
        p99 = t["servers"]["mock"]["c8"]["latency_p99_us_median"]
        row("get latency p99 at 8 clients, mock vs WireMock",
            f"{p99 / 1000:.2f} vs {wm['latency_p99_us_median'] / 1000:.2f} ms",
            "<= WireMock's", p99 <= wm["latency_p99_us_median"])
        for name in ("mountebank", "floor", "empty"):
            other = t["servers"][name]
            row(f"get throughput, 8 clients, mock/{other['label']}",
                f"{other['c8']['mock_ratio_median']:.2f} (1 client: "
                f"{other['c1']['mock_ratio_median']:.2f})", "(info)", None)
        if "mock_ft" in t["servers"]:
            ft = t["servers"]["mock_ft"]
            row("get throughput, free-threaded mock / mock (8 clients)",
                f"{1 / ft['c8']['mock_ratio_median']:.2f} ({ft['c8']['rps_median']:.0f} req/s; "
                f"1 client: {1 / ft['c1']['mock_ratio_median']:.2f})", "(info)", None)
    free = r.get("free_threaded")
    if free and t and "mock_ft" not in t["servers"]:
        row("get throughput on a free-threaded CPython",
            free.get("note") or free.get("error", "not measured")[:300], "(info)", None)
    sv = r.get("servers")
    if sv and "servers" in sv:
        chosen = sv["servers"]["httpserver"]
        others = ", ".join(f"{name} {s['c8']['of_chosen']:.2f}" for name, s in
                           sv["servers"].items() if "c8" in s and name != "httpserver")
        row("HTTP servers, empty app, 8 clients (servers.py), other / the mock's HttpServer",
            f"HttpServer {chosen['c8']['rps_median']:.0f} req/s; {others}", "(info)", None)
    s = r.get("server_time")
    if s:
        row("server time for one get, mock/bare lxml",
            f"{s['ratio_median']:.2f} ({s['mock_us_median']:.0f} vs {s['floor_us_median']:.0f} us)",
            "<= 1.5", s["ratio_median"] <= 1.5)
    p = r.get("search_page")
    if p and "first_page_ms" in p:
        warm = statistics.median(p["first_page_ms"])
        cold = statistics.median(p.get("first_page_cold_ms") or p["first_page_ms"])
        row("1000-record search page, 100,000 records (no XML kept from before)",
            f"{cold:.1f} ms", "< 50 ms", cold < 50)
        row("the same page again (records' XML kept)", f"{warm:.1f} ms", "(info)", None)
    st = r.get("startup")
    if st:
        mb, wm = st["mock_ratio_median"]["mountebank"], st["mock_ratio_median"]["wiremock"]
        med = st["median_s"]
        row("start to first WSDL, mock/mountebank",
            f"{mb:.2f} ({med['mock']:.3f} vs {med['mountebank']:.3f} s)", "<= 1.0", mb <= 1.0)
        row("start to first WSDL, mock/WireMock",
            f"{wm:.2f} ({med['mock']:.3f} vs {med['wiremock']:.3f} s)", "<= 0.33", wm <= 1 / 3)
        row("start to first get answered (mock; the SOAP side is built after the WSDL)",
            f"{st['mock_first_get_median_s']:.3f} s", "(info)", None)
    z = r.get("zeep_wsdl")
    if z and "ratio_median" in z:
        row("zeep loading the WSDL, mock/real 2024_1",
            f"{z['ratio_median']:.2f} ({z['median_s']['mock']:.3f} vs "
            f"{z['median_s']['real']:.3f} s), prefix map "
            f"{'intact' if z['prefix_map_intact'] else 'DIFFERENT'}",
            "<= 0.5, prefixes intact", z["ratio_median"] <= 0.5 and z["prefix_map_intact"])
    m = r.get("million")
    if m and "resident_bytes" in m:
        gib = m["resident_bytes"] / 2 ** 30
        row(f"{m['records']:,} records: resident memory", f"{gib:.2f} GiB", "< 2 GB",
            m["resident_bytes"] < 2e9)
        ratio = statistics.median(m["get_ratio"])
        row(f"{m['records']:,} records: get latency vs 1,000",
            f"{ratio:.2f} ({statistics.median(m['get_ms_large']) * 1000:.0f} vs "
            f"{statistics.median(m['get_ms_small']) * 1000:.0f} us)", "<= 1.2", ratio <= 1.2)
        page = statistics.median(m["search_page_ms"])
        row(f"{m['records']:,} records: indexed search page", f"{page:.1f} ms", "< 100 ms",
            page < 100)
    c = r.get("contracts")
    if c and "per_second" in c:
        rate = statistics.median(c["per_second"])
        row("contract verification", f"{rate:.0f} interactions/s", ">= 300", rate >= 300,
            c.get("tool", ""))
    elif c:
        row("contract verification", "pending", ">= 300", None, c.get("error", "")[-300:])
    return rows


def table(r: dict) -> str:
    lines = [f"# netsuite-mock benchmarks ({r['finished']})", "",
             f"Machine: {r['machine']['cpus']} CPUs ({r['machine']['cpu_model']}), Python "
             f"{r['machine']['python']}; load average before {r['machine']['load_average']}, "
             f"after {r['load_average_after']}. Each figure is the median of {r['runs']} runs; "
             f"ratios are mock / other, taken in the same run.", "",
             "| figure | value | target | met |", "|---|---|---|---|"]
    for row in r["targets"]:
        met = {True: "yes", False: "**no**", None: "pending"}[row["met"]] \
            if row["target"] != "(info)" else ""
        lines.append(f"| {row['figure']} | {row['value']} | {row['target']} | {met} |")
    t = r.get("throughput")
    if t:
        lines += ["", "`get` over HTTP (wrk, keep-alive; req/s and latency p50, median of "
                  f"{t['runs']} runs of {t['duration_s']} s):", "",
                  "| server | 1 client | p50 | 8 clients | p50 | mock / server at 8 |",
                  "|---|---|---|---|---|---|"]
        for name, s in t["servers"].items():
            ratio = f"{s['c8']['mock_ratio_median']:.2f}" if "mock_ratio_median" in s["c8"] else ""
            lines.append(f"| {s['label']} | {s['c1']['rps_median']:.0f} | "
                         f"{s['c1']['latency_p50_us_median'] / 1000:.2f} ms | "
                         f"{s['c8']['rps_median']:.0f} | "
                         f"{s['c8']['latency_p50_us_median'] / 1000:.2f} ms | {ratio} |")
        if t["problems"]:
            lines.append(f"\nThe mock's runs had refused or repeated requests: {t['problems']}")
    prof = r.get("profiles", {}).get("get_in_process_cprofile", {})
    if "stage_share" in prof and "server_time" in r:
        mock_us = r["server_time"]["mock_us_median"]
        lines += ["", f"Server time of one `get` by stage (cProfile shares of {prof['requests']} "
                  f"gets, scaled to the unprofiled {mock_us:.0f} us):", "",
                  "| stage | us per get |", "|---|---|"]
        lines += [f"| {label} | {share * mock_us:.1f} |"
                  for label, share in prof["stage_share"].items()]
    sv = r.get("servers")
    if sv and "servers" in sv:
        import servers
        lines += ["", servers.table(sv).rstrip("\n")]
    free = r.get("free_threaded")
    if free:
        lines += ["", f"Free-threaded CPython: this interpreter is "
                  f"{'' if free['this_interpreter'] else 'not '}free-threaded; "
                  + (f"measured under {free['used']} (GIL on after the mock's imports: "
                     f"{free.get('gil_enabled_in_mock')})" if "mock_ft" in
                     (r.get("throughput") or {}).get("servers", {}) else
                     free.get("note") or free.get("error", "")[:300]) + "."]
    for wall in r.get("walls", []):
        lines += ["", f"**Not met: {wall['figure']}.** {wall['why']}"]
    return "\n".join(lines) + "\n"


FIGURES = ("throughput", "server_time", "search_page", "startup", "zeep_wsdl", "million",
           "contracts", "servers")
PEER_FIGURES = ("throughput", "server_time", "startup", "zeep_wsdl")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--duration", type=float, default=4, help="seconds per wrk run")
    parser.add_argument("--floor-server", choices=("httpserver", "waitress"),
                        default="httpserver", help="the server of the floor and the empty app "
                        "in figure 1 (default: the mock's own)")
    parser.add_argument("--records", type=int, default=1_000_000,
                        help="store size for the million-record figures")
    parser.add_argument("--skip", action="append", default=[], choices=FIGURES)
    parser.add_argument("--only", action="append", default=[], choices=FIGURES,
                        help="run only this figure (repeatable); results/ is left alone")
    parser.add_argument("--out", type=Path, default=None,
                        help="where to write the results (default results/latest.json, or "
                             "nowhere with --only)")
    args = parser.parse_args()
    if args.only:
        args.skip = [f for f in FIGURES if f not in args.only]
    elif args.out is None:
        args.out = RESULTS / "latest.json"

    results: dict = {"started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                     "runs": args.runs, "machine": machine(), "free_threaded": free_threading()}
    if any(f not in args.skip for f in PEER_FIGURES):
        _peer_figures(args, results)
    if "search_page" not in args.skip:
        print("3. search page from 100,000 records", flush=True)
        results["search_page"] = script("search_page.py", "--repeat", str(max(5, args.runs)),
                                        "--no-scan")
    if "million" not in args.skip:
        print(f"6. {args.records:,} records", flush=True)
        results["million"] = script("million.py", "--records", str(args.records),
                                    "--rounds", str(args.runs))
    if "contracts" not in args.skip:
        print("7. contract verification", flush=True)
        results["contracts"] = contracts(args.runs)
    if "servers" not in args.skip:
        print("8. HTTP servers with an empty app (servers.py)", flush=True)
        out = () if args.out is None else ("--out", str(args.out.parent / "servers.json"))
        results["servers"] = script("servers.py", "--runs", str(args.runs), "--duration",
                                    str(args.duration), *out)
    results["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    results["load_average_after"] = list(os.getloadavg())
    results["targets"] = targets(results)
    results["walls"] = walls(results)
    text = table(results)
    print("\n" + text)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2, default=str) + "\n")
        args.out.with_suffix(".md").write_text(text)
        print(f"written: {args.out} and {args.out.with_suffix('.md')}")
    return 0


def _peer_figures(args, results: dict) -> None:
    """1, 2, 4 and 5: the figures that need the peers (wrk, WireMock, mountebank) or the
    mock's canned answer."""
    tools = peers.ensure_tools()
    results["tools"] = {"wrk": tools.wrk, "wiremock_jar": str(tools.wiremock_jar),
                        "mountebank": str(tools.mountebank)}
    with tempfile.TemporaryDirectory(prefix="netsuite-mock-bench-") as tmp:
        work = Path(tmp)
        mock = peers.mock(work, CONCURRENCY_LIMIT).start()
        try:
            peers.wait_for(mock.url + peers.WSDL_PATH, peer=mock)
            internal_id, canned = add_bench_vendor(mock.url)
            with urllib.request.urlopen(mock.url + peers.WSDL_PATH) as response:
                wsdl = response.read()
            (work / "get.xml").write_bytes(canned)
            results["response_bytes"] = len(canned)
            if "throughput" not in args.skip:
                print("1. get throughput (wrk)", flush=True)
                root = peers.write_peer_files(work, canned, wsdl)
                canned_file = work / "get.xml"
                others = {"wiremock": peers.wiremock(tools, work, root),
                          "mountebank": peers.mountebank(tools, work, canned, wsdl),
                          "floor": peers.floor(work, canned_file, server=args.floor_server),
                          "empty": peers.floor(work, canned_file, server=args.floor_server,
                                               empty=True)}
                free = results["free_threaded"]
                python = free_threaded_venv(free) if free["interpreters"] else None
                if python is not None:
                    others["mock_ft"] = peers.mock(work, CONCURRENCY_LIMIT, python=python,
                                                   name="netsuite-mock (free-threaded)")
                try:
                    for peer in others.values():
                        peer.start()
                    for name, peer in others.items():
                        if name in ("floor", "empty"):
                            _wait_port(peer)
                        else:
                            peers.wait_for(peer.url + peers.WSDL_PATH, timeout=120, peer=peer)
                    if "mock_ft" in others:
                        ft_id, _ = add_bench_vendor(others["mock_ft"].url)
                        assert ft_id == internal_id, (ft_id, internal_id)
                        free["gil_enabled_in_mock"] = _gil_enabled(python)
                    results["throughput"] = throughput(tools, {"mock": mock, **others},
                                                       internal_id, work, args.runs,
                                                       args.duration)
                finally:
                    for peer in others.values():
                        peer.stop()
                print("   py-spy on the mock under load", flush=True)
                results.setdefault("profiles", {})["mock_under_load_py_spy"] = \
                    py_spy_under_load(tools, mock, internal_id, work)
            if "zeep_wsdl" not in args.skip:
                print("5. zeep loading the WSDL", flush=True)
                results["zeep_wsdl"] = zeep_load(mock.url, work, args.runs)
        finally:
            mock.stop()
        if "server_time" not in args.skip:
            print("2. server time for one get (in process)", flush=True)
            results["server_time"] = server_time(args.runs * 2)
            results.setdefault("profiles", {})["get_in_process_cprofile"] = profile_get()
        if "startup" not in args.skip:
            print("4. process start to first served WSDL", flush=True)
            results["startup"] = startup(tools, work, args.runs, canned, wsdl)


# -- free-threaded CPython ----------------------------------------------------------------------
FREE_THREADED_NAMES = ("python3.13t", "python3.14t")
NO_FREE_THREADED = "no free-threaded interpreter on this machine"


def free_threading() -> dict:
    """Whether this interpreter is free-threaded, and the free-threaded interpreters found
    (``python3.13t``/``python3.14t`` on PATH, or a pyenv version ending in ``t``)."""
    found = [path for name in FREE_THREADED_NAMES if (path := shutil.which(name))]
    try:
        root = subprocess.run(["pyenv", "root"], capture_output=True, text=True,
                              timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        root = ""
    if root:
        for version in sorted(Path(root, "versions").glob("*t")):
            found += [str(p) for p in sorted(version.glob("bin/python3.*t"))[:1]]
    interpreters = [path for path in dict.fromkeys(found) if _is_free_threaded(path)]
    return {"this_interpreter": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
            "gil_enabled_here": getattr(sys, "_is_gil_enabled", lambda: True)(),
            "interpreters": interpreters,
            **({} if interpreters else {"note": NO_FREE_THREADED})}


def _is_free_threaded(python: str) -> bool:
    try:
        done = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_config_var("
                               "'Py_GIL_DISABLED'))"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.stdout.strip() == "1"


def free_threaded_venv(free: dict) -> str | None:
    """A venv of the first free-threaded interpreter with the mock installed (made once, in
    ``benchmarks/.cache``); None, with the reason in ``free``, when that cannot be done."""
    python = free["interpreters"][0]
    venv = peers.CACHE / f"venv-{Path(python).name}"
    stamp = venv / ".installed"
    free["used"] = python
    if not stamp.exists():
        print(f"   installing the mock into a venv of {python} ({venv})", flush=True)
        for step in ([python, "-m", "venv", str(venv)],
                     [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "-e",
                      str(ROOT)]):
            done = subprocess.run(step, capture_output=True, text=True, timeout=1800)
            if done.returncode != 0:
                free["error"] = f"{' '.join(step[:4])} failed: {done.stderr[-1500:]}"
                return None
        stamp.touch()
    return str(venv / "bin" / "python")


def _gil_enabled(python: str) -> bool | None:
    """Whether the GIL is on once the mock is imported (a C extension not marked free-threaded
    turns it back on unless ``PYTHON_GIL=0``)."""
    done = subprocess.run([python, "-c", "import sys, mockserver.server, lxml.etree, httptools; "
                           "print(sys._is_gil_enabled())"], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    return {"True": True, "False": False}.get(done.stdout.strip())


def _wait_port(peer: peers.Peer, timeout: float = 30) -> None:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            urllib.request.urlopen(peer.url + "/", timeout=2)
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.02)
            continue
        return
    raise TimeoutError(f"{peer.name} did not start")


def walls(r: dict) -> list[dict]:
    """For each target this run did not meet: what stands in the way, in this run's numbers."""
    out = []
    for row in r.get("targets", []):
        if row["met"] is not False:
            continue
        for key, explain in WALLS:
            if row["figure"].startswith(key):
                try:
                    out.append({"figure": row["figure"], "why": explain(r)})
                except (KeyError, TypeError, ValueError, ZeroDivisionError) as error:
                    out.append({"figure": row["figure"], "why": f"(not computed: {error!r})"})
                break
    return out


def _pct(share: float) -> str:
    return f"{share * 100:.0f}%"


def _throughput_wall(r: dict) -> str:
    t = r["throughput"]["servers"]
    rps = {name: t[name]["c8"]["rps_median"] for name in t}
    empty, floor, mock, wiremock = (t[n]["label"] for n in ("empty", "floor", "mock", "wiremock"))
    # One process, one interpreter at a time (the GIL): a request's cost is 1/throughput.
    cost = {name: 1e6 / value for name, value in rps.items()}
    server_us = cost["empty"]
    text = (f"At 8 connections: {empty}, {rps['empty']:.0f} req/s "
            f"({rps['empty'] / rps['wiremock']:.1f}x {wiremock}'s {rps['wiremock']:.0f}), so a "
            f"request costs the server about {server_us:.0f} us of the one interpreter; "
            f"{floor}, {rps['floor']:.0f} req/s ({cost['floor'] - server_us:.0f} us of "
            f"application a request); {mock}, {rps['mock']:.0f} req/s "
            f"({cost['mock'] - server_us:.0f} us of application a request). Matching "
            f"WireMock leaves {cost['wiremock']:.0f} us a request for server and application "
            f"together, {cost['wiremock'] - server_us:.0f} us for the application.")
    if "server_time" in r:
        text += (f" In process, without HTTP, one get takes the mock "
                 f"{r['server_time']['mock_us_median']:.0f} us of CPU (figure 2); the rest of "
                 f"a request's share under load is the server, threads taking turns at the "
                 f"interpreter, and wrk and other work on the same cores, which this run does "
                 f"not tell apart.")
    spy = r.get("profiles", {}).get("mock_under_load_py_spy", {})
    if "share" in spy:
        parts = ", ".join(f"{group} {_pct(share)}" for group, share in spy["share"].items())
        text += (f" py-spy on the mock under that load ({spy['samples']} samples of the "
                 f"thread holding the GIL): {parts}.")
    free = r.get("free_threaded", {})
    if "mock_ft" in t:
        text += (f" On a free-threaded CPython ({free.get('used')}) the same mock served "
                 f"{rps['mock_ft']:.0f} req/s at 8 connections.")
    else:
        text += (f" The next step is parallel requests: on a free-threaded CPython each "
                 f"connection's thread runs on its own core ({free.get('note') or 'not measured'}"
                 f"; see benchmarks/README.md, 'Free-threaded CPython').")
    return text


def _one_client_wall(r: dict) -> str:
    """One connection: no request waits for the interpreter, so a request's time is its round
    trip: the client, the network stack and the server, one after the other."""
    t = r["throughput"]["servers"]
    rps = {name: t[name]["c1"]["rps_median"] for name in t}
    trip = {name: 1e6 / value for name, value in rps.items()}
    mock, wiremock = t["mock"]["label"], t["wiremock"]["label"]
    text = (f"At 1 connection a request is a round trip: {mock} {rps['mock']:.0f} req/s "
            f"({trip['mock']:.0f} us a trip), {wiremock} {rps['wiremock']:.0f} "
            f"({trip['wiremock']:.0f} us); 1.3x WireMock would be {trip['wiremock'] / 1.3:.0f} "
            f"us. The mock's HTTP server with an empty app takes {trip['empty']:.0f} us a trip "
            f"(wrk, the loopback and the server), which leaves "
            f"{trip['wiremock'] / 1.3 - trip['empty']:.0f} us for the mock's work")
    if "server_time" in r:
        text += (f"; in process, warm, one get takes {r['server_time']['mock_us_median']:.0f} "
                 f"us, and a request arriving every few hundred microseconds finds the caches "
                 f"colder than a loop of them does")
    return text + "."


def _server_time_wall(r: dict) -> str:
    s = r["server_time"]
    prof = r.get("profiles", {}).get("get_in_process_cprofile", {})
    mock_us, floor_us = s["mock_us_median"], s["floor_us_median"]
    text = (f"The floor parses the request and builds the response with lxml, nothing else: "
            f"{floor_us:.0f} us. The mock takes {mock_us:.0f} us; 1.5x would be "
            f"{1.5 * floor_us:.0f} us.")
    if "stage_share" in prof:
        parts = ", ".join(f"{label} {share * mock_us:.0f} us"
                          for label, share in sorted(prof["stage_share"].items(),
                                                     key=lambda x: -x[1]))
        text += (f" Where the mock's time goes (cProfile shares of {prof['requests']} gets, "
                 f"scaled to the unprofiled median): {parts}.")
        share = prof["stage_share"]
        beyond = (share.get(TOKEN_PASSPORT, 0) + share.get(HANDLE, 0)
                  + share.get("journal (outcome, entry)", 0)) * mock_us
        text += (f" The work the floor does not do at all (the TokenPassport check, the "
                 f"backend's governance, rules and store, the journal) takes {beyond:.0f} us, "
                 f"against the {0.5 * floor_us:.0f} us the target leaves beyond the floor's "
                 f"work.")
    return text


def _startup_wall(r: dict) -> str:
    st = r["startup"]["median_s"]
    return (f"The mock serves its WSDL {st['mock']:.3f} s after the process starts "
            f"(mountebank {st['mountebank']:.3f} s, WireMock {st['wiremock']:.3f} s): the "
            f"Python interpreter, the imports it cannot do without (the 46 schema modules, "
            f"lxml, httptools) and rendering the WSDL; the backend, the seed and Spyne are "
            f"built after the first WSDL is served (see 'first get served').")


def _zeep_wall(r: dict) -> str:
    z = r["zeep_wsdl"]
    mock, real = z["schema_declarations"]["mock"], z["schema_declarations"]["real"]
    return (f"zeep takes {z['median_s']['mock']:.3f} s for the mock's WSDL and "
            f"{z['median_s']['real']:.3f} s for NetSuite's. zeep's time follows what the "
            f"documents declare: the mock's XSDs hold {mock['element']:,} elements, "
            f"{mock['complexType']:,} complex types and {mock['enumeration']:,} enumeration "
            f"values ({mock['element'] / real['element']:.0%} of NetSuite's "
            f"{real['element']:,} / {real['complexType']:,} / {real['enumeration']:,}): every "
            f"record, search and list type the mock serves, which clients need in the WSDL. "
            f"The WSDL itself (the same 42 operations, messages and bindings as NetSuite's) "
            f"costs zeep the same for both. Halving the time would mean declaring a fraction "
            f"of the types the mock implements.")


def _memory_wall(r: dict) -> str:
    m = r["million"]
    return (f"{m['records']:,} vendor bills (with an item and an expense line each) take "
            f"{m['resident_bytes'] / 2 ** 30:.2f} GiB resident: Python dicts cost about 200 "
            f"bytes each and a bill is a dozen of them.")


def _million_get_wall(r: dict) -> str:
    m = r["million"]
    return (f"get at {m['records']:,} records {statistics.median(m['get_ms_large']) * 1000:.0f} us "
            f"against {statistics.median(m['get_ms_small']) * 1000:.0f} us: a store lookup is a "
            f"dict access at any size, so the difference is the garbage collector walking the "
            f"big store's objects during the run.")


def _search_wall(r: dict) -> str:
    return ("The page's time is the search (the index slice and sorting ids) and writing "
            "1000 records as XML; see search_page.py's breakdown in results['search_page'].")


def _contracts_wall(r: dict) -> str:
    c = r["contracts"]
    share = (f" The mock's answers took {statistics.median(c['mock_share']):.0%} of the run "
             f"(its WSGI application timed in place); the rest is the verifier's." if
             c.get("mock_share") else "")
    return (f"{statistics.median(c['per_second']):.0f} interactions/s: `netsuite-contracts "
            f"verify` reads the cassette, seeds the mock, and for each interaction re-signs "
            f"the request, sends it over HTTP to the mock (in the same process, sharing one "
            f"interpreter) and compares the normalised answers, one after the other (each "
            f"answer can depend on the ones before).{share} `contract_verify.py --profile` "
            f"prints the verifier's cProfile.")


WALLS = (
    ("get throughput, 1 client", _one_client_wall),
    ("get throughput", _throughput_wall),
    ("server time for one get", _server_time_wall),
    ("start to first WSDL", _startup_wall),
    ("zeep loading", _zeep_wall),
    ("1,000,000 records: resident", _memory_wall),
    ("1,000,000 records: get", _million_get_wall),
    ("1,000,000 records: indexed", _search_wall),
    ("1000-record search page", _search_wall),
    ("contract verification", _contracts_wall),
)


if __name__ == "__main__":
    sys.exit(main())
