"""Bulk registration: valid rows land sealed, indexed, audited; bad rows are named, not saved."""

from __future__ import annotations

import pytest

from clientkeep.audit import services as audit
from clientkeep.audit.ports import TrailFilter
from clientkeep.customers import bulk
from clientkeep.customers import services as customers
from clientkeep.matching import search
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from clientkeep.synthetic import generate


def run_import(container, persona, rows, *, batch_size=7, purpose="service", seen=None):
    return bulk.import_customers(
        bulk.ImportCustomers(purpose=purpose, batch_size=batch_size),
        rows,
        uow=container.uow,
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
        on_batch=None if seen is None else (lambda done, ids: seen.append((done, ids))),
    )


def synthetic_rows(n, seed=21):
    return [bulk.ImportRow(r.fields, r.explicit_consent) for r in generate(n, seed=seed)]


def test_every_valid_row_is_registered_and_readable_for_its_purpose(container, personas) -> None:
    rows = synthetic_rows(30)
    batches: list = []
    report = run_import(container, personas.supervisor, rows, seen=batches)
    assert (report.imported, report.rejected_count) == (30, 0)
    assert [done for done, _ in batches] == [7, 14, 21, 28, 30]
    ids = [cid for _, batch in batches for cid in batch]
    view = customers.read(
        ids[4],
        purpose="service",
        uow=container.uow(),
        actor=personas.supervisor.actor,
        policy=container.policy,
        clock=container.clock,
    )
    assert view.fields["family_name"].value == rows[4].fields["family_name"]
    assert view.fields["customer_reference"].value.startswith("CK-")
    history = customers.history(
        ids[4],
        purpose="service",
        uow=container.uow(),
        actor=personas.supervisor.actor,
        policy=container.policy,
    )
    assert {c.field for c in history} == set(rows[4].fields) | {"customer_reference"}
    assert all(c.reason == "collected for service (import)" for c in history)


def test_imported_customers_are_found_by_email_and_every_creation_is_audited(
    container, personas
) -> None:
    rows = synthetic_rows(12, seed=5)
    batches: list = []
    run_import(container, personas.supervisor, rows, seen=batches)
    ids = [cid for _, batch in batches for cid in batch]
    target = next(i for i, r in enumerate(rows) if "email" in r.fields)
    found = search.search(
        search.SearchQuery("service", "email", rows[target].fields["email"].upper()),
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
    )
    assert [m.customer_id for m in found.matches] == [ids[target]]
    with container.uow() as uow:
        created = uow.audit.page(TrailFilter(action="customer.created"), limit=100)
    assert sorted(e.entry.customer_id for e in created) == sorted(ids)
    assert all(e.entry.detail["bulk"] is True for e in created)
    assert audit.verify(uow=container.uow()).ok


def test_a_bad_row_is_reported_by_number_and_the_rest_are_saved(container, personas) -> None:
    rows = synthetic_rows(5)
    rows.insert(2, bulk.ImportRow({"given_name": "Ann", "family_name": "Ng", "email": "no-at"}))
    rows.insert(4, bulk.ImportRow({"given_name": "Bo", "family_name": "Li", "shoe_size": "9"}))
    batches: list = []
    report = run_import(container, personas.supervisor, rows, seen=batches)
    assert (report.imported, report.rejected_count) == (5, 2)
    assert [r.row for r in report.rejected] == [3, 5]
    assert report.rejected[0].errors[0][0] == "fields.email"
    assert report.rejected[1].errors[0][0] == "fields"  # undeclared names are not echoed
    ids = [cid for _, batch in batches for cid in batch]
    assert ids[2] is None and ids[4] is None and sum(i is not None for i in ids) == 5


def test_references_are_unique_even_when_the_random_draw_repeats(
    container, personas, monkeypatch
) -> None:
    first = run_import(container, personas.supervisor, synthetic_rows(3))
    assert first.imported == 3
    with container.uow() as uow:
        created = uow.audit.page(TrailFilter(action="customer.created"), limit=10)
        taken = uow.customers.get(created[0].entry.customer_id).value("customer_reference")
    draws = iter([taken, taken, "CK-7KQ4-M2PX", "CK-7KQ4-M2PX", "CK-AAAA-BBBB"])
    fmt = type(container.policy.customer_reference)
    monkeypatch.setattr(fmt, "new", lambda self: next(draws))
    batches: list = []
    run_import(container, personas.supervisor, synthetic_rows(2, seed=99), seen=batches)
    ids = [cid for _, batch in batches for cid in batch]
    with container.uow() as uow:
        refs = [uow.customers.get(cid).value("customer_reference") for cid in ids]
    assert taken not in refs and len(set(refs)) == 2


def test_special_category_rows_need_consent_and_a_role_that_may_hold_them(
    container, personas
) -> None:
    needs = {"given_name": "Cy", "family_name": "Day", "phone": "020 7946 0018",
             "accessibility_needs": "Large print"}  # fmt: skip
    refused = run_import(container, personas.supervisor, [bulk.ImportRow(needs)])
    assert refused.imported == 0 and refused.rejected_count == 1
    assert [f for f, _ in refused.rejected[0].errors] == ["fields.accessibility_needs"]
    consented = bulk.ImportRow(needs, frozenset({"accessibility_needs"}))
    assert run_import(container, personas.supervisor, [consented]).imported == 1
    by_agent = run_import(container, personas.agent, [consented])
    assert by_agent.imported == 0 and by_agent.rejected_count == 1
    assert [f for f, _ in by_agent.rejected[0].errors] == ["fields.accessibility_needs"]


def test_a_purpose_the_role_may_not_use_or_a_silly_batch_size_is_refused(
    container, personas
) -> None:
    with pytest.raises(PermissionDenied):
        run_import(container, personas.agent, synthetic_rows(1), purpose="marketing")
    with pytest.raises(InvalidInput):
        run_import(container, personas.supervisor, synthetic_rows(1), batch_size=0)
