"""Attempts the policy refused are evidence too: each is recorded as denied.

A use case's own unit of work rolls back when it raises, taking any event with it, so the
denial is recorded in a unit of its own after the refusal.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from clientkeep.audit.model import Outcome, entry_for
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.errors import PermissionDenied
from clientkeep.shared.ids import has_prefix

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")


def records_denials(
    action: str, *, customer: str | None = None
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Record a refused call of the decorated use case as ``action`` with outcome denied.

    The use case takes ``uow`` (a unit of work, or a factory of them) or ``uow_factory``,
    and ``actor``, as keywords; ``customer`` names the argument holding the customer's id, if
    there is one; the purpose is the ``purpose`` argument, or the command's.
    """

    def decorate(use_case: Callable[P, R]) -> Callable[P, R]:
        signature = inspect.signature(use_case)

        @functools.wraps(use_case)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return use_case(*args, **kwargs)
            except PermissionDenied as refused:
                bound = signature.bind_partial(*args, **kwargs).arguments
                try:
                    _record(action, bound, customer, refused)
                except Exception as failure:
                    # The refusal stands either way; a trail that cannot be written must not
                    # turn a "no" into a server error. Only the error's type: never its text.
                    log.warning("a denied %s was not recorded (%s)", action, type(failure).__name__)
                raise

        return wrapper

    return decorate


def _record(
    action: str, bound: dict[str, Any], customer: str | None, refused: PermissionDenied
) -> None:
    uow = bound.get("uow") or bound.get("uow_factory")
    actor, policy = bound.get("actor"), bound.get("policy")
    if uow is None or not isinstance(actor, Actor) or not isinstance(policy, Policy):
        return
    if not hasattr(uow, "__enter__"):
        uow = uow()  # bulk work takes a factory of units
    purpose = bound.get("purpose")
    if not isinstance(purpose, str):
        commands = (v for v in bound.values() if isinstance(getattr(v, "purpose", None), str))
        purpose = next((getattr(c, "purpose") for c in commands), None)  # noqa: B009
    customer_id = bound.get(customer) if customer else None
    record_denial(
        uow,
        actor,
        policy,
        action,
        customer_id=customer_id if isinstance(customer_id, str) else None,
        purpose=purpose if isinstance(purpose, str) else None,
        refused=refused,
    )


def record_denial(
    uow: Any,
    actor: Actor,
    policy: Policy,
    action: str,
    *,
    customer_id: str | None,
    purpose: str | None,
    refused: PermissionDenied,
) -> None:
    """Record one refused attempt in a unit of its own (for refusals made at an edge)."""
    # Only a purpose the policy declares is written: a made-up one is the caller's own text.
    if purpose not in policy.purposes:
        purpose = None
    with uow:
        uow.audit.append(
            entry_for(
                actor,
                action,
                outcome=Outcome.DENIED,
                customer_id=customer_id if _is_customer_id(customer_id) else None,
                purpose=purpose,
                detail={"refused": refused.code},
            )
        )
        uow.commit()


def _is_customer_id(value: object) -> bool:
    # Ids come from URLs: anything but a well-formed one is the caller's text, not recorded.
    return isinstance(value, str) and has_prefix(value, "cus")
