"""Two people of one name are told apart in search results by their postcode district,
reference and year of birth (never the whole date), each only where the purpose shows the
field, and the trail records exactly the fields a result showed."""

from __future__ import annotations

import pytest

from clientkeep.matching import search

JANE_LEEDS = {
    "given_name": "Jane",
    "family_name": "Smith",
    "email": "jane.leeds@example.com",
    "postcode": "LS1 4AP",
    "date_of_birth": "1970-03-14",
}
JANE_LONDON = {
    "given_name": "Jane",
    "family_name": "Smith",
    "email": "jane.london@example.org",
    "postcode": "SW1A 1AA",
    "date_of_birth": "1992-07-01",
}


@pytest.fixture
def janes(register):
    return [register(p).customer for p in (JANE_LEEDS, JANE_LONDON)]


def find(uow, policy, personas, text, purpose="service"):
    return search.search(
        search.SearchQuery(purpose=purpose, kind="name", text=text),
        uow=uow,
        actor=personas.agent.actor,
        policy=policy,
    ).matches


def test_same_named_people_differ_in_district_reference_and_year(
    janes, uow, policy, personas
) -> None:
    found = {m.customer_id: m for m in find(uow, policy, personas, "Jane Smith")}
    leeds, london = found[janes[0].id], found[janes[1].id]
    assert leeds.display_name == london.display_name == "Jane Smith"
    assert (leeds.postcode_district, leeds.birth_year) == ("LS1", 1970)
    assert (london.postcode_district, london.birth_year) == ("SW1A", 1992)
    assert (leeds.reference, london.reference) == (
        janes[0].reference.value,
        janes[1].reference.value,
    )
    assert "1970-03-14" not in repr(leeds)
    assert leeds.fields_shown == (
        "customer_reference",
        "date_of_birth",
        "family_name",
        "given_name",
        "postcode",
    )


def test_a_purpose_without_the_date_of_birth_shows_no_year_and_records_none(
    janes, uow, policy, personas
) -> None:
    before = len(uow.audit.events)
    found = find(uow, policy, personas, "Jane Smith", purpose="billing")
    assert {m.birth_year for m in found} == {None}
    assert all(m.reference for m in found)
    assert all("date_of_birth" not in m.fields_shown for m in found)
    (event,) = (e.entry for e in uow.audit.events[before:])
    assert "date_of_birth" not in event.detail["shown_fields"].split(",")
    assert "customer_reference" in event.detail["shown_fields"].split(",")
