"""The web audit page says how each actor acted, and what verification found."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from clientkeep.adapters.http.app import create_app
from tests.e2e.web.conftest import csrf_of, sign_in
from tests.integration.audit.trail import append, entry


@pytest.fixture
def dpo(container, personas):
    with TestClient(create_app(container), base_url="http://testserver") as client:
        assert sign_in(client, personas.dpo.username, personas.dpo.password).status_code == 303
        yield client


def via_cells(html: str) -> list[str]:
    return re.findall(r'<td data-testid="via">([^<]*)</td>', html)


def test_the_table_has_a_via_column_header(dpo) -> None:
    html = dpo.get("/audit").text
    assert '<th scope="col">Via</th>' in html
    assert html.count('<th scope="col">') == 10


@pytest.mark.parametrize(
    ("credential", "shown"),
    [
        ("cli:alice", "command line as alice"),
        ("token:tok_abc", "API token"),
        ("session:ses_abc", "web session"),
        ("system", "system"),
    ],
)
def test_each_event_says_how_its_actor_acted(container, dpo, credential, shown) -> None:
    with container.uow() as uow:
        uow.audit.append(entry("test.via", credential=credential))
        uow.commit()
    assert via_cells(dpo.get("/audit", params={"action": "test.via"}).text) == [shown]


def test_the_dpos_own_sign_in_shows_as_a_web_session(dpo) -> None:
    html = dpo.get("/audit", params={"action": "staff.sign_in"}).text
    assert via_cells(html)[-1] == "web session"


def test_verifying_shows_the_head_and_the_newest_checkpoint(container, dpo) -> None:
    append(container, 2)
    response = dpo.post("/audit/verify", data={"csrf_token": csrf_of(dpo.get("/audit").text)})
    assert response.status_code == 200
    html = response.text
    assert 'data-testid="verify-result"' in html and "Intact:" in html
    head = re.search(r'data-testid="verified-head">event (\d+), hash <code>([0-9a-f]{64})', html)
    checkpoint = re.search(r'data-testid="verified-checkpoint">event (\d+), hash <code>', html)
    assert head and checkpoint
    assert int(checkpoint.group(1)) <= int(head.group(1))
