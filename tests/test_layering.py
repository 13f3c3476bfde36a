"""The layers, checked on the import statements (function-level imports included) and on what
importing a layer actually loads:

- ``mockserver/domain`` (records, search, auth, governance, fault rules, the journal) works on
  plain values: no Spyne, no lxml, no SOAP code, nothing of the client; and its modules
  import each other without a circle (handlers register through ``dispatch``, which imports
  no handler);
- ``client`` (what users run against NetSuite) imports neither the mock nor the contract tools
  (recording plugs in from ``contracts``, through an entry point);
- ``suitetalk`` (what the client and the mock share) imports none of the three."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from tests.conftest import ROOT

DOMAIN = ROOT / "mockserver" / "domain"
LAYERS = {
    "mockserver/domain": ("spyne", "lxml", "client", "mockserver.wire", "mockserver.server",
                          "mockserver.admin"),
    "client": ("mockserver", "contracts"),
    "suitetalk": ("mockserver", "client", "contracts"),
}


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


def within(name: str, packages) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_no_module_of_a_layer_imports_what_it_must_not(layer):
    offenders = {
        str(path.relative_to(ROOT)): sorted(n for n in imported_modules(path)
                                            if within(n, LAYERS[layer]))
        for path in sorted((ROOT / layer).rglob("*.py"))}
    assert {k: v for k, v in offenders.items() if v} == {}


def loaded_by_importing(modules: list[str], forbidden) -> list[str]:
    code = ("import sys\n" + "".join(f"import {m}\n" for m in modules)
            + f"print(sorted({{m.split('.')[0] if m.split('.')[0] != 'mockserver' else m "
              f"for m in sys.modules if any(m == p or m.startswith(p + '.') "
              f"for p in {tuple(forbidden)!r})}}))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_importing_the_whole_domain_loads_no_spyne_lxml_or_client():
    modules = sorted("mockserver.domain." + ".".join(p.relative_to(DOMAIN).with_suffix("").parts)
                     for p in DOMAIN.rglob("*.py") if p.name != "__init__.py")
    assert loaded_by_importing(modules, LAYERS["mockserver/domain"]) == "[]"


def test_importing_the_whole_client_loads_neither_the_mock_nor_the_contract_tools():
    modules = sorted("client." + p.stem for p in (ROOT / "client").glob("*.py")
                     if p.name not in ("__init__.py", "__main__.py"))
    assert loaded_by_importing(modules, LAYERS["client"]) == "[]"
