"""On the web each member makes and revokes their own API tokens; nobody makes one for another.

Making a token is a POST that redirects: the page after it shows the token once, and a reload
neither shows it again nor makes another. Revoking asks first, naming the token.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from clientkeep.adapters.db.tables import web_session
from clientkeep.staff.services import hash_token
from tests.e2e.conftest import bearer
from tests.e2e.web.conftest import csrf_of

NEW_TOKEN = re.compile(r'data-testid="new-token">(ck_[^<]+)<')
REVOKE_LINK = re.compile(r'href="/staff/tokens/(tok_[a-z0-9]+)/revoke"')


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


def test_making_a_token_redirects_and_a_reload_makes_no_second_one(
    signed_in, personas, container
) -> None:
    agent = signed_in("agent")
    token = csrf_of(agent.get("/staff/tokens").text)
    made = agent.post(
        "/staff/tokens", data={"label": "crm", "csrf_token": token}, follow_redirects=False
    )
    assert made.status_code == 303 and made.headers["location"] == "/staff/tokens?done=created"
    shown = agent.get(made.headers["location"])
    secret = NEW_TOKEN.search(shown.text).group(1)
    assert secret not in made.headers["location"] and secret not in str(agent.cookies)
    assert shown.headers["cache-control"] == "no-store"
    reloaded = agent.get(made.headers["location"])
    assert not NEW_TOKEN.search(reloaded.text)
    with container.uow() as uow:
        assert len(uow.tokens.for_staff(personas.agent.actor.id)) == 1


def _held(container) -> list[str]:
    with container.engine.connect() as conn:
        rows = conn.execute(select(web_session.c.pending_token)).scalars().all()
    return [r for r in rows if r is not None]


def test_the_token_waits_on_the_session_row_only_until_shown(signed_in, personas, container):
    agent = signed_in("agent")
    token = csrf_of(agent.get("/staff/tokens").text)
    agent.post("/staff/tokens", data={"label": "crm", "csrf_token": token}, follow_redirects=False)
    (held,) = _held(container)
    with container.uow() as uow:
        (made,) = uow.tokens.for_staff(personas.agent.actor.id)
    assert hash_token(held) == made.token_hash
    assert held in agent.get("/staff/tokens").text
    assert _held(container) == []


def test_signing_out_drops_a_token_not_yet_shown(signed_in, container) -> None:
    agent = signed_in("agent")
    token = csrf_of(agent.get("/staff/tokens").text)
    agent.post("/staff/tokens", data={"label": "crm", "csrf_token": token}, follow_redirects=False)
    assert len(_held(container)) == 1
    agent.post("/sign-out", data={"csrf_token": token}, follow_redirects=False)
    assert _held(container) == []


def test_an_admin_cannot_issue_a_token_for_somebody_else(signed_in, personas, container) -> None:
    admin = signed_in("admin")
    token = csrf_of(admin.get("/staff").text)
    response = admin.post(f"/staff/{personas.agent.username}/tokens", data={"csrf_token": token})
    assert response.status_code in (404, 405)
    assert not NEW_TOKEN.search(response.text)
    with container.uow() as uow:
        assert uow.tokens.for_staff(personas.agent.actor.id) == []


def test_a_member_revokes_their_own_token_after_confirming(signed_in, personas, client) -> None:
    agent = signed_in("agent")
    secret = NEW_TOKEN.search(make_token(agent).text).group(1)
    token_id = REVOKE_LINK.search(agent.get("/staff/tokens").text).group(1)
    confirm = agent.get(f"/staff/tokens/{token_id}/revoke")
    assert confirm.status_code == 200 and "Revoke the token “crm”?" in confirm.text
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
    response = agent.post(
        f"/staff/tokens/{token_id}/revoke",
        data={"csrf_token": csrf_of(confirm.text)},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/staff/tokens?done=revoked"
    assert "Done: token revoked." in agent.get(response.headers["location"]).text
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_a_member_cannot_revoke_someone_elses_token(signed_in, personas, container) -> None:
    supervisor = signed_in("supervisor")
    make_token(supervisor)
    with container.uow() as uow:
        (theirs,) = uow.tokens.for_staff(personas.supervisor.actor.id)
    agent = signed_in("agent")
    assert agent.get(f"/staff/tokens/{theirs.id}/revoke").status_code == 403
    token = csrf_of(agent.get("/staff/tokens").text)
    response = agent.post(f"/staff/tokens/{theirs.id}/revoke", data={"csrf_token": token})
    assert response.status_code == 403
    with container.uow() as uow:
        assert uow.tokens.get(theirs.id).revoked_at is None
