"""Use cases for staff accounts and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace

from clientkeep.audit.model import entry_for as entry
from clientkeep.policy import SYSTEM_ROLE
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from clientkeep.shared.ids import new_id
from clientkeep.staff.errors import StaffNotFound, TokenNotFound, UsernameTaken, WeakPassword
from clientkeep.staff.model import (
    STAFF_ID_PREFIX,
    TOKEN_PREFIX,
    ApiToken,
    StaffMember,
    WebSession,
    check_display_name,
    check_username,
    password_problem,
)
from clientkeep.staff.ports import PasswordHasher, StaffUnitOfWork

MANAGE_STAFF = "staff.manage"


@dataclass(frozen=True, slots=True)
class AddStaff:
    username: str
    role: str
    password: str
    display_name: str | None = None


@dataclass(frozen=True, slots=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def is_the_system(actor: Actor) -> bool:
    """The software itself or the operator of its CLI: never a staff member, whatever their
    role is called (the policy reserves the name, but a row may say anything)."""
    return actor.role == SYSTEM_ROLE and not actor.id.startswith(f"{STAFF_ID_PREFIX}_")


def require_capability(policy: Policy, actor: Actor, capability: str) -> None:
    if is_the_system(actor):
        return
    if not policy.has_capability(actor.role, capability):
        raise PermissionDenied(f"The {actor.role} role may not do this ({capability}).")


def add_staff(
    cmd: AddStaff,
    *,
    uow: StaffUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
    hasher: PasswordHasher,
) -> StaffMember:
    require_capability(policy, actor, MANAGE_STAFF)
    username = check_username(cmd.username)
    if not cmd.role.strip():
        raise InvalidInput([("role", "Choose a role.")])
    if cmd.role not in policy.roles:
        known = ", ".join(policy.roles)
        raise InvalidInput([("role", f"Unknown role; the policy has: {known}.")])
    problem = password_problem(
        cmd.password, username=username, min_length=policy.staff.min_password_length
    )
    if problem:
        raise WeakPassword(problem)
    display_name = check_display_name(cmd.display_name or username)
    now = clock.now()
    member = StaffMember(
        id=new_id(STAFF_ID_PREFIX),
        username=username,
        display_name=display_name,
        role=cmd.role,
        password_hash=hasher.hash(cmd.password),
        created_at=now,
        updated_at=now,
    )
    with uow:
        if uow.staff.by_username(username) is not None:
            raise UsernameTaken()
        uow.staff.add(member)
        uow.audit.append(
            entry(actor, "staff.created", detail={"staff_id": member.id, "role": member.role})
        )
        uow.commit()
    return member


def list_staff(*, uow: StaffUnitOfWork, actor: Actor, policy: Policy) -> list[StaffMember]:
    require_capability(policy, actor, MANAGE_STAFF)
    with uow:
        return uow.staff.list()


def find_member(uow: StaffUnitOfWork, username: str) -> StaffMember:
    """The member with this username, inside the caller's unit; StaffNotFound otherwise."""
    member = uow.staff.by_username(username.strip().lower())
    if member is None:
        raise StaffNotFound()
    return member


def is_last_manager(uow: StaffUnitOfWork, policy: Policy, member: StaffMember) -> bool:
    """Whether ``member`` is the only active account left that can manage staff: disabling
    or demoting them would leave nobody to look after the accounts (but the CLI operator)."""
    if not (member.active and policy.has_capability(member.role, MANAGE_STAFF)):
        return False
    managers = [
        m for m in uow.staff.list() if m.active and policy.has_capability(m.role, MANAGE_STAFF)
    ]
    return len(managers) <= 1


def disable_staff(
    username: str, *, uow: StaffUnitOfWork, actor: Actor, policy: Policy, clock: Clock
) -> StaffMember:
    require_capability(policy, actor, MANAGE_STAFF)
    now = clock.now()
    with uow:
        member = find_member(uow, username)
        if member.id == actor.id:
            raise InvalidInput([("username", "You cannot disable your own account.")])
        if is_last_manager(uow, policy, member):
            raise InvalidInput(
                [("username", "This is the last active account that can manage staff.")]
            )
        if member.active:
            member = replace(member, disabled_at=now, updated_at=now)
            uow.staff.update(member)
            uow.sessions.end_all_for(member.id, now)
            for token in uow.tokens.for_staff(member.id):
                if token.revoked_at is None:
                    uow.tokens.revoke(token.id, now)
            uow.audit.append(entry(actor, "staff.disabled", detail={"staff_id": member.id}))
        uow.commit()
    return member


def hash_token(secret: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is enough; argon2 would slow every request.
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    label: str,
    *,
    uow: StaffUnitOfWork,
    actor: Actor,
    clock: Clock,
    hold_for_session: str | None = None,
) -> NewToken:
    """A new API token for the acting staff member, and only for them.

    A token acts as its holder, so one made by somebody else (an administrator, the CLI
    operator) would let its maker act as that person; nobody may make a token for another.
    With ``hold_for_session`` the secret is also kept on that web session, in the same unit,
    for the one page that shows it (see take_new_token).
    """
    label = " ".join(label.split()) or "api"
    if len(label) > 128:
        raise InvalidInput([("label", "Use at most 128 characters.")])
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with uow:
        member = uow.staff.get(actor.id)
        if member is None or not member.active or member.role == SYSTEM_ROLE:
            raise PermissionDenied(
                "An API token is made by the staff member who will use it, signed in as themselves."
            )
        token = ApiToken(
            id=new_id("tok"),
            staff_id=member.id,
            label=label,
            token_hash=hash_token(secret),
            created_at=clock.now(),
        )
        uow.tokens.add(token)
        if hold_for_session is not None:
            uow.sessions.hold_token(hold_for_session, secret)
        uow.audit.append(
            entry(actor, "token.created", detail={"token_id": token.id, "staff_id": member.id})
        )
        uow.commit()
    return NewToken(token=token, secret=secret)


def take_new_token(session: WebSession, *, uow: StaffUnitOfWork) -> str | None:
    """The token this session made and has not shown yet, cleared as it is taken, so it is
    shown once: a reload of the page finds nothing. Writes only when there is one."""
    if session.pending_token is None:
        return None
    with uow:
        current = uow.sessions.get(session.id)
        secret = current.pending_token if current is not None else None
        if secret is None:
            return None  # a racing request showed it first
        uow.sessions.hold_token(session.id, None)
        uow.commit()
    return secret


def list_all_tokens(*, uow: StaffUnitOfWork, actor: Actor, policy: Policy) -> list[ApiToken]:
    """Everyone's tokens, for a role that manages staff."""
    require_capability(policy, actor, MANAGE_STAFF)
    with uow:
        return uow.tokens.list_all()


def list_tokens(
    username: str, *, uow: StaffUnitOfWork, actor: Actor, policy: Policy
) -> list[ApiToken]:
    """A staff member's own tokens, or anyone's for a role that manages staff."""
    with uow:
        member = uow.staff.by_username(username.strip().lower())
        if member is None or member.id != actor.id:
            require_capability(policy, actor, MANAGE_STAFF)
        if member is None:
            raise StaffNotFound()
        return uow.tokens.for_staff(member.id)


def find_token(uow: StaffUnitOfWork, token_id: str, *, actor: Actor, policy: Policy) -> ApiToken:
    """An active token the actor may revoke: their own, or anyone's for a staff manager."""
    token = uow.tokens.get(token_id.strip())
    if token is None or token.staff_id != actor.id:
        require_capability(policy, actor, MANAGE_STAFF)
    if token is None or token.revoked_at is not None:
        raise TokenNotFound()
    return token


def token_to_revoke(
    token_id: str, *, uow: StaffUnitOfWork, actor: Actor, policy: Policy
) -> ApiToken:
    """What the confirmation page shows before revoke_token acts: the same checks."""
    with uow:
        return find_token(uow, token_id, actor=actor, policy=policy)


def revoke_token(
    token_id: str, *, uow: StaffUnitOfWork, actor: Actor, policy: Policy, clock: Clock
) -> ApiToken:
    """Revoke one of the actor's own tokens, or anyone's for a role that manages staff."""
    with uow:
        token = find_token(uow, token_id, actor=actor, policy=policy)
        now = clock.now()
        uow.tokens.revoke(token.id, now)
        uow.audit.append(
            entry(
                actor,
                "token.revoked",
                detail={"token_id": token.id, "staff_id": token.staff_id},
            )
        )
        uow.commit()
    return replace(token, revoked_at=now)
