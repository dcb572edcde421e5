"""Entry-point fixtures: an HTTP client on the real app, and API tokens for the personas."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from clientkeep.adapters.http.app import create_app
from clientkeep.staff import services as staff_services


@pytest.fixture
def client(container) -> Iterator[TestClient]:
    with TestClient(create_app(container), base_url="http://testserver") as c:
        yield c


@pytest.fixture
def tokens(container, personas) -> dict[str, str]:
    """An API token per persona role, each made by the persona for themselves."""
    made = {}
    for role in ("agent", "supervisor", "dpo", "admin"):
        persona = getattr(personas, role)
        made[role] = staff_services.create_token(
            "tests", uow=container.uow(), actor=persona.actor, clock=container.clock
        ).secret
    return made


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
