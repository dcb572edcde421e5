"""Customer field values and their history as kinds of personal record (the contract in
``shared.record_kinds``): what merge, the access pack, erasure and retention do with them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from clientkeep.customers._records import load, rewrite_terms
from clientkeep.customers.import_fingerprint import IMPORT_FIELD
from clientkeep.customers.model import Change, ChangeKind, FieldRecord
from clientkeep.customers.ports import CustomerUnitOfWork
from clientkeep.policy.model import Policy
from clientkeep.shared.ids import new_id
from clientkeep.shared.record_kinds import MergeContext, PackedRow, RowRef

CUSTOMER_FIELD = "customer_field"
FIELD_HISTORY = "field_history"


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


class CustomerFields:
    """The values of a record, one row per field."""

    name = CUSTOMER_FIELD
    label = "Details held"

    def __init__(self, policy: Policy) -> None:
        self._policy = policy

    def rows(self, uow: CustomerUnitOfWork, customer_id: str) -> list[RowRef]:
        customer = uow.customers.get(customer_id)
        if customer is None:
            return []
        return [self._ref(customer_id, n, r) for n, r in customer.fields.items()]

    def _ref(self, customer_id: str, name: str, record: FieldRecord) -> RowRef:
        return RowRef(
            kind=self.name,
            row_id=name,
            customer_id=customer_id,
            purposes=self._policy.purposes_using(name),
            fields=frozenset({name}),
            at=record.updated_at,
        )

    def pack(self, uow: CustomerUnitOfWork, customer_id: str) -> list[PackedRow]:
        customer = uow.customers.get(customer_id)
        if customer is None:
            return []
        return [
            PackedRow(
                ref=self._ref(customer_id, name, record),
                content={
                    "value": record.value,
                    "source": record.source.value,
                    "updated_at": _iso(record.updated_at),
                    "confirmed_at": _iso(record.confirmed_at),
                    "confirmed_method": record.confirmed_method,
                    "condition": record.condition,
                },
            )
            for name, record in customer.fields.items()
        ]

    def move(self, uow: CustomerUnitOfWork, merge: MergeContext) -> int:
        """The survivor keeps its values but for those it is told to take, and gains what
        only the duplicate held; every value not kept stays in the survivor's history."""
        survivor = load(uow, merge.survivor_id)
        duplicate = load(uow, merge.duplicate_id)
        reference = self._policy.field_roles.reference
        note = f"merged {duplicate.id} into {survivor.id}: {merge.reason}"
        taken: dict[str, FieldRecord] = {}
        changes: list[Change] = []
        for name, record in duplicate.fields.items():
            mine = survivor.value(name)
            # The survivor keeps its own reference; one without takes the duplicate's, so the
            # reference the customer quotes still finds them.
            take = mine is None or (name != reference and name in merge.take_from_duplicate)
            if take:
                taken[name] = replace(record, updated_at=merge.now, updated_by=merge.actor.id)
            kept_note = "duplicate's value taken" if take else "duplicate's value not kept"
            changes.append(
                Change(
                    id=new_id("chg"),
                    customer_id=survivor.id,
                    field=name,
                    kind=ChangeKind.MERGED,
                    old_value=mine if take else record.value,
                    new_value=record.value if take else mine,
                    reason=f"{note} ({kept_note})",
                    changed_at=merge.now,
                    changed_by=merge.actor.id,
                )
            )
        if taken:
            uow.customers.set_fields(survivor.id, taken, merge.now)
            whole = {n: r.value for n, r in survivor.fields.items()}
            whole.update({n: r.value for n, r in taken.items()})
            rewrite_terms(uow, self._policy, survivor.id, set(taken), whole)
        uow.history.add(changes)
        # The rows the duplicate was imported from are the survivor's now: importing them
        # again must find the survivor, not make the duplicate anew.
        uow.customers.move_terms(duplicate.id, survivor.id, [IMPORT_FIELD])
        uow.customers.erase_fields(duplicate.id)
        return len(duplicate.fields)

    def erase(
        self, uow: CustomerUnitOfWork, customer_id: str, row_ids: Iterable[str] | None = None
    ) -> int:
        if row_ids is None:
            return uow.customers.erase_fields(customer_id)
        chosen = set(row_ids)
        customer = uow.customers.get(customer_id)
        gone = uow.customers.erase_fields(customer_id, chosen)
        if customer is not None and gone:
            # Composite terms were built from the erased values too: rebuild them from what
            # is left, or a search could still find the customer by an erased name.
            left = {n: r.value for n, r in customer.fields.items() if n not in chosen}
            rewrite_terms(uow, self._policy, customer_id, chosen, left)
        return gone


class FieldHistory:
    """Every collection, correction, removal and merge of a value, with the old value."""

    name = FIELD_HISTORY
    label = "Changes to the details"

    def __init__(self, policy: Policy) -> None:
        self._policy = policy

    def _ref(self, change: Change) -> RowRef:
        return RowRef(
            kind=self.name,
            row_id=change.id,
            customer_id=change.customer_id,
            purposes=self._policy.purposes_using(change.field),
            fields=frozenset({change.field}),
            at=change.changed_at,
        )

    def rows(self, uow: CustomerUnitOfWork, customer_id: str) -> list[RowRef]:
        return [self._ref(c) for c in uow.history.for_customer(customer_id)]

    def pack(self, uow: CustomerUnitOfWork, customer_id: str) -> list[PackedRow]:
        return [
            PackedRow(
                ref=self._ref(c),
                content={
                    "field": c.field,
                    "kind": c.kind.value,
                    "old_value": c.old_value,
                    "new_value": c.new_value,
                    "reason": c.reason,
                    "changed_at": _iso(c.changed_at),
                    "changed_by": c.changed_by,
                },
            )
            for c in uow.history.for_customer(customer_id)
        ]

    def move(self, uow: CustomerUnitOfWork, merge: MergeContext) -> int:
        return uow.history.move(merge.duplicate_id, merge.survivor_id)

    def erase(
        self, uow: CustomerUnitOfWork, customer_id: str, row_ids: Iterable[str] | None = None
    ) -> int:
        return uow.history.erase(customer_id, row_ids)


def customer_record_kinds(policy: Policy) -> tuple[FieldHistory, CustomerFields]:
    """History first: a merge re-homes the duplicate's history before the field values add
    their merge notes to the survivor's."""
    return (FieldHistory(policy), CustomerFields(policy))
