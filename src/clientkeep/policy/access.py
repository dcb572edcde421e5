"""May this role do this, under this purpose? The one place the answer is worked out."""

from __future__ import annotations

from clientkeep.policy.errors import UnknownPurpose
from clientkeep.policy.model import Policy, Projection, Purpose
from clientkeep.shared.errors import InvalidInput, PermissionDenied


def purpose_for(policy: Policy, role: str, purpose_name: str) -> Purpose:
    """The purpose named, if ``role`` may act under it."""
    try:
        purpose = policy.purpose(purpose_name)
    except UnknownPurpose:
        known = ", ".join(policy.purposes)
        raise InvalidInput([("purpose", f"Unknown purpose; the policy has: {known}.")]) from None
    if not policy.role_may_act_under(role, purpose.name):
        raise PermissionDenied(f"The {role} role may not act under the {purpose.name} purpose.")
    return purpose


def projection_for(policy: Policy, role: str, purpose_name: str) -> Projection:
    """What ``role`` may see and search under the purpose named, if it may act under it."""
    return policy.projection(role, purpose_for(policy, role, purpose_name).name)


def require_capability(policy: Policy, role: str, capability: str, doing: str) -> None:
    """``doing`` completes "The <role> role may not ...", e.g. "merge customer records"."""
    if not policy.has_capability(role, capability):
        raise PermissionDenied(f"The {role} role may not {doing}.")


def require_search(projection: Projection, kind: str) -> None:
    if kind not in projection.searchable:
        raise PermissionDenied(
            f"The {projection.purpose} purpose does not use the values a {kind} search "
            "looks for, so it may not search by them."
        )
