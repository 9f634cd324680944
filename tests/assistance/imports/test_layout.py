"""The casework package's own import graph: no cycle between its modules (issue 21), seams pointing one way.

Read from the source (``ast``), so a function-local import counts as much as one at the top of a module.
"""

import ast
from pathlib import Path

import jobcircle.assistance

PACKAGE = "jobcircle.assistance"
ROOT = Path(jobcircle.assistance.__file__).parent


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, name: str) -> set[str]:
    """Modules of the package that a module imports (``from . import x`` counts as importing ``x``)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rsplit(".", 1)[0]
            source = (f"{base}.{node.module}" if node.module else base) if node.level else node.module
            found.add(source)
            found |= {f"{source}.{alias.name}" for alias in node.names}
    return found


def package_graph(root: Path = ROOT) -> dict[str, set[str]]:
    paths = {module_name(p): p for p in root.rglob("*.py") if "migrations" not in p.parts}
    graph = {}
    for name, path in paths.items():
        targets = {t for t in imports_of(path, name) if t in paths and t != name}
        # importing a.b.c runs a/__init__ and a/b/__init__ first
        graph[name] = targets | {t.rsplit(".", i)[0] for t in targets for i in range(1, t.count("."))} & set(paths)
        graph[name].discard(name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found, state, stack = [], {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                found.append(stack[stack.index(target) :] + [target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_the_casework_modules_import_one_another_without_a_cycle():
    assert cycles(package_graph()) == []


def test_the_imports_package_itself_imports_nothing_so_its_tasks_cannot_import_back():
    assert package_graph()[f"{PACKAGE}.imports"] == set()


def test_the_imports_tasks_run_the_import_without_importing_what_enqueues_them():
    graph = package_graph()
    assert f"{PACKAGE}.imports.runner" in graph[f"{PACKAGE}.imports.tasks"]
    assert f"{PACKAGE}.imports.services" not in graph[f"{PACKAGE}.imports.tasks"]


def test_a_cycle_is_found_where_there_is_one():
    assert cycles({"a": {"b"}, "b": {"a"}}) == [["a", "b", "a"]]
