"""The domain (records, search, auth, governance, fault rules) never depends on the wire layer:
no Spyne, no SOAP code, anywhere in mockserver/domain, not even in a function-level import."""

from __future__ import annotations

import ast
import subprocess
import sys

from tests.conftest import ROOT

DOMAIN = ROOT / "mockserver" / "domain"
WIRE_MODULES = ("spyne", "mockserver.wire", "mockserver.server", "mockserver.admin")


def imported_modules(path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_no_domain_module_imports_the_wire_layer():
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            name for name in imported_modules(path)
            if any(name == w or name.startswith(w + ".") for w in WIRE_MODULES))
        for path in sorted(DOMAIN.rglob("*.py"))}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_the_whole_domain_loads_no_spyne():
    modules = sorted("mockserver.domain." + ".".join(p.relative_to(DOMAIN).with_suffix("").parts)
                     for p in DOMAIN.rglob("*.py") if p.name != "__init__.py")
    code = ("import sys\n" + "".join(f"import {m}\n" for m in modules)
            + "print(sorted(m for m in sys.modules if m.split('.')[0] == 'spyne' "
              "or m.startswith('mockserver.wire')))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
