"""A phone number in no range known to be in use, kept after a read-back, is stored with that
mark (in the value's condition, no new column), shown with it, found by search, matched as a
duplicate, kept by a confirmation, and imported only when the import says so."""

from __future__ import annotations

import pytest

from clientkeep.customers import bulk, values
from clientkeep.customers import services as customers
from clientkeep.matching import search
from tests.integration.customers.conftest import ADA

DRAMA = {**ADA, "phone": "07700 900123", "email": "drama@example.com"}


def register_unlisted(container, persona, fields=DRAMA):
    return customers.register(
        customers.RegisterCustomer(
            purpose="service",
            fields=fields,
            source="phone",
            accept_unlisted_phones=frozenset({"phone"}),
        ),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
        duplicates=container.duplicate_finder,
    )


def test_the_mark_is_stored_read_back_and_kept_by_a_confirmation(container, personas, read) -> None:
    cid = register_unlisted(container, personas.agent).customer.id
    phone = read(personas.agent, cid).fields["phone"]
    assert (phone.value, phone.display, phone.unlisted) == ("+447700900123", "07700 900123", True)
    assert not read(personas.agent, cid).fields["email"].unlisted
    customers.confirm(
        cid,
        ["phone"],
        "phone",
        purpose="service",
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
        clock=container.clock,
    )
    again = read(personas.agent, cid).fields["phone"]
    assert again.unlisted and again.confirmed_method == "phone"


def test_it_is_found_by_search_and_matched_as_a_duplicate(container, personas) -> None:
    first = register_unlisted(container, personas.agent).customer.id
    found = search.search(
        search.SearchQuery(purpose="service", kind="phone", text="07700900123"),
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
    )
    assert [m.customer_id for m in found.matches] == [first]
    twin = register_unlisted(container, personas.agent, {**DRAMA, "email": "other@example.com"})
    assert first in [m.customer_id for m in twin.possible_duplicates]


def test_without_the_read_back_nothing_is_stored(container, personas, register) -> None:
    with pytest.raises(values.UnlistedPhoneNumber):
        register(personas.agent, DRAMA)
    with container.uow() as uow:
        assert uow.customers.find_by_terms([("phone", "+447700900123")]) == []


@pytest.mark.parametrize("accept", [False, True])
def test_an_import_keeps_unlisted_numbers_only_when_told(container, personas, accept) -> None:
    rows = [
        bulk.ImportRow({**ADA, "email": "listed@example.com"}, line=2),
        bulk.ImportRow(DRAMA, line=3),
    ]
    report = bulk.import_customers(
        bulk.ImportCustomers(purpose="service", accept_unlisted_phones=accept),
        rows,
        uow=container.uow,
        actor=personas.supervisor.actor,
        policy=container.policy,
        clock=container.clock,
    )
    if accept:
        assert (report.imported, report.rejected_count) == (2, 0)
    else:
        assert (report.imported, report.rejected_count) == (1, 1)
        assert report.rejected == [
            bulk.Rejected(2, (("fields.phone", values.UNLISTED_MESSAGE),), line=3)
        ]
    with container.uow() as uow:
        held = uow.customers.find_by_terms([("phone", "+447700900123")])
        assert len(held) == accept
        if accept:
            assert uow.customers.get(held[0]).fields["phone"].unlisted
