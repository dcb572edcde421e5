"""Exact search by email, phone, postcode and reference; fuzzy by name; results are summaries."""

from __future__ import annotations

import pytest

from clientkeep.matching import search as matching
from clientkeep.shared.errors import PermissionDenied
from tests.integration.customers.conftest import ADA, audit_events

PEOPLE = [
    ADA,
    {
        "given_name": "John",
        "family_name": "Smith",
        "email": "john.smith@example.org",
        "phone": "07700 123456",
        "postcode": "M1 1AE",
    },
    {
        "given_name": "Grace",
        "family_name": "Hopper",
        "email": "grace@example.net",
        "phone": "+44 113 496 0000",
        "postcode": "LS1 4AP",
    },
]


@pytest.fixture
def people(register, personas):
    return [register(personas.agent, p).customer for p in PEOPLE]


def find(container, persona, kind, text, purpose="service"):
    return matching.search(
        matching.SearchQuery(purpose=purpose, kind=kind, text=text),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
    ).matches


@pytest.mark.parametrize(
    ("kind", "text", "who"),
    [
        ("email", "ADA.LOVELACE@example.com", 0),
        ("phone", "+44 20 7946 0018", 0),
        ("phone", "(020) 7946-0018", 0),
        ("phone", "07700123456", 1),
        ("postcode", "m11ae", 1),
        ("postcode", "LS1  4AP", 2),
        ("any", "grace@example.net", 2),
        ("any", "0113 496 0000", 2),
    ],
)
def test_exact_search_finds_any_common_format(container, personas, people, kind, text, who) -> None:
    found = find(container, personas.agent, kind, text)
    assert [m.customer_id for m in found] == [people[who].id]
    assert found[0].score == 100.0


@pytest.mark.parametrize("text", ["Jon Smith", "John Smyth", "Smyth", "Jhon Smith"])
def test_fuzzy_name_search_forgives_typos_and_variants(container, personas, people, text) -> None:
    found = find(container, personas.agent, "name", text)
    assert found and found[0].customer_id == people[1].id


def test_search_by_reference(container, personas, people) -> None:
    reference = people[2].fields["customer_reference"].value
    found = find(container, personas.agent, "any", reference.lower().replace("-", " "))
    assert [m.customer_id for m in found] == [people[2].id]


def test_results_are_summaries_audited_as_a_search(container, personas, people) -> None:
    match = find(container, personas.agent, "email", "grace@example.net")[0]
    assert (match.display_name, match.postcode_district) == ("Grace Hopper", "LS1")
    event = audit_events(container, "customer.searched")[-1]
    assert event.entry.fields == ("email",)
    assert "grace" not in str(event).lower()


def test_nothing_found_is_an_empty_list(container, personas, people) -> None:
    assert find(container, personas.agent, "email", "nobody@example.com") == []


def test_an_admin_may_not_search(container, personas, people) -> None:
    with pytest.raises(PermissionDenied):
        find(container, personas.admin, "email", "grace@example.net")


def test_a_corrected_name_is_found_by_its_new_name_and_not_its_old(
    container, personas, people
) -> None:
    from clientkeep.customers import services as customers

    john = people[1]
    customers.update(
        john.id,
        customers.UpdateCustomer(
            purpose="service",
            fields={"family_name": "Okafor"},
            reason="married name",
            source="internal_records",
        ),
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
        clock=container.clock,
    )
    assert [m.customer_id for m in find(container, personas.agent, "name", "Jon Okafor")] == [
        john.id
    ]
    assert john.id not in [
        m.customer_id for m in find(container, personas.agent, "name", "Jon Smith")
    ]
    with container.uow() as uow:
        # The rewritten composite terms come from the whole record, not only the changed field.
        assert john.id in uow.customers.find_by_terms(
            [("name_pair", "|".join(sorted(("JN", "OKFR"))))]
        )
