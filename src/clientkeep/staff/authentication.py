"""Signing in on the web and through the API, with lockout, and every attempt audited."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import timedelta

from clientkeep.audit.model import AuditEntry, Outcome
from clientkeep.audit.model import entry_for as entry
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import AuthenticationFailed
from clientkeep.shared.ids import new_id
from clientkeep.staff.errors import AccountLocked
from clientkeep.staff.model import TOKEN_PREFIX, StaffMember, WebSession
from clientkeep.staff.ports import PasswordHasher, StaffUnitOfWork
from clientkeep.staff.services import hash_token

# Token use is audited at most this often per token, so a busy integration does not double
# the trail; every request it makes is still audited by the use case it calls.
TOKEN_USE_AUDIT_INTERVAL = timedelta(minutes=5)
_DUMMY_PASSWORD = "clientkeep-timing-equaliser"  # noqa: S105 - not a credential


@dataclass(frozen=True, slots=True)
class SignedIn:
    actor: Actor
    session: WebSession


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


def actor_for(member: StaffMember, credential: str, request_id: str | None) -> Actor:
    return Actor(
        id=member.id,
        name=member.username,
        role=member.role,
        credential=credential,
        request_id=request_id,
    )


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
    rules = policy.staff
    with uow:
        member = uow.staff.by_username(username.strip().lower())
        if member is None or not member.active:
            hasher.verify(hasher.hash(_DUMMY_PASSWORD), password)  # same cost either way
            uow.audit.append(
                _anonymous("staff.sign_in", "password", request_id, "unknown_or_disabled_account")
            )
            uow.commit()
            raise AuthenticationFailed("The username or password is not right.")
        as_actor = actor_for(member, "password", request_id)
        if not hasher.verify(member.password_hash, password):
            updated = member.after_failed_sign_in(
                now,
                max_failures=rules.max_failed_sign_ins,
                lockout=timedelta(minutes=rules.lockout_minutes),
            )
            uow.staff.update(updated)
            locked_now = updated.is_locked(now) and not member.is_locked(now)
            uow.audit.append(
                entry(
                    as_actor,
                    "staff.sign_in",
                    outcome=Outcome.FAILED,
                    detail={
                        "reason": "wrong_password",
                        "failures": updated.failed_sign_ins,
                        "locked": locked_now,
                    },
                )
            )
            uow.commit()
            raise AuthenticationFailed("The username or password is not right.")
        if member.is_locked(now):
            uow.audit.append(
                entry(
                    as_actor, "staff.sign_in", outcome=Outcome.DENIED, detail={"reason": "locked"}
                )
            )
            uow.commit()
            raise AccountLocked()
        updated = member.after_successful_sign_in(now)
        if hasher.needs_rehash(member.password_hash):
            updated = replace(updated, password_hash=hasher.hash(password))
        uow.staff.update(updated)
        session = WebSession(
            id=new_id("ses"),
            staff_id=member.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + timedelta(minutes=rules.session_minutes),
        )
        uow.sessions.add(session)
        actor = actor_for(member, f"session:{session.id}", request_id)
        uow.audit.append(entry(actor, "staff.sign_in", detail={"session_id": session.id}))
        uow.commit()
    return SignedIn(actor=actor, session=session)


def session_actor(
    session_id: str, *, uow: StaffUnitOfWork, clock: Clock, request_id: str | None = None
) -> tuple[Actor, WebSession] | None:
    """The actor behind a live web session, or None if it has ended or expired."""
    with uow:
        session = uow.sessions.get(session_id)
        if session is None or not session.is_live(clock.now()):
            return None
        member = uow.staff.get(session.staff_id)
        if member is None or not member.active:
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
        if token is None or token.revoked_at is not None or member is None or not member.active:
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
