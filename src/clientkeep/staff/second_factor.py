"""A second factor for staff sign-in: time-based one-time codes (TOTP, RFC 6238) from an
authenticator app, and one-time recovery codes for when the app is lost.

A member turns it on by entering a code made from the new secret, which proves their app
holds it; the secret is sealed through the SecretSealer port before it is stored. At sign-in
a code is accepted for the current 30-second step or the one either side (clocks drift), and
never for a step at or before the last one accepted, so no code works twice. Wrong codes
count towards the account's lockout exactly as wrong passwords do, and towards the source's
tally of failures.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import pyotp

from clientkeep.audit.model import Outcome
from clientkeep.audit.model import entry_for as entry
from clientkeep.policy import SYSTEM_ROLE
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import AuthenticationFailed, InvalidInput, PermissionDenied
from clientkeep.staff import _failure_audit as failure_audit
from clientkeep.staff._failure_audit import UNKNOWN_SOURCE
from clientkeep.staff.authentication import (
    SignedIn,
    actor_for,
    may_act,
    open_session,
)
from clientkeep.staff.failed_attempts import FailedAttempts
from clientkeep.staff.model import (
    AWAITING_CODE,
    AWAITING_ENROLMENT,
    SecondFactor,
    StaffMember,
    WebSession,
)
from clientkeep.staff.ports import SecretSealer, StaffUnitOfWork
from clientkeep.staff.services import MANAGE_STAFF, find_member, require_capability

STEP_SECONDS = 30
WINDOW_STEPS = 1  # steps either side of now whose code is accepted
DIGITS = 6
ISSUER = "clientkeep"
RECOVERY_CODE_COUNT = 8
# 16 characters from 31 that cannot be misread (no 0, O, 1, I or L): about 79 random bits,
# which is why a fast hash is enough to keep them (as for API tokens).
RECOVERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECOVERY_CODE_LENGTH = 16
CREDENTIAL = "second_factor"  # the kind of credential in the tally of failures
# As SIGN_IN_FAILED: the same words whether the code was wrong or the account is locked.
CODE_FAILED = (
    "That code is not right, or the account is locked for a while after repeated failed attempts."
)
SIGN_IN_AGAIN = "Your sign-in has expired or ended. Sign in again with your password."


@dataclass(frozen=True, slots=True)
class Status:
    """What a member's account page, the staff list and the CLI say of their second factor."""

    username: str
    enabled: bool
    required: bool  # by the policy, for the member's role
    enrolling: bool  # a secret made and not yet confirmed with a code
    recovery_codes_left: int
    enabled_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Enrolment:
    """A secret being set up, as the enrolment page shows it: to type, or as a link."""

    secret: str
    uri: str


@dataclass(frozen=True, slots=True)
class Enrolled:
    recovery_codes: list[str]  # shown once, stored only as hashes
    # Where enrolment was what the session awaited, the signed-in session that replaces it.
    signed_in: SignedIn | None = None


def current_step(now: datetime) -> int:
    return int(now.timestamp()) // STEP_SECONDS


def code_at(secret: str, step: int) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).generate_otp(step)


def matching_step(secret: str, code: str, now: datetime, *, after: int | None) -> int | None:
    """The step whose code this is, within the window and later than ``after``; or None."""
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isascii() or not code.isdigit():
        return None
    step = current_step(now)
    for candidate in range(step - WINDOW_STEPS, step + WINDOW_STEPS + 1):
        if after is not None and candidate <= after:
            continue  # a code already used, or older than one used: a replay
        if hmac.compare_digest(code_at(secret, candidate), code):
            return candidate
    return None


def _normal_recovery_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def hash_recovery_code(staff_id: str, code: str) -> str:
    # Salted with the member's id, so equal codes of two members never hash alike.
    raw = f"{staff_id}:{_normal_recovery_code(code)}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _new_recovery_codes() -> list[str]:
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        codes.append("-".join(raw[i : i + 4] for i in range(0, RECOVERY_CODE_LENGTH, 4)))
    return codes


def _looks_like_recovery_code(code: str) -> bool:
    normal = _normal_recovery_code(code)
    return len(normal) == RECOVERY_CODE_LENGTH and all(ch in RECOVERY_ALPHABET for ch in normal)


def _own_account(uow: StaffUnitOfWork, actor: Actor) -> StaffMember:
    member = uow.staff.get(actor.id)
    if member is None or not member.active or member.role == SYSTEM_ROLE:
        raise PermissionDenied("Only a signed-in member of staff sets up their second factor.")
    return member


def _status(uow: StaffUnitOfWork, member: StaffMember, policy: Policy) -> Status:
    factor = uow.staff.second_factor(member.id)
    enabled = factor is not None and factor.enabled
    return Status(
        username=member.username,
        enabled=enabled,
        required=policy.requires_second_factor(member.role),
        enrolling=factor is not None and not factor.enabled,
        recovery_codes_left=uow.staff.recovery_codes_left(member.id) if enabled else 0,
        enabled_at=factor.confirmed_at if factor is not None else None,
    )


def own_status(*, uow: StaffUnitOfWork, actor: Actor, policy: Policy) -> Status:
    with uow.reading():
        return _status(uow, _own_account(uow, actor), policy)


def status_of(username: str, *, uow: StaffUnitOfWork, actor: Actor, policy: Policy) -> Status:
    """Anyone's, for a role that manages staff (the CLI operator too)."""
    require_capability(policy, actor, MANAGE_STAFF)
    with uow.reading():
        return _status(uow, find_member(uow, username), policy)


def members_with_second_factor(*, uow: StaffUnitOfWork, actor: Actor, policy: Policy) -> set[str]:
    """The ids of the members whose second factor is on, for the staff list."""
    require_capability(policy, actor, MANAGE_STAFF)
    with uow.reading():
        return uow.staff.with_second_factor()


def begin_enrolment(
    *, uow: StaffUnitOfWork, actor: Actor, clock: Clock, sealer: SecretSealer
) -> None:
    """Make a new secret for the acting member, sealed, not yet in force.

    It replaces any secret a previous, unfinished enrolment made. It signs nobody in, so it
    is not audited; confirming it is.
    """
    with uow:
        member = _own_account(uow, actor)
        factor = uow.staff.second_factor(member.id)
        if factor is not None and factor.enabled:
            raise InvalidInput([("second_factor", "Your second factor is already on.")])
        secret = pyotp.random_base32()
        uow.staff.put_second_factor(
            SecondFactor(
                staff_id=member.id,
                sealed_secret=sealer.seal(member.id, secret),
                created_at=clock.now(),
            )
        )
        uow.commit()


def pending_enrolment(
    *, uow: StaffUnitOfWork, actor: Actor, sealer: SecretSealer
) -> Enrolment | None:
    """The secret the acting member is setting up, to show them; None if there is none."""
    with uow.reading():
        member = _own_account(uow, actor)
        factor = uow.staff.second_factor(member.id)
    if factor is None or factor.enabled:
        return None
    secret = sealer.open(member.id, factor.sealed_secret)
    uri = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=member.username, issuer_name=ISSUER
    )
    return Enrolment(secret=secret, uri=uri)


def confirm_enrolment(
    code: str,
    *,
    uow: StaffUnitOfWork,
    actor: Actor,
    clock: Clock,
    sealer: SecretSealer,
    policy: Policy,
    session: WebSession | None = None,
) -> Enrolled:
    """Turn the second factor on once the member enters a code their new secret makes.

    Makes the recovery codes, kept only as hashes. With ``session`` they are also held on
    the session, in the same unit, for the one page that shows them; and where that session
    awaited enrolment (the policy requires a second factor) it is replaced by a signed-in one.
    """
    now = clock.now()
    with uow:
        member = _own_account(uow, actor)
        factor = uow.staff.second_factor(member.id)
        if factor is None or factor.enabled:
            raise InvalidInput([("code", "There is no second factor being set up: start again.")])
        step = matching_step(sealer.open(member.id, factor.sealed_secret), code, now, after=None)
        if step is None:
            uow.audit.append(
                entry(
                    actor,
                    "staff.second_factor_enrolled",
                    outcome=Outcome.FAILED,
                    detail={"staff_id": member.id, "reason": "wrong_code"},
                )
            )
            uow.commit()
            raise InvalidInput(
                [("code", "That code is not right: enter the code your app shows now.")]
            )
        uow.staff.put_second_factor(replace(factor, confirmed_at=now, last_used_step=step))
        codes = _new_recovery_codes()
        uow.staff.replace_recovery_codes(
            member.id, [hash_recovery_code(member.id, c) for c in codes], now
        )
        uow.audit.append(
            entry(
                actor,
                "staff.second_factor_enrolled",
                detail={"staff_id": member.id, "recovery_codes": len(codes)},
            )
        )
        signed_in = None
        holder = session
        if session is not None and session.awaiting == AWAITING_ENROLMENT:
            signed_in = _replace_session(uow, member, session, policy, now, actor, "enrolled")
            holder = signed_in.session
        if holder is not None:
            uow.sessions.hold_recovery_codes(holder.id, " ".join(codes))
        uow.commit()
    return Enrolled(recovery_codes=codes, signed_in=signed_in)


def take_recovery_codes(session: WebSession, *, uow: StaffUnitOfWork) -> list[str]:
    """The recovery codes this session holds to show, cleared as they are taken: shown once.
    Writes only when there are some."""
    if session.pending_recovery_codes is None:
        return []
    with uow:
        current = uow.sessions.get(session.id)
        held = current.pending_recovery_codes if current is not None else None
        if held is None:
            return []  # a racing request showed them first
        uow.sessions.hold_recovery_codes(session.id, None)
        uow.commit()
    return held.split()


def _replace_session(
    uow: StaffUnitOfWork,
    member: StaffMember,
    half: WebSession,
    policy: Policy,
    now: datetime,
    actor: Actor,
    how: str,
) -> SignedIn:
    """End the half-signed-in session and open a signed-in one under a new id, so an id seen
    before the second step is worth nothing after it."""
    uow.sessions.end(half.id, now)
    session = open_session(member, now, lasts=timedelta(minutes=policy.staff.session_minutes))
    uow.sessions.add(session)
    signed_in_as = actor_for(member, f"session:{session.id}", actor.request_id)
    uow.audit.append(
        entry(
            signed_in_as,
            "staff.sign_in",
            detail={"session_id": session.id, "second_factor": how, "after": half.id},
        )
    )
    return SignedIn(
        actor=signed_in_as, session=session, must_change_password=member.must_change_password
    )


def _verify(
    uow: StaffUnitOfWork,
    member: StaffMember,
    factor: SecondFactor,
    code: str,
    *,
    now: datetime,
    sealer: SecretSealer,
) -> str | None:
    """Check a code or a recovery code, using it up; what it was ("code", "recovery_code")."""
    if _looks_like_recovery_code(code):
        used = uow.staff.use_recovery_code(member.id, hash_recovery_code(member.id, code), now)
        return "recovery_code" if used else None
    secret = sealer.open(member.id, factor.sealed_secret)
    step = matching_step(secret, code, now, after=factor.last_used_step)
    if step is None:
        return None
    uow.staff.put_second_factor(replace(factor, last_used_step=step))
    return "code"


def complete_sign_in(
    session_id: str,
    code: str,
    *,
    uow: StaffUnitOfWork,
    policy: Policy,
    clock: Clock,
    sealer: SecretSealer,
    request_id: str | None = None,
    source: str = UNKNOWN_SOURCE,
    failures: FailedAttempts | None = None,
) -> SignedIn:
    """The second step of signing in: a code (or a recovery code) for a session that has
    passed the password. Replaces it with a signed-in session.

    Raises TooManyFailedAttempts, without looking anything up, for a source that has failed
    too often lately; AuthenticationFailed for a wrong code, a locked account, or a session
    that is not at this step (ended, expired, or its factor reset meanwhile).
    """
    now = clock.now()
    failures = failure_audit.ledger(failures)
    failure_audit.refuse_if_throttled(failures, source, CREDENTIAL, now)
    with uow:
        half = uow.sessions.get(session_id)
        if half is None or not half.is_live(now) or half.awaiting != AWAITING_CODE:
            raise AuthenticationFailed(SIGN_IN_AGAIN)
        found = uow.staff.get(half.staff_id)
        # Locked until the unit ends, as for the password: concurrent codes take turns, so
        # one code cannot be accepted twice nor a failure be lost.
        member = uow.staff.for_sign_in(found.username) if found is not None else None
        factor = uow.staff.second_factor(half.staff_id)
        if member is None or not may_act(member) or factor is None or not factor.enabled:
            uow.sessions.end(half.id, now)
            uow.commit()
            raise AuthenticationFailed(SIGN_IN_AGAIN)
        actor = actor_for(member, f"session:{half.id}", request_id)

        def refuse(reason: str, outcome: Outcome, updated: StaffMember) -> AuthenticationFailed:
            tallies = failures.failed(source, CREDENTIAL, now, reason=reason, request_id=request_id)
            failure_audit.append(uow, tallies)
            detail: dict[str, str | int | bool | None] = {"reason": reason}
            if outcome is Outcome.FAILED:
                detail |= {"failures": updated.failed_sign_ins, "locked": updated.is_locked(now)}
            uow.audit.append(
                entry(actor, "staff.second_factor_code", outcome=outcome, detail=detail)
            )
            if updated.is_locked(now):
                # Locked: the half session is of no more use; the password comes first again.
                uow.sessions.end(half.id, now)
            uow.commit()
            return AuthenticationFailed(CODE_FAILED)

        if member.is_locked(now):
            # Checked before the code, which is never looked at: as for the password.
            raise refuse("locked", Outcome.DENIED, member)
        how = _verify(uow, member, factor, code, now=now, sealer=sealer)
        if how is None:
            updated = member.after_failed_sign_in(now, policy.staff)
            uow.staff.update(updated)
            raise refuse("wrong_code", Outcome.FAILED, updated)
        member = member.after_successful_sign_in(now)
        uow.staff.update(member)
        if how == "recovery_code":
            uow.audit.append(
                entry(
                    actor,
                    "staff.recovery_code_used",
                    detail={"codes_left": uow.staff.recovery_codes_left(member.id)},
                )
            )
        signed_in = _replace_session(uow, member, half, policy, now, actor, how)
        failure_audit.append(uow, failures.due(now))
        uow.commit()
    return signed_in


def turn_off(
    code: str,
    *,
    uow: StaffUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
    sealer: SecretSealer,
) -> None:
    """The member turns their own second factor off, proving it with a code or recovery code.

    Refused where the policy requires one for their role. A wrong code counts towards the
    account's lockout, so a borrowed session cannot guess codes without limit.
    """
    now = clock.now()
    with uow:
        member = _own_account(uow, actor)
        factor = uow.staff.second_factor(member.id)
        if factor is None or not factor.enabled:
            raise InvalidInput([("code", "Your second factor is not on.")])
        if policy.requires_second_factor(member.role):
            raise InvalidInput(
                [("code", "The policy requires a second factor for your role: it stays on.")]
            )
        if _verify(uow, member, factor, code, now=now, sealer=sealer) is None:
            failed = member.after_failed_sign_in(now, policy.staff)
            uow.staff.update(failed)
            uow.audit.append(
                entry(
                    actor,
                    "staff.second_factor_disabled",
                    outcome=Outcome.FAILED,
                    detail={"staff_id": member.id, "reason": "wrong_code"},
                )
            )
            uow.commit()
            raise InvalidInput([("code", "That code is not right.")])
        uow.staff.remove_second_factor(member.id)
        uow.audit.append(
            entry(actor, "staff.second_factor_disabled", detail={"staff_id": member.id})
        )
        uow.commit()


def member_to_reset(
    username: str, *, uow: StaffUnitOfWork, actor: Actor, policy: Policy
) -> tuple[StaffMember, Status]:
    """What the confirmation page names, with the same permission check as the reset."""
    require_capability(policy, actor, MANAGE_STAFF)
    with uow.reading():
        member = find_member(uow, username)
        return member, _status(uow, member, policy)


def reset(
    username: str, *, uow: StaffUnitOfWork, actor: Actor, policy: Policy, clock: Clock
) -> StaffMember:
    """An administrator removes a member's second factor and recovery codes (a lost phone).

    The member's sessions end. They sign in next with their password alone, or, where the
    policy requires a second factor, are taken to set up a new one. A member with none (and
    nothing being set up) is left as they are and nothing is recorded.
    """
    require_capability(policy, actor, MANAGE_STAFF)
    now = clock.now()
    with uow:
        member = find_member(uow, username)
        if member.id == actor.id:
            raise InvalidInput(
                [("username", "Another administrator must reset your second factor.")]
            )
        factor = uow.staff.second_factor(member.id)
        if factor is not None:
            uow.staff.remove_second_factor(member.id)
            uow.sessions.end_all_for(member.id, now)
            uow.audit.append(
                entry(
                    actor,
                    "staff.second_factor_reset",
                    detail={"staff_id": member.id, "was_on": factor.enabled},
                )
            )
        uow.commit()
    return member
