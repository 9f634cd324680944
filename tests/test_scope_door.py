"""The caller's scope is built in one place per entry point (issue 21, item 2: services take the scope one way).

``accounts.access.scope_for_user`` resolves a user's scope; only ``accounts`` (its middleware sets
``request.scope``) and the other entry points where an actor is resolved may call it. A service takes the
caller's scope as ``scope=`` and keeps ``by`` for the audit actor. This test reads every ``.py`` of
``jobcircle/`` with ``ast`` and fails on a call of ``scope_for_user(`` anywhere else.
"""

import ast
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "jobcircle"

# Where the scope is resolved (the entry points), with why.
ENTRY_POINTS = {
    "jobcircle/accounts/": "the scope's own app: access.py defines it, middleware.py sets request.scope",
    "jobcircle/api/auth.py": "the API's token auth resolves the token's user once per request",
    "jobcircle/assistance/imports/runner.py": "a ledger import runs as a task: the actor is resolved there, once",
}
# (file, function) → calls allowed for good: another person's scope, not the caller's.
LEGITIMATE = {
    ("jobcircle/recruiting/services.py", "assign_liaison_officer"): 1,  # the OFFICER's area, not the caller's
}
# (file, function) → calls still to convert. Empty since issue 21 item 2 (the workflow predicates read
# who(record, by, scope), the recruiting services take scope=); keep it empty.
KNOWN_REBUILDS: dict[tuple[str, str], int] = {}


def scope_calls(path: Path, text: str) -> Counter:
    """(file, enclosing function) → number of ``scope_for_user(...)`` calls."""
    rel = path.relative_to(ROOT).as_posix()
    found = Counter()

    def walk(node, function):
        for child in ast.iter_child_nodes(node):
            name = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            if isinstance(child, ast.Call):
                callee = child.func
                called = callee.id if isinstance(callee, ast.Name) else getattr(callee, "attr", "")
                if called == "scope_for_user":
                    found[(rel, function)] += 1
            walk(child, name)

    walk(ast.parse(text), "<module>")
    return found


def project_calls() -> Counter:
    calls = Counter()
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" not in path.parts:
            calls += scope_calls(path, path.read_text())
    return calls


def rebuilds(calls: Counter) -> list[str]:
    allowed = Counter(LEGITIMATE) + Counter(KNOWN_REBUILDS)
    return [
        f"{file}: {function}() calls scope_for_user {count}× — take the caller's scope as scope= instead"
        for (file, function), count in sorted(calls.items())
        if not file.startswith(tuple(ENTRY_POINTS)) and count > allowed[(file, function)]
    ]


def test_services_take_the_callers_scope_instead_of_rebuilding_it():
    assert rebuilds(project_calls()) == []


def test_the_allow_lists_hold_only_what_still_exists():
    calls = project_calls()
    allowed = Counter(LEGITIMATE) + Counter(KNOWN_REBUILDS)
    assert {key: calls[key] for key in allowed} == dict(allowed)
    for entry in ENTRY_POINTS:
        assert (ROOT / entry).exists()


def test_a_service_rebuilding_the_scope_is_caught():
    planted = "def register(*, by, data):\n    scope = access.scope_for_user(by)\n"
    calls = scope_calls(PACKAGE / "people" / "planted.py", planted)
    assert rebuilds(calls) == [
        "jobcircle/people/planted.py: register() calls scope_for_user 1× — take the caller's scope as scope= instead"
    ]
    assert rebuilds(scope_calls(PACKAGE / "accounts" / "planted.py", planted)) == []
