"""Signing in on the web and through the API, with lockout, and every attempt audited.

Failures are audited twice over: an account's own failures (counting towards its lockout)
each as an event of that account, and every failure, with or without an account, in the
tally of its source (see failed_attempts), which also refuses a source that fails too often.

A member with a second factor, or whose role requires one they have not set up, gets a
half-signed-in session from the password: it awaits a code (see second_factor) or enrolment,
expires in minutes, and opens nothing else.
"""

from __future__ import annotations

import secrets
import weakref
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from clientkeep.audit.model import Outcome
from clientkeep.audit.model import entry_for as entry
from clientkeep.policy import SYSTEM_ROLE
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import AuthenticationFailed, PermissionDenied
from clientkeep.shared.ids import new_id
from clientkeep.staff import _failure_audit as failure_audit
from clientkeep.staff._failure_audit import UNKNOWN_SOURCE
from clientkeep.staff.failed_attempts import FailedAttempts
from clientkeep.staff.model import (
    AWAITING_CODE,
    AWAITING_ENROLMENT,
    TOKEN_PREFIX,
    ApiToken,
    StaffMember,
    WebSession,
)
from clientkeep.staff.ports import PasswordHasher, StaffUnitOfWork
from clientkeep.staff.services import hash_token

# Token use is audited at most this often per token, so a busy integration does not double
# the trail; every request it makes is still audited by the use case it calls.
TOKEN_USE_AUDIT_INTERVAL = timedelta(minutes=5)
# Long enough to open an authenticator app (or set one up), short enough that a session left
# at the second step is of no use to whoever finds the screen.
HALF_SIGNED_IN = timedelta(minutes=5)
_DUMMY_PASSWORD = "clientkeep-timing-equaliser"  # noqa: S105 - not a credential
# Every failed password check says the same, so no answer tells a guesser whether the account
# exists, is locked, or whether the password was right.
SIGN_IN_FAILED = (
    "The username or password is not right, or the account is locked for a while after "
    "repeated failed sign-ins."
)


@dataclass(frozen=True, slots=True)
class SignedIn:
    actor: Actor
    session: WebSession
    # After a password reset: the web shows the change-password page and nothing else.
    must_change_password: bool = False

    @property
    def awaiting(self) -> str | None:
        """What the session still awaits before it is signed in (see model.AWAITING_*)."""
        return self.session.awaiting


@dataclass(frozen=True, slots=True)
class LiveSession:
    actor: Actor
    session: WebSession
    must_change_password: bool = False

    @property
    def awaiting(self) -> str | None:
        return self.session.awaiting


_dummy_hashes: weakref.WeakKeyDictionary[PasswordHasher, str] = weakref.WeakKeyDictionary()


def _dummy_hash(hasher: PasswordHasher) -> str:
    """A hash to verify against when there is no real one to check, made once per hasher.

    Verifying against it costs what verifying a real password costs, and nothing more: hashing
    afresh on every attempt would make an unknown username slower than a wrong password.
    """
    found = _dummy_hashes.get(hasher)
    if found is None:
        found = _dummy_hashes.setdefault(hasher, hasher.hash(_DUMMY_PASSWORD))
    return found


def may_act(member: StaffMember) -> bool:
    """Disabled accounts cannot act, nor one whose role is the name reserved for the system."""
    return member.active and member.role != SYSTEM_ROLE


def actor_for(member: StaffMember, credential: str, request_id: str | None) -> Actor:
    if member.role == SYSTEM_ROLE:
        # No policy may declare this role, so such an account was made outside the policy;
        # acting in it could pass for the software itself.
        raise PermissionDenied(
            f"The {SYSTEM_ROLE!r} role is reserved; give this account a role from the policy."
        )
    return Actor(
        id=member.id,
        name=member.username,
        role=member.role,
        credential=credential,
        request_id=request_id,
    )


def second_step(uow: StaffUnitOfWork, member: StaffMember, policy: Policy) -> str | None:
    """What a member who has given the right password must still do on the web, if anything."""
    factor = uow.staff.second_factor(member.id)
    if factor is not None and factor.enabled:
        return AWAITING_CODE
    return AWAITING_ENROLMENT if policy.requires_second_factor(member.role) else None


def _check_password(
    username: str,
    password: str,
    *,
    uow: StaffUnitOfWork,
    policy: Policy,
    clock: Clock,
    hasher: PasswordHasher,
    request_id: str | None,
    source: str,
    failures: FailedAttempts,
) -> tuple[StaffMember, str | None]:
    """The member this password belongs to, updated for a success, inside the caller's unit,
    and what they must still do on the web (second_step).

    Every failure is audited, committed and raised as the same AuthenticationFailed, after
    one password verification, so neither the answer nor its timing tells them apart.
    """
    now = clock.now()
    rules = policy.staff

    def count_failure(reason: str) -> None:
        # Before the account's own event, so that one is the latest: it is the one to read.
        tallies = failures.failed(source, "password", now, reason=reason, request_id=request_id)
        failure_audit.append(uow, tallies)

    # Locked until the unit ends, so concurrent failures are counted one after another.
    member = uow.staff.for_sign_in(username.strip().lower())
    if member is None or not may_act(member):
        hasher.verify(_dummy_hash(hasher), password)  # the same cost either way
        # No account to hold the failure: only its source's tally records it.
        count_failure("unknown_or_disabled_account")
        uow.commit()
        raise AuthenticationFailed(SIGN_IN_FAILED)
    as_actor = actor_for(member, "password", request_id)
    if member.is_locked(now):
        # Checked before the password, which is never verified: a lock that gave way, or
        # answered differently, for the right password would tell a guesser it was right.
        hasher.verify(_dummy_hash(hasher), password)
        count_failure("locked")
        uow.audit.append(
            entry(as_actor, "staff.sign_in", outcome=Outcome.DENIED, detail={"reason": "locked"})
        )
        uow.commit()
        raise AuthenticationFailed(SIGN_IN_FAILED)
    if not hasher.verify(member.password_hash, password):
        updated = member.after_failed_sign_in(now, rules)
        uow.staff.update(updated)
        count_failure("wrong_password")
        uow.audit.append(
            entry(
                as_actor,
                "staff.sign_in",
                outcome=Outcome.FAILED,
                detail={
                    "reason": "wrong_password",
                    "failures": updated.failed_sign_ins,
                    "locked": updated.is_locked(now),
                },
            )
        )
        uow.commit()
        raise AuthenticationFailed(SIGN_IN_FAILED)
    awaiting = second_step(uow, member, policy)
    # The count of failures stands until the code is right too: a password alone must not
    # wipe out the failed codes before it, or whoever has the password could guess codes
    # without ever being locked out.
    updated = member if awaiting == AWAITING_CODE else member.after_successful_sign_in(now)
    if hasher.needs_rehash(member.password_hash):
        updated = replace(updated, password_hash=hasher.hash(password))
    uow.staff.update(updated)
    # A sign-in writes anyway: tallies of quiet sources whose interval has closed go with it.
    failure_audit.append(uow, failures.due(now))
    return updated, awaiting


def sign_in(
    username: str,
    password: str,
    *,
    uow: StaffUnitOfWork,
    policy: Policy,
    clock: Clock,
    hasher: PasswordHasher,
    request_id: str | None = None,
    source: str = UNKNOWN_SOURCE,
    failures: FailedAttempts | None = None,
) -> SignedIn:
    """Check the password and open a web session: a half-signed-in one, for minutes, where a
    second factor is still awaited (SignedIn.awaiting), a signed-in one otherwise.

    Raises TooManyFailedAttempts, without looking anything up, for a source that has failed
    too often lately; AuthenticationFailed for any failure.
    """
    now = clock.now()
    failures = failure_audit.ledger(failures)
    failure_audit.refuse_if_throttled(failures, source, "password", now)
    with uow:
        member, awaiting = _check_password(
            username,
            password,
            uow=uow,
            policy=policy,
            clock=clock,
            hasher=hasher,
            request_id=request_id,
            source=source,
            failures=failures,
        )
        lasts = HALF_SIGNED_IN if awaiting else timedelta(minutes=policy.staff.session_minutes)
        session = open_session(member, now, lasts=lasts, awaiting=awaiting)
        uow.sessions.add(session)
        actor = actor_for(member, f"session:{session.id}", request_id)
        if awaiting is None:
            uow.audit.append(entry(actor, "staff.sign_in", detail={"session_id": session.id}))
        else:
            uow.audit.append(
                entry(
                    actor,
                    "staff.password_accepted",
                    detail={"session_id": session.id, "awaiting": awaiting},
                )
            )
        uow.commit()
    return SignedIn(actor=actor, session=session, must_change_password=member.must_change_password)


def open_session(
    member: StaffMember, now: datetime, *, lasts: timedelta, awaiting: str | None = None
) -> WebSession:
    """A new session row (with its own CSRF token) for the caller to add."""
    return WebSession(
        id=new_id("ses"),
        staff_id=member.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + lasts,
        awaiting=awaiting,
    )


def authenticate(
    username: str,
    password: str,
    *,
    credential: str,
    uow: StaffUnitOfWork,
    policy: Policy,
    clock: Clock,
    hasher: PasswordHasher,
    request_id: str | None = None,
) -> Actor:
    """Check the password, with the same lockout and audit as signing in, without a session.

    For the CLI, where a staff member proves who they are before acting as themselves (making
    their own API token, for one). Raises AuthenticationFailed. The operator at the terminal,
    named by ``credential``, is the source; every failure is recorded at once.
    """
    with uow:
        member, _ = _check_password(
            username,
            password,
            uow=uow,
            policy=policy,
            clock=clock,
            hasher=hasher,
            request_id=request_id,
            source=credential,
            failures=failure_audit.ledger(None),
        )
        actor = actor_for(member, credential, request_id)
        uow.audit.append(entry(actor, "staff.sign_in", detail={"via": credential}))
        uow.commit()
    return actor


def session_actor(
    session_id: str, *, uow: StaffUnitOfWork, clock: Clock, request_id: str | None = None
) -> LiveSession | None:
    """The actor behind a live web session, or None if it has ended or expired. A session
    that still awaits a second step says so (LiveSession.awaiting): the caller opens nothing
    else to it.

    Every page asks, and asking writes nothing, so it reads in a reading unit: no write lock.
    """
    with uow.reading():
        session = uow.sessions.get(session_id)
        if session is None or not session.is_live(clock.now()):
            return None
        member = uow.staff.get(session.staff_id)
        if member is None or not may_act(member):
            return None
        return LiveSession(
            actor=actor_for(member, f"session:{session.id}", request_id),
            session=session,
            must_change_password=member.must_change_password,
        )


def sign_out(session_id: str, *, uow: StaffUnitOfWork, actor: Actor, clock: Clock) -> None:
    with uow:
        session = uow.sessions.get(session_id)
        if session is None or session.ended_at is not None:
            return
        uow.sessions.end(session_id, clock.now())
        uow.audit.append(entry(actor, "staff.sign_out", detail={"session_id": session_id}))
        uow.commit()


def token_actor(
    secret: str,
    *,
    uow: StaffUnitOfWork,
    clock: Clock,
    request_id: str | None = None,
    source: str = UNKNOWN_SOURCE,
    failures: FailedAttempts | None = None,
) -> Actor:
    """The actor behind an API token.

    Every API request asks, so the lookup reads in a reading unit (no write lock), and a
    writing unit opens only to record something: a failure, or the token's use at most once
    per interval. Raises TooManyFailedAttempts, before any lookup, for a source that has
    failed too often lately; AuthenticationFailed for a token that is not valid.
    """
    now = clock.now()
    failures = failure_audit.ledger(failures)
    failure_audit.refuse_if_throttled(failures, source, "token", now)
    token_hash = hash_token(secret) if secret.startswith(TOKEN_PREFIX) else None
    with uow.reading():
        token = uow.tokens.by_hash(token_hash) if token_hash is not None else None
        member = uow.staff.get(token.staff_id) if token is not None else None
    if token is None or token.revoked_at is not None or member is None or not may_act(member):
        reason = "unknown_token" if token is None else "revoked_or_disabled"
        tallies = failures.failed(source, "token", now, reason=reason, request_id=request_id)
        failure_audit.record(uow, tallies)
        raise AuthenticationFailed("The API token is not valid.")
    actor = actor_for(member, f"token:{token.id}", request_id)
    if _use_is_due(token, now):
        with uow:
            # Read again under the write lock: a request racing this one may have just
            # recorded the use, and the trail needs it only once.
            current = uow.tokens.get(token.id)
            if current is not None and _use_is_due(current, now):
                uow.tokens.mark_used(token.id, now)
                uow.audit.append(entry(actor, "token.used", detail={"token_id": token.id}))
            # This write is the one an API client makes anyway every few minutes: tallies of
            # sources whose interval has closed go with it.
            failure_audit.append(uow, failures.due(now))
            uow.commit()
    return actor


def _use_is_due(token: ApiToken, now: datetime) -> bool:
    last = token.last_used_at
    return last is None or now - last >= TOKEN_USE_AUDIT_INTERVAL


def record_pending_failures(
    failures: FailedAttempts, *, uow: StaffUnitOfWork, clock: Clock
) -> None:
    """Record every tally not yet recorded, open intervals included: for shutdown."""
    failure_audit.record(uow, failures.drain(clock.now()))
