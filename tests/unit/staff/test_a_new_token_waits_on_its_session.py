"""A token made on the web waits on its session for the one page that shows it: taken once,
made in the same unit as the token, and gone when the session ends."""

from __future__ import annotations

import pytest

from clientkeep.shared.errors import InvalidInput, PermissionDenied
from clientkeep.staff import authentication, services
from tests.unit.staff._accounts import add
from tests.unit.staff.conftest import AGENT, PASSWORD


@pytest.fixture
def signed_in(deps):
    add(deps, "alice")
    return authentication.sign_in("alice", PASSWORD, **deps)


def make(deps, signed_in, label="crm"):
    return services.create_token(
        label,
        uow=deps["uow"],
        actor=signed_in.actor,
        clock=deps["clock"],
        hold_for_session=signed_in.session.id,
    )


def test_the_token_is_taken_once(deps, uow, signed_in) -> None:
    new = make(deps, signed_in)
    session = uow.sessions.get(signed_in.session.id)
    assert services.take_new_token(session, uow=uow) == new.secret
    assert services.take_new_token(session, uow=uow) is None
    assert uow.sessions.get(signed_in.session.id).pending_token is None


def test_a_session_holding_nothing_is_not_written(uow, signed_in) -> None:
    commits = uow.commits
    assert services.take_new_token(signed_in.session, uow=uow) is None
    assert uow.commits == commits


def test_a_refused_token_leaves_nothing_held(deps, uow, signed_in) -> None:
    with pytest.raises(InvalidInput):
        make(deps, signed_in, label="x" * 129)
    assert uow.sessions.get(signed_in.session.id).pending_token is None
    assert uow.tokens.rows == {}


def test_signing_out_drops_a_token_not_yet_shown(deps, uow, signed_in) -> None:
    make(deps, signed_in)
    authentication.sign_out(
        signed_in.session.id, uow=uow, actor=signed_in.actor, clock=deps["clock"]
    )
    assert uow.sessions.get(signed_in.session.id).pending_token is None


def test_only_a_staff_manager_lists_everyones_tokens(deps, uow, signed_in) -> None:
    make(deps, signed_in)
    with pytest.raises(PermissionDenied):
        services.list_all_tokens(uow=uow, actor=AGENT, policy=deps["policy"])
