"""Finding NetSuite's published WSDL for the conformance tests (tests/netsuite_wsdl.py): the
download into the cache, and a run without any copy (one summary line, nothing failed)."""

from __future__ import annotations

import functools
import http.server
import os
import socket
import subprocess
import sys
import threading
import time

import pytest
from lxml import etree

from tests import netsuite_wsdl
from tests.conftest import ROOT

XSD = "http://www.w3.org/2001/XMLSchema"
# A made-up service in the published layout (wsdl/<version>/, xsd/<area>/<version>/), not
# NetSuite's files: what the download must follow is the chain of schemaLocations.
PUBLISHED = {
    "wsdl/v2024_1_0/netsuite.wsdl": f'''<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"
  xmlns:xsd="{XSD}" targetNamespace="urn:test"><types><xsd:schema>
  <xsd:import namespace="urn:core" schemaLocation="../../xsd/platform/v2024_1_0/core.xsd"/>
  </xsd:schema></types></definitions>''',
    "xsd/platform/v2024_1_0/core.xsd": f'''<xsd:schema xmlns:xsd="{XSD}" targetNamespace="urn:core"
  xmlns:t="urn:types" elementFormDefault="qualified">
  <xsd:import namespace="urn:types"
      schemaLocation="https://HOST/xsd/platform/v2024_1_0/coreTypes.xsd"/>
  <xsd:element name="thing" type="t:Thing"/></xsd:schema>''',
    "xsd/platform/v2024_1_0/coreTypes.xsd": f'''<xsd:schema xmlns:xsd="{XSD}"
  targetNamespace="urn:types"><xsd:simpleType name="Thing"><xsd:restriction base="xsd:string">
  <xsd:enumeration value="_one"/></xsd:restriction></xsd:simpleType></xsd:schema>''',
}


@pytest.fixture
def published(tmp_path):
    """An HTTP server with the made-up service; its WSDL's URL."""
    root = tmp_path / "site"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(
        QuietHandler, directory=str(root)))
    host = f"127.0.0.1:{server.server_address[1]}"
    for path, text in PUBLISHED.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text.replace("https://HOST", f"http://{host}"))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://{host}/wsdl/v2024_1_0/netsuite.wsdl"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}/wsdl/v2024_1_0/netsuite.wsdl"


def test_the_download_follows_every_schema_location_into_the_shared_layout(published, tmp_path):
    target = tmp_path / "cache" / "v2024_1_0"
    assert netsuite_wsdl.download(target, published) is None
    assert netsuite_wsdl.is_wsdl_dir(target)
    assert sorted(p.name for p in (target / "xsd").iterdir()) == \
        ["platform.core.xsd", "platform.coreTypes.xsd"]
    wsdl = etree.parse(str(target / "netsuite.wsdl"))
    assert wsdl.find(f".//{{{XSD}}}import").get("schemaLocation") == "./xsd/platform.core.xsd"
    # the local copies point at each other: lxml compiles them without the network
    schema = etree.XMLSchema(etree.parse(str(target / "xsd" / "platform.core.xsd")))
    assert schema.validate(etree.fromstring(b'<thing xmlns="urn:core">_one</thing>'))
    assert not schema.validate(etree.fromstring(b'<thing xmlns="urn:core">_two</thing>'))


def test_a_failed_download_is_quick_named_and_leaves_no_folder(published, tmp_path):
    target = tmp_path / "cache" / "v2024_1_0"
    started = time.monotonic()
    assert netsuite_wsdl.download(target, closed_port_url()).startswith("ConnectionError on ")
    assert time.monotonic() - started < netsuite_wsdl.DOWNLOAD_TIMEOUT_S + 1
    assert netsuite_wsdl.download(target, published.replace("netsuite.wsdl", "gone.wsdl")) \
        .startswith("HTTP 404 from ")
    assert not target.exists()


def test_without_the_wsdl_the_conformance_tests_are_one_summary_line(tmp_path):
    """A fresh clone without ../shared and without the network: the tests that need NetSuite's
    WSDL are deselected with one line saying how to enable them; nothing fails or floods."""
    env = {**os.environ, "NETSUITE_WSDL_DIR": str(tmp_path / "none"),
           "NETSUITE_SHARED": str(tmp_path / "none"), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "NETSUITE_WSDL_URL": closed_port_url()}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/mockserver/wire/test_wsdl.py", "tests/mockserver/schema/test_schema_drift.py",
         "tests/mockserver/domain/test_record_types.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:]
    lines = run.stdout.splitlines()
    about = [line for line in lines if "WSDL" in line or "shared" in line]
    assert len(about) == 1, about
    assert about[0].split()[1:3] == ["conformance", "tests"]
    assert "NETSUITE_WSDL_DIR" in about[0] and "deselected" in about[0]
    assert " passed" in lines[-1] and "skipped" not in lines[-1] and "failed" not in lines[-1]
