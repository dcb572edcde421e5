"""The scan's composite terms follow rectification and merging, so corrected records meet."""

from __future__ import annotations

from sqlalchemy import func, select

from clientkeep.adapters.db.customer_tables import blind_index
from clientkeep.customers import merge as merging
from clientkeep.customers import services as customers
from clientkeep.customers.index_terms import COMPOSITE_KINDS
from tests.integration.customers.conftest import ADA
from tests.integration.customers.test_book_scan import forget_suspects, scan


def update(container, persona, customer_id, **fields) -> None:
    customers.update(
        customer_id,
        customers.UpdateCustomer("service", fields, "corrected", source="internal_records"),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
    )


def pairs(report) -> set[frozenset[str]]:
    return {frozenset((f.customer_id, f.other_id)) for f in report.found}


def composite_rows(container, customer_id) -> int:
    with container.engine.connect() as conn:
        return conn.execute(
            select(func.count()).where(
                blind_index.c.customer_id == customer_id, blind_index.c.kind.in_(COMPOSITE_KINDS)
            )
        ).scalar_one()


def other_person(**fields):
    return {**ADA, "email": "x@example.net", "phone": "07700 123401", **fields}


def test_a_corrected_date_of_birth_brings_a_pair_together(register, personas, container) -> None:
    ada = register(personas.agent).customer.id
    typo = other_person(family_name="Lovelcae", postcode="M1 1AE", date_of_birth="1990-01-01")
    other = register(personas.agent, typo).customer.id
    forget_suspects(container)
    assert scan(container).found == []
    update(container, personas.agent, other, date_of_birth="1985-12-10")
    assert pairs(scan(container)) == {frozenset((ada, other))}


def test_a_corrected_name_replaces_the_old_names_terms(register, personas, container) -> None:
    ada = register(personas.agent).customer.id
    other = register(personas.agent, other_person(given_name="Mary", family_name="Shelley"))
    other_id = other.customer.id
    forget_suspects(container)
    assert scan(container).found == []
    update(container, personas.agent, other_id, given_name="Ada", family_name="Lovelcae")
    assert pairs(scan(container)) == {frozenset((ada, other_id))}
    assert composite_rows(container, other_id) == 4  # two names x (birthday, postcode)


def test_a_removed_date_of_birth_takes_its_terms_away(register, personas, container) -> None:
    register(personas.agent)
    other = register(personas.agent, other_person(postcode="M1 1AE")).customer.id
    assert composite_rows(container, other) == 4
    update(container, personas.agent, other, date_of_birth=None)
    assert composite_rows(container, other) == 2


def test_a_merge_that_takes_a_date_of_birth_indexes_it(register, personas, container) -> None:
    no_dob = {k: v for k, v in ADA.items() if k != "date_of_birth"}
    survivor = register(
        personas.agent,
        {**no_dob, "postcode": "M1 1AE", "email": "z@example.net", "phone": "07700 123409"},
    ).customer.id
    duplicate = register(personas.agent, other_person(phone="07700 123408")).customer.id
    merging.merge(
        survivor,
        merging.MergeCustomers(duplicate_id=duplicate, reason="same person", purpose="service"),
        uow=container.uow(),
        actor=personas.supervisor.actor,
        policy=container.policy,
        clock=container.clock,
        kinds=container.record_kinds,
    )
    later = other_person(
        family_name="Lovelcae", email="v@example.net", phone="07700 123407", postcode="E1 6AN"
    )
    newcomer = register(personas.agent, later).customer.id
    forget_suspects(container)
    assert pairs(scan(container)) == {frozenset((survivor, newcomer))}
