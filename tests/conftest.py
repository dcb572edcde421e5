"""Shared fixtures: the storage backend under test, a ready container, and staff personas.

Storage tests run on SQLite by default and on PostgreSQL with ``--backend postgres`` (as CI
does). Under CI=true a PostgreSQL or browser suite that cannot run fails instead of skipping.
"""

from __future__ import annotations

import base64
import os
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from clientkeep import bootstrap
from clientkeep.adapters.passwords import Argon2PasswordHasher
from clientkeep.config import Settings
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import FixedClock
from clientkeep.staff import services as staff_services

POSTGRES_URL = os.environ.get(
    "CLIENTKEEP_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() == "true"
PASSWORD = "correct horse battery staple"
PERSONA_ROLES = ("agent", "supervisor", "dpo", "admin")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend",
        choices=("sqlite", "postgres"),
        default=os.environ.get("CLIENTKEEP_TEST_BACKEND", "sqlite"),
        help="database for storage tests (default sqlite)",
    )


def unavailable(reason: str) -> None:
    """Skip locally; in CI a suite that cannot run is a failure, not a quiet pass."""
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.config.getoption("--backend"))


@pytest.fixture
def postgres_schema_url() -> Iterator[str]:
    """A fresh PostgreSQL schema per test, dropped afterwards."""
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        admin.dispose()
        unavailable(f"PostgreSQL unreachable at {POSTGRES_URL}: {type(exc).__name__}")
    sep = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def database_urls(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> tuple[str, str]:
    """(main database URL, key store URL) on the backend under test."""
    if backend == "postgres":
        main = request.getfixturevalue("postgres_schema_url")
        # The key store has its own Alembic version table, so it may share the schema here.
        return main, main.replace("?", "?application_name=keystore&", 1)
    return f"sqlite:///{tmp_path / 'data' / 'clientkeep.db'}", (
        f"sqlite:///{tmp_path / 'data' / 'keystore.db'}"
    )


@pytest.fixture
def settings(tmp_path: Path, database_urls: tuple[str, str]) -> Settings:
    main, keystore = database_urls
    return Settings(
        data_dir=tmp_path / "data",
        database_url=main,
        keystore_url=keystore,
        master_key=base64.b64encode(secrets.token_bytes(32)).decode(),
        policy_path=None,
        insecure_cookies=True,
    )


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 23, 9, 30, tzinfo=UTC))


@pytest.fixture
def container(settings: Settings, clock: FixedClock) -> Iterator[bootstrap.Container]:
    c = bootstrap.build(settings, clock=clock, hasher=Argon2PasswordHasher(fast_for_tests=True))
    bootstrap.initialise(c, admin_username="root.admin", admin_password=PASSWORD)
    yield c
    c.close()


@dataclass(frozen=True)
class Persona:
    username: str
    role: str
    password: str
    actor: Actor


@dataclass(frozen=True)
class Personas:
    agent: Persona
    supervisor: Persona
    dpo: Persona
    admin: Persona


@pytest.fixture
def personas(container: bootstrap.Container) -> Personas:
    """One staff member per role: an agent, a supervisor, a data protection lead, an admin."""
    made = {}
    system = Actor(id="test", name="test", role="system")
    for role in PERSONA_ROLES:
        member = staff_services.add_staff(
            staff_services.AddStaff(username=f"{role}.one", role=role, password=PASSWORD),
            uow=container.uow(),
            actor=system,
            policy=container.policy,
            clock=container.clock,
            hasher=container.hasher,
        )
        made[role] = Persona(
            username=member.username,
            role=role,
            password=PASSWORD,
            actor=Actor(id=member.id, name=member.username, role=role, credential="test"),
        )
    return Personas(**made)
