"""Between capabilities: each imports only the ones below it, and only their public modules.

A capability's private modules (``_name.py``) and private names (``_name``) are its own; the
order below is the one place that says which capability may build on which, so a cycle (such
as customer records and matching importing each other) cannot come back.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import clientkeep

PACKAGE = Path(clientkeep.__file__).parent
# Each capability and what it may import of ours besides itself.
MAY_IMPORT: dict[str, frozenset[str]] = {
    "shared": frozenset(),
    "policy": frozenset({"shared"}),
    "audit": frozenset({"shared", "policy"}),
    "staff": frozenset({"shared", "policy", "audit"}),
    "customers": frozenset({"shared", "policy", "audit", "staff"}),
    "matching": frozenset({"shared", "policy", "audit", "staff", "customers"}),
    "outbox": frozenset({"shared", "policy", "audit", "staff", "customers"}),
    "verification": frozenset({"shared", "policy", "audit", "staff", "customers"}),
    "interactions": frozenset({"shared", "policy", "audit", "staff", "customers"}),
    "complaints": frozenset({"shared", "policy", "audit", "staff", "customers", "interactions"}),
    "feedback": frozenset(
        {"shared", "policy", "audit", "staff", "customers", "interactions", "outbox"}
    ),
}
DOMAIN = sorted(
    p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name not in {"adapters", "__pycache__"}
)


def imported(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """(module, names) of every absolute import of ours, at any depth of the file."""
    found: list[tuple[str, tuple[str, ...]]] = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend((a.name, ()) for a in node.names if a.name.startswith("clientkeep"))
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and (node.module or "").startswith("clientkeep")
        ):
            found.append((str(node.module), tuple(a.name for a in node.names)))
    return found


def offences_in(package: str, path: Path) -> list[str]:
    allowed = MAY_IMPORT[package] | {package}
    where = path.relative_to(PACKAGE) if path.is_relative_to(PACKAGE) else path.name
    found = []
    for module, names in imported(path):
        parts = module.split(".")
        target = parts[1] if len(parts) > 1 else ""
        if target == package:
            continue
        if target not in allowed:
            found.append(f"{where} imports {module}: {package} may not build on {target}")
        if any(p.startswith("_") for p in parts[2:]) or any(
            n.startswith("_") and not n.startswith("__") for n in names
        ):
            found.append(f"{where} imports a private part of {target}: {module} {names}")
    return found


def test_every_capability_has_its_place_in_the_order() -> None:
    assert sorted(MAY_IMPORT) == DOMAIN, "declare the new capability's place in MAY_IMPORT"


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_a_capability_imports_only_below_it_and_nothing_private(package: str) -> None:
    offences = [o for path in (PACKAGE / package).rglob("*.py") for o in offences_in(package, path)]
    assert offences == []


def test_the_checker_sees_a_cycle_and_a_private_import(tmp_path: Path) -> None:
    module = tmp_path / "leaky.py"
    module.write_text(
        "def f():\n"
        "    from clientkeep.matching import search\n"
        "    from clientkeep.policy._reader import Section\n"
        "    from clientkeep.audit.model import _secret\n"
    )
    found = offences_in("customers", module)
    assert sum("may not build on matching" in o for o in found) == 1
    assert sum("private part" in o for o in found) == 2
