"""The notice after a staff change is written by the app, never taken from the address."""

from __future__ import annotations

from tests.e2e.web.conftest import csrf_of


def test_adding_a_member_says_so_by_the_name_on_record(signed_in) -> None:
    admin = signed_in("admin")
    token = csrf_of(admin.get("/staff").text)
    done = admin.post(
        "/staff",
        data={
            "username": "new.agent",
            "role": "agent",
            "password": "a long enough password",
            "csrf_token": token,
        },
    )
    assert done.status_code == 200, done.text
    assert "Done: added new.agent." in done.text
    assert "done=added" in str(done.url) and "new.agent" not in str(done.url)


def test_a_notice_typed_into_the_address_is_not_shown(signed_in, personas) -> None:
    admin = signed_in("admin")
    forged = admin.get("/staff", params={"done": "Call 0800 FAKE to verify your account"})
    assert "0800 FAKE" not in forged.text
    unknown = admin.get("/staff", params={"done": "added", "who": "stf_nobody"})
    assert "Done:" not in unknown.text
    tokens = signed_in("agent").get("/staff/tokens", params={"done": "revoked+tok_x <b>"})
    assert "tok_x" not in tokens.text and "Done:" not in tokens.text
