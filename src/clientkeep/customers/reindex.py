"""Rebuild every customer's blind-index terms from their sealed values.

Index terms are keyed hashes, so no migration can rewrite them: when a release adds a kind of
term (name-sound pairs, the duplicate scan's composite terms), records made before it lack
them until reindexed. Each batch is one transaction and one audit event of counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from clientkeep.audit.model import entry_for
from clientkeep.customers import index_terms
from clientkeep.customers.ports import CustomerUnitOfWork
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from clientkeep.staff import services as staff

MAX_BATCH = 10_000


@dataclass(frozen=True, slots=True)
class ReindexReport:
    customers: int
    batches: int


def reindex(
    *,
    uow_factory: Callable[[], CustomerUnitOfWork],
    actor: Actor,
    policy: Policy,
    batch: int = 1_000,
    progress: Callable[[int], None] | None = None,
) -> ReindexReport:
    """Operator work, like migrations: only the system (the CLI's operator) runs it."""
    if not staff.is_the_system(actor):
        raise PermissionDenied("Reindexing is run by the operator: `clientkeep db reindex`.")
    if not 1 <= batch <= MAX_BATCH:
        raise InvalidInput([("batch", f"Give a batch size from 1 to {MAX_BATCH:,}.")])
    done = batches = 0
    after: str | None = None
    while True:
        with uow_factory() as uow:
            ids = uow.customers.live_ids(after=after, limit=batch)
            if not ids:
                break
            for customer in uow.customers.get_many(ids):
                values = {name: record.value for name, record in customer.fields.items()}
                uow.customers.replace_all_terms(customer.id, index_terms.terms_of(policy, values))
            uow.audit.append(entry_for(actor, "customer.reindexed", detail={"customers": len(ids)}))
            uow.commit()
        after = ids[-1]
        done += len(ids)
        batches += 1
        if progress is not None:
            progress(done)
    return ReindexReport(customers=done, batches=batches)
