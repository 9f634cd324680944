"""Layers point down (issue 21, docs/decisions/layers-and-areas.md): read the import graph of jobcircle/.

Every ``import`` of our code, at module level and inside functions, is an edge between two apps. The
test fails on (a) an edge from a lower layer to a higher one (or between two apps of one layer),
(b) a cycle between apps, (c) a function-local import of our code without a ``# local import: <why>``
comment on its line or the line above. Migrations are frozen history and are not read.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PACKAGE = "jobcircle"

# Lowest first. An app imports only apps of lower layers. The domain apps are stacked in the order
# their models and services really depend on one another (read from the code, issue 21).
LAYERS = [
    {"common"},  # base models, audit, PII, exports, web helpers: nothing of ours above it
    {"areas", "classifications"},  # the division tree and area values; the occupation/industry catalogues
    {"accounts"},  # users, roles, permissions, the caller's Scope (accounts.access)
    {"people"},  # residents (a resident's job intention names classifications)
    {"employers"},  # employers and jobs (a job's candidates are people)
    {"assistance"},  # support cases, monitoring, welfare posts, workshops, ledgers
    {"households"},  # households and their members, 零就业家庭 (opens assistance cases)
    {"matching"},  # 3-km matching and 精准送岗 (pushes feed assistance cases)
    {"recruiting"},  # applications, job fairs, liaison officers (notices go to the matching inbox)
    {"subsidies"},  # subsidy policies, 免申即享 screening, review, payouts (facts from all of the above)
    {"training", "gigs"},  # gigs: 零工市场 and 共享员工 (reads matching's reach, employers' compliance rules)
    {"entrepreneurship", "communities", "risk"},  # guarantee loans, start-ups, incubation bases (贴息 via subsidies);
    # 三公里充分就业社区 assessment and certification; risk warnings
    {"insights"},  # figures and dashboards over all of the above
    {"scheduling"},  # the scheduler: runs the recurring jobs of every app below at their times
    {"api", "portal", "demo"},  # the doors: machine API, resident/employer screens, demo data
]
RANK = {app: level for level, apps in enumerate(LAYERS) for app in apps}

# Known upward imports: none left since issue 21. A row (importing file, imported app) needs a reason
# and the issue that removes it.
KNOWN_UPWARD: set[tuple[str, str]] = set()
# Function-local imports of our code without a reason. Each would be (file, imported module).
KNOWN_UNCOMMENTED: set[tuple[str, str]] = set()


@dataclass(frozen=True)
class Edge:
    path: str  # the importing file, relative to the repository
    line: int
    source: str  # the importing app
    module: str  # the imported module (absolute)
    local: bool  # inside a function or class body
    commented: bool  # has a "# local import:" comment

    @property
    def target(self):
        return self.module.split(".")[1] if self.module.count(".") else ""


def _module_name(path: Path) -> list[str]:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def _absolute(path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path)[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(tree):
    """(node, local) for every import, ``local`` when it sits inside a function or class body."""

    def walk(node, local):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child, local
            inner = local or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda)
            yield from walk(child, inner)

    yield from walk(tree, False)


def edges_of(path: Path, text: str | None = None) -> list[Edge]:
    text = path.read_text(encoding="utf-8") if text is None else text
    lines = text.splitlines()
    rel = path.relative_to(ROOT).as_posix()
    source = rel.split("/")[1]
    out = []
    for node, local in _imports(ast.parse(text)):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else [_absolute(path, node)]
        near = lines[max(node.lineno - 2, 0) : node.end_lineno]
        commented = any("# local import:" in line for line in near)
        for name in names:
            if name == PACKAGE or name.startswith(PACKAGE + "."):
                out.append(Edge(rel, node.lineno, source, name, local, commented))
    return out


def project_edges() -> list[Edge]:
    files = sorted(p for p in (ROOT / PACKAGE).rglob("*.py") if "migrations" not in p.parts)
    return [edge for path in files for edge in edges_of(path)]


def upward(edges) -> list[str]:
    bad = []
    for e in edges:
        if e.target in ("", e.source) or (e.path, e.target) in KNOWN_UPWARD:
            continue
        if e.source not in RANK or e.target not in RANK:
            bad.append(f"{e.path}:{e.line}: app {e.source or e.target!r} is not in LAYERS")
        elif RANK[e.target] >= RANK[e.source]:
            bad.append(f"{e.path}:{e.line}: {e.source} (layer {RANK[e.source]}) imports {e.module} "
                       f"(layer {RANK[e.target]})")  # fmt: skip
    return bad


def app_cycles(edges) -> list[list[str]]:
    graph = {}
    for e in edges:
        if e.target not in ("", e.source) and (e.path, e.target) not in KNOWN_UPWARD:
            graph.setdefault(e.source, set()).add(e.target)
    cycles, state = [], {}

    def visit(app, stack):
        state[app] = "open"
        for other in sorted(graph.get(app, ())):
            if state.get(other) == "open":
                cycles.append(stack[stack.index(other) :] + [other])
            elif other not in state:
                visit(other, stack + [other])
        state[app] = "done"

    for app in sorted(graph):
        if app not in state:
            visit(app, [app])
    return cycles


def uncommented_local(edges) -> list[str]:
    return [
        f"{e.path}:{e.line}: function-local import of {e.module} needs '# local import: <why>' (or move it up)"
        for e in edges
        if e.local and not e.commented and (e.path, e.module) not in KNOWN_UNCOMMENTED
    ]


def test_layers_point_down():
    assert upward(project_edges()) == []


def test_no_cycle_between_apps():
    assert app_cycles(project_edges()) == []


def test_every_function_local_import_says_why():
    assert uncommented_local(project_edges()) == []


def test_the_allow_lists_hold_only_what_still_exists():
    edges = project_edges()
    assert {(p, t) for p, t in KNOWN_UPWARD} <= {(e.path, e.target) for e in edges}
    assert KNOWN_UNCOMMENTED <= {(e.path, e.module) for e in edges if e.local and not e.commented}


# The checks themselves, on planted code (each must catch what it is for).


def _planted(rel: str, text: str) -> list[Edge]:
    return edges_of(ROOT / rel, text)


def test_an_upward_import_is_caught():
    edges = _planted("jobcircle/areas/planted.py", "from jobcircle.accounts.access import Scope\n")
    assert upward(edges) and "areas (layer 1) imports jobcircle.accounts.access" in upward(edges)[0]


def test_an_upward_import_inside_a_function_is_caught_too():
    text = "def f():\n    # local import: hides a cycle\n    from jobcircle.people.models import Resident\n"
    assert upward(_planted("jobcircle/common/planted.py", text))


def test_a_relative_import_stays_inside_its_app():
    assert upward(_planted("jobcircle/areas/planted.py", "from .models import Region\nfrom . import codes\n")) == []


def test_a_cycle_between_apps_is_caught():
    edges = _planted("jobcircle/people/planted.py", "from jobcircle.employers import models\n") + _planted(
        "jobcircle/employers/planted.py", "from jobcircle.people import models\n"
    )
    assert app_cycles(edges) == [["employers", "people", "employers"]]


def test_a_function_local_import_without_a_reason_is_caught():
    text = (
        "def f():\n    from jobcircle.common import pii\n\n\ndef g():\n    # local import: why\n    from . import x\n"
    )
    assert [msg.split(":")[1] for msg in uncommented_local(_planted("jobcircle/api/planted.py", text))] == ["2"]


# --- areas are values: the area filter has one home -------------------------------------------------

AREA_FILTER = "area_code__startswith"


def hand_spelled_area_filters(root: Path) -> list[str]:
    """Every ``area_code__startswith`` (keyword or string) outside ``jobcircle/areas/``."""
    found = []
    for path in sorted((root / PACKAGE).rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if relative.startswith(f"{PACKAGE}/areas/") or "/migrations/" in relative:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            spelled = (isinstance(node, ast.keyword) and node.arg and node.arg.endswith(AREA_FILTER)) or (
                isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.endswith(AREA_FILTER)
            )
            if spelled:
                found.append(f"{relative}:{node.lineno}")
    return found


def test_area_filters_go_through_in_area_only():
    assert hand_spelled_area_filters(ROOT) == [], "filter with Model.objects.in_area(region) (areas/querysets.py)"


def test_a_hand_spelled_area_filter_is_caught(tmp_path):
    module = tmp_path / PACKAGE / "people" / "planted.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        'rows = Resident.objects.filter(area_code__startswith="990121")\nkw = {"area_code__startswith": "99"}\n'
    )
    assert len(hand_spelled_area_filters(tmp_path)) == 2
