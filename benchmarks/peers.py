"""The benchmark's tools and peers: installed into a cache folder, started as processes.

- ``wrk`` from Debian (``apt-get install wrk``; needs root or an existing wrk on PATH),
- WireMock 3.13.2 from the npm package ``wiremock`` (it ships the standalone jar; run with the
  machine's Java 17),
- mountebank 2.9.1 from npm.

Everything npm installs goes to ``benchmarks/.cache/npm`` (git-ignored); nothing else is
fetched. Each peer serves the same canned ``get`` response and the mock's WSDL, from files the
benchmark writes, so all servers send the same bytes.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# Not NETSUITE_MOCK_*: the mock reads those variables as its own settings.
CACHE = Path(os.environ.get("BENCHMARK_CACHE", HERE / ".cache"))
WIREMOCK_VERSION = "3.13.2"
MOUNTEBANK_VERSION = "2.9.1"
SERVICE_PATH = "/services/NetSuitePort_2024_1"
WSDL_PATH = "/wsdl/v2024_1_0/netsuite.wsdl"


class ToolMissing(RuntimeError):
    pass


@dataclass
class Tools:
    wrk: str
    java: str
    wiremock_jar: Path
    mountebank: Path


def ensure_wrk() -> str:
    """wrk's path, installed from Debian if missing (needs root and apt-get)."""
    wrk = shutil.which("wrk")
    if wrk is None:
        if os.geteuid() != 0 or shutil.which("apt-get") is None:
            raise ToolMissing("wrk is not installed and apt-get cannot run here "
                              "(install Debian's wrk package)")
        print("installing wrk (apt-get)", flush=True)
        apt_install("wrk")
        wrk = shutil.which("wrk")
    return wrk


def apt_install(package: str) -> None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(["apt-get", "install", "-y", "-q", package], env=env,
                      capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-q", package], env=env,
                       capture_output=True, check=True)


def run_wrk(wrk: str, url: str, envelopes: Path, connections: int, duration: float) -> dict:
    """One wrk run POSTing the lines of ``envelopes`` (``signed_requests.lua``): its JSON
    summary, with ``rps``."""
    threads = min(2, connections)
    done = subprocess.run(
        [wrk, f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration))}s",
         "-s", str(HERE / "signed_requests.lua"), url, "--", str(envelopes), str(threads)],
        capture_output=True, text=True, timeout=duration + 60)
    line = next((l for l in done.stdout.splitlines() if l.startswith("{")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result: {done.stdout}\n{done.stderr}")
    result = json.loads(line)
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def ensure_tools() -> Tools:
    """Install what is missing; a clear error naming what could not be had."""
    wrk = ensure_wrk()
    java = shutil.which("java")
    if java is None:
        raise ToolMissing("java (17) is needed for WireMock")
    npm_dir = CACHE / "npm"
    jar = npm_dir / "node_modules" / "wiremock" / "build" / f"wiremock-standalone-{WIREMOCK_VERSION}.jar"
    mb = npm_dir / "node_modules" / ".bin" / "mb"
    if not jar.exists() or not mb.exists():
        if shutil.which("npm") is None:
            raise ToolMissing("npm (Node) is needed to install WireMock and mountebank")
        print(f"installing wiremock@{WIREMOCK_VERSION} and mountebank@{MOUNTEBANK_VERSION} "
              f"into {npm_dir} (npm)", flush=True)
        npm_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(npm_dir), "--no-audit", "--no-fund",
                        "--loglevel", "error", f"wiremock@{WIREMOCK_VERSION}",
                        f"mountebank@{MOUNTEBANK_VERSION}"], check=True, capture_output=True)
    if not jar.exists():
        found = sorted((npm_dir / "node_modules" / "wiremock").rglob("wiremock-standalone*.jar"))
        if not found:
            raise ToolMissing("the wiremock npm package has no standalone jar")
        jar = found[0]
    return Tools(wrk=wrk, java=java, wiremock_jar=jar, mountebank=mb)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 60.0, interval: float = 0.005,
             peer: "Peer | None" = None) -> float:
    """Seconds until ``url`` answers 200 (polling every ``interval``)."""
    started = time.perf_counter()
    while True:
        if peer is not None and peer.process is not None and peer.process.poll() is not None:
            raise RuntimeError(f"{peer.name} exited ({peer.process.returncode}): "
                               f"{peer.log.read_text(errors='replace')[-1500:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    response.read()
                    return time.perf_counter() - started
        except OSError:
            pass
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"{url} did not answer within {timeout} s")
        time.sleep(interval)


@dataclass
class Peer:
    """A server process the benchmark started (``stop`` ends exactly that process)."""

    name: str
    port: int
    command: list[str]
    log: Path
    cwd: Path = ROOT
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Peer":
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(self.command, stdout=log, stderr=log,
                                            stdin=subprocess.DEVNULL, cwd=self.cwd,
                                            start_new_session=True)
        return self

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def write_peer_files(work: Path, canned_get: bytes, wsdl: bytes) -> Path:
    """WireMock's root dir and mountebank's imposter file, serving the same bytes."""
    wiremock_root = work / "wiremock"
    (wiremock_root / "mappings").mkdir(parents=True, exist_ok=True)
    (wiremock_root / "__files").mkdir(parents=True, exist_ok=True)
    (wiremock_root / "__files" / "get.xml").write_bytes(canned_get)
    (wiremock_root / "__files" / "netsuite.wsdl").write_bytes(wsdl)
    xml = {"Content-Type": "text/xml; charset=utf-8"}
    (wiremock_root / "mappings" / "stubs.json").write_text(json.dumps({"mappings": [
        {"request": {"method": "POST", "url": SERVICE_PATH},
         "response": {"status": 200, "headers": xml, "bodyFileName": "get.xml"}},
        {"request": {"method": "GET", "url": WSDL_PATH},
         "response": {"status": 200, "headers": xml, "bodyFileName": "netsuite.wsdl"}}]}))
    return wiremock_root


def mountebank_config(work: Path, port: int, canned_get: bytes, wsdl: bytes) -> Path:
    xml = {"Content-Type": "text/xml; charset=utf-8"}
    path = work / f"imposters-{port}.json"
    path.write_text(json.dumps({"imposters": [{"protocol": "http", "port": port, "stubs": [
        {"predicates": [{"equals": {"method": "POST", "path": SERVICE_PATH}}],
         "responses": [{"is": {"statusCode": 200, "headers": xml,
                               "body": canned_get.decode()}}]},
        {"predicates": [{"equals": {"method": "GET", "path": WSDL_PATH}}],
         "responses": [{"is": {"statusCode": 200, "headers": xml, "body": wsdl.decode()}}]}]}]}))
    return path


def wiremock(tools: Tools, work: Path, root: Path, port: int | None = None) -> Peer:
    port = port or free_port()
    # The request journal bounded like the mock's (2000 entries), instead of growing forever.
    return Peer("WireMock " + WIREMOCK_VERSION, port, [
        tools.java, "-jar", str(tools.wiremock_jar), "--port", str(port), "--bind-address",
        "127.0.0.1", "--root-dir", str(root), "--disable-banner",
        "--max-request-journal-entries", "2000"], work / "wiremock.log")


def mountebank(tools: Tools, work: Path, canned_get: bytes, wsdl: bytes,
               port: int | None = None) -> Peer:
    port = port or free_port()
    admin_port = free_port()
    config = mountebank_config(work, port, canned_get, wsdl)
    # mountebank writes mb.log/mb.pid files into its working directory: the work folder
    return Peer("mountebank " + MOUNTEBANK_VERSION, port, [
        str(tools.mountebank), "start", "--port", str(admin_port), "--configfile", str(config),
        "--noLogFile", "--loglevel", "warn", "--localOnly", "--pidfile",
        str(work / f"mb-{port}.pid")], work / "mountebank.log", cwd=work)


def floor(work: Path, canned_file: Path, port: int | None = None, *,
          empty: bool = False, server: str = "httpserver") -> Peer:
    """The bare lxml floor (``floor.py``), or with ``empty`` the server alone answering the
    canned bytes; on the mock's own HTTP server unless ``server="waitress"``."""
    port = port or free_port()
    on = "the mock's HTTP server" if server == "httpserver" else server
    return Peer(f"{on}, empty app" if empty else f"bare lxml + {on}", port, [
        sys.executable, str(HERE / "floor.py"), str(port), str(canned_file),
        "--server", server, *(("--empty",) if empty else ())],
        work / ("empty.log" if empty else "floor.log"))


def mock(work: Path, concurrency_limit: int, port: int | None = None,
         extra: tuple[str, ...] = (), python: str = sys.executable,
         name: str = "netsuite-mock") -> Peer:
    port = port or free_port()
    return Peer(name, port, [
        python, "-m", "mockserver.cli", "serve", "--port", str(port), "--seed", "demo",
        "--concurrency-limit", str(concurrency_limit), "--quiet", "--log-level", "error",
        *extra], work / f"{name.replace(' ', '-')}.log")
