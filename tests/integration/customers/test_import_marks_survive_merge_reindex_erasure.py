from clientkeep.adapters.cli._common import cli_actor
from clientkeep.customers import reindex
from clientkeep.customers import services as customers
from tests.integration.customers.test_import_fingerprints_in_sql import (
    import_tokens,
    rows_of,
    run_import,
)


def test_a_merged_duplicates_row_finds_the_survivor(container, personas):
    rows = rows_of(2, seed=4)
    _, made = run_import(container, personas.supervisor, rows)
    survivor, dup = made[0].customer_id, made[1].customer_id
    customers.merge(
        survivor,
        customers.MergeCustomers(duplicate_id=dup, reason="same", purpose="service"),
        uow=container.uow(),
        actor=personas.supervisor.actor,
        policy=container.policy,
        clock=container.clock,
        kinds=container.record_kinds,
    )
    assert len(import_tokens(container, survivor)) == 2
    report, seen = run_import(container, personas.supervisor, rows)
    assert [o.customer_id for o in seen] == [survivor, survivor] and report.imported == 0


def test_reindexing_keeps_the_marks(container, personas):
    rows = rows_of(1, seed=4)
    run_import(container, personas.supervisor, rows)
    reindex.reindex(uow_factory=container.uow, actor=cli_actor(), policy=container.policy)
    report, _ = run_import(container, personas.supervisor, rows)
    assert report.imported == 0


def test_a_partial_erasure_takes_the_marks(container, personas):
    rows = rows_of(1, seed=4)
    _, (made,) = run_import(container, personas.supervisor, rows)
    with container.uow() as uow:
        for kind in container.record_kinds:
            if kind.name == "customer_field":
                kind.erase(uow, made.customer_id, ["email"])
        uow.commit()
    assert import_tokens(container, made.customer_id) == []
