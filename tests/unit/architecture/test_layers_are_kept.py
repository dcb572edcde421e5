"""The layering rule of STYLE.md: the domain never imports an adapter or a framework."""

from __future__ import annotations

import ast
from pathlib import Path

import clientkeep

PACKAGE = Path(clientkeep.__file__).parent
DOMAIN_PACKAGES = sorted(
    p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name not in {"adapters", "__pycache__"}
)
FORBIDDEN_ROOTS = {
    "sqlalchemy",
    "alembic",
    "fastapi",
    "starlette",
    "pydantic",
    "jinja2",
    "typer",
    "rich",
    "uvicorn",
    "psycopg",
    "cryptography",
    "argon2",
    "itsdangerous",
    "httpx",
}
FORBIDDEN_OURS = ("clientkeep.adapters", "clientkeep.bootstrap", "clientkeep.config")


def imports_of(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_there_are_domain_packages_to_check() -> None:
    assert {"shared", "audit", "staff", "policy"} <= set(DOMAIN_PACKAGES)


def test_the_domain_imports_no_adapter_framework_or_driver() -> None:
    offences = []
    for package in DOMAIN_PACKAGES:
        for path in (PACKAGE / package).rglob("*.py"):
            for name in imports_of(path):
                if name.split(".")[0] in FORBIDDEN_ROOTS or name.startswith(FORBIDDEN_OURS):
                    offences.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offences == []


def test_shared_imports_nothing_of_the_capabilities() -> None:
    offences = [
        f"{path.name} imports {name}"
        for path in (PACKAGE / "shared").rglob("*.py")
        for name in imports_of(path)
        if name.startswith("clientkeep.") and not name.startswith("clientkeep.shared")
    ]
    assert offences == []


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "leaky.py"
    module.write_text("from sqlalchemy import select\nimport clientkeep.adapters.db\n")
    assert imports_of(module) == ["sqlalchemy", "clientkeep.adapters.db"]
