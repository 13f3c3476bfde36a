"""The container image (Dockerfile, docker/): its entrypoint and health check run here without a
container engine; the image itself is built and run only where ``docker info`` answers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid

import pytest
import requests

from tests.conftest import ROOT
from tests.mockserver.test_cli import Served, banner_of

ENTRYPOINT = ROOT / "docker" / "entrypoint.sh"
HEALTHCHECK = ROOT / "docker" / "healthcheck.py"
BIN = os.path.dirname(sys.executable)   # where pip put netsuite-mock, as in the image


def entrypoint(*args, **env) -> Served:
    """Start the entrypoint as the image does (netsuite-mock found on PATH)."""
    environ = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", **env}
    return banner_of(subprocess.Popen([str(ENTRYPOINT), *args], stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, text=True, env=environ))


def healthcheck(port: int) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(HEALTHCHECK)], capture_output=True, text=True,
                          timeout=30, env={**os.environ, "NETSUITE_MOCK_PORT": str(port)})


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def test_entrypoint_listens_on_every_interface_and_the_healthcheck_sees_the_wsdl():
    mock = entrypoint("--port", "0", "--seed", "none")
    try:
        assert mock.url.startswith("http://0.0.0.0:")
        port = int(mock.url.rsplit(":", 1)[1].strip("/"))
        assert healthcheck(port).returncode == 0
    finally:
        stop(mock.process)
    down = healthcheck(port)
    assert down.returncode == 1 and "unhealthy" in down.stderr and "Traceback" not in down.stderr


def test_entrypoint_keeps_a_host_given_by_flag_or_variable():
    for args, env in ((("serve", "--host", "127.0.0.1", "--port", "0", "--seed", "none"), {}),
                      (("serve", "--port", "0", "--seed", "none"),
                       {"NETSUITE_MOCK_HOST": "127.0.0.1"})):
        mock = entrypoint(*args, **env)
        stop(mock.process)
        assert mock.url.startswith("http://127.0.0.1:"), (args, env, mock.output)


def test_entrypoint_passes_other_commands_through():
    environ = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    replay = subprocess.run([str(ENTRYPOINT), "replay", "--help"], capture_output=True,
                            text=True, timeout=60, env=environ)
    assert replay.returncode == 0 and "cassette" in replay.stdout.lower()
    assert "--host 0.0.0.0" not in replay.stdout


def test_healthcheck_refuses_an_answer_that_is_not_the_wsdl(tmp_path):
    """Something else on the port that answers the WSDL's path (a catch-all web page) is not a
    healthy mock."""
    import http.server
    import threading
    page = tmp_path / "wsdl" / "v2024_1_0" / "netsuite.wsdl"
    page.parent.mkdir(parents=True)
    page.write_text("<html>It works</html>")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: (
        http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path))))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = healthcheck(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 1 and "answered without a WSDL" in result.stderr


def test_dockerfile_is_what_the_readme_promises():
    text = (ROOT / "Dockerfile").read_text()
    instructions = [line.split(None, 1) for line in text.splitlines()
                    if line and not line.startswith((" ", "#"))]
    first = {name: rest for name, rest in reversed(instructions)}
    assert first["FROM"] == "python:3.11-slim"
    assert first["USER"] not in ("root", "0")
    assert first["EXPOSE"] == "8080"
    assert "docker/healthcheck.py" in text.split("HEALTHCHECK", 1)[1].split("\n\n")[0]
    assert first["ENTRYPOINT"] == '["/app/docker/entrypoint.sh"]'
    assert "0.0.0.0" not in text   # the wide listen address lives in the entrypoint only
    assert os.access(ENTRYPOINT, os.X_OK)


def docker_problem() -> str | None:
    if shutil.which("docker") is None:
        return "no docker client"
    info = subprocess.run(["docker", "info"], capture_output=True, text=True, timeout=60)
    return None if info.returncode == 0 else "docker info failed: no container engine"


@pytest.mark.slow
def test_the_image_builds_runs_and_becomes_healthy():
    problem = docker_problem()
    if problem:
        pytest.skip(f"image not built ({problem}); the entrypoint and health check are tested "
                    f"above without one")
    tag = f"netsuite-mock-test:{uuid.uuid4().hex[:8]}"
    name = tag.replace(":", "-")
    subprocess.run(["docker", "build", "-t", tag, str(ROOT)], check=True, timeout=900,
                   capture_output=True)
    try:
        subprocess.run(["docker", "run", "-d", "--name", name, "-p", "127.0.0.1::8080", tag],
                       check=True, timeout=60, capture_output=True)
        deadline = time.monotonic() + 120
        status = ""
        while time.monotonic() < deadline and status != "healthy":
            time.sleep(2)
            status = subprocess.run(["docker", "inspect", "-f", "{{.State.Health.Status}}", name],
                                    capture_output=True, text=True).stdout.strip()
        assert status == "healthy"
        user = subprocess.run(["docker", "exec", name, "id", "-u"], capture_output=True,
                              text=True).stdout.strip()
        assert user != "0"
        port = subprocess.run(["docker", "port", name, "8080"], capture_output=True,
                              text=True).stdout.split(":")[-1].strip()
        wsdl = requests.get(f"http://127.0.0.1:{port}/wsdl/v2024_1_0/netsuite.wsdl", timeout=10)
        assert wsdl.status_code == 200
    finally:
        subprocess.run(["docker", "rm", "-f", name], capture_output=True)
        subprocess.run(["docker", "rmi", "-f", tag], capture_output=True)
