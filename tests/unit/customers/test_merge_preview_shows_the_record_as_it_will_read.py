"""The preview of a merge shows the merged record as it will read: equal values once and not
as a choice, differing values as a choice, and the name as one whole choice; it writes
nothing but the read's audit event, which names both customers."""

from __future__ import annotations

import pytest

from clientkeep.audit.model import Outcome
from clientkeep.customers import services as customers
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from tests.unit.conftest import shown_since
from tests.unit.customers import _merge_pairs
from tests.unit.customers._merge_pairs import everything

# The shared fixtures: a pair of records of one person, a preview and a merge of them.
pair, kinds, preview, merge = (
    _merge_pairs.pair,
    _merge_pairs.kinds,
    _merge_pairs.preview,
    _merge_pairs.merge,
)


def rows(p):
    return {r.name: r for r in p.rows}


def test_values_equal_after_normalisation_are_shown_once_and_not_offered(pair, preview) -> None:
    rhys, rees = pair
    shown = rows(preview(rhys.id, rees.id))
    for name in ("email", "postcode", "family_name"):
        assert (shown[name].choice, shown[name].source) == (False, "both")
    assert shown["email"].result == shown["email"].survivor


def test_values_that_differ_are_a_choice_and_the_survivors_is_kept_unless_chosen(
    pair, preview
) -> None:
    rhys, rees = pair
    kept = rows(preview(rhys.id, rees.id))["phone"]
    assert kept.choice and kept.source == "survivor" and kept.result == kept.survivor
    taken = rows(preview(rhys.id, rees.id, take={"phone"}))["phone"]
    assert taken.source == "duplicate" and taken.result == taken.duplicate == "07700 123456"


def test_a_value_only_one_record_holds_is_kept_without_a_choice(pair, preview) -> None:
    rhys, rees = pair
    town = rows(preview(rhys.id, rees.id))["town"]
    assert (town.choice, town.result, town.source) == (False, "London", "survivor")


def test_the_name_is_one_choice_between_two_whole_names(pair, preview) -> None:
    rhys, rees = pair
    p = preview(rhys.id, rees.id)
    assert p.name.choice
    assert (p.name.survivor, p.name.duplicate) == ("Rhys Jones", "Rees Jones, known as Bob")
    assert not any(r.choice for r in p.rows if r.in_name)


def test_keeping_the_survivors_name_leaves_out_the_other_names_preferred_name(
    pair, preview
) -> None:
    rhys, rees = pair
    p = preview(rhys.id, rees.id)
    assert rows(p)["given_name"].result == "Rhys"
    assert (rows(p)["preferred_name"].result, rows(p)["preferred_name"].source) == (
        None,
        "neither",
    )
    assert p.result_name == "Rhys Jones"


def test_taking_the_duplicates_name_takes_every_part_of_it(pair, preview) -> None:
    rhys, rees = pair
    p = preview(rhys.id, rees.id, name=True)
    assert [rows(p)[n].result for n in ("given_name", "family_name", "preferred_name")] == [
        "Rees",
        "Jones",
        "Bob",
    ]
    assert p.result_name == "Bob Jones"


def test_one_part_of_a_name_cannot_be_taken_alone(pair, preview) -> None:
    rhys, rees = pair
    with pytest.raises(InvalidInput) as refused:
        preview(rhys.id, rees.id, take={"given_name"})
    assert [f for f, _ in refused.value.errors] == ["take_from_duplicate.given_name"]


@pytest.mark.parametrize(
    ("choice", "field"),
    [({"take": {"email"}}, "take_from_duplicate.email"), ({"take": {"date_of_birth"}}, None)],
    ids=["a value both hold alike", "a value the duplicate does not hold"],
)
def test_a_choice_the_records_do_not_offer_is_refused(pair, preview, choice, field) -> None:
    rhys, rees = pair
    with pytest.raises(InvalidInput) as refused:
        preview(rhys.id, rees.id, **choice)
    assert [f for f, _ in refused.value.errors] == [field or "take_from_duplicate.date_of_birth"]


def test_the_same_name_on_both_is_not_a_choice(register, preview) -> None:
    first = register({"given_name": "Ann", "family_name": "Lee", "email": "a@example.org"})
    second = register({"given_name": "ann", "family_name": "LEE", "email": "b@example.org"})
    p = preview(first.customer.id, second.customer.id)
    assert not p.name.choice
    with pytest.raises(InvalidInput):
        preview(first.customer.id, second.customer.id, name=True)


def test_the_preview_says_what_moves_from_the_other_record(pair, preview) -> None:
    rhys, rees = pair
    moves = dict(preview(rhys.id, rees.id).moves)
    # Six values and the reference, each with the history of its collection.
    assert moves == {"Changes to the details": 7, "Details held": 7}


def test_the_preview_writes_nothing_but_one_read_naming_both(uow, pair, preview) -> None:
    rhys, rees = pair
    before, events = everything(uow), len(uow.audit.events)
    preview(rhys.id, rees.id, name=True, take={"phone"})
    assert everything(uow) == before
    assert len(uow.audit.events) == events + 1
    event = uow.audit.events[-1].entry
    assert (event.action, event.purpose) == ("customer.read", "service")
    assert sorted(shown_since(uow, events)) == sorted([rhys.id, rees.id])


def test_an_agent_may_not_preview_a_merge_and_the_attempt_is_recorded(
    uow, pair, preview, personas
) -> None:
    rhys, rees = pair
    with pytest.raises(PermissionDenied):
        preview(rhys.id, rees.id, by=personas.agent)
    event = uow.audit.events[-1].entry
    assert (event.action, event.outcome, event.customer_id) == (
        "customer.merged",
        Outcome.DENIED,
        rhys.id,
    )


def test_the_digest_follows_the_records_and_the_choices(
    uow, pair, preview, policy, clock, personas
) -> None:
    rhys, rees = pair
    first = preview(rhys.id, rees.id).digest
    assert preview(rhys.id, rees.id).digest == first
    assert preview(rhys.id, rees.id, take={"phone"}).digest != first
    customers.update(
        rees.id,
        customers.UpdateCustomer(
            purpose="service", fields={"town": "Leeds"}, reason="moved", source="internal_records"
        ),
        uow=uow,
        actor=personas.agent.actor,
        policy=policy,
        clock=clock,
    )
    assert preview(rhys.id, rees.id).digest != first
