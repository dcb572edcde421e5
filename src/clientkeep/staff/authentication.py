"""Signing in on the web and through the API, with lockout, and every attempt audited."""

from __future__ import annotations

import secrets
import weakref
from dataclasses import dataclass, replace
from datetime import timedelta

from clientkeep.audit.model import AuditEntry, Outcome
from clientkeep.audit.model import entry_for as entry
from clientkeep.policy import SYSTEM_ROLE
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import AuthenticationFailed, PermissionDenied
from clientkeep.shared.ids import new_id
from clientkeep.staff.model import TOKEN_PREFIX, StaffMember, WebSession
from clientkeep.staff.ports import PasswordHasher, StaffUnitOfWork
from clientkeep.staff.services import hash_token

# Token use is audited at most this often per token, so a busy integration does not double
# the trail; every request it makes is still audited by the use case it calls.
TOKEN_USE_AUDIT_INTERVAL = timedelta(minutes=5)
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


def _anonymous(action: str, credential: str, request_id: str | None, reason: str) -> AuditEntry:
    # The typed username is not recorded: people do type passwords into the wrong box.
    return AuditEntry(
        action=action,
        actor_id="anonymous",
        actor_role="none",
        credential=credential,
        outcome=Outcome.FAILED,
        request_id=request_id,
        detail={"reason": reason},
    )


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


def _check_password(
    username: str,
    password: str,
    *,
    uow: StaffUnitOfWork,
    policy: Policy,
    clock: Clock,
    hasher: PasswordHasher,
    request_id: str | None,
) -> StaffMember:
    """The member this password belongs to, updated for a success, inside the caller's unit.

    Every failure is audited, committed and raised as the same AuthenticationFailed, after
    one password verification, so neither the answer nor its timing tells them apart.
    """
    now = clock.now()
    rules = policy.staff
    # Locked until the unit ends, so concurrent failures are counted one after another.
    member = uow.staff.for_sign_in(username.strip().lower())
    if member is None or not may_act(member):
        hasher.verify(_dummy_hash(hasher), password)  # the same cost either way
        uow.audit.append(
            _anonymous("staff.sign_in", "password", request_id, "unknown_or_disabled_account")
        )
        uow.commit()
        raise AuthenticationFailed(SIGN_IN_FAILED)
    as_actor = actor_for(member, "password", request_id)
    if member.is_locked(now):
        # Checked before the password, which is never verified: a lock that gave way, or
        # answered differently, for the right password would tell a guesser it was right.
        hasher.verify(_dummy_hash(hasher), password)
        uow.audit.append(
            entry(as_actor, "staff.sign_in", outcome=Outcome.DENIED, detail={"reason": "locked"})
        )
        uow.commit()
        raise AuthenticationFailed(SIGN_IN_FAILED)
    if not hasher.verify(member.password_hash, password):
        updated = member.after_failed_sign_in(
            now,
            max_failures=rules.max_failed_sign_ins,
            lockout=timedelta(minutes=rules.lockout_minutes),
        )
        uow.staff.update(updated)
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
    updated = member.after_successful_sign_in(now)
    if hasher.needs_rehash(member.password_hash):
        updated = replace(updated, password_hash=hasher.hash(password))
    uow.staff.update(updated)
    return updated


def sign_in(
    username: str,
    password: str,
    *,
    uow: StaffUnitOfWork,
    policy: Policy,
    clock: Clock,
    hasher: PasswordHasher,
    request_id: str | None = None,
) -> SignedIn:
    """Check the password and open a web session. Raises AuthenticationFailed."""
    now = clock.now()
    with uow:
        member = _check_password(
            username,
            password,
            uow=uow,
            policy=policy,
            clock=clock,
            hasher=hasher,
            request_id=request_id,
        )
        session = WebSession(
            id=new_id("ses"),
            staff_id=member.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + timedelta(minutes=policy.staff.session_minutes),
        )
        uow.sessions.add(session)
        actor = actor_for(member, f"session:{session.id}", request_id)
        uow.audit.append(entry(actor, "staff.sign_in", detail={"session_id": session.id}))
        uow.commit()
    return SignedIn(actor=actor, session=session)


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
    their own API token, for one). Raises AuthenticationFailed.
    """
    with uow:
        member = _check_password(
            username,
            password,
            uow=uow,
            policy=policy,
            clock=clock,
            hasher=hasher,
            request_id=request_id,
        )
        actor = actor_for(member, credential, request_id)
        uow.audit.append(entry(actor, "staff.sign_in", detail={"via": credential}))
        uow.commit()
    return actor


def session_actor(
    session_id: str, *, uow: StaffUnitOfWork, clock: Clock, request_id: str | None = None
) -> tuple[Actor, WebSession] | None:
    """The actor behind a live web session, or None if it has ended or expired."""
    with uow:
        session = uow.sessions.get(session_id)
        if session is None or not session.is_live(clock.now()):
            return None
        member = uow.staff.get(session.staff_id)
        if member is None or not may_act(member):
            return None
        return actor_for(member, f"session:{session.id}", request_id), session


def sign_out(session_id: str, *, uow: StaffUnitOfWork, actor: Actor, clock: Clock) -> None:
    with uow:
        session = uow.sessions.get(session_id)
        if session is None or session.ended_at is not None:
            return
        uow.sessions.end(session_id, clock.now())
        uow.audit.append(entry(actor, "staff.sign_out", detail={"session_id": session_id}))
        uow.commit()


def token_actor(
    secret: str, *, uow: StaffUnitOfWork, clock: Clock, request_id: str | None = None
) -> Actor:
    """The actor behind an API token. Raises AuthenticationFailed, audited."""
    now = clock.now()
    with uow:
        token = uow.tokens.by_hash(hash_token(secret)) if secret.startswith(TOKEN_PREFIX) else None
        member = uow.staff.get(token.staff_id) if token is not None else None
        if token is None or token.revoked_at is not None or member is None or not may_act(member):
            reason = "unknown_token" if token is None else "revoked_or_disabled"
            uow.audit.append(_anonymous("token.rejected", "token", request_id, reason))
            uow.commit()
            raise AuthenticationFailed("The API token is not valid.")
        actor = actor_for(member, f"token:{token.id}", request_id)
        last = token.last_used_at
        if last is None or now - last >= TOKEN_USE_AUDIT_INTERVAL:
            uow.tokens.mark_used(token.id, now)
            uow.audit.append(entry(actor, "token.used", detail={"token_id": token.id}))
            uow.commit()
    return actor
