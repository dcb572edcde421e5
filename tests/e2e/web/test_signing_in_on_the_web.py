"""Signing in and out on the web, with CSRF protection and safe cookies."""

from __future__ import annotations

from tests.e2e.web.conftest import csrf_of, sign_in

LIMIT = 10  # the default CLIENTKEEP_AUTH_FAILURES_PER_MINUTE


def test_a_signed_out_visitor_is_sent_to_sign_in(web) -> None:
    response = web.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in"


def test_the_sign_in_page_has_labelled_fields_and_a_csrf_token(web) -> None:
    html = web.get("/sign-in").text
    assert '<label for="username">' in html and '<label for="password">' in html
    assert csrf_of(html)


def test_signing_in_sets_a_signed_httponly_samesite_cookie(web, personas) -> None:
    response = sign_in(web, personas.agent.username, personas.agent.password)
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith("ck_session="))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    home = web.get("/")
    assert home.status_code == 200 and "agent.one" in home.text


def test_a_wrong_password_shows_an_error_and_no_session(web, personas) -> None:
    response = sign_in(web, personas.agent.username, "not the right one at all")
    assert response.status_code == 401
    assert "not right" in response.text
    assert "ck_session" not in web.cookies


def test_sign_in_without_a_csrf_token_is_refused(web, personas) -> None:
    web.get("/sign-in")
    response = web.post(
        "/sign-in",
        data={"username": personas.agent.username, "password": personas.agent.password},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert "security token" in response.text
    assert "ck_session" not in web.cookies


def test_a_forged_session_cookie_is_ignored(web) -> None:
    web.cookies.set("ck_session", "ses_forged.signature")
    assert web.get("/", follow_redirects=False).status_code == 303


def test_signing_out_ends_the_session_on_the_server(signed_in, container) -> None:
    client = signed_in("agent")
    stolen = client.cookies.get("ck_session")
    token = csrf_of(client.get("/").text)
    response = client.post("/sign-out", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    client.cookies.set("ck_session", stolen)  # replaying the old cookie must not work
    assert client.get("/", follow_redirects=False).status_code == 303


def test_sign_out_without_the_csrf_token_is_refused(signed_in) -> None:
    client = signed_in("agent")
    response = client.post("/sign-out", data={}, follow_redirects=False)
    assert response.status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 200


def test_signed_in_pages_are_never_cached(signed_in) -> None:
    client = signed_in("dpo")
    for path in ("/", "/audit", "/policy"):
        assert client.get(path).headers["cache-control"] == "no-store"


def failed_events(container):
    with container.uow().reading() as uow:
        return [e.entry for e in uow.audit.page(limit=500, action="auth.failed")]


def test_failed_sign_ins_from_one_address_are_tallied_not_recorded_each(web, container) -> None:
    for n in range(LIMIT):
        assert sign_in(web, f"nobody{n}", "a guess at a password").status_code == 401
    [first] = failed_events(container)
    assert (first.credential, first.detail["source"], first.detail["count"]) == (
        "password",
        "testclient",
        1,
    )


def test_an_address_that_fails_too_often_is_refused_for_a_while(web, personas) -> None:
    for n in range(LIMIT):
        sign_in(web, f"nobody{n}", "a guess at a password")
    refused = sign_in(web, personas.agent.username, personas.agent.password)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert "try again in" in refused.text
    assert "ck_session" not in web.cookies


def test_an_accounts_lockout_still_follows_its_own_failures(web, container, personas) -> None:
    rules = container.policy.staff
    for _ in range(rules.max_failed_sign_ins):
        assert sign_in(web, personas.agent.username, "not the right one at all").status_code == 401
    assert sign_in(web, personas.agent.username, personas.agent.password).status_code == 401
    with container.uow().reading() as uow:
        member = uow.staff.by_username(personas.agent.username)
        own = uow.audit.page(limit=500, action="staff.sign_in")
    assert member.is_locked(container.clock.now())
    failures = [e.entry.detail.get("failures") for e in own if e.entry.actor_id == member.id]
    assert [f for f in failures if f] == list(range(1, rules.max_failed_sign_ins + 1))
