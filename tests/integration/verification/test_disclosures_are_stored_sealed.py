"""A disclosure's recipient is sealed under the customer's key: the raw row holds neither it
nor the values told, while the repository reads both back whole."""

from __future__ import annotations

from sqlalchemy import select

from clientkeep.adapters.db.disclosure_tables import disclosure
from clientkeep.verification import disclosure as disclosures
from tests.integration.record_kinds._storage import canaries_found
from tests.integration.record_kinds.drivers import Canaries
from tests.integration.record_kinds.drivers_disclosure import DisclosureDriver


def test_the_recipient_is_not_stored_in_plaintext(container, backend, personas) -> None:
    canaries = Canaries()
    made = DisclosureDriver(container, personas).make(canaries)
    with container.engine.connect() as conn:
        rows = conn.execute(
            select(disclosure).where(disclosure.c.customer_id == made.customer_id)
        ).all()
    assert len(rows) == 2
    assert all(isinstance(r.recipient, bytes) and b"the caller" not in r.recipient for r in rows)
    assert canaries_found(container, backend, canaries.words) == set()
    log = disclosures.disclosure_log(
        made.customer_id,
        purpose="service",
        uow=container.uow(),
        actor=personas.supervisor.actor,
        policy=container.policy,
    )
    assert all(v.recipient and v.recipient.startswith("the caller, Qz") for v in log)
