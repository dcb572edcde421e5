"""The second factor on real storage (SQLite and PostgreSQL): the secret is sealed, never in
the clear, and opens only for its member; recovery codes are kept as hashes and each works
once; a code is refused the second time; a half-signed-in session is stored as such."""

from __future__ import annotations

import base64
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select, update

from clientkeep.adapters.crypto.aead import DecryptionFailed
from clientkeep.adapters.db import migrate
from clientkeep.adapters.db.tables import staff_recovery_code, staff_second_factor, web_session
from clientkeep.shared.errors import AuthenticationFailed
from clientkeep.staff import authentication, second_factor
from clientkeep.staff.model import AWAITING_CODE
from tests.conftest import PASSWORD


def _enrol(container, persona) -> tuple[str, list[str]]:
    common = {"uow": container.uow(), "actor": persona.actor, "clock": container.clock}
    sealer = container.second_factor_sealer
    second_factor.begin_enrolment(sealer=sealer, **common)
    shown = second_factor.pending_enrolment(uow=container.uow(), actor=persona.actor, sealer=sealer)
    assert shown is not None
    done = second_factor.confirm_enrolment(
        pyotp.TOTP(shown.secret).at(container.clock.now()),
        sealer=sealer,
        policy=container.policy,
        **{**common, "uow": container.uow()},
    )
    container.clock.advance(timedelta(minutes=5))
    return shown.secret, done.recovery_codes


def _password(container, persona):
    return authentication.sign_in(
        persona.username,
        PASSWORD,
        uow=container.uow(),
        policy=container.policy,
        clock=container.clock,
        hasher=container.hasher,
    )


def _code(container, session_id: str, typed: str):
    return second_factor.complete_sign_in(
        session_id,
        typed,
        uow=container.uow(),
        policy=container.policy,
        clock=container.clock,
        sealer=container.second_factor_sealer,
    )


def test_the_secret_is_sealed_at_rest_and_opens_only_for_its_member(container, personas) -> None:
    secret, codes = _enrol(container, personas.agent)
    with container.engine.connect() as conn:
        sealed = conn.execute(
            select(staff_second_factor.c.sealed_secret).where(
                staff_second_factor.c.staff_id == personas.agent.actor.id
            )
        ).scalar_one()
        hashes = list(conn.scalars(select(staff_recovery_code.c.code_hash)))
    sealed = bytes(sealed)
    assert secret.encode() not in sealed
    assert base64.b32decode(secret) not in sealed
    assert container.second_factor_sealer.open(personas.agent.actor.id, sealed) == secret
    with pytest.raises(DecryptionFailed):
        container.second_factor_sealer.open(personas.supervisor.actor.id, sealed)
    assert len(hashes) == len(codes)
    stored = " ".join(hashes)
    for code in codes:
        assert code not in stored and code.replace("-", "") not in stored


def test_a_secret_copied_onto_another_member_does_not_sign_them_in(container, personas) -> None:
    _enrol(container, personas.agent)
    _enrol(container, personas.supervisor)
    with container.engine.begin() as conn:
        sealed = conn.execute(
            select(staff_second_factor.c.sealed_secret).where(
                staff_second_factor.c.staff_id == personas.agent.actor.id
            )
        ).scalar_one()
        conn.execute(
            update(staff_second_factor)
            .where(staff_second_factor.c.staff_id == personas.supervisor.actor.id)
            .values(sealed_secret=sealed)
        )
    half = _password(container, personas.supervisor)
    with pytest.raises(DecryptionFailed):
        _code(container, half.session.id, "123456")


def test_signing_in_with_a_code_and_a_recovery_code_on_storage(container, personas) -> None:
    secret, codes = _enrol(container, personas.agent)
    half = _password(container, personas.agent)
    with container.engine.connect() as conn:
        awaiting = conn.execute(
            select(web_session.c.awaiting).where(web_session.c.id == half.session.id)
        ).scalar_one()
    assert awaiting == AWAITING_CODE
    now_code = pyotp.TOTP(secret).at(container.clock.now())
    signed_in = _code(container, half.session.id, now_code)
    found = authentication.session_actor(
        signed_in.session.id, uow=container.uow(), clock=container.clock
    )
    assert found is not None and found.awaiting is None
    with pytest.raises(AuthenticationFailed):
        _code(container, _password(container, personas.agent).session.id, now_code)
    _code(container, _password(container, personas.agent).session.id, codes[0])
    with pytest.raises(AuthenticationFailed):
        _code(container, _password(container, personas.agent).session.id, codes[0])
    status = second_factor.status_of(
        personas.agent.username,
        uow=container.uow(),
        actor=personas.admin.actor,
        policy=container.policy,
    )
    assert status.enabled and status.recovery_codes_left == len(codes) - 1


def test_a_reset_removes_the_secret_and_the_codes(container, personas) -> None:
    _enrol(container, personas.agent)
    second_factor.reset(
        personas.agent.username,
        uow=container.uow(),
        actor=personas.admin.actor,
        policy=container.policy,
        clock=container.clock,
    )
    with container.engine.connect() as conn:
        assert conn.execute(select(staff_second_factor)).first() is None
        assert conn.execute(select(staff_recovery_code)).first() is None


def test_undoing_the_migration_ends_half_signed_in_sessions(container, personas) -> None:
    _enrol(container, personas.agent)
    half = _password(container, personas.agent)
    migrate.downgrade(container.engine, "0006")
    with container.engine.connect() as conn:
        row = conn.execute(
            select(web_session.c.ended_at, web_session.c.expires_at).where(
                web_session.c.id == half.session.id
            )
        ).one()
    assert row.ended_at is not None
    migrate.upgrade(container.engine)
    assert migrate.current_revision(container.engine) == migrate.head_revision()
