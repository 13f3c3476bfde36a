"""The README's Python examples run as written against a real mock, and print what their
comments say they print (so the documentation cannot drift from the code)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.server
README = ROOT / "README.md"
BLOCK = re.compile(r"```python\n(.*?)```", re.S)   # not ```py: the container example, which needs an engine
EXPECTED = re.compile(r"^print\(.*\)\s+# (.+)$")


def expected_outputs(code: str) -> list[str]:
    """What each commented print says it prints: the comment up to a ':' that explains it."""
    outputs = []
    for line in code.splitlines():
        match = EXPECTED.match(line.strip())
        if match:
            outputs.append(re.split(r":\s", match.group(1), maxsplit=1)[0].strip())
    return outputs


def test_readme_python_examples_run_and_print_what_they_say(mock, monkeypatch):
    from netsuitesdk.internal.client import NetSuiteClient
    monkeypatch.setattr(NetSuiteClient, "WSDL_URL_TEMPLATE", NetSuiteClient.WSDL_URL_TEMPLATE)
    monkeypatch.setattr(NetSuiteClient, "DATACENTER_URL_TEMPLATE",
                        NetSuiteClient.DATACENTER_URL_TEMPLATE)
    blocks = BLOCK.findall(README.read_text(encoding="utf-8"))
    assert len(blocks) >= 4
    namespace: dict = {}
    for number, code in enumerate(blocks, 1):
        code = code.replace("http://127.0.0.1:8080", mock.url)
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code, f"README.md python block {number}", "exec"), namespace)
        lines = [line.strip() for line in printed.getvalue().splitlines()]
        assert lines == expected_outputs(code), f"block {number}"
