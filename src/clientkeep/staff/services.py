"""Use cases for staff accounts and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, replace

from clientkeep.audit.model import entry_for as entry
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from clientkeep.shared.ids import new_id
from clientkeep.staff.errors import StaffNotFound, TokenNotFound, UsernameTaken, WeakPassword
from clientkeep.staff.model import (
    TOKEN_PREFIX,
    ApiToken,
    StaffMember,
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


def require_capability(policy: Policy, actor: Actor, capability: str) -> None:
    if actor.role == "system":
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
        id=new_id("stf"),
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


def disable_staff(
    username: str, *, uow: StaffUnitOfWork, actor: Actor, policy: Policy, clock: Clock
) -> StaffMember:
    require_capability(policy, actor, MANAGE_STAFF)
    now = clock.now()
    with uow:
        member = uow.staff.by_username(username.strip().lower())
        if member is None:
            raise StaffNotFound()
        if member.id == actor.id:
            raise InvalidInput([("username", "You cannot disable your own account.")])
        if (
            member.active
            and policy.has_capability(member.role, MANAGE_STAFF)
            and (uow.staff.count_active_with_role(member.role) <= 1)
        ):
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
    username: str,
    label: str,
    *,
    uow: StaffUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
) -> NewToken:
    require_capability(policy, actor, MANAGE_STAFF)
    label = " ".join(label.split()) or "api"
    if len(label) > 128:
        raise InvalidInput([("label", "Use at most 128 characters.")])
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with uow:
        member = uow.staff.by_username(username.strip().lower())
        if member is None or not member.active:
            raise StaffNotFound()
        token = ApiToken(
            id=new_id("tok"),
            staff_id=member.id,
            label=label,
            token_hash=hash_token(secret),
            created_at=clock.now(),
        )
        uow.tokens.add(token)
        uow.audit.append(
            entry(actor, "token.created", detail={"token_id": token.id, "staff_id": member.id})
        )
        uow.commit()
    return NewToken(token=token, secret=secret)


def list_tokens(
    username: str, *, uow: StaffUnitOfWork, actor: Actor, policy: Policy
) -> list[ApiToken]:
    require_capability(policy, actor, MANAGE_STAFF)
    with uow:
        member = uow.staff.by_username(username.strip().lower())
        if member is None:
            raise StaffNotFound()
        return uow.tokens.for_staff(member.id)


def revoke_token(
    token_id: str, *, uow: StaffUnitOfWork, actor: Actor, policy: Policy, clock: Clock
) -> ApiToken:
    require_capability(policy, actor, MANAGE_STAFF)
    with uow:
        token = uow.tokens.get(token_id.strip())
        if token is None or token.revoked_at is not None:
            raise TokenNotFound()
        now = clock.now()
        uow.tokens.revoke(token.id, now)
        uow.audit.append(entry(actor, "token.revoked", detail={"token_id": token.id}))
        uow.commit()
    return replace(token, revoked_at=now)
