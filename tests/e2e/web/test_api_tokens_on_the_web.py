"""On the web each member makes and revokes their own API tokens; nobody makes one for another."""

from __future__ import annotations

import re

from tests.e2e.conftest import bearer
from tests.e2e.web.conftest import csrf_of

NEW_TOKEN = re.compile(r'data-testid="new-token">(ck_[^<]+)<')


def make_token(client, label: str = "crm"):
    token = csrf_of(client.get("/staff/tokens").text)
    return client.post("/staff/tokens", data={"label": label, "csrf_token": token})


def test_an_agent_makes_a_token_for_themselves_shown_once(signed_in, personas, client) -> None:
    agent = signed_in("agent")
    page = make_token(agent)
    assert page.status_code == 200
    secret = NEW_TOKEN.search(page.text).group(1)
    assert secret not in agent.get("/staff/tokens").text
    me = client.get("/api/v1/me", headers=bearer(secret)).json()
    assert me["id"] == personas.agent.actor.id


def test_an_admin_cannot_issue_a_token_for_somebody_else(signed_in, personas, container) -> None:
    admin = signed_in("admin")
    token = csrf_of(admin.get("/staff").text)
    response = admin.post(f"/staff/{personas.agent.username}/tokens", data={"csrf_token": token})
    assert response.status_code in (404, 405)
    assert not NEW_TOKEN.search(response.text)
    with container.uow() as uow:
        assert uow.tokens.for_staff(personas.agent.actor.id) == []


def test_a_member_revokes_their_own_token(signed_in, personas, client) -> None:
    agent = signed_in("agent")
    secret = NEW_TOKEN.search(make_token(agent).text).group(1)
    page = agent.get("/staff/tokens").text
    token_id = re.search(r'action="/staff/tokens/(tok_[a-z0-9]+)/revoke"', page).group(1)
    response = agent.post(
        f"/staff/tokens/{token_id}/revoke",
        data={"csrf_token": csrf_of(page)},
        follow_redirects=True,
    )
    assert response.status_code == 200 and "revoked" in response.text
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_a_member_cannot_revoke_someone_elses_token(signed_in, personas, container) -> None:
    supervisor = signed_in("supervisor")
    make_token(supervisor)
    with container.uow() as uow:
        (theirs,) = uow.tokens.for_staff(personas.supervisor.actor.id)
    agent = signed_in("agent")
    token = csrf_of(agent.get("/staff/tokens").text)
    response = agent.post(f"/staff/tokens/{theirs.id}/revoke", data={"csrf_token": token})
    assert response.status_code == 403
    with container.uow() as uow:
        assert uow.tokens.get(theirs.id).revoked_at is None
