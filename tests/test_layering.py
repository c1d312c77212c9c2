"""Floors only point down: schemas import nothing of ours, infra only schemas; the API and
the workers put messages on the bus through producers' outbox; only the entry points
import everything."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = {"api", "consumers", "producers", "schemas", "infra", "entrypoints"}
ALLOWED = {
    "schemas": {"schemas"},
    "infra": {"infra", "schemas"},
    "producers": {"producers", "infra", "schemas"},
    "consumers": {"consumers", "producers", "infra", "schemas"},
    "api": {"api", "producers", "infra", "schemas"},
    "entrypoints": OURS,
}
# The API serves the bus's AsyncAPI document, which is built from the workers' own routers.
EXCEPTIONS = {"api/routes/docs.py": {"consumers"}}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found & OURS


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_package_imports_only_the_floors_below_it(package: str) -> None:
    wrong = {}
    for path in (ROOT / package).rglob("*.py"):
        name = str(path.relative_to(ROOT))
        extra = _imports(path) - ALLOWED[package] - EXCEPTIONS.get(name, set())
        if extra:
            wrong[name] = sorted(extra)
    assert wrong == {}
