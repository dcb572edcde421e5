"""Looking after staff accounts: password reset and change, unlock, re-enable, role change.

Each is one unit of work with its audit event; a change that would change nothing (unlocking
an account that is not locked) changes nothing and records nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from clientkeep.audit.model import Outcome
from clientkeep.audit.model import entry_for as entry
from clientkeep.policy import SYSTEM_ROLE
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from clientkeep.staff.model import StaffMember, password_problem
from clientkeep.staff.ports import PasswordHasher, StaffUnitOfWork
from clientkeep.staff.services import (
    MANAGE_STAFF,
    find_member,
    is_last_manager,
    require_capability,
)


@dataclass(frozen=True, slots=True)
class ChangePassword:
    current_password: str
    new_password: str


def _check_strength(password: str, *, field: str, member: StaffMember, policy: Policy) -> None:
    problem = password_problem(
        password, username=member.username, min_length=policy.staff.min_password_length
    )
    if problem:
        raise InvalidInput([(field, problem)])


def member_to_change(
    username: str, *, uow: StaffUnitOfWork, actor: Actor, policy: Policy
) -> StaffMember:
    """The member a confirmation page names, with the same permission check as the change."""
    require_capability(policy, actor, MANAGE_STAFF)
    with uow:
        return find_member(uow, username)


def reset_password(
    username: str,
    temporary_password: str,
    *,
    uow: StaffUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
    hasher: PasswordHasher,
) -> StaffMember:
    """Give the member a temporary password they must replace at their next sign-in.

    Their sessions end (whoever holds one may be why the password is being reset) and any
    lock is lifted, since the temporary password is new. Their API tokens stay valid: a
    token is a credential of its own, revoked on its own.
    """
    require_capability(policy, actor, MANAGE_STAFF)
    now = clock.now()
    with uow:
        member = find_member(uow, username)
        if member.id == actor.id:
            raise InvalidInput(
                [("username", "Change your own password under Your account instead.")]
            )
        _check_strength(temporary_password, field="password", member=member, policy=policy)
        member = replace(
            member,
            password_hash=hasher.hash(temporary_password),
            must_change_password=True,
            failed_sign_ins=0,
            locked_until=None,
            updated_at=now,
        )
        uow.staff.update(member)
        uow.sessions.end_all_for(member.id, now)
        uow.audit.append(entry(actor, "staff.password_reset", detail={"staff_id": member.id}))
        uow.commit()
    return member


def change_own_password(
    cmd: ChangePassword,
    *,
    uow: StaffUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
    hasher: PasswordHasher,
) -> StaffMember:
    """The signed-in member chooses a new password, giving their current one.

    A wrong current password counts towards the account's lockout like a failed sign-in, so
    a borrowed session cannot be used to guess the password without limit.
    """
    now = clock.now()
    with uow:
        member = uow.staff.get(actor.id)
        if member is None or not member.active or member.role == SYSTEM_ROLE:
            raise PermissionDenied("Only a signed-in member of staff changes their password.")
        if not hasher.verify(member.password_hash, cmd.current_password):
            failed = member.after_failed_sign_in(now, policy.staff)
            uow.staff.update(failed)
            uow.audit.append(
                entry(
                    actor,
                    "staff.password_changed",
                    outcome=Outcome.FAILED,
                    detail={"staff_id": member.id, "reason": "wrong_password"},
                )
            )
            uow.commit()
            raise InvalidInput([("current_password", "That is not your current password.")])
        _check_strength(cmd.new_password, field="new_password", member=member, policy=policy)
        if cmd.new_password == cmd.current_password:
            raise InvalidInput([("new_password", "Choose a password you have not just used.")])
        member = replace(
            member,
            password_hash=hasher.hash(cmd.new_password),
            must_change_password=False,
            failed_sign_ins=0,
            locked_until=None,
            updated_at=now,
        )
        uow.staff.update(member)
        uow.audit.append(entry(actor, "staff.password_changed", detail={"staff_id": member.id}))
        uow.commit()
    return member


def unlock_staff(
    username: str, *, uow: StaffUnitOfWork, actor: Actor, policy: Policy, clock: Clock
) -> StaffMember:
    """Lift a lock left by failed sign-ins, and clear the count towards the next one."""
    require_capability(policy, actor, MANAGE_STAFF)
    now = clock.now()
    with uow:
        member = find_member(uow, username)
        if member.failed_sign_ins or member.locked_until is not None:
            was_locked = member.is_locked(now)
            member = replace(member, failed_sign_ins=0, locked_until=None, updated_at=now)
            uow.staff.update(member)
            uow.audit.append(
                entry(
                    actor,
                    "staff.unlocked",
                    detail={"staff_id": member.id, "was_locked": was_locked},
                )
            )
        uow.commit()
    return member


def enable_staff(
    username: str, *, uow: StaffUnitOfWork, actor: Actor, policy: Policy, clock: Clock
) -> StaffMember:
    """Let a disabled member sign in again. Their old sessions and tokens stay ended."""
    require_capability(policy, actor, MANAGE_STAFF)
    now = clock.now()
    with uow:
        member = find_member(uow, username)
        if member.role not in policy.roles:
            # Enabled, the account could not act (or could pass for the system): say so now.
            raise InvalidInput(
                [("role", "Give this account a role from the policy before enabling it.")]
            )
        if not member.active:
            member = replace(
                member, disabled_at=None, failed_sign_ins=0, locked_until=None, updated_at=now
            )
            uow.staff.update(member)
            uow.audit.append(entry(actor, "staff.enabled", detail={"staff_id": member.id}))
        uow.commit()
    return member


def check_role(role: str, policy: Policy) -> str:
    """A role a member of staff may hold: one the policy declares, never the system's."""
    role = role.strip()
    if not role:
        raise InvalidInput([("role", "Choose a role.")])
    if role == SYSTEM_ROLE or role not in policy.roles:
        known = ", ".join(policy.roles)
        raise InvalidInput([("role", f"Unknown role; the policy has: {known}.")])
    return role


def set_role(
    username: str,
    role: str,
    *,
    uow: StaffUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
) -> StaffMember:
    """Give the member another role; it applies from their next page or API request."""
    require_capability(policy, actor, MANAGE_STAFF)
    role = check_role(role, policy)
    now = clock.now()
    with uow:
        member = find_member(uow, username)
        if member.role == role:
            uow.commit()
            return member
        if member.id == actor.id:
            raise InvalidInput([("role", "Another administrator must change your role.")])
        if not policy.has_capability(role, MANAGE_STAFF) and is_last_manager(uow, policy, member):
            raise InvalidInput([("role", "This is the last active account that can manage staff.")])
        old_role = member.role
        member = replace(member, role=role, updated_at=now)
        uow.staff.update(member)
        uow.audit.append(
            entry(
                actor,
                "staff.role_changed",
                detail={"staff_id": member.id, "old_role": old_role, "new_role": role},
            )
        )
        uow.commit()
    return member
