"""Members with a second factor for the second-factor tests: enrolled through the use cases,
with codes computed by pyotp from the secret the enrolment page would show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pyotp

from clientkeep.staff import authentication, second_factor
from clientkeep.staff.model import StaffMember
from tests.fakes.staff import ReversibleSealer
from tests.unit.staff._accounts import add, as_actor
from tests.unit.staff.conftest import PASSWORD


@dataclass(frozen=True)
class Enrolled:
    member: StaffMember
    secret: str
    recovery_codes: list[str]


def code(secret: str, at: datetime, steps: int = 0) -> str:
    """The code the member's app shows at ``at``, or ``steps`` steps of 30 s from it."""
    return pyotp.TOTP(secret).at(at, counter_offset=steps)


def enrol(deps, sealer: ReversibleSealer, username: str = "alice", role: str = "agent"):
    member = add(deps, username, role)
    actor = as_actor(member)
    uow, clock = deps["uow"], deps["clock"]
    second_factor.begin_enrolment(uow=uow, actor=actor, clock=clock, sealer=sealer)
    shown = second_factor.pending_enrolment(uow=uow, actor=actor, sealer=sealer)
    assert shown is not None
    done = second_factor.confirm_enrolment(
        code(shown.secret, clock.now()),
        uow=uow,
        actor=actor,
        clock=clock,
        sealer=sealer,
        policy=deps["policy"],
    )
    return Enrolled(member=member, secret=shown.secret, recovery_codes=done.recovery_codes)


def password_step(deps, username: str = "alice", password: str = PASSWORD, **kw):
    return authentication.sign_in(
        username,
        password,
        uow=deps["uow"],
        policy=deps["policy"],
        clock=deps["clock"],
        hasher=deps["hasher"],
        **kw,
    )


def code_step(deps, sealer: ReversibleSealer, session_id: str, typed: str, **kw):
    return second_factor.complete_sign_in(
        session_id,
        typed,
        uow=deps["uow"],
        policy=deps["policy"],
        clock=deps["clock"],
        sealer=sealer,
        **kw,
    )
