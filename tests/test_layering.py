"""The domain (records, search, auth, governance, fault rules) never depends on the wire layer:
no Spyne, no lxml, no SOAP code, anywhere in mockserver/domain, not even in a function-level
import; and its modules import each other without a circle."""

from __future__ import annotations

import ast
import subprocess
import sys

from tests.conftest import ROOT

DOMAIN = ROOT / "mockserver" / "domain"
WIRE_MODULES = ("spyne", "lxml", "mockserver.wire", "mockserver.server", "mockserver.admin")


def imported_modules(path, *, run_time_only: bool = False) -> set[str]:
    """The modules a file imports (``from a import b`` counts ``a`` and ``a.b``: b may be a
    module); with ``run_time_only``, not those under ``if TYPE_CHECKING:``."""
    tree = ast.parse(path.read_text(), filename=str(path))
    skipped = set()
    if run_time_only:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                skipped.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    names = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def module_name(path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def domain_import_graph() -> dict[str, set[str]]:
    """Each domain module -> the domain modules it imports when it runs."""
    paths = {module_name(p): p for p in DOMAIN.rglob("*.py")}
    return {name: {m for m in imported_modules(path, run_time_only=True)
                   if m in paths and m != name}
            for name, path in paths.items()}


def import_circle(graph: dict[str, set[str]]) -> list[str]:
    """One circle in the graph (its modules in import order), or [] when it has none."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = "open"
        path.append(node)
        for following in sorted(graph[node]):
            if state.get(following) == "open":
                return path[path.index(following):] + [following]
            if following not in state:
                found = visit(following)
                if found:
                    return found
        state[node] = "done"
        path.pop()
        return []
    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return []


def test_the_domain_has_no_import_circle():
    graph = domain_import_graph()
    assert "mockserver.domain.dispatch" in graph["mockserver.domain.handlers.records"]
    assert import_circle(graph) == []


def test_the_circle_finder_finds_a_circle():
    graph = domain_import_graph()
    graph["mockserver.domain.dispatch"].add("mockserver.domain.backend")
    assert import_circle(graph)[0] == import_circle(graph)[-1]


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
