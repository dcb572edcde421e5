"""Bulk import skips a row a customer was already made from (by an earlier run, or earlier in
the same file), naming that customer; a caller's external id decides when given."""

from __future__ import annotations

import pytest

from clientkeep.customers import bulk
from clientkeep.customers.import_fingerprint import (
    EXTERNAL_ID_KIND,
    FINGERPRINT_KIND,
    IMPORT_FIELD,
)
from tests.unit.conftest import ADA, GRACE, JOHN

# The same people as ADA and GRACE, spelt as another file might spell them.
ADA_AGAIN = {**ADA, "postcode": "SW1A 1AA", "email": "Ada.Lovelace@example.com"}
GRACE_AGAIN = {**GRACE, "given_name": "  Grace ", "phone": "0113 496 0000"}


def run(uow, policy, personas, clock, rows, *, batch_size=10, seen=None):
    return bulk.import_customers(
        bulk.ImportCustomers(purpose="service", batch_size=batch_size),
        rows,
        uow=lambda: uow,
        actor=personas.supervisor.actor,
        policy=policy,
        clock=clock,
        on_rows=None if seen is None else seen.extend,
    )


def live(uow) -> int:
    return sum(c.merged_into is None for c in uow.customers.rows.values())


@pytest.mark.parametrize("batch_size", [1, 2, 10])
def test_a_second_import_of_the_same_rows_makes_nobody_new(
    uow, policy, personas, clock, batch_size
) -> None:
    first: list = []
    run(uow, policy, personas, clock, [bulk.ImportRow(p) for p in (ADA, GRACE, JOHN)], seen=first)
    made = [o.customer_id for o in first]
    assert all(isinstance(o, bulk.Imported) for o in first) and live(uow) == 3
    again: list = []
    report = run(
        uow, policy, personas, clock,
        [bulk.ImportRow(p, line=n) for n, p in enumerate((ADA_AGAIN, GRACE_AGAIN, JOHN), 2)],
        batch_size=batch_size, seen=again,
    )  # fmt: skip
    assert (report.imported, report.already_imported, report.rejected_count) == (0, 3, 0)
    assert again == [bulk.AlreadyImported(n, cid, n + 1) for n, cid in enumerate(made, 1)]
    assert live(uow) == 3


@pytest.mark.parametrize("batch_size", [1, 3, 10])
def test_a_row_repeated_in_one_file_is_caught_in_or_across_batches(
    uow, policy, personas, clock, batch_size
) -> None:
    seen: list = []
    rows = [bulk.ImportRow(p) for p in (ADA, GRACE, ADA_AGAIN, JOHN, GRACE_AGAIN)]
    report = run(uow, policy, personas, clock, rows, batch_size=batch_size, seen=seen)
    assert (report.imported, report.already_imported) == (3, 2)
    assert seen[2] == bulk.AlreadyImported(3, seen[0].customer_id)
    assert seen[4] == bulk.AlreadyImported(5, seen[1].customer_id)
    assert live(uow) == 3


def test_a_changed_row_is_a_new_row(uow, policy, personas, clock) -> None:
    run(uow, policy, personas, clock, [bulk.ImportRow(ADA)])
    report = run(uow, policy, personas, clock, [bulk.ImportRow({**ADA, "town": "Leeds"})])
    assert (report.imported, report.already_imported) == (1, 0)


def test_an_external_id_decides_whatever_the_other_values(uow, policy, personas, clock) -> None:
    run(uow, policy, personas, clock, [bulk.ImportRow(ADA, external_id="crm-1")])
    seen: list = []
    report = run(
        uow, policy, personas, clock,
        [bulk.ImportRow({**ADA, "town": "Leeds"}, external_id=" crm-1 "),
         bulk.ImportRow(ADA, external_id="crm-2")],
        seen=seen,
    )  # fmt: skip
    # The first is the same customer told differently; the second a different customer of
    # the other system who happens to share every detail.
    assert isinstance(seen[0], bulk.AlreadyImported)
    assert isinstance(seen[1], bulk.Imported)
    assert (report.imported, report.already_imported) == (1, 1)


def test_a_row_with_no_usable_external_id_is_rejected_naming_the_column(
    uow, policy, personas, clock
) -> None:
    seen: list = []
    bulk.import_customers(
        bulk.ImportCustomers(purpose="service", external_id_field="crm_id"),
        [bulk.ImportRow(ADA, external_id=" "), bulk.ImportRow(GRACE, external_id="x" * 201)],
        uow=lambda: uow,
        actor=personas.supervisor.actor,
        policy=policy,
        clock=clock,
        on_rows=seen.extend,
    )
    assert [o.errors[0][0] for o in seen] == ["crm_id", "crm_id"]
    assert live(uow) == 0


def test_each_customer_holds_its_fingerprint_as_an_index_term(uow, policy, personas, clock) -> None:
    seen: list = []
    run(uow, policy, personas, clock, [bulk.ImportRow(ADA, external_id="crm-1")], seen=seen)
    terms = uow.customers.terms[seen[0].customer_id]
    marks = {t.kind for t in terms if t.field == IMPORT_FIELD}
    assert marks == {FINGERPRINT_KIND, EXTERNAL_ID_KIND}


def test_skipped_rows_are_audited_naming_the_customers_shown(uow, policy, personas, clock) -> None:
    first: list = []
    run(uow, policy, personas, clock, [bulk.ImportRow(p) for p in (ADA, GRACE)], seen=first)
    run(uow, policy, personas, clock, [bulk.ImportRow(p) for p in (ADA, GRACE)])
    event = uow.audit.events[-1].entry
    assert event.action == "customer.imported"
    assert event.detail["already_imported"] == 2
    assert set(event.customers) == {o.customer_id for o in first}
    assert "Lovelace" not in uow.audit.events[-1].body.decode()


def test_the_problems_a_reader_found_come_with_the_rows_other_problems(
    uow, policy, personas, clock
) -> None:
    seen: list = []
    row = bulk.ImportRow(
        {"given_name": "Ada", "email": "not-an-email"},
        line=7,
        problems=(("fields.family_name", "The value is too long."),),
    )
    run(uow, policy, personas, clock, [row], seen=seen)
    (rejected,) = seen
    assert rejected.line == 7
    assert dict(rejected.errors)["fields.family_name"] == "The value is too long."
    assert "fields.email" in dict(rejected.errors)
    # Not "required" as well: the reader already said what is wrong with it.
    assert [f for f, _ in rejected.errors].count("fields.family_name") == 1
    assert live(uow) == 0


def test_rows_read_before_a_file_turns_unreadable_are_saved(uow, policy, personas, clock) -> None:
    class Unreadable(Exception):
        pass

    def rows():
        yield bulk.ImportRow(ADA)
        yield bulk.ImportRow(GRACE)
        raise Unreadable

    seen: list = []
    with pytest.raises(Unreadable):
        run(uow, policy, personas, clock, rows(), batch_size=10, seen=seen)
    assert [type(o) for o in seen] == [bulk.Imported, bulk.Imported]
    assert live(uow) == 2
