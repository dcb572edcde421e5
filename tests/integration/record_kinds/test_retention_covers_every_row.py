"""Duty 8: retention covers every row of a kind. Each row is held for at least one purpose the
policy declares; a retention run may dispose of a row only once every one of its purposes has
expired, and then it may dispose of it."""

from __future__ import annotations

from clientkeep.shared.record_kinds import due


def ids(rows) -> set[str]:
    return {r.row_id for r in rows}


def test_a_row_is_due_only_once_every_purpose_it_is_held_for_has_expired(
    container, kind, driver, canaries
) -> None:
    customer_id = driver.make(canaries).customer_id
    every = frozenset(container.policy.purposes)
    with container.uow().reading() as uow:
        rows = kind.rows(uow, customer_id)
        assert rows
        assert all(r.purposes and r.purposes <= every for r in rows)
        assert due(kind, uow, customer_id, frozenset()) == []
        for purpose in every:
            # Everything but this purpose has expired: due are the rows not held for it.
            still_held = {r.row_id for r in rows if purpose in r.purposes}
            assert ids(due(kind, uow, customer_id, every - {purpose})) == ids(rows) - still_held
        for row in rows:
            assert row in due(kind, uow, customer_id, row.purposes)
        assert ids(due(kind, uow, customer_id, every)) == ids(rows)
