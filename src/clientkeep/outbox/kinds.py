"""Messages to a customer as a kind of personal record (the contract in
``shared.record_kinds``): what merge, the access pack, erasure and retention do with them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from clientkeep.outbox.model import Envelope
from clientkeep.outbox.ports import OutboxUnitOfWork
from clientkeep.shared.record_kinds import MergeContext, PackedRow, RowRef

OUTBOX_MESSAGE = "outbox_message"


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


class OutboxMessages:
    """Every message to the customer, waiting, sent or failed: held for the purpose it was
    sent under, and holding the recipient's field and the fields its text quotes."""

    name = OUTBOX_MESSAGE
    label = "Messages sent to the customer"

    def _ref(self, envelope: Envelope) -> RowRef:
        return RowRef(
            kind=self.name,
            row_id=envelope.id,
            customer_id=envelope.customer_id,
            purposes=frozenset({envelope.purpose}),
            fields=envelope.fields,
            at=envelope.sent_at or envelope.created_at,
        )

    def rows(self, uow: OutboxUnitOfWork, customer_id: str) -> list[RowRef]:
        return [self._ref(e) for e in uow.outbox.for_customer(customer_id)]

    def pack(self, uow: OutboxUnitOfWork, customer_id: str) -> list[PackedRow]:
        return [
            PackedRow(
                ref=self._ref(envelope),
                content={
                    "channel": envelope.channel.value,
                    "to": content.to,
                    "subject": content.subject,
                    "body": content.body,
                    "status": envelope.status.value,
                    "written_at": _iso(envelope.created_at),
                    "sent_at": _iso(envelope.sent_at),
                },
            )
            for envelope, content in uow.outbox.opened_for_customer(customer_id)
        ]

    def move(self, uow: OutboxUnitOfWork, merge: MergeContext) -> int:
        """The survivor's now: resealed under its key. A waiting message still goes, to the
        address it was written for."""
        return uow.outbox.move(merge.duplicate_id, merge.survivor_id, merge.now)

    def erase(
        self, uow: OutboxUnitOfWork, customer_id: str, row_ids: Iterable[str] | None = None
    ) -> int:
        """Deleted, whatever their state: a message waiting to an erased customer is
        cancelled with them."""
        return uow.outbox.erase(customer_id, row_ids)


def outbox_record_kinds() -> tuple[OutboxMessages]:
    return (OutboxMessages(),)
