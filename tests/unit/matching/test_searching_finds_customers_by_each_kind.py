"""Search finds customers exactly by email, phone, postcode or reference, and by a name that
sounds or looks alike; each result is a summary, and the search and everyone it showed are
in the trail."""

from __future__ import annotations

import pytest

from clientkeep.matching import search
from tests.unit.conftest import ADA, GRACE, JOHN, commits_forgotten, shown_since


@pytest.fixture
def people(register):
    return [register(p).customer for p in (ADA, JOHN, GRACE)]


@pytest.fixture
def find(uow, policy, personas):
    def _find(kind, text, *, purpose="service", by=None):
        return search.search(
            search.SearchQuery(purpose=purpose, kind=kind, text=text),
            uow=uow,
            actor=(by or personas.agent).actor,
            policy=policy,
        ).matches

    return _find


@pytest.mark.parametrize(
    ("kind", "text", "who"),
    [
        ("email", "ADA.LOVELACE@example.com", 0),
        ("phone", "(020) 7946-0018", 0),
        ("phone", "07700123456", 1),
        ("postcode", "m11ae", 1),
        ("postcode", "LS1  4AP", 2),
        ("any", "grace@example.net", 2),
        ("any", "0113 496 0000", 2),
    ],
)
def test_an_exact_search_finds_the_one_holder_however_it_is_typed(
    people, find, kind, text, who
) -> None:
    found = find(kind, text)
    assert [m.customer_id for m in found] == [people[who].id]
    assert found[0].score == 100.0


@pytest.mark.parametrize("kind", ["reference", "any"])
def test_the_reference_finds_its_customer_however_it_is_typed(people, find, kind) -> None:
    typed = people[2].reference.value.replace("-", " ").lower()
    assert [m.customer_id for m in find(kind, typed)] == [people[2].id]


@pytest.mark.parametrize("text", ["Ada Lovelace", "lovelace ada", "Ada Lovelase", "Lovelace"])
def test_a_name_that_looks_or_sounds_alike_finds_them(people, find, text) -> None:
    assert [m.customer_id for m in find("name", text)] == [people[0].id]


def test_a_result_is_a_summary_not_the_record(people, find) -> None:
    (match,) = find("email", "john.smith@example.org")
    assert match.display_name == "John Smith"
    assert match.postcode_district == "M1"
    assert match.reference == people[1].reference.value and match.birth_year is None
    assert match.fields_shown == ("customer_reference", "family_name", "given_name", "postcode")


def test_nobody_is_found_for_a_value_no_one_holds(people, find) -> None:
    assert find("email", "nobody@example.com") == []


def test_a_search_that_shows_one_customer_names_them_on_its_event(uow, people, find) -> None:
    since = len(uow.audit.events)
    find("postcode", "SW1A 1AA")
    (searched,) = (e.entry for e in uow.audit.events[since:])
    assert (searched.action, searched.fields, searched.customer_id) == (
        "customer.searched",
        ("postcode",),
        people[0].id,
    )
    assert searched.detail == {
        "results": 1,
        "shown_fields": "customer_reference,date_of_birth,family_name,given_name,postcode",
    }


def test_a_search_that_finds_several_records_shows_each_in_the_trail(uow, register, find) -> None:
    ada = register(ADA).customer
    twin = register({**ADA, "email": "ada@example.org"}).customer
    since = len(uow.audit.events)
    assert {m.customer_id for m in find("phone", "020 7946 0018")} == {ada.id, twin.id}
    # One event, however many it showed.
    assert [e.entry.action for e in uow.audit.events[since:]] == ["customer.searched"]
    assert sorted(shown_since(uow, since)) == sorted([ada.id, twin.id])


def test_searching_writes_nothing_but_the_trail(uow, people, find) -> None:
    stored = dict(uow.customers.rows)
    find("name", "Ada Lovelace")
    assert uow.customers.rows == stored
    assert uow.customers.locked == []


def test_without_its_commit_the_search_would_show_people_unrecorded(uow, people, find) -> None:
    since = len(uow.audit.events)
    with commits_forgotten(uow):
        assert find("email", "grace@example.net")
    assert uow.audit.events[since:] == []
