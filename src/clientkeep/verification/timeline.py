"""Verifications and disclosures as sources of the customer's timeline.

A verification shows how the caller was checked and the outcome, never what was stated. A
disclosure shows only where every field told is shown: who heard a value goes with it, as
``disclosure.disclosure_log`` decides.

``CallerMask`` cuts a caller-facing screen's timeline as ``masking`` cuts its History tab:
the changes of details hidden until this member has verified the caller are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.timeline import TimelineEntry
from clientkeep.verification.disclosure_model import Disclosure
from clientkeep.verification.masking import _check_reveal, _hidden_now, masked_fields
from clientkeep.verification.model import Method, Verification
from clientkeep.verification.ports import DisclosureUnitOfWork, VerificationUnitOfWork

VERIFICATION = "verification"
DISCLOSURE = "disclosure"
_METHODS = {
    Method.KNOWLEDGE: "security questions",
    Method.ONE_TIME_CODE: "one-time code",
    Method.REPRESENTATIVE: "representative's questions",
}


def _verification_entry(v: Verification) -> TimelineEntry:
    who = "Representative" if v.representative_id else "Caller"
    title = f"{who} {'verified' if v.passed else 'not verified'} ({_METHODS[v.method]})"
    details = [("Method", _METHODS[v.method]), ("Outcome", "passed" if v.passed else "failed")]
    if v.representative_id:
        details.append(("Representative", v.representative_id))
    return TimelineEntry(
        kind=VERIFICATION,
        entry_id=v.id,
        at=v.at,
        staff_id=v.staff_id,
        title=title,
        details=tuple(details),
    )


class VerificationTimeline:
    name = VERIFICATION

    def entries(
        self,
        uow: DisclosureUnitOfWork,
        customer_id: str,
        *,
        shown: frozenset[str],
        before: tuple[datetime, str] | None,
        limit: int,
    ) -> list[TimelineEntry]:
        found = uow.verifications.page(customer_id, before=before, limit=limit)
        return [_verification_entry(v) for v in found]


class DisclosureTimeline:
    name = DISCLOSURE

    def __init__(self, policy: Policy) -> None:
        self._policy = policy

    def _entry(self, d: Disclosure) -> TimelineEntry:
        labels = ", ".join(
            self._policy.fields[n].label if n in self._policy.fields else n for n in d.fields
        )
        basis = (
            f"verified caller ({d.verification_id})"
            if d.request_id is None
            else f"third-party request {d.request_id}"
        )
        return TimelineEntry(
            kind=DISCLOSURE,
            entry_id=d.id,
            at=d.at,
            staff_id=d.staff_id,
            title=f"Details told by {d.channel.value.replace('_', ' ')}",
            details=(("Told", labels), ("To", d.recipient), ("Rested on", basis)),
            fields=frozenset(d.fields),
        )

    def entries(
        self,
        uow: DisclosureUnitOfWork,
        customer_id: str,
        *,
        shown: frozenset[str],
        before: tuple[datetime, str] | None,
        limit: int,
    ) -> list[TimelineEntry]:
        # Those not shown are left out, so pages are read until one is full or none is left.
        kept: list[TimelineEntry] = []
        cursor = before
        while len(kept) < limit:
            found = uow.disclosures.page(customer_id, before=cursor, limit=limit)
            kept.extend(self._entry(d) for d in found if d.fields and set(d.fields) <= shown)
            if len(found) < limit:
                break
            cursor = (found[-1].at, found[-1].id)
        return kept[:limit]


@dataclass
class CallerMask:
    """The fields a caller-facing timeline leaves out, decided in the reading unit by the
    rules of ``masking.read_for_caller``: those the purpose hides until this member has
    verified the caller (a representative's check unhides their scope; ``reveal``, a code of
    ``masking.REVEAL_REASONS``, shows all and is recorded as ``customer.revealed``). Pass it
    as the timeline's ``hide``; afterwards it holds what it decided, for the screen."""

    customer_id: str
    purpose: str
    actor: Actor
    policy: Policy
    clock: Clock
    reveal: str | None = None
    # Set when called: the fields left out (policy order), the proof and the reveal taken.
    hidden: tuple[str, ...] = ()
    proof: Verification | None = None
    revealed: str | None = None

    def __post_init__(self) -> None:
        _check_reveal(self.reveal)

    def __call__(self, uow: VerificationUnitOfWork, shown: frozenset[str]) -> frozenset[str]:
        masks = masked_fields(self.policy, self.purpose)
        hideable = [n for n in self.policy.fields if n in shown and n in masks]
        hidden, self.proof, self.revealed = _hidden_now(
            uow,
            self.customer_id,
            self.purpose,
            hideable,
            self.reveal,
            self.actor,
            self.clock.now(),
            policy_masks=masks,
        )
        self.hidden = tuple(hidden)
        return frozenset(hidden)
