"""The whole book scanned for likely duplicates: the batch counterpart of the check made when a
customer is registered, for after a bulk import.

Candidates come from blind-index tokens alone: customers sharing an email, a phone, or a
composite term (a name's sound, the other name's initial, and the date of birth or postcode:
see `customers.index_terms`). Values shared by many customers are common
values, not duplicates, and are counted instead. Only the fields the rules compare are opened,
a batch of customers at a time, and each pair is judged by `duplicates.compare`, the rules
registration uses. New suspects go to the review queue in committed batches, each audited;
pairs already in the queue, or dismissed from it, are not recorded again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from itertools import combinations

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import entry_for
from clientkeep.customers.index_terms import COMPOSITE_KINDS
from clientkeep.customers.model import Customer
from clientkeep.customers.ports import CustomerUnitOfWork, DuplicateSuspect
from clientkeep.matching.duplicates import compare, compared_fields
from clientkeep.policy import WORK_REVIEW
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from clientkeep.shared.ids import new_id
from clientkeep.staff import services as staff

KINDS = ("email", "phone", *COMPOSITE_KINDS)
DEFAULT_BATCH = 2_000
MAX_BATCH = 100_000
# More customers than this sharing one value (a family's landline, a care home's postcode
# and a common name) are a common value: comparing them all would be slow and mostly wrong.
MAX_GROUP = 50
_CURSOR_SPACE = 16**8


@dataclass(frozen=True, slots=True)
class FoundPair:
    customer_id: str  # the record made later: the likelier duplicate
    other_id: str
    reasons: tuple[str, ...]
    score: float
    new: bool  # recorded by this scan, rather than already in the review queue


@dataclass(frozen=True, slots=True)
class ScanProgress:
    done: float  # 0.0 to 1.0
    pairs_compared: int
    suspects_recorded: int


@dataclass(slots=True)
class ScanReport:
    pairs_compared: int = 0
    suspects_found: int = 0
    suspects_recorded: int = 0
    already_known: int = 0
    groups_too_common: int = 0
    batches: int = 0
    found: list[FoundPair] = field(default_factory=list)


@records_denials("customer.duplicates_scanned")
def scan_book(
    *,
    uow_factory: Callable[[], CustomerUnitOfWork],
    actor: Actor,
    policy: Policy,
    clock: Clock,
    batch: int = DEFAULT_BATCH,
    max_group: int = MAX_GROUP,
    progress: Callable[[ScanProgress], None] | None = None,
) -> ScanReport:
    """Record every likely duplicate pair in the book; ``batch`` shared values per commit."""
    if not staff.is_the_system(actor) and not policy.has_capability(actor.role, WORK_REVIEW):
        raise PermissionDenied(f"The {actor.role} role does not work the review queue.")
    if not 1 <= batch <= MAX_BATCH:
        raise InvalidInput([("batch", f"Give a batch size from 1 to {MAX_BATCH:,}.")])
    if not 2 <= max_group <= 10_000:
        raise InvalidInput([("max_group", "Give a largest group from 2 to 10,000.")])
    scan = _Scan(actor, clock, policy, max_group)
    for position, kind in enumerate(KINDS):
        cursor: str | None = None
        more = True
        while more:
            with uow_factory() as uow:
                groups = uow.duplicates.shared_token_groups(
                    kind, after=cursor, limit=batch, max_size=max_group
                )
                if not groups:
                    break
                scan.batch(uow, kind, groups)
                uow.commit()
            cursor, more = groups[-1][0], len(groups) == batch
            if progress is not None:
                # Tokens are spread evenly, so the cursor's place says how far this kind has come.
                within = int(cursor[:8], 16) / _CURSOR_SPACE if more else 1.0
                progress(scan.progress((position + within) / len(KINDS)))
    if progress is not None:
        progress(scan.progress(1.0))
    return scan.report


@dataclass(slots=True)
class _Scan:
    actor: Actor
    clock: Clock
    policy: Policy
    max_group: int
    report: ScanReport = field(default_factory=ScanReport)
    # Pairs this scan already judged duplicates: one pair often shares several values.
    judged: set[tuple[str, str]] = field(default_factory=set)

    def progress(self, done: float) -> ScanProgress:
        return ScanProgress(done, self.report.pairs_compared, self.report.suspects_recorded)

    def batch(
        self,
        uow: CustomerUnitOfWork,
        kind: str,
        groups: Iterable[tuple[str, int, tuple[str, ...]]],
    ) -> None:
        pairs: set[tuple[str, str]] = set()
        too_common = 0
        for _, size, ids in groups:
            if size > self.max_group:
                too_common += 1
            else:
                pairs.update(combinations(ids, 2))  # ids come sorted, so each pair once
        pairs -= self.judged
        found, opened = self._judge(uow, self.policy, pairs)
        known = uow.duplicates.known_pairs((f.customer_id, f.other_id) for f in found)
        now = self.clock.now()
        for pair in found:
            self.judged.add(_key(pair.customer_id, pair.other_id))
            if (pair.customer_id, pair.other_id) in known:
                self.report.found.append(replace(pair, new=False))
                continue
            uow.duplicates.add(
                DuplicateSuspect(
                    id=new_id("dup"),
                    customer_id=pair.customer_id,
                    other_id=pair.other_id,
                    reasons=pair.reasons,
                    detected_at=now,
                )
            )
            self.report.found.append(pair)
        recorded = len(found) - len(known)
        report = self.report
        report.batches += 1
        report.pairs_compared += len(pairs)
        report.suspects_found += len(found)
        report.suspects_recorded += recorded
        report.already_known += len(known)
        report.groups_too_common += too_common
        uow.audit.append(
            entry_for(
                self.actor,
                "customer.duplicates_scanned",
                fields=tuple(sorted(compared_fields(self.policy))),
                detail={
                    "kind": kind,
                    "customers_opened": opened,
                    "pairs_compared": len(pairs),
                    "suspects_recorded": recorded,
                    "already_known": len(known),
                    "groups_too_common": too_common,
                },
            )
        )

    @staticmethod
    def _judge(
        uow: CustomerUnitOfWork, policy: Policy, pairs: set[tuple[str, str]]
    ) -> tuple[list[FoundPair], int]:
        """The pairs judged duplicates, later record first; and how many records were opened."""
        ids = sorted({i for p in pairs for i in p})
        people = {c.id: c for c in uow.customers.get_many(ids, fields=compared_fields(policy))}
        parts = policy.field_roles.parts_of
        opened = {
            cid: parts({n: r.value for n, r in c.fields.items()}) for cid, c in people.items()
        }
        found: list[FoundPair] = []
        for a, b in sorted(pairs):
            if a in opened and b in opened:
                verdict = compare(opened[a], opened[b])
                if verdict is not None:
                    later, earlier = _later_first(people[a], people[b])
                    found.append(FoundPair(later, earlier, verdict.reasons, verdict.score, True))
        return found, len(people)


def _key(first: str, second: str) -> tuple[str, str]:
    return (first, second) if first < second else (second, first)


def _later_first(first: Customer, second: Customer) -> tuple[str, str]:
    if (second.created_at, second.id) > (first.created_at, first.id):
        return second.id, first.id
    return first.id, second.id
