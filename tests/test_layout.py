"""The package cut the README's layout table describes, enforced.

Imports run one way, orchestration -> cxbench -> validations: the domain code (`cxbench`) and
the data contracts (`validations`) never import Dagster, and no module imports its way back up,
at module level or inside a function. Reads the source (ast), so a lazy import counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("orchestration", "cxbench", "validations")
# Who may import whom: the layers below a package.
ALLOWED = {
    "orchestration": {"orchestration", "cxbench", "validations"},
    "cxbench": {"cxbench", "validations"},
    "validations": {"validations"},
}


def _modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            if "dbt_project" in path.parts:
                continue
            parts = path.relative_to(REPO).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def _imports(path: Path, name: str, is_package: bool) -> set[str]:
    """Every module name this file imports, anywhere in it (relative imports resolved).

    `from package import name` counts as importing `package.name` and `package`; _graph keeps
    the ones that are modules of the project and drops `package` where every name is a module
    of it (importing submodules of one's own package is no cycle).
    """
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph = {}
    for name, path in modules.items():
        imported = {m for m in _imports(path, name, path.name == "__init__.py") if m in modules}
        parents = {m for m in imported if any(o.startswith(m + ".") for o in imported)}
        graph[name] = (imported - parents - {name}) | _package_uses(path, name, modules)
    return graph


def _package_uses(path: Path, name: str, modules: dict[str, str]) -> set[str]:
    """Packages this file takes a name from that is not a submodule (`from pkg import f`)."""
    used = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and not node.level and node.module in modules:
            if any(f"{node.module}.{alias.name}" not in modules for alias in node.names):
                used.add(node.module)
    return used - {name}


def test_dagster_is_imported_only_in_orchestration():
    offenders = []
    for name, path in _modules().items():
        if name.split(".")[0] == "orchestration":
            continue
        imported = _imports(path, name, path.name == "__init__.py")
        offenders += [
            f"{name} imports {m}" for m in imported if m.split(".")[0].startswith("dagster")
        ]
    assert not offenders, offenders


def test_imports_run_one_way():
    offenders = [
        f"{module} imports {target}"
        for module, targets in _graph().items()
        for target in targets
        if target.split(".")[0] not in ALLOWED[module.split(".")[0]]
    ]
    assert not offenders, offenders


def test_no_import_cycles():
    """Tarjan's strongly connected components over the project's import graph."""
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert not cycles, cycles


def test_the_checker_sees_a_cycle_and_a_lazy_dagster_import(tmp_path: Path):
    """The walk above finds imports inside functions and relative ones: a test that cannot fail
    proves nothing."""
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from dagster import asset\n    from . import sibling\n")
    assert {"dagster", "dagster.asset", "cxbench.report", "cxbench.report.sibling"} <= _imports(
        module, "cxbench.report.m", False
    )
