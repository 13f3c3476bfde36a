"""``--state``: records survive a restart and a kill -9; an acknowledged write is never lost."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time

import pytest
import requests

from mockserver.admin_client import MockAdmin
from mockserver.config import MockSettings
from tests.conftest import LIST_REL, envelope, parse_fault, passport_xml, post_soap

pytestmark = pytest.mark.server


def start(state_path, *extra) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "mockserver", "serve", "--port", "0", "--state", str(state_path),
         "--quiet", "--log-level", "warning", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # --quiet prints nothing, so find the port from the admin health endpoint via /proc
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        port = _listening_port(process.pid)
        if port:
            url = f"http://127.0.0.1:{port}"
            try:
                requests.get(url + "/__admin/health", timeout=10)
                return process, url
            except requests.RequestException:  # not answering yet, or slow on a busy machine
                pass
        if process.poll() is not None:
            raise AssertionError(process.stderr.read())
        time.sleep(0.05)
    process.kill()
    raise AssertionError("the mock did not start")


def _listening_port(pid: int) -> int | None:
    """The TCP port a process listens on (Linux /proc), without parsing its output."""
    try:
        inodes = {os.readlink(f"/proc/{pid}/fd/{fd}")[8:-1]
                  for fd in os.listdir(f"/proc/{pid}/fd")
                  if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:")}
        with open("/proc/net/tcp") as table:
            for line in table.readlines()[1:]:
                parts = line.split()
                if parts[3] == "0A" and parts[9] in inodes:  # LISTEN
                    return int(parts[1].split(":")[1], 16)
    except OSError:
        return None
    return None


class Target:
    def __init__(self, url):
        self.settings = MockSettings()
        self.service_url = url + "/services/NetSuitePort_2024_1"


def add_vendor(url: str, external_id: str) -> bool:
    body = (f'<m:add><m:record xsi:type="r:Vendor" xmlns:r="{LIST_REL}" '
            f'externalId="{external_id}"><r:companyName>{external_id}</r:companyName>'
            f'<r:subsidiary internalId="1"/></m:record></m:add>')
    target = Target(url)
    response = post_soap(target, envelope(body, passport_xml(target.settings)), action="add")
    return response.status_code == 200 and b'isSuccess="true"' in response.content


@pytest.fixture
def processes():
    started = []
    yield started
    for p in started:
        if p.poll() is None:
            p.kill()
        p.wait(timeout=10)


def test_records_survive_a_restart(tmp_path, processes):
    state = tmp_path / "mock.sqlite"
    process, url = start(state)
    processes.append(process)
    assert add_vendor(url, "KEEP-1")
    MockAdmin(url).records()  # a read on the way
    process.terminate()
    process.wait(timeout=10)
    process, url = start(state)
    processes.append(process)
    vendors = {v["externalId"] for v in MockAdmin(url).records("vendor")}
    assert "KEEP-1" in vendors and "V-ACME" in vendors   # the seed was loaded once, not twice
    assert MockAdmin(url).records()["vendor"] == 13
    # ids continue after the restart
    assert add_vendor(url, "KEEP-2")
    ids = sorted(int(v["internalId"]) for v in MockAdmin(url).records("vendor"))
    assert len(ids) == len(set(ids))


def test_kill_9_during_a_write_storm_loses_no_acknowledged_write(tmp_path, processes):
    state = tmp_path / "storm.sqlite"
    process, url = start(state, "--seed", "demo")
    processes.append(process)
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(worker: int) -> None:
        n = 0
        while not stop.is_set():
            external_id = f"STORM-{worker}-{n}"
            n += 1
            try:
                if add_vendor(url, external_id):
                    with lock:
                        acknowledged.append(external_id)
            except requests.RequestException:
                return

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 20
    while len(acknowledged) < 60 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    stop.set()
    for t in threads:
        t.join(timeout=10)
    assert len(acknowledged) >= 60

    process, url = start(state)
    processes.append(process)
    stored = {v["externalId"] for v in MockAdmin(url).records("vendor")}
    lost = [e for e in acknowledged if e not in stored]
    assert lost == []
    assert len([e for e in stored if e.startswith("STORM-")]) >= len(acknowledged)


def test_a_file_that_is_not_a_state_file_is_refused(tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not sqlite" * 100)
    result = subprocess.run([sys.executable, "-m", "mockserver", "serve", "--port", "0",
                             "--state", str(junk)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert re.search(r"not a netsuite-mock state file", result.stderr)
    assert "Traceback" not in result.stderr


def get_server_time(url: str, body: bytes) -> requests.Response:
    return post_soap(Target(url), body, action="getServerTime")


def signed_get_server_time() -> bytes:
    return envelope("<m:getServerTime/>", passport_xml(MockSettings()))


def test_a_token_passport_is_refused_again_after_a_restart(tmp_path, processes):
    state = tmp_path / "nonces.sqlite"
    process, url = start(state, "--seed", "none")
    processes.append(process)
    used = signed_get_server_time()
    assert b'isSuccess="true"' in get_server_time(url, used).content
    process.terminate()   # SIGTERM: no clean shutdown; the first nonce was saved at once
    process.wait(timeout=10)
    process, url = start(state, "--seed", "none")
    processes.append(process)
    replayed = get_server_time(url, used)
    assert parse_fault(replayed)["faultstring"] == "Invalid login attempt."
    assert MockAdmin(url).audit()[-1]["detail"] == "NonceUsed"
    assert b'isSuccess="true"' in get_server_time(url, signed_get_server_time()).content


def test_a_stopping_mock_saves_the_nonces_of_its_last_second(tmp_path):
    from mockserver.server import MockServer
    settings = MockSettings(port=0, seed="none", state=str(tmp_path / "nonces.sqlite"))
    used = [signed_get_server_time() for _ in range(3)]
    with MockServer(settings) as server:
        for body in used:
            assert b'isSuccess="true"' in get_server_time(server.url, body).content
    with MockServer(settings) as server:
        for body in used:
            assert parse_fault(get_server_time(server.url, body))["faultstring"] == \
                "Invalid login attempt."
        assert [e["detail"] for e in MockAdmin(server.url).audit()] == ["NonceUsed"] * 3
        MockAdmin(server.url).reset()   # forgets the nonces, saved ones included
    with MockServer(settings) as server:
        assert b'isSuccess="true"' in get_server_time(server.url, used[0]).content


def test_a_second_mock_on_the_same_state_file_refuses_to_start(tmp_path, processes):
    """A state file has one owner: two mocks on it would hand out the same internal ids and
    overwrite each other's acknowledged writes. A killed owner does not block the next one."""
    state = tmp_path / "owned.sqlite"
    first, url = start(state)
    processes.append(first)
    assert add_vendor(url, "OWNED-1")
    second = subprocess.run([sys.executable, "-m", "mockserver", "serve", "--port", "0",
                             "--state", str(state)],
                            capture_output=True, text=True, timeout=30)
    assert second.returncode == 2, second.stderr
    assert f"{state} is in use by another netsuite-mock (process {first.pid})" in second.stderr
    assert "Traceback" not in second.stderr
    assert add_vendor(url, "OWNED-2")      # the owner goes on as before
    os.kill(first.pid, signal.SIGKILL)     # its lock dies with it
    first.wait(timeout=10)
    process, url = start(state)
    processes.append(process)
    vendors = [v for v in MockAdmin(url).records("vendor") if v["externalId"].startswith("OWN")]
    assert sorted(v["externalId"] for v in vendors) == ["OWNED-1", "OWNED-2"]
    assert len({v["internalId"] for v in vendors}) == 2


def test_two_mocks_in_one_process_cannot_share_a_state_file(tmp_path):
    from mockserver.domain.errors import ConfigurationError
    from mockserver.server import MockServer
    settings = MockSettings(port=0, seed="demo", state=str(tmp_path / "shared.sqlite"))
    with MockServer(settings) as first:
        with pytest.raises(ConfigurationError, match="is in use by another netsuite-mock"):
            MockServer(settings)
        assert add_vendor(first.url, "ONLY-OWNER")
    with MockServer(settings) as again:   # a stopped mock gives its file up
        assert "ONLY-OWNER" in {v["externalId"] for v in MockAdmin(again.url).records("vendor")}
